"""Vectorised conversion between UTC instants and Dutch local dates (Europe/Amsterdam).

Deadlines count days on the Dutch calendar, so a record received at 23:30 UTC on a winter
evening belongs to the next local day. Offsets change only on whole UTC hours (and never at local
midnight), so computing the offset once per distinct hour or date with ``zoneinfo`` and spreading
it with numpy is exact and fast.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
US_PER_HOUR = 3_600_000_000
US_PER_DAY = 86_400_000_000

InstantArray = npt.NDArray[np.datetime64]  # datetime64[us], UTC, NaT allowed
DateArray = npt.NDArray[np.datetime64]  # datetime64[D]


def _offset_us(instant: datetime) -> int:
    offset = instant.astimezone(AMSTERDAM).utcoffset() or timedelta(0)
    return int(offset.total_seconds()) * 1_000_000


def _hourly_offsets(first_hour: int, last_hour: int) -> npt.NDArray[np.int64]:
    """The offset (µs) of every whole UTC hour from ``first_hour`` to ``last_hour`` inclusive.

    Offsets change at most a few times a year: one ``zoneinfo`` call per day, and per hour only
    on the days where the offset changes.
    """
    first_day, last_day = first_hour // 24, last_hour // 24 + 1
    daily = np.array(
        [
            _offset_us(datetime.fromtimestamp(day * 86_400, tz=UTC))
            for day in range(first_day, last_day + 1)
        ],
        dtype=np.int64,
    )
    hourly = np.repeat(daily[:-1], 24)
    for index in np.flatnonzero(daily[1:] != daily[:-1]):
        start = (first_day + int(index)) * 24
        hourly[index * 24 : index * 24 + 24] = [
            _offset_us(datetime.fromtimestamp((start + hour) * 3600, tz=UTC)) for hour in range(24)
        ]
    offset = first_hour - first_day * 24
    return hourly[offset : offset + last_hour - first_hour + 1]


# Beyond this many days the records are spread so thinly that one call per distinct hour is less.
_DAILY_SPAN_LIMIT = 40 * 366


def utc_to_local_dates(instants: InstantArray) -> DateArray:
    """Return the Dutch calendar date of each UTC instant (NaT stays NaT)."""
    instants = np.asarray(instants, dtype="datetime64[us]")
    result = np.full(instants.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    valid = ~np.isnat(instants)
    if not valid.any():
        return result
    micros = instants[valid].astype(np.int64)
    hours = micros // US_PER_HOUR
    first, last = int(hours.min()), int(hours.max())
    if last - first < _DAILY_SPAN_LIMIT * 24:
        local = micros + _hourly_offsets(first, last)[hours - first]
    else:
        distinct, inverse = np.unique(hours, return_inverse=True)
        offsets = np.array(
            [_offset_us(datetime.fromtimestamp(int(h) * 3600, tz=UTC)) for h in distinct],
            dtype=np.int64,
        )
        local = micros + offsets[inverse]
    result[valid] = (local // US_PER_DAY).astype("datetime64[D]")
    return result


def local_midnight_utc(days: DateArray) -> InstantArray:
    """Return the UTC instant at which each Dutch calendar date begins (NaT stays NaT)."""
    days = np.asarray(days, dtype="datetime64[D]")
    result = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[us]")
    valid = ~np.isnat(days)
    if not valid.any():
        return result
    numbers = days[valid].astype(np.int64)
    unique_days, inverse = np.unique(numbers, return_inverse=True)
    offsets = np.array(
        [
            _offset_us(datetime(1970, 1, 1, tzinfo=AMSTERDAM) + timedelta(days=int(d)))
            for d in unique_days
        ],
        dtype=np.int64,
    )
    # Local midnight of day d is d*24h local time, i.e. that minus the offset in UTC.
    result[valid] = (numbers * US_PER_DAY - offsets[inverse]).astype("datetime64[us]")
    return result


def month_starts(days: DateArray) -> DateArray:
    """Return the first day of the month of each date (NaT stays NaT)."""
    days = np.asarray(days, dtype="datetime64[D]")
    return days.astype("datetime64[M]").astype("datetime64[D]")
