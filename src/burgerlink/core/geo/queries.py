"""Distance queries on any database: a box around the point in SQL, then the exact distance.

The box uses the indexed ``latitude`` and ``longitude`` columns of ``Located``; the rows inside
it are measured with the haversine formula in Python and those beyond the radius dropped. This
works the same on SQLite and PostgreSQL, without PostGIS or SpatiaLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import QuerySet

from burgerlink.core.geo.models import Located
from burgerlink.core.geo.points import BoundingBox, Point, haversine_m

L = TypeVar("L", bound=Located)


@dataclass(frozen=True)
class Nearby(Generic[L]):
    """A row found near a point, and how far away it is."""

    item: L
    distance_m: float


def within(queryset: QuerySet[L], box: BoundingBox) -> QuerySet[L]:
    """Narrow ``queryset`` to rows inside ``box`` (edges included)."""
    return queryset.filter(
        latitude__gte=box.south,
        latitude__lte=box.north,
        longitude__gte=box.west,
        longitude__lte=box.east,
    )


def nearby(
    queryset: QuerySet[L], point: Point, radius_m: float, *, limit: int | None = None
) -> list[Nearby[L]]:
    """Rows of ``queryset`` within ``radius_m`` metres of ``point``, nearest first.

    Ties are broken by primary key, so the order is the same on every database.
    """
    found = [
        Nearby(item, haversine_m(point, item.point))
        for item in within(queryset, BoundingBox.around(point, radius_m))
    ]
    found = [row for row in found if row.distance_m <= radius_m]
    found.sort(key=lambda row: (row.distance_m, row.item.pk))
    return found if limit is None else found[:limit]
