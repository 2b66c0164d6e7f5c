"""Reads of charters: versions in force and the rules the compliance engine applies."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from burgerlink.charters.compliance import NormRule
from burgerlink.charters.models import (
    CalendarKind,
    CharterNorm,
    CharterVersion,
    Metric,
    VersionStatus,
)
from burgerlink.core import selectors as core_selectors
from burgerlink.core.models import Organisation


def published_versions(organisation: Organisation) -> QuerySet[CharterVersion]:
    """Return the organisation's published and superseded versions, newest first."""
    return (
        CharterVersion.objects.filter(organisation=organisation)
        .exclude(status=VersionStatus.DRAFT)
        .select_related("charter")
        .order_by("-valid_from", "-number")
    )


def version_valid_on(organisation: Organisation, day: date) -> CharterVersion | None:
    """Return the published version that governs records of ``day``, if any."""
    for version in published_versions(organisation):
        if version.is_valid_on(day):
            return version
    return None


def measured_norms(organisation: Organisation, record_kind: str) -> QuerySet[CharterNorm]:
    """Return every norm of every published version measured from ``record_kind`` records."""
    norms = CharterNorm.objects.filter(organisation=organisation).exclude(
        version__status=VersionStatus.DRAFT
    )
    measured = [
        Metric.ELAPSED_SECONDS,
        Metric.ELAPSED_MINUTES,
        Metric.WORKING_DAYS,
        Metric.CALENDAR_DAYS,
        Metric.WEEKS,
        Metric.LEGAL_TERM,
    ]
    norms = norms.filter(metric__in=measured)
    if record_kind == "contact":
        norms = norms.filter(channel__isnull=False, case_type="")
    else:
        norms = norms.exclude(case_type="")
    return norms.select_related("version")


def rules_for(
    organisation: Organisation, record_kind: str, case_type_index: dict[str, int] | None = None
) -> list[NormRule]:
    """Return the engine's rules for contacts (keyed by channel id) or cases (by case-type index).

    ``case_type_index`` maps case-type codes to the integer keys used in the case arrays; codes
    not in it get no rule. Each rule carries the calendar its norm counts on.
    """
    legal = core_selectors.legal_calendar()
    own = core_selectors.organisation_calendar(organisation)
    rules = []
    for norm in measured_norms(organisation, record_kind):
        version = norm.version
        if version.valid_from is None:
            continue
        if record_kind == "contact":
            key = norm.channel_id
        else:
            if case_type_index is None or norm.case_type not in case_type_index:
                continue
            key = case_type_index[norm.case_type]
        calendar = legal if norm.metric == Metric.LEGAL_TERM or norm.calendar == CalendarKind.LEGAL else own
        rules.append(
            NormRule(
                norm_id=norm.pk,
                key=int(key or 0),
                metric=norm.metric,
                threshold=float(norm.threshold),
                term_unit=norm.term_unit,
                calendar=calendar,
                valid_from=version.valid_from,
                valid_to=version.valid_to,
            )
        )
    return rules
