"""Reads of the core app: calendars, organisations, the code, catalogues and the audit log."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.db import connections
from django.db.models import Prefetch, QuerySet

from burgerlink.core.calendar import Basis, Holiday, WorkingCalendar, build_calendar
from burgerlink.core.calendar.workdays import WEEKDAYS
from burgerlink.core.dbrouter import read_alias
from burgerlink.core.models import (
    AssessmentStatus,
    AuditEvent,
    Channel,
    ChecklistItem,
    DecreeHoliday,
    LifeEvent,
    Norm,
    NormSet,
    NormSetStatus,
    Organisation,
    SelfAssessment,
    Theme,
)
from burgerlink.core.scoring import norm_scores

# --- calendars ----------------------------------------------------------------------------


def _decree_days() -> list[Holiday]:
    return [
        Holiday(row.date, "decree", row.name_nl, row.name_en, Basis.DECREE)
        for row in DecreeHoliday.objects.all()
    ]


# The legal calendar changes only when the operator edits decree days. Each process keeps it
# for a minute (edits in this process clear it at once through a signal; other processes follow
# within the minute), so the API does not rebuild 3,000 holidays on every request.
LEGAL_CALENDAR_SECONDS = 60.0
_legal_cache: tuple[float, WorkingCalendar] | None = None


def legal_calendar() -> WorkingCalendar:
    """Return the calendar of the Algemene termijnenwet: art. 3 holidays plus decree days."""
    global _legal_cache
    now = time.monotonic()
    if _legal_cache is not None and now - _legal_cache[0] < LEGAL_CALENDAR_SECONDS:
        return _legal_cache[1]
    calendar = build_calendar(kind="legal", extra_days=_decree_days(), statutory=True)
    _legal_cache = (now, calendar)
    return calendar


def forget_legal_calendar() -> None:
    """Drop this process's cached legal calendar (after decree days change)."""
    global _legal_cache
    _legal_cache = None


def organisation_calendar(organisation: Organisation) -> WorkingCalendar:
    """Return an organisation's calendar: legal holidays, its closing days and opening hours.

    A weekday without opening hours is not a working day; an organisation that set no opening
    hours at all works Monday to Friday.
    """
    closing = [
        Holiday(
            day.date,
            "closing_day",
            day.reason or "Sluitingsdag",
            day.reason or "Closing day",
            Basis.CLOSING_DAY,
        )
        for day in organisation.closing_days.all()
    ]
    hours = {row.weekday: (row.opens, row.closes) for row in organisation.opening_hours.all()}
    weekmask = tuple(day in hours for day in range(7)) if hours else WEEKDAYS
    return build_calendar(
        kind="organisation",
        extra_days=[*_decree_days(), *closing],
        weekmask=weekmask,
        opening_hours=hours,
    )


# --- organisations ------------------------------------------------------------------------


def public_organisations() -> QuerySet[Organisation]:
    """Return the active organisations, by name."""
    return Organisation.objects.filter(is_active=True).select_related("agency").order_by("name")


_LISTING_SQL: dict[str, tuple[str, tuple[Any, ...]]] = {}


def public_organisation_rows(fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Return ``fields`` of every active organisation as plain dicts, by name.

    The open-data list is the platform's most requested page. Its query never changes, so it is
    compiled once per database and field list (compiling costs more than running it on a few
    hundred rows); the values are read straight from the cursor.
    """
    connection = connections[read_alias()]  # the replica when the request tolerates lag
    key = f"{connection.alias}:{connection.vendor}:{','.join(fields)}"
    compiled = _LISTING_SQL.get(key)
    if compiled is None:
        query = public_organisations().values(*fields).query
        sql, params = query.get_compiler(connection=connection).as_sql()
        compiled = _LISTING_SQL[key] = (sql, tuple(params))
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        return [dict(zip(fields, row, strict=True)) for row in cursor.fetchall()]


def public_organisation(slug: str) -> Organisation | None:
    """Return an active organisation by slug, or None."""
    return public_organisations().filter(slug=slug).first()


# --- the BurgerServiceCode ----------------------------------------------------------------


def current_norm_set() -> NormSet | None:
    """Return the latest published version of the code."""
    return NormSet.objects.filter(status=NormSetStatus.PUBLISHED).order_by("-published_at").first()


def norms_of(norm_set: NormSet | None) -> list[Norm]:
    """Return the norms of a version with their checklist items, in number order."""
    if norm_set is None:
        return []
    return list(
        norm_set.norms.order_by("number").prefetch_related(
            Prefetch("checklist_items", queryset=ChecklistItem.objects.order_by("position"))
        )
    )


def current_norms() -> list[Norm]:
    """Return the norms of the current version of the code."""
    return norms_of(current_norm_set())


def latest_published_assessment(organisation: Organisation) -> SelfAssessment | None:
    """Return the organisation's most recently published self-assessment."""
    return (
        organisation.self_assessments.filter(status=AssessmentStatus.PUBLISHED)
        .select_related("norm_set")
        .order_by("-published_at")
        .first()
    )


def assessment_history(organisation: Organisation) -> QuerySet[SelfAssessment]:
    """Return all self-assessments of an organisation, newest first."""
    return organisation.self_assessments.select_related("norm_set", "created_by").order_by(
        "-created_at", "-id"
    )


def assessment_scores(assessment: SelfAssessment) -> dict[int, float | None]:
    """Return the score (0–1) per norm number of a self-assessment."""
    pairs = [
        (number, answer)
        for number, answer in assessment.answers.values_list("item__norm__number", "answer")
    ]
    return norm_scores(pairs)


# --- catalogues ---------------------------------------------------------------------------


def themes_with_life_events() -> QuerySet[Theme]:
    """Return the themes with their active life events and chains, ready to render."""
    events = LifeEvent.objects.filter(is_active=True).prefetch_related("links__agency")
    return Theme.objects.prefetch_related(Prefetch("life_events", queryset=events))


def active_life_events() -> QuerySet[LifeEvent]:
    """Return active life events with theme and chain."""
    return (
        LifeEvent.objects.filter(is_active=True)
        .select_related("theme")
        .prefetch_related("links__agency")
    )


def active_channels() -> QuerySet[Channel]:
    """Return the active contact channels in display order."""
    return Channel.objects.filter(is_active=True)


# --- audit --------------------------------------------------------------------------------


def audit_events(
    organisation: Organisation, *, since: datetime | None = None
) -> QuerySet[AuditEvent]:
    """Return an organisation's audit events, newest first, optionally from a moment on."""
    events = AuditEvent.objects.filter(organisation=organisation)
    if since is not None:
        events = events.filter(at__gte=since)
    return events.order_by("-at", "-id")
