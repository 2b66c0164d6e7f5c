"""Exports of a wave's completed responses: CSV, XLSX and SPSS .sav, streamed in chunks.

Each row is one completed response with:

* ``RESPONDENT`` — a sequence number (1, 2, ...), never the database id;
* ``COMPLETED`` — the day it was completed (no time); ``CHANNEL``; ``LANGUAGE``;
* ``WEIGHT`` — the weight the results use (raking to the wave's population shares, or the
  weights delivered with imported responses; empty when the results are unweighted);
* ``sample_<name>`` — the background variables from the sample (only what weighting needs);
* every variable code of the questionnaire version, with its answer as stored (98 don't know,
  99 not applicable; in .sav declared as user-missing values with value labels); a
  multiple-choice question as its codes in one cell (``1;3``) plus one 0/1 variable per option.

Never in an export: tokens, e-mail or postal addresses, names, database ids, who entered a paper
form. Responses are read ``CHUNK`` at a time (ids in order) and handed to the export kit
(``core.exports``) as they come, so memory stays bounded whatever the size of the wave. This
module is the surveys' export kind (``RESPONSES``): what the rows are and how to read them; the
kit writes the files, runs the job, audits and serves the download.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import IO, Any, Literal

import numpy as np
import numpy.typing as npt
from django.db.models import F, Func, IntegerField, Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from burgerlink.core.exports import Column, ExportKind, PreparedExport, open_writer, write_table
from burgerlink.core.exports.sav import valid_name
from burgerlink.core.models import Export
from burgerlink.core.permissions import Perm
from burgerlink.surveys.models import Answer, ResponseChannel, ResponseStatus, Wave
from burgerlink.surveys.results.dataset import (
    background_categories,
    backgrounds,
    wave_catalogue,
    wave_weights,
    weighting_targets,
)
from burgerlink.surveys.results.pivot import IntArray, pivot
from burgerlink.surveys.results.selectors import (
    SampleColumn,
    completed,
    completed_ids,
    numeric_answers,
    raw_rows,
    sample_values,
)
from burgerlink.surveys.results.variables import Catalogue, ChoiceQuestion, Variable

CHUNK = 10_000
MIN_TEXT_WIDTH = 8
RESPONSES = "surveys.responses"
SHEET = "Antwoorden"
Source = tuple[str, ...]
"""Where a column's values come from: ("sequence",), ("number", code), ("choice", code, option)."""
CHANNEL_CODES = {channel.value: position for position, channel in enumerate(ResponseChannel, 1)}


class OctetLength(Func):
    """Length of a text in bytes (UTF-8)."""

    function = "OCTET_LENGTH"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """SQLite: the length of the text as a blob."""
        return super().as_sql(
            compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))", **extra
        )


def _measure(variable: Variable) -> Literal["nominal", "ordinal", "scale"]:
    if variable.type in {"grade", "scale5"} or variable.kind in {"grade", "scale"}:
        return "ordinal"
    if variable.type == "number":
        return "scale"
    return "nominal"


def text_widths(wave: Wave, codes: Sequence[str]) -> dict[str, int]:
    """The longest stored text (in UTF-8 bytes) of each text variable in the wave."""
    if not codes:
        return {}
    rows = (
        Answer.objects.filter(response__in=completed(wave), code__in=list(codes))
        .exclude(text="")
        .values("code")
        .annotate(longest=Max(OctetLength(F("text"))))
    )
    return {row["code"]: int(row["longest"] or 0) for row in rows}


def export_columns(
    cat: Catalogue,
    sample_names: Sequence[str],
    widths: dict[str, int],
    *,
    language: str = "nl",
) -> list[tuple[Column, Source]]:
    """The export's columns and their sources: response facts, sample background, variables."""
    channel_labels = tuple(
        (float(code), str(ResponseChannel(value).label)) for value, code in CHANNEL_CODES.items()
    )
    columns: list[tuple[Column, Source]] = [
        (
            Column("RESPONDENT", "Volgnummer van de respons", "number", measure="scale"),
            ("sequence",),
        ),
        (Column("COMPLETED", "Ingevuld op (dag)", "date"), ("completed",)),
        (Column("CHANNEL", "Kanaal", "number", value_labels=channel_labels), ("channel",)),
        (Column("LANGUAGE", "Taal van de vragenlijst", "text", width=5), ("language",)),
        (Column("WEIGHT", "Weegfactor", "number", measure="scale", decimals=4), ("weight",)),
    ]
    taken = {column.name.upper() for column, _source in columns}
    taken |= {variable.code.upper() for variable in cat.variables}
    taken |= {question.code.upper() for question in cat.multiple}
    for name in sample_names:
        export_name = valid_name(f"sample_{name}")
        while export_name.upper() in taken:
            export_name += "_"
        taken.add(export_name.upper())
        columns.append(
            (
                Column(export_name, f"Achtergrond uit de steekproef: {name}", "text", width=60),
                ("sample", name),
            )
        )
    multiple = {question.code: question for question in cat.multiple}
    emitted: set[str] = set()
    for variable in _in_order(cat):
        if isinstance(variable, ChoiceQuestion):
            columns += _choice_columns(variable, widths, taken, language)
            continue
        if variable.code in emitted or variable.code in multiple:
            continue
        emitted.add(variable.code)
        label = variable.label(language)
        if variable.storage == "number":
            number = Column(
                variable.code,
                label,
                "number",
                value_labels=tuple(
                    (float(code), text.get(language)) for code, text in variable.value_labels
                ),
                missing=tuple(float(code) for code in variable.missing_codes),
                measure=_measure(variable),
                decimals=2 if variable.type == "number" else 0,
            )
            columns.append((number, ("number", variable.code)))
        elif variable.type == "date":
            columns.append((Column(variable.code, label, "date"), ("date", variable.code)))
        else:
            width = max(MIN_TEXT_WIDTH, widths.get(variable.code, 0))
            columns.append(
                (Column(variable.code, label, "text", width=width), ("text", variable.code))
            )
    return columns


