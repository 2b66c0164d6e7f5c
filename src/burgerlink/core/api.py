"""API of the core app: organisations, the code, catalogues, calendars, scorecard, audit log."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime, ValidationInfo, field_validator

from burgerlink.core import scorecard, selectors, services
from burgerlink.core.api_support import (
    TOKEN_OR_STAFF,
    IsoDate,
    IsoDateTime,
    actor_of,
    authorised_organisation,
    caller_of,
    error_responses,
    is_possible_slug,
)
from burgerlink.core.calendar import (
    YEAR_MAX,
    YEAR_MIN,
    CalendarRangeError,
    Holiday,
    TermUnit,
    WorkingCalendar,
    check_date,
)
from burgerlink.core.models import ApiToken, Norm, Organisation
from burgerlink.core.permissions import Perm

router = Router()
PUBLIC_ERRORS = error_responses(404, 422)
PUSH_ERRORS = error_responses(401, 403, 404, 422)
# A body that is not JSON at all is refused before validation with 400.
BODY_ERRORS = error_responses(400, 401, 403, 404, 422)

# --- schemas ------------------------------------------------------------------------------


class OrganisationOut(Schema):
    """An organisation as published."""

    slug: str
    name: str
    kind: str
    official_code: str = Field(description="CBS code (GM0363, PV27, WS0155) or OIN.")
    inhabitants: int | None
    size_class: str
    website: str
    chain_role: str | None = Field(None, description="Agency code in life-event chains.")


class ChecklistItemOut(Schema):
    """A self-assessment question."""

    position: int
    text_nl: str
    text_en: str


class NormOut(Schema):
    """One norm of the BurgerServiceCode."""

    version: str
    number: int
    code: str
    name_nl: str
    name_en: str
    right_nl: str
    right_en: str
    duty_nl: str
    duty_en: str
    category: str
    checklist: list[ChecklistItemOut]


class AgencyOut(Schema):
    """A link in a life-event chain."""

    code: str
    name_nl: str
    name_en: str
    kind: str


class LifeEventOut(Schema):
    """A life event with the chain of agencies typically involved."""

    code: str
    name_nl: str
    name_en: str
    theme: str
    theme_nl: str
    theme_en: str
    chain: list[AgencyOut]


class ChannelOut(Schema):
    """A contact channel."""

    code: str
    name_nl: str
    name_en: str


class HolidayOut(Schema):
    """A non-working day."""

    date: date
    code: str
    name_nl: str
    name_en: str
    basis: str = Field(description="atw_art3_lid1, atw_art3_lid2, decree or closing_day.")


class HolidaysOut(Schema):
    """The non-working days of a year on a calendar."""

    calendar: str
    year: int
    holidays: list[HolidayOut]


class YearQuery(Schema):
    """A year the calendar covers."""

    year: int = Field(..., ge=YEAR_MIN, le=YEAR_MAX, description="Four-digit year.")


class DeadlineQuery(Schema):
    """A term: its start event date, its length and unit."""

    start: IsoDate = Field(..., description="Date of the event that starts the term (YYYY-MM-DD).")
    amount: int = Field(..., ge=0, le=3650, description="Length of the term.")
    unit: TermUnit = Field(..., description="working_days, calendar_days or weeks.")


class DeadlineOut(Schema):
    """The last day of a term."""

    calendar: str
    start: date
    amount: int
    unit: str
    nominal_end: date = Field(description="The end before any roll-forward.")
    deadline: date = Field(description="The last day of the term.")
    rolled_forward: bool
    skipped: list[HolidayOut] = Field(
        description="Non-working days between nominal end and deadline."
    )


class RangeQuery(Schema):
    """A period of days."""

    start: IsoDate = Field(..., description="First day of the period (YYYY-MM-DD), not counted.")
    end: IsoDate = Field(..., description="Last day of the period (YYYY-MM-DD), counted.")

    @field_validator("end")
    @classmethod
    def end_not_before_start(cls, end: date, info: ValidationInfo) -> date:
        """Refuse an impossible range; the error names ``end``, the value to correct."""
        start = info.data.get("start")
        if start is None:
            return end
        if end < start:
            raise ValueError("end must not be before start")
        if (end - start).days > 366 * 20:
            raise ValueError("the range may span at most twenty years")
        return end


class WorkingDaysOut(Schema):
    """Working days in a period."""

    calendar: str
    start: date
    end: date
    working_days: int = Field(description="Working days after start up to and including end.")
    non_working_days: list[HolidayOut]


class ClosingDayIn(Schema):
    """A day the organisation is closed."""

    date: IsoDate
    reason: str = Field("", max_length=200, description="One line of text, shown to citizens.")

    @field_validator("reason")
    @classmethod
    def reason_is_one_line(cls, reason: str) -> str:
        """Refuse control characters: a NUL byte cannot even be stored in PostgreSQL."""
        if any(unicodedata.category(char) == "Cc" for char in reason):
            raise ValueError("the reason must not contain control characters or line breaks")
        return reason


class ClosingDaysIn(Schema):
    """A batch of closing days to add."""

    days: list[ClosingDayIn] = Field(..., min_length=1, max_length=366)


class ClosingDayOut(Schema):
    """A closing day as stored."""

    date: date
    reason: str


class ClosingDaysOut(Schema):
    """The closing days that were stored."""

    stored: int
    days: list[ClosingDayOut]


class EvidenceOut(Schema):
    """Evidence about one norm from one source."""

    source: str
    label: str
    score: float | None
    detail: str
    url: str
    as_of: date | None


class NormCardOut(Schema):
    """A norm on an organisation's scorecard."""

    number: int
    code: str
    name_nl: str
    name_en: str
    score: float | None = Field(description="Combined score 0–1 over the sources, if any.")
    evidence: list[EvidenceOut]


