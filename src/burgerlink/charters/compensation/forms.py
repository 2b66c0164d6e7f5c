"""Forms of the compensation area: the public claim form and the staff decisions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.compensation.iban import is_valid_iban, normalise_iban
from burgerlink.charters.compensation.selectors import MAX_REFERENCE_LENGTH
from burgerlink.charters.compensation.services import MARKABLE_STATUSES
from burgerlink.charters.models import ClaimStatus, EntryStatus

HONEYPOT_FIELD = "website"


class ClaimForm(forms.Form):
    """A citizen's claim: the reference, a way to hear the outcome, and a bank account if needed.

    The honeypot field ``website`` is not a form field: the template renders it hidden from
    people, and the view treats a filled-in value as a bot.
    """

    reference = forms.CharField(
        label=_("Kenmerk"),
        max_length=MAX_REFERENCE_LENGTH,
        help_text=_("Het kenmerk of zaaknummer uit onze brief, e-mail of ontvangstbevestiging."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Hierop krijgt u de uitkomst. Wij gebruiken het voor niets anders."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    iban = forms.CharField(
        label=_("IBAN (rekeningnummer)"),
        max_length=42,
        required=False,
        help_text=_(
            "Alleen nodig als de compensatie een geldbedrag is, bijvoorbeeld NL91 ABNA 0417 1643 00."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    message = forms.CharField(
        label=_("Toelichting"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_reference(self) -> str:
        """Trim spaces around the reference."""
        return str(self.cleaned_data["reference"]).strip()

    def clean_iban(self) -> str:
        """Accept an IBAN with any spacing; refuse one whose check digits do not add up."""
        iban = normalise_iban(self.cleaned_data.get("iban") or "")
        if iban and not is_valid_iban(iban):
            raise ValidationError(
                _(
                    "Dit IBAN klopt niet. Controleer de letters en cijfers, bijvoorbeeld op uw bankpas."
                )
            )
        return iban

    def require_iban(self) -> None:
        """Ask for the bank account: the compensation of this reference is money."""
        self.add_error(
            "iban",
            _("Vul uw IBAN in: deze compensatie is een geldbedrag dat wij naar u overmaken."),
        )


class ClaimFilterForm(forms.Form):
    """Filter the claims list by status."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle claims")), *ClaimStatus.choices],
    )


class EntryFilterForm(forms.Form):
    """Filter the ledger by status."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle compensaties")), *EntryStatus.choices],
    )


class DecisionForm(forms.Form):
    """Grant or reject a claim; a rejection needs a reason the citizen reads."""

    note = forms.CharField(
        label=_("Toelichting voor de burger"),
        max_length=2000,
        required=False,
        help_text=_(
            "Verplicht bij afwijzen. De burger leest dit in de e-mail en op de statuspagina."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Sent by the button pressed (name="decision"), not rendered as a field.
    decision = forms.ChoiceField(choices=[("grant", _("Toekennen")), ("reject", _("Afwijzen"))])

    def clean(self) -> dict[str, object]:
        """Require the note when rejecting."""
        cleaned: dict[str, object] = super().clean() or {}
        if cleaned.get("decision") == "reject" and not str(cleaned.get("note") or "").strip():
            self.add_error("note", _("Schrijf op waarom de claim wordt afgewezen."))
        return cleaned


class EntryStatusForm(forms.Form):
    """Record what became of a compensation."""

    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[(status.value, status.label) for status in MARKABLE_STATUSES],
    )
