"""Points, areas and distances (WGS 84 and RD New), the ``Located`` mixin, coordinate entry.

Pure values and checks are re-exported here; ``Located`` lives in ``core.geo.models``, the
nearby query in ``core.geo.queries``, the form field in ``core.geo.forms``. The map include
is ``web/includes/map.html``. See ``docs/architecture.md``.
"""

from burgerlink.core.geo.areas import Area, parse_area, validate_area
from burgerlink.core.geo.coordinates import Entry, System, parse_coordinates
from burgerlink.core.geo.maps import MapPoint, map_payload
from burgerlink.core.geo.points import (
    NETHERLANDS,
    BoundingBox,
    GeoError,
    Point,
    haversine_m,
)
from burgerlink.core.geo.rd import is_rd, rd_to_wgs84, wgs84_to_rd
from burgerlink.core.geo.validation import area_of, check_point

__all__ = [
    "NETHERLANDS",
    "Area",
    "BoundingBox",
    "Entry",
    "GeoError",
    "MapPoint",
    "Point",
    "System",
    "area_of",
    "check_point",
    "haversine_m",
    "is_rd",
    "map_payload",
    "parse_area",
    "parse_coordinates",
    "rd_to_wgs84",
    "validate_area",
    "wgs84_to_rd",
]
