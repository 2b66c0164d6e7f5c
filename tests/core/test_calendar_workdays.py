"""Working-day arithmetic of ``WorkingCalendar``: scalar, vectorised and the Atw term rules.

The calendars here are built without the database (``build_calendar`` plus the decree pattern);
the database-backed builders are tested in ``test_calendar_selectors``. Expectations come from
brute-force oracles that walk the days one by one, and from hand-checked dates.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burgerlink.core.calendar import (
    Basis,
    CalendarRangeError,
    Holiday,
    TermUnit,
    WorkingCalendar,
    build_calendar,
    decree_pattern,
    statutory_holidays,
)

FIRST, LAST = date(1990, 1, 1), date(2100, 12, 31)
SATURDAY, SUNDAY = 5, 6

STATUTORY = {h.date for year in range(1900, 2200) for h in statutory_holidays(year)}
DECREE = [h for year in range(1990, 2101) for h in decree_pattern(year)]
CLOSING = [
    Holiday(day, "closing_day", "Sluitingsdag", "Closing day", Basis.CLOSING_DAY)
    for day in (date(2025, 12, 29), date(2026, 4, 28), date(2031, 11, 14), date(2050, 6, 3))
]
MON_FRI = (True, True, True, True, True, False, False)
TUE_SAT = (False, True, True, True, True, True, False)

LEGAL = build_calendar(kind="legal", extra_days=DECREE, statutory=True)
PLAIN = build_calendar(kind="organisation")
ORGANISATION = build_calendar(
    kind="organisation",
    extra_days=[*DECREE, *CLOSING],
    opening_hours={day: (time(9), time(17)) for day in range(1, 6)},
    weekmask=TUE_SAT,
)
CALENDARS = [LEGAL, PLAIN, ORGANISATION]
NON_WORKING = {
    id(LEGAL): STATUTORY | {h.date for h in DECREE},
    id(PLAIN): STATUTORY,
    id(ORGANISATION): STATUTORY | {h.date for h in DECREE} | {h.date for h in CLOSING},
}
WEEKMASK = {id(LEGAL): MON_FRI, id(PLAIN): MON_FRI, id(ORGANISATION): TUE_SAT}


def works(calendar: WorkingCalendar, day: date) -> bool:
    """Oracle: the weekmask and the list of days off, independent of the calendar's code."""
    return WEEKMASK[id(calendar)][day.weekday()] and day not in NON_WORKING[id(calendar)]


def count(calendar: WorkingCalendar, start: date, end: date) -> int:
    """Oracle: working days ``d`` with ``start < d <= end``."""
    return sum(
        works(calendar, start + timedelta(days=offset))
        for offset in range(1, (end - start).days + 1)
    )


def nth_after(calendar: WorkingCalendar, start: date, amount: int) -> date:
    """Oracle: the ``amount``-th working day after ``start``."""
    day = start
    while amount:
        day += timedelta(days=1)
        amount -= works(calendar, day)
    return day


def oracle_term_end(calendar: WorkingCalendar, start: date, amount: int, unit: TermUnit) -> date:
    """Oracle: the Atw (art. 1 and 2) or the roll-forward rule, walking day by day."""
    if unit is TermUnit.WORKING_DAYS:
        day = nth_after(calendar, start, amount)
        while not works(calendar, day):
            day += timedelta(days=1)
        return day
    length = amount * 7 if unit is TermUnit.WEEKS else amount
    day = start + timedelta(days=length)
    art2 = calendar.statutory and length >= 3
    while not (works(calendar, day) and (not art2 or count(calendar, start, day) >= 2)):
        day += timedelta(days=1)
    return day


def to_dates(values: np.ndarray) -> list[date]:
    return [value.item() for value in np.asarray(values, dtype="datetime64[D]")]


def as_array(days: list[date]) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]")


# --- strategies ---------------------------------------------------------------------------

