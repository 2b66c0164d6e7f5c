"""Forms of the results pages: filters (GET) and an export request (POST)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from burgerlink.surveys.results.selectors import Backgrounds, Filters, agency_names
from burgerlink.surveys.results.variables import Catalogue


class FilterForm(forms.Form):
    """Restrict a wave's results to a life event, an organisation or a background group."""

    levensgebeurtenis = forms.ChoiceField(label=_("Levensgebeurtenis"), required=False)
    organisatie = forms.ChoiceField(label=_("Organisatie in de keten"), required=False)
    achtergrond = forms.ChoiceField(label=_("Achtergrondgroep"), required=False)

    def __init__(
        self, data: Any, *, catalogue: Catalogue, backgrounds: Backgrounds, **kwargs: Any
    ) -> None:
        """Offer the life events, organisations and background groups of this wave."""
        super().__init__(data, **kwargs)
        language = get_language() or "nl"
        everyone = [("", _("Alle"))]
        self._choose(
            "levensgebeurtenis",
            everyone + [(event.key, event.label.get(language)) for event in catalogue.events],
        )
        names = agency_names()
        agencies = sorted(
            {agency for _code, agency in catalogue.organisations},
            key=lambda code: (names.get(code) or code).casefold(),
        )
        self._choose("organisatie", everyone + [(code, names.get(code, code)) for code in agencies])
        groups: list[tuple[str, str]] = []
        for name in sorted(backgrounds.categories):
            labels = backgrounds.labels.get(name, {})
            for category in backgrounds.values(name):
                shown = labels.get(category, category)
                groups.append((f"{name}:{category}", f"{name}: {shown}"))
        self._choose("achtergrond", everyone + groups)

    def _choose(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices

    def filters(self) -> Filters:
        """The chosen filters (none when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        background = None
        chosen = self.cleaned_data.get("achtergrond") or ""
        if chosen:
            name, _colon, value = chosen.partition(":")
            background = (name, value)
        return Filters(
            life_event=self.cleaned_data.get("levensgebeurtenis") or "",
            organisation=self.cleaned_data.get("organisatie") or "",
            background=background,
        )


class ExportForm(forms.Form):
    """Which file to make of the wave's responses."""

    formaat = forms.ChoiceField(
        label=_("Bestandsformaat"),
        choices=[
            ("sav", _("SPSS (.sav) met variabele- en waardelabels")),
            ("xlsx", _("Excel (.xlsx) met een codeboek")),
            ("csv", _("CSV (UTF-8)")),
        ],
        initial="sav",
        widget=forms.RadioSelect,
    )


class BenchmarkForm(forms.Form):
    """Which template version to compare on."""

    sjabloon = forms.ChoiceField(label=_("Sjabloon"), required=False)

    def __init__(self, data: Any, *, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        """Offer the template versions the organisation used."""
        super().__init__(data, **kwargs)
        field = self.fields["sjabloon"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices
