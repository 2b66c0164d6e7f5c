"""API endpoints of the charters app's charter area: an organisation's published charter."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from burgerlink.charters.charter import display, selectors
from burgerlink.charters.models import CharterNorm
from burgerlink.core import selectors as core_selectors
from burgerlink.core.api_support import IsoDate, error_responses, is_possible_slug

router = Router(tags=["service quality"])


class CharterQuery(Schema):
    """Which version to return."""

    date: IsoDate | None = Field(
        None,
        description="Return the version valid on this day (YYYY-MM-DD); default: today.",
    )


class CompensationOut(Schema):
    """What a citizen gets when the promise is broken."""

    kind: str = Field(description="none, apology, gift, refund, amount or penalty_per_day.")
    amount: float | None = Field(description="Euros; per day for a penalty (dwangsom).")
    cap: float | None = Field(description="Highest total in euros, if capped.")
    text_nl: str
    text_en: str


class CharterNormOut(Schema):
    """One promise of a charter version."""

    id: int
    code: str = Field(description="Stable across versions, so results can be compared.")
    title: str = Field(description="Title in the request's language.")
    title_nl: str
    title_en: str
    promise_nl: str
    promise_en: str
    channel: str | None = Field(description="Channel code for promises about contacts.")
    product: str | None = Field(description="Product or case-type code for promises on cases.")
    record_kind: str = Field(description="contact, case or reported.")
    metric: str
    threshold: float
    term_unit: str | None = Field(description="Unit of a legal term.")
    target_share: float = Field(description="Share that must meet the norm, 0–1.")
    calendar: str = Field(description="legal (Algemene termijnenwet) or organisation.")
    norm_text: str = Field(description="The norm in words, in the request's language.")
    compensation: CompensationOut
    conditions_nl: str
    conditions_en: str
    bsc_norms: list[int] = Field(description="Numbers of the BurgerServiceCode norms served.")
    model_norm: str | None = Field(description="Code of the library norm it was taken from.")


class CharterOut(Schema):
    """The published version of a charter valid on a day."""

    organisation: str
    title: str
    version: int
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="Empty while no later version exists.")
    review_due: dt.date | None
    norms: list[CharterNormOut]
    bsc_covered: list[int] = Field(description="BurgerServiceCode norms at least one serves.")
    bsc_uncovered: list[int] = Field(description="BurgerServiceCode norms no promise serves.")


def _norm_out(norm: CharterNorm) -> CharterNormOut:
    return CharterNormOut(
        id=norm.pk,
        code=norm.code,
        title=norm.title,
        title_nl=norm.title_nl,
        title_en=norm.title_en,
        promise_nl=norm.promise_nl,
        promise_en=norm.promise_en,
        channel=norm.channel.code if norm.channel is not None and not norm.case_type else None,
        product=norm.case_type or None,
        record_kind=norm.record_kind,
        metric=norm.metric,
        threshold=float(norm.threshold),
        term_unit=norm.term_unit or None,
        target_share=float(norm.target_share),
        calendar=norm.calendar,
        norm_text=display.norm_label(norm),
        compensation=CompensationOut(
            kind=norm.compensation_kind,
            amount=float(norm.compensation_amount)
            if norm.compensation_amount is not None
            else None,
            cap=float(norm.compensation_cap) if norm.compensation_cap is not None else None,
            text_nl=norm.compensation_nl,
            text_en=norm.compensation_en,
        ),
        conditions_nl=norm.conditions_nl,
        conditions_en=norm.conditions_en,
        bsc_norms=list(norm.bsc_norms or []),
        model_norm=norm.model_norm.code if norm.model_norm is not None else None,
    )


@router.get(
    "/organisations/{slug}/charter",
    response={200: CharterOut, **error_responses(404, 422)},
)
def get_charter(request: HttpRequest, slug: str, query: Query[CharterQuery]) -> CharterOut:
    """An organisation's quality charter: the published version valid today or on ``date``."""
    organisation = core_selectors.public_organisation(slug) if is_possible_slug(slug) else None
    if organisation is None:
        raise Http404(_("Organisatie '%(slug)s' bestaat niet.") % {"slug": slug})
    day = query.date or timezone.localdate()
    version = selectors.version_valid_on(organisation, day)
    if version is None or version.valid_from is None:
        raise Http404(
            _("%(name)s heeft geen gepubliceerd kwaliteitshandvest dat geldt op %(date)s.")
            % {"name": organisation.name, "date": day.isoformat()}
        )
    norms = selectors.norms_in(version)
    coverage = selectors.bsc_coverage(norms)
    return CharterOut(
        organisation=organisation.slug,
        title=version.charter.title,
        version=version.number,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        review_due=version.review_due,
        norms=[_norm_out(norm) for norm in norms],
        bsc_covered=[row.norm.number for row in coverage if row.covered],
        bsc_uncovered=[row.norm.number for row in coverage if not row.covered],
    )
