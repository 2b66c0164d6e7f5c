"""The parts of the fast import path: typed CSV reading, typed converters, binary COPY encoding,
and local dates from UTC instants. Pure functions: no database."""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest

from burgerlink.charters.records import convert, readers
from burgerlink.charters.records.pgcopy import HEADER, TRAILER, Column, encode
from burgerlink.core.calendar.localtime import AMSTERDAM, utc_to_local_dates

TYPES = {
    "received_at": pa.timestamp("us", "UTC"),
    "wait_seconds": pa.float64(),
    "channel": pa.dictionary(pa.int32(), pa.string()),
}


def typed_chunks(text: str) -> list[readers.Chunk]:
    return list(readers.read_csv_fast(io.BytesIO(text.encode()), lambda names: TYPES))


def test_the_typed_reader_parses_moments_with_offsets_numbers_and_words() -> None:
    (chunk,) = typed_chunks(
        "source_id,channel,received_at,wait_seconds\n"
        "A,phone,2025-03-07T09:00:00+01:00,12\n"
        "B,Telefoon,2025-07-07T09:00:00.5+02:00,\n"
    )
    received, bad = convert.datetimes(chunk.columns["received_at"])
    assert not bad.any()
    assert [str(moment) for moment in received] == [
        "2025-03-07T08:00:00.000000",
        "2025-07-07T07:00:00.500000",
    ]
    seconds, bad = convert.durations(chunk.columns["wait_seconds"])
    assert seconds[0] == 12 and np.isnan(seconds[1]) and not bad.any()
    ids, bad = convert.codes(chunk.columns["channel"], {"phone": 1, "telefoon": 1})
    assert ids.tolist() == [1, 1] and not bad.any()
    assert chunk.rows.tolist() == [2, 3]


@pytest.mark.parametrize(
    "cell",
    ["2025-03-07 09:00", "07-03-2025 09:00", "gisteren"],
    ids=["local ISO", "Dutch", "words"],
)
def test_the_typed_reader_gives_way_for_anything_but_a_moment_with_an_offset(cell: str) -> None:
    with pytest.raises(readers.TypedColumnsUnavailableError):
        typed_chunks(f"source_id,channel,received_at,wait_seconds\nA,phone,{cell},1\n")


def test_typed_converters_flag_what_text_converters_flag() -> None:
    seconds, bad = convert.durations(pa.array([3.0, -1.0, None, float("inf")]))
    assert bad.tolist() == [False, True, False, True]
    words = pa.array(["ja", "misschien", None, "ja"]).dictionary_encode()
    answered, bad = convert.booleans(words)
    assert answered.tolist() == [1, -1, -1, 1]
    assert bad.tolist() == [False, True, False, False]
    assert convert.blank_mask(words).tolist() == [False, False, True, False]


def decode(stream: bytes) -> list[tuple[object, ...]]:
    """Read PostgreSQL binary COPY rows back (as raw field bytes; None for NULL)."""
    assert stream.startswith(HEADER) and stream.endswith(TRAILER)
    body, rows = memoryview(stream)[len(HEADER) : -len(TRAILER)], []
    position = 0
    while position < len(body):
        (count,) = struct.unpack_from(">h", body, position)
        position += 2
        row: list[object] = []
        for _ in range(count):
            (length,) = struct.unpack_from(">i", body, position)
            position += 4
            if length < 0:
                row.append(None)
                continue
            row.append(bytes(body[position : position + length]))
            position += length
        rows.append(tuple(row))
    return rows


def test_binary_copy_rows_carry_every_value_null_and_text_length() -> None:
    moments = np.array(["1999-12-31T23:59:59", "2025-03-07T08:00:00", "2025-03-07T08:00:01"])
    ids = pa.array(["A", "één", "a-much-longer-source-id"])
    stream = encode(
        [
            Column("int8", np.array([1, 2, 3]), np.array([False, True, False])),
            Column("text", ids),
            Column("timestamptz", moments.astype("datetime64[us]")),
            Column("date", np.array(["2025-03-01"] * 3, dtype="datetime64[D]")),
            Column("bool", np.array([True, False, True]), np.array([False, False, True])),
            Column("int2", np.array([1, 2, 3], dtype=np.int16)),
        ]
    )
    epoch = datetime(2000, 1, 1, tzinfo=UTC)

    def micros(text: str) -> bytes:
        moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
        return struct.pack(">q", (moment - epoch) // timedelta(microseconds=1))

    day = struct.pack(">i", (datetime(2025, 3, 1, tzinfo=UTC) - epoch).days)
    expected = {
        (struct.pack(">q", 1), b"A", micros(moments[0]), day, b"\x01", struct.pack(">h", 1)),
        (None, "één".encode(), micros(moments[1]), day, b"\x00", struct.pack(">h", 2)),
        (
            struct.pack(">q", 3),
            b"a-much-longer-source-id",
            micros(moments[2]),
            day,
            None,
            struct.pack(">h", 3),
        ),
    }
    assert set(decode(stream)) == expected


def test_local_dates_follow_summer_and_winter_time_over_years() -> None:
    rng = np.random.default_rng(7)
    start = np.datetime64("2018-01-01T00:00:00", "us")
    instants = start + rng.integers(0, 8 * 365 * 86_400, 5_000).astype("timedelta64[s]")
    instants[::50] = np.datetime64("NaT")
    expected = [
        None
        if np.isnat(moment)
        else datetime.fromisoformat(str(moment)).replace(tzinfo=UTC).astimezone(AMSTERDAM).date()
        for moment in instants
    ]
    found = utc_to_local_dates(instants)
    assert [None if np.isnat(day) else day.item() for day in found] == expected
    # Both sides of the switch to summer time (01:00 UTC) and back to winter time.
    edges = np.array(
        [
            "2025-03-29T22:59:59",
            "2025-03-29T23:00:00",
            "2025-10-25T21:59:59",
            "2025-10-25T22:00:00",
        ],
        dtype="datetime64[us]",
    )
    assert [str(day) for day in utc_to_local_dates(edges)] == [
        "2025-03-29",
        "2025-03-30",
        "2025-10-25",
        "2025-10-26",
    ]
