"""Lateness in the unit of its norm: seconds, minutes, working days, calendar days or weeks.

Pure: no queries. A record's lateness is measured in seconds (from its deadline to the moment it
was handled). People read it in the unit of the promise: a phone norm of 25 seconds is missed
by seconds, an e-mail norm of two working days by working days. Every started unit counts
(37 seconds late on a minutes norm is 1 minute). Working days are counted on the norm's own
calendar: the working days from the deadline day up to and including the day of the last late
moment (a record handled on the Saturday after a Friday deadline is 1 working day late).

The units are ``charters.models.LatenessUnit``, whose day units are ``core.calendar.TermUnit``'s
(the legal term's unit of a ``legal_term`` norm); seconds and minutes are the elapsed-time
metrics, which have no term unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import ngettext

from burgerlink.charters.models.compensation import LatenessUnit
from burgerlink.core.calendar import CalendarRangeError, TermUnit, WorkingCalendar
from burgerlink.core.numbers import format_number

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SECONDS_PER = {"seconds": 1, "minutes": 60, "calendar_days": 86_400, "weeks": 7 * 86_400}


# The metrics of a norm (``charters.models.Metric``) and the unit their lateness is read in.
METRIC_UNITS = {
    "elapsed_seconds": LatenessUnit.SECONDS,
    "elapsed_minutes": LatenessUnit.MINUTES,
    "working_days": LatenessUnit.WORKING_DAYS,
    "calendar_days": LatenessUnit.CALENDAR_DAYS,
    "weeks": LatenessUnit.WEEKS,
}


def unit_for(metric: str, term_unit: str = "") -> LatenessUnit:
    """Return the unit of a norm with this metric (and, for a legal term, this term unit)."""
    if metric == "legal_term":
        return LatenessUnit(TermUnit(term_unit or TermUnit.CALENDAR_DAYS).value)
    return METRIC_UNITS.get(metric, LatenessUnit.CALENDAR_DAYS)


def needs_calendar(unit: LatenessUnit | str) -> bool:
    """Return whether counting lateness in ``unit`` needs a working-day calendar."""
    return unit == LatenessUnit.WORKING_DAYS


def _local_date(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


@dataclass(frozen=True)
class Lateness:
    """How late a record was, in whole units (every started unit counts)."""

    amount: int
    unit: LatenessUnit

    def __str__(self) -> str:
        return format_lateness(self.amount, self.unit)


def measure_lateness(
    seconds: int | None,
    unit: LatenessUnit | str,
    *,
    deadline: datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> Lateness:
    """Return how late a record was in ``unit`` (0 when it was not late).

    Working days need the record's ``deadline`` and the norm's ``calendar``; without them (an
    entry whose record is gone) the lateness is given in started calendar days, and says so.
    """
    unit = LatenessUnit(unit)
    if not seconds or seconds <= 0:
        return Lateness(0, unit)
    if unit == LatenessUnit.WORKING_DAYS:
        if deadline is None or calendar is None:
            return measure_lateness(seconds, LatenessUnit.CALENDAR_DAYS)
        first = _local_date(deadline)
        # The last late moment is one second before the record was handled: handled exactly at
        # midnight after one late day is one day late, as ceil(seconds / day) says.
        last = _local_date(deadline + timedelta(seconds=seconds - 1))
        try:
            counted = calendar.working_days_between(first - timedelta(days=1), last)
        except CalendarRangeError:
            return measure_lateness(seconds, LatenessUnit.CALENDAR_DAYS)
        return Lateness(max(1, counted), unit)
    return Lateness(math.ceil(seconds / SECONDS_PER[unit.value]), unit)


def unit_label(unit: LatenessUnit | str) -> str:
    """Return the plural name of a unit in the active language (for column headers and files)."""
    return str(LatenessUnit(unit).label)


def format_lateness(amount: int, unit: LatenessUnit | str) -> str:
    """Return a lateness in words in the active language: 1 minuut, 3 werkdagen, 1.440 seconden."""
    shown = format_number(amount)
    unit = LatenessUnit(unit)
    if unit == LatenessUnit.SECONDS:
        text = ngettext("%(n)s seconde", "%(n)s seconden", amount)
    elif unit == LatenessUnit.MINUTES:
        text = ngettext("%(n)s minuut", "%(n)s minuten", amount)
    elif unit == LatenessUnit.WORKING_DAYS:
        text = ngettext("%(n)s werkdag", "%(n)s werkdagen", amount)
    elif unit == LatenessUnit.CALENDAR_DAYS:
        text = ngettext("%(n)s kalenderdag", "%(n)s kalenderdagen", amount)
    else:
        text = ngettext("%(n)s week", "%(n)s weken", amount)
    return text % {"n": shown}
