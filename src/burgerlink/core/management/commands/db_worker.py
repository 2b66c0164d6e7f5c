"""``burgerlink db_worker``: django-tasks-db's worker, with a heartbeat and request ids.

Same options as django-tasks-db's command (``--queue-name``, ``--interval``, ``--batch``, ...).
In addition the process keeps a heartbeat row fresh (readiness of the app servers asks for
one), puts back in the queue the tasks of workers that died, runs each task under the id of the
request that queued it, and writes its metrics to ``PROMETHEUS_MULTIPROC_DIR`` when that is set.
Run any number of them, on any number of machines.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from burgerlink.core import workers
from burgerlink.core.observability.tasks import task_context


class Worker(db_worker.Worker):
    """A worker that runs each task under its request id and beats while it lives."""

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        """Run one task with the queuing request's id in every log line it writes."""
        with task_context(str(db_task_result.id), db_task_result.task_path):
            super().run_task(db_task_result)

    def run(self) -> None:
        """Beat from a thread while the queue is worked; forget the heartbeat on a clean stop."""
        heartbeat = workers.Heartbeat(worker_id=self.worker_id, queues=",".join(self.queue_names))
        heartbeat.beat_once()  # at once, so readiness sees this worker from its start
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
            workers.forget(self.worker_id)


class Command(db_worker.Command):
    """Run the background worker (heartbeat, request ids, metrics)."""

    help = (
        "Voer achtergrondtaken uit (e-mail, exports, hermeten, geplande taken): draai er zoveel "
        "als nodig, op zoveel machines als nodig. Het proces meldt elke "
        "WORKER_HEARTBEAT_INTERVAL seconden een hartslag; taken van workers die stil zijn "
        "gevallen worden opnieuw in de wachtrij gezet."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        """Start one worker process (under the autoreloader when ``--reload``)."""
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False  # a batch run ends by itself; reloading it makes no sense
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
