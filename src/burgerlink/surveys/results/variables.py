"""The variables of a questionnaire version as the results area sees them (pure: no ORM).

``catalogue(definition)`` reads a parsed ``Definition`` once and answers every question the
selectors, exports and pages ask about its variables:

* which variables are stored as numbers (the columns of the analysis matrix) and what the
  analysis engine should make of each (``VariableSpec`` kinds: grade, scale, binary, numeric, or
  ``background`` for columns that are kept but not analysed);
* which columns hold coded answers where 98 (don't know) and 99 (not applicable) mean "no
  answer" for the analysis (never for ``number`` questions, where 98 is a number);
* the roles: overall and chain grade, organisation grades (key = agency code), contact
  questions, BurgerServiceCode items (key = norm number), aspects, the screening question (option
  key = life-event code), background questions (key = weighting variable) and open questions;
* labels (question texts, matrix row labels, value labels with don't know / n.a.) in Dutch and
  English for pages and exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from django.utils.translation import gettext as _

from burgerlink.surveys.analysis import VariableSpec
from burgerlink.surveys.analysis.levels import VariableKind
from burgerlink.surveys.definition import (
    CODED_TYPES,
    DONT_KNOW,
    NOT_APPLICABLE,
    Definition,
    Question,
    Text,
)

Storage = Literal["number", "text", "choices"]
NOT_ANALYSED_ROLES = frozenset({"organisation", "contact", "screening", "background"})


def _text(nl: str, en: str = "") -> Text:
    return Text(nl=nl, en=en)


def _missing_labels() -> dict[int, Text]:
    return {
        DONT_KNOW: _text("Weet niet", "Don't know"),
        NOT_APPLICABLE: _text("Niet van toepassing", "Not applicable"),
    }


@dataclass(frozen=True)
class Variable:
    """One stored variable: a question, or one row of a matrix question."""

    code: str
    question: str
    type: str
    role: str
    key: str
    text: Text
    storage: Storage
    kind: VariableKind | None
    value_labels: tuple[tuple[int, Text], ...] = ()
    missing_codes: tuple[int, ...] = ()
    # the overall grade is "government as a whole" only in a life-event survey; in a contact
    # survey it is the grade of the contact, in a citizens' survey of the municipality
    government: bool = True

    def label(self, language: str = "nl") -> str:
        """The full label (question text, or question and row for a matrix row)."""
        return self.text.get(language)

    def short_label(self, language: str = "nl") -> str:
        """A label short enough for a table row or a chart axis."""
        if self.role == "overall" and self.government:
            return _("Overheid als geheel")
        if self.role == "chain":
            return _("Keten van de levensgebeurtenis")
        label = self.text.get(language)
        if self.role == "bsc" and ": " in label:
            label = label.split(": ", 1)[0]
        return label if len(label) <= 90 else label[:87].rstrip() + "…"

    @property
    def coded(self) -> bool:
        """Whether 98 and 99 are codes for don't know / not applicable here."""
        return self.type in CODED_TYPES

    @property
    def analysed(self) -> bool:
        """Whether the engine estimates this variable on the levels."""
        return self.kind is not None and self.kind != "background"

    def spec(self) -> VariableSpec:
        """The engine's description of this matrix column."""
        return VariableSpec(name=self.code, kind=self.kind or "background")


@dataclass(frozen=True)
class BackgroundQuestion:
    """A background question: its variable, the weighting variable it feeds, option keys."""

    code: str
    name: str
    options: dict[int, str]
    labels: dict[int, Text]
    text: Text | None = None


@dataclass(frozen=True)
class LifeEventOption:
    """An option of the screening question: its code, life-event code and label."""

    code: int
    key: str
    label: Text


