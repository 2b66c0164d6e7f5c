"""Forms of the petitions area: starting, signing, and the staff's moderation and desk forms."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from burgerlink.core.moderation import ModerationAction
from burgerlink.participation.models import PetitionRules, Stage
from burgerlink.participation.petitions import addresses

HONEYPOT_FIELD = "website"
TIMING_FIELD = "started"
_TIMING_SALT = "participation.petitions.form-timing"
FORM_MAX_AGE = 60 * 60 * 6  # a form left open longer is shown again with a fresh stamp


def timing_stamp(now: float | None = None) -> str:
    """A signed stamp of the moment a form was shown (people take seconds, bots milliseconds)."""
    return signing.dumps(int((now or time.time()) * 1000), salt=_TIMING_SALT)


def seconds_taken(stamp: str, now: float | None = None) -> float | None:
    """Seconds since the stamp was made, or None for a stamp that is forged or too old."""
    try:
        shown = int(signing.loads(stamp, salt=_TIMING_SALT, max_age=FORM_MAX_AGE))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (now or time.time()) - shown / 1000


def too_fast(stamp: str, now: float | None = None) -> bool:
    """Whether a form came back faster than a person fills it in, or without a valid stamp."""
    taken = seconds_taken(stamp, now)
    return taken is None or taken < settings.PETITION_FORM_MIN_SECONDS


class StartForm(forms.Form):
    """A new petition: what is asked, and who asks it."""

    title = forms.CharField(
        label=_("Titel"),
        max_length=150,
        min_length=10,
        help_text=_("Zeg in één zin wat u vraagt, bijvoorbeeld 'Een zebrapad bij de Dorpsschool'."),
    )
    text = forms.CharField(
        label=_("Tekst van de petitie"),
        max_length=5000,
        min_length=50,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Wat vraagt u van de organisatie, en waarom? Ten hoogste 5.000 tekens."),
    )
    petitioner_name = forms.CharField(
        label=_("Uw naam"),
        max_length=150,
        help_text=_("Wordt bij de petitie getoond als indiener."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    petitioner_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        help_text=_("Hierop hoort u of de petitie is gepubliceerd; wordt niet getoond."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_title(self) -> str:
        """Collapse spaces in the title."""
        return " ".join(str(self.cleaned_data["title"]).split())


class SignForm(forms.Form):
    """A signature: name (shown or not), e-mail address and place of residence."""

    name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    show_name = forms.TypedChoiceField(
        label=_("Mag uw naam bij de petitie staan?"),
        choices=[("0", _("Nee, teken anoniem")), ("1", _("Ja, toon mijn naam en woonplaats"))],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_(
            "U krijgt een e-mail met een link om uw handtekening te bevestigen, en later het "
            "antwoord op de petitie. Het adres wordt niet getoond."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    place = forms.CharField(
        label=_("Woonplaats"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )

    def clean_name(self) -> str:
        """Collapse spaces in the name."""
        return " ".join(str(self.cleaned_data["name"]).split())

    def clean_place(self) -> str:
        """Collapse spaces; places are counted as written, with a capital first letter."""
        place = " ".join(str(self.cleaned_data["place"]).split())
        return place[:1].upper() + place[1:]

    def clean_email(self) -> str:
        """Refuse addresses of throw-away mailboxes."""
        email = str(self.cleaned_data["email"]).strip()
        try:
            key = addresses.normalise(email)
        except ValueError as error:
            raise forms.ValidationError(_("Vul een geldig e-mailadres in.")) from error
        if addresses.is_disposable(addresses.domain_of(key)):
            raise forms.ValidationError(
                _(
                    "Met een wegwerpadres kunt u niet tekenen: het antwoord op de petitie moet u "
                    "later nog bereiken. Gebruik uw eigen e-mailadres."
                )
            )
        return email


class ModerationForm(forms.Form):
    """A moderator's decision on a petition."""

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[
            (action.value, action.label)
            for action in (
                ModerationAction.PUBLISH,
                ModerationAction.REJECT,
                ModerationAction.HIDE,
                ModerationAction.RESTORE,
            )
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reden voor de indiener"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij afwijzen of verbergen; de indiener krijgt de reden per e-mail."),
    )


class StageForm(forms.Form):
    """Where a petition stands at the desk, with links to agenda item and decision."""

    stage = forms.ChoiceField(
        label=_("Fase"),
        choices=[(s.value, s.label) for s in Stage if s != Stage.ANSWERED],
    )
    agenda_url = forms.URLField(
        label=_("Link naar het agendapunt"), required=False, max_length=200, assume_scheme="https"
    )
    decision_url = forms.URLField(
        label=_("Link naar het besluit"), required=False, max_length=200, assume_scheme="https"
    )
    note = forms.CharField(label=_("Notitie"), required=False, max_length=2000)


class AnswerForm(forms.Form):
    """The organisation's answer, published on the petition and mailed to every signatory."""

    answer = forms.CharField(
        label=_("Antwoord"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Wordt openbaar bij de petitie en gaat per e-mail naar alle bevestigde ondertekenaars."
        ),
    )


class StrikeForm(forms.Form):
    """Strike a cluster of suspicious signatures."""

    kind = forms.ChoiceField(
        choices=[("domain", "domain"), ("client", "client")], widget=forms.HiddenInput
    )
    key = forms.CharField(max_length=254, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        initial=_("Verdachte reeks handtekeningen"),
    )


class RulesForm(forms.ModelForm[PetitionRules]):
    """The organisation's petition rules."""

    class Meta:
        model = PetitionRules
        fields = [
            "addressed_to",
            "initiative_threshold",
            "ordinance",
            "response_threshold",
            "default_duration_days",
            "retention_days_after_answer",
        ]
