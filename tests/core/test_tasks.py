"""``core.tasks``: tasks are queued after the transaction commits, never inside it."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from burgerlink.core.models import Organisation
from burgerlink.core.tasks import enqueue_after_commit, resolve
from tests.core import example_tasks
from tests.core.example_tasks import RUNS, note

PATH = "tests.core.example_tasks.note"
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class BoomError(Exception):
    """Something going wrong inside the action."""


@pytest.fixture(autouse=True)
def no_runs_yet() -> Iterator[None]:
    RUNS.clear()
    yield
    RUNS.clear()


def make_organisation(slug: str) -> Organisation:
    return Organisation.objects.create(name=slug.title(), slug=slug, kind="municipality")


def test_a_task_runs_after_the_transaction_commits_and_sees_what_it_wrote(db: None) -> None:
    with transaction.atomic():
        make_organisation("noordstad")
        enqueue_after_commit(note, "published", slug="noordstad")
        assert RUNS == []  # not while the transaction is open
    assert RUNS == [("published", True)]


def test_a_rolled_back_action_queues_nothing(db: None) -> None:
    with pytest.raises(BoomError), transaction.atomic():
        enqueue_after_commit(note, "never")
        raise BoomError
    assert RUNS == []


def test_inner_blocks_wait_for_the_outermost_commit(db: None) -> None:
    with transaction.atomic():
        with transaction.atomic():
            enqueue_after_commit(note, "inner")
        assert RUNS == []
        try:
            with transaction.atomic():
                enqueue_after_commit(note, "rolled back savepoint")
                raise BoomError
        except BoomError:
            pass
        enqueue_after_commit(note, "outer")
    assert [label for label, _ in RUNS] == ["inner", "outer"]


def test_outside_a_transaction_a_task_is_queued_at_once(db: None) -> None:
    enqueue_after_commit(note, "now")
    assert RUNS == [("now", False)]


def test_a_task_named_by_its_path_runs_like_the_task_itself(db: None) -> None:
    with transaction.atomic():
        enqueue_after_commit(PATH, "by path")
    assert RUNS == [("by path", False)]
    assert resolve(PATH) is note


def test_a_wrong_task_path_fails_inside_the_action_not_in_the_worker(db: None) -> None:
    with pytest.raises(ImportError), transaction.atomic():
        make_organisation("zuiddorp")
        enqueue_after_commit("tests.core.example_tasks.missing", "x")
    assert not Organisation.objects.filter(slug="zuiddorp").exists()
    with pytest.raises(TypeError, match="not a task"):
        enqueue_after_commit("tests.core.example_tasks.not_a_task")
    assert example_tasks.not_a_task  # the name exists; it is just not a task


def test_arguments_the_database_backend_cannot_store_are_refused_at_once(db: None) -> None:
    with pytest.raises(TypeError, match="Unsupported type"):
        enqueue_after_commit(note, object())  # type: ignore[arg-type]
    assert RUNS == []


def test_with_the_database_backend_the_row_appears_only_after_commit(
    db: None, settings: Any
) -> None:
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():
        enqueue_after_commit(note, "queued")
        assert not DBTaskResult.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == PATH
    assert queued.args_kwargs == {"args": ["queued"], "kwargs": {}}
    assert RUNS == []  # the worker has not run yet


@pytest.fixture
def signals_kept() -> Iterator[None]:
    """The worker installs its own signal handlers; give the test process its own back."""
    kept = {
        number: signal.getsignal(number)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


# serialized_rollback: the flush afterwards leaves no content types for the browser tests to clash with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_what_was_committed(settings: Any, signals_kept: None) -> None:
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():
        make_organisation("oostwoud")
        enqueue_after_commit(note, "worker", slug="oostwoud")
    with pytest.raises(BoomError), transaction.atomic():
        enqueue_after_commit(note, "rolled back")
        raise BoomError
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload",
        "--verbosity", "0",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    assert RUNS == [("worker", True)]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
