"""Liveness of ``burgerlink db_worker`` processes: heartbeats, and tasks of workers that died.

Each worker process keeps one ``WorkerHeartbeat`` row fresh from a small thread, every
``WORKER_HEARTBEAT_INTERVAL`` seconds, also while a long task runs. Readiness (``/gezond/klaar``)
asks for one younger than ``WORKER_HEARTBEAT_MAX_AGE``. A task still marked running by a worker
whose heartbeat stopped (killed, or its machine gone) is put back in the queue by the next
heartbeat of any live worker, so another one takes it up; the task bodies are written to be run
again (they claim their rows and record what was sent).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

logger = logging.getLogger("burgerlink.workers")


def beat(*, worker_id: str, queues: str, started_at: datetime) -> None:
    """Write this process's heartbeat (creating its row the first time)."""
    from burgerlink.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "queues": queues[:200],
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def orphan_threshold() -> timedelta:
    """How long a heartbeat must be silent before its running tasks count as orphaned.

    Twice the readiness age, so that a worker that is merely slow to beat (or a clock a little
    off on another machine) never loses its task.
    """
    return timedelta(seconds=2 * max(settings.WORKER_HEARTBEAT_MAX_AGE, 1))


def requeue_orphaned_tasks(now: datetime | None = None) -> int:
    """Put running tasks of workers without a recent heartbeat back in the queue; return how many."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from burgerlink.core.models import WorkerHeartbeat

    now = now or timezone.now()
    silent_since = now - orphan_threshold()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=silent_since).values_list(
            "worker_id", flat=True
        )
    )
    requeued = 0
    with transaction.atomic():
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=silent_since)
            .select_for_update(skip_locked=True)
        )
        for task in running:
            owner = task.worker_ids[-1] if task.worker_ids else None
            if owner in alive:
                continue
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            logger.warning(
                "Task %s (%s) of silent worker %s put back in the queue",
                task.id,
                task.task_path,
                owner,
            )
            requeued += 1
    return requeued


def forget(worker_id: str) -> None:
    """Remove this worker's heartbeat when it stops cleanly."""
    from burgerlink.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class Heartbeat(threading.Thread):
    """A daemon thread that beats every ``WORKER_HEARTBEAT_INTERVAL`` seconds until stopped."""

    def __init__(self, *, worker_id: str, queues: str) -> None:
        super().__init__(name="burgerlink-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat_once(self) -> None:
        """One heartbeat, then requeue what dead workers left; errors are logged, not raised."""
        try:
            beat(worker_id=self.worker_id, queues=self.queues, started_at=self.started_at)
            requeue_orphaned_tasks()
        except DatabaseError:
            logger.warning("Heartbeat of worker %s not written", self.worker_id, exc_info=True)
            connection.close()  # this thread's connection; the next beat opens a fresh one

    def run(self) -> None:
        """Beat every interval until ``stop`` (the first beat is the starter's, see ``Worker``)."""
        try:
            while not self.stopped.wait(settings.WORKER_HEARTBEAT_INTERVAL):
                self.beat_once()
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop beating (the row stays until ``forget``)."""
        self.stopped.set()
