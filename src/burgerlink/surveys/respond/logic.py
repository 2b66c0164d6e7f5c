"""Pure rules of the respondent's questionnaire: stored values, routing, navigation, completeness.

No ORM here: everything works on a parsed ``Definition`` and a plain ``{variable code: value}``
dict of answers, so the rules are easy to test and the same for the web pages, paper entry and
the services that store answers.

Values: ``int`` codes for grade, scale5, yes/no, single choice and matrix rows (98 = don't know,
99 = not applicable), ``int | float`` for numbers, an ISO date string for dates, a string for
open text and a list of ``int`` codes for multiple choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from burgerlink.surveys.definition import Definition, Page, Question, evaluate

Answers = dict[str, Any]


def is_answered(value: Any) -> bool:
    """Whether a value counts as an answer (routing's notion of 'answered')."""
    return value not in (None, "", [])


def tidy_number(value: float) -> int | float:
    """Return whole numbers as ``int`` (a grade 7.0 is the code 7)."""
    return int(value) if float(value).is_integer() else float(value)


def value_from_row(
    question: Question, number: float | None, text: str, choices: list[Any] | None
) -> Any:
    """Turn the columns of a stored ``Answer`` into the value routing and forms work with."""
    if question.type == "multiple":
        return [int(code) for code in choices or []]
    if question.type in {"date", "text"}:
        return text
    return None if number is None else tidy_number(number)


def row_from_value(question: Question, value: Any) -> dict[str, Any]:
    """The columns (``number``, ``text``, ``choices``) that store ``value`` for ``question``."""
    if question.type == "multiple":
        return {"number": None, "text": "", "choices": [int(code) for code in value]}
    if question.type in {"date", "text"}:
        return {"number": None, "text": str(value), "choices": None}
    return {"number": float(value), "text": "", "choices": None}


def page_variables(page: Page) -> list[str]:
    """Every variable code stored by the questions of a page (a matrix stores one per row)."""
    return [code for question in page.questions for code in question.variables()]


def all_variables(definition: Definition) -> dict[str, Question]:
    """Every stored variable code of the definition, with the question it belongs to."""
    return {code: question for question in definition.questions() for code in question.variables()}


def prune(definition: Definition, answers: Answers) -> Answers:
    """Keep only the answers of questions that routing shows, taking hidden answers away.

    Routing reads earlier variables only, so one pass in questionnaire order suffices: a
    question hidden by a changed answer loses its own answer before later conditions read it.
    """
    kept: Answers = {}
    for page in definition.pages:
        if not evaluate(page.condition, kept):
            continue
        for question in page.questions:
            if not evaluate(question.condition, kept):
                continue
            for code in question.variables():
                if is_answered(answers.get(code)):
                    kept[code] = answers[code]
    return kept


def shown_among(questions: Sequence[Question], answers: Answers) -> list[Question]:
    """The questions routing shows, in order, reading answers on the same page as they come.

    A hidden question's own answers are forgotten before later conditions read them, as in
    ``prune``.
    """
    known = dict(answers)
    shown = []
    for question in questions:
        if evaluate(question.condition, known):
            shown.append(question)
        else:
            for code in question.variables():
                known.pop(code, None)
    return shown


def shown_questions(page: Page, answers: Answers) -> list[Question]:
    """The questions of ``page`` routing shows (``shown_among`` over the page's questions)."""
    return shown_among(page.questions, answers)


def missing_variables(question: Question, answers: Answers) -> list[str]:
    """The variable codes of a required question that have no answer yet (empty when fine)."""
    if not question.required:
        return []
    return [code for code in question.variables() if not is_answered(answers.get(code))]


def visible_page_list(definition: Definition, answers: Answers) -> list[Page]:
    """The pages routing shows for these answers, in order."""
    return [page for page in definition.pages if evaluate(page.condition, answers)]


@dataclass(frozen=True)
class Missing:
    """A required question without an answer, and the page it is on."""

    page: Page
    question: Question


def missing_required(definition: Definition, answers: Answers) -> list[Missing]:
    """Every required question on a visible page that has no (complete) answer."""
    return [
        Missing(page, question)
        for page in visible_page_list(definition, answers)
        for question in shown_questions(page, answers)
        if missing_variables(question, answers)
    ]


def first_unfinished_page(definition: Definition, answers: Answers) -> Page | None:
    """The first visible page with a required question still open (None: all done)."""
    missing = missing_required(definition, answers)
    return missing[0].page if missing else None


def find_page(definition: Definition, key: str) -> Page | None:
    """The page with this key, visible or not."""
    return next((page for page in definition.pages if page.key == key), None)


def is_reachable(definition: Definition, answers: Answers, key: str) -> bool:
    """Whether a respondent may open page ``key``: routing shows it and no earlier visible
    page still lacks a required answer (so nobody skips ahead past a required question)."""
    pages = visible_page_list(definition, answers)
    keys = [page.key for page in pages]
    if key not in keys:
        return False
    unfinished = first_unfinished_page(definition, answers)
    return unfinished is None or keys.index(key) <= keys.index(unfinished.key)


def next_page(definition: Definition, answers: Answers, key: str) -> Page | None:
    """The visible page after page ``key`` (None on the last page)."""
    seen = False
    for page in definition.pages:
        if seen and evaluate(page.condition, answers):
            return page
        seen = seen or page.key == key
    return None


def previous_page(definition: Definition, answers: Answers, key: str) -> Page | None:
    """The visible page before page ``key`` (None on the first page)."""
    previous = None
    for page in definition.pages:
        if page.key == key:
            return previous
        if evaluate(page.condition, answers):
            previous = page
    return None


def resume_page(definition: Definition, answers: Answers, current: str) -> Page:
    """Where a respondent continues: the stored current page if they may open it, else the
    first page that still needs an answer, else the last visible page."""
    if current and is_reachable(definition, answers, current):
        page = find_page(definition, current)
        if page is not None:
            return page
    unfinished = first_unfinished_page(definition, answers)
    if unfinished is not None:
        return unfinished
    pages = visible_page_list(definition, answers)
    return pages[-1] if pages else definition.pages[0]


@dataclass(frozen=True)
class Progress:
    """Where a page stands among the pages routing shows now."""

    number: int
    total: int

    @property
    def is_last(self) -> bool:
        """Whether this is the last visible page."""
        return self.number == self.total


def progress(definition: Definition, answers: Answers, key: str) -> Progress:
    """Page number and total of visible pages (the total changes with routing)."""
    keys = [page.key for page in visible_page_list(definition, answers)]
    number = keys.index(key) + 1 if key in keys else 1
    return Progress(number=number, total=max(len(keys), 1))
