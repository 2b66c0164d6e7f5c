"""Read an SPSS system file (.sav, or the compressed .zsav) in chunks, within the limits.

The file's dictionary (read first, without the data) declares its cases, variables and string
widths; a file whose declared data is over the limits is refused before any case is read. The
cases are then read in chunks, counted and measured as they come, in case the dictionary lied.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, cast

from django.utils.translation import gettext as _

from burgerlink.core.files.chunks import Chunk
from burgerlink.core.files.limits import FileLimits
from burgerlink.core.files.problems import UnreadableFileError

SAV_CHUNK_ROWS = 20_000


def _file_like(stream: IO[bytes]) -> Any:
    # pyreadstat reads any object with read() and seek(); its protocol types read(None) too.
    return cast(Any, stream)


def _metadata(stream: IO[bytes]) -> Any:
    import pyreadstat

    stream.seek(0)
    try:
        _values, meta = pyreadstat.read_sav(_file_like(stream), metadataonly=True)
    except Exception as error:  # pyreadstat raises its own error types for broken files
        raise UnreadableFileError(_("Dit SPSS-bestand (.sav) kan niet worden gelezen.")) from error
    return meta


def read_sav(
    stream: IO[bytes],
    *,
    chunk_rows: int = SAV_CHUNK_ROWS,
    limits: FileLimits | None = None,
) -> Iterator[Chunk]:
    """Yield chunks of an SPSS .sav or .zsav file; case 1 is row 1 (SPSS has no header line).

    Column names are the variable names as SPSS writes them; values are numbers (NaN for
    system-missing) and strings. ``extra['width']`` is the number of variables.
    """
    import pyreadstat

    limits = limits or FileLimits.from_settings()
    meta = _metadata(stream)
    names = list(meta.column_names)
    width = len(names)
    limits.check_width(width)
    declared = meta.number_rows if isinstance(meta.number_rows, int) else None
    if declared is not None and declared >= 0:
        limits.check_rows(declared, width)
        row_bytes = sum(max(int(w or 8), 8) for w in meta.variable_storage_width.values())
        limits.check_expanded(declared * row_bytes)
    read = 0
    while True:
        stream.seek(0)
        try:
            values, _meta = pyreadstat.read_sav(
                _file_like(stream), output_format="dict", row_offset=read, row_limit=chunk_rows
            )
        except Exception as error:  # pyreadstat raises its own error types for broken files
            raise UnreadableFileError(
                _("Dit SPSS-bestand (.sav) kan niet worden gelezen.")
            ) from error
        count = len(values[names[0]]) if names else 0
        if not count:
            if read == 0:
                yield Chunk({name: [] for name in names}, [], {"width": width})
            return
        for name in names:
            for index, value in enumerate(values[name]):
                if isinstance(value, str):
                    limits.check_cell(value, read + index + 1, name)
        rows = list(range(read + 1, read + count + 1))
        read += count
        limits.check_rows(read, width)
        yield Chunk({name: list(values[name]) for name in names}, rows, {"width": width})
        if count < chunk_rows:
            return
