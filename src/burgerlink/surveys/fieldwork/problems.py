"""What an import reports when a file is refused: problems that name their row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_PROBLEMS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    """``text`` without control characters (tabs and line ends stay): files carry stray ones.

    A NUL byte would even be refused by PostgreSQL.
    """
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: the file row (None: the file as a whole) and column."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("rij %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ProblemList:
    """Problems found so far; stops collecting (but keeps counting) after ``MAX_PROBLEMS``."""

    items: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, row: int | None, column: str, message: str) -> None:
        """Record a problem."""
        self.total += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(row, column, message))

    def __bool__(self) -> bool:
        return self.total > 0


class ImportRejectedError(Exception):
    """A file was refused as a whole: nothing of it has been stored.

    ``problems`` name row and column; ``total`` counts every problem (only the first
    ``MAX_PROBLEMS`` are kept); ``ignored_columns`` lists columns that were not read.
    """

    def __init__(
        self,
        problems: list[Problem],
        *,
        total: int | None = None,
        ignored_columns: list[str] | None = None,
    ) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        self.ignored_columns = ignored_columns or []
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
