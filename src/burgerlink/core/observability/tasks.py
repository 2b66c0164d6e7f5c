"""Background tasks under observation: the queuing request's id travels with the task.

When a request queues a task in the database, the request id is stored beside it
(``TaskOrigin``, in the same transaction). ``burgerlink db_worker`` runs the task under that id
(``task_context``), so the task's log lines can be found with the request's. Every finished task
is counted in the metrics, with its running time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError
from django_tasks import TaskResult
from django_tasks.signals import task_enqueued, task_finished

from burgerlink.core.observability import metrics
from burgerlink.core.observability.context import REQUEST_ID, TASK, current_request_id

logger = logging.getLogger("burgerlink.tasks")


def _stored_in_database(sender: type) -> bool:
    return sender.__module__.startswith("django_tasks_db")


def remember_origin(sender: type, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """Store the current request id beside a task queued in the database."""
    request_id = current_request_id()
    if request_id is None or not _stored_in_database(sender):
        return
    from burgerlink.core.models import TaskOrigin

    TaskOrigin.objects.create(task_id=str(task_result.id), request_id=request_id)


def count_finished(sender: type, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """Count a finished task and its running time; forget where it came from."""
    seconds = None
    if task_result.started_at and task_result.finished_at:
        seconds = (task_result.finished_at - task_result.started_at).total_seconds()
    metrics.observe_task(task_result.task.module_path, str(task_result.status), seconds)
    if _stored_in_database(sender):
        from burgerlink.core.models import TaskOrigin

        try:
            TaskOrigin.objects.filter(task_id=str(task_result.id)).delete()
        except DatabaseError:
            logger.warning("Could not forget the origin of task %s", task_result.id)


@contextmanager
def task_context(task_id: str, task_name: str) -> Iterator[None]:
    """Run a task under the id of the request that queued it (or a fresh one)."""
    from burgerlink.core.models import TaskOrigin

    origin = TaskOrigin.objects.filter(task_id=task_id).values_list("request_id", flat=True)
    request_id = origin.first() or f"task-{task_id}"
    request_token = REQUEST_ID.set(request_id)
    task_token = TASK.set(task_name)
    try:
        yield
    finally:
        TASK.reset(task_token)
        REQUEST_ID.reset(request_token)


def connect() -> None:
    """Connect the receivers (from ``CoreConfig.ready``)."""
    task_enqueued.connect(remember_origin, dispatch_uid="burgerlink.task_origin")
    task_finished.connect(count_finished, dispatch_uid="burgerlink.task_metrics")