any_day = st.dates(min_value=FIRST, max_value=LAST)
weekend_day = st.builds(
    lambda day, sunday: day + timedelta(days=(SATURDAY - day.weekday()) % 7 + sunday),
    any_day,
    st.integers(min_value=0, max_value=1),
)
day_off = st.sampled_from(
    sorted(
        day
        for day in STATUTORY | {h.date for h in DECREE} | {h.date for h in CLOSING}
        if FIRST <= day <= LAST
    )
)
days = st.one_of(any_day, weekend_day, day_off)
calendars = st.sampled_from(CALENDARS)
calendar_ids = ["legal", "plain", "organisation"]
small_amount = st.one_of(st.just(0), st.integers(min_value=0, max_value=250))
units = st.sampled_from(list(TermUnit))
SETTINGS = settings(max_examples=200, deadline=None)


# --- working days -------------------------------------------------------------------------


@SETTINGS
@given(calendars, days)
def test_working_day_means_weekday_of_the_mask_and_no_day_off(
    calendar: WorkingCalendar, day: date
) -> None:
    assert calendar.is_working_day(day) is works(calendar, day)


def test_weekends_and_holidays_are_not_working_days_in_the_century() -> None:
    for year in range(1990, 2101):
        for holiday in statutory_holidays(year):
            assert not LEGAL.is_working_day(holiday.date), holiday
            assert not PLAIN.is_working_day(holiday.date), holiday
        for holiday in decree_pattern(year):
            assert not LEGAL.is_working_day(holiday.date), holiday
            assert PLAIN.is_working_day(holiday.date), holiday
    day = FIRST
    while day <= date(1999, 12, 31):
        if day.weekday() >= SATURDAY:
            assert not LEGAL.is_working_day(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "legal", "plain", "organisation"),
    [
        (date(2026, 4, 2), True, True, True),  # Maundy Thursday
        (date(2026, 4, 3), False, False, False),  # Good Friday
        (date(2026, 4, 4), False, False, True),  # Saturday: the organisation works
        (date(2026, 4, 6), False, False, False),  # Easter Monday
        (date(2026, 4, 27), False, False, False),  # King's Day
        (date(2026, 4, 28), True, True, False),  # closing day of the organisation
        (date(2026, 5, 4), False, True, False),  # decree: Monday before 5 May
        (date(2026, 5, 5), False, False, False),  # Liberation Day, not a lustrum year
        (date(2026, 5, 15), False, True, False),  # decree: Friday after Ascension
        (date(2026, 6, 1), True, True, False),  # a Monday: the organisation is closed
    ],
)
def test_is_working_day_hand_checked(
    day: date, legal: bool, plain: bool, organisation: bool
) -> None:
    assert (
        LEGAL.is_working_day(day),
        PLAIN.is_working_day(day),
        ORGANISATION.is_working_day(day),
    ) == (legal, plain, organisation)


@SETTINGS
@given(calendars, days)
def test_next_working_day_is_the_first_working_day_on_or_after(
    calendar: WorkingCalendar, day: date
) -> None:
    result = calendar.next_working_day(day)
    assert result >= day
    assert works(calendar, result)
    assert not any(works(calendar, day + timedelta(days=i)) for i in range((result - day).days))


@SETTINGS
@given(calendars, days, small_amount)
def test_add_working_days_lands_on_the_nth_working_day(
    calendar: WorkingCalendar, start: date, amount: int
) -> None:
    result = calendar.add_working_days(start, amount)
    assert result == nth_after(calendar, start, amount)
    assert count(calendar, start, result) == amount
    if amount == 0:
        assert result == start
    else:
        assert result > start
        assert calendar.is_working_day(result)
        # Exactly n: one day earlier holds only n - 1.
        assert count(calendar, start, result - timedelta(days=1)) == amount - 1


@SETTINGS
@given(calendars, days, st.integers(min_value=-400, max_value=400))
def test_working_days_between_counts_the_half_open_interval(
    calendar: WorkingCalendar, start: date, offset: int
) -> None:
    end = start + timedelta(days=offset)
    result = calendar.working_days_between(start, end)
    if end >= start:
        assert result == count(calendar, start, end)
    else:
        assert result == -count(calendar, end, start)
    assert calendar.working_days_between(end, start) == -result
    assert calendar.working_days_between(start, start) == 0


@SETTINGS
@given(calendars, days, st.integers(0, 300), st.integers(0, 300))
def test_working_days_between_is_additive(
    calendar: WorkingCalendar, start: date, first: int, second: int
) -> None:
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    total = calendar.working_days_between(start, end)
    first_part = calendar.working_days_between(start, middle)
    assert total == first_part + calendar.working_days_between(middle, end)
    assert calendar.working_days_between(end, start) == -total


