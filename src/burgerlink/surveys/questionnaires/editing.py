"""Pure operations on a questionnaire definition (JSON in, JSON out, no database).

The services wrap these in a transaction on a draft version; the rules live here so they can be
tested without a database: insert, replace, remove and move questions and pages, tailor the
life-event template to chosen life events, the code-history rule ("a new version may reuse a
variable code only for the same question") and a readable summary of routing conditions.
Problems are raised as Django ``ValidationError``s with plain Dutch messages.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError as PydanticError

from burgerlink.surveys.definition import (
    CODE_PATTERN,
    DONT_KNOW,
    NOT_APPLICABLE,
    Condition,
    Definition,
    Question,
    parse,
)

JSON = dict[str, Any]
Direction = Literal["up", "down"]

TYPE_LABELS = {
    "grade": gettext_lazy("Rapportcijfer (1–10)"),
    "scale5": gettext_lazy("Vijfpuntsschaal"),
    "yesno": gettext_lazy("Ja/nee"),
    "single": gettext_lazy("Eén keuze"),
    "multiple": gettext_lazy("Meer keuzes mogelijk"),
    "number": gettext_lazy("Getal"),
    "date": gettext_lazy("Datum"),
    "text": gettext_lazy("Open tekst"),
    "matrix": gettext_lazy("Matrix (rijen met dezelfde antwoorden)"),
}
ROLE_LABELS = {
    "": gettext_lazy("geen"),
    "screening": gettext_lazy("screening (levensgebeurtenis)"),
    "overall": gettext_lazy("totaaloordeel"),
    "chain": gettext_lazy("oordeel over de keten"),
    "organisation": gettext_lazy("oordeel over een organisatie"),
    "contact": gettext_lazy("contact met een organisatie"),
    "bsc": gettext_lazy("norm van de BurgerServiceCode"),
    "aspect": gettext_lazy("aspect (mogelijke verklaring van het totaaloordeel)"),
    "background": gettext_lazy("achtergrondkenmerk (weging)"),
    "open": gettext_lazy("open vraag"),
}
OPERATOR_LABELS = {
    "eq": gettext_lazy("is"),
    "ne": gettext_lazy("is niet"),
    "in": gettext_lazy("is een van"),
    "not_in": gettext_lazy("is geen van"),
    "gte": gettext_lazy("is minstens"),
    "lte": gettext_lazy("is hoogstens"),
    "answered": gettext_lazy("is beantwoord"),
    "not_answered": gettext_lazy("is niet beantwoord"),
    "contains": gettext_lazy("bevat"),
}


# --- validation with Dutch messages -----------------------------------------------------------

_VALUE_ERRORS: list[tuple[str, Any]] = [
    (
        r"(?P<name>\w+): a \w+ question needs options",
        gettext_lazy("%(name)s: dit soort vraag heeft antwoordopties nodig."),
    ),
    (
        r"(?P<name>\w+): a matrix question needs rows",
        gettext_lazy("%(name)s: een matrixvraag heeft rijen nodig."),
    ),
    (
        r"(?P<name>\w+): option codes must be unique",
        gettext_lazy("%(name)s: elke antwoordoptie heeft een eigen code nodig."),
    ),
    (
        r"(?P<name>\w+): codes 98 and 99 are reserved",
        gettext_lazy(
            "%(name)s: de codes 98 en 99 zijn gereserveerd voor 'weet niet' en 'niet van "
            "toepassing'; kies die met de vinkjes."
        ),
    ),
    (
        r"variable code (?P<name>\w+) is used twice",
        gettext_lazy("De code %(name)s wordt twee keer gebruikt."),
    ),
    (
        r"page key (?P<name>\S+) is used twice",
        gettext_lazy("De paginacode %(name)s wordt twee keer gebruikt."),
    ),
    (
        r"page (?P<name>\S+): routing must use earlier questions",
        gettext_lazy("Pagina %(name)s: de routering mag alleen eerdere vragen gebruiken."),
    ),
    (
        r"(?P<name>\w+): routing must use earlier questions",
        gettext_lazy(
            "%(name)s: de routering mag alleen vragen gebruiken die eerder in de vragenlijst staan."
        ),
    ),
    (
        r"a condition has either",
        gettext_lazy("Een voorwaarde vergelijkt één eerdere vraag met een waarde."),
    ),
]
_FIELD_NAMES = {
    "code": gettext_lazy("code"),
    "type": gettext_lazy("soort vraag"),
    "text": gettext_lazy("vraagtekst"),
    "nl": gettext_lazy("Nederlandse tekst"),
    "en": gettext_lazy("Engelse tekst"),
    "label": gettext_lazy("tekst van de optie"),
    "options": gettext_lazy("antwoordopties"),
    "rows": gettext_lazy("rijen"),
    "minimum": gettext_lazy("minimum"),
    "maximum": gettext_lazy("maximum"),
    "condition": gettext_lazy("routering"),
    "role": gettext_lazy("rol"),
    "key": gettext_lazy("paginacode"),
    "title": gettext_lazy("titel"),
    "questions": gettext_lazy("vragen"),
}


def code_rule() -> str:
    """The rule for variable codes, in words."""
    return _(
        "Een code begint met een hoofdletter en bevat alleen hoofdletters, cijfers en _ "
        "(hoogstens 40 tekens), bijvoorbeeld EIGEN_VRAAG_1."
    )


def dutch_messages(error: PydanticError) -> list[str]:
    """Plain Dutch messages for what pydantic found wrong in a definition or question."""
    messages: list[str] = []
    for problem in error.errors():
        kind = str(problem.get("type", ""))
        location = [part for part in problem.get("loc", ()) if isinstance(part, str)]
        last = location[-1] if location else ""
        text = str(problem.get("msg", ""))
        message: str | None = None
        if kind == "value_error":
            for pattern, template in _VALUE_ERRORS:
                found = re.search(pattern, text)
                if found:
                    message = str(template) % found.groupdict()
                    break
        elif kind == "string_pattern_mismatch" and last == "code":
            message = code_rule()
        elif kind == "string_pattern_mismatch" and last == "key":
            message = _("Een paginacode bestaat uit kleine letters, cijfers, - en _.")
        elif kind in {"string_too_short", "missing"} and last == "nl":
            message = _("De Nederlandse tekst is verplicht.")
        elif kind == "too_short" and last == "questions":
            message = _("Een pagina heeft minstens één vraag.")
        elif kind == "too_short" and last == "pages":
            message = _("Een vragenlijst heeft minstens één pagina.")
        elif kind == "literal_error" and last == "type":
            message = _("Kies een bestaand soort vraag.")
        elif kind in {"greater_than_equal", "less_than_equal"} and last == "code":
            message = _("Een antwoordcode ligt tussen 0 en 999.")
        if message is None:
            where = ", ".join(str(_FIELD_NAMES.get(part, part)) for part in location)
            message = _("%(where)s is niet geldig.") % {"where": where or _("De invoer")}
        if message not in messages:
            messages.append(message)
    return messages


def validate(definition: JSON) -> Definition:
    """Parse a whole definition, or raise a ValidationError with Dutch messages."""
    try:
        return parse(definition)
    except PydanticError as error:
        raise ValidationError(dutch_messages(error)) from error


def clean_question(data: JSON) -> JSON:
    """Validate one question and return its canonical JSON (defaults left out)."""
    try:
        parsed = Question.model_validate(data)
    except PydanticError as error:
        raise ValidationError(dutch_messages(error)) from error
    result: JSON = parsed.model_dump(mode="json", exclude_defaults=True)
    return result


# --- finding things ---------------------------------------------------------------------------


def variables_of(question: JSON) -> list[str]:
    """The codes a question occupies: its own code and, for a matrix, its row codes."""
    codes = [str(question["code"])]
    codes += [str(row["code"]) for row in question.get("rows") or []]
    return codes


def all_codes(definition: JSON) -> list[str]:
    """Every code in use, in order."""
    return [
        code
        for page in definition.get("pages", [])
        for question in page.get("questions", [])
        for code in variables_of(question)
    ]


def locate(definition: JSON, code: str) -> tuple[int, int]:
    """(page index, question index) of the question with ``code``, or a ValidationError."""
    for page_index, page in enumerate(definition.get("pages", [])):
        for index, question in enumerate(page.get("questions", [])):
            if question.get("code") == code:
                return page_index, index
    raise ValidationError(_("De vraag %(code)s staat niet in deze versie.") % {"code": code})


def condition_variables(condition: JSON | None) -> set[str]:
    """Every variable a condition (as JSON) reads."""
    if not condition:
        return set()
    found = {str(condition["var"])} if condition.get("var") else set()
    for child in (condition.get("all") or []) + (condition.get("any") or []):
        found |= condition_variables(child)
    return found


def users_of(definition: JSON, codes: Collection[str]) -> list[str]:
    """Questions and pages whose routing reads one of ``codes``."""
    wanted = set(codes)
    users: list[str] = []
    for page in definition.get("pages", []):
        if condition_variables(page.get("condition")) & wanted:
            users.append(_("pagina %(key)s") % {"key": page["key"]})
        users.extend(
            str(question["code"])
            for question in page.get("questions", [])
            if question.get("code") not in wanted
            and condition_variables(question.get("condition")) & wanted
        )
    return users


def page_key_for(definition: JSON, title: str) -> str:
    """A new, unique page key made from a title."""
    base = (slugify(title) or "pagina")[:34].strip("-") or "pagina"
    keys = {page["key"] for page in definition.get("pages", [])}
    key, number = base, 2
    while key in keys:
        key = f"{base}-{number}"
        number += 1
    return key


# --- editing ----------------------------------------------------------------------------------


def insert_question(
    definition: JSON,
    question: JSON,
    *,
    page_key: str,
    page_title: JSON | None = None,
    position: int | None = None,
) -> JSON:
    """Add ``question`` to page ``page_key`` (at ``position``, default: last).

    With ``page_title`` and an unknown ``page_key``, a new page is added at the end.
    """
    question = clean_question(question)
    taken = set(all_codes(definition))
    clashes = [code for code in variables_of(question) if code in taken]
    if clashes:
        raise ValidationError(
            _("De code %(codes)s wordt al gebruikt in deze versie; kies een andere code.")
            % {"codes": ", ".join(clashes)}
        )
    result = copy.deepcopy(definition)
    pages = result["pages"]
    target = next((page for page in pages if page["key"] == page_key), None)
    if target is None:
        if not page_title:
            raise ValidationError(_("Kies een pagina voor de vraag."))
        key = page_key or page_key_for(result, str(page_title.get("nl", "")))
        if not re.match(r"^[a-z0-9_-]{1,40}$", key):
            raise ValidationError(_("Een paginacode bestaat uit kleine letters, cijfers, - en _."))
        target = {"key": key, "title": page_title, "questions": []}
        pages.append(target)
    questions = target["questions"]
    questions.insert(len(questions) if position is None else position, question)
    validate(result)
    return result


def replace_question(definition: JSON, code: str, question: JSON) -> JSON:
    """Replace the question ``code`` by ``question`` (which keeps the same code)."""
    question = clean_question(question)
    if question["code"] != code:
        raise ValidationError(
            _("De code van een vraag verandert niet; maak een nieuwe vraag met de nieuwe code.")
        )
    page_index, index = locate(definition, code)
    old = definition["pages"][page_index]["questions"][index]
    taken = set(all_codes(definition)) - set(variables_of(old))
    clashes = [item for item in variables_of(question) if item in taken]
    if clashes:
        raise ValidationError(
            _("De code %(codes)s wordt al gebruikt in deze versie; kies een andere code.")
            % {"codes": ", ".join(clashes)}
        )
    gone = set(variables_of(old)) - set(variables_of(question))
    users = users_of(definition, gone)
    if users:
        raise ValidationError(
            _("De routering van %(users)s gebruikt %(codes)s; pas die eerst aan.")
            % {"users": ", ".join(users), "codes": ", ".join(sorted(gone))}
        )
    result = copy.deepcopy(definition)
    result["pages"][page_index]["questions"][index] = question
    validate(result)
    return result


def remove_question(definition: JSON, code: str) -> JSON:
    """Remove a question; a page left without questions disappears too."""
    page_index, index = locate(definition, code)
    question = definition["pages"][page_index]["questions"][index]
    users = users_of(definition, variables_of(question))
    if users:
        raise ValidationError(
            _(
                "%(code)s kan niet weg: de routering van %(users)s gebruikt deze vraag. "
                "Haal die eerst weg of pas de routering aan."
            )
            % {"code": code, "users": ", ".join(users)}
        )
    if sum(len(page["questions"]) for page in definition["pages"]) == 1:
        raise ValidationError(_("Een vragenlijst heeft minstens één vraag."))
    result = copy.deepcopy(definition)
    del result["pages"][page_index]["questions"][index]
    if not result["pages"][page_index]["questions"]:
        del result["pages"][page_index]
    validate(result)
    return result


def move_question(definition: JSON, code: str, direction: Direction) -> JSON:
    """Move a question one place up or down; at a page's edge it moves to the next page."""
    page_index, index = locate(definition, code)
    result = copy.deepcopy(definition)
    pages = result["pages"]
    questions = pages[page_index]["questions"]
    step = -1 if direction == "up" else 1
    if 0 <= index + step < len(questions):
        questions[index], questions[index + step] = questions[index + step], questions[index]
    else:
        neighbour = page_index + step
        if not 0 <= neighbour < len(pages):
            message = (
                _("%(code)s staat al helemaal bovenaan.")
                if direction == "up"
                else _("%(code)s staat al helemaal onderaan.")
            )
            raise ValidationError(message % {"code": code})
        moved = questions.pop(index)
        if direction == "up":
            pages[neighbour]["questions"].append(moved)
        else:
            pages[neighbour]["questions"].insert(0, moved)
        if not questions:
            del pages[page_index]
    _check_order(result)
    return result


