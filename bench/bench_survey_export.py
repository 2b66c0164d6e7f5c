"""Survey export: 1,000,000 completed responses × 40 variables from PostgreSQL to SPSS .sav.

Setup (not timed): a fresh PostgreSQL database (``harness.setup_django_postgres``), one wave of
a questionnaire with 40 variables — screening (8 life events), the overall and chain grades,
four organisation grades, ten BurgerServiceCode items (good / not good / n.a.), twenty aspects
(1–5 / don't know) and three background questions — and 1,000,000 completed responses (20,000
with ``quick``) whose answers are written straight into ``surveys_answer`` with ``COPY`` (about
38 answers per response: organisation grades are asked only of some). The wave has population
shares for the three background variables, so the export's weights come from raking.

* candidate: what the background task does for an export to .sav (the export kit's
  ``core.exports.jobs.run_export`` with the surveys' export kind):
  fix the response ids, compute the wave's weights (background of every response), then read
  the answers 10,000 responses at a time (one query each), pivot them with numpy and append
  them to the file with ``core.exports.sav.SavWriter`` (dictionary with variable and value labels,
  user-missing values, then the cases), updating the export's progress after each chunk.
  Peak memory is measured with tracemalloc (Python objects and numpy buffers allocated during
  one export): it is bounded by the chunk size plus a few bytes per response for ids,
  weights and background codes — never the whole answer matrix.
* baseline: writing the same numbers (the responses × 40 matrix of doubles, already in memory)
  with ``numpy.ndarray.tofile``: the cost of putting the bytes on disk, with nothing read from
  the database. Ratio for information only (no goal): the candidate also reads 38 million rows.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from harness import Benchmark, Case, setup_django_postgres

SEED = 20261130
CHUNK_RESPONSES = 50_000
EVENTS = [f"ev{i}" for i in range(1, 9)]
AGENCIES = ["gemeente", "uwv", "belastingdienst", "toeslagen"]
BACKGROUND = {
    "age_group": {"a1": 0.3, "a2": 0.35, "a3": 0.25, "a4": 0.1},
    "sex": {"m": 0.5, "f": 0.5},
    "education": {"low": 0.3, "middle": 0.4, "high": 0.3},
}
SAMPLE_SHARES = {
    "age_group": [0.2, 0.3, 0.35, 0.15],
    "sex": [0.45, 0.55],
    "education": [0.2, 0.35, 0.45],
}


def _text(nl: str) -> dict[str, str]:
    return {"nl": nl, "en": nl}


def definition() -> dict[str, Any]:
    """A questionnaire with 40 stored variables."""
    grade = {"type": "grade", "dont_know": True}
    questions: list[dict[str, Any]] = [
        {
            "code": "SCREEN_EVENT",
            "type": "single",
            "role": "screening",
            "text": _text("Welke gebeurtenis?"),
            "options": [
                {"code": i, "label": _text(f"Gebeurtenis {i}"), "key": key}
                for i, key in enumerate(EVENTS, start=1)
            ],
        },
        {"code": "GRADE_GOV", "role": "overall", "text": _text("Cijfer overheid"), **grade},
        {"code": "GRADE_CHAIN", "role": "chain", "text": _text("Cijfer keten"), **grade},
    ]
    questions += [
        {
            "code": f"GRADE_ORG_{agency.upper()}",
            "role": "organisation",
            "key": agency,
            "text": _text(f"Cijfer {agency}"),
            **grade,
        }
        for agency in AGENCIES
    ]
    questions.append(
        {
            "code": "BSC",
            "type": "matrix",
            "not_applicable": True,
            "text": _text("BurgerServiceCode"),
            "options": [
                {"code": 1, "label": _text("Goed")},
                {"code": 0, "label": _text("Niet goed")},
            ],
            "rows": [
                {"code": f"BSC_{n}", "role": "bsc", "key": str(n), "label": _text(f"Norm {n}")}
                for n in range(1, 11)
            ],
        }
    )
    questions.append(
        {
            "code": "ASPECTS",
            "type": "matrix",
            "dont_know": True,
            "text": _text("Aspecten"),
            "options": [{"code": c, "label": _text(f"{c}")} for c in range(1, 6)],
            "rows": [
                {"code": f"ASPECT_{n}", "role": "aspect", "label": _text(f"Aspect {n}")}
                for n in range(1, 21)
            ],
        }
    )
    for name, shares in BACKGROUND.items():
        questions.append(
            {
                "code": f"BG_{name.upper()}",
                "type": "single",
                "role": "background",
                "key": name,
                "text": _text(name),
                "options": [
                    {"code": i, "label": _text(key), "key": key}
                    for i, key in enumerate(shares, start=1)
                ],
            }
        )
    return {
        "title": _text("Benchmark"),
        "pages": [{"key": "alles", "title": _text("Alles"), "questions": questions}],
    }


def variable_codes() -> list[str]:
    """The 40 variable codes in column order."""
    codes = ["SCREEN_EVENT", "GRADE_GOV", "GRADE_CHAIN"]
    codes += [f"GRADE_ORG_{agency.upper()}" for agency in AGENCIES]
    codes += [f"BSC_{n}" for n in range(1, 11)]
    codes += [f"ASPECT_{n}" for n in range(1, 21)]
    codes += [f"BG_{name.upper()}" for name in BACKGROUND]
    return codes


def generate(rng: np.random.Generator, size: int) -> tuple[np.ndarray, list[dict[str, str]]]:
    """One chunk: a (size × 40) matrix (NaN: not asked) and each response's sample background."""
    latent = 6.8 + rng.normal(0.0, 1.2, size)
    columns: list[np.ndarray] = [rng.integers(1, len(EVENTS) + 1, size).astype(np.float64)]
    columns += [np.clip(np.rint(latent + rng.normal(0, 1, size)), 1, 10) for _ in range(2)]
    for _agency in AGENCIES:
        grade = np.clip(np.rint(latent + rng.normal(0.2, 1, size)), 1, 10)
        grade[rng.random(size) < 0.4] = np.nan  # not in this respondent's chain
        columns.append(grade)
    for norm in range(10):
        good = (rng.random(size) < 1 / (1 + np.exp(-(latent - 6.5 + 0.1 * norm)))).astype(float)
        good[rng.random(size) < 0.06] = 99.0
        columns.append(good)
    for aspect in range(20):
        value = np.clip(
            np.rint(3.0 + 0.04 * aspect * (latent - 6.8) + rng.normal(0, 1, size)), 1, 5
        )
        value[rng.random(size) < 0.04] = 98.0
        columns.append(value)
    backgrounds: dict[str, np.ndarray] = {}
    for name, shares in SAMPLE_SHARES.items():
        backgrounds[name] = rng.choice(len(shares), size=size, p=shares)
        columns.append(backgrounds[name].astype(np.float64) + 1)
    keys = {name: list(shares) for name, shares in BACKGROUND.items()}
    sample = [
        {name: keys[name][int(backgrounds[name][i])] for name in BACKGROUND} for i in range(size)
    ]
    return np.column_stack(columns), sample


BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)


def _binary_answers(ids: np.ndarray, code: str, values: np.ndarray) -> bytes:
    """Rows of ``surveys_answer`` in PostgreSQL's binary COPY format, built with numpy."""
    answered = ~np.isnan(values)
    raw = code.encode("ascii")
    layout = np.dtype(
        [
            ("fields", ">i2"),
            ("id_size", ">i4"),
            ("id", ">i8"),
            ("code_size", ">i4"),
            ("code", f"S{len(raw)}"),
            ("number_size", ">i4"),
            ("number", ">f8"),
            ("text_size", ">i4"),
            ("choices_size", ">i4"),
        ]
    )
    rows = np.empty(int(answered.sum()), dtype=layout)
    rows["fields"] = 5
    rows["id_size"] = 8
    rows["id"] = ids[answered]
    rows["code_size"] = len(raw)
    rows["code"] = raw
    rows["number_size"] = 8
    rows["number"] = values[answered]
    rows["text_size"] = 0  # an empty text
    rows["choices_size"] = -1  # NULL
    return rows.tobytes()


def _fill(size: int) -> tuple[Any, np.ndarray]:
    """Create the wave and COPY ``size`` responses with their answers; return wave and matrix."""
    import json
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from burgerlink.core.models import Organisation
    from burgerlink.surveys.models import (
        Questionnaire,
        QuestionnaireVersion,
        Survey,
        TemplateKind,
        VersionStatus,
        Wave,
    )

    organisation = Organisation.objects.create(
        kind="municipality", name="Gemeente Benchstad", slug="benchstad", inhabitants=150_000
    )
    questionnaire = Questionnaire.objects.create(
        organisation=organisation, code="bench", title_nl="Benchmark", kind=TemplateKind.LIFE_EVENT
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        organisation=organisation,
        number=1,
        status=VersionStatus.FIELDED,
        definition=definition(),
        fielded_at=timezone.now(),
    )
    survey = Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title="Benchmark"
    )
    now = timezone.now()
    wave = Wave.objects.create(
        survey=survey,
        organisation=organisation,
        version=version,
        name="meting",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        population_size=size * 5,
        weighting=BACKGROUND,
    )
    codes = variable_codes()
    rng = np.random.default_rng(SEED)
    matrix = np.empty((size, len(codes)))
    completed = (now - timedelta(days=40)).isoformat()
    with connection.cursor() as cursor:
        for start in range(0, size, CHUNK_RESPONSES):
            rows = min(CHUNK_RESPONSES, size - start)
            values, sample = generate(rng, rows)
            matrix[start : start + rows] = values
            ids = np.arange(start + 1, start + rows + 1)
            responses = io.StringIO()
            for i, response_id in enumerate(ids.tolist()):
                responses.write(
                    f"{response_id}\t{wave.pk}\t{organisation.pk}\t{version.pk}\tcompleted\tweb\tnl"
                    f"\t\t\t\t1\t{json.dumps(sample[i])}\t\\N\t{completed}\t{completed}\t\\N\n"
                )
            with cursor.copy(
                "COPY surveys_response (id, wave_id, organisation_id, version_id, status, channel,"
                " language, resume_key, external_id, current_page, revision, background, weight,"
                " started_at, completed_at, entered_by_id) FROM STDIN"
            ) as copy:
                copy.write(responses.getvalue())
            with cursor.copy(
                "COPY surveys_answer (response_id, code, number, text, choices)"
                " FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.write(BINARY_HEADER)
                for column, code in enumerate(codes):
                    copy.write(_binary_answers(ids, code, values[:, column]))
                copy.write(struct.pack(">h", -1))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('surveys_response', 'id'), %s)", [size]
        )
        cursor.execute("ANALYZE surveys_answer")
        cursor.execute("ANALYZE surveys_response")
    return wave, matrix


