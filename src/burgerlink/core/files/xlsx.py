"""Read the first worksheet of an XLSX file in chunks, after checking what its zip unpacks to.

An XLSX file is a zip of XML files. Before openpyxl opens it, the sizes that the zip declares
for its members are added up and compared with the limit on the unpacked size, and members that
unpack to more than ``MAX_RATIO`` times their packed size are refused: that is what a zip bomb
looks like, and no spreadsheet compresses that well. Python's ``zipfile`` (which openpyxl uses)
never unpacks more than a member declares, so the declared sizes bound what can come out.
With ``defusedxml`` installed, openpyxl parses the XML without expanding entities.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from django.utils.translation import gettext as _

from burgerlink.core.files.chunks import CHUNK_ROWS, Chunk
from burgerlink.core.files.limits import MB, FileLimits
from burgerlink.core.files.problems import FileTooLargeError, UnreadableFileError
from burgerlink.core.files.sniff import normalise_header

# Worksheets compress 5 to 20 times, very repetitive ones up to some 60 times; a zip bomb
# about a thousand times. Small members (styles, a tiny sheet) may compress as they like.
MAX_RATIO = 200
RATIO_FROM_BYTES = 4 * MB


def check_zip(stream: IO[bytes], limits: FileLimits) -> None:
    """Refuse a zip whose members unpack to more than the limits allow; leave it at its start."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnreadableFileError(_("Dit Excel-bestand kan niet worden gelezen.")) from error
    finally:
        stream.seek(0)
    limits.check_expanded(sum(member.file_size for member in members))
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > RATIO_FROM_BYTES and member.file_size / packed > MAX_RATIO:
            raise FileTooLargeError(
                _(
                    "Dit Excel-bestand pakt uit tot meer dan %(ratio)s keer zijn eigen grootte "
                    "(%(member)s); zo'n bestand lezen wij niet in."
                )
                % {"ratio": MAX_RATIO, "member": member.filename[:80]}
            )


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def read_xlsx(
    stream: IO[bytes], *, chunk_rows: int = CHUNK_ROWS, limits: FileLimits | None = None
) -> Iterator[Chunk]:
    """Yield chunks of the first worksheet of an XLSX file (read-only, streaming).

    The first row holds the column names. Values come as openpyxl reads them (dates and times
    as such, whole numbers as text). ``limits`` (default: the settings') are checked before
    the file is opened (unpacked size) and on every row (rows, cells, characters per cell).
    """
    from openpyxl import load_workbook

    limits = limits or FileLimits.from_settings()
    check_zip(stream, limits)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFileError(_("Dit Excel-bestand kan niet worden gelezen.")) from error
    try:
        # The sheet's declared dimensions may be wrong (or hostile): read rows as they are.
        sheet.reset_dimensions()
        yield from _sheet_chunks(sheet.iter_rows(values_only=True), chunk_rows, limits)
    except UnreadableFileError:
        raise
    except Exception as error:  # a broken or hostile sheet (defusedxml refuses entities)
        raise UnreadableFileError(_("Dit Excel-bestand kan niet worden gelezen.")) from error
    finally:
        workbook.close()


def _sheet_chunks(
    rows_iter: Iterator[tuple[Any, ...]], chunk_rows: int, limits: FileLimits
) -> Iterator[Chunk]:
    try:
        header = next(rows_iter)
    except StopIteration as error:
        raise UnreadableFileError(_("Het bestand is leeg.")) from error
    limits.check_width(len(header))
    for value in header:
        if isinstance(value, str):
            limits.check_cell(value, 1, "")
    names = [normalise_header(str(name or "")) for name in header]
    while names and not names[-1]:
        names.pop()
    if not any(names):
        raise UnreadableFileError(_("De eerste regel moet de kolomnamen bevatten."))
    width = len(names)
    info = {"width": width}
    columns: dict[str, list[Any]] = {name: [] for name in names}
    rows: list[int] = []
    read = 0
    cap = min(limits.max_rows, limits.max_cells // width)
    max_cell = limits.max_cell_chars
    for number, record in enumerate(rows_iter, start=2):
        if record is None or all(value in (None, "") for value in record):
            continue
        for index, value in enumerate(record):
            if isinstance(value, str) and len(value) > max_cell:
                raise limits.cell_too_long(number, names[index] if index < width else "")
        read += 1
        if read > cap:
            limits.check_rows(read, width)
        values = list(record[:width]) + [None] * (width - len(record))
        for name, value in zip(names, values, strict=False):
            columns[name].append(_cell(value))
        rows.append(number)
        if len(rows) >= chunk_rows:
            yield Chunk(columns, rows, info)
            columns = {name: [] for name in names}
            rows = []
    yield Chunk(columns, rows, info)