@SETTINGS
@given(calendars, days, small_amount)
def test_working_days_between_inverts_add_working_days(
    calendar: WorkingCalendar, start: date, amount: int
) -> None:
    end = calendar.add_working_days(start, amount)
    assert calendar.working_days_between(start, end) == amount
    assert calendar.working_days_between(end, start) == -amount


@SETTINGS
@given(calendars, days, st.integers(min_value=0, max_value=400))
def test_add_working_days_inverts_working_days_between(
    calendar: WorkingCalendar, start: date, offset: int
) -> None:
    end = start + timedelta(days=offset)
    amount = calendar.working_days_between(start, end)
    back = calendar.add_working_days(start, amount)
    # The last working day at or before ``end`` (or ``start`` when there is none).
    assert start <= back <= end
    assert calendar.working_days_between(back, end) == 0
    assert back == start or calendar.is_working_day(back)


@pytest.mark.parametrize("calendar", CALENDARS, ids=calendar_ids)
def test_add_working_days_from_a_day_off(calendar: WorkingCalendar) -> None:
    good_friday = date(2026, 4, 3)
    assert calendar.add_working_days(good_friday, 0) == good_friday
    first = calendar.add_working_days(good_friday, 1)
    assert first == calendar.next_working_day(good_friday + timedelta(days=1))


def test_working_day_arithmetic_hand_checked() -> None:
    # After Maundy Thursday 2026: Good Friday, the weekend and Easter Monday are skipped.
    assert LEGAL.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert LEGAL.add_working_days(date(2026, 4, 2), 5) == date(2026, 4, 13)
    assert LEGAL.working_days_between(date(2026, 4, 2), date(2026, 4, 13)) == 5
    assert LEGAL.working_days_between(date(2026, 4, 13), date(2026, 4, 2)) == -5
    # Around King's Day, 4 and 5 May and Ascension 2026: the decree days count as holidays.
    assert LEGAL.add_working_days(date(2026, 4, 24), 10) == date(2026, 5, 13)
    assert PLAIN.add_working_days(date(2026, 4, 24), 10) == date(2026, 5, 12)
    assert LEGAL.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
    assert PLAIN.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    # The whole of 2026: 365 days, 104 weekend days, 8 holidays on weekdays, 3 decree days.
    assert PLAIN.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 253
    assert LEGAL.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 250
    assert LEGAL.next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)
    assert LEGAL.next_working_day(date(2026, 4, 7)) == date(2026, 4, 7)
    assert ORGANISATION.next_working_day(date(2026, 4, 26)) == date(2026, 4, 29)


# --- terms --------------------------------------------------------------------------------


@SETTINGS
@given(calendars, days, small_amount, units)
def test_term_end_matches_the_day_by_day_oracle(
    calendar: WorkingCalendar, start: date, amount: int, unit: TermUnit
) -> None:
    amount = amount // 7 if unit is TermUnit.WEEKS else amount
    assert calendar.term_end(start, amount, unit) == oracle_term_end(calendar, start, amount, unit)


@SETTINGS
@given(days, small_amount, st.sampled_from([TermUnit.CALENDAR_DAYS, TermUnit.WEEKS]))
def test_statutory_term_end_follows_atw_art_1_and_2(
    start: date, amount: int, unit: TermUnit
) -> None:
    amount = amount // 7 if unit is TermUnit.WEEKS else amount
    length = amount * 7 if unit is TermUnit.WEEKS else amount
    nominal = start + timedelta(days=length)
    result = LEGAL.term_end(start, amount, str(unit))

    assert LEGAL.is_working_day(result)
    assert result >= nominal
    if length >= 3:
        # Art. 2: the term holds at least two working days, and no earlier end would.
        assert LEGAL.working_days_between(start, result) >= 2
    # Art. 1 (and art. 2 only where needed): every earlier candidate fails a rule.
    for offset in range((result - nominal).days):
        day = nominal + timedelta(days=offset)
        art2_needs_more = length >= 3 and LEGAL.working_days_between(start, day) < 2
        assert not LEGAL.is_working_day(day) or art2_needs_more, day
    if length < 3:
        assert result == LEGAL.next_working_day(nominal)