def move_page(definition: JSON, key: str, direction: Direction) -> JSON:
    """Move a page one place up or down."""
    pages = definition.get("pages", [])
    index = next((i for i, page in enumerate(pages) if page["key"] == key), None)
    if index is None:
        raise ValidationError(_("De pagina %(key)s staat niet in deze versie.") % {"key": key})
    other = index + (-1 if direction == "up" else 1)
    if not 0 <= other < len(pages):
        raise ValidationError(
            (
                _("Pagina %(key)s staat al bovenaan.")
                if direction == "up"
                else _("Pagina %(key)s staat al onderaan.")
            )
            % {"key": key}
        )
    result = copy.deepcopy(definition)
    result["pages"][index], result["pages"][other] = result["pages"][other], result["pages"][index]
    _check_order(result)
    return result


def _check_order(definition: JSON) -> None:
    """After a move: routing must still read only earlier questions (Dutch message)."""
    seen: set[str] = set()
    for page in definition["pages"]:
        if not condition_variables(page.get("condition")) <= seen:
            raise ValidationError(
                _(
                    "Zo kan het niet: de routering van pagina %(key)s gebruikt dan een vraag die "
                    "pas later komt."
                )
                % {"key": page["key"]}
            )
        for question in page["questions"]:
            if not condition_variables(question.get("condition")) <= seen:
                raise ValidationError(
                    _(
                        "Zo kan het niet: de routering van %(code)s gebruikt dan een vraag die "
                        "pas later komt."
                    )
                    % {"code": question["code"]}
                )
            seen.update(variables_of(question))
    validate(definition)


