"""Entering a place without a map: one text field that takes WGS 84 or RD coordinates.

Works without JavaScript and without the map; the map, where a page has one, only helps to
fill it in. The cleaned value is a WGS 84 ``Point`` inside the Netherlands and inside the
organisation's area when it has one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from burgerlink.core.geo.coordinates import parse_coordinates
from burgerlink.core.geo.points import GeoError, Point
from burgerlink.core.geo.validation import HasArea, check_point


class CoordinateField(forms.CharField):
    """ "lat, lon" in WGS 84 or "x, y" in RD New, cleaned to a ``Point`` that may be used."""

    default_error_messages = {"required": _("Vul de coördinaten van de plek in.")}

    def __init__(self, *, organisation: HasArea | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Coördinaten"))
        kwargs.setdefault(
            "help_text",
            _(
                "Breedtegraad, lengtegraad (bijvoorbeeld 52.1552, 5.3872) of RD-coördinaten "
                "x, y in meters (bijvoorbeeld 155000, 463000)."
            ),
        )
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.organisation = organisation
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value: Any) -> Point | None:  # type: ignore[override]
        """Read the typed pair into a point (None when empty)."""
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_coordinates(text).point
        except GeoError as error:
            raise ValidationError(str(error), code="invalid") from None

    def validate(self, value: Any) -> None:
        """Required, and inside the Netherlands and the organisation's area."""
        if value in self.empty_values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        try:
            check_point(value, organisation=self.organisation)
        except GeoError as error:
            raise ValidationError(str(error), code="outside") from None

    def run_validators(self, value: Any) -> None:
        """The text's length was checked on the text; a point needs no more validators."""

    def prepare_value(self, value: Any) -> Any:
        """Show a point as "lat, lon" when the form is shown again."""
        if isinstance(value, Point):
            return f"{value.latitude:.6f}, {value.longitude:.6f}"
        return value


class LocationForm(forms.Form):
    """A place typed as coordinates, checked against an organisation's area."""

    location = CoordinateField()

    def __init__(self, *args: Any, organisation: HasArea | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        if isinstance(field, CoordinateField):
            field.organisation = organisation