@SETTINGS
@given(st.sampled_from([PLAIN, ORGANISATION]), days, small_amount)
def test_organisation_term_end_only_rolls_forward(
    calendar: WorkingCalendar, start: date, amount: int
) -> None:
    nominal = start + timedelta(days=amount)
    assert calendar.term_end(start, amount, TermUnit.CALENDAR_DAYS) == (
        calendar.next_working_day(nominal)
    )
    assert calendar.term_end(start, amount // 7, TermUnit.WEEKS) == (
        calendar.next_working_day(start + timedelta(weeks=amount // 7))
    )


@SETTINGS
@given(calendars, days, small_amount)
def test_working_day_terms_end_on_a_working_day(
    calendar: WorkingCalendar, start: date, amount: int
) -> None:
    result = calendar.term_end(start, amount, TermUnit.WORKING_DAYS)
    assert calendar.is_working_day(result)
    assert result == calendar.next_working_day(calendar.add_working_days(start, amount))
    if amount:
        assert result == calendar.add_working_days(start, amount)


@pytest.mark.parametrize(
    ("start", "amount", "unit", "legal", "plain"),
    [
        # Thursday before Easter: Good Friday, weekend, Easter Monday; art. 2 needs Tue + Wed.
        (date(2026, 4, 2), 3, TermUnit.CALENDAR_DAYS, date(2026, 4, 8), date(2026, 4, 7)),
        # Christmas 2025 on Thursday and Friday: nominal Saturday 27th; art. 2 needs Mon + Tue.
        (date(2025, 12, 24), 3, TermUnit.CALENDAR_DAYS, date(2025, 12, 30), date(2025, 12, 29)),
        # Christmas 2026 on Friday and Saturday: nominal Sunday 27th.
        (date(2026, 12, 24), 3, TermUnit.CALENDAR_DAYS, date(2026, 12, 29), date(2026, 12, 28)),
        # Ascension 2026 (Thursday 14 May) plus the decree Friday: nominal Saturday 16th.
        (date(2026, 5, 13), 3, TermUnit.CALENDAR_DAYS, date(2026, 5, 19), date(2026, 5, 18)),
        # Two days: art. 2 does not apply, only the roll-forward.
        (date(2026, 5, 13), 2, TermUnit.CALENDAR_DAYS, date(2026, 5, 18), date(2026, 5, 15)),
        # A plain week: Monday + 3 is Thursday, nothing to extend.
        (date(2026, 3, 2), 3, TermUnit.CALENDAR_DAYS, date(2026, 3, 5), date(2026, 3, 5)),
        # Thursday + 3 is Sunday: Friday and Monday are two working days, so just art. 1.
        (date(2026, 3, 5), 3, TermUnit.CALENDAR_DAYS, date(2026, 3, 9), date(2026, 3, 9)),
        # Friday + 1 day is Saturday; Monday is King's Day 2026.
        (date(2026, 4, 24), 1, TermUnit.CALENDAR_DAYS, date(2026, 4, 28), date(2026, 4, 28)),
        # Six weeks from 19 December 2025 is Friday 30 January 2026, a working day.
        (date(2025, 12, 19), 6, TermUnit.WEEKS, date(2026, 1, 30), date(2026, 1, 30)),
        # Two weeks from 19 December 2025 is 2 January 2026, a decree day for the law.
        (date(2025, 12, 19), 2, TermUnit.WEEKS, date(2026, 1, 5), date(2026, 1, 2)),
        # Six weeks from 26 March 2026 is 7 May 2026 (Thursday): a plain working day.
        (date(2026, 3, 26), 6, TermUnit.WEEKS, date(2026, 5, 7), date(2026, 5, 7)),
        # Eight weeks from 19 March 2026 is Ascension Day: Friday is a decree day.
        (date(2026, 3, 19), 8, TermUnit.WEEKS, date(2026, 5, 18), date(2026, 5, 15)),
        # Working days: the n-th working day after the start.
        (date(2026, 4, 2), 5, TermUnit.WORKING_DAYS, date(2026, 4, 13), date(2026, 4, 13)),
        (date(2026, 4, 24), 10, TermUnit.WORKING_DAYS, date(2026, 5, 13), date(2026, 5, 12)),
        # A term of nothing that starts on Easter Saturday ends on the next working day.
        (date(2026, 4, 4), 0, TermUnit.CALENDAR_DAYS, date(2026, 4, 7), date(2026, 4, 7)),
        (date(2026, 4, 4), 0, TermUnit.WORKING_DAYS, date(2026, 4, 7), date(2026, 4, 7)),
        (date(2026, 4, 2), 0, TermUnit.WORKING_DAYS, date(2026, 4, 2), date(2026, 4, 2)),
    ],
)
def test_term_end_hand_checked(
    start: date, amount: int, unit: TermUnit, legal: date, plain: date
) -> None:
    assert LEGAL.term_end(start, amount, unit) == legal
    assert PLAIN.term_end(start, amount, unit.value) == plain


def test_organisation_term_skips_its_closing_days_and_closed_weekdays() -> None:
    # Friday 24 April 2026 + 1: Saturday is open for this organisation.
    assert ORGANISATION.term_end(date(2026, 4, 24), 1, TermUnit.CALENDAR_DAYS) == date(2026, 4, 25)
    # Saturday + 1 = Sunday; Monday is King's Day and closed anyway, Tuesday 28 a closing day.
    assert ORGANISATION.term_end(date(2026, 4, 25), 1, TermUnit.CALENDAR_DAYS) == date(2026, 4, 29)
    # Not statutory: no art. 2 extension even when the term holds no working day.
    assert not ORGANISATION.statutory
    assert ORGANISATION.term_end(date(2026, 4, 2), 3, TermUnit.CALENDAR_DAYS) == date(2026, 4, 7)


# --- vectorised ---------------------------------------------------------------------------

day_arrays = st.lists(days, min_size=1, max_size=20)


@SETTINGS
@given(calendars, day_arrays)
def test_vectorised_is_and_next_working_day_agree_with_scalar(
    calendar: WorkingCalendar, sample: list[date]
) -> None:
    array = as_array(sample)
    flags = calendar.is_working_day_v(array)
    assert flags.dtype == np.bool_
    assert flags.tolist() == [calendar.is_working_day(day) for day in sample]
    assert to_dates(calendar.next_working_day_v(array)) == [
        calendar.next_working_day(day) for day in sample
    ]


@SETTINGS
@given(calendars, st.lists(st.tuples(days, small_amount), min_size=1, max_size=20))
def test_vectorised_add_working_days_agrees_with_scalar(
    calendar: WorkingCalendar, pairs: list[tuple[date, int]]
) -> None:
    starts = as_array([start for start, _ in pairs])
    amounts = np.array([amount for _, amount in pairs], dtype=np.int64)
    assert to_dates(calendar.add_working_days_v(starts, amounts)) == [
        calendar.add_working_days(start, amount) for start, amount in pairs
    ]
    assert to_dates(calendar.add_working_days_v(starts, 0)) == [start for start, _ in pairs]
    assert to_dates(calendar.add_working_days_v(starts, 3)) == [
        calendar.add_working_days(start, 3) for start, _ in pairs
    ]


@SETTINGS
@given(
    calendars,
    st.lists(st.tuples(days, st.integers(min_value=-400, max_value=400)), min_size=1, max_size=20),
)
def test_vectorised_working_days_between_agrees_with_scalar(
    calendar: WorkingCalendar, pairs: list[tuple[date, int]]
) -> None:
    starts = [start for start, _ in pairs]
    ends = [start + timedelta(days=offset) for start, offset in pairs]
    result = calendar.working_days_between_v(as_array(starts), as_array(ends))
    assert result.dtype == np.int64
    assert result.tolist() == [
        calendar.working_days_between(start, end) for start, end in zip(starts, ends, strict=True)
    ]


@SETTINGS
@given(calendars, st.lists(st.tuples(days, small_amount), min_size=1, max_size=20), units)
def test_vectorised_term_end_agrees_with_scalar(
    calendar: WorkingCalendar, pairs: list[tuple[date, int]], unit: TermUnit
) -> None:
    if unit is TermUnit.WEEKS:
        pairs = [(start, amount // 7) for start, amount in pairs]
    starts = as_array([start for start, _ in pairs])
    amounts = np.array([amount for _, amount in pairs], dtype=np.int64)
    assert to_dates(calendar.term_end_v(starts, amounts, unit)) == [
        calendar.term_end(start, amount, unit) for start, amount in pairs
    ]


@pytest.mark.parametrize("calendar", CALENDARS, ids=calendar_ids)
@pytest.mark.parametrize("unit", list(TermUnit))
def test_vectorised_term_end_with_scalar_amount_and_days_off(
    calendar: WorkingCalendar, unit: TermUnit
) -> None:
    sample = [
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 4, 4),
        date(2026, 4, 5),
        date(2026, 12, 24),
        date(2025, 12, 19),
        date(2026, 5, 13),
        date(2026, 4, 28),
    ]
    for amount in (0, 1, 2, 3, 6):
        assert to_dates(calendar.term_end_v(as_array(sample), amount, str(unit))) == [
            calendar.term_end(day, amount, unit) for day in sample
        ], amount


def test_vectorised_functions_accept_empty_arrays() -> None:
    empty = np.array([], dtype="datetime64[D]")
    assert LEGAL.is_working_day_v(empty).shape == (0,)
    assert LEGAL.next_working_day_v(empty).shape == (0,)
    assert LEGAL.add_working_days_v(empty, 3).shape == (0,)
    assert LEGAL.working_days_between_v(empty, empty).shape == (0,)
    assert LEGAL.term_end_v(empty, 3, TermUnit.CALENDAR_DAYS).shape == (0,)


def test_vectorised_hand_checked() -> None:
    starts = as_array([date(2026, 4, 2), date(2026, 4, 2), date(2025, 12, 19)])
    # Thursday 2 April 2026 + 5 days is Tuesday 7 April, the only working day in the term:
    # art. 2 adds the Wednesday. 19 December 2025 + 2 days is a Sunday (too short for art. 2).
    assert to_dates(LEGAL.term_end_v(starts, np.array([3, 5, 2]), TermUnit.CALENDAR_DAYS)) == [
        date(2026, 4, 8),
        date(2026, 4, 8),
        date(2025, 12, 22),
    ]
    assert to_dates(PLAIN.term_end_v(starts, np.array([3, 5, 2]), TermUnit.CALENDAR_DAYS)) == [
        date(2026, 4, 7),
        date(2026, 4, 7),
        date(2025, 12, 22),
    ]
    assert to_dates(LEGAL.term_end_v(starts, np.array([0, 1, 2]), TermUnit.WEEKS)) == [
        date(2026, 4, 2),
        date(2026, 4, 9),
        date(2026, 1, 5),
    ]


# --- errors -------------------------------------------------------------------------------

OUTSIDE = [date(1899, 12, 31), date(2200, 1, 1), date(1, 1, 1), date(9999, 12, 31)]


@pytest.mark.parametrize("day", OUTSIDE)
def test_scalar_dates_outside_the_range_raise(day: date) -> None:
    inside = date(2026, 1, 1)
    with pytest.raises(CalendarRangeError):
        LEGAL.is_working_day(day)
    with pytest.raises(CalendarRangeError):
        LEGAL.next_working_day(day)
    with pytest.raises(CalendarRangeError):
        LEGAL.add_working_days(day, 1)
    with pytest.raises(CalendarRangeError):
        LEGAL.add_working_days(day, 0)
    with pytest.raises(CalendarRangeError):
        LEGAL.working_days_between(day, inside)
    with pytest.raises(CalendarRangeError):
        LEGAL.working_days_between(inside, day)
    for unit in TermUnit:
        with pytest.raises(CalendarRangeError):
            LEGAL.term_end(day, 1, unit)
    with pytest.raises(CalendarRangeError):
        LEGAL.non_working_days(day, inside)


@pytest.mark.parametrize("day", [date(1899, 12, 31), date(2200, 1, 1)])
def test_vectorised_dates_outside_the_range_raise(day: date) -> None:
    mixed = as_array([date(2026, 1, 1), day])
    inside = as_array([date(2026, 1, 1), date(2026, 1, 2)])
    with pytest.raises(CalendarRangeError):
        LEGAL.is_working_day_v(mixed)
    with pytest.raises(CalendarRangeError):
        LEGAL.next_working_day_v(mixed)
    with pytest.raises(CalendarRangeError):
        LEGAL.add_working_days_v(mixed, 1)
    with pytest.raises(CalendarRangeError):
        LEGAL.working_days_between_v(mixed, inside)
    with pytest.raises(CalendarRangeError):
        LEGAL.working_days_between_v(inside, mixed)
    for unit in TermUnit:
        with pytest.raises(CalendarRangeError):
            LEGAL.term_end_v(mixed, 1, unit)


def test_results_past_the_range_raise_for_scalar_and_vectorised() -> None:
    near_end = date(2199, 12, 30)
    array = as_array([date(2026, 1, 1), near_end])
    with pytest.raises(CalendarRangeError):
        LEGAL.add_working_days(near_end, 5)
    with pytest.raises(CalendarRangeError):
        LEGAL.add_working_days_v(array, 5)
    for unit in TermUnit:
        with pytest.raises(CalendarRangeError):
            LEGAL.term_end(near_end, 5, unit)
        with pytest.raises(CalendarRangeError):
            LEGAL.term_end_v(array, 5, unit)


def test_range_bounds_are_inside() -> None:
    assert LEGAL.is_working_day(date(1900, 1, 2))
    assert not LEGAL.is_working_day(date(1900, 1, 1))
    assert LEGAL.is_working_day(date(2199, 12, 31))
    assert LEGAL.add_working_days(date(1900, 1, 1), 1) == date(1900, 1, 2)
    assert to_dates(LEGAL.add_working_days_v(as_array([date(1900, 1, 1)]), 1)) == [date(1900, 1, 2)]


def test_negative_amounts_raise_value_error() -> None:
    start = date(2026, 4, 2)
    array = as_array([start, start])
    with pytest.raises(ValueError, match="zero or more"):
        LEGAL.add_working_days(start, -1)
    with pytest.raises(ValueError, match="zero or more"):
        LEGAL.add_working_days_v(array, np.array([1, -1]))
    for unit in TermUnit:
        with pytest.raises(ValueError, match="zero or more"):
            LEGAL.term_end(start, -1, unit)
        with pytest.raises(ValueError, match="zero or more"):
            LEGAL.term_end_v(array, -3, unit)


def test_unknown_unit_raises_value_error() -> None:
    with pytest.raises(ValueError):
        LEGAL.term_end(date(2026, 4, 2), 3, "months")
    with pytest.raises(ValueError):
        LEGAL.term_end_v(as_array([date(2026, 4, 2)]), 3, "months")


# --- listings and hours -------------------------------------------------------------------


def test_holidays_in_year_lists_statutory_and_decree_days_in_order() -> None:
    listed = LEGAL.holidays_in_year(2026)
    expected = sorted(
        {h.date for h in statutory_holidays(2026)} | {h.date for h in decree_pattern(2026)}
    )
    assert [holiday.date for holiday in listed] == expected
    assert {h.basis for h in listed} == {Basis.ATW_ART3_LID1, Basis.ATW_ART3_LID2, Basis.DECREE}
    assert [h.date for h in PLAIN.holidays_in_year(2026)] == sorted(
        h.date for h in statutory_holidays(2026)
    )
    spring = LEGAL.non_working_days(date(2026, 4, 3), date(2026, 4, 6))
    assert [h.code for h in spring] == ["good_friday", "easter_monday"]


def test_extra_days_do_not_replace_statutory_holidays() -> None:
    clash = Holiday(date(2026, 12, 25), "closing_day", "Dicht", "Closed", Basis.CLOSING_DAY)
    calendar = build_calendar(kind="organisation", extra_days=[clash])
    assert calendar.holidays[date(2026, 12, 25)].code == "christmas_day"
    assert not calendar.is_working_day(date(2026, 12, 25))


def test_opening_on_gives_hours_only_on_working_days() -> None:
    assert ORGANISATION.opening_on(date(2026, 4, 29)) == (time(9), time(17))  # Wednesday
    assert ORGANISATION.opening_on(date(2026, 4, 25)) == (time(9), time(17))  # Saturday
    assert ORGANISATION.opening_on(date(2026, 4, 27)) is None  # King's Day
    assert ORGANISATION.opening_on(date(2026, 4, 28)) is None  # closing day
    assert ORGANISATION.opening_on(date(2026, 5, 4)) is None  # Monday: closed
    assert PLAIN.opening_on(date(2026, 5, 6)) is None  # no hours known
