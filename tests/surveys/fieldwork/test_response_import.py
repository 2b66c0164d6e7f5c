"""Responses from a fieldwork bureau: variable codes as columns, every value checked, idempotent."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from burgerlink.core.files import ImportRejectedError
from burgerlink.core.models import AuditEvent, User
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import Answer, Response, ResponseChannel, ResponseStatus, Wave
from tests.surveys.fieldwork.conftest import csv_file

GOOD = (
    "external_id;OVERALL;CHANNEL;CHANNELS_USED;ASP_SPEED;ASP_CLEAR;WAIT_DAYS;CONTACT_DATE;"
    "GOT_NEEDED;REMARKS;age_group\n"
    "R1;8;1;1,3;4;5;12;2026-02-03;1;Snel geholpen;18-34\n"
    "R2;6;2;;3;;2,5;03-02-2026;0;;65+\n"
    "R3;98;;2;;;;;;;\n"
)


def answers_of(response: Response) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for answer in response.answers.all():
        result[answer.code] = (
            answer.choices if answer.choices is not None else answer.text or answer.number
        )
    return result


def rejected(wave: Wave, content: str) -> ImportRejectedError:
    with pytest.raises(ImportRejectedError) as caught:
        services.import_responses(wave, csv_file(content), filename="bureau.csv", by=None)
    assert not Response.objects.filter(wave=wave, channel=ResponseChannel.IMPORT).exists()
    return caught.value


def test_a_good_csv_creates_completed_responses_in_long_format(
    wave: Wave, bram_researcher: User
) -> None:
    result = services.import_responses(
        wave, csv_file(GOOD), filename="bureau.csv", by=bram_researcher
    )
    assert (result.created, result.already_present, result.file_format) == (3, 0, "csv")
    first = Response.objects.get(wave=wave, external_id="R1")
    assert first.status == ResponseStatus.COMPLETED
    assert first.channel == ResponseChannel.IMPORT
    assert first.version_id == wave.version_id
    assert first.organisation_id == wave.organisation_id
    assert first.completed_at is not None
    assert first.background == {"age_group": "18-34"}
    assert answers_of(first) == {
        "OVERALL": 8.0,
        "CHANNEL": 1.0,
        "CHANNELS_USED": [1, 3],
        "ASP_SPEED": 4.0,
        "ASP_CLEAR": 5.0,
        "WAIT_DAYS": 12.0,
        "CONTACT_DATE": "2026-02-03",
        "GOT_NEEDED": 1.0,
        "REMARKS": "Snel geholpen",
    }
    second = answers_of(Response.objects.get(wave=wave, external_id="R2"))
    assert second["WAIT_DAYS"] == 2.5  # a Dutch decimal comma
    assert second["CONTACT_DATE"] == "2026-02-03"  # a Dutch date
    assert second["GOT_NEEDED"] == 0.0
    assert "ASP_CLEAR" not in second  # empty: not answered
    assert answers_of(Response.objects.get(wave=wave, external_id="R3")) == {
        "OVERALL": 98.0,  # don't know
        "CHANNELS_USED": [2],
    }
    event = AuditEvent.objects.get(action="surveys.responses.import")
    assert event.actor == bram_researcher and "3" in event.summary


def test_importing_the_same_file_twice_stores_it_once(wave: Wave) -> None:
    services.import_responses(wave, csv_file(GOOD), filename="bureau.csv", by=None)
    again = services.import_responses(wave, csv_file(GOOD), filename="bureau.csv", by=None)
    assert (again.created, again.already_present) == (0, 3)
    more = GOOD + "R4;7;;;;;;;;;\n"
    assert services.import_responses(wave, csv_file(more), by=None).created == 1
    assert Response.objects.filter(wave=wave).count() == 4
    assert Answer.objects.filter(response__wave=wave, code="OVERALL").count() == 4


def test_unknown_columns_are_listed_and_nothing_is_stored(wave: Wave) -> None:
    error = rejected(wave, "OVERALL;Q99;naam\n7;1;Anna\n")
    [problem] = error.problems
    assert problem.column == "q99, naam"
    assert "q99, naam" in problem.message


def test_missing_required_codes_are_listed(wave: Wave) -> None:
    error = rejected(wave, "CHANNEL;REMARKS\n1;prima\n")
    [problem] = error.problems
    assert problem.column == "OVERALL"
    assert "verplichte" in problem.message


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("11;;;;;;", "overall", "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 98"),
        ("acht;;;;;;", "overall", "antwoordcode"),
        ("7;4;;;;;", "channel", "1, 2, 3"),
        ("7;;1 4;;;;", "channels_used", "puntkomma"),
        ("7;;;6;;;", "asp_speed", "1, 2, 3, 4, 5"),
        ("7;;;;400;;", "wait_days", "groter dan 365"),
        ("7;;;;-1;;", "wait_days", "kleiner dan 0"),
        ("7;;;;;31-02-2026;", "contact_date", "datum"),
        ("7;;;;;;2", "got_needed", "0, 1"),
    ],
)
def test_a_bad_value_names_row_and_column(wave: Wave, row: str, column: str, fragment: str) -> None:
    header = "OVERALL;CHANNEL;CHANNELS_USED;ASP_SPEED;WAIT_DAYS;CONTACT_DATE;GOT_NEEDED\n"
    # Rows 2 and 4 are good; row 3 carries the bad value: nothing is stored at all.
    error = rejected(wave, header + "7;;;;;;\n" + row + "\n8;;;;;;\n")
    assert [(p.row, p.column) for p in error.problems] == [(3, column)]
    assert fragment in error.problems[0].message


def test_background_values_must_be_categories_and_ids_unique(wave: Wave) -> None:
    error = rejected(
        wave, "external_id;OVERALL;district\nA;7;noord\nA;8;zuid\nB;6;oost\nC;;noord\n"
    )
    assert [(p.row, p.column) for p in error.problems] == [
        (3, "external_id"),
        (4, "district"),
        (5, ""),
    ]
    assert "rij 2" in error.problems[0].message
    assert "geen enkel antwoord" in error.problems[2].message


def test_a_row_with_too_many_cells_is_named(wave: Wave) -> None:
    error = rejected(wave, "OVERALL;CHANNEL\n7;1\n8;2;3\n")
    assert [(p.row, p.column) for p in error.problems] == [(3, "")]
    assert "3 kolommen" in error.problems[0].message


def test_a_file_with_only_a_header_or_no_text_is_refused(wave: Wave) -> None:
    assert "alleen kolomnamen" in rejected(wave, "OVERALL\n").problems[0].message
    assert "leeg" in rejected(wave, "").problems[0].message


def test_what_was_stored_before_survives_a_refused_file(wave: Wave) -> None:
    services.import_responses(wave, csv_file(GOOD), by=None)
    with pytest.raises(ImportRejectedError):
        services.import_responses(wave, csv_file("external_id;OVERALL\nR9;12\n"), by=None)
    assert Response.objects.filter(wave=wave).count() == 3


def sav_file(frame: Any) -> io.BytesIO:
    import pyreadstat

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bureau.sav"
        pyreadstat.write_sav(frame, str(path))
        return io.BytesIO(path.read_bytes())


def test_an_spss_file_is_read_with_the_same_checks(wave: Wave) -> None:
    import pandas  # a development dependency (through statsmodels): writes the test file

    frame = pandas.DataFrame(
        {
            "external_id": ["S1", "S2"],
            "OVERALL": [9.0, float("nan")],
            "CHANNEL": [3.0, 2.0],
            "CHANNELS_USED": ["1;2", ""],
            "CONTACT_DATE": [date(2026, 1, 15), None],
            "REMARKS": ["Vriendelijk", ""],
            "district": ["zuid", ""],
        }
    )
    frame["CONTACT_DATE"] = frame["CONTACT_DATE"].astype("object")
    result = services.import_responses(wave, sav_file(frame), filename="bureau.sav", by=None)
    assert (result.created, result.file_format) == (2, "sav")
    first = Response.objects.get(wave=wave, external_id="S1")
    assert answers_of(first) == {
        "OVERALL": 9.0,
        "CHANNEL": 3.0,
        "CHANNELS_USED": [1, 2],
        "CONTACT_DATE": "2026-01-15",
        "REMARKS": "Vriendelijk",
    }
    assert first.background == {"district": "zuid"}
    assert answers_of(Response.objects.get(wave=wave, external_id="S2")) == {"CHANNEL": 2.0}

    frame.loc[1, "CHANNEL"] = 7.0
    with pytest.raises(ImportRejectedError) as caught:
        services.import_responses(wave, sav_file(frame.iloc[1:]), filename="b.sav", by=None)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "CHANNEL")]


def test_a_broken_spss_file_is_refused(wave: Wave) -> None:
    with pytest.raises(ImportRejectedError, match="SPSS"):
        services.import_responses(wave, io.BytesIO(b"$FL2 not really"), filename="x.sav", by=None)


def test_stray_control_characters_leave_open_answers(wave: Wave) -> None:
    filler = "y" * 200
    content = f"OVERALL;REMARKS\n7;Prima\x01 geholpen\x0b {filler}\n"
    services.import_responses(wave, csv_file(content), by=None)
    answer = Answer.objects.get(response__wave=wave, code="REMARKS")
    assert answer.text == f"Prima geholpen {filler}"