class ScorecardOut(Schema):
    """An organisation's BurgerServiceCode scorecard."""

    organisation: str
    version: str | None
    norms: list[NormCardOut]


class AuditQuery(Schema):
    """Filter for the audit log."""

    since: IsoDateTime | None = Field(
        None, description="Only events from this moment on (with time zone, ISO 8601)."
    )
    limit: int = Field(100, ge=1, le=1000)


class AuditEventOut(Schema):
    """One line of the audit log."""

    at: AwareDatetime
    actor: str
    action: str
    object_type: str
    object_id: str
    summary: str


class WhoAmIOut(Schema):
    """The caller as the API sees it."""

    kind: str
    organisation: str | None
    name: str


# --- helpers ------------------------------------------------------------------------------


def _organisation_out(organisation: Organisation) -> dict[str, Any]:
    # A plain dict: ninja validates the response once against OrganisationOut anyway.
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "official_code": organisation.official_code,
        "inhabitants": organisation.inhabitants,
        "size_class": organisation.size_class,
        "website": organisation.website,
        "chain_role": organisation.agency.code if organisation.agency else None,
    }


def _holiday_out(holiday: Holiday) -> HolidayOut:
    return HolidayOut(
        date=holiday.date,
        code=holiday.code,
        name_nl=holiday.name_nl,
        name_en=holiday.name_en,
        basis=str(holiday.basis),
    )


def _public_organisation(slug: str) -> Organisation:
    organisation = selectors.public_organisation(slug) if is_possible_slug(slug) else None
    if organisation is None:
        raise Http404(_("Organisatie '%(slug)s' bestaat niet.") % {"slug": slug})
    return organisation


def _holidays(calendar: WorkingCalendar, year: int) -> HolidaysOut:
    return HolidaysOut(
        calendar=calendar.kind,
        year=year,
        holidays=[_holiday_out(h) for h in calendar.holidays_in_year(year)],
    )


def _deadline(calendar: WorkingCalendar, query: DeadlineQuery) -> DeadlineOut:
    deadline = calendar.term_end(query.start, query.amount, query.unit)
    if query.unit is TermUnit.WORKING_DAYS:
        # Zero working days end on the start itself, which rolls forward when it is no working day.
        nominal = calendar.add_working_days(query.start, query.amount)
    else:
        days = query.amount * (7 if query.unit is TermUnit.WEEKS else 1)
        nominal = query.start + timedelta(days=days)
    skipped = calendar.non_working_days(nominal, deadline) if deadline > nominal else []
    return DeadlineOut(
        calendar=calendar.kind,
        start=query.start,
        amount=query.amount,
        unit=str(query.unit),
        nominal_end=nominal,
        deadline=deadline,
        rolled_forward=deadline != nominal,
        skipped=[_holiday_out(h) for h in skipped],
    )


def _working_days(calendar: WorkingCalendar, query: RangeQuery) -> WorkingDaysOut:
    return WorkingDaysOut(
        calendar=calendar.kind,
        start=query.start,
        end=query.end,
        working_days=calendar.working_days_between(query.start, query.end),
        non_working_days=[
            _holiday_out(h) for h in calendar.non_working_days(query.start, query.end)
        ],
    )


# --- public reads -------------------------------------------------------------------------


ORGANISATION_FIELDS = (
    "slug",
    "name",
    "kind",
    "official_code",
    "inhabitants",
    "size_class",
    "website",
)


