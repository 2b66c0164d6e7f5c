"""Public charter pages, the poster PDF, the model-norm library and the charter API."""

from __future__ import annotations

import re
import zlib

import pytest
from django.test import Client

from burgerlink.charters.models import CharterVersion
from burgerlink.core.models import Organisation

pytestmark = pytest.mark.django_db

PAGE = "/organisaties/amstelstad/kwaliteitshandvest/"
API = "/api/v1/organisations/amstelstad/charter"


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, decompressed (enough to find metadata without a PDF library)."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            chunks.append(match.group(1))
    return b"\n".join(chunks)


def test_public_page_shows_todays_promises_per_channel(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Onze beloften aan u: kwaliteitshandvest van Gemeente Amstelstad" in html
    assert "Versie 2, geldig vanaf 1 juli 2025." in html
    assert "Mailt u ons, dan krijgt u binnen 2 werkdagen antwoord." in html
    assert "binnen 3 werkdagen" not in html
    for group in ("Telefoon", "E-mail", "Klacht", "Omgevingsvergunning regulier"):
        assert f">{group}</h3>" in html
    assert "Dit lukt in ten minste 80% van de gevallen." in html
    assert "Een dwangsom per dag dat wij te laat beslissen. € 23 per dag, hooguit € 1.442." in html
    assert "U krijgt een excuusbrief." in html
    assert "/kwaliteitshandvest/poster/phone.pdf" in html
    assert "/kwaliteitshandvest/versie/1/" in html  # earlier versions are listed


def test_public_page_marks_covered_and_uncovered_code_norms(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    html = Client().get(PAGE).content.decode()
    rows = re.findall(r'href="/burgerservicecode/(\d+)/"(.*?)</tr>', html, re.S)
    assert [int(number) for number, _row in rows] == list(range(1, 11))
    covered = {int(number) for number, row in rows if "niet gedekt" not in row}
    # phone 1, 2; e-mail 4, 5; complaint 8; permit 6, 3.
    assert covered == {1, 2, 3, 4, 5, 6, 8}


def test_an_earlier_version_stays_readable(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    html = Client().get(PAGE + "versie/1/").content.decode()
    assert "Versie 1, geldig van 1 januari 2025 tot 1 juli 2025." in html
    assert "Mailt u ons, dan krijgt u binnen 3 werkdagen antwoord." in html
    assert "die geldt vandaag niet" in html
    assert Client().get(PAGE + "versie/9/").status_code == 404


def test_public_page_without_a_charter(amstelstad: Organisation) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 200
    assert "geen kwaliteitshandvest dat vandaag geldt" in response.content.decode()
    assert Client().get("/organisaties/bestaat-niet/kwaliteitshandvest/").status_code == 404


def test_organisation_page_links_to_the_charter(amstelstad: Organisation) -> None:
    html = Client().get("/organisaties/amstelstad/").content.decode()
    assert f'href="{PAGE}"' in html


def test_poster_is_a_tagged_pdf_with_title_and_language(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    response = Client().get(PAGE + "poster/phone.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert "Onze beloften: Telefoon – Gemeente Amstelstad".encode() in text
    assert b"/Lang (nl)" in text
    assert b"/StructTreeRoot" in text  # tagged
    assert b"pdfuaid:part" in text  # declares PDF/UA


def test_poster_for_a_product_and_404s(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    client = Client()
    assert client.get(PAGE + "poster/omgevingsvergunning-regulier.pdf").status_code == 200
    assert client.get(PAGE + "poster/chat.pdf").status_code == 404  # no promise on the chat
    assert client.get(PAGE + "poster/onbekend.pdf").status_code == 404
    assert (
        client.get("/organisaties/heidedorp/kwaliteitshandvest/poster/phone.pdf").status_code == 404
    )


def test_model_norm_library_page(two_versions: tuple[CharterVersion, CharterVersion]) -> None:
    html = Client().get("/modelnormen/").content.decode()
    assert "Bibliotheek met modelnormen" in html
    assert "Telefoon binnen 25 seconden opgenomen" in html
    assert "VNG minimum norms 2011" in html  # where it was seen
    assert "1 organisatie" in html  # in use at Amstelstad


def test_public_assessment_page(two_versions: tuple[CharterVersion, CharterVersion]) -> None:
    html = Client().get(PAGE + "beoordeling/").content.decode()
    assert "Beoordeling van het kwaliteitshandvest van Gemeente Amstelstad" in html
    assert "Totaal:" in html
    assert "Hoe wij beoordelen" in html


# --- the API ------------------------------------------------------------------------------


def test_api_returns_the_version_valid_today(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    response = Client().get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2
    assert (body["valid_from"], body["valid_to"]) == ("2025-07-01", None)
    assert body["review_due"] == "2026-07-01"
    assert body["bsc_covered"] == [1, 2, 3, 4, 5, 6, 8]
    assert body["bsc_uncovered"] == [7, 9, 10]
    norms = {norm["code"]: norm for norm in body["norms"]}
    assert norms.keys() == {
        "phone-answered",
        "email-answered",
        "complaint-handled",
        "permit-regular",
    }
    phone = norms["phone-answered"]
    assert phone["channel"] == "phone"
    assert phone["product"] is None
    assert (phone["metric"], phone["threshold"], phone["target_share"]) == (
        "elapsed_seconds",
        25.0,
        0.8,
    )
    assert phone["bsc_norms"] == [1, 2]
    assert phone["record_kind"] == "contact"
    assert isinstance(phone["id"], int)
    permit = norms["permit-regular"]
    assert (permit["product"], permit["channel"], permit["calendar"]) == (
        "omgevingsvergunning-regulier",
        None,
        "legal",
    )
    assert permit["term_unit"] == "weeks"
    assert permit["compensation"] == {
        "kind": "penalty_per_day",
        "amount": 23.0,
        "cap": 1442.0,
        "text_nl": "Een dwangsom per dag dat wij te laat beslissen.",
        "text_en": "",
    }
    assert norms["email-answered"]["threshold"] == 2.0


def test_api_date_picks_the_version_valid_then(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    body = Client().get(API, {"date": "2025-03-15"}).json()
    assert (body["version"], body["valid_to"]) == (1, "2025-07-01")
    email = next(n for n in body["norms"] if n["code"] == "email-answered")
    assert email["threshold"] == 3.0


def test_api_404s_and_422(
    two_versions: tuple[CharterVersion, CharterVersion], heidedorp: Organisation
) -> None:
    client = Client()
    before = client.get(API, {"date": "2024-12-31"})
    assert before.status_code == 404
    assert "geen gepubliceerd kwaliteitshandvest" in before.json()["message"]
    none = client.get("/api/v1/organisations/heidedorp/charter")
    assert none.status_code == 404
    assert none.json()["errors"] == []
    unknown = client.get("/api/v1/organisations/bestaat-niet/charter")
    assert unknown.status_code == 404
    assert "bestaat niet" in unknown.json()["message"]
    bad = client.get(API, {"date": "gisteren"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"].endswith("date")


def test_links_to_other_areas_are_soft(
    amstelstad: Organisation, two_versions: tuple[CharterVersion, CharterVersion]
) -> None:
    from burgerlink.charters.charter.public_views import CLAIM_URL_NAME, optional_url

    assert optional_url("charters:does-not-exist", amstelstad) is None
    claim = optional_url(CLAIM_URL_NAME, amstelstad)
    html = Client().get(PAGE).content.decode()
    assert "Belofte niet nagekomen?" in html
    assert (claim is None) or (f'href="{claim}"' in html)
