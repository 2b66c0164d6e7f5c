"""Template helpers: accessible form widgets, numbers and percentages (core.numbers), score bars,
map data."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from burgerlink.core import numbers
from burgerlink.core.geo import Area, MapPoint
from burgerlink.core.geo import maps as geo_maps

register = template.Library()


@register.simple_tag
def widget_with_a11y(field: forms.BoundField) -> SafeString:
    """Render a widget with NL Design System classes and aria links to its help and errors."""
    widget = field.field.widget
    described_by = []
    attrs: dict[str, str | bool] = {}
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if isinstance(widget, forms.Textarea):
        css = "utrecht-textarea"
    elif isinstance(widget, forms.Select):
        css = "utrecht-select"
    elif isinstance(widget, forms.CheckboxInput):
        css = "utrecht-checkbox utrecht-checkbox--html-input"
    else:
        css = "utrecht-textbox utrecht-textbox--html-input"
    attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """A share 0–1 as a percentage in the page's language ("85,5%"), or an en dash when unknown."""
    return numbers.format_percent(value, digits)


@register.filter
def number(value: float | None, digits: int = 0) -> str:
    """A number rounded half away from zero, in the page's language ("1.234,5"), or an en dash."""
    return numbers.format_number(value, digits)


@register.filter
def signed_number(value: float | None, digits: int = 0) -> str:
    """Like ``number``, with a "+" before a positive number (differences), or an en dash."""
    return numbers.format_number(value, digits, signed=True)


@register.filter
def euros(value: float | None) -> str:
    """An amount in euros in the page's language ("€ 1.234,50"; cents only when there are)."""
    return numbers.format_euros(value)


@register.filter
def bar_width(value: float | None, scale: int = 200) -> int:
    """Width in SVG units of a bar for a share 0–1 (no inline styles under our CSP)."""
    if value is None:
        return 0
    return round(max(0.0, min(1.0, value)) * scale)


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    """Look a key up in a dict from a template."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def map_payload(context: template.Context, points: list[MapPoint]) -> dict[str, Any]:
    """The JSON the map script reads (use with ``json_script``): markers and an area outline.

    ``area`` comes from the context when the include was given one.
    """
    area = context.get("area")
    return geo_maps.map_payload(list(points), area if isinstance(area, Area) else None)
