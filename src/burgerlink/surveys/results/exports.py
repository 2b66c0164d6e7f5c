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
form. Responses are read ``CHUNK`` at a time (ids in order) and written as they come, so memory
stays bounded whatever the size of the wave.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import IO, Any, BinaryIO, Literal, Protocol, cast

import numpy as np
import numpy.typing as npt
from django.db.models import F, Func, IntegerField, Max
from django.utils import timezone

from burgerlink.surveys.models import Answer, ResponseChannel, ResponseStatus, Wave
from burgerlink.surveys.results.pivot import IntArray, pivot
from burgerlink.surveys.results.sav import (
    SPSS_EPOCH,
    SavVariable,
    SavWriter,
    spss_date,
    valid_name,
)
from burgerlink.surveys.results.selectors import (
    SampleColumn,
    background_categories,
    backgrounds,
    completed,
    completed_ids,
    numeric_answers,
    raw_rows,
    sample_values,
    wave_weights,
    weighting_targets,
)
from burgerlink.surveys.results.variables import Catalogue, ChoiceQuestion, Variable

CHUNK = 10_000
XLSX_MAX_ROWS = 1_048_575
MIN_TEXT_WIDTH = 8
ColumnKind = Literal["number", "text", "date"]
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


@dataclass(frozen=True)
class Column:
    """One column of the export and how to describe it in each format."""

    name: str
    label: str
    kind: ColumnKind
    source: tuple[str, ...]
    value_labels: tuple[tuple[float, str], ...] = ()
    missing: tuple[float, ...] = ()
    measure: Literal["nominal", "ordinal", "scale"] = "nominal"
    width: int = 0
    decimals: int = 0

    def sav(self) -> SavVariable:
        """The column as a .sav variable."""
        if self.kind == "text":
            return SavVariable(
                self.name,
                self.label,
                width=max(1, self.width),
                display_width=min(max(self.width, 8), 40),
            )
        return SavVariable(
            self.name,
            self.label,
            decimals=self.decimals,
            format="DATE" if self.kind == "date" else "F",
            value_labels=self.value_labels,
            missing=self.missing,
            measure="scale" if self.kind == "date" else self.measure,
            display_width=11 if self.kind == "date" else 8,
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
) -> list[Column]:
    """The export's columns: response facts, sample background, then every variable."""
    channel_labels = tuple(
        (float(code), str(ResponseChannel(value).label)) for value, code in CHANNEL_CODES.items()
    )
    columns = [
        Column("RESPONDENT", "Volgnummer van de respons", "number", ("sequence",), measure="scale"),
        Column("COMPLETED", "Ingevuld op (dag)", "date", ("completed",)),
        Column("CHANNEL", "Kanaal", "number", ("channel",), value_labels=channel_labels),
        Column("LANGUAGE", "Taal van de vragenlijst", "text", ("language",), width=5),
        Column("WEIGHT", "Weegfactor", "number", ("weight",), measure="scale", decimals=4),
    ]
    taken = {column.name.upper() for column in columns}
    taken |= {variable.code.upper() for variable in cat.variables}
    taken |= {question.code.upper() for question in cat.multiple}
    for name in sample_names:
        export_name = valid_name(f"sample_{name}")
        while export_name.upper() in taken:
            export_name += "_"
        taken.add(export_name.upper())
        columns.append(
            Column(
                export_name,
                f"Achtergrond uit de steekproef: {name}",
                "text",
                ("sample", name),
                width=60,
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
            columns.append(
                Column(
                    variable.code,
                    label,
                    "number",
                    ("number", variable.code),
                    value_labels=tuple(
                        (float(code), text.get(language)) for code, text in variable.value_labels
                    ),
                    missing=tuple(float(code) for code in variable.missing_codes),
                    measure=_measure(variable),
                    decimals=2 if variable.type == "number" else 0,
                )
            )
        elif variable.type == "date":
            columns.append(Column(variable.code, label, "date", ("date", variable.code)))
        else:
            width = max(MIN_TEXT_WIDTH, widths.get(variable.code, 0))
            columns.append(
                Column(variable.code, label, "text", ("text", variable.code), width=width)
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
) -> list[Column]:
    columns = [
        Column(
            question.code,
            question.text.get(language),
            "text",
            ("choices", question.code),
            width=max(MIN_TEXT_WIDTH, 4 * len(question.options)),
        )
    ]
    for code, label in question.options:
        name = question.dummy(code)
        while name.upper() in taken:
            name += "_"
        taken.add(name.upper())
        columns.append(
            Column(
                name,
                f"{question.text.get(language)}: {label.get(language)}"[:250],
                "number",
                ("choice", question.code, str(code)),
                value_labels=((0.0, "Niet gekozen"), (1.0, "Gekozen")),
            )
        )
    return columns


@dataclass
class ExportPlan:
    """Everything needed to stream one wave: ids, weights, columns."""

    wave: Wave
    catalogue: Catalogue
    response_ids: IntArray
    weights: npt.NDArray[np.float64] | None
    columns: list[Column]
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
    columns = export_columns(cat, sample_names, widths, language=language)
    return ExportPlan(wave, cat, ids, weights.weights, columns, sample)


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
        for column in plan.columns:
            source = column.source
            kind = source[0]
            if kind == "sequence":
                out.append(np.arange(start + 1, start + 1 + ids.size, dtype=np.float64))
            elif kind == "completed":
                out.append(
                    np.array(
                        [
                            np.nan if moment is None else spss_date(_day(moment, local))
                            for moment, *_rest in facts
                        ],
                        dtype=np.float64,
                    )
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
                out.append(
                    np.array(
                        [_date_number(found.get(response_id)) for response_id in id_list],
                        dtype=np.float64,
                    )
                )
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
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(moment)
        if parsed is None:
            return date.fromisoformat(moment[:10])
        moment = parsed
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return timezone.localtime(moment, local).date()


def _date_number(value: str | None) -> float:
    if not value:
        return math.nan
    try:
        return spss_date(date.fromisoformat(value[:10]))
    except ValueError:
        return math.nan


# --- writers -----------------------------------------------------------------------------------


class Sink(Protocol):
    """Where the chunks go."""

    def write(self, columns: list[Sequence[Any]]) -> None:
        """Append one chunk."""
        ...

    def close(self) -> None:
        """Finish the file."""
        ...


def _cell(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if column.kind == "date":
            return date.fromordinal(SPSS_EPOCH.toordinal() + int(value // 86400))
        return int(value) if value.is_integer() and column.decimals == 0 else value
    return value


def _rows(columns: list[Column], chunk: list[Sequence[Any]]) -> Iterator[list[Any]]:
    lists = [
        column_values.tolist() if isinstance(column_values, np.ndarray) else list(column_values)
        for column_values in chunk
    ]
    for values in zip(*lists, strict=True):
        yield [_cell(value, column) for value, column in zip(values, columns, strict=True)]


class CsvSink:
    """CSV with a header of variable names, UTF-8 with a byte-order mark (for Excel)."""

    def __init__(self, stream: IO[bytes], columns: list[Column]) -> None:
        """Write the header."""
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text)
        self.columns = columns
        self.writer.writerow([column.name for column in columns])

    def write(self, columns: list[Sequence[Any]]) -> None:
        """Append one chunk."""
        for row in _rows(self.columns, columns):
            self.writer.writerow(
                [
                    "" if value is None else value.isoformat() if isinstance(value, date) else value
                    for value in row
                ]
            )

    def close(self) -> None:
        """Flush (the underlying file stays open)."""
        self.text.flush()
        self.text.detach()


class XlsxSink:
    """An Excel workbook in openpyxl's write-only (streaming) mode, with a codebook sheet."""

    def __init__(self, stream: IO[bytes], columns: list[Column]) -> None:
        """Start the answers sheet with its header."""
        from openpyxl import Workbook

        self.stream = stream
        self.columns = columns
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("Antwoorden")
        self.sheet.append([column.name for column in columns])

    def write(self, columns: list[Sequence[Any]]) -> None:
        """Append one chunk."""
        for row in _rows(self.columns, columns):
            self.sheet.append(row)

    def close(self) -> None:
        """Add the codebook and save."""
        codebook = self.book.create_sheet("Variabelen")
        codebook.append(["Variabele", "Omschrijving", "Waarden"])
        for column in self.columns:
            values = "; ".join(f"{value:g} = {label}" for value, label in column.value_labels)
            codebook.append([column.name, column.label, values])
        self.book.save(self.stream)


class SavSink:
    """An SPSS system file with variable and value labels (``sav.SavWriter``)."""

    def __init__(self, stream: IO[bytes], columns: list[Column], *, file_label: str = "") -> None:
        """Write the dictionary."""
        self.writer = SavWriter(
            cast(BinaryIO, stream), [column.sav() for column in columns], file_label=file_label
        )

    def write(self, columns: list[Sequence[Any]]) -> None:
        """Append one chunk of cases."""
        self.writer.write_chunk(columns)

    def close(self) -> None:
        """Patch the case count."""
        self.writer.close()


def open_sink(
    file_format: str, stream: IO[bytes], columns: list[Column], *, label: str = ""
) -> Sink:
    """The writer for a format: ``csv``, ``xlsx`` or ``sav``."""
    if file_format == "csv":
        return CsvSink(stream, columns)
    if file_format == "xlsx":
        return XlsxSink(stream, columns)
    if file_format == "sav":
        return SavSink(stream, columns, file_label=label)
    raise ValueError(f"unknown export format {file_format!r}")


def write_export(
    plan: ExportPlan,
    file_format: str,
    stream: IO[bytes],
    *,
    progress: Callable[[int], None] = lambda _done: None,
    label: str = "",
    chunk: int = CHUNK,
) -> int:
    """Stream the whole export into ``stream``; report rows done after each chunk."""
    if file_format == "xlsx" and plan.response_ids.size > XLSX_MAX_ROWS:
        raise ValueError("too many responses for one Excel sheet")
    sink = open_sink(file_format, stream, plan.columns, label=label)
    done = 0
    for columns in iter_chunks(plan, chunk):
        sink.write(columns)
        done += len(columns[0]) if columns else 0
        progress(done)
    sink.close()
    return done
