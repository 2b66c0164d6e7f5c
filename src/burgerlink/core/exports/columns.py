"""A column of an export: its name, label, kind and what SPSS needs to know about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from burgerlink.core.exports.sav import Measure, SavVariable

ColumnKind = Literal["number", "text", "date", "datetime"]
DEFAULT_TEXT_WIDTH = 255


@dataclass(frozen=True)
class Column:
    """One column (variable) of an export, described once for CSV, Excel and SPSS.

    Values in a chunk: numbers as int, float (NaN or None: missing), Decimal or bool; text as
    str or None; dates as ``datetime.date``; moments as ``datetime.datetime`` (aware moments are
    written in local time). ``name`` heads the column (in .sav it must be a valid SPSS name,
    see ``sav.valid_name``); ``label`` describes it (Excel's codebook sheet, SPSS variable label).
    ``width`` is the longest text in UTF-8 bytes, for .sav (0: 255, longer texts are cut).
    """

    name: str
    label: str = ""
    kind: ColumnKind = "text"
    value_labels: tuple[tuple[float, str], ...] = ()
    missing: tuple[float, ...] = ()
    measure: Measure = "nominal"
    width: int = 0
    decimals: int = 0

    def sav(self) -> SavVariable:
        """The column as a .sav variable."""
        if self.kind == "text":
            width = self.width or DEFAULT_TEXT_WIDTH
            return SavVariable(
                self.name,
                self.label,
                width=max(1, width),
                display_width=min(max(width, 8), 40),
            )
        if self.kind in {"date", "datetime"}:
            return SavVariable(
                self.name,
                self.label,
                format="DATE" if self.kind == "date" else "DATETIME",
                measure="scale",
                display_width=11 if self.kind == "date" else 20,
            )
        return SavVariable(
            self.name,
            self.label,
            decimals=self.decimals,
            value_labels=self.value_labels,
            missing=self.missing,
            measure=self.measure,
            display_width=8,
        )