@dataclass(frozen=True)
class ChoiceQuestion:
    """A multiple-choice question: exported as one 0/1 variable per option."""

    code: str
    text: Text
    options: tuple[tuple[int, Text], ...]
    keys: tuple[tuple[int, str], ...] = ()

    def key(self, option: int) -> str:
        """The option's key (e.g. a channel code), or empty."""
        return dict(self.keys).get(option, "")

    def dummy(self, option: int) -> str:
        """The export variable of one option, e.g. ``CHANNELS_3``."""
        return f"{self.code}_{option}"


@dataclass(frozen=True)
class Catalogue:
    """Every variable of a version, with the roles the results area needs."""

    variables: tuple[Variable, ...]
    numeric: tuple[Variable, ...]
    overall: str | None = None
    chain: str | None = None
    organisations: tuple[tuple[str, str], ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    bsc: tuple[tuple[str, int], ...] = ()
    aspects: tuple[str, ...] = ()
    screening: str | None = None
    events: tuple[LifeEventOption, ...] = ()
    backgrounds: tuple[BackgroundQuestion, ...] = ()
    open: tuple[str, ...] = ()
    multiple: tuple[ChoiceQuestion, ...] = ()
    by_code: dict[str, Variable] = field(default_factory=dict)
    question_order: dict[str, int] = field(default_factory=dict)

    @property
    def life_event(self) -> bool:
        """Whether this is a life-event survey (events, a chain or organisations to grade)."""
        return bool(self.events or self.chain or self.organisations)

    @property
    def index(self) -> dict[str, int]:
        """Column position of every numeric variable."""
        return {variable.code: i for i, variable in enumerate(self.numeric)}

    @property
    def coded_columns(self) -> list[int]:
        """Positions of the columns where 98/99 mean don't know / not applicable."""
        return [i for i, variable in enumerate(self.numeric) if variable.coded]

    def specs(self) -> list[VariableSpec]:
        """One engine ``VariableSpec`` per matrix column."""
        return [variable.spec() for variable in self.numeric]

    def variable(self, code: str) -> Variable | None:
        """The variable with this code, if any."""
        return self.by_code.get(code)

    def event_label(self, key: str, language: str = "nl") -> str:
        """The screening option's label of a life-event code (the code when unknown)."""
        for event in self.events:
            if event.key == key:
                return event.label.get(language)
        return key

    def driver_aspects(self) -> tuple[str, ...]:
        """Aspects the driver analysis can use (numeric aspects in the matrix)."""
        numeric = {variable.code for variable in self.numeric if variable.analysed}
        return tuple(code for code in self.aspects if code in numeric)


def _kind(question: Question, role: str, option_codes: list[int]) -> VariableKind | None:
    """The engine's kind of a stored number (None: not stored as a number)."""
    if question.type in {"text", "date", "multiple"}:
        return None
    if role in NOT_ANALYSED_ROLES:
        return "background"
    if role == "bsc":
        return "binary"
    if role in {"overall", "chain"} or question.type == "grade":
        return "grade"
    if question.type == "scale5":
        return "scale"
    if question.type == "yesno":
        return "binary"
    if question.type == "number":
        return "numeric"
    if question.type == "matrix":
        codes = set(option_codes)
        if codes <= {0, 1}:
            return "binary"
        if codes <= set(range(1, 6)):
            return "scale"
        if codes <= set(range(1, 11)):
            return "grade"
        return "numeric"
    return "background"  # single choice: a category, not a quantity


def _value_labels(question: Question) -> tuple[tuple[int, Text], ...]:
    labels: dict[int, Text] = {}
    if question.type == "yesno":
        labels = {0: _text("Nee", "No"), 1: _text("Ja", "Yes")}
    labels.update({option.code: option.label for option in question.options})
    missing = _missing_labels()
    if question.dont_know:
        labels[DONT_KNOW] = missing[DONT_KNOW]
    if question.not_applicable:
        labels[NOT_APPLICABLE] = missing[NOT_APPLICABLE]
    return tuple(sorted(labels.items()))


def _missing(question: Question) -> tuple[int, ...]:
    if question.type not in CODED_TYPES:
        return ()
    return (DONT_KNOW,) * question.dont_know + (NOT_APPLICABLE,) * question.not_applicable


def catalogue(definition: Definition) -> Catalogue:
    """Read a version's definition into a ``Catalogue`` (variables in questionnaire order)."""
    variables: list[Variable] = []
    multiple: list[ChoiceQuestion] = []
    roles: dict[str, list[tuple[str, str]]] = {}
    events: list[LifeEventOption] = []
    backgrounds: list[BackgroundQuestion] = []
    screening = None
    for question in definition.questions():
        option_codes = [option.code for option in question.options]
        value_labels = _value_labels(question)
        missing = _missing(question)
        if question.type == "multiple":
            multiple.append(
                ChoiceQuestion(
                    question.code,
                    question.text,
                    tuple((option.code, option.label) for option in question.options),
                    tuple((option.code, option.key) for option in question.options),
                )
            )
            continue
        storage: Storage = "text" if question.type in {"text", "date"} else "number"
        rows = (
            [(row.code, row.role, row.key, row.label) for row in question.rows]
            if question.type == "matrix"
            else [(question.code, question.role, question.key, None)]
        )
        for code, role, key, row_label in rows:
            text = question.text
            if row_label is not None:
                text = row_label
            variables.append(
                Variable(
                    code=code,
                    question=question.code,
                    type=question.type,
                    role=role,
                    key=key,
                    text=text,
                    storage=storage,
                    kind=_kind(question, role, option_codes),
                    value_labels=value_labels,
                    missing_codes=missing,
                )
            )
            if role:
                roles.setdefault(role, []).append((code, key))
        if question.role == "screening" and screening is None and question.type == "single":
            screening = question.code
            events = [
                LifeEventOption(option.code, option.key or str(option.code), option.label)
                for option in question.options
            ]
        if question.role == "background" and question.type in {"single", "yesno"}:
            options = {option.code: option.key or str(option.code) for option in question.options}
            labels = {option.code: option.label for option in question.options}
            if question.type == "yesno":
                options = {0: "0", 1: "1"}
                labels = {0: _text("Nee", "No"), 1: _text("Ja", "Yes")}
            backgrounds.append(
                BackgroundQuestion(
                    question.code,
                    question.key or question.code.lower(),
                    options,
                    labels,
                    question.text,
                )
            )
    if not (events or roles.get("chain") or roles.get("organisation")):
        variables = [
            replace(variable, government=False) if variable.role == "overall" else variable
            for variable in variables
        ]
    numeric = tuple(variable for variable in variables if variable.storage == "number")
    numeric_codes = {variable.code for variable in numeric}

    def first(role: str) -> str | None:
        return next((code for code, _key in roles.get(role, []) if code in numeric_codes), None)

    bsc: list[tuple[str, int]] = []
    for code, key in roles.get("bsc", []):
        if code in numeric_codes and key.isdigit():
            bsc.append((code, int(key)))
    return Catalogue(
        variables=tuple(variables),
        numeric=numeric,
        overall=first("overall"),
        chain=first("chain"),
        organisations=tuple(
            (code, key or code)
            for code, key in roles.get("organisation", [])
            if code in numeric_codes
        ),
        contacts=tuple(
            (code, key or code) for code, key in roles.get("contact", []) if code in numeric_codes
        ),
        bsc=tuple(bsc),
        aspects=tuple(code for code, _key in roles.get("aspect", []) if code in numeric_codes),
        screening=screening,
        events=tuple(events),
        backgrounds=tuple(backgrounds),
        open=tuple(
            code
            for code, _key in roles.get("open", [])
            if any(v.code == code and v.storage == "text" for v in variables)
        ),
        multiple=tuple(multiple),
        by_code={variable.code: variable for variable in variables},
        question_order={
            question.code: position for position, question in enumerate(definition.questions())
        },
    )
