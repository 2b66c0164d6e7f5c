"""Import templates on the records import page: they download and import as they are."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from burgerlink.charters.models import Case, CharterVersion, Contact, Extension, Suspension
from burgerlink.charters.records.services import import_file
from burgerlink.core.models import Organisation, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=False)
PAGE = "/medewerkers/amstelstad/imports/"


def download(user: User, kind: str, fmt: str) -> bytes:
    response = client_for(user).get(f"{PAGE}voorbeeld/", {"soort": kind, "formaat": fmt})
    assert response.status_code == 200
    assert f'filename="burgerlink-{kind}.{fmt}"' in response["Content-Disposition"]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_template_imports_as_it_is(
    amstelstad: Organisation, charter: CharterVersion, kees_quality: User, fmt: str
) -> None:
    for kind in ("contacts", "cases", "suspensions", "extensions"):
        batch = import_file(
            organisation=amstelstad,
            kind=kind,
            stream=io.BytesIO(download(kees_quality, kind, fmt)),
            filename=f"voorbeeld.{fmt}",
        )
        assert batch.file_format == fmt
        assert batch.rows_total >= 1
    assert Contact.objects.count() == 2
    assert Case.objects.get().case_type == "omgevingsvergunning-regulier"
    assert Suspension.objects.count() == Extension.objects.count() == 1


def test_the_csv_template_opens_in_excel_and_the_xlsx_has_the_columns(
    amstelstad: Organisation, charter: CharterVersion, kees_quality: User
) -> None:
    csv = download(kees_quality, "contacts", "csv")
    assert csv.startswith(b"\xef\xbb\xbfsource_id,channel,received_at,handled_at,")
    sheet = load_workbook(io.BytesIO(download(kees_quality, "cases", "xlsx"))).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == [
        "source_id",
        "case_type",
        "received_at",
        "complete_at",
        "decided_at",
    ]
    # Dates are text, as written: the import reads them as Dutch dates.
    assert sheet["C2"].value == "03-03-2025"


def test_unknown_kinds_and_formats_are_404(amstelstad: Organisation, kees_quality: User) -> None:
    client = client_for(kees_quality)
    assert client.get(f"{PAGE}voorbeeld/", {"soort": "klanten"}).status_code == 404
    assert client.get(f"{PAGE}voorbeeld/", {"formaat": "pdf"}).status_code == 404


def test_the_import_page_lists_channels_and_case_types_as_labels_with_codes(
    amstelstad: Organisation, charter: CharterVersion, kees_quality: User
) -> None:
    html = client_for(kees_quality).get(PAGE).content.decode()
    assert f'href="{PAGE}voorbeeld/?soort=contacts&amp;formaat=csv"' in html
    assert f'href="{PAGE}voorbeeld/?soort=extensions&amp;formaat=xlsx"' in html
    assert "<th" in html and ">Klantcontacten</th>" in html  # the kind's label, not "contacts"
    assert ">Telefoon</th>" in html and "<code>phone</code>" in html
    assert ">Omgevingsvergunning regulier</th>" in html
    assert "<code>omgevingsvergunning-regulier</code>" in html