# --- tailoring the life-event template --------------------------------------------------------

_NEVER = object()


def screening_question(definition: JSON) -> JSON | None:
    """The life-event screening question (role ``screening``), if the definition has one."""
    for page in definition.get("pages", []):
        for question in page.get("questions", []):
            if question.get("role") == "screening":
                return dict(question)
    return None


def _simplify(
    condition: JSON | None, dropped: set[str], screen: str, kept: set[float]
) -> JSON | None | object:
    """Simplify a condition after options and variables were dropped.

    Returns the new condition, None when it always holds, or ``_NEVER`` when it cannot hold.
    """
    if not condition:
        return None
    for kind in ("all", "any"):
        if condition.get(kind) is not None:
            children = [_simplify(child, dropped, screen, kept) for child in condition[kind]]
            if kind == "all":
                if any(child is _NEVER for child in children):
                    return _NEVER
                remaining = [child for child in children if child is not None]
                if not remaining:
                    return None
            else:
                if any(child is None for child in children):
                    return None
                remaining = [child for child in children if child is not _NEVER]
                if not remaining:
                    return _NEVER
            return remaining[0] if len(remaining) == 1 else {kind: remaining}
    var, op = condition.get("var"), condition.get("op", "eq")
    if var in dropped:
        return None if op == "not_answered" else _NEVER
    if var == screen and op in {"eq", "in"}:
        value = condition.get("value")
        values = value if isinstance(value, list) else [value]
        left = [item for item in values if isinstance(item, int | float) and float(item) in kept]
        if not left:
            return _NEVER
        return {**condition, "value": left if op == "in" else left[0]}
    return dict(condition)