def _in_order(cat: Catalogue) -> list[Variable | ChoiceQuestion]:
    """Variables and multiple-choice questions in questionnaire order."""
    positions = cat.question_order
    keyed: list[tuple[int, int, Variable | ChoiceQuestion]] = [
        (positions.get(variable.question, 0), sequence, variable)
        for sequence, variable in enumerate(cat.variables)
    ]
    keyed += [(positions.get(question.code, 0), -1, question) for question in cat.multiple]
    return [item for _position, _sequence, item in sorted(keyed, key=lambda k: (k[0], k[1]))]


def _choice_columns(
    question: ChoiceQuestion, widths: dict[str, int], taken: set[str], language: str
) -> list[tuple[Column, Source]]:
    width = max(MIN_TEXT_WIDTH, 4 * len(question.options))
    columns: list[tuple[Column, Source]] = [
        (
            Column(question.code, question.text.get(language), "text", width=width),
            ("choices", question.code),
        )
    ]
    for code, label in question.options:
        name = question.dummy(code)
        while name.upper() in taken:
            name += "_"
        taken.add(name.upper())
        dummy = Column(
            name,
            f"{question.text.get(language)}: {label.get(language)}"[:250],
            "number",
            value_labels=((0.0, "Niet gekozen"), (1.0, "Gekozen")),
        )
        columns.append((dummy, ("choice", question.code, str(code))))
    return columns


@dataclass
class ExportPlan:
    """Everything needed to stream one wave: ids, weights, columns."""

    wave: Wave
    catalogue: Catalogue
    response_ids: IntArray
    weights: npt.NDArray[np.float64] | None
    columns: list[Column]
    sources: list[Source]
    sample: dict[str, SampleColumn] = field(default_factory=dict)


def plan_export(wave: Wave, cat: Catalogue, *, language: str = "nl") -> ExportPlan:
    """Fix the responses (ids now), read their sample background, compute weights and columns."""
    ids = completed_ids(wave)
    categories, _labels = background_categories(wave, cat)
    sample_names = sorted(_sample_names(wave))
    sample = sample_values(wave, sorted(set(sample_names) | set(categories)), ids)
    found = backgrounds(wave, cat, ids, sample=sample)
    weights = wave_weights(wave, ids, found)
    text_codes = [v.code for v in cat.variables if v.storage == "text" and v.type != "date"]
    widths = text_widths(wave, text_codes)
    pairs = export_columns(cat, sample_names, widths, language=language)
    columns = [column for column, _source in pairs]
    sources = [source for _column, source in pairs]
    return ExportPlan(wave, cat, ids, weights.weights, columns, sources, sample)


def _sample_names(wave: Wave) -> set[str]:
    names = set(weighting_targets(wave))
    rows = completed(wave).exclude(background={}).values_list("background", flat=True)
    for background in rows[:1000]:
        if isinstance(background, dict):
            names |= {str(name) for name in background}
    return names


