"""An organisation's area: polygons from GeoJSON text, and whether a point lies inside.

The area is stored as GeoJSON (``Organisation.area``): a ``Polygon`` or ``MultiPolygon`` (or a
``Feature`` holding one), positions as ``[longitude, latitude]`` in WGS 84 as GeoJSON has them.
Holes are honoured. Pure Python: no spatial database is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from burgerlink.core.geo.points import NETHERLANDS, BoundingBox, GeoError, Point

# A municipality's boundary from PDOK has a few thousand positions; this leaves room for detail.
MAX_AREA_CHARS = 2_000_000
MAX_POSITIONS = 200_000

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) positions, closed


@dataclass(frozen=True)
class Area:
    """One or more polygons, each an outer ring with optional holes."""

    polygons: tuple[tuple[Ring, ...], ...]
    bounds: BoundingBox

    def contains(self, point: Point) -> bool:
        """Whether ``point`` lies inside the area (inside a polygon and not in its holes)."""
        if not self.bounds.contains(point):
            return False
        return any(_inside_polygon(polygon, point) for polygon in self.polygons)

    def rings_latlon(self) -> list[list[list[float]]]:
        """Every ring as ``[[lat, lon], ...]``, the order Leaflet draws."""
        return [[[lat, lon] for lon, lat in ring] for polygon in self.polygons for ring in polygon]


def _inside_polygon(polygon: tuple[Ring, ...], point: Point) -> bool:
    # Even-odd ray casting over every ring: crossing a hole's edge flips "inside" back.
    x, y = point.longitude, point.latitude
    inside = False
    for ring in polygon:
        previous = ring[-1]
        for current in ring:
            (x1, y1), (x2, y2) = previous, current
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
            previous = current
    return inside


def parse_area(text: str) -> Area:
    """Read an area from GeoJSON text; ``GeoError`` with a Dutch message when it is no area."""
    if len(text) > MAX_AREA_CHARS:
        raise GeoError(_("Het gebied is te groot: vereenvoudig de grens."))
    try:
        data = json.loads(text)
    except ValueError:
        raise GeoError(_("Het gebied is geen geldige GeoJSON.")) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeoError(_("Geef het gebied als GeoJSON-Polygon of -MultiPolygon."))
    raw = data.get("coordinates")
    if not isinstance(raw, list) or not raw:
        raise GeoError(_("Het gebied heeft geen coördinaten."))
    raw_polygons = [raw] if data["type"] == "Polygon" else raw
    polygons = tuple(_polygon(item) for item in raw_polygons)
    positions = [p for polygon in polygons for ring in polygon for p in ring]
    if len(positions) > MAX_POSITIONS:
        raise GeoError(_("Het gebied is te groot: vereenvoudig de grens."))
    points = [Point(lat, lon) for lon, lat in positions]
    if not all(NETHERLANDS.contains(point) for point in points):
        raise GeoError(
            _(
                "Het gebied ligt (deels) buiten Nederland. Staan de coördinaten als lengtegraad, breedtegraad?"
            )
        )
    return Area(polygons=polygons, bounds=BoundingBox.of(points))


def _polygon(raw: Any) -> tuple[Ring, ...]:
    if not isinstance(raw, list) or not raw:
        raise GeoError(_("Een vlak in het gebied heeft geen ringen."))
    return tuple(_ring(item) for item in raw)


def _ring(raw: Any) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise GeoError(_("Een ring van het gebied heeft minstens vier posities nodig."))
    ring: list[tuple[float, float]] = []
    for position in raw:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            raise GeoError(_("Een positie in het gebied is geen paar getallen."))
        ring.append((float(position[0]), float(position[1])))
    if ring[0] != ring[-1]:
        raise GeoError(_("Een ring van het gebied moet eindigen waar hij begint."))
    return tuple(ring)


@lru_cache(maxsize=64)
def cached_area(text: str) -> Area:
    """``parse_area`` remembered per text: organisations' areas are checked on every placement."""
    return parse_area(text)


def validate_area(text: str) -> None:
    """Model and form validator for ``Organisation.area`` (empty means: no area of its own)."""
    if not text.strip():
        return
    try:
        parse_area(text)
    except GeoError as error:
        raise ValidationError(str(error)) from None
