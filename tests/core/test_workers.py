"""db_worker: request ids travel into tasks, heartbeats, tasks of dead workers taken up again."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from burgerlink.core import workers
from burgerlink.core.management.commands.db_worker import Worker
from burgerlink.core.models import TaskOrigin, WorkerHeartbeat
from burgerlink.core.observability.logs import JsonFormatter

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("burgerlink")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    request_logger = logging.getLogger("burgerlink.request")
    request_level = request_logger.level
    request_logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        request_logger.setLevel(request_level)


def work_the_queue() -> None:
    """One worker in this process, until the queue is empty."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.urls("tests.core.urls_observability")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("queue")
def test_a_task_logs_under_the_id_of_the_request_that_queued_it(captured: io.StringIO) -> None:
    response = Client().post("/test/queue/", HTTP_X_REQUEST_ID="req-0000000042")
    assert response.status_code == 200
    queued = DBTaskResult.objects.get()
    assert TaskOrigin.objects.get(task_id=str(queued.id)).request_id == "req-0000000042"

    work_the_queue()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    [hello] = [line for line in lines if line["message"] == "hallo wereld"]
    assert hello["request_id"] == "req-0000000042"
    assert hello["task"] == "tests.core.jobs.say_hello"
    [access] = [line for line in lines if line["logger"] == "burgerlink.request"]
    assert access["request_id"] == "req-0000000042"
    assert not TaskOrigin.objects.exists()  # forgotten once the task finished
    assert not WorkerHeartbeat.objects.exists()  # a clean stop forgets the heartbeat


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("queue")
def test_a_running_worker_beats() -> None:
    beat = workers.Heartbeat(worker_id="w-beat", queues="default")
    beat.beat_once()
    row = WorkerHeartbeat.objects.get(worker_id="w-beat")
    assert row.queues == "default"
    first = row.seen_at
    beat.beat_once()
    assert WorkerHeartbeat.objects.get(worker_id="w-beat").seen_at >= first


def _running_task(worker_id: str, started: Any) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": ["wereld"], "kwargs": {}},
        task_path="tests.core.jobs.say_hello",
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.RUNNING,
        started_at=started,
        worker_ids=[worker_id],
    )


@pytest.mark.usefixtures("queue")
def test_tasks_of_a_silent_worker_go_back_to_the_queue(db: None, settings: Any) -> None:
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    now = timezone.now()
    long_ago = now - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="w1", pid=1, queues="default", started_at=long_ago,
        seen_at=long_ago,
    )  # fmt: skip
    WorkerHeartbeat.objects.create(
        worker_id="alive", hostname="w2", pid=2, queues="default", started_at=long_ago,
        seen_at=now,
    )  # fmt: skip
    orphan = _running_task("dead", long_ago)
    busy = _running_task("alive", long_ago)
    just_started = _running_task("dead", now)
    assert workers.requeue_orphaned_tasks(now) == 1
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY
    busy.refresh_from_db()
    assert busy.status == TaskResultStatus.RUNNING
    just_started.refresh_from_db()
    assert just_started.status == TaskResultStatus.RUNNING
