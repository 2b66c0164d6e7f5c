"""Scheduled jobs: a registry apps add to, and the one scheduler that queues them.

An app registers a ``ScheduledJob`` (a django-tasks task without arguments, and when it is due:
daily at a local time, or every so many minutes) in its ``AppConfig.ready``; ``core`` never
imports the apps. ``burgerlink scheduler`` wakes up every half minute and queues each job whose
current slot has not been queued yet; ``burgerlink db_worker`` processes run them.

Time is cut into slots per job (one per day at ``daily_at``, or one per ``every``). Queuing a job
for a slot first inserts a ``ScheduledRun`` row with the unique key (job, slot), in the same
transaction as the task itself: when several schedulers run (one per machine, for availability),
exactly one insert succeeds and the others get an ``IntegrityError`` and skip. This works the
same on PostgreSQL and SQLite, without advisory locks. The task is queued when that row commits
(``core.tasks.enqueue_after_commit``). A scheduler that was down queues the latest missed slot
of each job once when it comes back, not every missed one.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise

from burgerlink.core.tasks import enqueue_after_commit

logger = logging.getLogger("burgerlink.scheduler")

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ScheduledJob:
    """A task (without arguments) that runs once per slot: daily at a local time, or every N."""

    code: str
    task: Any  # a django_tasks Task taking no arguments
    description: str | Promise
    daily_at: time | None = None
    every: timedelta | None = None

    def __post_init__(self) -> None:
        if (self.daily_at is None) == (self.every is None):
            raise ValueError(f"{self.code}: give either daily_at or every")
        if self.every is not None and self.every < timedelta(minutes=1):
            raise ValueError(f"{self.code}: a slot is at least one minute")

    def slot(self, now: datetime) -> datetime:
        """The start of the slot ``now`` falls in (the latest start at or before ``now``)."""
        if self.every is not None:
            steps = (now - EPOCH) // self.every
            return EPOCH + steps * self.every
        assert self.daily_at is not None  # noqa: S101 - checked in __post_init__
        zone = ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(zone)
        start = datetime.combine(local.date(), self.daily_at, tzinfo=zone)
        if start > local:
            start = datetime.combine(local.date() - timedelta(days=1), self.daily_at, tzinfo=zone)
        return start.astimezone(UTC)

    def when(self) -> str:
        """When the job runs, in words (for ``burgerlink scheduler --list`` and the docs)."""
        if self.daily_at is not None:
            return f"dagelijks om {self.daily_at:%H:%M}"
        assert self.every is not None  # noqa: S101
        return f"elke {int(self.every.total_seconds() // 60)} minuten"


_JOBS: dict[str, ScheduledJob] = {}


def register_job(job: ScheduledJob) -> None:
    """Add (or replace, by code) a scheduled job."""
    _JOBS[job.code] = job


def jobs() -> list[ScheduledJob]:
    """Every registered job, by code."""
    return [_JOBS[code] for code in sorted(_JOBS)]


def job(code: str) -> ScheduledJob:
    """One registered job (``KeyError`` when there is none by that code)."""
    return _JOBS[code]


def scheduler_name() -> str:
    """This scheduler instance: machine and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue_slot(job: ScheduledJob, slot: datetime, *, scheduler: str = "") -> bool:
    """Queue ``job`` for ``slot`` unless any scheduler already did; return whether this one did."""
    from burgerlink.core.models import ScheduledRun

    if ScheduledRun.objects.filter(job=job.code, slot=slot).exists():
        return False
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(
                job=job.code, slot=slot, scheduler=(scheduler or scheduler_name())[:300]
            )
            # Queued when the row commits, like every task here: a scheduler that loses the
            # race for the row queues nothing.
            enqueue_after_commit(job.task)
    except IntegrityError:
        return False  # another scheduler inserted the same (job, slot) first
    logger.info("Queued %s for %s", job.code, slot.isoformat(), extra={"job": job.code})
    return True


def run_due(now: datetime | None = None, *, only: Iterable[str] | None = None) -> list[str]:
    """Queue every job whose current slot is not queued yet; return the codes queued now."""
    now = now or timezone.now()
    wanted = set(only) if only is not None else None
    queued = []
    name = scheduler_name()
    for scheduled in jobs():
        if wanted is not None and scheduled.code not in wanted:
            continue
        if enqueue_slot(scheduled, scheduled.slot(now), scheduler=name):
            queued.append(scheduled.code)
    return queued
