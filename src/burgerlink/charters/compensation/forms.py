"""Forms of the compensation area: the public claim form and the staff decisions."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.compensation import codes
from burgerlink.charters.compensation.iban import is_valid_iban, normalise_iban
from burgerlink.charters.compensation.selectors import (
    DEFAULT_SORT,
    MAX_REFERENCE_LENGTH,
    RegisterChoices,
    RegisterFilter,
    sort_key,
)
from burgerlink.charters.compensation.services import MARKABLE_STATUSES, MAX_CODES_PER_CALL
from burgerlink.charters.models import ClaimStatus, EntryStatus
from burgerlink.core.forms import DateInput, date_help

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
    claim_code = forms.CharField(
        label=_("Claimcode"),
        max_length=20,
        help_text=_(
            "De code van 8 letters en cijfers die naast het kenmerk staat, bijvoorbeeld "
            "K7QM-4XP4. Zo weten wij dat de claim van u komt."
        ),
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

    def clean_claim_code(self) -> str:
        """Refuse a code with a typing error: the check character tells, before any look-up."""
        code = str(self.cleaned_data["claim_code"])
        if not codes.looks_like_claim_code(code):
            raise ValidationError(
                _(
                    "Deze claimcode klopt niet. Controleer de 8 letters en cijfers; een "
                    "claimcode bevat nooit 0, 1, I, L of O."
                )
            )
        return codes.compact(code)

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


MONEY = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$")


def parse_euros(text: str) -> Decimal | None:
    """Read an amount as people write it: 25, 12,50, 1.234,50, € 1.000 (or 1,234.50).

    A separator followed by exactly three digits groups thousands; one followed by one or two
    digits starts the cents. Returns None when the text is no amount.
    """
    compact = text.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if not MONEY.match(compact):
        return None
    whole, cents = compact, ""
    last = max(compact.rfind("."), compact.rfind(","))
    if last != -1 and len(compact) - last - 1 in (1, 2):
        whole, cents = compact[:last], compact[last + 1 :]
    digits = whole.replace(".", "").replace(",", "")
    try:
        return Decimal(f"{digits}.{cents or '0'}").quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


class EuroField(forms.CharField):
    """An optional amount in euros, read as people write it (see ``parse_euros``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=20, **kwargs)

    def clean(self, value: Any) -> Decimal | None:
        """Return the amount, None when empty, or a clear error."""
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        amount = parse_euros(text)
        if amount is None or amount > Decimal("9999999.99"):
            raise ValidationError(_("Schrijf een bedrag zoals 25, 12,50 of 1.000."))
        return amount


class RegisterFilterForm(forms.Form):
    """Search, filter and sort the register; every field optional, the names are the address's."""

    zoek = forms.CharField(
        label=_("Kenmerk"),
        required=False,
        max_length=MAX_REFERENCE_LENGTH,
        help_text=_("Het hele kenmerk of een deel ervan."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "type": "search"}),
    )
    norm = forms.ChoiceField(label=_("Norm"), required=False)
    kanaal = forms.ChoiceField(label=_("Kanaal of product"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *EntryStatus.choices],
    )
    van = forms.DateField(
        label=_("Ontvangen vanaf"),
        required=False,
        widget=DateInput(),
        help_text=date_help("1-1-2025"),
    )
    tot = forms.DateField(
        label=_("Ontvangen tot en met"),
        required=False,
        widget=DateInput(),
        help_text=date_help("31-3-2025"),
    )
    min = EuroField(label=_("Bedrag vanaf (euro)"), help_text=_("Bijvoorbeeld 25 of 12,50."))
    max = EuroField(
        label=_("Bedrag tot en met (euro)"),
        help_text=_("Alleen compensaties in geld hebben een bedrag, bijvoorbeeld 1.000."),
    )
    sorteer = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: object, choices: RegisterChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        norm_field = cast(forms.ChoiceField, self.fields["norm"])
        group_field = cast(forms.ChoiceField, self.fields["kanaal"])
        norm_field.choices = [("", _("Alle normen"))] + [
            (choice.value, choice.label) for choice in choices.norms
        ]
        group_field.choices = [("", _("Alle kanalen en producten"))] + [
            (choice.value, choice.label) for choice in choices.groups
        ]

    def clean(self) -> dict[str, object]:
        """A range must not end before it starts."""
        cleaned: dict[str, object] = super().clean() or {}
        first, last = cleaned.get("van"), cleaned.get("tot")
        if first and last and last < first:  # type: ignore[operator]
            self.add_error("tot", _("Deze datum ligt vóór de datum 'vanaf'."))
            cleaned.pop("tot", None)
        low, high = cleaned.get("min"), cleaned.get("max")
        if low is not None and high is not None and high < low:  # type: ignore[operator]
            self.add_error("max", _("Dit bedrag is lager dan het bedrag 'vanaf'."))
            cleaned.pop("max", None)
        return cleaned

    def register_filter(self) -> RegisterFilter:
        """The filter the valid fields describe (a field with an error is left out)."""
        if not self.is_bound:
            return RegisterFilter()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        column, descending = sort_key(str(data.get("sorteer") or DEFAULT_SORT))
        return RegisterFilter(
            reference=str(data.get("zoek") or ""),
            norm=str(data.get("norm") or ""),
            group=str(data.get("kanaal") or ""),
            status=str(data.get("status") or ""),
            received_from=data.get("van"),
            received_to=data.get("tot"),
            amount_min=data.get("min"),
            amount_max=data.get("max"),
            sort=f"-{column}" if descending else column,
        )


