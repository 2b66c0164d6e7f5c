"""Read and check a file of responses from a fieldwork bureau: CSV, Excel or SPSS .sav/.zsav.

The columns are the questionnaire version's variable codes (a matrix stores one code per row),
plus an optional ``external_id`` (the bureau's respondent number, for idempotent re-imports)
and the wave's weighting variables. Every value is converted to the stored form and checked
with ``definition.check_answer``; problems name the file row and the column. No ORM here.

Multiple-choice answers are written in one cell as the option codes separated by commas,
semicolons, spaces or ``|`` (``1;3``). Dates are ISO (2026-03-31) or Dutch (31-03-2026, 7-3-2026),
as ``core.files.parse_date`` reads them.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from burgerlink.core.files import (
    Chunk,
    FileLimits,
    ProblemList,
    Progress,
    UnreadableFileError,
    parse_date,
    with_progress,
    without_control_characters,
)
from burgerlink.core.files import read_table as read_file
from burgerlink.surveys.definition import CODED_TYPES, Definition, Question, check_answer

EXTERNAL_ID = "external_id"
MAX_EXTERNAL_ID = 64
_LIST_SEPARATORS = re.compile(r"[\s,;|]+")


# A row of a file: its row number and its value per column, or why it cannot be read.
Row = tuple[int, dict[str, Any] | str]


@dataclass
class Table:
    """A file's column names and its rows."""

    columns: list[str]
    rows: Iterator[Row]
    file_format: str


@dataclass(frozen=True)
class ImportedResponse:
    """One respondent's answers, ready to store."""

    row: int
    external_id: str
    answers: dict[str, Any]
    background: dict[str, str]


@dataclass
class ResponsePlan:
    """The outcome of checking a response file."""

    rows: list[ImportedResponse] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    file_format: str = "csv"


def read_table(
    stream: IO[bytes],
    filename: str = "",
    *,
    limits: FileLimits | None = None,
    progress: Progress | None = None,
) -> Table:
    """Open a CSV, Excel or SPSS (.sav, .zsav) file as a ``Table``.

    Raises ``UnreadableFileError`` for other files. Read in chunks within ``limits``
    (``core.files``); ``progress`` hears the rows read so far.
    """
    file_format, chunks = read_file(stream, filename, formats=("csv", "xlsx", "sav"), limits=limits)
    return _table(chunks, file_format, progress)


def _table(chunks: Iterator[Chunk], file_format: str, progress: Progress | None) -> Table:
    first = next(chunks)
    width = first.extra.get("width", len(first.columns))
    if width != len(first.columns):
        raise UnreadableFileError(
            _("Elke kolomnaam mag maar één keer voorkomen in de eerste regel."), row=1
        )

    def rows() -> Iterator[Row]:
        for chunk in with_progress(itertools.chain([first], chunks), progress):
            for line, found in chunk.extra.get("bad_width", []):
                yield (
                    line,
                    _("Deze rij heeft %(found)s kolommen; de eerste regel noemt er %(width)s.")
                    % {"found": found, "width": width},
                )
            yield from chunk.records()

    return Table(list(first.columns), rows(), file_format)


def _is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and not raw.strip()


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError
    return number


def _whole(number: float) -> int | float:
    return int(number) if number.is_integer() else number


def convert(question: Question, raw: Any) -> tuple[Any, str | None]:
    """Turn a cell into the stored value for ``question``; return (value, problem or None)."""
    if _is_empty(raw):
        return None, None
    try:
        if question.type in CODED_TYPES:
            value: Any = _whole(_number(raw))
        elif question.type == "number":
            value = _whole(_number(raw))
        elif question.type == "multiple":
            parts = (
                [raw]
                if isinstance(raw, int | float)
                else [p for p in _LIST_SEPARATORS.split(str(raw).strip()) if p]
            )
            numbers = [_number(part) for part in parts]
            if not all(number.is_integer() for number in numbers):
                raise ValueError
            value = sorted({int(number) for number in numbers})
        elif question.type == "date":
            value = _date(raw)
        else:
            value = _text_of(raw)
    except ValueError:
        return None, _expected(question)
    problem = check_answer(question, value)
    if problem is not None:
        return None, _explain(question, problem)
    return value, None


def _date(raw: Any) -> str:
    return parse_date(raw).isoformat()


