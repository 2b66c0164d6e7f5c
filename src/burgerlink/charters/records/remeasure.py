"""Measuring stored records again: after a charter version is published with a past start
date, and after a case's suspensions or extensions change.

The records are read back in blocks, measured by the compliance engine against the rules that
govern them now, and their measurement is written onto them in place (``update_measurements``).
"""

from __future__ import annotations

from datetime import UTC, date

import numpy as np
from django.db import transaction
from django.utils import timezone

from burgerlink.charters.charter.selectors import rules_for
from burgerlink.charters.compensation.services import register_missed_promises
from burgerlink.charters.compliance import measure_cases, measure_contacts
from burgerlink.charters.models import Case, Contact, Extension, Suspension
from burgerlink.charters.records.convert import to_instants
from burgerlink.charters.records.writers import update_measurements
from burgerlink.charters.reporting.services import refresh_compliance_months
from burgerlink.core.models import Organisation


def interval_days(case_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Per case: the days its term stood still (suspensions) and was extended (extensions)."""
    today = timezone.localdate()
    suspended: dict[int, int] = {}
    for case_id, start, end in Suspension.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "start", "end"
    ):
        # Awb 4:15: the term stands still from the day after the request until the day the
        # application is complete; an open suspension runs until today.
        suspended[case_id] = suspended.get(case_id, 0) + max(0, ((end or today) - start).days)
    extended: dict[int, int] = {}
    for case_id, amount, unit in Extension.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "amount", "unit"
    ):
        extended[case_id] = extended.get(case_id, 0) + amount * (7 if unit == "weeks" else 1)
    return suspended, extended


def remeasure_cases(
    organisation: Organisation,
    *,
    source_ids: list[str] | None = None,
    periods: set[date] | None = None,
    since: date | None = None,
) -> int:
    """Measure (again) the organisation's cases, or the given ones; return how many changed."""
    cases = Case.objects.filter(organisation=organisation)
    if source_ids is not None:
        cases = cases.filter(source_id__in=source_ids)
    if since is not None:
        cases = cases.filter(period__gte=since.replace(day=1))
    rows = list(cases.values_list("pk", "case_type", "received_at", "complete_at", "decided_at"))
    if not rows:
        return 0
    pks = [row[0] for row in rows]
    suspended, extended = interval_days(pks)
    types = sorted({row[1] for row in rows})
    index = {code: i for i, code in enumerate(types)}

    def instants(position: int) -> np.ndarray:
        return to_instants([r[position] for r in rows])  # type: ignore[misc]

    measured = measure_cases(
        rules_for(organisation, "case", index),
        case_type_keys=np.array([index[r[1]] for r in rows], dtype=np.int64),
        received=instants(2),
        complete=instants(3),
        decided=instants(4),
        suspended_days=np.array([suspended.get(pk, 0) for pk in pks], dtype=np.int64),
        extended_days=np.array([extended.get(pk, 0) for pk in pks], dtype=np.int64),
    )
    if periods is not None:
        periods.update(np.unique(measured.period).astype(object))
    return update_measurements(
        "charters_case",
        organisation.pk,
        pks,
        measured,
        {
            "suspended_days": [suspended.get(pk, 0) for pk in pks],
            "extended_days": [extended.get(pk, 0) for pk in pks],
        },
    )


def remeasure_contacts(organisation: Organisation, *, since: date | None = None) -> int:
    """Measure the organisation's contacts again (all, or those received from ``since`` on)."""
    rules = rules_for(organisation, "contact")
    contacts = Contact.objects.filter(organisation=organisation)
    if since is not None:
        contacts = contacts.filter(period__gte=since.replace(day=1))
    total = 0
    last = 0
    while True:
        rows = list(
            contacts.filter(pk__gt=last)
            .order_by("pk")
            .values_list(
                "pk",
                "channel_id",
                "reclassified_as_id",
                "received_at",
                "handled_at",
                "wait_seconds",
                "answered",
            )[:50_000]
        )
        if not rows:
            return total
        last = rows[-1][0]
        measured = measure_contacts(
            rules,
            channel_ids=np.array([r[2] or r[1] for r in rows], dtype=np.int64),
            received=np.array(
                [np.datetime64(r[3].astimezone(UTC).replace(tzinfo=None), "us") for r in rows]
            ),
            handled=np.array(
                [
                    np.datetime64(r[4].astimezone(UTC).replace(tzinfo=None), "us")
                    if r[4]
                    else np.datetime64("NaT")
                    for r in rows
                ],
                dtype="datetime64[us]",
            ),
            wait_seconds=np.array(
                [np.nan if r[5] is None else r[5] for r in rows], dtype=np.float64
            ),
            answered=np.array([-1 if r[6] is None else int(r[6]) for r in rows], dtype=np.int8),
        )
        update_measurements("charters_contact", organisation.pk, [r[0] for r in rows], measured)
        total += len(rows)


@transaction.atomic
def remeasure_organisation(organisation: Organisation, *, since: date) -> int:
    """Measure records from ``since`` on again, then refresh figures and the compensation ledger.

    Runs after a charter version is published with a start date in the past, so records already
    imported for those days are judged by the version that governs them.
    """
    changed = remeasure_contacts(organisation, since=since)
    changed += remeasure_cases(organisation, since=since)
    for record_kind in ("contact", "case"):
        refresh_compliance_months(organisation=organisation, record_kind=record_kind, periods=None)
        register_missed_promises(organisation=organisation, record_kind=record_kind, batch_id=None)
    return changed
