"""Working-day arithmetic on a calendar, for one date or for numpy arrays of dates.

This is the single place where the platform turns a start date and a term into a last day. A
``WorkingCalendar`` is immutable and pure: it knows its non-working days and weekmask and nothing
of the database, so engines can build one and apply it to millions of dates at once.

Conventions (the Dutch way of counting terms: the day of the event itself does not count):

* ``add_working_days(start, n)`` is the n-th working day *after* ``start``.
* ``working_days_between(a, b)`` counts working days ``d`` with ``a < d <= b`` (negative when
  ``b < a``), so that ``working_days_between(a, add_working_days(a, n)) == n``.
* ``term_end(start, amount, unit)`` is the last day of a term that starts the day after
  ``start``: ``start + amount`` days or weeks, or ``amount`` working days. A *statutory* term
  follows the Algemene termijnenwet: art. 2 extends a term of three days or more until it holds
  two working days, and art. 1 moves an end on a Saturday, Sunday or holiday to the next working
  day. An organisation's own service norm only rolls forward to its next working day.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from functools import cached_property

import numpy as np
import numpy.typing as npt

from burgerlink.core.calendar.atw import (
    YEAR_MAX,
    YEAR_MIN,
    CalendarRangeError,
    Holiday,
    statutory_holidays,
)

DateArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
WEEKDAYS = (True, True, True, True, True, False, False)
ART2_WINDOW_DAYS = 14
_FIRST = date(YEAR_MIN, 1, 1)
_LAST = date(YEAR_MAX, 12, 31)


class TermUnit(StrEnum):
    """Units in which a term is expressed."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"


def check_date(day: date) -> None:
    """Raise ``CalendarRangeError`` when a date lies outside the supported years."""
    if not _FIRST <= day <= _LAST:
        raise CalendarRangeError(
            f"{day.isoformat()} is outside the supported years {YEAR_MIN}–{YEAR_MAX}."
        )


def _check_dates(days: DateArray) -> None:
    if days.size and (
        days.min() < np.datetime64(_FIRST, "D") or days.max() > np.datetime64(_LAST, "D")
    ):
        raise CalendarRangeError(f"Dates must lie within {YEAR_MIN}–{YEAR_MAX}.")


