"""What the map include (``web/includes/map.html``) shows: points with a label and a link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from burgerlink.core.geo.areas import Area
from burgerlink.core.geo.points import Point


@dataclass(frozen=True)
class MapPoint:
    """A marker on the map and a row in the table beside it."""

    point: Point
    label: str
    url: str = ""


def map_payload(points: list[MapPoint], area: Area | None = None) -> dict[str, Any]:
    """The JSON the map script reads: markers, and the outline of an area when given."""
    return {
        "points": [
            {
                "lat": round(p.point.latitude, 6),
                "lon": round(p.point.longitude, 6),
                "label": p.label,
                "url": p.url,
            }
            for p in points
        ],
        "area": area.rings_latlon() if area is not None else [],
    }
