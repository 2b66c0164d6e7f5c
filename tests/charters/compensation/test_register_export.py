"""The register's export: what the filter on the page shows, as CSV or Excel, through the kit."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from burgerlink.charters.models import CharterNorm, CompensationEntry, EntryStatus
from burgerlink.core.models import AuditEvent, Export, ExportStatus, User
from tests.charters.compensation.test_register_page import STAFF, entries_for, register, shown
from tests.conftest import client_for

__all__ = ["register"]  # the fixture, used by name

EXPORT = f"{STAFF}exporteren/"


def request(user: User, file_format: str, query: str = "") -> Export:
    """Press the export button of the register page as it shows ``query``."""
    response = client_for(user).post(EXPORT, {"formaat": file_format, "filter": query})
    assert response.status_code == 302
    assert response["Location"].endswith("#exports")
    return Export.objects.filter(organisation__slug="amstelstad").latest("id")


def download(user: User, export: Export) -> bytes:
    """The export's file, as its download link gives it."""
    response = client_for(user).get(f"{STAFF}exports/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV export (UTF-8 with BOM)."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_export_holds_what_the_filter_shows_in_the_pages_order(
    kees_quality: User, register: None
) -> None:
    client = client_for(kees_quality)
    query = "status=owed&min=25&sorteer=kenmerk"
    on_page = shown(client, status="owed", min="25", sorteer="kenmerk")
    export = request(kees_quality, "csv", query)
    assert export.status == ExportStatus.DONE
    assert export.rows_total == export.rows_done == len(on_page) == 5
    rows = csv_rows(download(kees_quality, export))
    assert [row["kenmerk"] for row in rows] == on_page
    first = rows[0]
    assert first["norm_code"] == "complaint"
    assert first["te_laat"] == "3"
    assert first["eenheid"] == "werkdagen"
    assert first["bedrag"] == "25.00"
    assert first["status"] == "verschuldigd"
    assert first["soort"] == "zaak"
    assert first["ontvangen"].startswith("2025-02-03")


def test_the_whole_register_without_a_filter(kees_quality: User, register: None) -> None:
    export = request(kees_quality, "csv")
    assert len(csv_rows(download(kees_quality, export))) == 14


def test_an_excel_export_of_the_register(kees_quality: User, register: None) -> None:
    export = request(kees_quality, "xlsx", "norm=permit")
    book = load_workbook(io.BytesIO(download(kees_quality, export)), read_only=True)
    sheet = book.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "kenmerk"
    assert sorted(row[0] for row in values[1:]) == ["Z-00000", "Z-00001"]
    amounts = {row[9] for row in values[1:]}
    assert amounts == {1442}  # a number cell, not text


def test_the_request_and_every_download_are_audited(kees_quality: User, register: None) -> None:
    export = request(kees_quality, "csv", "status=paid")
    download(kees_quality, export)
    download(kees_quality, export)
    actions = list(
        AuditEvent.objects.filter(action__startswith="compensation.export")
        .order_by("id")
        .values_list("action", "summary")
    )
    assert [action for action, _summary in actions] == [
        "compensation.export.request",
        "compensation.export.download",
        "compensation.export.download",
    ]
    assert "status=paid" in actions[0][1]


def test_formulas_in_a_reason_are_neutralised(
    kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    (entry,) = entries_for(norms["complaint"], 1, prefix="=1+1", amount=Decimal("25.00"))
    CompensationEntry.objects.filter(pk=entry.pk).update(
        status=EntryStatus.DECLINED, decline_reason='=HYPERLINK("https://kwaad.example")'
    )
    rows = csv_rows(download(kees_quality, request(kees_quality, "csv")))
    assert rows[0]["kenmerk"] == "'=1+1-00000"
    assert rows[0]["reden_afwijzing"] == '\'=HYPERLINK("https://kwaad.example")'


def test_an_empty_selection_is_refused_in_words(kees_quality: User, register: None) -> None:
    response = client_for(kees_quality).post(
        EXPORT, {"formaat": "csv", "filter": "zoek=bestaat-niet"}, follow=True
    )
    assert "Dit filter toont geen compensaties om te exporteren." in response.content.decode()
    assert not Export.objects.exists()
    assert client_for(kees_quality).get(EXPORT).status_code == 405


def test_the_page_offers_the_export_of_its_filter_and_lists_the_exports(
    kees_quality: User, register: None
) -> None:
    done = request(kees_quality, "csv", "status=paid")
    page = client_for(kees_quality).get(STAFF, {"status": "paid"}).content.decode()
    assert 'action="/medewerkers/amstelstad/compensatie/exporteren/"' in page
    assert 'name="filter" value="status=paid"' in page
    assert "2 compensaties exporteren" in page
    assert f"{STAFF}exports/{done.pk}/download/" in page
    status = client_for(kees_quality).get(f"{STAFF}exports/")
    assert status.status_code == 200
    assert status["Cache-Control"] == "no-store"
    assert f"{STAFF}exports/{done.pk}/download/" in status.content.decode()


def test_downloads_are_for_claim_handlers_of_the_organisation_only(
    kees_quality: User, carla_comms: User, henk_heidedorp: User, register: None
) -> None:
    export = request(kees_quality, "csv")
    url = f"{STAFF}exports/{export.pk}/download/"
    assert client_for(carla_comms).get(url).status_code == 403
    assert client_for(henk_heidedorp).get(url).status_code == 404
    other = f"/medewerkers/heidedorp/compensatie/exports/{export.pk}/download/"
    assert client_for(henk_heidedorp).get(other).status_code == 404
