"""Dutch RD New coordinates (EPSG:28992, metres) to and from WGS 84, through PROJ (pyproj).

PROJ's own network access stays off (its default), so no grid file is fetched from elsewhere;
without the RDNAPTRANS grids the transformation is good to about a metre, plenty for placing a
report or an idea.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from burgerlink.core.geo.points import GeoError, Point

if TYPE_CHECKING:
    from pyproj import Transformer

# Where RD New is defined (EPSG:28992's area of use, in metres), generously: x then y.
RD_X_RANGE = (-7_000.0, 300_000.0)
RD_Y_RANGE = (289_000.0, 629_000.0)


@cache
def _transformer(source: str, target: str) -> Transformer:
    # Imported here: PROJ's database loads on first use, not when Django starts.
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def is_rd(x: float, y: float) -> bool:
    """Whether ``x, y`` lie where RD New coordinates can lie."""
    return RD_X_RANGE[0] <= x <= RD_X_RANGE[1] and RD_Y_RANGE[0] <= y <= RD_Y_RANGE[1]


def rd_to_wgs84(x: float, y: float) -> Point:
    """Return the WGS 84 point of RD New coordinates ``x, y`` (metres)."""
    if not is_rd(x, y):
        raise GeoError(
            _(
                "Dit zijn geen RD-coördinaten: x ligt tussen 0 en 300.000, y tussen 289.000 en 629.000."
            )
        )
    longitude, latitude = _transformer("EPSG:28992", "EPSG:4326").transform(x, y)
    return Point(float(latitude), float(longitude))


def wgs84_to_rd(point: Point) -> tuple[float, float]:
    """Return the RD New coordinates ``(x, y)`` in metres of a WGS 84 point."""
    x, y = _transformer("EPSG:4326", "EPSG:28992").transform(point.longitude, point.latitude)
    return float(x), float(y)
