"""Points and bounding boxes in WGS 84, distances on the sphere: pure values, no database.

Latitude first, as people write it ("52.1552, 5.3872"); GeoJSON and Leaflet's tile maths keep
their own order where they are used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The mean radius of the earth (IUGG), the one haversine and the boxes around a point share.
EARTH_RADIUS_M = 6_371_008.8
# The largest radius a nearby query accepts: beyond it a box around a point stops being small.
MAX_RADIUS_M = 500_000.0


class GeoError(ValueError):
    """A point, box, area or coordinate text that cannot be used; the message reads in Dutch."""


@dataclass(frozen=True)
class Point:
    """A place in WGS 84 degrees (EPSG:4326)."""

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        """Refuse coordinates that are not numbers on the globe."""
        if not (math.isfinite(self.latitude) and math.isfinite(self.longitude)):
            raise GeoError(_("Coördinaten moeten getallen zijn."))
        if not -90 <= self.latitude <= 90:
            raise GeoError(_("Een breedtegraad ligt tussen -90 en 90."))
        if not -180 <= self.longitude <= 180:
            raise GeoError(_("Een lengtegraad ligt tussen -180 en 180."))

    def __str__(self) -> str:
        return f"{self.latitude:.6f}, {self.longitude:.6f}"


@dataclass(frozen=True)
class BoundingBox:
    """A rectangle of latitudes and longitudes (not across the antimeridian: not needed here)."""

    south: float
    west: float
    north: float
    east: float

    def __post_init__(self) -> None:
        """Refuse a box whose sides are the wrong way round or off the globe."""
        Point(self.south, self.west)
        Point(self.north, self.east)
        if self.south > self.north or self.west > self.east:
            raise GeoError(_("Een kader heeft zuid onder noord en west links van oost."))

    def contains(self, point: Point) -> bool:
        """Whether ``point`` lies in the box (its edges included)."""
        return (
            self.south <= point.latitude <= self.north and self.west <= point.longitude <= self.east
        )

    @classmethod
    def around(cls, centre: Point, radius_m: float) -> BoundingBox:
        """The smallest box that holds every point within ``radius_m`` of ``centre``.

        The longitude span uses the exact extreme of a circle on the sphere, so the box never
        cuts off a point the haversine distance would keep.
        """
        if not 0 < radius_m <= MAX_RADIUS_M:
            raise GeoError(_("Kies een straal tussen 0 en 500 kilometer."))
        angle = radius_m / EARTH_RADIUS_M
        dlat = math.degrees(angle)
        south = max(-90.0, centre.latitude - dlat)
        north = min(90.0, centre.latitude + dlat)
        cos_lat = math.cos(math.radians(centre.latitude))
        if south <= -90 or north >= 90 or math.sin(angle) >= cos_lat:
            return cls(south, -180.0, north, 180.0)  # the circle holds a pole
        dlon = math.degrees(math.asin(math.sin(angle) / cos_lat))
        return cls(
            south, max(-180.0, centre.longitude - dlon), north, min(180.0, centre.longitude + dlon)
        )

    @classmethod
    def of(cls, points: list[Point]) -> BoundingBox:
        """The smallest box that holds ``points`` (at least one)."""
        if not points:
            raise GeoError(_("Een kader heeft minstens één punt nodig."))
        return cls(
            min(p.latitude for p in points),
            min(p.longitude for p in points),
            max(p.latitude for p in points),
            max(p.longitude for p in points),
        )


# European Netherlands, the Wadden islands and the coast included, with a small margin. A box,
# so a point just across the Belgian or German border passes; an organisation's area is exact.
NETHERLANDS = BoundingBox(south=50.70, west=3.20, north=53.70, east=7.30)


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres between two points (good to about 0.5% on the ellipsoid)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
