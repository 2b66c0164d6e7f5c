"""The compliance engine itself (``charters/compliance.py``): every branch, on real calendars.

Pure functions of numpy arrays, so no database: the calendars are built by ``core.calendar``
itself (the Algemene termijnenwet's holidays and the usual decree days; an organisation's
calendar with a closing day), as ``rules_for`` would build them. Every expected deadline is
worked out by hand in the test, in Dutch time, and written as the UTC instant it is.

2025 in short: Good Friday 18 April and Easter Monday 21 April are holidays, King's Day
(26 April) is a Saturday; summer time starts Sunday 30 March (UTC+1 → UTC+2) and ends
Sunday 26 October; Christmas is Thursday 25 and Friday 26 December.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from burgerlink.charters.compliance import (
    DAY_METRICS,
    ELAPSED_METRICS,
    RECORD_METRICS,
    WHOLE_NUMBER_METRICS,
    Measurement,
    Metric,
    NormRule,
    Tally,
    Verdict,
    is_overdue,
    measure_cases,
    measure_contacts,
    month_tallies,
)
from burgerlink.core.calendar import (
    Basis,
    Holiday,
    TermUnit,
    WorkingCalendar,
    build_calendar,
    decree_pattern,
)

LEGAL = build_calendar(
    kind="legal",
    extra_days=[day for year in range(2024, 2027) for day in decree_pattern(year)],
    statutory=True,
)
CLOSED_TUESDAY_AFTER_EASTER = Holiday(
    date(2025, 4, 22), "closing_day", "Sluitingsdag", "Closing day", Basis.CLOSING_DAY
)
ORGANISATION = build_calendar(kind="organisation", extra_days=[CLOSED_TUESDAY_AFTER_EASTER])
NAT = np.datetime64("NaT", "us")
PHONE, EMAIL, LETTER = 11, 12, 13
PERMIT, COMPLAINT = 0, 1


def at(*moments: str | None) -> np.ndarray:
    """UTC instants (ISO text without offset) as ``datetime64[us]``; None is NaT."""
    return np.array(
        [NAT if m is None else np.datetime64(m, "us") for m in moments], dtype="datetime64[us]"
    )


def rule(
    metric: str,
    threshold: float,
    *,
    key: int = PHONE,
    norm_id: int = 1,
    calendar: WorkingCalendar = LEGAL,
    term_unit: str = "",
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
) -> NormRule:
    """A norm as ``rules_for`` hands it to the engine."""
    return NormRule(
        norm_id=norm_id,
        key=key,
        metric=metric,
        threshold=threshold,
        term_unit=term_unit,
        calendar=calendar,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def contacts(
    rules: list[NormRule],
    received: np.ndarray,
    *,
    handled: np.ndarray | None = None,
    wait: list[float] | None = None,
    answered: list[int] | None = None,
    channel: int = PHONE,
) -> Measurement:
    """Measure contacts of one channel; missing columns are unknown (NaT, NaN)."""
    n = len(received)
    return measure_contacts(
        rules,
        channel_ids=np.full(n, channel, dtype=np.int64),
        received=received,
        handled=handled if handled is not None else at(*[None] * n),
        wait_seconds=np.array(wait if wait is not None else [np.nan] * n, dtype=np.float64),
        answered=None if answered is None else np.array(answered, dtype=np.int8),
    )


def cases(
    rules: list[NormRule],
    received: np.ndarray,
    *,
    decided: np.ndarray,
    complete: np.ndarray | None = None,
    suspended: list[int] | None = None,
    extended: list[int] | None = None,
    case_type: int = PERMIT,
) -> Measurement:
    """Measure cases of one case type."""
    n = len(received)
    return measure_cases(
        rules,
        case_type_keys=np.full(n, case_type, dtype=np.int64),
        received=received,
        complete=complete if complete is not None else at(*[None] * n),
        decided=decided,
        suspended_days=np.array(suspended or [0] * n, dtype=np.int64),
        extended_days=np.array(extended or [0] * n, dtype=np.int64),
    )


def verdicts(measured: Measurement) -> list[Verdict]:
    """The verdicts as enum members, so a failure reads as names."""
    return [Verdict(int(v)) for v in measured.verdict]


# --- the vocabulary ---------------------------------------------------------------------------


def test_metric_groups_partition_the_record_metrics() -> None:
    assert {Metric.ELAPSED_SECONDS, Metric.ELAPSED_MINUTES} == ELAPSED_METRICS
    assert set(DAY_METRICS) == {Metric.WORKING_DAYS, Metric.CALENDAR_DAYS, Metric.WEEKS}
    assert {*DAY_METRICS, Metric.LEGAL_TERM} == WHOLE_NUMBER_METRICS
    assert RECORD_METRICS == ELAPSED_METRICS | WHOLE_NUMBER_METRICS
    assert Metric.COUNT not in RECORD_METRICS
    assert Metric.AVAILABILITY not in RECORD_METRICS
    assert [int(v) for v in Verdict] == [0, 1, 2, 3]  # the values stored on every record


# --- elapsed-time norms -----------------------------------------------------------------------


def test_a_known_wait_decides_an_elapsed_seconds_norm() -> None:
    measured = contacts(
        [rule(Metric.ELAPSED_SECONDS, 25)],
        at("2025-03-03T09:00:00", "2025-03-03T09:00:00"),
        # The handled moment is ignored when the wait is known.
        handled=at("2025-03-03T09:10:00", "2025-03-03T09:00:01"),
        wait=[20, 40],
        answered=[1, 1],
    )
    assert verdicts(measured) == [Verdict.MET, Verdict.MISSED]
    assert list(measured.lateness_seconds) == [0, 15]
    assert list(measured.deadline) == list(at("2025-03-03T09:00:25", "2025-03-03T09:00:25"))
    assert list(measured.norm_id) == [1, 1]


def test_without_a_wait_the_handled_moment_decides_an_elapsed_minutes_norm() -> None:
    measured = contacts(
        [rule(Metric.ELAPSED_MINUTES, 10, key=LETTER)],
        at("2025-03-03T09:00:00", "2025-03-03T09:00:00", "2025-03-03T09:00:00"),
        handled=at("2025-03-03T09:05:00", "2025-03-03T09:12:00", None),
        channel=LETTER,
    )
    assert verdicts(measured) == [Verdict.MET, Verdict.MISSED, Verdict.OPEN]
    assert list(measured.lateness_seconds) == [0, 120, 0]
    assert measured.deadline[2] == np.datetime64("2025-03-03T09:10:00", "us")


def test_a_call_given_up_before_the_norm_passed_is_not_counted() -> None:
    measured = contacts(
        [rule(Metric.ELAPSED_SECONDS, 25)],
        at(*["2025-03-03T09:00:00"] * 3),
        wait=[10, 25, np.nan],
        answered=[0, 0, 0],
    )
    # Up to and including the threshold, and without a known wait: no verdict, no norm.
    assert verdicts(measured) == [Verdict.UNMEASURED] * 3
    assert list(measured.norm_id) == [-1, -1, -1]
    assert np.isnat(measured.deadline).all()
    assert list(measured.lateness_seconds) == [0, 0, 0]


def test_a_call_given_up_after_the_norm_passed_is_missed_by_the_extra_wait() -> None:
    measured = contacts(
        [rule(Metric.ELAPSED_SECONDS, 25)],
        at("2025-03-03T09:00:00", "2025-03-03T09:00:00"),
        wait=[90, 30],
        answered=[0, 0],
    )
    assert verdicts(measured) == [Verdict.MISSED, Verdict.MISSED]
    assert list(measured.lateness_seconds) == [65, 5]
    assert list(measured.norm_id) == [1, 1]
    assert measured.deadline[0] == np.datetime64("2025-03-03T09:00:25", "us")


def test_whether_a_call_was_answered_may_be_unknown() -> None:
    received = at("2025-03-03T09:00:00", "2025-03-03T09:00:00")
    unknown = contacts(
        [rule(Metric.ELAPSED_SECONDS, 25)], received, wait=[10, 30], answered=[-1, -1]
    )
    no_column = contacts([rule(Metric.ELAPSED_SECONDS, 25)], received, wait=[10, 30])
    # Unknown is judged by the wait, like an answered call, with or without the column.
    assert verdicts(unknown) == verdicts(no_column) == [Verdict.MET, Verdict.MISSED]


# --- day and week norms -----------------------------------------------------------------------


def test_working_days_skip_the_easter_holidays_on_the_legal_calendar() -> None:
    # Thursday 17 April, 10:00 CEST. Good Friday and Easter Monday do not count: the second
    # working day is Wednesday 23 April, so the promise is kept until 24 April 00:00 CEST.
    measured = contacts(
        [rule(Metric.WORKING_DAYS, 2, key=EMAIL)],
        at(*["2025-04-17T08:00:00"] * 3),
        handled=at("2025-04-23T21:59:59", "2025-04-23T22:00:00", None),
        channel=EMAIL,
    )
    assert measured.deadline[0] == np.datetime64("2025-04-23T22:00:00", "us")
    assert verdicts(measured) == [Verdict.MET, Verdict.MISSED, Verdict.OPEN]
    assert list(measured.lateness_seconds) == [0, 0, 0]


def test_working_days_on_the_organisations_calendar_skip_its_closing_days() -> None:
    # The same e-mail where the office is closed on Tuesday 22 April: Wednesday 23 and
    # Thursday 24 April are the two working days; 25 April 00:00 CEST is 24 April 22:00 UTC.
    measured = contacts(
        [rule(Metric.WORKING_DAYS, 2, key=EMAIL, calendar=ORGANISATION)],
        at("2025-04-17T08:00:00"),
        handled=at("2025-04-24T12:00:00"),
        channel=EMAIL,
    )
    assert measured.deadline[0] == np.datetime64("2025-04-24T22:00:00", "us")
    assert verdicts(measured) == [Verdict.MET]


def test_calendar_days_roll_forward_and_the_legal_calendar_adds_atw_article_2() -> None:
    # Three calendar days from Thursday 17 April end on Easter Sunday. The organisation's norm
    # rolls forward to its next working day, Wednesday 23 April (22 April is its closing day);
    # on the legal calendar art. 1 rolls to Tuesday 22 April, and art. 2 demands two working
    # days in the term (Tuesday 22 and Wednesday 23), so that term ends on 23 April as well.
    received = at("2025-04-17T08:00:00")
    own = contacts(
        [rule(Metric.CALENDAR_DAYS, 3, key=LETTER, calendar=ORGANISATION)],
        received,
        handled=at("2025-04-23T12:00:00"),
        channel=LETTER,
    )
    legal = contacts(
        [rule(Metric.CALENDAR_DAYS, 3, key=LETTER)],
        received,
        handled=at("2025-04-23T12:00:00"),
        channel=LETTER,
    )
    assert own.deadline[0] == legal.deadline[0] == np.datetime64("2025-04-23T22:00:00", "us")
    # Where the two differ: from Wednesday 16 April three days end on Saturday 19 April. The
    # organisation rolls forward to Wednesday 23 (Easter Monday, then its closing day); the
    # law rolls to Tuesday 22, which also holds art. 2's second working day (17 and 22).
    received = at("2025-04-16T08:00:00")
    own = contacts(
        [rule(Metric.CALENDAR_DAYS, 3, key=LETTER, calendar=ORGANISATION)], received, channel=LETTER
    )
    legal = contacts([rule(Metric.CALENDAR_DAYS, 3, key=LETTER)], received, channel=LETTER)
    assert own.deadline[0] == np.datetime64("2025-04-23T22:00:00", "us")
    assert legal.deadline[0] == np.datetime64("2025-04-22T22:00:00", "us")
    assert verdicts(own) == verdicts(legal) == [Verdict.OPEN]


def test_a_week_norm_rolls_past_christmas() -> None:
    # One week from Thursday 18 December is Christmas Day; Boxing Day and the weekend follow,
    # so the last day is Monday 29 December and the deadline 30 December 00:00 CET.
    measured = contacts(
        [rule(Metric.WEEKS, 1, key=LETTER)],
        at("2025-12-18T10:00:00", "2025-12-18T10:00:00"),
        handled=at("2025-12-29T22:59:00", "2025-12-30T01:00:00"),
        channel=LETTER,
    )
    assert measured.deadline[0] == np.datetime64("2025-12-29T23:00:00", "us")
    assert verdicts(measured) == [Verdict.MET, Verdict.MISSED]
    assert list(measured.lateness_seconds) == [0, 7_200]


def test_a_deadline_on_the_night_summer_time_starts_is_local_midnight() -> None:
    # An organisation open seven days a week: one calendar day from Saturday 29 March is
    # Sunday 30 March, the day summer time starts; its end is 31 March 00:00 CEST, which is
    # 22:00 UTC (the day before it would have been 23:00 UTC).
    every_day = build_calendar(kind="organisation", weekmask=(True,) * 7)
    measured = contacts(
        [rule(Metric.CALENDAR_DAYS, 1, key=LETTER, calendar=every_day)],
        at("2025-03-29T10:00:00", "2025-03-28T10:00:00"),
        channel=LETTER,
    )
    assert list(measured.deadline) == list(at("2025-03-30T22:00:00", "2025-03-29T23:00:00"))


# --- legal terms ------------------------------------------------------------------------------


def test_a_legal_term_counts_from_the_complete_application() -> None:
    # Received Monday 6 January, complete Friday 10 January: eight weeks end Friday 7 March,
    # so the decision is due before 8 March 00:00 CET (7 March 23:00 UTC).
    term = [rule(Metric.LEGAL_TERM, 8, key=PERMIT, term_unit=TermUnit.WEEKS)]
    measured = cases(
        term,
        at("2025-01-06T09:00:00", "2025-01-06T09:00:00", "2025-01-06T09:00:00"),
        complete=at("2025-01-10T09:00:00", "2025-01-10T09:00:00", "2025-01-10T09:00:00"),
        decided=at("2025-03-07T15:00:00", "2025-03-10T11:00:00", None),
    )
    assert measured.deadline[0] == np.datetime64("2025-03-07T23:00:00", "us")
    assert verdicts(measured) == [Verdict.MET, Verdict.MISSED, Verdict.OPEN]
    assert list(measured.lateness_seconds) == [0, 2 * 86_400 + 12 * 3_600, 0]
    # Without a moment of completeness the term runs from receipt: 3 March, 00:00 CET.
    from_receipt = cases(term, at("2025-01-06T09:00:00"), decided=at(None))
    assert from_receipt.deadline[0] == np.datetime64("2025-03-03T23:00:00", "us")


def test_suspension_and_extension_push_a_legal_term_back() -> None:
    # 14 days suspended (Awb 4:15) and 7 extended (Awb 4:14): 21 days later, Friday 28 March,
    # still winter time. Two more days of suspension end it on Sunday 30 March, which rolls
    # forward to Monday 31 March: due before 1 April 00:00 CEST, 31 March 22:00 UTC.
    term = [rule(Metric.LEGAL_TERM, 8, key=PERMIT, term_unit=TermUnit.WEEKS)]
    received = at("2025-01-10T09:00:00", "2025-01-10T09:00:00")
    measured = cases(
        term,
        received,
        decided=at("2025-03-28T16:00:00", "2025-03-31T21:00:00"),
        suspended=[14, 16],
        extended=[7, 7],
    )
    assert list(measured.deadline) == list(at("2025-03-28T23:00:00", "2025-03-31T22:00:00"))
    assert verdicts(measured) == [Verdict.MET, Verdict.MET]


def test_a_legal_term_in_days_follows_the_algemene_termijnenwet() -> None:
    # Three days from Maundy Thursday 17 April: art. 2 needs two working days in the term, and
    # Good Friday and Easter Monday are holidays, so it ends Wednesday 23 April.
    days = cases(
        [rule(Metric.LEGAL_TERM, 3, key=PERMIT, term_unit=TermUnit.CALENDAR_DAYS)],
        at("2025-04-17T08:00:00"),
        decided=at(None),
    )
    assert days.deadline[0] == np.datetime64("2025-04-23T22:00:00", "us")
    # Five working days from the same Thursday: 22, 23, 24, 25 and 28 April.
    working = cases(
        [rule(Metric.LEGAL_TERM, 5, key=PERMIT, term_unit=TermUnit.WORKING_DAYS)],
        at("2025-04-17T08:00:00"),
        decided=at(None),
    )
    assert working.deadline[0] == np.datetime64("2025-04-28T22:00:00", "us")


def test_a_legal_term_without_a_unit_counts_weeks() -> None:
    weeks = cases(
        [rule(Metric.LEGAL_TERM, 2, key=PERMIT, term_unit=TermUnit.WEEKS)],
        at("2025-02-03T09:00:00"),
        decided=at(None),
    )
    unset = cases(
        [rule(Metric.LEGAL_TERM, 2, key=PERMIT)], at("2025-02-03T09:00:00"), decided=at(None)
    )
    assert unset.deadline[0] == weeks.deadline[0] == np.datetime64("2025-02-17T23:00:00", "us")


def test_service_norms_on_cases_count_days_after_the_shifted_start_or_time_from_completion() -> (
    None
):
    # A complaint answered within 5 working days, counted from the complete application moved
    # by its suspension; and within 90 minutes of completion (time norms ignore suspensions).
    received = at("2025-02-03T09:00:00")
    complete = at("2025-02-04T09:00:00")
    days = cases(
        [rule(Metric.WORKING_DAYS, 5, key=COMPLAINT)],
        received,
        complete=complete,
        decided=at(None),
        suspended=[2],
        case_type=COMPLAINT,
    )
    # Tuesday 4 + 2 days = Thursday 6 February; five working days later: Thursday 13 February.
    assert days.deadline[0] == np.datetime64("2025-02-13T23:00:00", "us")
    minutes = cases(
        [rule(Metric.ELAPSED_MINUTES, 90, key=COMPLAINT)],
        received,
        complete=complete,
        decided=at("2025-02-04T10:29:00"),
        suspended=[2],
        case_type=COMPLAINT,
    )
    assert minutes.deadline[0] == np.datetime64("2025-02-04T10:30:00", "us")
    assert verdicts(minutes) == [Verdict.MET]


# --- which norm, if any -----------------------------------------------------------------------


def test_records_that_no_norm_matches_stay_unmeasured_but_get_their_month() -> None:
    phone_rule = rule(Metric.ELAPSED_SECONDS, 25, valid_from=date(2025, 1, 1))
    measured = contacts(
        [phone_rule],
        # Another channel, and a phone call from before the charter existed.
        at("2025-03-03T09:00:00"),
        wait=[10],
        channel=EMAIL,
    )
    before = contacts([phone_rule], at("2024-12-31T12:00:00"), wait=[10])
    for result in (measured, before):
        assert verdicts(result) == [Verdict.UNMEASURED]
        assert list(result.norm_id) == [-1]
        assert np.isnat(result.deadline).all()
    assert measured.period[0] == np.datetime64("2025-03-01")
    assert before.period[0] == np.datetime64("2024-12-01")
    nothing = cases(
        [rule(Metric.LEGAL_TERM, 8, key=PERMIT)],
        at("2025-03-03T09:00:00"),
        decided=at("2025-03-04T09:00:00"),
        case_type=COMPLAINT,
    )
    assert verdicts(nothing) == [Verdict.UNMEASURED]
    assert list(nothing.norm_id) == [-1]


@pytest.mark.parametrize(
    ("received", "norm", "month"),
    [
        # 31 March 23:59:59 CEST and 1 April 00:00 CEST: the version changes at Dutch midnight.
        ("2025-03-31T21:59:59", 1, "2025-03-01"),
        ("2025-03-31T22:00:00", 2, "2025-04-01"),
    ],
)
def test_the_charter_version_valid_on_the_dutch_date_measures_a_record(
    received: str, norm: int, month: str
) -> None:
    versions = [
        rule(Metric.ELAPSED_SECONDS, 25, norm_id=1, valid_to=date(2025, 4, 1)),
        rule(Metric.ELAPSED_SECONDS, 20, norm_id=2, valid_from=date(2025, 4, 1)),
    ]
    measured = contacts(versions, at(received), wait=[22])
    assert list(measured.norm_id) == [norm]
    assert verdicts(measured) == [Verdict.MET if norm == 1 else Verdict.MISSED]
    assert measured.period[0] == np.datetime64(month)


def test_version_boundaries_hold_on_the_night_winter_time_returns() -> None:
    # Summer time ends on Sunday 26 October 2025; 27 October begins at 23:00 UTC on the 26th.
    versions = [
        rule(Metric.WORKING_DAYS, 2, key=EMAIL, norm_id=1, valid_to=date(2025, 10, 27)),
        rule(Metric.WORKING_DAYS, 3, key=EMAIL, norm_id=2, valid_from=date(2025, 10, 27)),
    ]
    measured = contacts(
        versions,
        at("2025-10-26T22:59:59", "2025-10-26T23:00:00", "2025-10-25T21:59:59"),
        channel=EMAIL,
    )
    assert list(measured.norm_id) == [1, 2, 1]
    # Sunday 26 → Tuesday 28 (two working days); Monday 27 → Thursday 30 (three).
    assert list(measured.deadline[:2]) == list(at("2025-10-28T23:00:00", "2025-10-30T23:00:00"))
    # Saturday 25 October 23:59:59 CEST: two working days later is Tuesday 28 October.
    assert measured.deadline[2] == np.datetime64("2025-10-28T23:00:00", "us")


# --- open records at a reference moment -------------------------------------------------------


def test_open_records_are_overdue_or_within_at_a_reference_moment() -> None:
    measured = contacts(
        [rule(Metric.WORKING_DAYS, 2, key=EMAIL)],
        at("2025-04-17T08:00:00", "2025-04-17T08:00:00", "2025-04-17T08:00:00"),
        handled=at(None, "2025-04-18T09:00:00", None),
        channel=EMAIL,
    )
    measured.deadline[2] = NAT  # an open record without a deadline is never overdue
    before = datetime(2025, 4, 23, 21, 59, tzinfo=UTC)
    at_deadline = np.datetime64("2025-04-23T22:00:00", "us")  # not yet past it
    after = np.datetime64("2025-04-23T22:00:01", "us")
    assert list(is_overdue(measured.verdict, measured.deadline, before)) == [False] * 3
    assert list(is_overdue(measured.verdict, measured.deadline, at_deadline)) == [False] * 3
    assert list(is_overdue(measured.verdict, measured.deadline, after)) == [True, False, False]


def test_month_tallies_count_each_norm_and_month_with_overdue_as_missed() -> None:
    rules = [
        rule(Metric.WORKING_DAYS, 2, key=EMAIL, norm_id=7),
        rule(Metric.ELAPSED_SECONDS, 25, key=PHONE, norm_id=8),
    ]
    mails = contacts(
        rules,
        at(
            "2025-03-31T21:00:00",
            "2025-03-31T22:30:00",
            "2025-04-02T08:00:00",
            "2025-04-02T08:00:00",
        ),
        handled=at("2025-04-01T08:00:00", None, "2025-04-10T08:00:00", None),
        channel=EMAIL,
    )
    calls = contacts(
        rules, at("2025-04-02T08:00:00", "2025-04-02T08:00:00"), wait=[5, 10], answered=[1, 0]
    )
    now = datetime(2025, 4, 3, 12, 0, tzinfo=UTC)
    # 31 March 22:30 UTC is 1 April in Dutch time: due 3 April 22:00 UTC, still within at noon.
    # 2 April 08:00: due 4 April 22:00 UTC, within too; the 10 April reply is missed.
    assert month_tallies(mails, now) == {
        (7, date(2025, 3, 1)): Tally(measured=1, met=1, missed=0, open_within=0),
        (7, date(2025, 4, 1)): Tally(measured=3, met=0, missed=1, open_within=2),
    }
    later = np.datetime64("2025-04-05T00:00:00", "us")
    assert month_tallies(mails, later)[(7, date(2025, 4, 1))] == Tally(3, 0, 3, 0)
    # The call given up within 25 seconds is not measured; the answered one is.
    assert month_tallies(calls, now) == {(8, date(2025, 4, 1)): Tally(1, 1, 0, 0)}
    assert Tally(1, 1, 0, 0) + Tally(2, 0, 1, 1) == Tally(3, 1, 1, 1)


def test_month_tallies_of_nothing_measured_are_empty() -> None:
    measured = contacts([], at("2025-04-02T08:00:00"), wait=[5])
    assert month_tallies(measured, datetime(2025, 4, 3, tzinfo=UTC)) == {}