def tailor(definition: JSON, event_codes: Iterable[str]) -> JSON:
    """Keep only the chosen life events and the questions their chains need.

    The screening question keeps the chosen options with their codes; a question or page whose
    routing can no longer hold (an agency outside every chosen chain, and the grade that follows
    from it) disappears, and conditions are simplified.
    """
    chosen = list(dict.fromkeys(event_codes))
    screen = screening_question(definition)
    if screen is None:
        raise ValidationError(
            _("Levensgebeurtenissen kiezen kan alleen bij het sjabloon voor levensgebeurtenissen.")
        )
    options = {option.get("key"): option for option in screen.get("options", [])}
    unknown = [code for code in chosen if code not in options]
    if unknown:
        raise ValidationError(
            _("Deze levensgebeurtenissen staan niet in het sjabloon: %(codes)s.")
            % {"codes": ", ".join(unknown)}
        )
    if not chosen:
        raise ValidationError(_("Kies minstens één levensgebeurtenis."))
    kept = {float(options[code]["code"]) for code in chosen}
    dropped: set[str] = set()
    pages: list[JSON] = []
    for page in definition["pages"]:
        page_condition = _simplify(page.get("condition"), dropped, screen["code"], kept)
        if page_condition is _NEVER:
            dropped.update(
                code for question in page["questions"] for code in variables_of(question)
            )
            continue
        questions: list[JSON] = []
        for question in page["questions"]:
            condition = _simplify(question.get("condition"), dropped, screen["code"], kept)
            if condition is _NEVER:
                dropped.update(variables_of(question))
                continue
            new = copy.deepcopy(question)
            new.pop("condition", None)
            if condition is not None:
                new["condition"] = condition
            if new["code"] == screen["code"]:
                new["options"] = [
                    option for option in new["options"] if float(option["code"]) in kept
                ]
            questions.append(new)
        if not questions:
            continue
        new_page = {key: copy.deepcopy(value) for key, value in page.items()}
        new_page["questions"] = questions
        new_page.pop("condition", None)
        if page_condition is not None:
            new_page["condition"] = page_condition
        pages.append(new_page)
    result = {key: copy.deepcopy(value) for key, value in definition.items() if key != "pages"}
    result["pages"] = pages
    validate(result)
    return result


