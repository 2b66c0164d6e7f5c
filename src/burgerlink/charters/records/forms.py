"""The upload form of the staff import page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.records.schema import PRESETS
from burgerlink.core.files import FileLimits

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
        limit = FileLimits.from_settings().max_bytes
        if limit is not None and upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Het bestand is groter dan %(mb)s MB; gebruik de opdrachtregel "
                    "(burgerlink import-records)."
                )
                % {"mb": limit // (1024 * 1024)}
            )
        return upload
