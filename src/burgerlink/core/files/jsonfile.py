"""Read a JSON file of objects in batches, streaming (ijson): a list, or an API page whose
``results`` hold the list (Open Klant, ZGW)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from burgerlink.core.files.chunks import CHUNK_ROWS
from burgerlink.core.files.limits import FileLimits
from burgerlink.core.files.problems import UnreadableFileError


def _not_a_list(row: int | None = None) -> UnreadableFileError:
    return UnreadableFileError(
        _("Verwacht een lijst van objecten (of een pagina met 'results')."), row=row
    )


def _first_byte(stream: IO[bytes]) -> bytes:
    """The first byte that is not white space; the stream is left after a BOM, if any."""
    stream.seek(0)
    head = stream.read(4096)
    stream.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]


def _check_values(value: Any, row: int, column: str, limits: FileLimits) -> int:
    """Measure every text in one object (nested ones too); return how many values it holds."""
    if isinstance(value, str):
        limits.check_cell(value, row, column)
        return 1
    if isinstance(value, dict):
        return sum(_check_values(item, row, str(key), limits) for key, item in value.items())
    if isinstance(value, list):
        return sum(_check_values(item, row, column, limits) for item in value)
    return 1


def read_json_objects(
    stream: IO[bytes], *, chunk_rows: int = CHUNK_ROWS, limits: FileLimits | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Yield the objects of a JSON file in lists of at most ``chunk_rows``; object 1 is row 1.

    Objects are parsed one at a time, so memory holds one batch, never the whole file; every
    value counts as a cell, and every text is measured against ``max_cell_chars``.
    """
    import ijson

    limits = limits or FileLimits.from_settings()
    first = _first_byte(stream)
    if first not in (b"[", b"{"):
        raise _not_a_list()
    prefix = "item" if first == b"[" else "results.item"
    batch: list[dict[str, Any]] = []
    rows = cells = 0
    try:
        for item in ijson.items(stream, prefix, use_float=True):
            rows += 1
            if not isinstance(item, dict):
                raise _not_a_list(rows)
            cells += _check_values(item, rows, "", limits)
            if rows > limits.max_rows or cells > limits.max_cells:
                limits.check_counts(rows, cells)
            batch.append(item)
            if len(batch) >= chunk_rows:
                yield batch
                batch = []
    except (ijson.JSONError, UnicodeDecodeError) as error:
        raise UnreadableFileError(
            _("Dit JSON-bestand kan niet worden gelezen: %(error)s") % {"error": error}
        ) from error
    if not rows:
        if first == b"{" and not _has_results(stream):
            raise _not_a_list()
        raise UnreadableFileError(_("Het bestand is leeg."))
    yield batch


def _has_results(stream: IO[bytes]) -> bool:
    """Whether a JSON object has a ``results`` list (an empty API page)."""
    import ijson

    _first_byte(stream)
    try:
        return any(
            prefix == "results" and event == "start_array"
            for prefix, event, _value in ijson.parse(stream)
        )
    except ijson.JSONError:
        return False
