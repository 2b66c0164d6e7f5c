"""Read import files in chunks of rows: CSV (any separator, UTF-8, UTF-8 with BOM or Windows-1252),
XLSX and JSON (Open Klant klantcontacten, ZGW zaken).

A reader yields ``Chunk`` objects: column name → list of raw values (strings, or typed values
from XLSX/JSON) plus the file row number of each row, so every later error can name its row.
Problems with the file as a whole raise ``UnreadableFileError`` with a plain Dutch message.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

import numpy as np
from django.utils.translation import gettext as _

CHUNK_ROWS = 100_000
SNIFF_BYTES = 64 * 1024


class UnreadableFileError(ValueError):
    """The file cannot be read at all (wrong format, encoding, empty, binary)."""


class FastPathUnavailableError(Exception):
    """The fast CSV reader cannot vouch for exact row numbers; read the file the careful way."""


class TypedColumnsUnavailableError(FastPathUnavailableError):
    """A column is not in the form the typed reader expects (a local time, say); read it as text."""


ColumnTypes = Callable[[list[str]], dict[str, Any]]


@dataclass
class Chunk:
    """A block of rows: raw values per column and the file row number of each row."""

    columns: dict[str, Any]  # lists of raw values, or pyarrow string arrays (fast CSV path)
    rows: Any  # file row numbers: a list or a numpy array of ints
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)


def sniff_format(head: bytes, filename: str = "") -> str:
    """Return 'xlsx', 'json' or 'csv' from the first bytes (and the name as a hint)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{") or filename.lower().endswith(".json"):
        return "json"
    return "csv"


def detect_encoding(head: bytes) -> str:
    """Return 'utf-8-sig' (BOM), 'utf-8' or 'cp1252' (Excel's Windows encoding) for a text file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in head:
        raise UnreadableFileError(_("Dit is geen tekstbestand (CSV): het bevat binaire gegevens."))
    try:
        # A cut multi-byte character at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _check_text(sample: str) -> None:
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and control / len(sample) > 0.01:
        raise UnreadableFileError(_("Dit is geen tekstbestand (CSV): het bevat binaire gegevens."))


def detect_delimiter(header_line: str) -> str:
    """Return the separator of a CSV header line: semicolon, comma or tab (most frequent)."""
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def normalise_header(name: str) -> str:
    """Lower-case a column name and strip spaces, quotes and a stray BOM."""
    return name.replace("\ufeff", "").strip().strip('"').strip().lower()


def _utf8_throughout(stream: IO[bytes]) -> bool:
    """Check, block by block, that the whole stream is valid UTF-8 (C-speed, no copy kept)."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := stream.read(1 << 20):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _settle_encoding(stream: IO[bytes], utf8: bool | None) -> tuple[bytes, str]:
    """The file's first bytes and its encoding, decided before any parsing.

    A BOM means UTF-8; otherwise UTF-8 when the whole file is valid UTF-8 (``utf8``, when the
    caller has already checked that on its own pass over the bytes), else Windows-1252. An empty
    or binary file raises ``UnreadableFileError``.
    """
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise UnreadableFileError(_("Het bestand is leeg."))
    encoding = detect_encoding(head)
    _check_text(head.decode(encoding, errors="replace"))
    if encoding == "utf-8" and not (_utf8_throughout(stream) if utf8 is None else utf8):
        encoding = "cp1252"
    stream.seek(0)
    return head, encoding


def read_csv(
    stream: IO[bytes], *, chunk_rows: int = CHUNK_ROWS, utf8: bool | None = None
) -> Iterator[Chunk]:
    """Yield chunks of a CSV file, streaming; the first row holds the column names.

    The encoding is decided before parsing (see ``_settle_encoding``), so no chunk is ever read
    twice.
    """
    if not stream.seekable():
        spooled = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 - lives as long as the import
        shutil.copyfileobj(stream, spooled)
        stream = spooled
    _head, encoding = _settle_encoding(stream, utf8)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        header_line = text.readline()
        delimiter = detect_delimiter(header_line)
        names = [
            normalise_header(name) for name in next(csv.reader([header_line], delimiter=delimiter))
        ]
        if not any(names):
            raise UnreadableFileError(_("De eerste regel moet de kolomnamen bevatten."))
        info = {"encoding": encoding, "delimiter": delimiter, "width": len(names)}
        yield from _csv_chunks(text, names, delimiter, info, chunk_rows)
    finally:
        # Give the byte stream back to its owner instead of closing it with the wrapper.
        with contextlib.suppress(ValueError):
            text.detach()


FAST_BLOCK_BYTES = 8 << 20


def read_csv_fast(
    stream: IO[bytes], types: ColumnTypes | None = None, *, utf8: bool | None = None
) -> Iterator[Chunk]:
    """Yield chunks of a CSV file parsed by pyarrow (C++), columns as pyarrow arrays.

    Columns are strings, except those ``types`` (given the column names) asks pyarrow to parse:
    ISO 8601 moments with an offset, numbers, or repeated words as a dictionary. A cell that does
    not parse raises ``TypedColumnsUnavailableError``: the caller reads the file again as text.
    Row numbers are exact only when no value spans lines; when one does, or the file is in any
    way irregular (a row with the wrong number of cells), this raises
    ``FastPathUnavailableError`` and the caller falls back to ``read_csv``, which reports every
    problem with its exact line.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    head, encoding = _settle_encoding(stream, utf8)
    first_line = head.decode(encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    raw_names = next(csv.reader([first_line], delimiter=delimiter))
    names = [normalise_header(name) for name in raw_names]
    if not any(names) or len(set(names)) != len(names):
        raise FastPathUnavailableError
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
                empty &= np.asarray(
                    pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False)
                )
            if empty.any():
                keep = pa.array(~empty)
                columns = {name: column.filter(keep) for name, column in columns.items()}
                lines = lines[~empty]
            yield Chunk(columns, lines, {**info, "bad_width": []})
    except pa.ArrowInvalid as error:
        if typed and "conversion error" in str(error):
            raise TypedColumnsUnavailableError from error
        raise FastPathUnavailableError from error


def _csv_chunks(
    text: IO[str], names: list[str], delimiter: str, info: dict[str, Any], chunk_rows: int
) -> Iterator[Chunk]:
    width = len(names)
    reader = csv.reader(text, delimiter=delimiter)
    columns: dict[str, list[Any]] = {name: [] for name in names}
    ordered = [columns[name] for name in names]
    rows: list[int] = []
    bad_width: list[tuple[int, int]] = []
    previous_line = 0
    for record in reader:
        line_no = 1 + previous_line + 1  # the header is line 1; a record starts after the last
        previous_line = reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if len(record) != width:
            bad_width.append((line_no, len(record)))
            continue
        for target, value in zip(ordered, record, strict=True):
            target.append(value)
        rows.append(line_no)
        if len(rows) >= chunk_rows:
            yield Chunk(columns, rows, {**info, "bad_width": bad_width})
            columns = {name: [] for name in names}
            ordered = [columns[name] for name in names]
            rows, bad_width = [], []
    yield Chunk(columns, rows, {**info, "bad_width": bad_width})


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def read_xlsx(stream: IO[bytes], *, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Yield chunks of the first worksheet of an XLSX file (read-only, streaming)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFileError(_("Dit Excel-bestand kan niet worden gelezen.")) from error
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    try:
        header = next(rows_iter)
    except StopIteration as error:
        raise UnreadableFileError(_("Het bestand is leeg.")) from error
    names = [normalise_header(str(name or "")) for name in header]
    columns: dict[str, list[Any]] = {name: [] for name in names}
    rows: list[int] = []
    for number, record in enumerate(rows_iter, start=2):
        if record is None or all(value in (None, "") for value in record):
            continue
        values = list(record) + [None] * (len(names) - len(record))
        for name, value in zip(names, values, strict=False):
            columns[name].append(_cell(value))
        rows.append(number)
        if len(rows) >= chunk_rows:
            yield Chunk(columns, rows)
            columns = {name: [] for name in names}
            rows = []
    workbook.close()
    yield Chunk(columns, rows)


def read_json_records(stream: IO[bytes]) -> list[dict[str, Any]]:
    """Return the list of objects in a JSON file: a list, or an API page with ``results``."""
    try:
        data = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFileError(
            _("Dit JSON-bestand kan niet worden gelezen: %(error)s") % {"error": error}
        ) from error
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise UnreadableFileError(
            _("Verwacht een lijst van objecten (of een pagina met 'results').")
        )
    if not data:
        raise UnreadableFileError(_("Het bestand is leeg."))
    return data
