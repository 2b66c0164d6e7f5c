"""Forms of the respondent's questionnaire (one page) and of paper entry (all questions).

A form has one field per stored variable (a matrix has one per row); the templates render each
question as a group: radio buttons or checkboxes in a ``<fieldset>`` whose ``<legend>`` is the
question, a matrix as one fieldset with a nested fieldset per row. Every error message names the
question, in the respondent's language (the view activates it). Whatever the browser sends is
checked: a code that is not an option, a number outside its range, an answer to a question that
is not on this page: each is an error and nothing is stored. ``definition.check_answer`` runs as
the last check on every value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django import forms
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from burgerlink.core.forms import DateInput as IsoDateInput
from burgerlink.core.numbers import decimals_for, format_number
from burgerlink.surveys.definition import (
    CODED_TYPES,
    DONT_KNOW,
    NOT_APPLICABLE,
    Definition,
    Question,
    check_answer,
)
from burgerlink.surveys.respond import logic
from burgerlink.surveys.respond.logic import Answers

SELECT_ABOVE = 12  # a single choice with more options becomes a drop-down list
TEXT_LIMIT = 5000
CODE_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,39}\Z")
DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\Z"),
    re.compile(r"^(?P<d>\d{1,2})[-/. ](?P<m>\d{1,2})[-/. ](?P<y>\d{4})\Z"),
)
DATE_PATTERN = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[\-/. ]\d{1,2}[\-/. ]\d{4}"

Kind = Literal["radios", "checkboxes", "select", "number", "date", "text", "matrix"]


def short(text: str, limit: int = 90) -> str:
    """A question text short enough to quote in an error message."""
    return Truncator(" ".join(text.split())).chars(limit)


def literal(message: str) -> str:
    """Protect a message that Django fills in with ``%`` parameters (a question may hold a %)."""
    return message.replace("%", "%%")


def scale5_labels() -> dict[int, str]:
    """Default labels of a five-point scale without its own option labels."""
    return {
        1: _("Helemaal mee oneens"),
        2: _("Mee oneens"),
        3: _("Niet mee eens, niet mee oneens"),
        4: _("Mee eens"),
        5: _("Helemaal mee eens"),
    }


def answer_choices(question: Question, language: str) -> list[tuple[int, str]]:
    """The answer options of a coded question as (code, label), with don't know / n.a. last."""
    own = {option.code: option.label.get(language) for option in question.options}
    if question.type == "grade":
        codes: list[int] = list(range(1, 11))
        defaults = {code: str(code) for code in codes}
    elif question.type == "scale5":
        codes = list(range(1, 6))
        defaults = scale5_labels()
    elif question.type == "yesno":
        codes = [1, 0]
        defaults = {1: _("Ja"), 0: _("Nee")}
    else:
        codes = [option.code for option in question.options]
        defaults = {}
    choices = [(code, own.get(code) or defaults.get(code, str(code))) for code in codes]
    if question.dont_know:
        choices.append((DONT_KNOW, _("Weet ik niet")))
    if question.not_applicable:
        choices.append((NOT_APPLICABLE, _("Niet van toepassing")))
    return choices


def question_hint(question: Question, language: str) -> str:
    """The help text under a question: its own help, plus how to answer a grade or number."""
    parts = [question.help.get(language)] if question.help else []
    if question.type == "grade":
        parts.append(_("Een rapportcijfer: 1 is heel slecht, 10 is uitstekend."))
    elif question.type == "number":
        low, high = question.minimum, question.maximum
        if low is not None and high is not None:
            parts.append(
                _("Een getal van %(min)s tot en met %(max)s.")
                % {"min": _number(low), "max": _number(high)}
            )
        elif low is not None:
            parts.append(_("Een getal van minimaal %(min)s.") % {"min": _number(low)})
        elif high is not None:
            parts.append(_("Een getal van hoogstens %(max)s.") % {"max": _number(high)})
    elif question.type == "date":
        parts.append(_("Bijvoorbeeld 31-12-2025 (dag-maand-jaar)."))
    elif question.type == "multiple":
        parts.append(_("U kunt meer dan één antwoord kiezen."))
    return " ".join(part for part in parts if part)


