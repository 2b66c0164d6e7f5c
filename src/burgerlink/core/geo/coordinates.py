"""Reading a coordinate pair as people type it: "lat, lon" in WGS 84 or "x, y" in RD New.

Which of the two it is follows from the numbers: latitudes and longitudes are small, RD
coordinates are hundreds of thousands of metres. A decimal comma works too ("52,1552 5,3872" or
"52,1552; 5,3872"); the pair is then split on the space or the semicolon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from burgerlink.core.geo.points import GeoError, Point
from burgerlink.core.geo.rd import is_rd, rd_to_wgs84

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_SEPARATORS = re.compile(r"\s*;\s*|\s*,\s+|\s+")
MAX_INPUT_CHARS = 100


class System(StrEnum):
    """The coordinate system a pair was typed in."""

    WGS84 = "wgs84"
    RD = "rd"


@dataclass(frozen=True)
class Entry:
    """A typed pair read as a WGS 84 point, and the system it was typed in."""

    point: Point
    system: System


def _two_numbers(text: str) -> tuple[float, float]:
    cleaned = text.strip().strip("()[]").strip()
    if not cleaned or len(cleaned) > MAX_INPUT_CHARS:
        raise GeoError(_("Vul twee getallen in."))
    parts = [part for part in _SEPARATORS.split(cleaned) if part]
    if len(parts) == 1 and parts[0].count(",") == 1:
        parts = parts[0].split(",")  # "52.1552,5.3872"
    if len(parts) != 2:
        raise GeoError(
            _(
                "Vul twee getallen in, gescheiden door een komma en een spatie: "
                "breedtegraad, lengtegraad (52.1552, 5.3872) of RD x, y (155000, 463000)."
            )
        )
    numbers = [part.replace(",", ".") for part in parts]
    if not all(_NUMBER.match(number) for number in numbers):
        raise GeoError(
            _("Gebruik alleen cijfers, een punt of komma voor decimalen, en een minteken.")
        )
    return float(numbers[0]), float(numbers[1])


def parse_coordinates(text: str) -> Entry:
    """Read "lat, lon" (WGS 84) or "x, y" (RD New) into a point; ``GeoError`` when neither fits."""
    first, second = _two_numbers(text)
    if -90 <= first <= 90 and -180 <= second <= 180:
        return Entry(Point(first, second), System.WGS84)
    if is_rd(first, second):
        return Entry(rd_to_wgs84(first, second), System.RD)
    raise GeoError(
        _(
            "Dit zijn geen breedte- en lengtegraad en geen RD-coördinaten. Voorbeelden: "
            "52.1552, 5.3872 of 155000, 463000."
        )
    )
