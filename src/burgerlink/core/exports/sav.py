"""A streaming writer of SPSS system files (.sav, uncompressed), pure Python and numpy.

pyreadstat writes a whole data frame at once; exports of a million responses must stream with
bounded memory, so this module writes the format itself, chunk by chunk:

1. the file header (``$FL2``, 176 bytes; the case count is patched in at the end);
2. one variable record (type 2) per 8-byte slot: the variable itself, then continuation records
   for the rest of a string's slots, with the variable label and up to three discrete
   user-missing values (98 don't know, 99 not applicable);
3. value labels (type 3) with the variables they belong to (type 4);
4. extension records (type 7): machine integer info (3; UTF-8 = code page 65001), machine
   floating point info (4), display parameters (11: measurement level, width, alignment), long
   variable names (13), very long strings (14) and the character encoding (20, ``UTF-8``);
5. the dictionary termination (999);
6. the cases: per case every slot as a little-endian double (system missing = -DBL_MAX) or as
   string bytes padded with spaces to a multiple of 8.

Strings longer than 255 bytes are "very long strings": split into segments of width 255 that
hold 255 bytes each (the last segment holds the rest and has width ``w - 252·(n-1)``), each a
variable of its own with a generated short name, tied together by record 14 — the layout
ReadStat (pyreadstat, haven) writes and reads.

Dates are numeric: seconds since 14 October 1582 with format DATE11 (``spss_date``); moments
the same with their time of day, format DATETIME20 (``spss_datetime``).
"""

from __future__ import annotations

import math
import re
import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO, Literal

import numpy as np
import numpy.typing as npt

SYSMIS = -sys.float_info.max
HIGHEST = sys.float_info.max
LOWEST = float(np.nextafter(-sys.float_info.max, 0.0))
MAX_SHORT_STRING = 255
SEGMENT_STEP = 252
MAX_VARIABLE_LABEL = 255
MAX_VALUE_LABEL = 120
MAX_NAME = 64
SPSS_EPOCH = date(1582, 10, 14)
FORMAT_CODES = {"A": 1, "F": 5, "DATE": 20, "DATETIME": 22}
MEASURES = {"nominal": 1, "ordinal": 2, "scale": 3}
RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.@#$]")

Measure = Literal["nominal", "ordinal", "scale"]


def spss_date(value: date | datetime) -> float:
    """Seconds since 14 October 1582 (SPSS dates), for a date."""
    day = value.date() if isinstance(value, datetime) else value
    return float((day - SPSS_EPOCH).days * 86400)


def spss_datetime(value: datetime) -> float:
    """Seconds since 14 October 1582 (SPSS moments), for a moment on its own clock."""
    midnight = float((value.date() - SPSS_EPOCH).days * 86400)
    return midnight + value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6


