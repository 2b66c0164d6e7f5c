"""The scheduler: slots per job, one enqueue per slot however many schedulers run, every job."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from burgerlink.core import privacy, schedule
from burgerlink.core.models import ScheduledRun
from burgerlink.core.schedule import ScheduledJob
from burgerlink.core.tasks import task

RUNS: list[str] = []


@task()
def count_run() -> int:
    """A job for these tests: remembers that it ran."""
    RUNS.append("ran")
    return len(RUNS)


@pytest.fixture
def counting_job() -> Iterator[ScheduledJob]:
    """A registered daily job that counts its runs; removed again afterwards."""
    job = ScheduledJob(code="tests.count", task=count_run, description="test", daily_at=time(3, 0))
    saved = dict(schedule._JOBS)
    schedule._JOBS.clear()
    schedule.register_job(job)
    RUNS.clear()
    try:
        yield job
    finally:
        schedule._JOBS.clear()
        schedule._JOBS.update(saved)


def test_daily_slot_is_the_latest_local_start() -> None:
    job = ScheduledJob(code="x", task=count_run, description="", daily_at=time(3, 0))
    # 7 December, 10:00 in Amsterdam (UTC+1): today's 03:00 local, which is 02:00 UTC.
    assert job.slot(datetime(2026, 12, 7, 9, 0, tzinfo=UTC)) == datetime(
        2026, 12, 7, 2, 0, tzinfo=UTC
    )
    # 7 December, 02:30 local: still yesterday's slot.
    assert job.slot(datetime(2026, 12, 7, 1, 30, tzinfo=UTC)) == datetime(
        2026, 12, 6, 2, 0, tzinfo=UTC
    )
    # Summer time (UTC+2): 03:00 local is 01:00 UTC.
    assert job.slot(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == datetime(
        2026, 7, 1, 1, 0, tzinfo=UTC
    )


def test_interval_slots_are_aligned() -> None:
    job = ScheduledJob(code="x", task=count_run, description="", every=timedelta(minutes=15))
    assert job.slot(datetime(2026, 12, 7, 9, 44, 59, tzinfo=UTC)) == datetime(
        2026, 12, 7, 9, 30, tzinfo=UTC
    )
    assert job.slot(datetime(2026, 12, 7, 9, 45, tzinfo=UTC)) == datetime(
        2026, 12, 7, 9, 45, tzinfo=UTC
    )


def test_a_job_needs_exactly_one_kind_of_schedule() -> None:
    with pytest.raises(ValueError, match="either"):
        ScheduledJob(code="x", task=count_run, description="")
    with pytest.raises(ValueError, match="one minute"):
        ScheduledJob(code="x", task=count_run, description="", every=timedelta(seconds=5))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_in_the_same_slot_enqueue_once(counting_job: ScheduledJob) -> None:
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert schedule.run_due(now) == ["tests.count"]
    assert schedule.run_due(now + timedelta(hours=3)) == []  # same slot, another scheduler
    assert RUNS == ["ran"]
    assert ScheduledRun.objects.filter(job="tests.count").count() == 1
    # The next day is a new slot.
    assert schedule.run_due(now + timedelta(days=1)) == ["tests.count"]
    assert RUNS == ["ran", "ran"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_racing_at_the_same_moment_enqueue_once(
    counting_job: ScheduledJob,
) -> None:
    """Two threads, each with its own database connection, start the same slot together."""
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    start = threading.Barrier(2)
    queued: list[list[str]] = []

    def scheduler() -> None:
        try:
            start.wait()
            queued.append(schedule.run_due(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(queued) == [[], ["tests.count"]]
    assert RUNS == ["ran"]
    assert ScheduledRun.objects.filter(job="tests.count").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scheduler_command_once_and_list(counting_job: ScheduledJob) -> None:
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    call_command("scheduler", "--once", stdout=out)
    assert out.getvalue().count("In de wachtrij: tests.count") == 1
    assert RUNS == ["ran"]
    listed = StringIO()
    call_command("scheduler", "--list", stdout=listed)
    assert "tests.count" in listed.getvalue()
    assert "dagelijks om 03:00" in listed.getvalue()


def test_every_kind_of_personal_data_has_a_scheduled_retention_job() -> None:
    codes = {job.code for job in schedule.jobs()}
    kinds = privacy.kinds()
    assert {kind.code for kind in kinds} >= {
        "core.account",
        "core.membership",
        "core.login-failure",
        "core.audit",
        "charters.claim",
        "surveys.invitee",
    }
    missing = {kind.code: kind.retention_job for kind in kinds if kind.retention_job not in codes}
    assert missing == {}


def test_the_issue_s_scheduled_jobs_are_registered() -> None:
    codes = {job.code for job in schedule.jobs()}
    assert {
        "charters.purge-claims",
        "charters.remeasure-recent",
        "surveys.purge-samples",
        "surveys.send-reminders",
    } <= codes


@pytest.mark.django_db
def test_housekeeping_prunes_old_operations_rows_and_keeps_recent_ones() -> None:
    from burgerlink.core import notify
    from burgerlink.core.models import MailClaim, WorkerHeartbeat
    from burgerlink.core.schedule_jobs import prune_operations

    now = datetime.now(UTC)
    notify.claim(["old.round:1", "new.round:1"])
    MailClaim.objects.filter(key="old.round:1").update(claimed_at=now - timedelta(days=31))
    ScheduledRun.objects.create(job="x", slot=now - timedelta(days=31), scheduler="s")
    ScheduledRun.objects.create(job="x", slot=now, scheduler="s")
    for worker_id, seen in (("gone", now - timedelta(days=2)), ("here", now)):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname="h",
            pid=1,
            queues="default",
            started_at=seen,
            seen_at=seen,
        )
    pruned = prune_operations.call()
    assert pruned["mail_claims"] == pruned["scheduled_runs"] == pruned["heartbeats"] == 1
    assert list(MailClaim.objects.values_list("key", flat=True)) == ["new.round:1"]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["here"]
    assert ScheduledRun.objects.get().slot == now
