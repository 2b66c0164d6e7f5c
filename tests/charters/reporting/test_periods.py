"""Reporting periods: parsing, labels, and walking over months, quarters and years."""

from __future__ import annotations

from datetime import date

import pytest

from burgerlink.charters.reporting.periods import (
    Period,
    choices_between,
    iter_months,
    iter_quarters,
    iter_years,
    parse_period,
    period_of,
    trailing,
)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2025-Q1", "quarter", date(2025, 1, 1), date(2025, 4, 1)),
        ("2025-q4", "quarter", date(2025, 10, 1), date(2026, 1, 1)),
        ("2025-03", "month", date(2025, 3, 1), date(2025, 4, 1)),
        ("2025-3", "month", date(2025, 3, 1), date(2025, 4, 1)),
        ("2024-12", "month", date(2024, 12, 1), date(2025, 1, 1)),
        ("2025", "year", date(2025, 1, 1), date(2026, 1, 1)),
        ("1990", "year", date(1990, 1, 1), date(1991, 1, 1)),
        ("2199-Q4", "quarter", date(2199, 10, 1), date(2200, 1, 1)),
    ],
)
def test_parses_months_quarters_and_years(text: str, kind: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-Q5", "quarter must be Q1 to Q4"),
        ("2025-Q0", "quarter must be Q1 to Q4"),
        ("2025-13", "month must be 01 to 12"),
        ("2025-00", "month must be 01 to 12"),
        ("abc", "is not a period"),
        ("", "is not a period"),
        ("2025-", "is not a period"),
        ("2025\n", "is not a period"),
        ("٢٠٢٥", "is not a period"),
        ("1989", "between 1990 and 2199"),
        ("2200-Q1", "between 1990 and 2199"),
        ("0000-01", "between 1990 and 2199"),
    ],
)
def test_refuses_bad_periods_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_period(text)


def test_codes_round_trip_and_labels_are_bilingual() -> None:
    quarter, month, year = parse_period("2025-Q1"), parse_period("2025-3"), parse_period("2025")
    assert [quarter.code, month.code, year.code] == ["2025-Q1", "2025-03", "2025"]
    assert parse_period(month.code) == month
    assert quarter.label_nl == "1e kwartaal 2025" and quarter.label_en == "Q1 2025"
    assert month.label("nl") == "maart 2025" and month.label("en-gb") == "March 2025"
    assert year.label("en") == "2025"
    assert quarter.short_label("nl") == "K1 2025" and month.short_label("nl") == "mrt 2025"


def test_months_and_neighbours() -> None:
    quarter = parse_period("2024-Q4")
    assert quarter.months() == [date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1)]
    assert quarter.next() == parse_period("2025-Q1")
    assert quarter.previous() == parse_period("2024-Q3")
    assert parse_period("2025-01").previous().code == "2024-12"
    assert quarter.contains(date(2024, 12, 31)) and not quarter.contains(date(2025, 1, 1))


def test_iterates_months_quarters_and_years() -> None:
    assert list(iter_months(date(2024, 11, 20), date(2025, 2, 1))) == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
    ]
    assert [p.code for p in iter_quarters(date(2024, 8, 1), date(2025, 4, 1))] == [
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
    ]
    assert [p.code for p in iter_years(date(2023, 6, 1), date(2025, 1, 2))] == [
        "2023",
        "2024",
        "2025",
    ]


def test_period_of_and_trailing_periods() -> None:
    assert period_of(date(2025, 5, 31), "quarter") == parse_period("2025-Q2")
    assert period_of(date(2025, 5, 31), "month").code == "2025-05"
    assert [p.code for p in trailing(parse_period("2025-Q2"), 3)] == [
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
    ]
    # Nothing before 1990: the trend is just shorter.
    assert [p.code for p in trailing(parse_period("1991"), 5)] == ["1990", "1991"]


def test_choices_list_years_before_their_quarters_newest_first() -> None:
    codes = [p.code for p in choices_between(date(2024, 11, 1), date(2025, 5, 1))]
    assert codes == ["2025", "2025-Q2", "2025-Q1", "2024", "2024-Q4"]


def test_periods_sort_by_start() -> None:
    periods = [parse_period("2025-Q2"), parse_period("2024"), parse_period("2025-01")]
    assert [p.code for p in sorted(periods)] == ["2024", "2025-01", "2025-Q2"]
    assert isinstance(periods[0], Period)