# --- the code history -------------------------------------------------------------------------


def signatures(definition: Definition) -> dict[str, tuple[str, tuple[int, ...], dict[int, str]]]:
    """Per variable code: (type, answer codes, option keys) — what must not change meaning."""
    found: dict[str, tuple[str, tuple[int, ...], dict[int, str]]] = {}
    for question in definition.questions():
        keys = {option.code: option.key for option in question.options if option.key}
        shape = (question.type, tuple(sorted(question.answer_codes())), keys)
        for code in dict.fromkeys([question.code, *question.variables()]):
            found[code] = shape
    return found


def describe_shape(shape: tuple[str, tuple[int, ...], dict[int, str]]) -> str:
    """A variable's type and answer codes in words."""
    kind, codes, _keys = shape
    label = str(TYPE_LABELS.get(kind, kind))
    if not codes:
        return label
    return _("%(type)s met antwoordcodes %(codes)s") % {
        "type": label,
        "codes": ", ".join(str(code) for code in codes),
    }


def history_problems(
    definition: Definition,
    earlier: Sequence[tuple[int, Definition]],
    only: Collection[str] | None = None,
) -> list[str]:
    """Where ``definition`` reuses a code of an earlier version for a different question.

    A code may come back only with the same type and the same answer codes (including don't
    know / not applicable), and options that carry a key keep their key. ``only`` limits the
    check to some codes (the question being edited).
    """
    problems: list[str] = []
    now = signatures(definition)
    for number, old_definition in earlier:
        before = signatures(old_definition)
        for code, shape in now.items():
            old = before.get(code)
            if old is None or (only is not None and code not in only):
                continue
            if old[0] != shape[0] or old[1] != shape[1]:
                problems.append(
                    _(
                        "De code %(code)s was in versie %(number)s een %(old)s; nu is het een "
                        "%(new)s. Een code mag alleen terugkomen voor dezelfde vraag: geef deze "
                        "vraag een nieuwe code."
                    )
                    % {
                        "code": code,
                        "number": number,
                        "old": describe_shape(old),
                        "new": describe_shape(shape),
                    }
                )
                continue
            changed = sorted(
                answer
                for answer in set(old[2]) & set(shape[2])
                if old[2][answer] != shape[2][answer]
            )
            if changed:
                problems.append(
                    _(
                        "De code %(code)s: antwoordcode %(answer)s betekende in versie "
                        "%(number)s iets anders. Geef deze vraag een nieuwe code."
                    )
                    % {"code": code, "answer": changed[0], "number": number}
                )
    return problems