def _truncate(text: str, limit: int) -> bytes:
    """UTF-8 bytes of ``text`` cut at ``limit`` bytes without splitting a character."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return raw
    return raw[:limit].decode("utf-8", errors="ignore").encode("utf-8")


def valid_name(name: str) -> str:
    """A valid SPSS variable name for ``name`` (letters, digits, _ . @ # $; ≤ 64 bytes)."""
    clean = _NAME_CHARS.sub("_", name) or "V"
    if not clean[0].isalpha() and clean[0] not in "@#$":
        clean = "V" + clean
    if clean.upper() in RESERVED:
        clean += "_"
    return clean[:MAX_NAME].rstrip(".")


@dataclass(frozen=True)
class SavVariable:
    """One variable of the file: numeric (``width`` 0) or a string of ``width`` bytes."""

    name: str
    label: str = ""
    width: int = 0
    decimals: int = 0
    format: Literal["F", "DATE", "DATETIME"] = "F"
    value_labels: tuple[tuple[float, str], ...] = ()
    missing: tuple[float, ...] = ()
    measure: Measure = "nominal"
    display_width: int = 8

    def __post_init__(self) -> None:
        """Reject impossible widths and too many missing values."""
        if not 0 <= self.width <= 32767:
            raise ValueError(f"{self.name}: string width must be 0..32767")
        if len(self.missing) > 3:
            raise ValueError(f"{self.name}: at most three discrete missing values")
        if self.width and (self.value_labels or self.missing):
            raise ValueError(f"{self.name}: value labels and missing values only for numbers")

    @property
    def is_string(self) -> bool:
        """Whether this is a string variable."""
        return self.width > 0


@dataclass(frozen=True)
class _Segment:
    """One dictionary variable: a numeric, a short string or a segment of a very long string."""

    short_name: str
    width: int
    capacity: int

    @property
    def slots(self) -> int:
        return 1 if self.width == 0 else math.ceil(self.width / 8)


@dataclass
class _Layout:
    variables: list[SavVariable]
    segments: list[list[_Segment]] = field(default_factory=list)

    @property
    def slots(self) -> int:
        return sum(segment.slots for parts in self.segments for segment in parts)


def _segments(variable: SavVariable) -> list[tuple[int, int]]:
    """(width, capacity) of each dictionary variable that stores ``variable``."""
    width = variable.width
    if width <= MAX_SHORT_STRING:
        return [(width, width)]
    count = math.ceil(width / SEGMENT_STEP)
    parts = [(MAX_SHORT_STRING, MAX_SHORT_STRING)] * (count - 1)
    last_width = width - SEGMENT_STEP * (count - 1)
    last_capacity = max(0, width - MAX_SHORT_STRING * (count - 1))
    return [*parts, (last_width, last_capacity)]


def _short_names(variables: Sequence[SavVariable]) -> _Layout:
    layout = _Layout(list(variables))
    used: set[str] = set()

    def unique(base: str) -> str:
        base = base.upper()[:8] or "V"
        if base not in used:
            used.add(base)
            return base
        for number in range(1, 10**7):
            suffix = str(number)
            candidate = base[: 8 - len(suffix)] + suffix
            if candidate not in used:
                used.add(candidate)
                return candidate
        raise ValueError("no short name left")

    long_names: set[str] = set()
    for variable in variables:
        if variable.name.upper() in long_names:
            raise ValueError(f"variable name {variable.name} is used twice (names ignore case)")
        long_names.add(variable.name.upper())
    for variable in variables:
        first = unique(variable.name)
        parts = []
        for position, (width, capacity) in enumerate(_segments(variable)):
            name = first if position == 0 else unique(first[:5] + str(position - 1))
            parts.append(_Segment(name, width, capacity))
        layout.segments.append(parts)
    return layout


def _format(kind: str, width: int, decimals: int) -> int:
    return (FORMAT_CODES[kind] << 16) | (min(width, 255) << 8) | decimals


class SavWriter:
    """Write a .sav file to a seekable binary stream: the dictionary now, cases chunk by chunk.

    Give ``write_chunk`` one sequence per variable (floats for numbers, NaN = system missing;
    strings or None for string variables), all of the same length; call ``close`` at the end
    to patch the case count into the header.
    """

    def __init__(
        self,
        stream: BinaryIO,
        variables: Sequence[SavVariable],
        *,
        file_label: str = "",
        created: datetime | None = None,
    ) -> None:
        """Validate the variables and write the header and dictionary."""
        if not variables:
            raise ValueError("a .sav file needs at least one variable")
        self.stream = stream
        self.layout = _short_names(variables)
        self.cases = 0
        self._start = stream.tell()
        self._dtype = self._case_dtype()
        self._write_dictionary(file_label, created or datetime.now())  # noqa: DTZ005

    # --- dictionary ---

    def _case_dtype(self) -> np.dtype[np.void]:
        fields = []
        for i, parts in enumerate(self.layout.segments):
            for j, segment in enumerate(parts):
                kind = "<f8" if segment.width == 0 else f"S{segment.slots * 8}"
                fields.append((f"v{i}_{j}", kind))
        return np.dtype(fields)

    def _write_dictionary(self, file_label: str, created: datetime) -> None:
        out = bytearray()
        product = b"@(#) SPSS DATA FILE - Burgerlink"
        out += b"$FL2" + product.ljust(60, b" ")
        out += struct.pack("<iiiii", 2, self.layout.slots, 0, 0, -1)
        out += struct.pack("<d", 100.0)
        months = [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ]
        stamp = f"{created.day:02d} {months[created.month - 1]} {created.year % 100:02d}"
        out += stamp.encode("ascii").ljust(9, b" ")
        out += created.strftime("%H:%M:%S").encode("ascii")
        out += _truncate(file_label, 64).ljust(64, b" ")
        out += b"\0\0\0"
        assert len(out) == 176  # noqa: S101 - a fixed-size record, checked while writing
        labelled: list[tuple[SavVariable, int]] = []
        index = 1
        for variable, parts in zip(self.layout.variables, self.layout.segments, strict=True):
            for position, segment in enumerate(parts):
                out += self._variable_record(variable, segment, first=position == 0)
                for _ in range(segment.slots - 1):
                    out += struct.pack("<iiiiii", 2, -1, 0, 0, 0, 0) + b" " * 8
                if position == 0 and variable.value_labels:
                    labelled.append((variable, index))
                index += segment.slots
        for variable, position in labelled:
            out += struct.pack("<ii", 3, len(variable.value_labels))
            for value, label in variable.value_labels:
                raw = _truncate(label, MAX_VALUE_LABEL)
                entry = bytes([len(raw)]) + raw
                entry = entry.ljust(math.ceil(len(entry) / 8) * 8, b" ")
                out += struct.pack("<d", float(value)) + entry
            out += struct.pack("<iii", 4, 1, position)
        out += self._extensions()
        out += struct.pack("<ii", 999, 0)
        self.stream.write(bytes(out))

    def _variable_record(self, variable: SavVariable, segment: _Segment, *, first: bool) -> bytes:
        if segment.width:
            fmt = _format("A", segment.width, 0)
        elif variable.format == "DATE":
            fmt = _format("DATE", 11, 0)
        elif variable.format == "DATETIME":
            fmt = _format("DATETIME", 20, 0)
        else:
            fmt = _format("F", max(variable.display_width, 1), variable.decimals)
        label = _truncate(variable.label, MAX_VARIABLE_LABEL) if first else b""
        missing = variable.missing if first and not variable.width else ()
        record = struct.pack("<iiiiii", 2, segment.width, 1 if label else 0, len(missing), fmt, fmt)
        record += segment.short_name.encode("ascii").ljust(8, b" ")
        if label:
            record += struct.pack("<i", len(label)) + label.ljust(
                math.ceil(len(label) / 4) * 4, b" "
            )
        for value in missing:
            record += struct.pack("<d", float(value))
        return record

    def _extensions(self) -> bytes:
        out = bytearray()

        def record(subtype: int, size: int, data: bytes) -> None:
            nonlocal out
            out += struct.pack("<iiii", 7, subtype, size, len(data) // size) + data

        record(3, 4, struct.pack("<8i", 20, 0, 0, -1, 1, 1, 2, 65001))
        record(4, 8, struct.pack("<3d", SYSMIS, HIGHEST, LOWEST))
        display = bytearray()
        for variable, parts in zip(self.layout.variables, self.layout.segments, strict=True):
            for _segment in parts:
                width = variable.display_width
                alignment = 0 if variable.is_string else 1
                display += struct.pack("<3i", MEASURES[variable.measure], width, alignment)
        record(11, 4, bytes(display))
        names = "\t".join(
            f"{parts[0].short_name}={variable.name}"
            for variable, parts in zip(self.layout.variables, self.layout.segments, strict=True)
        )
        record(13, 1, names.encode("utf-8"))
        very_long = b"".join(
            f"{parts[0].short_name}={variable.width:05d}".encode("ascii") + b"\0\t"
            for variable, parts in zip(self.layout.variables, self.layout.segments, strict=True)
            if variable.width > MAX_SHORT_STRING
        )
        if very_long:
            record(14, 1, very_long)
        record(20, 1, b"UTF-8")
        return bytes(out)

    # --- cases ---

    def write_chunk(self, columns: Sequence[Sequence[object] | npt.NDArray[np.float64]]) -> None:
        """Append cases: one column per variable, in the order of the variables."""
        if len(columns) != len(self.layout.variables):
            raise ValueError(f"{len(columns)} columns for {len(self.layout.variables)} variables")
        rows = len(columns[0]) if columns else 0
        if any(len(column) != rows for column in columns):
            raise ValueError("every column needs the same number of rows")
        if rows == 0:
            return
        block = np.zeros(rows, dtype=self._dtype)
        for i, (variable, parts, column) in enumerate(
            zip(self.layout.variables, self.layout.segments, columns, strict=True)
        ):
            if not variable.is_string:
                values = np.asarray(column, dtype=np.float64)
                block[f"v{i}_0"] = np.where(np.isnan(values), SYSMIS, values)
                continue
            encoded = [
                _truncate("" if value is None else str(value), variable.width) for value in column
            ]
            offset = 0
            for j, segment in enumerate(parts):
                size = segment.slots * 8
                start, stop = offset, offset + segment.capacity
                block[f"v{i}_{j}"] = [raw[start:stop].ljust(size, b" ") for raw in encoded]
                offset = stop
        self.stream.write(block.tobytes())
        self.cases += rows

    def close(self) -> None:
        """Patch the number of cases into the header (the stream stays open)."""
        end = self.stream.tell()
        self.stream.seek(self._start + 80)
        self.stream.write(struct.pack("<i", self.cases if self.cases < 2**31 else -1))
        self.stream.seek(end)
