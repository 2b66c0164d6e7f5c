"""Writes of the reporting area: the pre-aggregated compliance per norm and month."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from burgerlink.charters.models import Case, ComplianceMonth, Contact, Verdict
from burgerlink.core.models import Organisation
from burgerlink.core.pagecache import bump_data_version
from burgerlink.core.periods import month_start

RECORD_KINDS = ("contact", "case")


def record_queryset(record_kind: str) -> QuerySet[Contact] | QuerySet[Case]:
    """Return all rows of the table that holds ``record_kind`` records ("contact" or "case")."""
    if record_kind == "contact":
        return Contact.objects.all()
    if record_kind == "case":
        return Case.objects.all()
    raise ValueError(f"Unknown record kind {record_kind!r}: use 'contact' or 'case'.")


def overdue_q(now: datetime) -> Q:
    """Open records whose deadline has passed at ``now``: they count as missed."""
    return Q(verdict=Verdict.OPEN, deadline__lt=now)


def within_q(now: datetime) -> Q:
    """Open records that can still be handled in time at ``now`` (no deadline: not overdue)."""
    return Q(verdict=Verdict.OPEN) & (Q(deadline__gte=now) | Q(deadline__isnull=True))


def refresh_compliance_months(
    *,
    organisation: Organisation,
    record_kind: str,
    periods: Sequence[date] | None = None,
    now: datetime | None = None,
) -> int:
    """Recompute the ComplianceMonth rows of one record kind from its records; return rows written.

    ``periods`` are days in the months to refresh (any day of a month stands for that month);
    ``None`` refreshes every month. One GROUP BY over the records counts, per norm code and
    month, every measured record (``total``), ``met``, ``missed`` and ``open``. Open records
    already past their deadline at ``now`` (default: the moment of the call) count as missed and
    the others as open, so pages built on these rows follow the rule that an open item past its
    deadline is a missed promise; pages that must be exact to the minute count live instead.
    The rows of the refreshed months are replaced in one transaction, so readers never see a
    half-refreshed month.
    """
    records = record_queryset(record_kind)
    moment = now or timezone.now()
    months = None if periods is None else sorted({month_start(day) for day in periods})
    if months == []:
        return 0
    measured = records.filter(organisation=organisation, norm__isnull=False).exclude(
        verdict=Verdict.UNMEASURED
    )
    if months is not None:
        measured = measured.filter(period__in=months)
    overdue = overdue_q(moment)
    counts = (
        measured.order_by()
        .values("norm__code", "period")
        .annotate(
            n_total=Count("pk"),
            n_met=Count("pk", filter=Q(verdict=Verdict.MET)),
            n_missed=Count("pk", filter=Q(verdict=Verdict.MISSED) | overdue),
            n_open=Count("pk", filter=within_q(moment)),
        )
    )
    with transaction.atomic():
        # Counting inside the transaction keeps the count and the replacement together when
        # an import and a refresh of the same months run at the same time.
        rows = [
            ComplianceMonth(
                organisation=organisation,
                norm_code=row["norm__code"],
                record_kind=record_kind,
                period=row["period"],
                total=row["n_total"],
                met=row["n_met"],
                missed=row["n_missed"],
                open=row["n_open"],
            )
            for row in counts
        ]
        stale = ComplianceMonth.objects.filter(organisation=organisation, record_kind=record_kind)
        if months is not None:
            stale = stale.filter(period__in=months)
        stale.delete()
        ComplianceMonth.objects.bulk_create(rows, batch_size=1000)
        # Public pages show these figures: cached copies of them are now out of date.
        bump_data_version(organisation_id=organisation.pk)
    return len(rows)


@transaction.atomic
def add_to_compliance_months(
    *,
    organisation: Organisation,
    record_kind: str,
    counts: Mapping[tuple[str, date], tuple[int, int, int, int]],
) -> int:
    """Add counts of newly stored records to the monthly rows; return the rows touched.

    ``counts`` maps (norm code, first day of the month) to (total, met, missed, open), with open
    records past their deadline already counted as missed. Only valid when every counted record
    is new (a first import of its ids); otherwise use ``refresh_compliance_months``.
    """
    if not counts:
        return 0
    existing = {
        (row.norm_code, row.period): row
        for row in ComplianceMonth.objects.select_for_update().filter(
            organisation=organisation,
            record_kind=record_kind,
            period__in={period for _code, period in counts},
        )
    }
    created, changed = [], []
    for (code, period), (total, met, missed, open_) in counts.items():
        row = existing.get((code, period))
        if row is None:
            created.append(
                ComplianceMonth(
                    organisation=organisation,
                    norm_code=code,
                    record_kind=record_kind,
                    period=period,
                    total=total,
                    met=met,
                    missed=missed,
                    open=open_,
                )
            )
        else:
            row.total += total
            row.met += met
            row.missed += missed
            row.open += open_
            changed.append(row)
    ComplianceMonth.objects.bulk_create(created, batch_size=1000)
    ComplianceMonth.objects.bulk_update(changed, ["total", "met", "missed", "open"], batch_size=500)
    bump_data_version(organisation_id=organisation.pk)
    return len(created) + len(changed)
