"""Reads of charters: versions in force, engine rules, and what pages, posters and the prize show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, QuerySet

from burgerlink.charters.charter.assessment import CharterFacts, NormFacts
from burgerlink.charters.charter.display import NormGroup, ReviewState, group_label, group_norms
from burgerlink.charters.charter.validation import AMOUNT_KINDS
from burgerlink.charters.compliance import NormRule
from burgerlink.charters.models import (
    RECORD_METRICS,
    CalendarKind,
    Case,
    Charter,
    CharterNorm,
    CharterVersion,
    CompensationKind,
    ComplianceMonth,
    Contact,
    Metric,
    ModelNorm,
    ReportedResult,
    Verdict,
    VersionStatus,
)
from burgerlink.core import selectors as core_selectors
from burgerlink.core.models import Norm, Organisation


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
    norms = norms.filter(metric__in=sorted(RECORD_METRICS))
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
        calendar = (
            legal
            if norm.metric == Metric.LEGAL_TERM or norm.calendar == CalendarKind.LEGAL
            else own
        )
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


# --- composing and showing charters -------------------------------------------------------


def charter_of(organisation: Organisation) -> Charter | None:
    """Return the organisation's charter (one per organisation), if it has one."""
    return Charter.objects.filter(organisation=organisation).order_by("pk").first()


def all_versions(organisation: Organisation) -> QuerySet[CharterVersion]:
    """Return every version, drafts included, newest number first, with its norm count."""
    return (
        CharterVersion.objects.filter(organisation=organisation)
        .select_related("charter", "published_by")
        .annotate(norm_count=Count("norms"))
        .order_by("-number")
    )


def draft_of(organisation: Organisation) -> CharterVersion | None:
    """Return the draft version being composed, if any."""
    return (
        CharterVersion.objects.filter(organisation=organisation, status=VersionStatus.DRAFT)
        .order_by("-number")
        .first()
    )


def latest_published(organisation: Organisation) -> CharterVersion | None:
    """Return the most recently published version (the one whose review is due next)."""
    return (
        CharterVersion.objects.filter(organisation=organisation, status=VersionStatus.PUBLISHED)
        .select_related("charter")
        .order_by("-valid_from", "-number")
        .first()
    )


def published_version(organisation: Organisation, number: int) -> CharterVersion | None:
    """Return a published or superseded version by its number."""
    return published_versions(organisation).filter(number=number).first()


def upcoming_version(organisation: Organisation, today: date) -> CharterVersion | None:
    """Return a published version that starts after ``today``, if one is waiting."""
    return (
        published_versions(organisation).filter(valid_from__gt=today).order_by("valid_from").first()
    )


def norms_in(version: CharterVersion) -> list[CharterNorm]:
    """Return a version's norms in their order, with channel and library norm loaded."""
    return list(version.norms.select_related("channel", "model_norm").order_by("position", "code"))


def review_state(organisation: Organisation, today: date) -> ReviewState:
    """Return when the yearly review of the latest published version is due, from ``today``."""
    latest = latest_published(organisation)
    return ReviewState(due=latest.review_due if latest else None, today=today)


def active_model_norms() -> QuerySet[ModelNorm]:
    """Return the model-norm library in channel order, then products."""
    return ModelNorm.objects.filter(is_active=True).select_related("channel")


def model_norm_usage() -> dict[int, int]:
    """Return per model norm the number of organisations with it in a published charter."""
    rows = (
        CharterNorm.objects.exclude(version__status=VersionStatus.DRAFT)
        .filter(model_norm__isnull=False)
        .values("model_norm")
        .annotate(organisations=Count("organisation", distinct=True))
    )
    return {row["model_norm"]: row["organisations"] for row in rows}


@dataclass(frozen=True)
class BscCoverage:
    """One norm of the BurgerServiceCode and the charter norms that serve it."""

    norm: Norm
    served_by: list[CharterNorm]

    @property
    def covered(self) -> bool:
        """Whether at least one promise serves this norm."""
        return bool(self.served_by)


def bsc_coverage(norms: list[CharterNorm]) -> list[BscCoverage]:
    """Return the ten norms of the current BurgerServiceCode marked covered or uncovered."""
    return [
        BscCoverage(bsc, [norm for norm in norms if bsc.number in (norm.bsc_norms or [])])
        for bsc in core_selectors.current_norms()
    ]


def poster_groups(version: CharterVersion) -> list[NormGroup]:
    """Return a version's norms per channel or product: one poster each."""
    return group_norms(norms_in(version))


def poster_group(version: CharterVersion, code: str) -> NormGroup | None:
    """Return the group of one channel code or case type, or None when it has no promises."""
    for group in poster_groups(version):
        if group.code == code:
            return group
    return None


# --- facts for the charter prize assessment -----------------------------------------------


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _measured_codes(
    organisation: Organisation, norms: list[CharterNorm], since_month: date
) -> frozenset[str]:
    """Codes with results in the window: aggregates first, then the records themselves."""
    codes = {norm.code for norm in norms}
    found = set(
        ComplianceMonth.objects.filter(
            organisation=organisation, period__gte=since_month, total__gt=0, norm_code__in=codes
        ).values_list("norm_code", flat=True)
    )
    found |= set(
        ReportedResult.objects.filter(
            organisation=organisation, period__gte=since_month, norm_code__in=codes
        ).values_list("norm_code", flat=True)
    )
    measured_verdicts = [Verdict.MET, Verdict.MISSED, Verdict.OPEN]
    for norm in norms:
        if norm.code in found or norm.record_kind == "reported":
            continue
        model = Contact if norm.record_kind == "contact" else Case
        # One EXISTS per code stops at the first row; the (organisation, period, norm) index
        # serves it, so this stays cheap with millions of records.
        if model.objects.filter(
            organisation=organisation,
            period__gte=since_month,
            norm__code=norm.code,
            verdict__in=measured_verdicts,
        ).exists():
            found.add(norm.code)
    return frozenset(found)


def _published_months(organisation: Organisation, since_month: date) -> int:
    months = set(
        ComplianceMonth.objects.filter(
            organisation=organisation, period__gte=since_month, total__gt=0
        ).values_list("period", flat=True)
    )
    months |= set(
        ReportedResult.objects.filter(
            organisation=organisation, period__gte=since_month
        ).values_list("period", flat=True)
    )
    return len({_first_of_month(month) for month in months})


def assessment_facts(organisation: Organisation, today: date) -> CharterFacts:
    """Gather what the charter prize assessment scores, for the version valid ``today``."""
    version = version_valid_on(organisation, today)
    norms = norms_in(version) if version is not None else []
    since = today - timedelta(days=365)
    since_month = _first_of_month(since)
    latest = latest_published(organisation)
    return CharterFacts(
        today=today,
        version_number=version.number if version is not None else None,
        norms=tuple(
            NormFacts(
                code=norm.code,
                group=group_label(norm),
                record_kind=norm.record_kind,
                bsc_norms=tuple(norm.bsc_norms or []),
                promise_nl=norm.promise_nl,
                promise_en=norm.promise_en,
                states_clock=bool(norm.starts_nl.strip() and norm.stops_nl.strip()),
                has_compensation=norm.compensation_kind != CompensationKind.NONE,
                compensation_text=norm.compensation_nl,
                needs_amount=norm.compensation_kind in AMOUNT_KINDS,
                has_amount=bool(norm.compensation_amount),
            )
            for norm in norms
        ),
        review_due=latest.review_due if latest is not None else None,
        measured_codes=_measured_codes(organisation, norms, since_month),
        published_months=_published_months(organisation, since_month),
    )
