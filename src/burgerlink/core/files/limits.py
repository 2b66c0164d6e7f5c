"""Limits on what an uploaded file may expand to, checked while it is read.

A file is limited by its size as uploaded, by its size once unpacked (XLSX and .zsav are
compressed: a small zip can hold gigabytes), and by what it holds: rows, cells (rows × columns)
and characters per cell. Readers check these as they stream, so a zip bomb or one 500 MB cell is
refused before it is read into memory. The defaults come from the settings (``IMPORT_MAX_*``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.translation import gettext as _

from burgerlink.core.files.problems import FileTooLargeError
from burgerlink.core.numbers import format_number

MB = 1024 * 1024
# A physical line of a CSV file may hold several cells; a line longer than this cannot be a
# sensible row and would only make the CSV parser build a huge list of cells.
MIN_LINE_CHARS = 1 << 20


def _n(value: int) -> str:
    return format_number(value)


@dataclass(frozen=True)
class FileLimits:
    """The most a file may hold; ``None`` for ``max_bytes`` means no limit on the file size."""

    max_bytes: int | None
    max_expanded_bytes: int
    max_rows: int
    max_cells: int
    max_cell_chars: int

    @classmethod
    def from_settings(cls) -> FileLimits:
        """The limits of the platform's settings (see README, configuration)."""
        return cls(
            max_bytes=settings.IMPORT_MAX_UPLOAD_MB * MB,
            max_expanded_bytes=settings.IMPORT_MAX_EXPANDED_MB * MB,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_cells=settings.IMPORT_MAX_CELLS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )

    def without_size_limit(self) -> FileLimits:
        """The same limits for a file that was not uploaded (the command line): any size."""
        return replace(self, max_bytes=None)

    @property
    def max_line_chars(self) -> int:
        """The longest physical line a CSV file may have."""
        return max(MIN_LINE_CHARS, 4 * self.max_cell_chars)

    # --- checks: each raises ``FileTooLargeError`` with a plain Dutch message ---------------
    def check_size(self, size: int) -> None:
        """The file as uploaded."""
        if self.max_bytes is not None and size > self.max_bytes:
            raise FileTooLargeError(
                _("Het bestand is groter dan %(mb)s MB.") % {"mb": _n(self.max_bytes // MB)}
            )

    def check_expanded(self, size: int) -> None:
        """The unpacked size of a compressed file (XLSX, .zsav)."""
        if size > self.max_expanded_bytes:
            raise FileTooLargeError(
                _(
                    "Uitgepakt is dit bestand groter dan %(mb)s MB; zo groot kan een bestand om "
                    "in te lezen niet zijn. Splits het in kleinere bestanden."
                )
                % {"mb": _n(self.max_expanded_bytes // MB)}
            )

    def check_width(self, columns: int) -> None:
        """The number of columns of the first row (one row must fit in the cell limit)."""
        if columns > self.max_cells:
            raise FileTooLargeError(
                _("Het bestand heeft meer dan %(max)s kolommen.") % {"max": _n(self.max_cells)},
                row=1,
            )

    def check_rows(self, rows: int, width: int) -> None:
        """Rows read so far (without the header) of a file with ``width`` columns."""
        self.check_counts(rows, rows * width)

    def check_counts(self, rows: int, cells: int) -> None:
        """Rows and cells (values) read so far."""
        if rows > self.max_rows:
            raise FileTooLargeError(
                _(
                    "Het bestand heeft meer dan %(max)s rijen met gegevens; splits het in "
                    "kleinere bestanden."
                )
                % {"max": _n(self.max_rows)}
            )
        if cells > self.max_cells:
            raise FileTooLargeError(
                _(
                    "Het bestand heeft meer dan %(max)s cellen (rijen maal kolommen); splits het "
                    "in kleinere bestanden."
                )
                % {"max": _n(self.max_cells)}
            )

    def cell_too_long(self, row: int | None, column: str) -> FileTooLargeError:
        """The error for a cell over ``max_cell_chars``."""
        return FileTooLargeError(
            _("Deze cel heeft meer dan %(max)s tekens; zo lang kan een waarde niet zijn.")
            % {"max": _n(self.max_cell_chars)},
            row=row,
            column=column,
        )

    def check_cell(self, value: str, row: int | None, column: str) -> None:
        """One cell's text."""
        if len(value) > self.max_cell_chars:
            raise self.cell_too_long(row, column)

    def line_too_long(self, line: int) -> FileTooLargeError:
        """The error for a CSV line over ``max_line_chars``."""
        return FileTooLargeError(
            _("Regel %(line)s is langer dan %(max)s tekens; zo lang kan een rij niet zijn.")
            % {"line": _n(line), "max": _n(self.max_line_chars)},
            row=line,
        )
