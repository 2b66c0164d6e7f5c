"""Deadline engine: vectorised working-day arithmetic against bare ``np.busday_offset``.

The legal calendar (Algemene termijnenwet holidays, statutory rules on) is built with
``build_calendar(kind="legal", statutory=True)``: pure, no database. The baseline gets the very
same holiday array and weekmask as a ready ``np.busdaycalendar`` (built outside the timing, just
as the calendar caches its own), so it is the cheapest call numpy offers for the same answer.
Before timing, each pair is checked to give identical dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np

from burgerlink.core.calendar import TermUnit, WorkingCalendar, build_calendar
from harness import Benchmark, Case, Goal

SEED = 20261129
FIRST = np.datetime64("2020-01-01", "D")
LAST = np.datetime64("2030-12-31", "D")
TERM_WEEKS = 6
WORKING_DAYS = 10


def random_dates(count: int, seed: int = SEED) -> np.ndarray:
    """Return ``count`` uniformly random ``datetime64[D]`` dates from 2020-01-01 to 2030-12-31."""
    rng = np.random.default_rng(seed)
    span = int((LAST - FIRST).astype(int)) + 1
    return FIRST + rng.integers(0, span, size=count).astype("timedelta64[D]")


def numpy_calendar(calendar: WorkingCalendar) -> np.busdaycalendar:
    """Return a bare numpy business-day calendar with the calendar's holidays and weekmask."""
    holidays = np.array(sorted(calendar.holidays), dtype="datetime64[D]")
    return np.busdaycalendar(weekmask=list(calendar.weekmask), holidays=holidays)


def _same(name: str, candidate: np.ndarray, baseline: np.ndarray) -> None:
    if not np.array_equal(candidate, baseline):
        raise RuntimeError(f"{name}: candidate and baseline disagree; the comparison is unfair")


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield the calendar benchmarks (1,000,000 dates; 100,000 with ``quick``)."""
    size = 100_000 if quick else 1_000_000
    scalar_size = 1_000 if quick else 10_000
    calendar = build_calendar(kind="legal", statutory=True)
    busdaycal = numpy_calendar(calendar)
    starts = random_dates(size)
    term = np.timedelta64(TERM_WEEKS * 7, "D")

    def term_end_v() -> np.ndarray:
        return calendar.term_end_v(starts, TERM_WEEKS, TermUnit.WEEKS)

    def term_end_numpy() -> np.ndarray:
        return np.busday_offset(starts + term, 0, roll="forward", busdaycal=busdaycal)

    # Atw art. 2 never moves a six-week term, so one roll-forward gives the same last day.
    _same("calendar.term_end_v", term_end_v(), term_end_numpy())
    yield Benchmark(
        name="calendar.term_end_v",
        measures=(
            f"WorkingCalendar.term_end_v, {size:,} random starts 2020–2030, "
            f"{TERM_WEEKS}-week statutory term (legal calendar)"
        ),
        candidate=Case("term_end_v(starts, 6, weeks)", term_end_v),
        baseline=Case("np.busday_offset(starts+42d, 0, forward)", term_end_numpy),
        goal=Goal.at_most(3.0),
        rows=size,
        unit="dates",
        memory="tracemalloc",
    )

    def add_working_days_v() -> np.ndarray:
        return calendar.add_working_days_v(starts, WORKING_DAYS)

    def add_numpy() -> np.ndarray:
        return np.busday_offset(starts, WORKING_DAYS, roll="backward", busdaycal=busdaycal)

    _same("calendar.add_working_days_v", add_working_days_v(), add_numpy())
    yield Benchmark(
        name="calendar.add_working_days_v",
        measures=(
            f"WorkingCalendar.add_working_days_v, {size:,} random starts 2020–2030, "
            f"{WORKING_DAYS} working days (legal calendar)"
        ),
        candidate=Case("add_working_days_v(starts, 10)", add_working_days_v),
        baseline=Case("np.busday_offset(starts, 10, backward)", add_numpy),
        goal=Goal.at_most(3.0),
        rows=size,
        unit="dates",
        memory="tracemalloc",
    )

    few = starts[:scalar_size]
    few_dates: list[date] = few.astype(object).tolist()

    def term_end_scalar() -> list[date]:
        return [calendar.term_end(day, TERM_WEEKS, TermUnit.WEEKS) for day in few_dates]

    def term_end_v_few() -> np.ndarray:
        return calendar.term_end_v(few, TERM_WEEKS, TermUnit.WEEKS)

    _same(
        "calendar.term_end_scalar",
        np.array(term_end_scalar(), dtype="datetime64[D]"),
        term_end_v_few(),
    )
    yield Benchmark(
        name="calendar.term_end_scalar",
        measures=(
            f"WorkingCalendar.term_end one date at a time, {scalar_size:,} dates, "
            f"{TERM_WEEKS}-week statutory term (for information)"
        ),
        candidate=Case("[term_end(d, 6, weeks) for d in dates]", term_end_scalar),
        baseline=Case("term_end_v(dates, 6, weeks)", term_end_v_few),
        rows=scalar_size,
        unit="dates",
        notes="No goal: shows the per-date cost of the scalar path next to the vectorised one.",
    )
