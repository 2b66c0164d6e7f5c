"""Forms of the fieldwork pages: a survey, a wave, uploads, marking a bounce."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from burgerlink.core.forms import DateInput, date_help
from burgerlink.core.models import LifeEvent, Organisation
from burgerlink.core.selectors import active_life_events
from burgerlink.surveys.analysis.weighting import WeightingError
from burgerlink.surveys.fieldwork import selectors
from burgerlink.surveys.fieldwork.rules import check_weighting, parse_reminder_days
from burgerlink.surveys.models import Questionnaire, QuestionnaireVersion, Survey

MAX_SAMPLE_BYTES = 50 * 1024 * 1024
MAX_RESPONSE_BYTES = 100 * 1024 * 1024
WEIGHTING_EXAMPLE = '{"age_group": {"18-34": 0.27, "35-64": 0.5, "65+": 0.23}}'


def _weighting_help() -> str:
    return gettext(
        "Per achtergrondvariabele het aandeel van elke categorie in de populatie, als JSON, "
        "bijvoorbeeld %(example)s. De steekproef gebruikt dezelfde namen als kolommen."
    ) % {"example": WEIGHTING_EXAMPLE}


class QuestionnaireChoiceField(forms.ModelChoiceField[Questionnaire]):
    """Questionnaires by their title."""

    def label_from_instance(self, obj: Questionnaire) -> str:
        """Show the title."""
        return obj.title_nl


class LifeEventChoiceField(forms.ModelMultipleChoiceField[LifeEvent]):
    """Life events by their name in the active language."""

    def label_from_instance(self, obj: LifeEvent) -> str:
        """Show the name."""
        return obj.name


class VersionChoiceField(forms.ModelChoiceField[QuestionnaireVersion]):
    """Versions by number and status."""

    def label_from_instance(self, obj: QuestionnaireVersion) -> str:
        """Show the number and whether it is already in use."""
        return f"{_('Versie')} {obj.number} ({obj.get_status_display()})"


class SurveyForm(forms.Form):
    """A new survey: which questionnaire, a title, the life events it is about."""

    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Tevredenheid rond verhuizen."),
    )
    questionnaire = QuestionnaireChoiceField(
        label=_("Vragenlijst"),
        queryset=Questionnaire.objects.none(),
        empty_label=None,
        help_text=_("Een vragenlijst van uw organisatie, vaak begonnen vanuit een sjabloon."),
    )
    life_events = LifeEventChoiceField(
        label=_("Levensgebeurtenissen"),
        queryset=LifeEvent.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            QuestionnaireChoiceField, self.fields["questionnaire"]
        ).queryset = selectors.own_questionnaires(organisation)
        cast(
            LifeEventChoiceField, self.fields["life_events"]
        ).queryset = active_life_events().order_by("position", "code")


class WaveForm(forms.Form):
    """A new wave: version, dates, anonymity, population, weighting, reminders, retention."""

    name = forms.CharField(
        label=_("Naam"), max_length=120, help_text=_("Bijvoorbeeld: meting 2026.")
    )
    version = VersionChoiceField(
        label=_("Versie van de vragenlijst"),
        queryset=QuestionnaireVersion.objects.none(),
        empty_label=None,
        help_text=_("Met deze meting gaat de versie in gebruik en verandert zij niet meer."),
    )
    opens_on = forms.DateField(
        label=_("Open vanaf"), widget=DateInput(), help_text=date_help("1-3-2026")
    )
    closes_on = forms.DateField(
        label=_("Open tot en met"), widget=DateInput(), help_text=date_help("31-3-2026")
    )
    anonymous = forms.BooleanField(
        label=_("Anoniem"),
        required=False,
        initial=True,
        help_text=_(
            "Na het invullen wordt de koppeling tussen uitnodiging en antwoorden verbroken."
        ),
    )
    open_link = forms.BooleanField(
        label=_("Open link voor panels en websites"),
        required=False,
        help_text=_("Naast persoonlijke uitnodigingen: één link die iedereen kan gebruiken."),
    )
    open_link_limit = forms.IntegerField(
        label=_("Keer invullen per browser (open link)"),
        required=False,
        initial=1,
        min_value=1,
        max_value=1000,
        help_text=_(
            "Hoe vaak één browser de vragenlijst via de open link mag invullen. Leeg: "
            "onbeperkt, bijvoorbeeld voor een tablet aan de balie."
        ),
    )
    population_size = forms.IntegerField(
        label=_("Populatie"),
        required=False,
        min_value=1,
        help_text=_("Aantal mensen in de doelgroep, voor de eindige-populatiecorrectie."),
    )
    weighting = forms.CharField(
        label=_("Weging (populatieverdelingen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        # Lazy: a form class is made once, at import, and this text follows the page's language.
        help_text=lazy(_weighting_help, str)(),
    )
    reminder_days = forms.CharField(
        label=_("Herinneringen na (dagen)"),
        required=False,
        initial="7, 14",
        help_text=_("Dagen na de uitnodiging, bijvoorbeeld 7, 14. Leeg: geen herinneringen."),
    )
    retention_days = forms.IntegerField(
        label=_("Bewaartermijn steekproef (dagen)"),
        min_value=0,
        max_value=3650,
        initial=90,
        help_text=_("Zo lang na sluiting blijven adressen bewaard; daarna worden ze gewist."),
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(VersionChoiceField, self.fields["version"]).queryset = selectors.fieldable_versions(
            survey
        )

    def clean_weighting(self) -> dict[str, dict[str, float]]:
        """Parse and check the JSON of the weighting targets."""
        raw = str(self.cleaned_data.get("weighting") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Dit is geen geldige JSON (regel %(line)s): %(problem)s")
                % {"line": error.lineno, "problem": error.msg}
            ) from error
        try:
            return check_weighting(value)
        except WeightingError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_reminder_days(self) -> list[int]:
        """Parse "7, 14" into days."""
        try:
            return parse_reminder_days(str(self.cleaned_data.get("reminder_days") or ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        """The wave closes on or after the day it opens."""
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("De sluitdatum ligt vóór de openingsdatum."))
        return cleaned


class _UploadForm(forms.Form):
    max_bytes = MAX_SAMPLE_BYTES

    file = forms.FileField(label=_("Bestand"))

    def clean_file(self) -> UploadedFile[bytes]:
        """Refuse empty and oversized files before reading them."""
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(_("Het bestand is leeg."))
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)s MB.") % {"mb": self.max_bytes // (1024 * 1024)}
            )
        return upload


class SampleUploadForm(_UploadForm):
    """The sample as a CSV or Excel file."""

    max_bytes = MAX_SAMPLE_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Steekproefbestand (CSV of Excel)")
        self.fields["file"].help_text = _(
            "CSV met komma of puntkomma als scheidingsteken (UTF-8 of Windows-1252), of .xlsx."
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"


class ResponseImportForm(_UploadForm):
    """Responses from a fieldwork bureau as CSV, Excel or SPSS .sav."""

    max_bytes = MAX_RESPONSE_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Bestand met responsen (CSV, Excel of SPSS .sav)")
        self.fields["file"].help_text = _("Eén rij per respondent, één kolom per variabelecode.")
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.sav,.zsav,text/csv"


class BounceForm(forms.Form):
    """The address (or access code) the mail server reported as undeliverable."""

    address = forms.CharField(
        label=_("E-mailadres of toegangscode"),
        max_length=254,
        help_text=_("Zoals in de foutmelding van de mailserver."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
