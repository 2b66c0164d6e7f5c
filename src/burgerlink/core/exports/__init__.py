"""The export kit: streaming CSV, Excel and SPSS writers, formula-safe cells, background jobs.

* ``cells``: ``safe_text`` / ``safe_cell``, the one function every spreadsheet cell goes through;
* ``columns``: ``Column``, a column described once for all three formats;
* ``writers``: ``open_writer`` and ``write_table`` (chunk by chunk, bounded memory);
* ``sav``: the streaming SPSS .sav writer underneath;
* ``registry``: ``ExportKind`` and ``register_kind``, how an app offers an export;
* ``services``: ``request_export`` (queued, audited), ``record_download``, ``purge_expired_exports``;
* ``jobs`` / ``tasks``: the background job that writes the file with progress;
* ``selectors``: ``exports_of``, ``export_of``;
* ``http``: ``download_response`` (audited, no-store) and ``status_context`` for the status list.

The model is ``core.models.Export``. See docs/architecture.md, "Exports".
"""

from burgerlink.core.exports.cells import FORMULA_START, safe_cell, safe_text
from burgerlink.core.exports.columns import Column, ColumnKind
from burgerlink.core.exports.registry import ExportKind, PreparedExport, get_kind, register_kind
from burgerlink.core.exports.writers import (
    FORMATS,
    XLSX_MAX_ROWS,
    Chunk,
    TableWriter,
    by_columns,
    open_writer,
    write_table,
)

__all__ = [
    "FORMATS",
    "FORMULA_START",
    "XLSX_MAX_ROWS",
    "Chunk",
    "Column",
    "ColumnKind",
    "ExportKind",
    "PreparedExport",
    "TableWriter",
    "by_columns",
    "get_kind",
    "open_writer",
    "register_kind",
    "safe_cell",
    "safe_text",
    "write_table",
]
