"""Form fields that take input as people write it, for every app's forms.

- ``DateInput``: the browser's date field. Its value is always ISO (2026-12-07), whatever the
  page's language: a ``<input type="date">`` with a Dutch value (07-12-2026) shows empty in
  every browser. The field still accepts a typed Dutch date from a browser without a date
  picker; ``DATE_HELP`` is the help text that shows the Dutch format.
- ``PercentField``: a share stored as 0–1 (0.85) that people type and read as a percentage
  ("85", "85%", "85,5"), never as 0,85.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from burgerlink.core.numbers import decimals_for, format_number

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ISO_DATE = "%Y-%m-%d"


def date_help(example: str = "7-12-2026") -> _StrPromise:
    """Help text for a date field, in the page's language: the Dutch format with an example."""
    return format_lazy(_("Dag-maand-jaar, bijvoorbeeld {example}."), example=example)


DATE_HELP = date_help()
"""Help text of a date field: the Dutch way of writing a date (for browsers without a picker)."""


class DateInput(forms.DateInput):
    """The browser's date field: the value in ISO (2026-12-07), typed Dutch dates accepted."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class PercentInput(forms.TextInput):
    """A text box for a percentage, with the numeric keyboard on phones."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        """A stored share 0.855 reads as 85,5 (in the page's language, without "%")."""
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value  # what the person typed, shown again after an error
        percentage = Decimal(repr(value) if isinstance(value, float) else value).scaleb(2)
        return format_number(percentage, decimals_for([percentage], most=2))


class PercentField(forms.DecimalField):
    """A share 0–1 that people type as a percentage: "85", "85%", "85,5" or "85.5" → 0.855."""

    widget = PercentInput
    default_error_messages = {
        "invalid": _("Vul een percentage in, bijvoorbeeld 85 of 85,5."),
        "min_value": _(
            "Een percentage is ten minste %(limit_value)s. Vul het in zoals u het schrijft: 85 "
            "voor 85%%."
        ),
        "max_value": _("Een percentage is hoogstens %(limit_value)s."),
    }

    def __init__(self, *, min_percent: int = 0, max_percent: int = 100, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(**kwargs)
        self.min_percent, self.max_percent = min_percent, max_percent
        self.validators = []  # the range is checked on the percentage, in to_python

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        """Read a typed percentage and return the share (85 → 0.85)."""
        if value in self.empty_values:
            return None
        text = str(value).strip().removesuffix("%").strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            percentage = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not percentage.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if percentage < self.min_percent:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit_value": f"{self.min_percent}%"},
            )
        if percentage > self.max_percent:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit_value": f"{self.max_percent}%"},
            )
        exponent = Decimal(1).scaleb(-(self.decimal_places or 4))
        share = (percentage / 100).quantize(exponent, rounding=ROUND_HALF_UP)
        if percentage and not share:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return share

    def validate(self, value: Any) -> None:
        """Only ``required`` is checked here: the range was checked on the percentage."""
        forms.Field.validate(self, value)