class EntryIdsField(forms.TypedMultipleChoiceField):
    """Ids of register entries; any number is a valid choice, the view keeps only its own."""

    def valid_value(self, value: object) -> bool:
        """Accept every whole number (a page lists 50 of thousands of entries)."""
        return str(value).isdigit() and len(str(value)) <= 18


class BulkForm(forms.Form):
    """A bulk action on the register: what to do, with which entries, and why (declining)."""

    SELECTION, FILTER = "selectie", "filter"

    actie = forms.ChoiceField(
        label=_("Actie"),
        choices=[(status.value, status.label) for status in MARKABLE_STATUSES],
    )
    reden = forms.CharField(
        label=_("Reden van afwijzing"),
        required=False,
        max_length=2000,
        help_text=_("Alleen bij afwijzen, en dan verplicht: één reden voor alle gekozen."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bereik = forms.ChoiceField(choices=[(SELECTION, SELECTION), (FILTER, FILTER)])
    entry = EntryIdsField(coerce=int, required=False)
    filter = forms.CharField(required=False, max_length=2000)
    # Present on the confirmation step only.
    sleutel = forms.UUIDField(required=False)
    controle = forms.CharField(required=False, max_length=64)

    def clean(self) -> dict[str, object]:
        """A decline needs its reason; a selection needs at least one entry."""
        cleaned: dict[str, object] = super().clean() or {}
        if (
            cleaned.get("actie") == EntryStatus.DECLINED
            and not str(cleaned.get("reden") or "").strip()
        ):
            self.add_error("reden", _("Schrijf op waarom de compensaties worden afgewezen."))
        if cleaned.get("bereik") == self.SELECTION and not cleaned.get("entry"):
            self.add_error(
                None, _("Kies eerst een of meer compensaties, of kies 'alles in dit filter'.")
            )
        return cleaned


class IssueCodesForm(forms.Form):
    """Issue claim codes: for the organisation's own references, or new references."""

    kenmerken = forms.CharField(
        label=_("Kenmerken"),
        required=False,
        help_text=_(
            "Eén kenmerk per regel, zoals het op de brief of e-mail staat. Een kenmerk dat al "
            "een claimcode had, krijgt een nieuwe; de oude werkt dan niet meer."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    nieuw = forms.IntegerField(
        label=_("Of: aantal nieuwe kenmerken met claimcode"),
        required=False,
        min_value=1,
        max_value=MAX_CODES_PER_CALL,
        help_text=_(
            "Voor contacten zonder eigen kenmerk: het platform maakt willekeurige kenmerken "
            "met een claimcode."
        ),
    )

    def clean(self) -> dict[str, object]:
        """Exactly one of the two."""
        cleaned: dict[str, object] = super().clean() or {}
        references = [
            line.strip()
            for line in str(cleaned.get("kenmerken") or "").splitlines()
            if line.strip()
        ]
        cleaned["references"] = references
        if bool(references) == bool(cleaned.get("nieuw")):
            raise ValidationError(
                _("Vul kenmerken in, of een aantal nieuwe kenmerken (niet allebei).")
            )
        if len(references) > MAX_CODES_PER_CALL:
            self.add_error(
                "kenmerken",
                _("Ten hoogste %(n)d kenmerken tegelijk.") % {"n": MAX_CODES_PER_CALL},
            )
        return cleaned


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


class RegisterExportForm(forms.Form):
    """Export what the register shows: the file format, and the filter as the address holds it."""

    formaat = forms.ChoiceField(
        label=_("Bestandsformaat"),
        choices=[("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (UTF-8)"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    filter = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput())
