"""Formula-safe cells: the one function every CSV and Excel export passes its values through.

A spreadsheet runs a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)`` sends data away when clicked, ``@SUM(...)`` is the old Lotus syntax that Excel
still accepts), and some read a leading tab or carriage return the same way. Text that starts
with one of these gets a leading apostrophe, which spreadsheets show as text and never run.

Numbers are left alone: an ``int``, ``float`` or ``Decimal`` is written as a number (a numeric
cell in Excel, a plain ``-3.5`` in CSV), which a spreadsheet reads as that number and never as a
formula, so a negative amount stays a negative number. Only *text* that looks like a negative
number ("-3", typed by someone into a free-text field) gets the apostrophe, and is then shown
as the text it was. Dates and booleans are not text either and pass unchanged.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet run a cell (OWASP's list for CSV injection)."""


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet will show it, never run it: an apostrophe before a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_cell(value: Any) -> Any:
    """A value for a CSV or Excel cell: numbers, dates and None as they are, text made safe."""
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return value
    return safe_text(str(value))
