"""Empty import files to download: the columns an import expects, with example rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_bytes(columns: Sequence[str], examples: Sequence[Sequence[str]], fmt: str) -> bytes:
    """A CSV (UTF-8 with BOM, so Excel reads it right) or XLSX file: a header and examples."""
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(examples)
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
        sheet.append(list(columns))
        for row in examples:
            # Every value as text: a code like 0012 or a date must reach the import as written.
            sheet.append([str(value) for value in row])
        for cells in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in cells)
            sheet.column_dimensions[cells[0].column_letter].width = min(max(width + 2, 10), 60)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(f"unknown template format {fmt}")


def template_response(
    name: str, columns: Sequence[str], examples: Sequence[Sequence[str]], fmt: str
) -> HttpResponse:
    """A download of ``template_bytes`` as ``<name>.<fmt>``."""
    response = HttpResponse(template_bytes(columns, examples, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