def _number(value: float) -> str:
    tidy = logic.tidy_number(value)
    return format_number(tidy, decimals_for([tidy]))


class NumberInput(forms.TextInput):
    """A text box for numbers with the numeric keyboard on phones (accepts 3,5 and 3.5)."""

    input_type = "text"

    def __init__(self) -> None:
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off"})


class DateInput(IsoDateInput):
    """A native date picker; browsers without one show a text box that accepts 31-12-2025."""

    def __init__(self) -> None:
        super().__init__(attrs={"pattern": DATE_PATTERN})

    def format_value(self, value: Any) -> str | None:
        """Dates are stored as ISO text already."""
        return str(value) if value else None


def parse_number(raw: str) -> float | None:
    """Read a number typed the Dutch or the English way (``3,5``, ``3.5``, ``1.000``)."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not number.is_finite():
        raise ValueError(raw)
    return float(number)


def parse_date(raw: str) -> str | None:
    """Read ``2025-12-31`` or ``31-12-2025`` into an ISO date string."""
    text = raw.strip()
    if not text:
        return None
    for pattern in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                break
    raise ValueError(raw)


@dataclass
class Row:
    """A row of a matrix question: its label and its field."""

    label: str
    field: forms.BoundField


@dataclass
class Block:
    """One question as the template renders it."""

    question: Question
    kind: Kind
    text: str
    hint: str
    required: bool
    fields: list[forms.BoundField]
    rows: list[Row] = field(default_factory=list)

    @property
    def code(self) -> str:
        """The question's variable code (the id of its group)."""
        return self.question.code

    @property
    def errors(self) -> list[str]:
        """Every error on the question's fields."""
        return [str(error) for bound in self.fields for error in bound.errors]

    def control(self) -> SafeString:
        """The input of a select, number, date or text question, linked to its hint and errors."""
        bound = self.fields[0]
        described = [f"{self.code}-hint"] * bool(self.hint) + [f"{self.code}-error"] * bool(
            self.errors
        )
        css = {
            "select": "utrecht-select utrecht-select--html-select",
            "text": "utrecht-textarea utrecht-textarea--html-textarea",
        }.get(self.kind, "utrecht-textbox utrecht-textbox--html-input")
        attrs: dict[str, str | bool] = {"class": css}
        if described:
            attrs["aria-describedby"] = " ".join(described)
        if self.errors:
            attrs["aria-invalid"] = "true"
        if self.required:
            attrs["aria-required"] = "true"
        return bound.as_widget(attrs=attrs)

    @property
    def anchor(self) -> str:
        """The id to jump to from the error summary: the first control of the question."""
        first = self.fields[0]
        if self.kind in {"radios", "checkboxes"}:
            return f"{first.auto_id}_0"
        if self.kind == "matrix":
            invalid = next((bound for bound in self.fields if bound.errors), first)
            return f"{invalid.auto_id}_0"
        return str(first.auto_id)


