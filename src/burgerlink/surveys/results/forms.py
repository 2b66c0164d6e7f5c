"""Forms of the results pages: filters (GET), an export request and the analysis settings (POST)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from burgerlink.surveys.models import AnalysisSettings
from burgerlink.surveys.results.dataset import (
    Backgrounds,
    Filters,
    background_name,
    background_value,
)
from burgerlink.surveys.results.selectors import agency_names
from burgerlink.surveys.results.variables import Catalogue

MIN_HIDE_BELOW = 10
MIN_ALPHA = 0.001
MAX_ALPHA = 0.2


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
        language = get_language() or "nl"
        for name in sorted(backgrounds.categories):
            called = background_name(name, catalogue, language)
            for category in backgrounds.values(name):
                shown = background_value(name, category, backgrounds)
                groups.append((f"{name}:{category}", f"{called}: {shown}"))
        self._choose("achtergrond", everyone + groups)
        # a filter with nothing to choose cannot apply to this wave (a contact survey has no
        # life events or organisations): it is not offered
        for name, offered in (
            ("levensgebeurtenis", catalogue.events),
            ("organisatie", agencies),
            ("achtergrond", groups),
        ):
            if not offered:
                del self.fields[name]

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


class AnalysisSettingsForm(forms.ModelForm[AnalysisSettings]):
    """The organisation's rules for small groups and its significance level."""

    class Meta:
        model = AnalysisSettings
        fields = ["hide_below", "flag_below", "alpha"]
        labels = {
            "hide_below": _("Verbergen onder n ="),
            "flag_below": _("Markeren onder n ="),
            "alpha": _("Significantieniveau (α)"),
        }
        # A text box, not type=number: browsers differ on the Dutch decimal comma there.
        widgets = {"alpha": forms.TextInput(attrs={"inputmode": "decimal"})}
        help_texts = {
            "hide_below": _(
                "Groepen met minder antwoorden tonen geen cijfers: te onzeker, en "
                "respondenten zouden herkenbaar kunnen worden. Minimaal 10."
            ),
            "flag_below": _("Groepen met minder antwoorden krijgen een waarschuwing."),
            "alpha": _(
                "Kans op een verschil dat er in werkelijkheid niet is, bij het vergelijken van "
                "metingen en organisaties. Gebruikelijk is 0,05."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Accept a Dutch decimal comma for α."""
        super().__init__(*args, **kwargs)
        alpha = self.fields["alpha"]
        assert isinstance(alpha, forms.FloatField)  # noqa: S101 - a model FloatField
        alpha.localize = True
        alpha.widget.is_localized = True

    def clean_hide_below(self) -> int:
        """At least 10: fewer answers than that make results about individual people."""
        value = int(self.cleaned_data["hide_below"])
        if value < MIN_HIDE_BELOW:
            raise forms.ValidationError(
                _("Kies minimaal %(minimum)d."), params={"minimum": MIN_HIDE_BELOW}
            )
        return value

    def clean_alpha(self) -> float:
        """Between 0.001 and 0.2: outside that no comparison means anything."""
        value = float(self.cleaned_data["alpha"])
        if not MIN_ALPHA <= value <= MAX_ALPHA:
            raise forms.ValidationError(
                _("Kies een waarde tussen 0,001 en 0,2 (bijvoorbeeld 0,05).")
            )
        return value

    def clean(self) -> dict[str, Any]:
        """Flagging starts at or above the point where hiding stops."""
        data = super().clean() or {}
        hide, flag = data.get("hide_below"), data.get("flag_below")
        if hide is not None and flag is not None and flag < hide:
            self.add_error(
                "flag_below",
                _("Markeren moet bij minstens zoveel antwoorden beginnen als verbergen."),
            )
        return data
