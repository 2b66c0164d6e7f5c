"""The content of a questionnaire version: pages, questions, options and routing, as JSON.

``Definition`` validates the JSON stored on ``QuestionnaireVersion.definition``; every other part
of the app (the respondent's pages, paper entry, imports, exports, analysis) reads questionnaires
only through it. Variable codes are stable: a new version may reuse a code only for the same
question (same type and answer codes). Questions carry a ``role`` so the analysis knows what a
variable means without guessing from its code:

* ``screening``: the life event (single choice; option ``key`` = life-event code)
* ``overall``: grade for government as a whole; ``chain``: grade for the chain of the event
* ``organisation``: grade for one organisation in the chain (``key`` = agency code)
* ``contact``: whether the respondent dealt with an organisation (``key`` = agency code)
* ``bsc``: a BurgerServiceCode norm as good / not good (``key`` = norm number 1–10)
* ``aspect``: a driver candidate for the overall grade
* ``background``: a weighting variable (``key`` = its name, e.g. age_group)
* ``open``: an open question shown with the results
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

QuestionType = Literal[
    "grade", "scale5", "yesno", "single", "multiple", "number", "date", "text", "matrix"
]
Role = Literal[
    "",
    "screening",
    "overall",
    "chain",
    "organisation",
    "contact",
    "bsc",
    "aspect",
    "background",
    "open",
]
DONT_KNOW = 98
NOT_APPLICABLE = 99
# Question types whose answers are option codes (one number; 98/99 may mean don't know / n.a.).
CODED_TYPES: frozenset[str] = frozenset({"grade", "scale5", "yesno", "single", "matrix"})
CODE_PATTERN = r"^[A-Z][A-Z0-9_]{0,39}$"


class Text(BaseModel):
    """A text in Dutch, with an English translation."""

    model_config = ConfigDict(extra="forbid")

    nl: str = Field(..., min_length=1)
    en: str = ""

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to Dutch."""
        return self.en if language.startswith("en") and self.en else self.nl


class Option(BaseModel):
    """An answer option with its numeric code (the value stored and exported)."""

    model_config = ConfigDict(extra="forbid")

    code: int = Field(..., ge=0, le=999)
    label: Text
    key: str = ""


class Condition(BaseModel):
    """Routing: a comparison on an earlier answer, or all/any of nested conditions."""

    model_config = ConfigDict(extra="forbid")

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    var: str = ""
    op: Literal[
        "eq", "ne", "in", "not_in", "gte", "lte", "answered", "not_answered", "contains"
    ] = "eq"
    value: float | str | list[float] | list[str] | None = None

    @model_validator(mode="after")
    def one_kind(self) -> Condition:
        """Either nested conditions or one comparison."""
        nested = (self.all is not None) + (self.any is not None)
        if nested > 1 or (nested and self.var) or (not nested and not self.var):
            raise ValueError("a condition has either 'all', 'any' or a 'var' comparison")
        return self

    def variables(self) -> set[str]:
        """Every variable code the condition reads."""
        found = {self.var} if self.var else set()
        for child in (self.all or []) + (self.any or []):
            found |= child.variables()
        return found


class MatrixRow(BaseModel):
    """A row of a matrix question: its own variable code, answered on the matrix's options."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., pattern=CODE_PATTERN)
    label: Text
    role: Role = ""
    key: str = ""


class Question(BaseModel):
    """One question; its variable code never changes meaning across versions."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., pattern=CODE_PATTERN)
    type: QuestionType
    text: Text
    help: Text | None = None
    required: bool = False
    options: list[Option] = []
    rows: list[MatrixRow] = []
    dont_know: bool = False
    not_applicable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    condition: Condition | None = None
    role: Role = ""
    key: str = ""

    @model_validator(mode="after")
    def options_fit_type(self) -> Question:
        """Choice questions need options; a matrix needs rows and options."""
        if self.type in {"single", "multiple", "matrix"} and not self.options:
            raise ValueError(f"{self.code}: a {self.type} question needs options")
        if self.type == "matrix" and not self.rows:
            raise ValueError(f"{self.code}: a matrix question needs rows")
        codes = [option.code for option in self.options]
        if len(codes) != len(set(codes)):
            raise ValueError(f"{self.code}: option codes must be unique")
        if {DONT_KNOW, NOT_APPLICABLE} & set(codes):
            raise ValueError(f"{self.code}: codes 98 and 99 are reserved for don't know / n.a.")
        return self

    def answer_codes(self) -> list[int]:
        """Valid codes for a choice, scale or grade question (including don't know / n.a.)."""
        if self.type == "grade":
            codes = list(range(1, 11))
        elif self.type == "scale5":
            codes = list(range(1, 6))
        elif self.type == "yesno":
            codes = [0, 1]
        else:
            codes = [option.code for option in self.options]
        return codes + [DONT_KNOW] * self.dont_know + [NOT_APPLICABLE] * self.not_applicable

    def variables(self) -> list[str]:
        """The variable codes this question stores (a matrix stores one per row)."""
        return [row.code for row in self.rows] if self.type == "matrix" else [self.code]


