"""Small files made in memory for the file kit's tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from burgerlink.core.files import FileLimits

ROOMY = FileLimits(
    max_bytes=None,
    max_expanded_bytes=1 << 30,
    max_rows=1_000_000,
    max_cells=10_000_000,
    max_cell_chars=32_767,
)


def limits(**changes: Any) -> FileLimits:
    """Roomy limits with a few of them tightened."""
    values = {
        "max_bytes": ROOMY.max_bytes,
        "max_expanded_bytes": ROOMY.max_expanded_bytes,
        "max_rows": ROOMY.max_rows,
        "max_cells": ROOMY.max_cells,
        "max_cell_chars": ROOMY.max_cell_chars,
    }
    values.update(changes)
    return FileLimits(**values)


def xlsx(rows: Sequence[Sequence[Any]]) -> io.BytesIO:
    """An XLSX file whose first sheet holds ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def zip_bomb(unpacked: int) -> io.BytesIO:
    """An XLSX-looking zip whose worksheet unpacks to ``unpacked`` bytes of one repeated byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"<" * (1 << 20)
            for _ in range(unpacked // len(block)):
                member.write(block)
    out.seek(0)
    return out
