"""Periods of whole months: a month ("2026-12"), a quarter ("2026-Q3") or a year ("2026").

One definition for every app that reports per period (compliance figures, reports, open data,
exports). Pure: no ORM. A period runs from its first day up to (not including) ``end``; its
last day is ``last_day``. Codes are what URLs, the API and files carry; labels are what people
read, in Dutch ("3e kwartaal 2026", "december 2026") or English ("Q3 2026", "December 2026").

Parsing refuses anything that is not exactly a code, with a reason (``PeriodError``, a
``ValueError``) that reads in the active language when it is shown: Dutch, or English on
English pages and API calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

YEAR_MIN = 1990
YEAR_MAX = 2199

PeriodKind = Literal["month", "quarter", "year"]
KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "year")

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_NL_SHORT = (
    "jan",
    "feb",
    "mrt",
    "apr",
    "mei",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)

# Anchored with \Z (not $) so that a trailing newline is refused rather than ignored; ASCII so
# that other scripts' digits (which int() would accept) are refused too.
_YEAR = re.compile(r"(\d{4})\Z", re.ASCII)
_QUARTER = re.compile(r"(\d{4})-[Qq](\d+)\Z", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})\Z", re.ASCII)

PERIOD_PATTERN = r"^\d{4}(-[Qq]\d|-\d{1,2})?$"
"""What the API documents; ``parse_period`` also checks the ranges of year, quarter and month."""


class PeriodError(ValueError):
    """A text that is not a period, or a period outside the calendar; says why.

    The reason is translated when the error is turned into text (``str``), so the same error
    reads in Dutch on a Dutch page and in English on an English one.
    """

    def __init__(self, message: str | Promise, **params: object) -> None:
        """Keep the (lazy) message and its parameters."""
        super().__init__(message, params)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        """The reason in the active language."""
        return str(self.message) % self.params


def _is_english(language: str | None) -> bool:
    return (language or "nl").startswith("en")


def _day_label(day: date, language: str | None) -> str:
    if _is_english(language):
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def add_months(day: date, months: int) -> date:
    """Return the first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_start(day: date) -> date:
    """Return the first day of the month of ``day``."""
    return day.replace(day=1)


