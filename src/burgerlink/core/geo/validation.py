"""Whether a point may be used: inside the Netherlands, and inside an organisation's area."""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext as _

from burgerlink.core.geo.areas import Area, cached_area
from burgerlink.core.geo.points import NETHERLANDS, GeoError, Point


class HasArea(Protocol):
    """An organisation, as far as placing points is concerned."""

    name: str
    area: str


def area_of(organisation: HasArea | None) -> Area | None:
    """Return an organisation's area, or None when it has none (then the whole country counts)."""
    if organisation is None or not organisation.area.strip():
        return None
    return cached_area(organisation.area)


def check_point(point: Point, *, organisation: HasArea | None = None) -> Point:
    """Return ``point`` when it lies in the Netherlands and in ``organisation``'s area.

    Raises ``GeoError`` with a Dutch message otherwise; a point that would fit with latitude
    and longitude swapped says so.
    """
    if not NETHERLANDS.contains(point):
        swapped = -90 <= point.longitude <= 90 and NETHERLANDS.contains(
            Point(point.longitude, point.latitude)
        )
        if swapped:
            raise GeoError(
                _(
                    "Dit punt ligt buiten Nederland. Staan breedte- en lengtegraad omgedraaid? "
                    "Eerst de breedtegraad (rond 52), dan de lengtegraad (rond 5)."
                )
            )
        raise GeoError(_("Dit punt ligt buiten Nederland."))
    area = area_of(organisation)
    if organisation is not None and area is not None and not area.contains(point):
        raise GeoError(
            _("Dit punt ligt buiten het gebied van %(name)s.") % {"name": organisation.name}
        )
    return point
