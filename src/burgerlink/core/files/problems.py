"""The one error model of every file import: problems that name their row and column.

A reader raises ``UnreadableFileError`` when the file as a whole cannot be read (or is over a
limit); an app collects row- and column-level ``Problem``s in a ``ProblemList`` (which keeps the
first ``KEEP_PROBLEMS`` and tells the reader to stop after ``STOP_AFTER_PROBLEMS``) and raises
``ImportRejectedError`` when anything was wrong, after storing nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

# Enough to correct a file by; a file with more problems than ``STOP_AFTER_PROBLEMS`` is
# usually the wrong file or the wrong layout, so reading it further only costs time.
KEEP_PROBLEMS = 200
STOP_AFTER_PROBLEMS = 1_000

# Called with the number of rows read so far; an import that starts again (a slower, more
# careful way) counts from 0 again.
Progress = Callable[[int], None]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    """``text`` without control characters (tabs and line ends stay): files carry stray ones.

    A NUL byte would even be refused by PostgreSQL.
    """
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: its row (None: the file as a whole), column and message."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(_("rij %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        """The problem as stored and returned by the API (row 0: the file as a whole)."""
        return {"row": int(self.row or 0), "column": self.column, "message": self.message}


class ProblemList:
    """Problems found so far: keeps the first ``keep``, counts them all.

    ``full`` turns true after ``stop_after`` problems: a reader loop can stop there.
    """

    def __init__(self, *, keep: int = KEEP_PROBLEMS, stop_after: int = STOP_AFTER_PROBLEMS):
        self.items: list[Problem] = []
        self.total = 0
        self.keep = keep
        self.stop_after = stop_after

    def add(self, row: int | None, column: str, message: str) -> None:
        """Record one problem."""
        self.total += 1
        if len(self.items) < self.keep:
            self.items.append(Problem(row, column, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere (a vectorised check of a whole chunk, say)."""
        for problem in problems:
            self.total += 1
            if len(self.items) < self.keep:
                self.items.append(problem)

    @property
    def full(self) -> bool:
        """Whether so many problems were found that reading on is pointless."""
        return self.total >= self.stop_after

    @property
    def not_shown(self) -> int:
        """How many problems were counted but not kept."""
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)


class UnreadableFileError(ValueError):
    """The file as a whole cannot be read: wrong format or encoding, empty, over a limit.

    ``row`` and ``column`` say where, when the reader knows (a cell over the length limit).
    """

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    @property
    def problem(self) -> Problem:
        """This error as a problem of the one error model."""
        return Problem(self.row, self.column, self.message)


class FileTooLargeError(UnreadableFileError):
    """The file is over one of the limits (size, unpacked size, rows, cells, cell length)."""


class ImportRejectedError(Exception):
    """A file was refused as a whole: nothing of it has been stored.

    ``problems`` name row and column (the first ``KEEP_PROBLEMS``); ``total`` counts every
    problem found; ``ignored_columns`` lists columns that were not read; ``batch`` is the app's
    own record of the refused import when it keeps one (records keep an ``ImportBatch``).
    """

    def __init__(
        self,
        problems: ProblemList | Iterable[Problem],
        *,
        total: int | None = None,
        ignored_columns: Iterable[str] = (),
        batch: Any = None,
    ) -> None:
        items = list(problems)
        self.problems = items
        self.total = (
            total
            if total is not None
            else (problems.total if isinstance(problems, ProblemList) else len(items))
        )
        self.ignored_columns = list(ignored_columns)
        self.batch = batch
        super().__init__("; ".join(str(problem) for problem in items[:5]))

    @classmethod
    def of(cls, error: UnreadableFileError, **options: Any) -> ImportRejectedError:
        """The rejection of a file that could not be read at all."""
        return cls([error.problem], **options)