@dataclass(frozen=True, order=True)
class Period:
    """A whole month, quarter or year: ``start`` inclusive, ``end`` exclusive."""

    start: date
    end: date
    kind: PeriodKind

    @property
    def code(self) -> str:
        """The period as written in URLs, files and the API: 2026-12, 2026-Q3 or 2026."""
        if self.kind == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year:04d}-Q{self.quarter}"
        return f"{self.start.year:04d}"

    @property
    def year(self) -> int:
        """The calendar year the period lies in."""
        return self.start.year

    @property
    def quarter(self) -> int:
        """The quarter (1–4) the period starts in."""
        return (self.start.month - 1) // 3 + 1

    @property
    def last_day(self) -> date:
        """The period's last day (``end`` is the day after it)."""
        return self.end - timedelta(days=1)

    @property
    def label_nl(self) -> str:
        """Dutch name: december 2026, 3e kwartaal 2026, 2026."""
        if self.kind == "month":
            return f"{MONTHS_NL[self.start.month - 1]} {self.year}"
        if self.kind == "quarter":
            return f"{self.quarter}e kwartaal {self.year}"
        return str(self.year)

    @property
    def label_en(self) -> str:
        """English name: December 2026, Q3 2026, 2026."""
        if self.kind == "month":
            return f"{MONTHS_EN[self.start.month - 1]} {self.year}"
        if self.kind == "quarter":
            return f"Q{self.quarter} {self.year}"
        return str(self.year)

    def label(self, language: str | None = "nl") -> str:
        """The name in ``language`` (Dutch unless it starts with 'en')."""
        return self.label_en if _is_english(language) else self.label_nl

    @property
    def short_label_nl(self) -> str:
        """A compact Dutch name for chart axes: dec 2026, K3 2026, 2026."""
        if self.kind == "month":
            return f"{MONTHS_NL_SHORT[self.start.month - 1]} {self.year}"
        if self.kind == "quarter":
            return f"K{self.quarter} {self.year}"
        return str(self.year)

    @property
    def short_label_en(self) -> str:
        """A compact English name for chart axes: Dec 2026, Q3 2026, 2026."""
        if self.kind == "month":
            return f"{MONTHS_EN[self.start.month - 1][:3]} {self.year}"
        return self.label_en

    def short_label(self, language: str | None = "nl") -> str:
        """The compact name in ``language``."""
        return self.short_label_en if _is_english(language) else self.short_label_nl

    def range_label(self, language: str | None = "nl") -> str:
        """The days it covers: "1 juli t/m 30 september 2026" or "1 July to 30 September 2026"."""
        first, last = self.start, self.last_day
        word = " to " if _is_english(language) else " t/m "
        # Say the month and year once when they are the same: "1 t/m 31 december 2026".
        if first.month == last.month and first.year == last.year:
            start = str(first.day)
        elif first.year == last.year:
            start = _day_label(first, language).rsplit(" ", 1)[0]
        else:
            start = _day_label(first, language)
        return start + word + _day_label(last, language)

    def months(self) -> list[date]:
        """The first days of the months in the period, in order."""
        return list(iter_months(self.start, self.end))

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the period."""
        return self.start <= day < self.end

    def shifted(self, steps: int) -> Period:
        """The period of the same kind ``steps`` periods later (earlier when negative)."""
        return period_of(add_months(self.start, steps * _LENGTH[self.kind]), self.kind)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return self.shifted(-1)

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        return self.shifted(1)

    def __str__(self) -> str:
        return self.code


_LENGTH: dict[PeriodKind, int] = {"month": 1, "quarter": 3, "year": 12}


def _check_year(year: int, text: str) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PeriodError(
            _("'%(text)s': het jaar moet tussen %(first)s en %(last)s liggen."),
            text=text,
            first=YEAR_MIN,
            last=YEAR_MAX,
        )


def _check_month(month: int, text: str) -> None:
    if not 1 <= month <= 12:
        raise PeriodError(_("'%(text)s': de maand moet 01 tot en met 12 zijn."), text=text)


def _check_quarter(quarter: int, text: str) -> None:
    if not 1 <= quarter <= 4:
        raise PeriodError(_("'%(text)s': het kwartaal moet Q1 tot en met Q4 zijn."), text=text)


def month_period(year: int, month: int) -> Period:
    """Return the month ``month`` (1–12) of ``year``."""
    _check_year(year, f"{year}-{month:02d}")
    _check_month(month, f"{year}-{month:02d}")
    start = date(year, month, 1)
    return Period(start=start, end=add_months(start, 1), kind="month")


def quarter_period(year: int, quarter: int) -> Period:
    """Return quarter ``quarter`` (1–4) of ``year``."""
    _check_year(year, f"{year}-Q{quarter}")
    _check_quarter(quarter, f"{year}-Q{quarter}")
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return Period(start=start, end=add_months(start, 3), kind="quarter")


def year_period(year: int) -> Period:
    """Return the calendar year ``year``."""
    _check_year(year, str(year))
    return Period(start=date(year, 1, 1), end=date(year + 1, 1, 1), kind="year")


def parse_period(text: str) -> Period:
    """Parse "2026-Q3", "2026-12" or "2026" into a Period; ``PeriodError`` says why not."""
    if not isinstance(text, str):
        raise PeriodError(
            _("Een periode is tekst zoals 2026, 2026-Q3 of 2026-12."),
        )
    shown = text if len(text) <= 20 and text.isprintable() else repr(text[:20])
    if match := _YEAR.match(text):
        year = int(match.group(1))
        _check_year(year, shown)
        return year_period(year)
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        _check_year(year, shown)
        _check_quarter(quarter, shown)
        return quarter_period(year, quarter)
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        _check_year(year, shown)
        _check_month(month, shown)
        return month_period(year, month)
    raise PeriodError(
        _(
            "'%(text)s' is geen periode: schrijf een jaar (2026), een kwartaal (2026-Q3) "
            "of een maand (2026-12)."
        ),
        text=shown,
    )


def period_of(day: date, kind: PeriodKind) -> Period:
    """Return the month, quarter or year that contains ``day``."""
    if kind == "month":
        return month_period(day.year, day.month)
    if kind == "quarter":
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year_period(day.year)
    raise ValueError(f"Unknown kind of period: {kind!r}.")


def iter_months(start: date, end: date) -> Iterator[date]:
    """Yield the first day of every month from the month of ``start`` up to ``end`` (exclusive)."""
    current = month_start(start)
    while current < end:
        yield current
        current = add_months(current, 1)


def iter_periods(kind: PeriodKind, start: date, end: date) -> Iterator[Period]:
    """Yield the periods of ``kind`` from the one containing ``start`` up to ``end`` (exclusive)."""
    current = period_of(start, kind)
    while current.start < end:
        yield current
        current = current.next()


def iter_quarters(start: date, end: date) -> Iterator[Period]:
    """Yield the quarters from the one containing ``start`` up to ``end`` (exclusive)."""
    return iter_periods("quarter", start, end)


def iter_years(start: date, end: date) -> Iterator[Period]:
    """Yield the years from the one containing ``start`` up to ``end`` (exclusive)."""
    return iter_periods("year", start, end)


def trailing(period: Period, count: int) -> list[Period]:
    """Return ``count`` periods of the same kind ending with ``period``, oldest first.

    Periods that would start before 1990 are left out.
    """
    result = []
    for steps in range(count - 1, -1, -1):
        try:
            result.append(period.shifted(-steps))
        except PeriodError:
            continue
    return result


def choices_between(first: date, last: date) -> list[Period]:
    """Years and their quarters from ``first`` to ``last``, newest first, for a period selector.

    Each year comes before its own quarters; quarters outside [first, last] are left out.
    """
    first, last = max(first, date(YEAR_MIN, 1, 1)), min(last, date(YEAR_MAX, 12, 31))
    result = []
    for year in range(last.year, first.year - 1, -1):
        result.append(year_period(year))
        for quarter in range(4, 0, -1):
            candidate = quarter_period(year, quarter)
            if candidate.start <= last and candidate.end > first:
                result.append(candidate)
    return result
