"""Dutch and ISO dates and moments, as people write them in files."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from burgerlink.core.files import parse_date, parse_datetime


@pytest.mark.parametrize(
    "text", ["7-12-2026", "07-12-2026", "7/12/2026", "2026-12-07", " 2026-12-07 "]
)
def test_dutch_and_iso_dates(text: str) -> None:
    assert parse_date(text) == date(2026, 12, 7)


def test_dates_from_spreadsheet_cells() -> None:
    assert parse_date(datetime(2026, 12, 7, 14, 30)) == date(2026, 12, 7)  # noqa: DTZ001
    assert parse_date(date(2026, 12, 7)) == date(2026, 12, 7)


@pytest.mark.parametrize("text", ["31-02-2026", "12-31-2026", "7 december 2026", "2026-13-01", ""])
def test_other_text_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("7-12-2026 14:30", datetime(2026, 12, 7, 13, 30, tzinfo=UTC)),  # winter: UTC+1
        ("07-07-2026 14:30:15", datetime(2026, 7, 7, 12, 30, 15, tzinfo=UTC)),  # summer: UTC+2
        ("2026-12-07T14:30:00+01:00", datetime(2026, 12, 7, 13, 30, tzinfo=UTC)),
        ("2026-12-07T13:30:00Z", datetime(2026, 12, 7, 13, 30, tzinfo=UTC)),
        ("2026-12-07 14:30:00.250", datetime(2026, 12, 7, 13, 30, tzinfo=UTC)),
        ("7-12-2026", datetime(2026, 12, 6, 23, 0, tzinfo=UTC)),
    ],
)
def test_moments_without_an_offset_are_dutch_local_time(text: str, utc: datetime) -> None:
    assert parse_datetime(text) == utc


def test_a_moment_that_is_not_one() -> None:
    with pytest.raises(ValueError, match="not a date or moment"):
        parse_datetime("morgen")