class AnswerForm(forms.Form):
    """Answers to a list of questions: one page for a respondent, or a whole paper form.

    ``questions`` are the candidates (all questions of a page); routing decides which of them
    are shown, reading ``base`` (answers on other pages) plus what was typed on this page, unless
    ``routing`` is off (paper entry). Required questions are enforced only when ``enforce`` is
    on and the respondent saw them (``seen``: the codes the page showed when it was sent; None
    means all).
    """

    def __init__(
        self,
        data: Any = None,
        *,
        definition: Definition,
        questions: list[Question],
        language: str,
        initial: Answers | None = None,
        base: Answers | None = None,
        enforce: bool = True,
        seen: set[str] | None = None,
        routing: bool = True,
        mark_required: bool = True,
    ) -> None:
        super().__init__(data)
        self.mark_required = mark_required
        self.definition = definition
        self.questions = questions
        self.language = language
        self.stored = dict(initial or {})
        self.base = dict(base or {})
        self.routing = routing
        self.enforce = enforce
        self.seen = seen
        for question in questions:
            required = enforce and question.required and (seen is None or question.code in seen)
            self._add_fields(question, required=required)
        self.initial = {code: self._initial_value(code) for code in self.fields}

    # --- building --------------------------------------------------------------------------

    def _initial_value(self, code: str) -> Any:
        value = self.stored.get(code)
        if isinstance(value, list):
            return [str(v) for v in value]
        return None if value is None else str(value)

    def _add_fields(self, question: Question, *, required: bool) -> None:
        text = short(question.text.get(self.language))
        if question.type == "matrix":
            choices = answer_choices(question, self.language)
            for row in question.rows:
                row_label = short(row.label.get(self.language), 60)
                self.fields[row.code] = self._coded_field(
                    choices,
                    required=required,
                    label=row_label,
                    missing=_("Kies bij ‘%(question)s’ een antwoord voor ‘%(row)s’.")
                    % {"question": text, "row": row_label},
                    invalid=_("Kies bij ‘%(question)s’, ‘%(row)s’ een van de antwoorden.")
                    % {"question": text, "row": row_label},
                )
            return
        missing = _("Beantwoord de vraag ‘%(question)s’.") % {"question": text}
        if question.type in CODED_TYPES:
            self.fields[question.code] = self._coded_field(
                answer_choices(question, self.language),
                required=required,
                label=text,
                missing=_("Kies een antwoord bij ‘%(question)s’.") % {"question": text},
                invalid=_("Kies bij ‘%(question)s’ een van de antwoorden uit de lijst.")
                % {"question": text},
                select=question.type == "single" and len(question.options) > SELECT_ABOVE,
            )
        elif question.type == "multiple":
            self.fields[question.code] = forms.TypedMultipleChoiceField(
                choices=[(str(c), label) for c, label in answer_choices(question, self.language)],
                coerce=int,
                required=required,
                label=text,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": _("Kies minstens één antwoord bij ‘%(question)s’.")
                    % {"question": text},
                    "invalid_choice": literal(
                        _("Kies bij ‘%(question)s’ alleen antwoorden uit de lijst.")
                        % {"question": text}
                    ),
                    "invalid_list": literal(
                        _("Kies bij ‘%(question)s’ alleen antwoorden uit de lijst.")
                        % {"question": text}
                    ),
                },
            )
        elif question.type == "number":
            self.fields[question.code] = forms.CharField(
                required=required,
                label=text,
                max_length=40,
                widget=NumberInput(),
                error_messages={"required": missing, "max_length": literal(missing)},
            )
        elif question.type == "date":
            self.fields[question.code] = forms.CharField(
                required=required,
                label=text,
                max_length=20,
                widget=DateInput(),
                error_messages={"required": missing, "max_length": literal(missing)},
            )
        else:
            self.fields[question.code] = forms.CharField(
                required=required,
                label=text,
                max_length=TEXT_LIMIT,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_LIMIT}),
                error_messages={
                    "required": missing,
                    "max_length": literal(
                        _("Het antwoord bij ‘%(question)s’ is te lang: hoogstens %(limit)s tekens.")
                        % {"question": text, "limit": TEXT_LIMIT}
                    ),
                },
            )

    @staticmethod
    def _coded_field(
        choices: list[tuple[int, str]],
        *,
        required: bool,
        label: str,
        missing: str,
        invalid: str,
        select: bool = False,
    ) -> forms.Field:
        widget: type[forms.Widget] = forms.Select if select else forms.RadioSelect
        options = [(str(code), text) for code, text in choices]
        if select:
            options = [("", _("Kies een antwoord")), *options]
        return forms.TypedChoiceField(
            choices=options,
            coerce=int,
            empty_value=None,
            required=required,
            label=label,
            widget=widget,
            error_messages={"required": missing, "invalid_choice": literal(invalid)},
        )

    # --- checking --------------------------------------------------------------------------

    def _question_of(self, code: str) -> Question:
        question = self.definition.question(code)
        assert question is not None  # noqa: S101 - fields are built from the definition
        return question

    def clean(self) -> dict[str, Any]:
        """Turn numbers and dates into values, refuse foreign codes, then ``check_answer``."""
        cleaned = super().clean() or {}
        if self.data:
            foreign = sorted(
                key
                for key in self.data
                if CODE_KEY.match(key)
                and key not in self.fields
                and self.definition.question(key) is not None
            )
            if foreign:
                raise forms.ValidationError(
                    _(
                        "Het formulier bevat een antwoord op een vraag die niet op deze pagina "
                        "staat. Er is niets opgeslagen; probeer het opnieuw."
                    ),
                    code="foreign",
                )
        for code in list(cleaned):
            question = self._question_of(code)
            text = short(question.text.get(self.language))
            value = cleaned[code]
            try:
                value = self._convert(question, value, text)
            except forms.ValidationError as error:
                self.add_error(code, error)
                continue
            if value is not None and check_answer(question, value) is not None:
                self.add_error(
                    code,
                    _("Het antwoord bij ‘%(question)s’ is niet toegestaan.") % {"question": text},
                )
                continue
            cleaned[code] = value
        return cleaned

    def _convert(self, question: Question, value: Any, text: str) -> Any:
        if value in (None, "", []):
            return None
        if question.type == "number":
            try:
                number = parse_number(str(value))
            except ValueError:
                raise forms.ValidationError(
                    _("Vul bij ‘%(question)s’ een getal in, bijvoorbeeld 12 of 3,5.")
                    % {"question": text}
                ) from None
            low, high = question.minimum, question.maximum
            if number is not None and (
                (low is not None and number < low) or (high is not None and number > high)
            ):
                raise forms.ValidationError(
                    _("Vul bij ‘%(question)s’ een getal in. %(range)s")
                    % {"question": text, "range": question_hint(question, self.language)}
                )
            return None if number is None else logic.tidy_number(number)
        if question.type == "date":
            try:
                return parse_date(str(value))
            except ValueError:
                raise forms.ValidationError(
                    _(
                        "Vul bij ‘%(question)s’ een datum in als dag-maand-jaar, bijvoorbeeld 31-12-2025."
                    )
                    % {"question": text}
                ) from None
        if question.type == "multiple":
            codes = sorted(set(value))
            if len(codes) > 1 and {DONT_KNOW, NOT_APPLICABLE} & set(codes):
                raise forms.ValidationError(
                    _(
                        "Kies bij ‘%(question)s’ ‘weet ik niet’ of ‘niet van toepassing’ niet "
                        "samen met een ander antwoord."
                    )
                    % {"question": text}
                )
            return codes
        return value

    def full_clean(self) -> None:
        """Validate, then forget errors of questions that routing hides after all."""
        super().full_clean()
        if not self.is_bound or not self.routing:
            return
        visible = {code for question in self.visible_questions() for code in question.variables()}
        errors = self.errors
        for code in list(errors):
            if code in self.fields and code not in visible:
                del errors[code]
                self.cleaned_data.pop(code, None)

    # --- results ---------------------------------------------------------------------------

    def current_answers(self) -> Answers:
        """Answers known now: ``base`` plus this form's values (typed, or stored when unbound)."""
        known = dict(self.base)
        if self.is_bound and hasattr(self, "cleaned_data"):
            values = {code: self.cleaned_data.get(code) for code in self.fields}
        else:
            values = {code: self.stored.get(code) for code in self.fields}
        known.update({code: v for code, v in values.items() if logic.is_answered(v)})
        return known

    def visible_questions(self) -> list[Question]:
        """The candidate questions routing shows now (all of them without routing)."""
        if not self.routing:
            return list(self.questions)
        return logic.shown_among(self.questions, self.current_answers())

    def answers(self) -> Answers:
        """The values to store: every variable of the visible questions (None when blank)."""
        return {
            code: self.cleaned_data.get(code)
            for question in self.visible_questions()
            for code in question.variables()
        }

    def revealed(self) -> list[Question]:
        """Visible questions the respondent has not seen yet (routing on this same page)."""
        if self.seen is None:
            return []
        return [q for q in self.visible_questions() if q.code not in self.seen]

    def blocks(self) -> list[Block]:
        """The visible questions, ready for the template."""
        return [self._block(question) for question in self.visible_questions()]

    def _block(self, question: Question) -> Block:
        language = self.language
        text = question.text.get(language)
        hint = question_hint(question, language)
        if question.type == "matrix":
            bound = [self[row.code] for row in question.rows]
            rows = [
                Row(label=row.label.get(language), field=self[row.code]) for row in question.rows
            ]
            return Block(question, "matrix", text, hint, self._marked(question), bound, rows)
        bound_field = self[question.code]
        kind: Kind
        if question.type == "multiple":
            kind = "checkboxes"
        elif question.type in CODED_TYPES:
            kind = "select" if isinstance(bound_field.field.widget, forms.Select) else "radios"
        else:
            kind = question.type  # type: ignore[assignment]  # number, date or text
        return Block(question, kind, text, hint, self._marked(question), [bound_field])

    def _marked(self, question: Question) -> bool:
        return self.mark_required and question.required


