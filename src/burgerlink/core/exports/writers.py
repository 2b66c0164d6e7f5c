"""Writers that stream a table into CSV, Excel (.xlsx) or SPSS (.sav), chunk by chunk.

A chunk is one sequence per column (column-major, as numpy and the database hand them over),
all of the same length; ``by_columns`` turns a list of rows into one. Each writer keeps only
the chunk in hand, so memory stays bounded whatever the number of rows:

* CSV: UTF-8 with a byte-order mark (so Excel reads the accents), a header of column names,
  dates as ISO 8601;
* Excel: openpyxl's write-only (streaming) workbook with the data on one sheet and a codebook
  sheet (name, label, value labels);
* SPSS: ``sav.SavWriter``, with variable and value labels and user-missing values.

Every CSV and Excel cell passes through ``cells.safe_cell``: text that a spreadsheet would run
as a formula is written with a leading apostrophe; numbers stay numbers. SPSS does not run cell
contents, so a .sav file keeps the texts exactly as they were.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any, BinaryIO, Protocol, cast

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from burgerlink.core.exports.cells import safe_cell, safe_text
from burgerlink.core.exports.columns import Column
from burgerlink.core.exports.sav import SavWriter, spss_date, spss_datetime

FORMATS = ("csv", "xlsx", "sav")
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "sav": "sav"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}
XLSX_MAX_ROWS = 1_048_575
"""Rows of data one Excel sheet holds (one more is the header)."""

Chunk = Sequence[Sequence[Any]]


class TableWriter(Protocol):
    """Where the chunks go: one file of one format."""

    def write(self, chunk: Chunk) -> None:
        """Append one chunk (one sequence per column)."""
        ...

    def close(self) -> None:
        """Finish the file (the stream stays open)."""
        ...


def by_columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Turn rows (one sequence per row) into a chunk (one list per column)."""
    columns: list[list[Any]] = [[] for _ in range(width)]
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a row has {len(row)} values for {width} columns")
        for position, value in enumerate(row):
            columns[position].append(value)
    return columns


def _local(moment: datetime) -> datetime:
    """A moment on the local clock, without zone (what spreadsheets and SPSS can hold)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def _value(value: Any, column: Column) -> Any:
    """A chunk's value as CSV and Excel write it: missing as None, whole numbers as int."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and column.decimals == 0 else value
    if isinstance(value, datetime):
        return _local(value)
    return value


def _rows(columns: Sequence[Column], chunk: Chunk) -> Iterator[list[Any]]:
    if len(chunk) != len(columns):
        raise ValueError(f"{len(chunk)} columns in a chunk for {len(columns)} columns")
    lists = [
        values.tolist() if isinstance(values, np.ndarray) else list(values) for values in chunk
    ]
    for values in zip(*lists, strict=True):
        yield [
            safe_cell(_value(value, column)) for value, column in zip(values, columns, strict=True)
        ]


class CsvTableWriter:
    """CSV with a header of column names, UTF-8 with a byte-order mark (for Excel)."""

    def __init__(self, stream: IO[bytes], columns: Sequence[Column]) -> None:
        """Write the header."""
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text)
        self.columns = columns
        self.writer.writerow([safe_text(column.name) for column in columns])

    def write(self, chunk: Chunk) -> None:
        """Append one chunk."""
        self.writer.writerows(
            ["" if value is None else _csv_text(value) for value in row]
            for row in _rows(self.columns, chunk)
        )

    def close(self) -> None:
        """Flush (the underlying file stays open)."""
        self.text.flush()
        self.text.detach()


def _csv_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class XlsxTableWriter:
    """An Excel workbook in openpyxl's write-only (streaming) mode, with a codebook sheet."""

    def __init__(
        self, stream: IO[bytes], columns: Sequence[Column], *, sheet: str = "", title: str = ""
    ) -> None:
        """Start the data sheet with its header."""
        from openpyxl import Workbook

        self.stream = stream
        self.columns = columns
        self.book = Workbook(write_only=True)
        if title:
            self.book.properties.title = _printable(title)[:255]
        self.sheet = self.book.create_sheet(_sheet_name(sheet or _("Gegevens")))
        self.sheet.append([_xlsx(safe_text(column.name)) for column in columns])

    def write(self, chunk: Chunk) -> None:
        """Append one chunk."""
        for row in _rows(self.columns, chunk):
            self.sheet.append([_xlsx(value) for value in row])

    def close(self) -> None:
        """Add the codebook and save."""
        codebook = self.book.create_sheet(_sheet_name(_("Variabelen")))
        codebook.append([_("Variabele"), _("Omschrijving"), _("Waarden")])
        for column in self.columns:
            values = "; ".join(f"{value:g} = {label}" for value, label in column.value_labels)
            codebook.append(
                [_xlsx(safe_cell(text)) for text in (column.name, column.label, values)]
            )
        self.book.save(self.stream)


def _printable(text: str) -> str:
    """``text`` without the control characters an .xlsx file cannot hold (tab, CR, LF stay)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _xlsx(value: Any) -> Any:
    return _printable(value) if isinstance(value, str) else value


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in _printable(name)).strip("'")
    return clean[:31] or "Blad1"


class SavTableWriter:
    """An SPSS system file with variable and value labels (``sav.SavWriter``)."""

    def __init__(self, stream: IO[bytes], columns: Sequence[Column], *, title: str = "") -> None:
        """Write the dictionary."""
        self.columns = columns
        self.writer = SavWriter(
            cast(BinaryIO, stream), [column.sav() for column in columns], file_label=title
        )

    def write(self, chunk: Chunk) -> None:
        """Append one chunk of cases."""
        if len(chunk) != len(self.columns):
            raise ValueError(f"{len(chunk)} columns in a chunk for {len(self.columns)} columns")
        self.writer.write_chunk(
            [
                _sav_moments(values, column.kind) if column.kind in {"date", "datetime"} else values
                for values, column in zip(chunk, self.columns, strict=True)
            ]
        )

    def close(self) -> None:
        """Patch the case count."""
        self.writer.close()


def _sav_moments(values: Sequence[Any], kind: str) -> np.ndarray:
    """Dates (or moments) as SPSS seconds since 1582; None is system-missing."""
    out = np.full(len(values), np.nan)
    for position, value in enumerate(values):
        if value is None:
            continue
        if kind == "datetime" and isinstance(value, datetime):
            out[position] = spss_datetime(_local(value))
        else:
            out[position] = spss_date(value)
    return out


def open_writer(
    file_format: str,
    stream: IO[bytes],
    columns: Sequence[Column],
    *,
    title: str = "",
    sheet: str = "",
) -> TableWriter:
    """The writer for a format (``csv``, ``xlsx`` or ``sav``) with the header already written.

    ``title`` becomes the .sav file label and the workbook's title; ``sheet`` names the Excel
    data sheet ("Gegevens" when empty).
    """
    if file_format == "csv":
        return CsvTableWriter(stream, columns)
    if file_format == "xlsx":
        return XlsxTableWriter(stream, columns, sheet=sheet, title=title)
    if file_format == "sav":
        return SavTableWriter(stream, columns, title=title)
    raise ValueError(f"unknown export format {file_format!r}")


def write_table(
    writer: TableWriter,
    chunks: Iterable[Chunk],
    *,
    progress: Callable[[int], None] = lambda _done: None,
) -> int:
    """Stream every chunk into ``writer``, close it, and report rows done after each chunk."""
    done = 0
    for chunk in chunks:
        writer.write(chunk)
        done += len(chunk[0]) if chunk else 0
        progress(done)
    writer.close()
    return done
