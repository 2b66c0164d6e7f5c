"""The Atw holidays against the text of the law (Algemene termijnenwet art. 3) and the decrees.

The expected days are derived here from the wording of art. 3 lid 1 and 2 and from
``dateutil.easter`` (an independent Easter implementation), not from the module under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.easter import EASTER_WESTERN, easter
from hypothesis import given, settings
from hypothesis import strategies as st

from burgerlink.core.calendar import (
    YEAR_MAX,
    YEAR_MIN,
    Basis,
    CalendarRangeError,
    decree_pattern,
    easter_sunday,
    royal_birthday,
    statutory_holidays,
)

CENTURY = range(1990, 2101)
MONDAY, TUESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = 0, 1, 3, 4, 5, 6


def law_royal_birthday(year: int) -> date:
    """The day the royal birthday is celebrated, from the rule as stated (not the module)."""
    if year <= 2013:
        queens_day = date(year, 4, 30)
        return date(year, 4, 29) if queens_day.weekday() == SUNDAY else queens_day
    kings_day = date(year, 4, 27)
    return date(year, 4, 26) if kings_day.weekday() == SUNDAY else kings_day


def law_holidays(year: int) -> dict[str, date]:
    """Art. 3 lid 1 and lid 2 Atw for one year, by code."""
    easter_day = easter(year, EASTER_WESTERN)
    return {
        "new_year": date(year, 1, 1),
        "good_friday": easter_day - timedelta(days=2),
        "easter_monday": easter_day + timedelta(days=1),
        "kings_day": law_royal_birthday(year),
        "liberation_day": date(year, 5, 5),
        "ascension_day": easter_day + timedelta(days=39),
        "whit_monday": easter_day + timedelta(days=50),
        "christmas_day": date(year, 12, 25),
        "boxing_day": date(year, 12, 26),
    }


def statutory_by_code(year: int) -> dict[str, date]:
    return {holiday.code: holiday.date for holiday in statutory_holidays(year)}


# --- Easter -------------------------------------------------------------------------------


def test_easter_matches_dateutil_for_every_gregorian_year_up_to_2199() -> None:
    mismatches = [
        year for year in range(1583, 2200) if easter_sunday(year) != easter(year, EASTER_WESTERN)
    ]
    assert mismatches == []


def test_easter_is_a_sunday_between_22_march_and_25_april() -> None:
    for year in range(YEAR_MIN, YEAR_MAX + 1):
        day = easter_sunday(year)
        assert day.weekday() == SUNDAY, year
        assert date(year, 3, 22) <= day <= date(year, 4, 25), year


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2011, date(2011, 4, 24)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_hand_checked(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


# --- art. 3 lid 1 and 2 -------------------------------------------------------------------


def test_statutory_holidays_are_exactly_those_of_the_law_every_year() -> None:
    for year in CENTURY:
        expected = law_holidays(year)
        holidays = statutory_holidays(year)
        assert statutory_by_code(year) == expected, year
        assert len(holidays) == 9, year
        assert {holiday.date for holiday in holidays} == set(expected.values()), year


def test_statutory_holidays_are_sorted_in_the_year_and_carry_their_legal_basis() -> None:
    for year in CENTURY:
        holidays = statutory_holidays(year)
        dates = [holiday.date for holiday in holidays]
        assert dates == sorted(dates), year
        assert all(day.year == year for day in dates), year
        for holiday in holidays:
            expected_basis = (
                Basis.ATW_ART3_LID2 if holiday.code == "good_friday" else Basis.ATW_ART3_LID1
            )
            assert holiday.basis is expected_basis, (year, holiday.code)
            assert holiday.name_nl, holiday
            assert holiday.name_en, holiday


def test_movable_feasts_fall_on_their_weekdays() -> None:
    for year in CENTURY:
        days = statutory_by_code(year)
        assert days["good_friday"].weekday() == FRIDAY, year
        assert days["easter_monday"].weekday() == MONDAY, year
        assert days["ascension_day"].weekday() == THURSDAY, year
        assert days["whit_monday"].weekday() == MONDAY, year


def test_liberation_day_counts_every_year_not_only_in_lustrum_years() -> None:
    for year in CENTURY:
        assert date(year, 5, 5) in {holiday.date for holiday in statutory_holidays(year)}, year
    # 2026 and 2021 are not lustrum years; labour calendars leave 5 May out there.
    assert statutory_by_code(2026)["liberation_day"] == date(2026, 5, 5)
    assert statutory_by_code(2021)["liberation_day"] == date(2021, 5, 5)


def test_good_friday_is_a_holiday_by_lid_2() -> None:
    good_friday = [h for h in statutory_holidays(2026) if h.code == "good_friday"]
    assert [(h.date, h.basis) for h in good_friday] == [(date(2026, 4, 3), Basis.ATW_ART3_LID2)]


def test_ascension_day_and_liberation_day_coincide_in_2016() -> None:
    days = statutory_by_code(2016)
    assert days["ascension_day"] == days["liberation_day"] == date(2016, 5, 5)
    assert len({holiday.date for holiday in statutory_holidays(2016)}) == 8


@pytest.mark.parametrize(
    ("year", "code", "expected"),
    [
        (2026, "new_year", date(2026, 1, 1)),
        (2026, "good_friday", date(2026, 4, 3)),
        (2026, "easter_monday", date(2026, 4, 6)),
        (2026, "kings_day", date(2026, 4, 27)),
        (2026, "ascension_day", date(2026, 5, 14)),
        (2026, "whit_monday", date(2026, 5, 25)),
        (2026, "christmas_day", date(2026, 12, 25)),
        (2026, "boxing_day", date(2026, 12, 26)),
        (2025, "kings_day", date(2025, 4, 26)),
        (2025, "good_friday", date(2025, 4, 18)),
        (2025, "ascension_day", date(2025, 5, 29)),
        (2014, "kings_day", date(2014, 4, 26)),
        (2015, "kings_day", date(2015, 4, 27)),
        (2006, "kings_day", date(2006, 4, 29)),
        (2013, "kings_day", date(2013, 4, 30)),
        (1995, "kings_day", date(1995, 4, 29)),
        (2000, "kings_day", date(2000, 4, 29)),
        (2001, "kings_day", date(2001, 4, 30)),
        (1967, "kings_day", date(1967, 5, 1)),  # Juliana: a Sunday moved it to Monday
        (1951, "kings_day", date(1951, 4, 30)),
        (1930, "kings_day", date(1930, 9, 1)),  # Wilhelmina: 31 August was a Sunday
        (1931, "kings_day", date(1931, 8, 31)),
    ],
)
def test_statutory_holidays_hand_checked(year: int, code: str, expected: date) -> None:
    assert statutory_by_code(year)[code] == expected


# --- the royal birthday -------------------------------------------------------------------


def test_royal_birthday_follows_the_rule_of_its_reign_every_year() -> None:
    for year in CENTURY:
        day, name_nl, name_en = royal_birthday(year)
        assert day == law_royal_birthday(year), year
        assert day.weekday() != SUNDAY, year
        if year <= 2013:
            assert (name_nl, name_en) == ("Koninginnedag", "Queen's Day"), year
            assert day in {date(year, 4, 29), date(year, 4, 30)}, year
            assert day.day == 30 or day.weekday() == SATURDAY, year
        else:
            assert (name_nl, name_en) == ("Koningsdag", "King's Day"), year
            assert day in {date(year, 4, 26), date(year, 4, 27)}, year
            assert day.day == 27 or day.weekday() == SATURDAY, year


@pytest.mark.parametrize(
    ("year", "expected", "name_en"),
    [
        (2025, date(2025, 4, 26), "King's Day"),
        (2014, date(2014, 4, 26), "King's Day"),
        (2020, date(2020, 4, 27), "King's Day"),
        (2006, date(2006, 4, 29), "Queen's Day"),
        (2013, date(2013, 4, 30), "Queen's Day"),
    ],
)
def test_royal_birthday_hand_checked(year: int, expected: date, name_en: str) -> None:
    day, _, english = royal_birthday(year)
    assert (day, english) == (expected, name_en)


# --- decree days (art. 3 lid 3) -----------------------------------------------------------


def test_friday_after_ascension_is_a_decree_day_or_already_a_holiday_every_year() -> None:
    for year in CENTURY:
        friday = law_holidays(year)["ascension_day"] + timedelta(days=1)
        assert friday.weekday() == FRIDAY
        decree = {holiday.date for holiday in decree_pattern(year)}
        statutory = set(law_holidays(year).values())
        assert (friday in decree) != (friday in statutory), year


def test_decree_days_are_never_statutory_and_lie_in_the_requested_year() -> None:
    for year in CENTURY:
        statutory = set(law_holidays(year).values())
        decree = decree_pattern(year)
        dates = [holiday.date for holiday in decree]
        assert dates == sorted(dates), year
        assert len(dates) == len(set(dates)), year
        for holiday in decree:
            assert holiday.date.year == year, holiday
            assert holiday.date not in statutory, holiday
            assert holiday.basis is Basis.DECREE, holiday
            assert holiday.date.weekday() in {MONDAY, FRIDAY}, holiday


def _anchors(year: int) -> list[date]:
    """The days next to which the decrees put a bridge day, for bridges that fall in ``year``."""
    law = law_holidays(year)
    return [
        date(year, 1, 1),
        date(year + 1, 1, 1),
        law["kings_day"],
        law["liberation_day"],
        law["christmas_day"],
    ]


def test_decree_pattern_is_exactly_the_pattern_of_the_decrees_every_year() -> None:
    for year in CENTURY:
        statutory = set(law_holidays(year).values())
        candidates = {law_holidays(year)["ascension_day"] + timedelta(days=1)}
        for anchor in _anchors(year):
            if anchor.weekday() == TUESDAY:
                candidates.add(anchor - timedelta(days=1))
            if anchor.weekday() == THURSDAY:
                candidates.add(anchor + timedelta(days=1))
        expected = {day for day in candidates if day.year == year and day not in statutory}
        assert {holiday.date for holiday in decree_pattern(year)} == expected, year


def test_every_bridge_monday_precedes_and_every_bridge_friday_follows_a_holiday() -> None:
    for year in CENTURY:
        holidays = set(law_holidays(year).values()) | set(law_holidays(year + 1).values())
        for holiday in decree_pattern(year):
            if holiday.date.weekday() == MONDAY:
                assert holiday.date + timedelta(days=1) in holidays, holiday
            else:
                assert holiday.date - timedelta(days=1) in holidays, holiday


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # New Year 2026 is a Thursday, 5 May 2026 a Tuesday, Ascension 14 May.
        (2026, [date(2026, 1, 2), date(2026, 5, 4), date(2026, 5, 15)]),
        (2024, [date(2024, 5, 10)]),
        # Christmas 2018 and New Year 2019 are Tuesdays: both Mondays belong to 2018.
        (2018, [date(2018, 5, 11), date(2018, 12, 24), date(2018, 12, 31)]),
        (2019, [date(2019, 5, 31)]),
        # Ascension is 5 May 2016: the Friday after both is one decree day.
        (2016, [date(2016, 5, 6)]),
        # King's Day 2027 is a Tuesday.
        (2027, [date(2027, 4, 26), date(2027, 5, 7)]),
        # Ascension 2062 is 4 May: its Friday is 5 May, already a statutory holiday; King's
        # Day 2062 is a Thursday.
        (2062, [date(2062, 4, 28)]),
    ],
)
def test_decree_pattern_hand_checked(year: int, expected: list[date]) -> None:
    assert [holiday.date for holiday in decree_pattern(year)] == expected


def test_decree_day_names_describe_the_pattern() -> None:
    names = {holiday.date: holiday.name_en for holiday in decree_pattern(2026)}
    assert names == {
        date(2026, 1, 2): "Friday after New Year's Day",
        date(2026, 5, 4): "Monday before Liberation Day",
        date(2026, 5, 15): "Friday after Ascension Day",
    }
    kings = {holiday.date: holiday.name_nl for holiday in decree_pattern(2027)}
    assert kings[date(2027, 4, 26)] == "Maandag voor Koningsdag"


def test_decree_day_before_queens_day_is_named_after_queens_day() -> None:
    # 30 April 1991 is a Tuesday: the Monday before it bridges to Queen's Day, not King's Day.
    names = {holiday.date: holiday for holiday in decree_pattern(1991)}
    monday = names[date(1991, 4, 29)]
    assert (monday.name_nl, monday.name_en) == (
        "Maandag voor Koninginnedag",
        "Monday before Queen's Day",
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1990, max_value=2100))
def test_decree_and_statutory_days_are_disjoint(year: int) -> None:
    statutory = {holiday.date for holiday in statutory_holidays(year)}
    decree = {holiday.date for holiday in decree_pattern(year)}
    assert statutory.isdisjoint(decree)
    # Each decree day touches a holiday: the Monday before or the Friday after one.
    neighbours = {day + timedelta(days=step) for day in statutory for step in (-1, 1)}
    new_years_eve = {date(year, 12, 31)} if date(year + 1, 1, 1).weekday() == TUESDAY else set()
    assert decree <= neighbours | new_years_eve


# --- range --------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [YEAR_MIN - 1, YEAR_MAX + 1, 1066, 3000])
def test_years_outside_the_range_raise(year: int) -> None:
    with pytest.raises(CalendarRangeError):
        statutory_holidays(year)
    with pytest.raises(CalendarRangeError):
        decree_pattern(year)


def test_range_bounds_are_supported_and_range_error_is_a_value_error() -> None:
    assert [h.date for h in statutory_holidays(YEAR_MIN)][0] == date(YEAR_MIN, 1, 1)
    assert [h.date for h in statutory_holidays(YEAR_MAX)][-1] == date(YEAR_MAX, 12, 26)
    assert decree_pattern(YEAR_MIN)
    assert decree_pattern(YEAR_MAX)
    assert issubclass(CalendarRangeError, ValueError)
