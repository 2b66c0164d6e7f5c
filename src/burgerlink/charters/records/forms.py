"""The upload form of the staff import page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.records.schema import PRESETS

MAX_UPLOAD_BYTES = 200 * 1024 * 1024

KIND_CHOICES = [
    ("contacts", _("Klantcontacten")),
    ("cases", _("Zaken")),
    ("suspensions", _("Opschortingen van zaken")),
    ("extensions", _("Verdagingen van zaken")),
]


class UploadForm(forms.Form):
    """Which kind of records, in which layout, from which file."""

    kind = forms.ChoiceField(label=_("Soort gegevens"), choices=KIND_CHOICES)
    mapping = forms.ChoiceField(
        label=_("Indeling"),
        required=False,
        choices=[("", _("Standaardkolommen of Open Klant / ZGW (JSON)"))]
        + [(code, preset.label) for code, preset in PRESETS.items()],
        help_text=_("Kies de indeling van het systeem waar het bestand uit komt."),
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("CSV (komma of puntkomma; UTF-8 of Windows-1252), Excel (.xlsx) of JSON."),
    )

    def clean_file(self) -> object:
        """Refuse empty and oversized files before reading them."""
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("Het bestand is leeg."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "Het bestand is groter dan 200 MB; gebruik de opdrachtregel (burgerlink import-records)."
                )
            )
        return upload
