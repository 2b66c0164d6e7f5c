"""Public pages render real content, in Dutch and English, and fail politely."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from burgerlink.core.demo import load_demo_world
from burgerlink.core.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db: None) -> None:
    """The demo world, as `make run` shows it."""
    load_demo_world(steps=[])


def test_home_lists_the_ten_norms_and_organisations(demo_world: None) -> None:
    html = Client().get("/").content.decode()
    assert html.count('class="norm-number"') == 10
    assert "Gemeente Amstelstad" in html
    assert '<html lang="nl">' in html


def test_language_switch_changes_the_language_by_post(demo_world: None) -> None:
    client = Client()
    response = client.post("/taal/", {"language": "en", "next": "/burgerservicecode/"})
    assert response.status_code == 302
    html = client.get("/burgerservicecode/").content.decode()
    assert '<html lang="en">' in html
    assert "Choice of channel" in html
    assert client.get("/").content.decode().count('lang="nl"') == 1  # the button back to Dutch


def test_every_page_offers_the_language_switch(demo_world: None) -> None:
    for url in ("/", "/organisaties/", "/toegankelijkheid/", "/inloggen/", "/burgerservicecode/4/"):
        html = Client().get(url).content.decode()
        assert 'name="language" value="en"' in html, url


def test_organisation_page_shows_opening_hours_and_closures(demo_world: None) -> None:
    html = Client().get("/organisaties/amstelstad/").content.decode()
    assert "Gemeente Amstelstad" in html
    assert "Openingstijden" in html
    assert "152.000" in html
    assert "/organisaties/amstelstad/thema.css" in html


def test_theme_css_carries_the_organisation_colours(demo_world: None) -> None:
    response = Client().get("/organisaties/amstelstad/thema.css")
    assert response["Content-Type"].startswith("text/css")
    assert "--bl-brand: #8a1538" in response.content.decode()


def test_scorecard_shows_scores_per_norm_with_a_table(demo_world: None) -> None:
    html = Client().get("/organisaties/amstelstad/scorekaart/").content.decode()
    assert "Score per norm" in html
    assert html.count("<caption>Checklist norm") == 10
    assert "Eerdere zelfevaluaties" in html


def test_norm_page_compares_organisations(demo_world: None) -> None:
    html = Client().get("/burgerservicecode/9/").content.decode()
    assert "Verantwoordelijk beheer" in html
    assert "Gemeente Rijnwaard" in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_life_event_catalogue_shows_chains(demo_world: None) -> None:
    html = Client().get("/levensgebeurtenissen/").content.decode()
    assert "Verhuizen" in html
    assert "Wonen en leefomgeving" in html
    assert html.count('<ol class="chain">') >= 40


def test_accessibility_statement_follows_the_dutch_model(db: None, settings: Any) -> None:
    """Status, scope, date, how it is tested, known problems, contact and the ombudsman."""
    settings.SITE_URL = "https://burgerlink.example.nl"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "toegankelijkheid@example.nl"
    page = Client().get("/toegankelijkheid/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())

    # Not audited by an independent expert: "voldoet gedeeltelijk" (B) by default, not A.
    assert "<strong>Voldoet gedeeltelijk</strong> (status B)" in page
    assert "Voor welke pagina's deze verklaring geldt" in text
    assert "Deze verklaring geldt voor https://burgerlink.example.nl" in text
    assert "herzien op 7 december 2026" in text
    assert "axe-core" in text and "320 pixels" in text and "toetsenbord" in text
    assert "Bekende problemen" in text and "WCAG-EM" in text
    assert 'href="mailto:toegankelijkheid@example.nl"' in page
    assert "Nationale ombudsman" in text


def test_accessibility_statement_in_english_with_another_status(db: None, settings: Any) -> None:
    settings.ACCESSIBILITY_STATUS = "A"
    client = Client()
    client.post("/taal/", {"language": "en", "next": "/toegankelijkheid/"})
    text = client.get("/toegankelijkheid/").content.decode()
    assert "<strong>Fully compliant</strong> (status A)" in text
    assert "National Ombudsman" in text
    assert "Known problems" in text


def test_home_page_promises_only_what_the_platform_offers(
    demo_world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the home page says people find here follows the capabilities' public links."""
    from burgerlink.core import dashboard

    text = Client().get("/").content.decode()
    for promise, code in HOME_PROMISES.items():
        assert code in {link.code for link in dashboard.public_links()}, code
        assert promise in text, promise
    # Nothing that does not exist (yet): no consultations, ideas or neighbourhood reports.
    for absent in ("consultaties", "in uw buurt", "Tevredenheid rond"):
        assert absent not in text, absent

    # A capability that is not installed is not promised.
    without = {code: link for code, link in dashboard._PUBLIC_LINKS.items() if code != "petitions"}
    monkeypatch.setattr(dashboard, "_PUBLIC_LINKS", without)
    cache.clear()  # the page cache keeps the home page by data version
    assert "Petities" not in Client().get("/").content.decode()


HOME_PROMISES = {
    "Servicebeloften (het kwaliteitshandvest) en hoe vaak ze worden waargemaakt.": (
        "charters_compliance"
    ),
    "Compensatie aanvragen als een belofte niet is nagekomen.": "compensation-claim",
    "Petities: starten, tekenen en het antwoord van de organisatie lezen.": "petitions",
}


@pytest.mark.parametrize(
    "url", ["/organisaties/bestaat-niet/", "/burgerservicecode/11/", "/nergens/"]
)
def test_unknown_pages_give_a_friendly_404(url: str, db: None) -> None:
    response = Client().get(url)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_public_pages_refuse_posts(amstelstad: Organisation) -> None:
    assert Client().post("/organisaties/amstelstad/").status_code == 405
