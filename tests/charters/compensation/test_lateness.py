"""Lateness is read in the unit of its norm: seconds, minutes, working days, calendar days, weeks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from burgerlink.charters.compensation.lateness import format_lateness, measure_lateness, unit_for
from burgerlink.charters.models import LatenessUnit
from burgerlink.core.calendar import TermUnit, build_calendar

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR, DAY = 3600, 86_400
WEEKDAYS = build_calendar(kind="organisation")


@pytest.mark.parametrize(
    ("metric", "term_unit", "unit"),
    [
        ("elapsed_seconds", "", LatenessUnit.SECONDS),
        ("elapsed_minutes", "", LatenessUnit.MINUTES),
        ("working_days", "", LatenessUnit.WORKING_DAYS),
        ("calendar_days", "", LatenessUnit.CALENDAR_DAYS),
        ("weeks", "", LatenessUnit.WEEKS),
        ("legal_term", "weeks", LatenessUnit.WEEKS),
        ("legal_term", "working_days", LatenessUnit.WORKING_DAYS),
        ("legal_term", "calendar_days", LatenessUnit.CALENDAR_DAYS),
    ],
)
def test_each_metric_has_its_unit(metric: str, term_unit: str, unit: LatenessUnit) -> None:
    assert unit_for(metric, term_unit) == unit


def test_the_day_units_are_the_calendars_term_units() -> None:
    for term_unit in TermUnit:
        assert LatenessUnit(term_unit.value).value == term_unit.value


@pytest.mark.parametrize(
    ("seconds", "unit", "amount"),
    [
        (None, LatenessUnit.SECONDS, 0),
        (0, LatenessUnit.MINUTES, 0),
        (37, LatenessUnit.SECONDS, 37),
        (37, LatenessUnit.MINUTES, 1),  # every started minute counts
        (61, LatenessUnit.MINUTES, 2),
        (DAY, LatenessUnit.CALENDAR_DAYS, 1),
        (DAY + 1, LatenessUnit.CALENDAR_DAYS, 2),
        (3 * DAY, LatenessUnit.WEEKS, 1),
        (8 * DAY, LatenessUnit.WEEKS, 2),
    ],
)
def test_elapsed_units_count_every_started_unit(
    seconds: int | None, unit: LatenessUnit, amount: int
) -> None:
    assert measure_lateness(seconds, unit).amount == amount


def test_working_days_are_counted_on_the_calendar() -> None:
    # A term that ended on Friday 7 March 2025: late from Saturday 00:00.
    deadline = datetime(2025, 3, 8, tzinfo=AMSTERDAM)

    def measure(seconds: int) -> int:
        return measure_lateness(
            seconds, LatenessUnit.WORKING_DAYS, deadline=deadline, calendar=WEEKDAYS
        ).amount

    assert measure(10 * HOUR) == 1  # handled on Saturday: late, though no working day passed
    assert measure(2 * DAY + 9 * HOUR) == 1  # Monday morning
    assert measure(2 * DAY) == 1  # exactly at midnight after Sunday: Monday not started
    assert measure(3 * DAY + 9 * HOUR) == 2  # Tuesday
    assert measure(9 * DAY + 9 * HOUR) == 6  # the Monday after


def test_holidays_do_not_count_as_working_days() -> None:
    # Late from Thursday 24 April 2025, handled on Tuesday 6 May: 24, 25, 28, 29, 30 April,
    # 1, 2 and 6 May. Monday 5 May is Liberation Day, a holiday every year under the Atw.
    deadline = datetime(2025, 4, 24, tzinfo=AMSTERDAM)
    lateness = measure_lateness(
        12 * DAY + 10 * HOUR, LatenessUnit.WORKING_DAYS, deadline=deadline, calendar=WEEKDAYS
    )
    assert lateness.amount == 8


def test_without_a_deadline_working_days_fall_back_to_calendar_days_and_say_so() -> None:
    lateness = measure_lateness(2 * DAY, LatenessUnit.WORKING_DAYS)
    assert (lateness.amount, lateness.unit) == (2, LatenessUnit.CALENDAR_DAYS)
    with translation.override("nl"):
        assert str(lateness) == "2 kalenderdagen"


@pytest.mark.parametrize(
    ("amount", "unit", "dutch", "english"),
    [
        (1, "seconds", "1 seconde", "1 second"),
        (1440, "seconds", "1.440 seconden", "1,440 seconds"),
        (1, "minutes", "1 minuut", "1 minute"),
        (12, "minutes", "12 minuten", "12 minutes"),
        (1, "working_days", "1 werkdag", "1 working day"),
        (3, "working_days", "3 werkdagen", "3 working days"),
        (2, "calendar_days", "2 kalenderdagen", "2 calendar days"),
        (1, "weeks", "1 week", "1 week"),
        (4, "weeks", "4 weken", "4 weeks"),
    ],
)
def test_lateness_reads_in_its_unit_in_both_languages(
    amount: int, unit: str, dutch: str, english: str
) -> None:
    with translation.override("nl"):
        assert format_lateness(amount, unit) == dutch
    with translation.override("en"):
        assert format_lateness(amount, unit) == english
