"""Core's own housekeeping jobs: old scheduler rows, task origins, heartbeats, task results."""

from __future__ import annotations

from datetime import time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burgerlink.core.schedule import ScheduledJob, register_job
from burgerlink.core.tasks import task

# Rows that only explain the recent past.
SCHEDULED_RUNS_KEPT = timedelta(days=30)
TASK_ORIGINS_KEPT = timedelta(days=2)
SILENT_WORKERS_KEPT = timedelta(days=1)
# A claim only guards a round that may run again, which happens within minutes of its worker's
# death; a month is ample and keeps the table small.
MAIL_CLAIMS_KEPT = timedelta(days=30)


@task()
def prune_operations() -> dict[str, int]:
    """Delete old scheduled runs, task origins, heartbeats, mail claims and task results."""
    from django_tasks_db.models import DBTaskResult

    from burgerlink.core.models import MailClaim, ScheduledRun, TaskOrigin, WorkerHeartbeat

    now = timezone.now()
    results = DBTaskResult.objects.finished().filter(
        finished_at__lt=now - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    )
    return {
        "scheduled_runs": ScheduledRun.objects.filter(slot__lt=now - SCHEDULED_RUNS_KEPT).delete()[
            0
        ],
        "task_origins": TaskOrigin.objects.filter(created_at__lt=now - TASK_ORIGINS_KEPT).delete()[
            0
        ],
        "heartbeats": WorkerHeartbeat.objects.filter(
            seen_at__lt=now - SILENT_WORKERS_KEPT
        ).delete()[0],
        "task_results": results.delete()[0],
        "mail_claims": MailClaim.objects.filter(claimed_at__lt=now - MAIL_CLAIMS_KEPT).delete()[0],
    }


@task()
def purge_exports() -> int:
    """Erase the files of exports whose download period has ended (EXPORT_RETENTION_DAYS)."""
    from burgerlink.core.exports.services import purge_expired_exports

    return purge_expired_exports()


def register() -> None:
    """Schedule core's housekeeping."""
    register_job(
        ScheduledJob(
            code="core.purge-exports",
            task=purge_exports,
            description=_("Bestanden van exports na EXPORT_RETENTION_DAYS dagen wissen."),
            daily_at=time(3, 30),
        )
    )
    register_job(
        ScheduledJob(
            code="core.prune-operations",
            task=prune_operations,
            description=_(
                "Oude planningsregels, hartslagen, opgeëiste berichten en taakresultaten (na "
                "TASK_RESULT_RETENTION_DAYS dagen) opruimen."
            ),
            daily_at=time(4, 10),
        )
    )
