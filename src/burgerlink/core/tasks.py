"""Background work, queued only once the transaction that asked for it has committed.

Every app queues its django-tasks through ``enqueue_after_commit`` and nothing else: a task
queued inside an open transaction could run (or, with the database backend, be picked up)
before that transaction commits, see rows that are not there yet, or act on a write that is
later rolled back. After commit, a rolled-back action queues nothing, and the worker sees
everything the action wrote. Outside a transaction (a management command in autocommit) the
task is queued at once, exactly as Django runs ``transaction.on_commit`` callbacks there.

A task may be named by its dotted path (``"burgerlink.surveys.fieldwork.tasks.send_reminders"``)
so that a service can queue the task that calls it without importing the tasks module: the
tasks module imports the services, never the other way round. The path is resolved at once, so
a wrong name fails in the service call (and its test), not later in the worker.

Arguments must survive JSON, as the database backend stores them; that is checked at once too.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ParamSpec, TypeVar, overload

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task
from django_tasks.utils import normalize_json

__all__ = ["enqueue_after_commit", "resolve", "task"]

P = ParamSpec("P")
T = TypeVar("T")


def resolve(path: str) -> Task[Any, Any]:
    """Return the task at the dotted ``path``; raise ``ImportError`` or ``TypeError`` when none."""
    found = import_string(path)
    if not isinstance(found, Task):
        raise TypeError(f"{path} is not a task (decorate it with @task())")
    return found


@overload
def enqueue_after_commit(target: Task[P, T], /, *args: P.args, **kwargs: P.kwargs) -> None: ...


@overload
def enqueue_after_commit(target: str, /, *args: Any, **kwargs: Any) -> None: ...


def enqueue_after_commit(target: Task[Any, Any] | str, /, *args: Any, **kwargs: Any) -> None:
    """Queue ``target`` (a task or its dotted path) with these arguments once the transaction commits."""
    chosen = resolve(target) if isinstance(target, str) else target
    # The database backend keeps the arguments as JSON: refuse what it could not store now,
    # inside the caller's transaction, rather than after the commit.
    normalize_json(args)
    normalize_json(kwargs)
    transaction.on_commit(partial(chosen.enqueue, *args, **kwargs))
