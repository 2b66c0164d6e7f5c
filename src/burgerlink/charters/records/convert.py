"""Turn raw column values into typed numpy arrays, vectorised, with an error per bad cell.

Every converter returns the values and a boolean mask of cells that could not be read; the
caller turns masked cells into row-level messages. Date-times are read in the formats of
``core.files.dates`` (Dutch and ISO 8601): without an offset they are Dutch local time (what
Excel exports); with an offset or ``Z`` they are taken as given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from burgerlink.core.calendar.localtime import AMSTERDAM
from burgerlink.core.files import LOCAL_FORMATS, OFFSET_FORMATS

Mask = npt.NDArray[np.bool_]

TRUE_WORDS = {"1", "ja", "j", "yes", "y", "true", "waar", "wahr"}
FALSE_WORDS = {"0", "nee", "n", "no", "false", "onwaar"}


def _typed(values: Any) -> pa.Array | None:
    """The values as one pyarrow array when a reader already typed them (not as text), else None.

    The fast CSV reader parses ISO 8601 moments, numbers and repeated words (as a dictionary) in
    C++; the converters below then only check ranges instead of parsing text.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array) and not (
        pa.types.is_string(values.type) or pa.types.is_large_string(values.type)
    ):
        return values
    return None


def _valid(array: pa.Array) -> Mask:
    return np.asarray(pc.is_valid(array).to_numpy(zero_copy_only=False), dtype=bool)


