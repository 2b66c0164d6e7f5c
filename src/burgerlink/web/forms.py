"""Forms of the public site and the staff area; messages in plain Dutch with English translations."""

from __future__ import annotations

import datetime as dt
from datetime import time
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from burgerlink.core import notify
from burgerlink.core.calendar import YEAR_MAX, YEAR_MIN
from burgerlink.core.forms import DateInput, date_help
from burgerlink.core.models import Answer, AssessmentAnswer, ChecklistItem, Role
from burgerlink.core.moderation import ModerationAction
from burgerlink.core.moderation.services import NEEDS_REASON

WEEKDAY_NAMES = [
    _("maandag"),
    _("dinsdag"),
    _("woensdag"),
    _("donderdag"),
    _("vrijdag"),
    _("zaterdag"),
    _("zondag"),
]


class TimeInput(forms.TimeInput):
    """A native time picker."""

    input_type = "time"


class LoginForm(AuthenticationForm):
    """Username and password; throttling happens in the view before this form is checked."""

    error_messages = {
        "invalid_login": _(
            "De combinatie van gebruikersnaam en wachtwoord klopt niet. Let op hoofdletters."
        ),
        "inactive": _("Dit account is niet actief."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ResetPasswordForm(PasswordResetForm):
    """Django's password reset, its e-mail sent through ``core.notify`` in the asker's language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Compose the reset link e-mail from ``web/account/email/password_reset`` and send it."""
        message = notify.compose(
            "web/account/email/password_reset",
            to=to_email,
            language=get_language(),
            context=context,
        )
        notify.send_after_commit(message)


class TotpForm(forms.Form):
    """The six-digit code from an authenticator app."""

    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        min_length=6,
        max_length=6,
        help_text=_("Zes cijfers; de code verandert elke 30 seconden."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
    )

    def clean_token(self) -> str:
        """Accept only digits."""
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise ValidationError(_("De code bestaat uit zes cijfers."))
        return token


def _code_field(label: str | Any, help_text: str | Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        min_length=6,
        max_length=6,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
    )


class TotpChangeForm(forms.Form):
    """A new app's first code and, when an app is in use, that app's current code."""

    def __init__(self, *args: Any, needs_current: bool, new_code: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if needs_current:
            self.fields["current_token"] = _code_field(
                _("Code uit de app die u nu gebruikt"),
                _("Zo weten we dat u het bent, en niet iemand anders aan uw computer."),
            )
        if new_code:
            self.fields["token"] = _code_field(
                _("Code uit de nieuwe app"), _("Zes cijfers; de code verandert elke 30 seconden.")
            )

    def clean(self) -> dict[str, Any]:
        """Accept only digits in either code."""
        cleaned = super().clean() or {}
        for name in ("token", "current_token"):
            value = str(cleaned.get(name, "")).strip()
            if name in self.fields and name in cleaned:
                if not value.isdigit():
                    self.add_error(name, _("De code bestaat uit zes cijfers."))
                else:
                    cleaned[name] = value
        return cleaned


class ClosingDayForm(forms.Form):
    """A day the organisation is closed."""

    date = forms.DateField(label=_("Datum"), widget=DateInput, help_text=date_help("27-12-2026"))
    reason = forms.CharField(label=_("Reden"), max_length=200, required=False)

    def clean_date(self) -> dt.date:
        """Keep dates inside the years the calendar covers."""
        value: dt.date = self.cleaned_data["date"]
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            raise ValidationError(
                _("Kies een datum tussen %(first)s en %(last)s.")
                % {"first": YEAR_MIN, "last": YEAR_MAX}
            )
        return value


class OpeningHoursForm(forms.Form):
    """Opening hours for the seven weekdays; an empty day is closed."""

    def __init__(self, *args: Any, initial_hours: dict[int, tuple[time, time]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for weekday, name in enumerate(WEEKDAY_NAMES):
            opens, closes = initial_hours.get(weekday, (None, None))
            self.fields[f"opens_{weekday}"] = forms.TimeField(
                label=_("%(day)s open vanaf") % {"day": name},
                required=False,
                initial=opens,
                widget=TimeInput(format="%H:%M"),
            )
            self.fields[f"closes_{weekday}"] = forms.TimeField(
                label=_("%(day)s gesloten vanaf") % {"day": name},
                required=False,
                initial=closes,
                widget=TimeInput(format="%H:%M"),
            )

    def day_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """Return (weekday name, opens field, closes field) per weekday, for the template."""
        return [
            (str(name), self[f"opens_{weekday}"], self[f"closes_{weekday}"])
            for weekday, name in enumerate(WEEKDAY_NAMES)
        ]

    def clean(self) -> dict[str, Any]:
        """Both times or neither; closing after opening."""
        cleaned = super().clean() or {}
        for weekday, name in enumerate(WEEKDAY_NAMES):
            opens, closes = cleaned.get(f"opens_{weekday}"), cleaned.get(f"closes_{weekday}")
            if (opens is None) != (closes is None):
                self.add_error(
                    f"closes_{weekday}" if closes is None else f"opens_{weekday}",
                    _("Vul voor %(day)s beide tijden in, of geen van beide.") % {"day": name},
                )
            elif opens is not None and closes is not None and closes <= opens:
                self.add_error(
                    f"closes_{weekday}",
                    _("Op %(day)s moet de sluitingstijd na de openingstijd liggen.")
                    % {"day": name},
                )
        return cleaned

    def hours(self) -> dict[int, tuple[time, time] | None]:
        """Return the cleaned hours per weekday (None for closed)."""
        result: dict[int, tuple[time, time] | None] = {}
        for weekday in range(7):
            opens = self.cleaned_data.get(f"opens_{weekday}")
            closes = self.cleaned_data.get(f"closes_{weekday}")
            result[weekday] = (opens, closes) if opens and closes else None
        return result


class ApiTokenForm(forms.Form):
    """Name of a new API token."""

    name = forms.CharField(
        label=_("Naam van de koppeling"),
        max_length=100,
        help_text=_(
            "Waar wordt de sleutel gebruikt? Bijvoorbeeld: zaaksysteem of telefooncentrale."
        ),
    )


class MemberForm(forms.Form):
    """Invite a colleague to a role; the role starts when they accept the e-mailed invitation."""

    email = forms.EmailField(label=_("E-mailadres"))
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)


class EvidenceLinksField(forms.CharField):
    """One web address per line, each checked."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        """Split the text into non-empty lines."""
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value: Any) -> None:
        """Every line must be an http(s) address."""
        check = URLValidator(schemes=["http", "https"])
        for line in value:
            try:
                check(line)
            except ValidationError as error:
                raise ValidationError(
                    _("'%(value)s' is geen geldig webadres (begin met https://).") % {"value": line}
                ) from error

    def prepare_value(self, value: Any) -> str:
        """Show a list as one address per line."""
        if isinstance(value, list):
            return "\n".join(value)
        return str(value or "")


class SelfAssessmentForm(forms.Form):
    """All checklist items of a self-assessment: answer, explanation and evidence per item."""

    def __init__(self, *args: Any, answers: list[AssessmentAnswer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = answers
        for row in answers:
            item: ChecklistItem = row.item
            prefix = f"item_{item.pk}"
            self.fields[f"{prefix}_answer"] = forms.ChoiceField(
                label=item.text,
                choices=Answer.choices,
                required=False,
                initial=row.answer,
                widget=forms.RadioSelect,
            )
            self.fields[f"{prefix}_explanation"] = forms.CharField(
                label=_("Toelichting"),
                required=False,
                initial=row.explanation,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{prefix}_links"] = EvidenceLinksField(
                label=_("Bewijslinks (één webadres per regel)"),
                required=False,
                initial=row.evidence_links,
            )

    def grouped(self) -> list[dict[str, Any]]:
        """Return the bound fields grouped per norm, for one fieldset per norm."""
        groups: dict[int, dict[str, Any]] = {}
        for row in self.answers:
            norm = row.item.norm
            group = groups.setdefault(norm.number, {"norm": norm, "items": []})
            prefix = f"item_{row.item.pk}"
            group["items"].append(
                {
                    "item": row.item,
                    "answer": self[f"{prefix}_answer"],
                    "explanation": self[f"{prefix}_explanation"],
                    "links": self[f"{prefix}_links"],
                }
            )
        return [groups[number] for number in sorted(groups)]

    def cleaned_answers(self) -> dict[int, tuple[str, str, list[str]]]:
        """Return per checklist item id (answer, explanation, links)."""
        result = {}
        for row in self.answers:
            prefix = f"item_{row.item.pk}"
            result[row.item.pk] = (
                self.cleaned_data.get(f"{prefix}_answer") or "",
                self.cleaned_data.get(f"{prefix}_explanation") or "",
                self.cleaned_data.get(f"{prefix}_links") or [],
            )
        return result


class SelectionField(forms.Field):
    """The ticked items of a list (``<input type="checkbox" name=... value=...>`` rows)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": _("Kies eerst een of meer berichten.")}

    def to_python(self, value: Any) -> list[str]:
        """Return the ticked values as a list of strings (none: an empty list)."""
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [str(item) for item in value]


class ModerationFilterForm(forms.Form):
    """Which part of the moderation queue to show: one kind or all, and a state."""

    soort = forms.ChoiceField(label=_("Soort"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(
        self, *args: Any, kinds: list[tuple[str, Any]], views: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["soort"]).choices = [("", _("Alle soorten")), *kinds]
        cast(forms.ChoiceField, self.fields["status"]).choices = views


class ModerationDecisionForm(forms.Form):
    """A moderator's decision on the ticked items: an action and, where needed, a reason."""

    item = SelectionField(label=_("Gekozen berichten"))
    action = forms.ChoiceField(
        label=_("Wat wilt u met de gekozen berichten doen?"), choices=ModerationAction.choices
    )
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij afwijzen en verbergen: de schrijver krijgt deze reden te zien."),
    )

    def clean(self) -> dict[str, Any]:
        """Ask for a reason when the action needs one."""
        data = super().clean() or {}
        if data.get("action") in NEEDS_REASON and not str(data.get("reason", "")).strip():
            self.add_error("reason", _("Geef een reden: de schrijver krijgt die te zien."))
        return data
