"""The compliance engine: numpy arrays of records in, norm, deadline and verdict per record out.

Pure and vectorised: no ORM, no loops over records. Deadlines come only from the calendar
module (``WorkingCalendar``). This module is the one definition of how a norm is measured
(``Metric`` and its groups) and of a record's outcome (``Verdict``); the models build their
choices from both. Conventions:

* A record is measured by the one norm whose key (channel for contacts, case type for cases)
  matches and whose charter version is valid on the record's Dutch start date.
* Day-based norms count from the day after the start date; the promise is kept when the record
  is handled before the end of the deadline day (Dutch time).
* Elapsed-time norms compare the wait (or handled minus received) with the threshold.
* A legal term starts on the day the application is complete (or received), is pushed back by
  suspended days (Awb 4:15) and extended days (Awb 4:14), and ends per the Algemene termijnenwet.
* A record without an end moment is OPEN; at a reference moment an open record past its deadline
  is overdue and counts as missed (``is_overdue``, ``month_counts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt

from burgerlink.core.calendar import TermUnit, WorkingCalendar
from burgerlink.core.calendar.localtime import local_midnight_utc, month_starts, utc_to_local_dates

Instants = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

ONE_DAY = np.timedelta64(1, "D")


class Verdict(IntEnum):
    """The outcome of one record against its norm, as stored on the record.

    OPEN has no end moment yet: at a reference moment it is open and overdue (past its deadline,
    reported as missed) or open and within its term (``is_overdue``). UNMEASURED: no norm
    applies, or a call was given up before the norm's threshold passed.
    """

    UNMEASURED = 0
    MET = 1
    MISSED = 2
    OPEN = 3


class Metric(StrEnum):
    """How a norm is measured (the models' ``metric`` choices are built from this)."""

    ELAPSED_SECONDS = "elapsed_seconds"
    ELAPSED_MINUTES = "elapsed_minutes"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    LEGAL_TERM = "legal_term"
    COUNT = "count"
    AVAILABILITY = "availability"


# Elapsed-time metrics and the seconds in one unit of their threshold.
SECONDS_PER_UNIT: dict[str, int] = {Metric.ELAPSED_SECONDS: 1, Metric.ELAPSED_MINUTES: 60}
ELAPSED_METRICS = frozenset(SECONDS_PER_UNIT)
# Service norms counted in days or weeks on a calendar, and the unit of their term.
DAY_METRICS: dict[str, TermUnit] = {
    Metric.WORKING_DAYS: TermUnit.WORKING_DAYS,
    Metric.CALENDAR_DAYS: TermUnit.CALENDAR_DAYS,
    Metric.WEEKS: TermUnit.WEEKS,
}
# Norms whose threshold is a whole number of days or weeks.
WHOLE_NUMBER_METRICS = frozenset({*DAY_METRICS, Metric.LEGAL_TERM})
# Norms measured from imported records; the others (count, availability) are reported per period.
RECORD_METRICS = frozenset({*ELAPSED_METRICS, *WHOLE_NUMBER_METRICS})
# A legal term without a unit of its own runs in weeks (the unit of most statutory terms).
DEFAULT_TERM_UNIT = TermUnit.WEEKS


@dataclass(frozen=True)
class NormRule:
    """A charter norm as the engine needs it."""

    norm_id: int
    key: int  # channel id (contacts) or case-type index (cases)
    metric: str
    threshold: float
    term_unit: str
    calendar: WorkingCalendar
    valid_from: date
    valid_to: date | None


@dataclass
class Measurement:
    """Per record: the norm (-1: none), deadline (NaT), verdict, lateness and month."""

    norm_id: Ints
    deadline: Instants
    verdict: npt.NDArray[np.int8]
    lateness_seconds: Ints
    period: npt.NDArray[np.datetime64]


def _empty(n: int, local_dates: npt.NDArray[np.datetime64]) -> Measurement:
    return Measurement(
        norm_id=np.full(n, -1, dtype=np.int64),
        deadline=np.full(n, np.datetime64("NaT"), dtype="datetime64[us]"),
        verdict=np.full(n, Verdict.UNMEASURED, dtype=np.int8),
        lateness_seconds=np.zeros(n, dtype=np.int64),
        period=month_starts(local_dates),
    )


def _rule_mask(
    rule: NormRule, keys: Ints, local_dates: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.bool_]:
    mask: npt.NDArray[np.bool_] = (keys == rule.key) & (
        local_dates >= np.datetime64(rule.valid_from, "D")
    )
    if rule.valid_to is not None:
        mask &= local_dates < np.datetime64(rule.valid_to, "D")
    return mask


def _day_deadline(rule: NormRule, start_days: npt.NDArray[np.datetime64], amount: int) -> Instants:
    """The instant the deadline day ends, for a day- or week-based norm."""
    # Anything else that reaches here (no validated norm does) counts calendar days, as ever.
    unit = DAY_METRICS.get(rule.metric, TermUnit.CALENDAR_DAYS)
    if unit is TermUnit.WORKING_DAYS:
        # A service norm in working days ends on the n-th working day; no roll-forward needed.
        last_day = rule.calendar.add_working_days_v(start_days, amount)
    else:
        last_day = rule.calendar.term_end_v(start_days, amount, unit)
    return local_midnight_utc(last_day + ONE_DAY)


def _elapsed_limit(rule: NormRule) -> tuple[float, np.timedelta64]:
    """The threshold of an elapsed-time norm in seconds, and as a duration."""
    seconds = rule.threshold * SECONDS_PER_UNIT[rule.metric]
    return seconds, np.timedelta64(int(round(seconds * 1e6)), "us")


def _judge(
    result: Measurement,
    mask: npt.NDArray[np.bool_],
    deadline: Instants,
    ended: Instants,
) -> None:
    """Fill verdict and lateness for the masked records from their deadline and end moment."""
    result.deadline[mask] = deadline
    done = ~np.isnat(ended)
    late = done & (ended >= deadline)
    verdict = np.where(done, np.where(late, Verdict.MISSED, Verdict.MET), Verdict.OPEN)
    verdict = verdict.astype(np.int8)
    result.verdict[mask] = verdict
    lateness = np.zeros(len(deadline), dtype=np.int64)
    lateness[late] = (ended[late] - deadline[late]).astype("timedelta64[s]").astype(np.int64)
    result.lateness_seconds[mask] = lateness


def measure_contacts(
    rules: Sequence[NormRule],
    *,
    channel_ids: Ints,
    received: Instants,
    handled: Instants,
    wait_seconds: Floats,
    answered: npt.NDArray[np.int8] | None = None,
) -> Measurement:
    """Measure contacts (channel: the channel they were handled as) against charter norms.

    ``answered`` is 1/0/-1 (unknown); a call given up (0) before the threshold passed is not
    counted, one given up after it counts as missed.
    """
    received = np.asarray(received, dtype="datetime64[us]")
    handled = np.asarray(handled, dtype="datetime64[us]")
    local_dates = utc_to_local_dates(received)
    result = _empty(len(received), local_dates)
    for rule in rules:
        mask = _rule_mask(rule, channel_ids, local_dates)
        if not mask.any():
            continue
        result.norm_id[mask] = rule.norm_id
        if rule.metric in ELAPSED_METRICS:
            limit_s, limit = _elapsed_limit(rule)
            waited = np.asarray(wait_seconds, dtype=np.float64)[mask]
            got = received[mask]
            ended = handled[mask].copy()
            # A known wait is the measure; the end moment follows from it.
            has_wait = ~np.isnan(waited)
            ended[has_wait] = got[has_wait] + (waited[has_wait] * 1e6).astype("timedelta64[us]")
            deadline = got + limit
            if answered is not None:
                gave_up = np.asarray(answered)[mask] == 0
                ended[gave_up] = np.datetime64("NaT")
            _judge(result, mask, deadline, ended)
            if answered is not None:
                gave_up_idx = np.flatnonzero(mask)[gave_up]
                early = ~has_wait[gave_up] | (waited[gave_up] <= limit_s)
                result.verdict[gave_up_idx[early]] = Verdict.UNMEASURED
                result.verdict[gave_up_idx[~early]] = Verdict.MISSED
                late_s = (waited[gave_up][~early] - limit_s).astype(np.int64)
                result.lateness_seconds[gave_up_idx[~early]] = late_s
                result.norm_id[gave_up_idx[early]] = -1
                result.deadline[gave_up_idx[early]] = np.datetime64("NaT")
        else:
            deadline = _day_deadline(rule, local_dates[mask], int(rule.threshold))
            _judge(result, mask, deadline, handled[mask])
    return result


def measure_cases(
    rules: Sequence[NormRule],
    *,
    case_type_keys: Ints,
    received: Instants,
    complete: Instants,
    decided: Instants,
    suspended_days: Ints,
    extended_days: Ints,
) -> Measurement:
    """Measure cases against charter norms (legal terms and day norms)."""
    received = np.asarray(received, dtype="datetime64[us]")
    complete = np.asarray(complete, dtype="datetime64[us]")
    decided = np.asarray(decided, dtype="datetime64[us]")
    local_dates = utc_to_local_dates(received)
    start_moment = np.where(np.isnat(complete), received, complete)
    start_days = utc_to_local_dates(start_moment)
    shift = (np.asarray(suspended_days) + np.asarray(extended_days)).astype("timedelta64[D]")
    result = _empty(len(received), local_dates)
    for rule in rules:
        mask = _rule_mask(rule, case_type_keys, local_dates)
        if not mask.any():
            continue
        result.norm_id[mask] = rule.norm_id
        starts = start_days[mask] + shift[mask]
        if rule.metric == Metric.LEGAL_TERM:
            unit = TermUnit(rule.term_unit or DEFAULT_TERM_UNIT)
            last_day = rule.calendar.term_end_v(starts, int(rule.threshold), unit)
            deadline = local_midnight_utc(last_day + ONE_DAY)
        elif rule.metric in ELAPSED_METRICS:
            _seconds, limit = _elapsed_limit(rule)
            deadline = np.asarray(start_moment[mask] + limit, dtype="datetime64[us]")
        else:
            deadline = _day_deadline(rule, starts, int(rule.threshold))
        _judge(result, mask, deadline, decided[mask])
    return result


def as_instant(moment: datetime | np.datetime64) -> np.datetime64:
    """An aware (or naive UTC) datetime, or a ``datetime64``, as a UTC ``datetime64[us]``."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return np.datetime64(moment, "us")
    converted: np.datetime64 = moment.astype("datetime64[us]")
    return converted


def is_overdue(
    verdict: npt.NDArray[np.int8], deadline: Instants, now: datetime | np.datetime64
) -> npt.NDArray[np.bool_]:
    """Which records are open and past their deadline at ``now`` (reported as missed)."""
    deadline = np.asarray(deadline, dtype="datetime64[us]")
    overdue: npt.NDArray[np.bool_] = (
        (np.asarray(verdict) == Verdict.OPEN) & ~np.isnat(deadline) & (deadline < as_instant(now))
    )
    return overdue


@dataclass(frozen=True)
class Tally:
    """Records of one norm in one month at a reference moment.

    ``missed`` includes open records past their deadline; ``open_within`` are open records
    still within their term. ``measured`` is the sum of the three.
    """

    measured: int = 0
    met: int = 0
    missed: int = 0
    open_within: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.measured + other.measured,
            self.met + other.met,
            self.missed + other.missed,
            self.open_within + other.open_within,
        )


def month_tallies(
    measured: Measurement, now: datetime | np.datetime64
) -> dict[tuple[int, date], Tally]:
    """Count measured records per (norm id, first day of the month) at ``now``.

    Records without a norm or with the verdict UNMEASURED are left out.
    """
    verdict, norm = measured.verdict, measured.norm_id
    keep = (verdict != Verdict.UNMEASURED) & (norm >= 0)
    if not keep.any():
        return {}
    overdue = is_overdue(verdict, measured.deadline, now)
    buckets = np.stack(
        [
            verdict == Verdict.MET,
            (verdict == Verdict.MISSED) | overdue,
            (verdict == Verdict.OPEN) & ~overdue,
        ]
    )[:, keep]
    # One integer per (norm, month): the norm id, then the day number made non-negative.
    days = measured.period.astype("datetime64[D]").astype(np.int64)[keep] + _DAY_OFFSET
    keys, inverse = np.unique(norm[keep] * _DAY_SPAN + days, return_inverse=True)
    inverse = inverse.reshape(-1)
    totals = np.bincount(inverse, minlength=len(keys))
    counts = [np.bincount(inverse, weights=row, minlength=len(keys)) for row in buckets]
    tallies = {}
    for index, key in enumerate(keys.tolist()):
        norm_id, day = divmod(key, _DAY_SPAN)
        month = np.datetime64(day - _DAY_OFFSET, "D").astype(date)
        tallies[(norm_id, month)] = Tally(
            int(totals[index]), int(counts[0][index]), int(counts[1][index]), int(counts[2][index])
        )
    return tallies


# Day numbers of the calendar's years (1900–2199) shifted to 0 … _DAY_SPAN.
_DAY_OFFSET = 100_000
_DAY_SPAN = 1_000_000
