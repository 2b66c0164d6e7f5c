"""Numbers as people read them: one rounding rule and one way to write a number, for every app.

Every number the platform shows (tables, charts, PDFs, e-mails) and every rounded figure it
hands out (open data, exports of aggregates) goes through this module, so a chart and the table
beside it can never disagree by a rounding step.

**Rounding rule: half away from zero, on the number as written in decimals.** 74.5 → 75,
−74.5 → −75, 0.745 as a percentage → 74.5% (one decimal) or 75% (none). Python's ``round`` rounds
half to even on the binary value (``round(0.5) == 0``, ``round(2.675, 2) == 2.67``), which
readers do not expect and which differs from a spreadsheet; Django's ``number_format`` cuts
digits off a float without rounding (74.6 → "74"). Here a float is first taken as its shortest
decimal representation (``repr``: 2.675 is "2.675"), then rounded with ``ROUND_HALF_UP`` in
``decimal`` (which rounds halves away from zero).

**Writing: in the language of the page.** Dutch groups thousands with a point and writes a
decimal comma (1.234,5); English the other way round (1,234.5). Thousands are always grouped,
also in four-digit numbers. A percentage is the number followed by "%" without a space (85%,
85,5%). An unknown value (``None``, NaN) is an en dash. Years, identifiers and codes are not
numbers to read: never pass them through here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format

UNKNOWN = "–"
"""What stands in for a number that is not known (en dash)."""

Number = int | float | Decimal


def _decimal(value: Number) -> Decimal:
    """The value as a Decimal, a float through its shortest decimal form (repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def _known(value: Number | None) -> Decimal | None:
    """The value as a Decimal when it is a finite number, else None (unknown)."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    exact = _decimal(value)
    return exact if exact.is_finite() else None


def rounded(value: Number, digits: int = 0) -> Decimal:
    """``value`` rounded half away from zero to ``digits`` decimals, as an exact Decimal."""
    exact = _known(value)
    if exact is None:
        raise ValueError(f"cannot round {value!r}")
    try:
        result = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except InvalidOperation as error:  # more digits than the decimal context holds
        raise ValueError(f"cannot round {value!r}") from error
    # −0.4 rounds to zero, not to "−0".
    return result.copy_abs() if result.is_zero() else result


def round_half_away(value: Number, digits: int = 0) -> float:
    """``value`` rounded half away from zero to ``digits`` decimals, as a float.

    For figures that leave the platform as numbers (open data, aggregate exports, chart
    positions) so that they equal what the tables show.
    """
    return float(rounded(value, digits))


def format_number(value: Number | None, digits: int = 0, *, signed: bool = False) -> str:
    """``value`` rounded to ``digits`` decimals and written in the active language.

    Dutch: "1.234,5"; English: "1,234.5". ``signed`` puts a "+" before a positive number (for
    differences). ``None`` and NaN give an en dash.
    """
    known = _known(value)
    if known is None:
        return UNKNOWN
    exact = rounded(known, digits)
    text = number_format(exact, decimal_pos=digits, use_l10n=True, force_grouping=True)
    return f"+{text}" if signed and exact > 0 else text


def format_percent(share: Number | None, digits: int = 0, *, signed: bool = False) -> str:
    """A share 0–1 as a percentage in the active language: 0.855 → "85,5%" with one decimal.

    The share is multiplied by 100 exactly (in decimals) before it is rounded, so 0.745 gives
    "75%" and not the "74%" of the binary 74.49999….
    """
    known = _known(share)
    if known is None:
        return UNKNOWN
    return f"{format_number(known.scaleb(2), digits, signed=signed)}%"


def format_percentage(percentage: Number | None, digits: int = 0) -> str:
    """A percentage already on the 0–100 scale: 85.5 → "85,5%" (Dutch)."""
    if _known(percentage) is None:
        return UNKNOWN
    return f"{format_number(percentage, digits)}%"


def format_euros(amount: Number | None, *, cents: bool | None = None) -> str:
    """An amount in euros: "€ 1.234,50" (Dutch) or "€ 1,234.50" (English).

    ``cents`` None shows cents only when the amount has them ("€ 25", "€ 12,50").
    """
    known = _known(amount)
    if known is None:
        return UNKNOWN
    exact = rounded(known, 2)
    show_cents = cents if cents is not None else exact != exact.to_integral_value()
    return f"€ {format_number(exact, 2 if show_cents else 0)}"


def decimals_for(values: Sequence[Number], most: int = 3) -> int:
    """The fewest decimals (up to ``most``) that write every value without losing a digit.

    For the tick labels of a chart axis: 0, 0.5, 1 need one decimal; 0, 20, 40 none.
    """
    needed = 0
    for value in values:
        known = _known(value)
        if known is None:
            continue
        exponent = known.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            needed = max(needed, -exponent)
    return min(needed, most)


def axis_formatter(*, percent: bool = False) -> Any:
    """A matplotlib tick formatter that writes tick labels like ``format_number`` does.

    ``percent``: the axis runs from 0 to 100 and each label gets a "%". Imported lazily:
    matplotlib is only loaded where a chart is drawn.
    """
    from matplotlib.ticker import Formatter

    class _Localised(Formatter):
        """Tick labels in the active language with the decimals the ticks need."""

        digits = 0

        def set_locs(self, locs: Sequence[float]) -> None:
            # Ticks come as binary floats (0.30000000000000004): trim them to 6 decimals first.
            self.digits = decimals_for([round_half_away(loc, 6) for loc in locs])

        def __call__(self, x: float, pos: int | None = None) -> str:
            text = format_number(x, self.digits)
            return f"{text}%" if percent else text

    return _Localised()
