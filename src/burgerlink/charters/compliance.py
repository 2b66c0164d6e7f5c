"""The compliance engine: numpy arrays of records in, norm, deadline and verdict per record out.

Pure and vectorised: no ORM, no loops over records. Deadlines come only from the calendar
module (``WorkingCalendar``). Conventions:

* A record is measured by the one norm whose key (channel for contacts, case type for cases)
  matches and whose charter version is valid on the record's Dutch start date.
* Day-based norms count from the day after the start date; the promise is kept when the record
  is handled before the end of the deadline day (Dutch time).
* Elapsed-time norms compare the wait (or handled minus received) with the threshold.
* A legal term starts on the day the application is complete (or received), is pushed back by
  suspended days (Awb 4:15) and extended days (Awb 4:14), and ends per the Algemene termijnenwet.
* A record without an end moment is OPEN; at reporting time an open record past its deadline
  counts as missed (``summarise``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from burgerlink.core.calendar import WorkingCalendar
from burgerlink.core.calendar.localtime import local_midnight_utc, month_starts, utc_to_local_dates

Instants = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

UNMEASURED, MET, MISSED, OPEN = 0, 1, 2, 3
ONE_DAY = np.timedelta64(1, "D")


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
        verdict=np.zeros(n, dtype=np.int8),
        lateness_seconds=np.zeros(n, dtype=np.int64),
        period=month_starts(local_dates),
    )


def _rule_mask(
    rule: NormRule, keys: Ints, local_dates: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.bool_]:
    mask = (keys == rule.key) & (local_dates >= np.datetime64(rule.valid_from, "D"))
    if rule.valid_to is not None:
        mask &= local_dates < np.datetime64(rule.valid_to, "D")
    return mask


def _day_deadline(rule: NormRule, start_days: npt.NDArray[np.datetime64], amount: int) -> Instants:
    """The instant the deadline day ends, for a day- or week-based norm."""
    if rule.metric == "working_days":
        last_day = rule.calendar.add_working_days_v(start_days, amount)
    elif rule.metric == "weeks":
        last_day = rule.calendar.term_end_v(start_days, amount, "weeks")
    else:  # calendar_days
        last_day = rule.calendar.term_end_v(start_days, amount, "calendar_days")
    return local_midnight_utc(last_day + ONE_DAY)


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
    verdict = np.where(done, np.where(late, MISSED, MET), OPEN).astype(np.int8)
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
        if rule.metric in {"elapsed_seconds", "elapsed_minutes"}:
            limit_s = rule.threshold * (60 if rule.metric == "elapsed_minutes" else 1)
            waited = np.asarray(wait_seconds, dtype=np.float64)[mask]
            got = received[mask]
            ended = handled[mask].copy()
            # A known wait is the measure; the end moment follows from it.
            has_wait = ~np.isnan(waited)
            ended[has_wait] = got[has_wait] + (waited[has_wait] * 1e6).astype("timedelta64[us]")
            deadline = got + np.timedelta64(int(round(limit_s * 1e6)), "us")
            if answered is not None:
                gave_up = np.asarray(answered)[mask] == 0
                ended[gave_up] = np.datetime64("NaT")
            _judge(result, mask, deadline, ended)
            if answered is not None:
                gave_up_idx = np.flatnonzero(mask)[gave_up]
                early = ~has_wait[gave_up] | (waited[gave_up] <= limit_s)
                result.verdict[gave_up_idx[early]] = UNMEASURED
                result.verdict[gave_up_idx[~early]] = MISSED
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
        if rule.metric == "legal_term":
            unit = rule.term_unit or "weeks"
            last_day = rule.calendar.term_end_v(starts, int(rule.threshold), unit)
            deadline = local_midnight_utc(last_day + ONE_DAY)
        elif rule.metric in {"elapsed_seconds", "elapsed_minutes"}:
            limit_s = rule.threshold * (60 if rule.metric == "elapsed_minutes" else 1)
            deadline = np.asarray(
                start_moment[mask] + np.timedelta64(int(round(limit_s * 1e6)), "us"),
                dtype="datetime64[us]",
            )
        else:
            deadline = _day_deadline(rule, starts, int(rule.threshold))
        _judge(result, mask, deadline, decided[mask])
    return result


@dataclass(frozen=True)
class NormSummary:
    """Compliance of one norm in one period."""

    key: object
    met: int
    missed: int
    open_overdue: int
    open_within: int

    @property
    def measured(self) -> int:
        """Records with a verdict at the moment of reporting (open and overdue counts as missed)."""
        return self.met + self.missed + self.open_overdue

    @property
    def share_met(self) -> float | None:
        """Share of measured records that met the norm, or None when nothing was measured."""
        return self.met / self.measured if self.measured else None


def summarise(
    keys: Ints, verdicts: npt.NDArray[np.int8], deadlines: Instants, now: datetime | np.datetime64
) -> dict[int, NormSummary]:
    """Count met, missed, open-overdue and open-within per key (e.g. norm id) at ``now``."""
    keys = np.asarray(keys, dtype=np.int64)
    verdicts = np.asarray(verdicts)
    if isinstance(now, datetime):
        moment = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
        now64 = np.datetime64(moment, "us")
    else:
        now64 = now.astype("datetime64[us]")
    is_open = verdicts == OPEN
    overdue = is_open & (np.asarray(deadlines, dtype="datetime64[us]") < now64)
    result = {}
    for key in np.unique(keys[verdicts != UNMEASURED]):
        mine = keys == key
        result[int(key)] = NormSummary(
            key=int(key),
            met=int(np.count_nonzero(mine & (verdicts == MET))),
            missed=int(np.count_nonzero(mine & (verdicts == MISSED))),
            open_overdue=int(np.count_nonzero(mine & overdue)),
            open_within=int(np.count_nonzero(mine & is_open & ~overdue)),
        )
    return result
