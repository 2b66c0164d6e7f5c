"""Empty import files to download: the columns an import expects, with example rows.

Written by the export kit's writers (``core.exports``), so a template is a file like any other
export: CSV in UTF-8 with a byte-order mark (Excel reads the accents), Excel with the data on the
first sheet (the one an import reads).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.http import HttpResponse

from burgerlink.core.exports import Column, by_columns, open_writer, write_table

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_bytes(columns: Sequence[str], examples: Sequence[Sequence[str]], fmt: str) -> bytes:
    """A CSV or XLSX file: a header of ``columns`` and the ``examples`` as text cells.

    Every value stays text, so a code such as 0012 or a date reaches the import as written.
    """
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown template format {fmt}")
    out = io.BytesIO()
    writer = open_writer(fmt, out, [Column(name) for name in columns])
    write_table(writer, [by_columns([list(row) for row in examples], len(columns))])
    return out.getvalue()


def template_response(
    name: str, columns: Sequence[str], examples: Sequence[Sequence[str]], fmt: str
) -> HttpResponse:
    """A download of ``template_bytes`` as ``<name>.<fmt>``."""
    response = HttpResponse(template_bytes(columns, examples, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
