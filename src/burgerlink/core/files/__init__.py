"""Reading import files, for every app: CSV, XLSX, JSON and SPSS, within limits, one error model.

- ``fingerprint`` (hash, format, size, UTF-8) in one pass; ``settle_encoding`` (UTF-8, UTF-8
  with BOM, Windows-1252), ``detect_delimiter``, ``normalise_header``, ``sniff_format``.
- Readers that stream ``Chunk``s of rows and check ``FileLimits`` as they go: ``read_csv``,
  ``read_xlsx``, ``read_sav``, or ``read_table`` to pick one by the file's format;
  ``read_json_objects`` streams lists of objects.
- ``parse_date`` / ``parse_datetime``: Dutch and ISO dates, with the accepted formats.
- The error model: ``Problem`` (row, column, message), ``ProblemList`` (capped),
  ``UnreadableFileError`` / ``FileTooLargeError`` (the file as a whole), one
  ``ImportRejectedError``, and the ``Progress`` callback (``with_progress`` reports chunks).
- ``template_response``: an empty CSV or XLSX import file to download.

See docs/architecture.md, "core/files".
"""

from burgerlink.core.files.chunks import CHUNK_ROWS, Chunk, with_progress
from burgerlink.core.files.csvfile import read_csv, seekable
from burgerlink.core.files.dates import (
    DATE_FORMATS,
    LOCAL_FORMATS,
    OFFSET_FORMATS,
    parse_date,
    parse_datetime,
)
from burgerlink.core.files.jsonfile import read_json_objects
from burgerlink.core.files.limits import FileLimits
from burgerlink.core.files.problems import (
    KEEP_PROBLEMS,
    STOP_AFTER_PROBLEMS,
    FileTooLargeError,
    ImportRejectedError,
    Problem,
    ProblemList,
    Progress,
    UnreadableFileError,
    without_control_characters,
)
from burgerlink.core.files.sniff import (
    SNIFF_BYTES,
    Fingerprint,
    detect_delimiter,
    detect_encoding,
    fingerprint,
    normalise_header,
    settle_encoding,
    sniff_format,
)
from burgerlink.core.files.spss import read_sav
from burgerlink.core.files.tables import read_table
from burgerlink.core.files.templates import template_bytes, template_response
from burgerlink.core.files.xlsx import check_zip, read_xlsx

__all__ = [
    "CHUNK_ROWS",
    "DATE_FORMATS",
    "KEEP_PROBLEMS",
    "LOCAL_FORMATS",
    "OFFSET_FORMATS",
    "SNIFF_BYTES",
    "STOP_AFTER_PROBLEMS",
    "Chunk",
    "FileLimits",
    "FileTooLargeError",
    "Fingerprint",
    "ImportRejectedError",
    "Problem",
    "ProblemList",
    "Progress",
    "UnreadableFileError",
    "check_zip",
    "detect_delimiter",
    "detect_encoding",
    "fingerprint",
    "normalise_header",
    "parse_date",
    "parse_datetime",
    "read_csv",
    "read_json_objects",
    "read_sav",
    "read_table",
    "read_xlsx",
    "seekable",
    "settle_encoding",
    "sniff_format",
    "template_bytes",
    "template_response",
    "with_progress",
    "without_control_characters",
]