class Page(BaseModel):
    """A group of questions shown together."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(..., pattern=r"^[a-z0-9_-]{1,40}$")
    title: Text
    intro: Text | None = None
    condition: Condition | None = None
    questions: list[Question] = Field(..., min_length=1)


class Definition(BaseModel):
    """A whole questionnaire version."""

    model_config = ConfigDict(extra="forbid")

    title: Text
    intro: Text | None = None
    languages: list[Literal["nl", "en"]] = ["nl", "en"]
    pages: list[Page] = Field(..., min_length=1)

    @model_validator(mode="after")
    def codes_and_routing(self) -> Definition:
        """Variable codes and page keys are unique; routing reads only earlier variables."""
        seen: set[str] = set()
        keys: set[str] = set()
        for page in self.pages:
            if page.key in keys:
                raise ValueError(f"page key {page.key} is used twice")
            keys.add(page.key)
            if page.condition and not page.condition.variables() <= seen:
                raise ValueError(f"page {page.key}: routing must use earlier questions")
            for question in page.questions:
                if question.condition and not question.condition.variables() <= seen:
                    raise ValueError(f"{question.code}: routing must use earlier questions")
                for code in dict.fromkeys([question.code, *question.variables()]):
                    if code in seen:
                        raise ValueError(f"variable code {code} is used twice")
                    seen.add(code)
        return self

    def questions(self) -> list[Question]:
        """All questions in order."""
        return [question for page in self.pages for question in page.questions]

    def question(self, code: str) -> Question | None:
        """The question with this code (or owning this matrix row code)."""
        for question in self.questions():
            if code == question.code or code in question.variables():
                return question
        return None


def evaluate(condition: Condition | None, answers: dict[str, Any]) -> bool:
    """Whether a routing condition holds for the answers so far (no condition: always)."""
    if condition is None:
        return True
    if condition.all is not None:
        return all(evaluate(child, answers) for child in condition.all)
    if condition.any is not None:
        return any(evaluate(child, answers) for child in condition.any)
    value = answers.get(condition.var)
    answered = value not in (None, "", [])
    if condition.op == "answered":
        return answered
    if condition.op == "not_answered":
        return not answered
    if not answered:
        return False
    target = condition.value
    if condition.op == "contains":
        return isinstance(value, list) and target in value
    if condition.op in {"in", "not_in"}:
        members = target if isinstance(target, list) else [target]
        numbers = [float(m) for m in members if isinstance(m, int | float)]
        found = value in members or (isinstance(value, int | float) and float(value) in numbers)
        return found if condition.op == "in" else not found
    if condition.op in {"gte", "lte"}:
        try:
            number, limit = float(value), float(target)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return number >= limit if condition.op == "gte" else number <= limit
    equal = value == target or (
        isinstance(value, int | float)
        and isinstance(target, int | float)
        and float(value) == float(target)
    )
    return equal if condition.op == "eq" else not equal


def visible_pages(definition: Definition, answers: dict[str, Any]) -> list[Page]:
    """The pages routing shows for these answers, in order."""
    return [page for page in definition.pages if evaluate(page.condition, answers)]


def visible_questions(page: Page, answers: dict[str, Any]) -> list[Question]:
    """The questions of a page that routing shows for these answers."""
    return [question for question in page.questions if evaluate(question.condition, answers)]


def parse(definition: dict[str, Any]) -> Definition:
    """Validate stored JSON into a ``Definition`` (raises pydantic's ValidationError)."""
    return Definition.model_validate(definition)


def check_answer(question: Question, value: Any) -> str | None:
    """Return a problem with a stored value for ``question`` (None when it is valid).

    Values: numbers for grade/scale/yes-no/single/number, an ISO date string for date, text for
    text, a list of option codes for multiple; matrix rows are checked one by one as grades of
    the matrix's options.
    """
    if value in (None, "", []):
        return None
    if question.type in CODED_TYPES:
        if not isinstance(value, int | float) or float(value) not in [
            float(c) for c in question.answer_codes()
        ]:
            return "not an allowed answer code"
    elif question.type == "multiple":
        allowed = set(question.answer_codes())
        if not isinstance(value, list) or not all(
            isinstance(v, int) and v in allowed for v in value
        ):
            return "not a list of allowed answer codes"
    elif question.type == "number":
        if not isinstance(value, int | float):
            return "not a number"
        if question.minimum is not None and value < question.minimum:
            return "below the minimum"
        if question.maximum is not None and value > question.maximum:
            return "above the maximum"
    elif question.type == "date":
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return "not a date"
    elif question.type == "text" and (not isinstance(value, str) or len(value) > 5000):
        return "not a text of at most 5000 characters"
    return None