@router.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
def list_organisations(request: HttpRequest) -> HttpResponse:
    """List the organisations on the platform."""
    # The hottest open-data list: read plain values and write the JSON directly, instead of
    # building and validating a model instance and a schema object per organisation. The shape
    # is the documented OrganisationOut (the API tests check it against the schema).
    rows = selectors.public_organisation_rows((*ORGANISATION_FIELDS, "agency__code"))
    for row in rows:
        row["chain_role"] = row.pop("agency__code")
    return JsonResponse(rows, safe=False)


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, **PUBLIC_ERRORS},
    tags=["organisations"],
)
def get_organisation(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One organisation."""
    return _organisation_out(_public_organisation(slug))


@router.get("/norms", response=list[NormOut], tags=["BurgerServiceCode"])
def list_norms(request: HttpRequest) -> list[NormOut]:
    """The ten norms of the current version of the BurgerServiceCode."""
    return [_norm_out(norm) for norm in selectors.current_norms()]


@router.get("/norms/{number}", response={200: NormOut, **PUBLIC_ERRORS}, tags=["BurgerServiceCode"])
def get_norm(request: HttpRequest, number: int) -> NormOut:
    """One norm of the current version, by number (1–10)."""
    for norm in selectors.current_norms():
        if norm.number == number:
            return _norm_out(norm)
    raise Http404(_("Norm %(number)s bestaat niet.") % {"number": number})


def _norm_out(norm: Norm) -> NormOut:
    return NormOut(
        version=norm.norm_set.version,
        number=norm.number,
        code=norm.code,
        name_nl=norm.name_nl,
        name_en=norm.name_en,
        right_nl=norm.right_nl,
        right_en=norm.right_en,
        duty_nl=norm.duty_nl,
        duty_en=norm.duty_en,
        category=norm.category,
        checklist=[
            ChecklistItemOut(position=i.position, text_nl=i.text_nl, text_en=i.text_en)
            for i in norm.checklist_items.all()
        ],
    )


@router.get("/life-events", response=list[LifeEventOut], tags=["catalogues"])
def list_life_events(request: HttpRequest) -> list[LifeEventOut]:
    """The life events with the chain of agencies typically involved."""
    return [
        LifeEventOut(
            code=event.code,
            name_nl=event.name_nl,
            name_en=event.name_en,
            theme=event.theme.code,
            theme_nl=event.theme.name_nl,
            theme_en=event.theme.name_en,
            chain=[
                AgencyOut(
                    code=link.agency.code,
                    name_nl=link.agency.name_nl,
                    name_en=link.agency.name_en,
                    kind=link.agency.kind,
                )
                for link in event.links.all()
            ],
        )
        for event in selectors.active_life_events()
    ]


@router.get("/channels", response=list[ChannelOut], tags=["catalogues"])
def list_channels(request: HttpRequest) -> list[ChannelOut]:
    """The contact channels."""
    return [
        ChannelOut(code=c.code, name_nl=c.name_nl, name_en=c.name_en)
        for c in selectors.active_channels()
    ]


@router.get(
    "/calendars/legal/holidays",
    response={200: HolidaysOut, **PUBLIC_ERRORS},
    tags=["calendars"],
)
def legal_holidays(request: HttpRequest, query: Query[YearQuery]) -> HolidaysOut:
    """Holidays of the Algemene termijnenwet in a year (art. 3 and decree days)."""
    return _holidays(selectors.legal_calendar(), query.year)


@router.get(
    "/calendars/legal/deadline",
    response={200: DeadlineOut, **PUBLIC_ERRORS},
    tags=["calendars"],
)
def legal_deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> DeadlineOut:
    """Last day of a statutory term (Atw art. 1 and 2 applied to calendar days and weeks)."""
    return _deadline(selectors.legal_calendar(), query)


@router.get(
    "/calendars/legal/working-days",
    response={200: WorkingDaysOut, **PUBLIC_ERRORS},
    tags=["calendars"],
)
def legal_working_days(request: HttpRequest, query: Query[RangeQuery]) -> WorkingDaysOut:
    """Working days on the legal calendar after start up to and including end."""
    return _working_days(selectors.legal_calendar(), query)


@router.get(
    "/organisations/{slug}/calendar/holidays",
    response={200: HolidaysOut, **PUBLIC_ERRORS},
    tags=["calendars"],
)
def organisation_holidays(request: HttpRequest, slug: str, query: Query[YearQuery]) -> HolidaysOut:
    """An organisation's non-working days in a year: legal holidays plus its closing days."""
    return _holidays(selectors.organisation_calendar(_public_organisation(slug)), query.year)


@router.get(
    "/organisations/{slug}/calendar/deadline",
    response={200: DeadlineOut, **PUBLIC_ERRORS},
    tags=["calendars"],
)
def organisation_deadline(
    request: HttpRequest, slug: str, query: Query[DeadlineQuery]
) -> DeadlineOut:
    """Last day of a service-norm term on the organisation's own calendar."""
    return _deadline(selectors.organisation_calendar(_public_organisation(slug)), query)


@router.get(
    "/organisations/{slug}/calendar/working-days",
    response={200: WorkingDaysOut, **PUBLIC_ERRORS},
    tags=["calendars"],
)
def organisation_working_days(
    request: HttpRequest, slug: str, query: Query[RangeQuery]
) -> WorkingDaysOut:
    """Working days on the organisation's calendar after start up to and including end."""
    return _working_days(selectors.organisation_calendar(_public_organisation(slug)), query)


@router.get(
    "/organisations/{slug}/scorecard",
    response={200: ScorecardOut, **PUBLIC_ERRORS},
    tags=["BurgerServiceCode"],
)
def organisation_scorecard(request: HttpRequest, slug: str) -> ScorecardOut:
    """An organisation's BurgerServiceCode scorecard with evidence from every source."""
    organisation = _public_organisation(slug)
    norm_set = selectors.current_norm_set()
    cards = scorecard.build_scorecard(organisation, selectors.norms_of(norm_set))
    return ScorecardOut(
        organisation=organisation.slug,
        version=norm_set.version if norm_set else None,
        norms=[
            NormCardOut(
                number=card.norm.number,
                code=card.norm.code,
                name_nl=card.norm.name_nl,
                name_en=card.norm.name_en,
                score=card.score,
                evidence=[
                    EvidenceOut(
                        source=e.source,
                        label=e.label,
                        score=e.score,
                        detail=e.detail,
                        url=e.url,
                        as_of=e.as_of,
                    )
                    for e in card.evidence
                ],
            )
            for card in cards
        ],
    )


# --- authenticated ------------------------------------------------------------------------


@router.get(
    "/me", response={200: WhoAmIOut, **error_responses(401)}, auth=TOKEN_OR_STAFF, tags=["auth"]
)
def who_am_i(request: HttpRequest) -> WhoAmIOut:
    """Who the API thinks you are: a token of an organisation, or a staff member."""
    caller = caller_of(request)
    if isinstance(caller, ApiToken):
        return WhoAmIOut(kind="token", organisation=caller.organisation.slug, name=caller.name)
    return WhoAmIOut(kind="staff", organisation=None, name=caller.get_username())


@router.post(
    "/organisations/{slug}/calendar/closing-days",
    response={201: ClosingDaysOut, **BODY_ERRORS},
    auth=TOKEN_OR_STAFF,
    tags=["calendars"],
)
def push_closing_days(
    request: HttpRequest, slug: str, payload: ClosingDaysIn
) -> Status[ClosingDaysOut]:
    """Add closing days to an organisation's calendar (idempotent per date)."""
    organisation = authorised_organisation(request, slug, Perm.MANAGE_CALENDAR)
    seen: set[date] = set()
    for index, day in enumerate(payload.days):
        field = f"body.days.{index}.date"  # named like the schema errors of the same body
        if day.date in seen:
            raise ValidationError({field: _("Deze datum staat er twee keer in.")})
        seen.add(day.date)
        try:
            check_date(day.date)
        except CalendarRangeError as exc:
            raise ValidationError({field: str(exc)}) from exc
    user, label = actor_of(request)
    stored = services.add_closing_days(
        organisation=organisation,
        days=[(d.date, d.reason) for d in payload.days],
        by=user,
        by_label=label,
    )
    return Status(
        201,
        ClosingDaysOut(
            stored=len(stored),
            days=[ClosingDayOut(date=c.date, reason=c.reason) for c in stored],
        ),
    )


@router.get(
    "/organisations/{slug}/audit",
    response={200: list[AuditEventOut], **PUSH_ERRORS},
    auth=TOKEN_OR_STAFF,
    tags=["auth"],
)
def organisation_audit(
    request: HttpRequest, slug: str, query: Query[AuditQuery]
) -> list[AuditEventOut]:
    """The organisation's audit log, newest first."""
    organisation = authorised_organisation(request, slug, Perm.VIEW_AUDIT_LOG)
    events = selectors.audit_events(organisation, since=query.since)[: query.limit]
    return [
        AuditEventOut(
            at=e.at,
            actor=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            summary=e.summary,
        )
        for e in events
    ]
