"""A block of rows as readers hand them out: raw values per column and each row's number."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from burgerlink.core.files.problems import Progress

CHUNK_ROWS = 100_000


@dataclass
class Chunk:
    """A block of rows: raw values per column and the file row number of each row.

    ``columns`` maps each (normalised) column name to its values: lists of strings, typed values
    from XLSX, SPSS or JSON, or pyarrow arrays from a fast reader. ``extra`` carries what the
    reader learnt about the file: ``encoding``, ``delimiter``, ``width`` (the number of column
    names in the first row; fewer ``columns`` means a name occurs twice) and ``bad_width``
    (``(row, cells)`` of rows with another number of cells than the first row).
    """

    columns: dict[str, Any]
    rows: Any  # file row numbers: a list or a numpy array of ints
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[tuple[int, dict[str, Any]]]:
        """The rows one by one: (row number, value per column)."""
        names = list(self.columns)
        return [
            (int(line), {name: self.columns[name][index] for name in names})
            for index, line in enumerate(self.rows)
        ]


def with_progress(chunks: Iterable[Chunk], progress: Progress | None) -> Iterator[Chunk]:
    """The chunks as they come; ``progress`` hears the rows handed out so far.

    It is told once the caller is done with a chunk (when it asks for the next one).
    """
    read = 0
    for chunk in chunks:
        yield chunk
        read += len(chunk)
        if progress is not None:
            progress(read)
