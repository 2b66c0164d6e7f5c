"""Writing cases, and the suspensions and extensions of their terms, through the ORM.

Cases are few next to contacts (thousands a year, not millions), so they go through the ORM's
diff-and-write; every case written is measured again at once, with its intervals.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.charters.models import BatchKind, Case, Extension, Suspension
from burgerlink.charters.records.convert import to_aware
from burgerlink.charters.records.parse import CaseBatch, SuspensionBatch
from burgerlink.charters.records.remeasure import remeasure_cases
from burgerlink.charters.records.writers import OrmWriter, WriteResult
from burgerlink.core.files import Problem
from burgerlink.core.models import Organisation

# The columns of a case that the file gives (compared to tell a changed case from the same).
CASE_DATA = ["case_type", "received_at", "complete_at", "decided_at"]


def write_cases(
    organisation: Organisation,
    batch_id: int,
    cases: CaseBatch,
    extra: dict[str, Any],
    periods: set[date],
) -> WriteResult:
    """Store a chunk of cases (new, changed or unchanged by source id) and measure them.

    Suspensions and extensions that came with them replace the stored ones first; the months of
    the measured cases are added to ``periods``.
    """
    received, complete, decided = (
        to_aware(cases.received),
        to_aware(cases.complete),
        to_aware(cases.decided),
    )
    rows: list[dict[str, Any]] = [
        {
            "organisation_id": organisation.pk,
            "source_id": str(cases.source_ids[i]),
            "case_type": str(cases.case_types[i]),
            "received_at": received[i],
            "complete_at": complete[i],
            "decided_at": decided[i],
            "batch_id": batch_id,
            "period": timezone.localtime(received[i]).date().replace(day=1)
            if received[i]
            else None,
        }
        for i in range(len(cases))
    ]
    writer = OrmWriter(Case, organisation.pk, CASE_DATA)
    result = writer.write_rows(rows)
    replace_intervals(organisation, extra)
    remeasure_cases(organisation, source_ids=[row["source_id"] for row in rows], periods=periods)
    return result


def replace_intervals(organisation: Organisation, extra: dict[str, Any]) -> None:
    """Store suspensions and extensions that came with cases (API push, ZGW verlenging).

    For the cases listed in ``suspension_cases`` / ``extension_cases`` the given intervals
    replace the stored ones (an empty list removes them).
    """
    for cases_key, items_key, model in (
        ("suspension_cases", "suspensions", Suspension),
        ("extension_cases", "extension_items", Extension),
    ):
        sources = extra.get(cases_key)
        if not sources:
            continue
        stored = dict(
            Case.objects.filter(organisation=organisation, source_id__in=sources).values_list(
                "source_id", "pk"
            )
        )
        model.objects.filter(case_id__in=stored.values()).delete()
        if model is Suspension:
            Suspension.objects.bulk_create(
                Suspension(
                    organisation=organisation,
                    case_id=stored[src],
                    start=start,
                    end=end,
                    reason=reason,
                )
                for src, start, end, reason in extra.get(items_key, [])
                if src in stored
            )
        else:
            Extension.objects.bulk_create(
                Extension(
                    organisation=organisation,
                    case_id=stored[src],
                    amount=days,
                    unit="calendar_days",
                    reason=reason,
                )
                for src, days, reason in extra.get(items_key, [])
                if src in stored
            )


def write_case_intervals(
    organisation: Organisation,
    kind: str,
    items: SuspensionBatch,
    id_column: str,
    periods: set[date],
) -> tuple[WriteResult, list[Problem]]:
    """Store a file's suspensions or extensions (``kind``): they replace those of its cases.

    Returns what was written, or (writing nothing) a problem for every row whose case is not
    stored yet. The cases are measured again; their months are added to ``periods``.
    """
    ids = sorted({str(s) for s in items.source_ids})
    cases = dict(
        Case.objects.filter(organisation=organisation, source_id__in=ids).values_list(
            "source_id", "pk"
        )
    )
    unknown = [
        Problem(
            int(items.rows[i]),
            id_column,
            _("Onbekende zaak '%(id)s': importeer eerst de zaken.") % {"id": items.source_ids[i]},
        )
        for i in range(len(items))
        if str(items.source_ids[i]) not in cases
    ]
    if unknown:
        return WriteResult(), unknown
    starts, ends = to_aware(items.start), to_aware(items.end)
    case_ids = [cases[str(s)] for s in items.source_ids]
    touched = sorted(set(case_ids))
    if kind == BatchKind.SUSPENSIONS:
        # The file is the truth about the suspensions of the cases it mentions.
        Suspension.objects.filter(case_id__in=touched).delete()
        Suspension.objects.bulk_create(
            Suspension(
                organisation=organisation,
                case_id=case_ids[i],
                start=timezone.localtime(starts[i]).date(),
                end=timezone.localtime(ends[i]).date() if ends[i] else None,
                reason=str(items.reason[i] or ""),
                legal_basis=str(items.legal_basis[i] or "Awb 4:15"),
            )
            for i in range(len(items))
            if starts[i] is not None
        )
    else:
        Extension.objects.filter(case_id__in=touched).delete()
        Extension.objects.bulk_create(
            Extension(
                organisation=organisation,
                case_id=case_ids[i],
                amount=int(items.amount[i]),
                unit=str(items.unit[i]),
                reason=str(items.reason[i] or ""),
            )
            for i in range(len(items))
        )
    remeasure_cases(
        organisation,
        source_ids=[source for source, pk in cases.items() if pk in set(touched)],
        periods=periods,
    )
    return WriteResult(created=len(items)), []