def _strings(values: Sequence[Any] | pa.Array) -> pa.Array:
    """Return a pyarrow string array with '' and whitespace-only cells as null."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        array = values if values.type == pa.string() else values.cast(pa.string())
    else:
        array = pa.array(
            [v if isinstance(v, str) else (None if v is None else str(v)) for v in values],
            type=pa.string(),
        )
    trimmed = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def blank_mask(values: Sequence[Any]) -> Mask:
    """Cells that are empty (or only spaces)."""
    typed = _typed(values)
    if typed is not None and pa.types.is_dictionary(typed.type):
        blank = np.append(blank_mask(typed.dictionary), True)
        per_row: Mask = blank[pc.fill_null(typed.indices, -1).to_numpy(zero_copy_only=False)]
        return per_row
    if typed is not None:
        return ~_valid(typed)
    return np.asarray(pc.is_null(_strings(values)).to_numpy(zero_copy_only=False), dtype=bool)


def text_array(values: Sequence[Any], *, max_length: int) -> tuple[pa.Array, Mask]:
    """Trimmed strings as a pyarrow array (null for blank); longer than ``max_length``: errors."""
    array = _strings(values)
    too_long = pc.fill_null(pc.greater(pc.utf8_length(array), max_length), False)
    return array, np.asarray(too_long.to_numpy(zero_copy_only=False), dtype=bool)


def _typed_datetimes(values: Sequence[Any]) -> tuple[list[int], list[int]] | None:
    """Handle XLSX cells that are already datetime/date objects; None when all are strings."""
    if isinstance(values, pa.Array | pa.ChunkedArray) or not any(
        isinstance(v, datetime | date) for v in values
    ):
        return None
    positions: list[int] = []
    micros: list[int] = []
    for index, value in enumerate(values):
        if isinstance(value, datetime | date):
            moment = value if isinstance(value, datetime) else datetime.combine(value, time())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=AMSTERDAM)
            positions.append(index)
            micros.append(int(moment.timestamp() * 1_000_000))
    return positions, micros


def datetimes(values: Sequence[Any]) -> tuple[npt.NDArray[np.datetime64], Mask]:
    """Parse date-times to UTC ``datetime64[us]`` (NaT for blank); unreadable cells are errors."""
    n = len(values)
    parsed = _typed(values)
    if parsed is not None and pa.types.is_timestamp(parsed.type) and parsed.type.tz is not None:
        micros = pc.cast(parsed, pa.timestamp("us", "UTC")).cast(pa.int64())
        result = micros.to_numpy(zero_copy_only=False).astype("datetime64[us]")
        result[~_valid(parsed)] = np.datetime64("NaT")
        return result, np.zeros(n, dtype=bool)
    result = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    typed = _typed_datetimes(values)
    if typed is not None:
        positions, micros = typed
        result[positions] = np.asarray(micros, dtype=np.int64).astype("datetime64[us]")
        values = [None if isinstance(v, datetime | date) else v for v in values]
    array = _strings(values)
    # Fractions of seconds and "+01:00"-style offsets are normalised before strptime.
    # Regular expressions are the slow part; cheap counts decide whether they are needed.
    if (
        pc.max(pc.count_substring(array, ".")).as_py()
        or pc.max(pc.count_substring(array, ",")).as_py()
    ):
        array = pc.replace_substring_regex(
            array, pattern=r"(\d\d:\d\d:\d\d)[.,]\d+", replacement=r"\1"
        )
    sign = pc.utf8_slice_codeunits(array, -6, -5)
    colon_offset = pc.fill_null(
        pc.and_(
            pc.equal(pc.utf8_slice_codeunits(array, -3, -2), ":"),
            pc.or_(pc.equal(sign, "+"), pc.equal(sign, "-")),
        ),
        False,
    )
    if pc.any(colon_offset).as_py():
        array = pc.if_else(colon_offset, pc.utf8_replace_slice(array, -3, -2, ""), array)
    todo = _valid(array)
    for formats, local in ((OFFSET_FORMATS, False), (LOCAL_FORMATS, True)):
        for fmt in formats:
            if not todo.any():
                break
            index = np.flatnonzero(todo)
            subset = array.take(pa.array(index))
            parsed = pc.strptime(subset, format=fmt, unit="us", error_is_null=True)
            if local:
                parsed = pc.assume_timezone(
                    parsed, "Europe/Amsterdam", ambiguous="earliest", nonexistent="latest"
                )
            ok = _valid(parsed)
            if ok.any():
                micros = pc.cast(parsed.filter(pa.array(ok)), pa.int64()).to_numpy()
                result[index[ok]] = micros.astype("datetime64[us]")
                todo[index[ok]] = False
    return result, todo


def integers(values: Sequence[Any]) -> tuple[npt.NDArray[np.float64], Mask]:
    """Whole numbers as float (NaN for blank); anything else is an error."""
    array = _strings(values)
    result = np.full(len(values), np.nan)
    present = _valid(array)
    digits = np.asarray(
        pc.fill_null(pc.utf8_is_digit(array), False).to_numpy(zero_copy_only=False), dtype=bool
    )
    if digits.any():
        result[digits] = (
            pc.cast(array.filter(pa.array(digits)), pa.int64()).to_numpy().astype(np.float64)
        )
    return result, present & ~digits


def durations(values: Sequence[Any]) -> tuple[npt.NDArray[np.float64], Mask]:
    """Seconds from '37', '37.5', '0:37', '00:00:37' or '1:02:03' (NaN for blank)."""
    number = _typed(values)
    if number is not None and (
        pa.types.is_integer(number.type) or pa.types.is_floating(number.type)
    ):
        seconds = pc.cast(number, pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)
        present = _valid(number)
        seconds[~present] = np.nan
        with np.errstate(invalid="ignore"):
            bad = present & ~(np.isfinite(seconds) & (seconds >= 0))
        return seconds, bad
    seconds, bad = integers(values)
    for index in np.flatnonzero(bad):
        text = str(values[int(index)]).strip().replace(",", ".")
        try:
            if ":" in text:
                parts = [float(part) for part in text.split(":")]
                if len(parts) > 3 or any(part < 0 for part in parts):
                    continue
                total = 0.0
                for part in parts:
                    total = total * 60 + part
                seconds[index] = total
            else:
                value = float(text)
                if value < 0:
                    continue
                seconds[index] = value
            bad[index] = False
        except ValueError:
            continue
    return seconds, bad


def booleans(values: Sequence[Any], *, invert: bool = False) -> tuple[npt.NDArray[np.int8], Mask]:
    """1/0 from ja/nee, yes/no, true/false, 1/0 (-1 for blank); other words are errors."""
    yes, no = (0, 1) if invert else (1, 0)
    lookup = {word: yes for word in TRUE_WORDS} | {word: no for word in FALSE_WORDS}
    found, bad = codes(values, lookup)
    return found.astype(np.int8), bad


def codes(values: Sequence[Any], lookup: Mapping[str, int]) -> tuple[npt.NDArray[np.int64], Mask]:
    """Map words (case-insensitive) to ids through ``lookup`` (-1 for blank); unknown are errors."""
    words = _typed(values)
    if words is not None and pa.types.is_dictionary(words.type):
        # Look up each distinct word once, then spread the answers over the rows.
        found, unknown = codes(words.dictionary, lookup)
        indices = pc.fill_null(words.indices, -1).to_numpy(zero_copy_only=False)
        found, unknown = np.append(found, -1), np.append(unknown, False)
        return found[indices], unknown[indices]
    array = _strings(values)
    lowered = pc.utf8_lower(array)
    keys = list(lookup)
    found = pc.index_in(lowered, value_set=pa.array(keys, type=pa.string()))
    ids = np.asarray([lookup[k] for k in keys] + [-1], dtype=np.int64)
    positions = pc.fill_null(found, len(keys)).to_numpy(zero_copy_only=False)
    result = ids[positions]
    present = _valid(array)
    return result, present & (result < 0)


def to_aware(values: np.ndarray) -> list[datetime | None]:
    """UTC ``datetime64`` values to aware datetimes (None for NaT)."""
    micros = values.astype("datetime64[us]").astype(np.int64)
    nat = np.isnat(values)
    return [
        None if nat[i] else datetime.fromtimestamp(int(micros[i]) / 1_000_000, tz=UTC)
        for i in range(len(values))
    ]


def to_instants(moments: list[datetime | None]) -> np.ndarray:
    """Aware datetimes (or None) to a UTC ``datetime64[us]`` array with NaT for None."""
    return np.array(
        [
            np.datetime64(m.astimezone(UTC).replace(tzinfo=None), "us")
            if m
            else np.datetime64("NaT")
            for m in moments
        ],
        dtype="datetime64[us]",
    )
