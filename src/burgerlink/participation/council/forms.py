"""Forms of the council area: the public filters (a GET form: filtering is a read) and the upload."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from burgerlink.core.files import FileLimits
from burgerlink.core.forms import DateInput, date_help
from burgerlink.participation.council.selectors import DecisionFilters
from burgerlink.participation.models import DecisionKind, DecisionResult, Party, PartyPosition

MB = 1024 * 1024


class DecisionFilterForm(forms.Form):
    """Search and narrow the decisions: words, kind, result, a party's vote, a period."""

    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=200,
        help_text=_("Woorden uit de titel of de tekst, bijvoorbeeld parkeren."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    soort = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("Alle soorten")), *DecisionKind.choices]
    )
    uitslag = forms.ChoiceField(
        label=_("Uitslag"),
        required=False,
        choices=[("", _("Aangenomen en verworpen")), *DecisionResult.choices],
    )
    partij = forms.TypedChoiceField(
        label=_("Fractie"), required=False, coerce=int, empty_value=None
    )
    stem = forms.ChoiceField(
        label=_("Stem van die fractie"),
        required=False,
        choices=[("", _("Elke stem")), *PartyPosition.choices],
    )
    van = forms.DateField(
        label=_("Vanaf"), required=False, widget=DateInput(), help_text=date_help("1-1-2026")
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=DateInput(),
        help_text=date_help("31-12-2026"),
    )

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["partij"])
        field.choices = [("", _("Alle fracties"))] + [(str(p.pk), p.name) for p in parties]

    def clean(self) -> dict[str, Any]:
        """A period must not end before it starts; a vote needs a party."""
        data = super().clean() or {}
        if data.get("van") and data.get("tot") and data["tot"] < data["van"]:
            self.add_error("tot", _("Deze datum ligt voor de datum vanaf."))
        if data.get("stem") and data.get("partij") is None:
            self.add_error("partij", _("Kies de fractie waarvan u de stem zoekt."))
        return data

    def filters(self) -> DecisionFilters:
        """The valid choices as filters (nothing chosen: no filter)."""
        if not self.is_bound or not self.is_valid():
            return DecisionFilters()
        data = self.cleaned_data
        return DecisionFilters(
            query=data["q"].strip(),
            kind=data["soort"],
            result=data["uitslag"],
            party_id=data["partij"],
            position=data["stem"],
            date_from=data["van"],
            date_to=data["tot"],
        )


class UploadForm(forms.Form):
    """A Popolo JSON file or a CSV/Excel file of votes."""

    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "Popolo-JSON, of CSV (komma of puntkomma) of Excel (.xlsx) volgens het voorbeeld; "
            "ook ingepakt als .gz."
        ),
    )

    def clean_file(self) -> object:
        """Refuse empty and oversized files before reading them."""
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("Het bestand is leeg."))
        limit = FileLimits.from_settings().max_bytes
        if limit is not None and upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)s MB.")
                % {"mb": number_format(limit // MB, force_grouping=True)}
            )
        return upload