def page_form(
    data: Any,
    *,
    definition: Definition,
    page_key: str,
    language: str,
    stored: Answers,
    enforce: bool = True,
    seen: set[str] | None = None,
) -> AnswerForm:
    """The form of one page for a respondent with ``stored`` answers so far."""
    page = logic.find_page(definition, page_key)
    if page is None:
        raise KeyError(page_key)
    codes = set(logic.page_variables(page))
    return AnswerForm(
        data,
        definition=definition,
        questions=list(page.questions),
        language=language,
        initial={code: value for code, value in stored.items() if code in codes},
        base={code: value for code, value in stored.items() if code not in codes},
        enforce=enforce,
        seen=seen,
    )


class PaperEntryForm(AnswerForm):
    """Every question of a version on one long form, for staff typing in a paper questionnaire.

    Routing is not enforced and no question is required (people skip questions on paper), but
    every value is checked like a respondent's.
    """

    def __init__(self, data: Any = None, *, definition: Definition, entry_key: str) -> None:
        super().__init__(
            data,
            definition=definition,
            questions=definition.questions(),
            language="nl",
            enforce=False,
            routing=False,
            mark_required=False,
        )
        self.fields["form_number"] = forms.RegexField(
            regex=r"^[A-Za-z0-9._/-]{1,40}\Z",
            required=False,
            label=_("Formuliernummer"),
            help_text=_(
                "Het nummer op het papieren formulier, als het er een heeft. Hetzelfde nummer "
                "kan maar één keer worden ingevoerd."
            ),
            error_messages={"invalid": _("Gebruik letters, cijfers en - . / _ (hoogstens 40).")},
        )
        self.fields["token"] = forms.CharField(
            required=False,
            max_length=64,
            label=_("Toegangscode van de brief"),
            help_text=_(
                "Staat de toegangscode van de uitnodiging op het formulier? Vul hem in: dan "
                "krijgt deze genodigde geen herinnering meer."
            ),
        )
        self.fields["entry_key"] = forms.CharField(
            required=False, max_length=40, widget=forms.HiddenInput, initial=entry_key
        )
        self.initial["entry_key"] = entry_key

    def clean(self) -> dict[str, Any]:
        """Check the answers; the extra fields are no variables."""
        extra = {
            name: self.cleaned_data.pop(name, "") for name in ("form_number", "token", "entry_key")
        }
        cleaned = super().clean()
        cleaned.update(extra)
        return cleaned

    def answers(self) -> Answers:
        """Every answered variable of the questionnaire."""
        return {
            code: self.cleaned_data.get(code)
            for question in self.questions
            for code in question.variables()
            if logic.is_answered(self.cleaned_data.get(code))
        }
