"""``Located``: the latitude and longitude columns of anything placed on the map."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.core.geo.points import Point


class Located(models.Model):
    """A place in WGS 84, in two indexed columns that any database can search by range.

    ``core.geo.queries.nearby`` narrows by these columns in SQL (a box around the point) and
    measures the exact distance in Python, so no spatial extension is needed. A model whose
    rows may lack a place overrides both fields with ``null=True``.
    """

    latitude = models.FloatField(
        _("breedtegraad"),
        db_index=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("WGS 84, in graden noorderbreedte (bijvoorbeeld 52.1552)."),
    )
    longitude = models.FloatField(
        _("lengtegraad"),
        db_index=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("WGS 84, in graden oosterlengte (bijvoorbeeld 5.3872)."),
    )

    class Meta:
        abstract = True

    @property
    def point(self) -> Point:
        """The place as a ``Point``."""
        return Point(self.latitude, self.longitude)

    def place_at(self, point: Point) -> None:
        """Set the place (not saved)."""
        self.latitude = point.latitude
        self.longitude = point.longitude