# --- reading routing --------------------------------------------------------------------------


def _value_label(definition: Definition | None, var: str, value: Any, language: str) -> str:
    """An answer code as the respondent sees it (the option label), else the value itself."""
    question = definition.question(var) if definition is not None else None
    if question is not None and isinstance(value, int | float):
        code = int(value)
        if question.type == "yesno" and code in (0, 1):
            return _("ja") if code == 1 else _("nee")
        if code == DONT_KNOW:
            return _("weet niet")
        if code == NOT_APPLICABLE:
            return _("niet van toepassing")
        for option in question.options:
            if option.code == code:
                return option.label.get(language)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe(
    condition: Condition | None, definition: Definition | None, language: str = "nl"
) -> str:
    """A routing condition in words, e.g. "CONTACT_UWV is ja"."""
    if condition is None:
        return ""
    if condition.all is not None:
        return f" {_('en')} ".join(
            f"({describe(child, definition, language)})" for child in condition.all
        )
    if condition.any is not None:
        return f" {_('of')} ".join(
            f"({describe(child, definition, language)})" for child in condition.any
        )
    operator = str(OPERATOR_LABELS.get(condition.op, condition.op))
    if condition.op in {"answered", "not_answered"}:
        return f"{condition.var} {operator}"
    values = condition.value if isinstance(condition.value, list) else [condition.value]
    shown = ", ".join(_value_label(definition, condition.var, value, language) for value in values)
    return f"{condition.var} {operator} {shown}"


def is_valid_code(code: str) -> bool:
    """Whether ``code`` is a valid variable code."""
    return bool(re.match(CODE_PATTERN, code))
