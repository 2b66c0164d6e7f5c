"""core.periods: parsing with reasons in Dutch and English, labels, ranges, and walking."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from burgerlink.core.periods import (
    Period,
    PeriodError,
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
    ("text", "reason", "reason_en"),
    [
        ("2025-Q5", "kwartaal moet Q1 tot en met Q4", "quarter must be Q1 to Q4"),
        ("2025-Q0", "kwartaal moet Q1 tot en met Q4", "quarter must be Q1 to Q4"),
        ("2025-13", "maand moet 01 tot en met 12", "month must be 01 to 12"),
        ("2025-00", "maand moet 01 tot en met 12", "month must be 01 to 12"),
        ("abc", "is geen periode", "is not a period"),
        ("", "is geen periode", "is not a period"),
        ("2025-", "is geen periode", "is not a period"),
        ("2025\n", "is geen periode", "is not a period"),
        ("٢٠٢٥", "is geen periode", "is not a period"),
        ("1989", "tussen 1990 en 2199", "between 1990 and 2199"),
        ("2200-Q1", "tussen 1990 en 2199", "between 1990 and 2199"),
        ("0000-01", "tussen 1990 en 2199", "between 1990 and 2199"),
    ],
)
def test_refuses_bad_periods_with_a_reason_in_the_page_language(
    text: str, reason: str, reason_en: str
) -> None:
    with translation.override("nl"), pytest.raises(PeriodError, match=reason) as refused:
        parse_period(text)
    assert isinstance(refused.value, ValueError)  # callers that catch ValueError keep working
    with translation.override("en"):
        assert reason_en in str(refused.value)  # the same error, read on an English page


def test_the_reason_quotes_the_text_safely() -> None:
    with translation.override("nl"), pytest.raises(PeriodError) as refused:
        parse_period("2025-13")
    assert str(refused.value) == "'2025-13': de maand moet 01 tot en met 12 zijn."
    with translation.override("nl"), pytest.raises(PeriodError) as refused:
        parse_period("x" * 50)
    assert "x" * 21 not in str(refused.value)  # long input is cut, not echoed whole
    with pytest.raises(PeriodError):
        parse_period(2025)  # type: ignore[arg-type]


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


def test_labels_of_the_brief_examples_in_both_languages() -> None:
    quarter, month, year = parse_period("2026-Q3"), parse_period("2026-12"), parse_period("2026")
    assert quarter.label("nl") == "3e kwartaal 2026" and quarter.label("en") == "Q3 2026"
    assert month.label("nl") == "december 2026" and month.label("en") == "December 2026"
    assert year.label("nl") == "2026" and year.code == "2026"
    assert month.short_label("nl") == "dec 2026" and month.short_label("en") == "Dec 2026"


def test_date_ranges_and_last_days() -> None:
    quarter = parse_period("2026-Q3")
    assert (quarter.start, quarter.last_day, quarter.end) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
        date(2026, 10, 1),
    )
    assert quarter.range_label("nl") == "1 juli t/m 30 september 2026"
    assert quarter.range_label("en") == "1 July to 30 September 2026"
    assert parse_period("2024-02").last_day == date(2024, 2, 29)  # a leap year
    assert parse_period("2026").range_label("nl") == "1 januari t/m 31 december 2026"
    assert parse_period("2026-12").range_label("nl") == "1 t/m 31 december 2026"