def _text_of(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return without_control_characters(str(raw))


def _codes(question: Question) -> str:
    return ", ".join(str(code) for code in question.answer_codes())


def _expected(question: Question) -> str:
    if question.type in CODED_TYPES:
        return _("verwacht een antwoordcode (%(codes)s).") % {"codes": _codes(question)}
    if question.type == "multiple":
        return _("verwacht antwoordcodes gescheiden door puntkomma's, zoals 1;3 (%(codes)s).") % {
            "codes": _codes(question)
        }
    if question.type == "date":
        return _("verwacht een datum, zoals 2026-03-31 of 31-03-2026.")
    return _("verwacht een getal.")


def _explain(question: Question, problem: str) -> str:
    """Dutch wording of ``check_answer``'s problems, with what is allowed."""
    if problem in {"not an allowed answer code", "not a list of allowed answer codes"}:
        return _expected(question)
    if problem == "below the minimum":
        return _("het getal is kleiner dan %(minimum)s.") % {"minimum": question.minimum}
    if problem == "above the maximum":
        return _("het getal is groter dan %(maximum)s.") % {"maximum": question.maximum}
    if problem == "not a date":
        return _expected(question)
    if problem.startswith("not a text"):
        return _("een open antwoord heeft ten hoogste 5000 tekens.")
    return problem


def variables_of(definition: Definition) -> dict[str, Question]:
    """Every variable code of a version with the question that owns it (matrix rows included)."""
    return {code: question for question in definition.questions() for code in question.variables()}


def required_variables(definition: Definition) -> list[str]:
    """The variable codes of required questions: a response file must have these columns."""
    return [
        code
        for question in definition.questions()
        if question.required
        for code in question.variables()
    ]


def match_columns(
    columns: list[str],
    definition: Definition,
    weighting: Mapping[str, Mapping[str, float]],
    problems: ProblemList,
) -> dict[str, str]:
    """Map file columns to 'code:<CODE>', 'external_id' or 'background:<name>'.

    Column names are matched without regard to case. Reports unknown columns, columns named
    twice and required variable codes that have no column, each listed by name (as problems
    of the file as a whole: an SPSS file has no header row to point at).
    """
    variables = variables_of(definition)
    background = {name.lower(): name for name in weighting}
    roles: dict[str, str] = {}
    unknown: list[str] = []
    doubled: list[str] = []
    taken: set[str] = set()
    for column in columns:
        name = column.strip()
        if name.upper() in variables:
            role = f"code:{name.upper()}"
        elif name.lower() == EXTERNAL_ID:
            role = EXTERNAL_ID
        elif name.lower() in background:
            role = f"background:{background[name.lower()]}"
        else:
            unknown.append(column or _("(zonder naam)"))
            continue
        if role in taken:
            doubled.append(column)
            continue
        taken.add(role)
        roles[column] = role
    if unknown:
        problems.add(
            None,
            ", ".join(unknown),
            _(
                "Deze kolommen zijn geen variabelecode van deze versie van de vragenlijst (en "
                "ook niet external_id of een weegvariabele): %(columns)s."
            )
            % {"columns": ", ".join(unknown)},
        )
    if doubled:
        problems.add(
            None,
            ", ".join(doubled),
            _("Deze kolommen staan er twee keer in: %(columns)s.")
            % {"columns": ", ".join(doubled)},
        )
    missing = [code for code in required_variables(definition) if f"code:{code}" not in taken]
    if missing:
        problems.add(
            None,
            ", ".join(missing),
            _("Deze verplichte vragen ontbreken als kolom: %(codes)s.")
            % {"codes": ", ".join(missing)},
        )
    return roles


def check_responses(
    table: Table,
    definition: Definition,
    weighting: Mapping[str, Mapping[str, float]],
) -> ResponsePlan:
    """Check every row of a response file against the version; return rows or problems."""
    plan = ResponsePlan(file_format=table.file_format)
    problems = plan.problems
    roles = match_columns(table.columns, definition, weighting, problems)
    if problems:
        return plan
    variables = variables_of(definition)
    seen_ids: dict[str, int] = {}
    for line, record in table.rows:
        if problems.full:
            break
        if isinstance(record, str):
            problems.add(line, "", record)
            continue
        before = problems.total
        answers: dict[str, Any] = {}
        background: dict[str, str] = {}
        external_id = ""
        for column, role in roles.items():
            raw = record.get(column)
            if role == EXTERNAL_ID:
                external_id = "" if _is_empty(raw) else _text_of(raw).strip()
                if len(external_id) > MAX_EXTERNAL_ID:
                    problems.add(line, column, _("Een kenmerk heeft ten hoogste 64 tekens."))
                elif external_id in seen_ids:
                    problems.add(
                        line,
                        column,
                        _("Kenmerk %(id)s staat ook in rij %(row)s.")
                        % {"id": external_id, "row": seen_ids[external_id]},
                    )
                continue
            if role.startswith("background:"):
                name = role.split(":", 1)[1]
                if _is_empty(raw):
                    continue
                text = _text_of(raw).strip()
                shares = weighting[name]
                if text not in shares:
                    problems.add(
                        line,
                        column,
                        _("'%(value)s' is geen categorie van %(variable)s; kies uit: %(allowed)s.")
                        % {"value": text[:60], "variable": name, "allowed": ", ".join(shares)},
                    )
                else:
                    background[name] = text
                continue
            code = role.split(":", 1)[1]
            value, problem = convert(variables[code], raw)
            if problem is not None:
                problems.add(line, column, problem)
            elif value is not None:
                answers[code] = value
        if external_id and external_id not in seen_ids:
            seen_ids[external_id] = line
        if problems.total > before:
            continue
        if not answers:
            problems.add(line, "", _("Deze rij bevat geen enkel antwoord."))
            continue
        plan.rows.append(ImportedResponse(line, external_id, answers, background))
    if not plan.rows and not problems:
        problems.add(None, "", _("Het bestand bevat geen responsen: alleen kolomnamen."))
    return plan


def example_answer(question: Question) -> str:
    """A valid cell for ``question`` as a bureau would write it (for the import template)."""
    if question.type in {"number"}:
        low = question.minimum if question.minimum is not None else 0
        return str(_whole(float(low)))
    if question.type == "date":
        return "31-03-2026"
    if question.type == "text":
        return "Vriendelijk geholpen."
    if question.type == "grade":
        return "8"
    if question.type == "scale5":
        return "4"
    if question.type == "yesno":
        return "1"
    codes = [option.code for option in question.options]
    if question.type == "multiple":
        return ";".join(str(code) for code in codes[:2])
    return str(codes[0]) if codes else ""


def response_template(
    definition: Definition, weighting: Mapping[str, Mapping[str, float]]
) -> tuple[list[str], list[list[str]]]:
    """The columns of a response file for this version and weighting, and one example row.

    The example passes ``check_responses``: every variable answered with a valid value.
    """
    variables = variables_of(definition)
    columns = [EXTERNAL_ID, *variables, *weighting]
    row = [
        "R-0001",
        *(example_answer(question) for question in variables.values()),
        *(next(iter(shares), "") for shares in weighting.values()),
    ]
    return columns, [row]
