"""Forms of the reporting area: the period selector (a GET form: choosing a period is a read)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from burgerlink.core.periods import Period, parse_period


class PeriodForm(forms.Form):
    """Choose a year or quarter (a month typed in the address works too)."""

    periode = forms.CharField(
        label=_("Periode"),
        help_text=_("Een jaar of een kwartaal."),
        widget=forms.Select,
        max_length=7,
    )

    def __init__(self, *args: Any, choices: Sequence[Period] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        options = [(period.code, period.label(language)) for period in choices]
        value = self.data.get("periode") if self.is_bound else self.initial.get("periode")
        if value and value not in {code for code, _label in options}:
            try:
                extra = parse_period(str(value))
            except ValueError:
                pass
            else:
                options.insert(0, (extra.code, extra.label(language)))
        self.fields["periode"].widget.choices = options

    def clean_periode(self) -> Period:
        """Turn the code into a Period, with a message in the visitor's language."""
        try:
            return parse_period(self.cleaned_data["periode"])
        except ValueError as error:
            raise forms.ValidationError(
                _("Kies een bestaand jaar, kwartaal of maand, bijvoorbeeld 2025 of 2025-Q1."),
                code="invalid_period",
            ) from error
