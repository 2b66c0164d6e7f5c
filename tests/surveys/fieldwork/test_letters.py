"""Letters for people reached by post: a PDF page each, link as text and QR code, audited."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from burgerlink.core.models import AuditEvent, User
from burgerlink.surveys.fieldwork import letters, selectors, services
from burgerlink.surveys.models import Invitee, InviteeStatus, Wave
from tests.conftest import client_for
from tests.surveys.fieldwork.conftest import csv_file

BASE = "https://burgerlink.example/"


def test_the_qr_code_is_an_svg_without_pillow() -> None:
    svg = letters.qr_svg("https://burgerlink.example/enquete/abc/")
    assert svg.startswith("<svg") and "<path" in svg
    uri = letters.qr_data_uri("https://burgerlink.example/enquete/abc/")
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg


def test_the_letters_hold_address_link_qr_and_help(sample: Wave) -> None:
    token = Invitee.objects.get(wave=sample, email="").token
    link = f"{BASE}enquete/{token}/"
    html = letters.letters_html(
        organisation_name="Gemeente Amstelstad",
        website="https://www.amstelstad.example",
        title="Uw ervaring met de gemeente",
        closes_at=sample.closes_at,
        anonymous=True,
        letters=[letters.make_letter("C. de Vries\nKerkstraat 1\n1234 AB Amstelstad", link)],
        kind="invitation",
        today=sample.opens_at.date(),
    )
    assert "C. de Vries<br>Kerkstraat 1<br>1234 AB Amstelstad" in html
    assert f'<p class="link">{BASE}enquete/<br><span class="code">{token}/</span></p>' in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Hulp nodig?" in html
    assert "https://www.amstelstad.example" in html
    assert "Uitnodiging: uw mening over Gemeente Amstelstad" in html


def test_the_pdf_has_one_page_per_letter_and_the_export_is_audited(
    sample: Wave, bram_researcher: User, tmp_path: Path
) -> None:
    services.import_sample(
        sample,
        csv_file("postal_address\nB. Bakker | Dorpsstraat 9 | 1234 CD Amstelstad\n"),
        by=None,
    )
    export = services.export_letters(wave=sample, base_url=BASE, by=bram_researcher)
    assert export.pdf.startswith(b"%PDF")
    assert export.count == 2
    event = AuditEvent.objects.get(action="surveys.letters.export")
    assert event.actor == bram_researcher
    assert event.organisation_id == sample.organisation_id
    assert "Kerkstraat" not in event.summary
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils, when installed: the link is real text in the PDF
        path = tmp_path / "brieven.pdf"
        path.write_bytes(export.pdf)
        text = subprocess.run(  # noqa: S603 - a fixed tool on a file we wrote
            [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        token = Invitee.objects.get(wave=sample, postal_address__startswith="C. de").token
        assert f"enquete/{token}/" in text.replace("\n", "")
        assert text.count("Hulp nodig?") == 2


def test_every_letter_fits_on_one_a4_page(sample: Wave) -> None:
    address = "Mw. A. van der Zee-de Boer\nLange Nieuwstraat 120 bis\n1234 AB Amstelstad"
    link = f"{BASE}enquete/{'x' * 22}/"
    html = letters.letters_html(
        organisation_name="Gemeente Amstelstad",
        website="https://www.amstelstad.example",
        title="Uw ervaring met de gemeente",
        closes_at=sample.closes_at,
        anonymous=False,
        letters=[letters.make_letter(address, link) for _ in range(3)],
        kind="reminder",
        today=sample.opens_at.date(),
    )
    pages = (
        HTML(string=html)
        .render(
            stylesheets=[
                CSS(
                    string=render_to_string("surveys/fieldwork/letters.css", {"primary": "#154273"})
                )
            ]
        )
        .pages
    )
    assert len(pages) == 3
    assert (round(pages[0].width * 25.4 / 96), round(pages[0].height * 25.4 / 96)) == (210, 297)


def test_reminder_letters_go_to_those_invited_who_have_not_finished(sample: Wave) -> None:
    assert selectors.letter_recipients(sample, "reminder").count() == 0
    assert services.mark_letters_sent(wave=sample, by=None) == 1
    by_post = Invitee.objects.get(wave=sample, email="")
    assert by_post.status == InviteeStatus.INVITED and by_post.invited_at is not None
    assert selectors.letter_recipients(sample, "reminder").count() == 1
    export = services.export_letters(wave=sample, kind="reminder", base_url=BASE, by=None)
    assert export.pdf.startswith(b"%PDF")
    Invitee.objects.filter(pk=by_post.pk).update(status=InviteeStatus.COMPLETED)
    with pytest.raises(ValidationError, match="geen brieven"):
        services.export_letters(wave=sample, kind="reminder", base_url=BASE, by=None)


def test_large_samples_come_in_parts(sample: Wave, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "LETTERS_PER_PART", 1)
    services.import_sample(
        sample,
        csv_file("postal_address\nB. Bakker | Dorpsstraat 9 | 1234 CD Amstelstad\n"),
        by=None,
    )
    assert selectors.letter_parts(sample) == [(1, 1, 1), (2, 2, 2)]
    with pytest.raises(ValidationError):
        services.export_letters(wave=sample, part=3, base_url=BASE, by=None)


def test_the_letters_page_sends_a_pdf(sample: Wave, bram_researcher: User) -> None:
    url = f"/medewerkers/amstelstad/onderzoek/metingen/{sample.pk}/brieven.pdf"
    response = client_for(bram_researcher).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert client_for(bram_researcher).get(url + "?soort=onzin").status_code == 404
    assert client_for(bram_researcher).get(url + "?deel=x").status_code == 404
    empty = client_for(bram_researcher).get(url + "?soort=herinnering")
    assert empty.status_code == 302  # nothing to print: back to the wave with a message
