"""The records import's fast CSV reader: pyarrow (C++) parses the file, typed where it can.

Everything generic about reading a file (encoding, separator, headers, the careful chunked CSV
reader, XLSX, JSON, limits, the error model) comes from ``burgerlink.core.files``; this module
only adds the typed reader that makes a million contacts a matter of seconds.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import IO, Any

import numpy as np

from burgerlink.core.files import (
    Chunk,
    FileLimits,
    detect_delimiter,
    normalise_header,
    settle_encoding,
)


class FastPathUnavailableError(Exception):
    """The fast CSV reader cannot vouch for exact row numbers; read the file the careful way."""


class TypedColumnsUnavailableError(FastPathUnavailableError):
    """A column is not in the form the typed reader expects (a local time, say); read it as text."""


ColumnTypes = Callable[[list[str]], dict[str, Any]]

FAST_BLOCK_BYTES = 8 << 20


def read_csv_fast(
    stream: IO[bytes],
    types: ColumnTypes | None = None,
    *,
    utf8: bool | None = None,
    limits: FileLimits | None = None,
) -> Iterator[Chunk]:
    """Yield chunks of a CSV file parsed by pyarrow (C++), columns as pyarrow arrays.

    Columns are strings, except those ``types`` (given the column names) asks pyarrow to parse:
    ISO 8601 moments with an offset, numbers, or repeated words as a dictionary. A cell that does
    not parse raises ``TypedColumnsUnavailableError``: the caller reads the file again as text.
    Row numbers are exact only when no value spans lines; when one does, or the file is in any
    way irregular (a row with the wrong number of cells, or longer than a block), this raises
    ``FastPathUnavailableError`` and the caller falls back to ``core.files.read_csv``, which
    reports every problem with its exact line. ``limits`` are checked on every block.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    limits = limits or FileLimits.from_settings()
    head, encoding = settle_encoding(stream, utf8)
    first_line = head.decode(encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    raw_names = next(csv.reader([first_line], delimiter=delimiter))
    names = [normalise_header(name) for name in raw_names]
    if not any(names) or len(set(names)) != len(names):
        raise FastPathUnavailableError
    limits.check_width(len(names))
    column_types = dict.fromkeys(names, pa.string())
    typed = (types(names) if types else {}) if encoding.startswith("utf-8") else {}
    column_types.update(typed)
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
                block_size=FAST_BLOCK_BYTES,
                use_threads=False,
                column_names=names,
                skip_rows=1,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=column_types, strings_can_be_null=False, null_values=[""]
            ),
        )
        line = 2
        read = 0
        info = {"encoding": encoding, "delimiter": delimiter, "width": len(names), "fast": True}
        for batch in reader:
            columns = {name: batch.column(i) for i, name in enumerate(names)}
            count = batch.num_rows
            lines = np.arange(line, line + count, dtype=np.int64)
            line += count
            empty = np.ones(count, dtype=bool)
            for name, column in columns.items():
                if name in typed:
                    empty &= np.asarray(column.is_null().to_numpy(zero_copy_only=False))
                    continue
                if pc.any(pc.match_substring(column, "\n")).as_py():
                    raise FastPathUnavailableError
                _check_cells(column, name, lines, limits)
                empty &= np.asarray(
                    pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False)
                )
            if empty.any():
                keep = pa.array(~empty)
                columns = {name: column.filter(keep) for name, column in columns.items()}
                lines = lines[~empty]
            read += len(lines)
            limits.check_rows(read, len(names))
            yield Chunk(columns, lines, {**info, "bad_width": []})
    except pa.ArrowInvalid as error:
        if typed and "conversion error" in str(error):
            raise TypedColumnsUnavailableError from error
        raise FastPathUnavailableError from error


def _check_cells(column: Any, name: str, lines: Any, limits: FileLimits) -> None:
    """Refuse a block with a text over the cell limit, naming its row (bytes first: cheap)."""
    import pyarrow.compute as pc

    if (pc.max(pc.binary_length(column)).as_py() or 0) <= limits.max_cell_chars:
        return
    lengths = pc.utf8_length(column).to_numpy(zero_copy_only=False)
    over = np.flatnonzero(lengths > limits.max_cell_chars)
    if len(over):
        raise limits.cell_too_long(int(lines[over[0]]), name)