@dataclass(frozen=True)
class WorkingCalendar:
    """Non-working days plus a weekmask; optionally opening hours per weekday.

    Build one with ``legal_calendar`` or ``organisation_calendar``; override nothing, compose.
    """

    kind: str
    holidays: Mapping[date, Holiday]
    weekmask: tuple[bool, ...] = WEEKDAYS
    opening_hours: Mapping[int, tuple[time, time]] = field(default_factory=dict)
    statutory: bool = False

    @cached_property
    def _busdaycal(self) -> np.busdaycalendar:
        holidays = np.array(sorted(self.holidays), dtype="datetime64[D]")
        return np.busdaycalendar(weekmask=list(self.weekmask), holidays=holidays)

    # --- one date ---------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        """Return whether ``day`` is a working day on this calendar."""
        check_date(day)
        return self.weekmask[day.weekday()] and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """Return ``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, amount: int) -> date:
        """Return the ``amount``-th working day after ``start`` (``start`` itself for 0)."""
        if amount < 0:
            raise ValueError("amount must be zero or more")
        check_date(start)
        day = start
        remaining = amount
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days after ``start`` up to and including ``end`` (negative if reversed)."""
        check_date(start)
        check_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )

    def term_end(self, start: date, amount: int, unit: TermUnit | str) -> date:
        """Return the last day of a term of ``amount`` ``unit`` counted from the day after ``start``."""
        if amount < 0:
            raise ValueError("amount must be zero or more")
        unit = TermUnit(unit)
        check_date(start)
        if unit is TermUnit.WORKING_DAYS:
            # A term of zero working days ends on its start, rolled forward like any end (art. 1).
            return self.next_working_day(self.add_working_days(start, amount))
        length = amount * 7 if unit is TermUnit.WEEKS else amount
        end = start + timedelta(days=length)
        check_date(end)
        if self.statutory and length >= 3:
            # Atw art. 2: the term must hold at least two working days.
            end = max(end, self.add_working_days(start, 2))
        return self.next_working_day(end)

    @cached_property
    def _sorted_days(self) -> list[date]:
        return sorted(self.holidays)

    def non_working_days(self, first: date, last: date) -> list[Holiday]:
        """Return the holidays and closing days between two dates (inclusive), in date order."""
        check_date(first)
        check_date(last)
        days = self._sorted_days
        return [
            self.holidays[day]
            for day in days[bisect.bisect_left(days, first) : bisect.bisect_right(days, last)]
        ]

    def holidays_in_year(self, year: int) -> list[Holiday]:
        """Return the holidays and closing days of one year, in date order."""
        return self.non_working_days(date(year, 1, 1), date(year, 12, 31))

    # --- arrays of dates --------------------------------------------------------------------
    def is_working_day_v(self, days: DateArray) -> npt.NDArray[np.bool_]:
        """Vectorised ``is_working_day`` over an array of ``datetime64[D]``."""
        days = np.asarray(days, dtype="datetime64[D]")
        _check_dates(days)
        return np.is_busday(days, busdaycal=self._busdaycal)

    def next_working_day_v(self, days: DateArray) -> DateArray:
        """Vectorised ``next_working_day``."""
        days = np.asarray(days, dtype="datetime64[D]")
        _check_dates(days)
        result = np.busday_offset(days, 0, roll="forward", busdaycal=self._busdaycal)
        _check_dates(result)
        return result

    def add_working_days_v(self, starts: DateArray, amounts: IntArray | int) -> DateArray:
        """Vectorised ``add_working_days``; ``amounts`` is a scalar or an array like ``starts``."""
        starts = np.asarray(starts, dtype="datetime64[D]")
        amounts_arr = np.broadcast_to(np.asarray(amounts, dtype=np.int64), starts.shape)
        if (amounts_arr < 0).any():
            raise ValueError("amount must be zero or more")
        _check_dates(starts)
        # Rolling a non-working start back to the previous working day and then stepping n
        # working days lands on the n-th working day after the start.
        moved = np.busday_offset(starts, amounts_arr, roll="backward", busdaycal=self._busdaycal)
        result = np.where(amounts_arr == 0, starts, moved)
        _check_dates(result)  # like the scalar version, never step past the supported years
        return result

    def working_days_between_v(self, starts: DateArray, ends: DateArray) -> IntArray:
        """Vectorised ``working_days_between``."""
        starts = np.asarray(starts, dtype="datetime64[D]")
        ends = np.asarray(ends, dtype="datetime64[D]")
        _check_dates(starts)
        _check_dates(ends)
        one = np.timedelta64(1, "D")
        # ``np.busday_count(b, e)`` counts [b, e), but for e < b it counts (e, b] negated; so
        # count the ascending interval and apply the sign ourselves.
        low, high = np.minimum(starts, ends), np.maximum(starts, ends)
        counts = np.busday_count(low + one, high + one, busdaycal=self._busdaycal).astype(np.int64)
        return np.where(ends < starts, -counts, counts)

    def term_end_v(
        self, starts: DateArray, amounts: IntArray | int, unit: TermUnit | str
    ) -> DateArray:
        """Vectorised ``term_end``."""
        unit = TermUnit(unit)
        starts = np.asarray(starts, dtype="datetime64[D]")
        amounts_arr = np.broadcast_to(np.asarray(amounts, dtype=np.int64), starts.shape)
        if (amounts_arr < 0).any():
            raise ValueError("amount must be zero or more")
        if unit is TermUnit.WORKING_DAYS:
            return self.next_working_day_v(self.add_working_days_v(starts, amounts_arr))
        length = amounts_arr * 7 if unit is TermUnit.WEEKS else amounts_arr
        ends = starts + length.astype("timedelta64[D]")
        _check_dates(starts)
        _check_dates(ends)
        if self.statutory:
            # Art. 2 can only bite on short terms: a window of 14 days holds 10 weekdays, and no
            # run of holidays and decree days comes near eating eight of them. Checking only
            # terms shorter than that keeps long terms (weeks) at one numpy call.
            short = np.flatnonzero((length >= 3) & (length < ART2_WINDOW_DAYS))
            if short.size:
                ends = ends.copy()
                second = self.add_working_days_v(starts[short], 2)
                ends[short] = np.maximum(ends[short], second)
        return self.next_working_day_v(ends)

    # --- hours ------------------------------------------------------------------------------
    def opening_on(self, day: date) -> tuple[time, time] | None:
        """Return (opens, closes) for a working day, or None when closed all day."""
        if not self.is_working_day(day):
            return None
        return self.opening_hours.get(day.weekday())


def build_calendar(
    *,
    kind: str,
    extra_days: Iterable[Holiday] = (),
    weekmask: tuple[bool, ...] = WEEKDAYS,
    opening_hours: Mapping[int, tuple[time, time]] | None = None,
    statutory: bool = False,
) -> WorkingCalendar:
    """Compose a calendar from the Atw holidays of every supported year plus extra days."""
    days: dict[date, Holiday] = dict(_statutory_days())
    for extra in extra_days:
        days.setdefault(extra.date, extra)
    return WorkingCalendar(
        kind=kind,
        holidays=days,
        weekmask=tuple(weekmask),
        opening_hours=dict(opening_hours or {}),
        statutory=statutory,
    )


_STATUTORY_CACHE: dict[date, Holiday] = {}


def _statutory_days() -> dict[date, Holiday]:
    if not _STATUTORY_CACHE:
        for year in range(YEAR_MIN, YEAR_MAX + 1):
            for holiday in statutory_holidays(year):
                _STATUTORY_CACHE[holiday.date] = holiday
    return _STATUTORY_CACHE


__all__ = [
    "CalendarRangeError",
    "TermUnit",
    "WorkingCalendar",
    "build_calendar",
    "check_date",
]
