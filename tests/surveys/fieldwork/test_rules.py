"""The pure rules: weighting targets, reminder schedules, wave states and response rates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from burgerlink.surveys.analysis.weighting import WeightingError
from burgerlink.surveys.fieldwork.rules import (
    WaveState,
    check_weighting,
    next_reminder,
    parse_reminder_days,
    response_rate,
    wave_state,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_weighting_targets_are_shares_per_category_that_add_up_to_one() -> None:
    targets = check_weighting({"age_group": {"18-34": 0.27, "35-64": 0.5, "65+": 0.23}})
    assert targets == {"age_group": {"18-34": 0.27, "35-64": 0.5, "65+": 0.23}}
    assert check_weighting(None) == {}
    assert check_weighting({"sex": {"m": 0.495, "v": 0.5}}) == {"sex": {"m": 0.495, "v": 0.5}}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([1, 2], "object"),
        ({"Age Group": {"a": 0.5, "b": 0.5}}, "kleine letters"),
        ({"email": {"a": 0.5, "b": 0.5}}, "gereserveerd"),
        ({"age": {"a": 1.0}}, "twee categorieën"),
        ({"age": {"a": 0.5, "b": "0.5"}}, "tussen 0 en 1"),
        ({"age": {"a": 0.5, "b": True}}, "tussen 0 en 1"),
        ({"age": {"a": 0.5, "b": 1.5}}, "tussen 0 en 1"),
        ({"age": {"a": 0.5, "b": 0.3}}, "0.800"),
    ],
)
def test_weighting_targets_refuse_what_cannot_be_weighted(value: object, fragment: str) -> None:
    with pytest.raises(WeightingError, match=fragment):
        check_weighting(value)


def test_reminder_days_are_increasing_whole_days() -> None:
    assert parse_reminder_days("7, 14") == [7, 14]
    assert parse_reminder_days("7;14 21") == [7, 14, 21]
    assert parse_reminder_days([3]) == [3]
    assert parse_reminder_days("") == []
    for bad in ("14, 7", "7, 7", "0", "400", "zeven", "1,2,3,4,5,6", [7.5]):
        with pytest.raises(ValueError):
            parse_reminder_days(bad)  # type: ignore[arg-type]


def test_a_reminder_is_due_once_per_reminder_day() -> None:
    days = [7, 14]
    assert next_reminder(T0, days, 0, T0 + timedelta(days=6, hours=23)) is None
    assert next_reminder(T0, days, 0, T0 + timedelta(days=7)) == 1
    assert next_reminder(T0, days, 1, T0 + timedelta(days=8)) is None
    assert next_reminder(T0, days, 1, T0 + timedelta(days=14)) == 2
    assert next_reminder(T0, days, 2, T0 + timedelta(days=60)) is None
    assert next_reminder(None, days, 0, T0) is None


def test_after_missed_runs_one_reminder_goes_and_the_missed_ones_count_as_done() -> None:
    assert next_reminder(T0, [7, 14], 0, T0 + timedelta(days=20)) == 2


def test_wave_states_follow_the_dates() -> None:
    closes = T0 + timedelta(days=30)
    assert wave_state(T0, closes, T0 - timedelta(seconds=1)) == WaveState.PLANNED
    assert wave_state(T0, closes, T0) == WaveState.OPEN
    assert wave_state(T0, closes, closes) == WaveState.CLOSED


def test_the_response_rate_leaves_bounced_addresses_out() -> None:
    assert response_rate(completed=30, invitees=110, bounced=10) == pytest.approx(0.3)
    assert response_rate(completed=0, invitees=0, bounced=0) is None
    assert response_rate(completed=0, invitees=5, bounced=5) is None
