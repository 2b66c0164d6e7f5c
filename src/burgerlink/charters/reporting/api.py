"""API endpoints of the charters app's reporting area: published compliance figures."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from burgerlink.charters.reporting import selectors
from burgerlink.core import selectors as core_selectors
from burgerlink.core.api_support import error_responses, is_possible_slug
from burgerlink.core.models import Organisation
from burgerlink.core.periods import PERIOD_PATTERN, Period, parse_period

router = Router(tags=["service quality"])
PUBLIC_ERRORS = error_responses(404, 422)


class PeriodQuery(Schema):
    """The period to report on."""

    period: str = Field(
        ...,
        pattern=PERIOD_PATTERN,
        max_length=7,
        description="A year (2025), a quarter (2025-Q1) or a month (2025-03); years 1990–2199.",
        examples=["2025-Q1"],
    )

    @field_validator("period")
    @classmethod
    def is_a_period(cls, value: str) -> str:
        """Refuse months and quarters that do not exist, and years outside the calendar."""
        parse_period(value)
        return value


class PeriodOut(Schema):
    """A reporting period: start inclusive, end exclusive."""

    code: str = Field(description="2025, 2025-Q1 or 2025-03.")
    kind: str = Field(description="year, quarter or month.")
    label: str
    start: date
    end: date = Field(description="The first day after the period.")


class OrganisationRef(Schema):
    """The organisation reported on."""

    slug: str
    name: str


class NormComplianceOut(Schema):
    """One charter norm's compliance in the period."""

    code: str = Field(description="The norm's code, stable across charter versions.")
    title: str
    record_kind: str = Field(description="contact (measured per channel) or case (per case type).")
    channel: str | None = Field(description="Channel code, for norms on contacts.")
    case_type: str | None = Field(description="Case type, for norms on cases.")
    target_share: float = Field(description="Share that must meet the norm (0–1).")
    n: int = Field(description="Measured: met + missed + open past the deadline.")
    met: int
    missed: int = Field(description="Handled too late.")
    open_overdue: int = Field(description="Still open and past the deadline: counts as missed.")
    open_within: int = Field(description="Still open within the deadline: not measured yet.")
    share_met: float | None = Field(description="met / n; null when n is 0.")
    target_reached: bool | None = Field(description="share_met ≥ target_share; null when n is 0.")


class ComplianceOut(Schema):
    """An organisation's compliance with its quality charter in a period."""

    organisation: OrganisationRef
    period: PeriodOut
    generated_at: datetime = Field(description="The moment open items were judged.")
    norms: list[NormComplianceOut]


def period_out(period: Period) -> PeriodOut:
    """Describe a period for the API."""
    return PeriodOut(
        code=period.code,
        kind=period.kind,
        label=period.label_nl,
        start=period.start,
        end=period.end,
    )


def _public_organisation(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug) if is_possible_slug(slug) else None
    if organisation is None:
        raise Http404(_("Organisatie '%(slug)s' bestaat niet.") % {"slug": slug})
    return organisation


@router.get(
    "/organisations/{slug}/compliance",
    response={200: ComplianceOut, **PUBLIC_ERRORS},
)
def organisation_compliance(
    request: HttpRequest, slug: str, params: Query[PeriodQuery]
) -> ComplianceOut:
    """Per charter norm: how many promises were kept in a month, quarter or year.

    Counted from the records at the moment of the request: open items past their deadline
    count as missed.
    """
    organisation = _public_organisation(slug)
    report = selectors.compliance_report(organisation, parse_period(params.period))
    return ComplianceOut(
        organisation=OrganisationRef(slug=organisation.slug, name=organisation.name),
        period=period_out(report.period),
        generated_at=report.generated_at,
        norms=[
            NormComplianceOut(
                code=row.norm.code,
                title=row.norm.title,
                record_kind=row.norm.record_kind,
                channel=row.norm.channel_code,
                case_type=row.norm.case_type or None,
                target_share=row.norm.target_share,
                n=row.n,
                met=row.met,
                missed=row.missed,
                open_overdue=row.open_overdue,
                open_within=row.open_within,
                share_met=row.share_met,
                target_reached=row.target_reached,
            )
            for row in report.norms
        ],
    )
