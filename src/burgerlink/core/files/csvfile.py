"""Read a CSV file in chunks, streaming: any separator, UTF-8 (with or without BOM) or
Windows-1252, with the limits checked on every line."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from burgerlink.core.files.chunks import CHUNK_ROWS, Chunk
from burgerlink.core.files.limits import FileLimits
from burgerlink.core.files.problems import UnreadableFileError
from burgerlink.core.files.sniff import detect_delimiter, normalise_header, settle_encoding


def seekable(stream: IO[bytes]) -> IO[bytes]:
    """``stream`` itself when it can seek, else a spooled copy (readers read a file twice)."""
    if stream.seekable():
        return stream
    spooled = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 - lives as long as the import
    shutil.copyfileobj(stream, spooled)
    spooled.seek(0)
    return spooled


class _Lines:
    """The physical lines of a text stream, each refused when it is over the line limit.

    Counts the characters handed out, so the reader knows when a record may hold a cell over
    the cell limit (only then does it measure the cells).
    """

    def __init__(self, text: IO[str], limits: FileLimits, first_line: int) -> None:
        self.text = text
        self.limits = limits
        self.line = first_line - 1
        self.chars = 0

    def __iter__(self) -> Iterator[str]:
        limit = self.limits.max_line_chars
        readline = self.text.readline
        while line := readline(limit + 1):
            self.line += 1
            if len(line) > limit:
                raise self.limits.line_too_long(self.line)
            self.chars += len(line)
            yield line


def read_csv(
    stream: IO[bytes],
    *,
    chunk_rows: int = CHUNK_ROWS,
    utf8: bool | None = None,
    limits: FileLimits | None = None,
) -> Iterator[Chunk]:
    """Yield chunks of a CSV file, streaming; the first row holds the column names.

    The encoding is decided before parsing (see ``settle_encoding``; pass ``utf8`` from a
    ``fingerprint`` to spare a pass), the separator from the first line. Rows with another
    number of cells than the first row are listed in ``extra['bad_width']``, blank rows skipped.
    ``limits`` (default: the settings') are checked on every line; a file over one raises
    ``FileTooLargeError`` naming the row.
    """
    limits = limits or FileLimits.from_settings()
    stream = seekable(stream)
    _head, encoding = settle_encoding(stream, utf8)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        header_line = text.readline(limits.max_line_chars + 1)
        if len(header_line) > limits.max_line_chars:
            raise limits.line_too_long(1)
        delimiter = detect_delimiter(header_line)
        names = [
            normalise_header(name) for name in next(csv.reader([header_line], delimiter=delimiter))
        ]
        if not any(names):
            raise UnreadableFileError(_("De eerste regel moet de kolomnamen bevatten."))
        limits.check_width(len(names))
        info = {"encoding": encoding, "delimiter": delimiter, "width": len(names)}
        yield from _csv_chunks(text, names, delimiter, info, chunk_rows, limits)
    finally:
        # Give the byte stream back to its owner instead of closing it with the wrapper.
        with contextlib.suppress(ValueError):
            text.detach()


def _csv_chunks(
    text: IO[str],
    names: list[str],
    delimiter: str,
    info: dict[str, Any],
    chunk_rows: int,
    limits: FileLimits,
) -> Iterator[Chunk]:
    width = len(names)
    lines = _Lines(text, limits, first_line=2)
    # The csv module refuses longer fields itself (it would otherwise collect a field of any
    # length across lines); the limit is per process, so only ever raise it.
    if csv.field_size_limit() <= limits.max_cell_chars:
        csv.field_size_limit(limits.max_cell_chars + 1)
    reader = csv.reader(lines, delimiter=delimiter)
    columns: dict[str, list[Any]] = {name: [] for name in names}
    ordered = [columns[name] for name in names]
    rows: list[int] = []
    bad_width: list[tuple[int, int]] = []
    previous_line = 1
    read = 0
    chars = 0
    max_cell = limits.max_cell_chars
    # Past this many rows the file is over the row or the cell limit.
    row_cap = min(limits.max_rows, limits.max_cells // width)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise limits.cell_too_long(previous_line + 1, "") from error
            raise UnreadableFileError(
                _("Regel %(line)s kan niet worden gelezen: %(error)s")
                % {"line": previous_line + 1, "error": error},
                row=previous_line + 1,
            ) from error
        line_no = previous_line + 1  # a record starts on the line after the last one
        previous_line = lines.line
        record_chars, chars = lines.chars - chars, lines.chars
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if record_chars > max_cell:
            # Only a record this long can hold a cell over the limit: measure its cells.
            for index, value in enumerate(record):
                limits.check_cell(value, line_no, names[index] if index < width else "")
        read += 1
        if read > row_cap:
            limits.check_rows(read, width)
        if len(record) != width:
            bad_width.append((line_no, len(record)))
        else:
            for target, value in zip(ordered, record, strict=True):
                target.append(value)
            rows.append(line_no)
        if len(rows) + len(bad_width) >= chunk_rows:
            yield Chunk(columns, rows, {**info, "bad_width": bad_width})
            columns = {name: [] for name in names}
            ordered = [columns[name] for name in names]
            rows, bad_width = [], []
    yield Chunk(columns, rows, {**info, "bad_width": bad_width})