def iter_chunks(plan: ExportPlan, size: int = CHUNK) -> Iterator[list[Any]]:
    """Yield the export's columns chunk by chunk (one list per column, ``size`` rows)."""
    wave, cat = plan.wave, plan.catalogue
    index = cat.index
    text_codes = [v.code for v in cat.variables if v.storage == "text"]
    choice_codes = [question.code for question in cat.multiple]
    local = timezone.get_current_timezone()
    for start in range(0, plan.response_ids.size, size):
        ids = plan.response_ids[start : start + size]
        lo, hi = int(ids[0]), int(ids[-1])
        meta = {
            row[0]: row[1:]
            for chunk in raw_rows(
                completed(wave)
                .filter(id__gte=lo, id__lte=hi)
                .values_list("id", "completed_at", "channel", "language")
            )
            for row in chunk
        }
        numbers = pivot(ids, numeric_answers(wave, index, id_range=(lo, hi)), len(cat.numeric))
        texts: dict[str, dict[int, str]] = {code: {} for code in text_codes}
        choices: dict[str, dict[int, list[int]]] = {code: {} for code in choice_codes}
        if text_codes or choice_codes:
            rows = Answer.objects.filter(
                response__wave_id=wave.pk,
                response__status=ResponseStatus.COMPLETED,
                response_id__gte=lo,
                response_id__lte=hi,
                response__id__gte=lo,
                response__id__lte=hi,
                code__in=text_codes + choice_codes,
            ).values_list("response_id", "code", "text", "choices")
            for chunk in raw_rows(rows):
                for response_id, code, text, chosen in chunk:
                    if code in texts and text:
                        texts[code][response_id] = text
                    elif code in choices and chosen:
                        parsed = json.loads(chosen) if isinstance(chosen, str) else chosen
                        if isinstance(parsed, list):
                            choices[code][response_id] = [int(c) for c in parsed if _is_int(c)]
        id_list = ids.tolist()
        facts = [meta.get(response_id, (None, "", "")) for response_id in id_list]
        out: list[Any] = []
        for source in plan.sources:
            kind = source[0]
            if kind == "sequence":
                out.append(np.arange(start + 1, start + 1 + ids.size, dtype=np.float64))
            elif kind == "completed":
                out.append(
                    [None if moment is None else _day(moment, local) for moment, *_rest in facts]
                )
            elif kind == "channel":
                out.append(
                    np.array(
                        [float(CHANNEL_CODES.get(channel, np.nan)) for _m, channel, *_r in facts],
                        dtype=np.float64,
                    )
                )
            elif kind == "language":
                out.append([language for _m, _c, language in facts])
            elif kind == "weight":
                out.append(
                    np.full(ids.size, np.nan)
                    if plan.weights is None
                    else plan.weights[start : start + ids.size]
                )
            elif kind == "sample":
                column_values = plan.sample.get(source[1])
                out.append(
                    [None] * ids.size
                    if column_values is None
                    else column_values.value_at(start, start + ids.size)
                )
            elif kind == "number":
                out.append(numbers[:, index[source[1]]])
            elif kind == "text":
                found = texts.get(source[1], {})
                out.append([found.get(response_id) for response_id in id_list])
            elif kind == "date":
                found = texts.get(source[1], {})
                out.append([_date_value(found.get(response_id)) for response_id in id_list])
            elif kind == "choices":
                found_choices = choices.get(source[1], {})
                out.append(
                    [
                        ";".join(str(c) for c in found_choices[response_id])
                        if response_id in found_choices
                        else None
                        for response_id in id_list
                    ]
                )
            else:  # one option of a multiple-choice question
                found_choices = choices.get(source[1], {})
                option = int(source[2])
                answered = [response_id in found_choices for response_id in id_list]
                out.append(
                    np.array(
                        [
                            (1.0 if option in found_choices[response_id] else 0.0)
                            if was
                            else np.nan
                            for response_id, was in zip(id_list, answered, strict=True)
                        ],
                        dtype=np.float64,
                    )
                )
        yield out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _day(moment: Any, local: Any) -> date:
    if isinstance(moment, str):
        parsed = parse_datetime(moment)
        if parsed is None:
            return date.fromisoformat(moment[:10])
        moment = parsed
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return timezone.localtime(moment, local).date()


def _date_value(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- the export kind ---------------------------------------------------------------------------


def write_export(
    plan: ExportPlan,
    file_format: str,
    stream: IO[bytes],
    *,
    progress: Callable[[int], None] = lambda _done: None,
    label: str = "",
    chunk: int = CHUNK,
) -> int:
    """Stream the whole export into ``stream`` with the kit's writers; report rows done."""
    writer = open_writer(file_format, stream, plan.columns, title=label, sheet=SHEET)
    return write_table(writer, iter_chunks(plan, chunk), progress=progress)


def _wave_of(export: Export) -> Wave:
    """The wave an export is of (``subject`` is its id), in the export's organisation."""
    return Wave.objects.select_related("survey", "version", "organisation").get(
        pk=int(export.subject), organisation_id=export.organisation_id
    )


def _count(export: Export) -> int:
    return completed(_wave_of(export)).count()


def _prepare(export: Export) -> PreparedExport:
    wave = _wave_of(export)
    plan = plan_export(wave, wave_catalogue(wave), language=export.language or "nl")
    return PreparedExport(
        columns=plan.columns,
        chunks=iter_chunks(plan),
        rows=int(plan.response_ids.size),
        title=f"{wave.survey.title} – {wave.name}"[:64],
        sheet=SHEET,
    )


def _describe(export: Export) -> str:
    wave = Wave.objects.filter(pk=int(export.subject), organisation_id=export.organisation_id)
    found = wave.select_related("survey").first()
    return f"meting {export.subject}" if found is None else str(found)


def _file_stem(export: Export) -> str:
    return f"meting-{export.subject}"


KIND = ExportKind(
    name=RESPONSES,
    permission=Perm.EXPORT_SURVEY_RESPONSES,
    count=_count,
    prepare=_prepare,
    describe=_describe,
    file_stem=_file_stem,
    audit_action="survey.export",
    rows_word="responsen",
    empty_message=_("Deze meting heeft nog geen ingevulde vragenlijsten."),
)
"""Response-level exports of one wave (``subject``: the wave's id); registered by the app."""