def benchmarks(quick: bool) -> Iterator[Benchmark]:
    """Yield the .sav export benchmark (1,000,000 responses; 20,000 with ``quick``)."""
    setup_django_postgres()
    from django.core.files.storage import default_storage

    from burgerlink.core.exports import jobs
    from burgerlink.core.models import Export, ExportStatus
    from burgerlink.surveys.models import Answer
    from burgerlink.surveys.results.exports import RESPONSES

    size = 20_000 if quick else 1_000_000
    wave, matrix = _fill(size)
    answers = Answer.objects.filter(response__wave=wave).count()
    scratch = Path(tempfile.mkdtemp(prefix="burgerlink-bench-export-"))
    baseline_path = scratch / "baseline.bin"
    sizes: dict[str, int] = {}

    def export_sav() -> None:
        export = Export.objects.create(
            organisation=wave.organisation,
            kind=RESPONSES,
            subject=str(wave.pk),
            file_format="sav",
            rows_total=size,
        )
        jobs.run_export(export.pk)
        export.refresh_from_db()
        if export.status != ExportStatus.DONE or export.rows_done != size:
            raise RuntimeError(f"export failed: {export.status} {export.error}")
        sizes["sav"] = default_storage.size(export.file.name)
        default_storage.delete(export.file.name)

    def tofile() -> None:
        matrix.tofile(baseline_path)
        sizes["raw"] = os.path.getsize(baseline_path)

    try:
        yield Benchmark(
            name="survey_export.sav",
            measures=(
                f"export of {size:,} completed responses × 40 variables ({answers:,} answers in "
                "PostgreSQL) to SPSS .sav with labels, streamed in chunks of 10,000 responses"
            ),
            candidate=Case("jobs.run_export(sav)", export_sav),
            baseline=Case("ndarray.tofile (same numbers)", tofile),
            rows=size,
            unit="responses",
            repeats=3 if not quick else None,
            warmup=0 if not quick else 1,
            number=1,
            memory="tracemalloc",
            notes=(
                "no goal: time and peak memory are reported; peak memory stays bounded by the "
                "chunk size plus ids, weights and background codes per response"
            ),
        )
    finally:
        baseline_path.unlink(missing_ok=True)
        scratch.rmdir()
