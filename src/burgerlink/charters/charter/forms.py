"""Forms of the charter pages: start, choose from the library, edit a norm, publish."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.charter import selectors
from burgerlink.charters.models import CharterNorm, ModelNorm
from burgerlink.core import selectors as core_selectors
from burgerlink.core.forms import DATE_HELP, DateInput, PercentField

# The order in which a norm's fields appear on the form.
NORM_FIELD_ORDER = [
    "code",
    "title_nl",
    "title_en",
    "channel",
    "case_type",
    "metric",
    "threshold",
    "term_unit",
    "target_share",
    "calendar",
    "promise_nl",
    "promise_en",
    "starts_nl",
    "starts_en",
    "stops_nl",
    "stops_en",
    "conditions_nl",
    "conditions_en",
    "compensation_kind",
    "compensation_amount",
    "compensation_cap",
    "compensation_nl",
    "compensation_en",
    "bsc_norms",
]
DECIMAL_FIELDS = ["threshold", "compensation_amount", "compensation_cap"]
TEXTAREA_ROWS = 3


class StartCharterForm(forms.Form):
    """The title of a new charter."""

    title = forms.CharField(
        label=_("Titel van het handvest"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: Onze servicebeloften. Leeg: Kwaliteitshandvest."),
    )


class LibraryForm(forms.Form):
    """Model norms to add to a draft, chosen with checkboxes grouped by channel or product."""

    model_norms = forms.ModelMultipleChoiceField(
        label=_("Modelnormen"),
        queryset=ModelNorm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één modelnorm.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["model_norms"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - narrows the type
        field.queryset = selectors.active_model_norms()

    def chosen_ids(self) -> set[int]:
        """The ids ticked in the submitted data (also when the form is not valid)."""
        if not self.is_bound:
            return set()
        values = self.data.getlist("model_norms") if hasattr(self.data, "getlist") else []
        return {int(value) for value in values if str(value).isdigit()}


def _plain(value: Any) -> Any:
    """Show stored decimals without trailing zeros (25 rather than 25,0000)."""
    return value.normalize() if isinstance(value, Decimal) else value


class NormForm(forms.Form):
    """A norm in a draft; a norm from the library shows only the organisation's own choices."""

    def __init__(self, *args: Any, fields: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(fields)
        names = [name for name in NORM_FIELD_ORDER if name in allowed and name != "bsc_norms"]
        generated = fields_for_model(CharterNorm, fields=names, localized_fields=DECIMAL_FIELDS)
        for name in names:
            field = generated[name]
            if field is None:
                continue
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = TEXTAREA_ROWS
            self.fields[name] = field
        if "target_share" in self.fields:
            # Stored as a share (0.8000); people type and read a percentage (80).
            self.fields["target_share"] = PercentField(
                label=self.fields["target_share"].label,
                min_percent=1,
                help_text=_("Deel dat binnen de norm moet vallen, als percentage: 80 is 80%."),
            )
        if "channel" in self.fields:
            channel = self.fields["channel"]
            assert isinstance(channel, forms.ModelChoiceField)  # noqa: S101 - narrows the type
            channel.queryset = core_selectors.active_channels()
            channel.empty_label = str(_("— geen kanaal (norm voor een product) —"))
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _(
                "Blijft gelijk over versies, zodat resultaten vergelijkbaar blijven. Leeg: "
                "afgeleid van de titel."
            )
        if "promise_nl" in self.fields:
            self.fields["promise_nl"].help_text = _(
                "Zo staat het op de poster en de website. Pas de belofte aan als u de norm "
                "verandert."
            )
        if "bsc_norms" in allowed:
            self.fields["bsc_norms"] = forms.TypedMultipleChoiceField(
                label=_("BurgerServiceCode-normen die deze belofte dient"),
                choices=[
                    (n.number, f"{n.number}. {n.name}") for n in core_selectors.current_norms()
                ],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple(
                    attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
                ),
            )

    @classmethod
    def initial_for(cls, norm: CharterNorm, fields: Iterable[str]) -> dict[str, Any]:
        """The form's starting values for an existing norm."""
        initial = {}
        for name in fields:
            value = getattr(norm, "channel_id" if name == "channel" else name)
            initial[name] = _plain(value)
        return initial

    def attach(self, error: ValidationError) -> None:
        """Show a service's validation error on the fields it names (elsewhere on top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = field if field in self.fields and field != NON_FIELD_ERRORS else None
            for item in errors:
                self.add_error(target, item)

    def bsc_field(self) -> forms.BoundField | None:
        """The BurgerServiceCode checkboxes, rendered in their own fieldset."""
        return self["bsc_norms"] if "bsc_norms" in self.fields else None

    def other_fields(self) -> list[forms.BoundField]:
        """Every field except the BurgerServiceCode checkboxes, in form order."""
        return [self[name] for name in self.fields if name != "bsc_norms"]


class IntroForm(forms.Form):
    """The introduction above the promises on the public page."""

    intro_nl = forms.CharField(
        label=_("Inleiding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom dit handvest er is en wat u mag verwachten, in gewone taal."),
    )
    intro_en = forms.CharField(
        label=_("Inleiding (Engels)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PublishForm(forms.Form):
    """The date from which a draft governs measurement."""

    valid_from = forms.DateField(
        label=_("Geldig vanaf"),
        widget=DateInput(),
        help_text=format_lazy(
            "{} {}",
            _(
                "Vanaf deze dag meet het systeem elk contact en elke zaak tegen deze versie; de "
                "vorige versie geldt tot deze dag."
            ),
            DATE_HELP,
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def attach(self, error: ValidationError) -> None:
        """Show a service's validation error on the date field or on top."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for item in errors:
                    self.add_error(field if field in self.fields else None, item)
        else:
            self.add_error(None, error)
