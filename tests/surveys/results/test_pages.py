"""The staff pages of the results: who may see them and what they show (never who said what)."""

from __future__ import annotations

import re

from django.test import Client

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.models import AnalysisSettings, Answer, Wave
from tests.conftest import client_for
from tests.surveys.results.conftest import life_event_survey, synthetic_wave

BASE = "/medewerkers/amstelstad/onderzoek/resultaten/"


def wave_url(wave: Wave, rest: str = "") -> str:
    return f"{BASE}{wave.pk}/{rest}"


def test_the_index_lists_waves_and_the_menu_has_results(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    page = client_for(bram_researcher).get(BASE)
    assert page.status_code == 200
    html = page.content.decode()
    assert wave_url(life_event_wave) in html
    assert "meting vorig jaar" in html
    assert f'href="{BASE}"' in html  # the "Resultaten" menu item


def test_the_wave_page_shows_three_levels_charts_and_tables(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    page = client_for(bram_researcher).get(wave_url(life_event_wave))
    assert page.status_code == 200
    html = page.content.decode()
    for heading in (
        "Rapportcijfers op drie niveaus",
        "Per levensgebeurtenis (keten)",
        "Per organisatie",
        "De BurgerServiceCode",
        "prioriteitenmatrix",
        "Vergelijking met de vorige meting",
        "Methode",
        "Exports",
    ):
        assert heading in html, heading
    images = re.findall(r'<img [^>]*src="([^"]+)"[^>]*alt="([^"]+)"', html)
    assert len(images) >= 6
    assert all(src.endswith(".svg") and alt for src, alt in images)
    assert "style=" not in html
    # Scripts only from the platform's own static files (htmx for the export status), none inline.
    scripts = re.findall(r"<script\b[^>]*>.*?</script>", html, re.S)
    assert scripts == ['<script src="/static/vendor/htmx/htmx.min.js" defer></script>']
    assert "te weinig antwoorden (n &lt; 30)" in html  # small organisations are hidden
    assert "let op: minder dan 100 antwoorden" in html
    assert "Verbeteren" in html  # the quadrant in the priority table
    assert wave_url(life_event_wave, "keten/verhuizen/") in html
    assert "iteratief naar de populatieverdeling" in html  # method: raking


def test_the_priority_matrix_table_ranks_the_planted_drivers(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    html = client_for(bram_researcher).get(wave_url(life_event_wave)).content.decode()
    table = html[html.index('id="tabel-prioriteiten"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th class="utrecht-table__header-cell" scope="row">([^<]+)</th>', table)
    assert rows[0] in {
        "Het ging snel genoeg.",
        "De informatie die ik kreeg was duidelijk en klopte.",
    }
    assert rows.index("Het ging snel genoeg.") < rows.index(
        "Ik kon zelf kiezen hoe ik het regelde (en was niet afhankelijk van één loket of één man…"
    )


def test_filters_restrict_the_page(life_event_wave: Wave, bram_researcher: User) -> None:
    client = client_for(bram_researcher)
    html = client.get(wave_url(life_event_wave), {"levensgebeurtenis": "trouwen"}).content.decode()
    assert "Gefilterd op" in html
    assert "levensgebeurtenis Trouwen" in html
    html = client.get(wave_url(life_event_wave), {"achtergrond": "age_group:75+"}).content.decode()
    # The variable and its category by their labels, not their codes (age_group, 75+).
    assert "achtergrondgroep Leeftijd: 75 jaar of ouder" in html
    html = client.get(wave_url(life_event_wave), {"organisatie": "uwv"}).content.decode()
    assert "organisatie UWV" in html or "organisatie Uitvoeringsinstituut" in html
    chart = client.get(
        wave_url(life_event_wave, "grafiek/cijfers.svg"), {"levensgebeurtenis": "trouwen"}
    )
    assert chart.status_code == 200
    nonsense = client.get(wave_url(life_event_wave), {"levensgebeurtenis": "maanreis"})
    assert nonsense.status_code == 200
    assert "Er ging iets mis" in nonsense.content.decode()


def test_a_small_group_is_suppressed_on_the_page(
    life_event_wave: Wave, bram_researcher: User, amstelstad: Organisation
) -> None:
    AnalysisSettings.objects.create(organisation=amstelstad, hide_below=1000, flag_below=2000)
    html = client_for(bram_researcher).get(wave_url(life_event_wave)).content.decode()
    assert "te weinig antwoorden (n &lt; 1000)" in html
    table = html[html.index('id="tabel-niveaus"') :]
    table = table[: table.index("</table>")]
    assert not re.search(r"\d,\d – \d,\d", table)  # no interval shown for a hidden group


def test_charts_are_svg_images_without_inline_styles(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    client = client_for(bram_researcher)
    for name in (
        "cijfers",
        "levensgebeurtenissen",
        "organisaties",
        "verdeling",
        "burgerservicecode",
        "prioriteiten",
    ):
        response = client.get(wave_url(life_event_wave, f"grafiek/{name}.svg"))
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("image/svg+xml")
        svg = response.content.decode()
        assert "<svg" in svg and "<title" in svg
        assert "style=" not in svg and "<style" not in svg
    assert client.get(wave_url(life_event_wave, "grafiek/onbekend.svg")).status_code == 404


def test_open_answers_show_texts_but_no_identities(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    page = client_for(bram_researcher).get(wave_url(life_event_wave, "open-antwoorden/"))
    assert page.status_code == 200
    html = page.content.decode()
    texts = list(
        Answer.objects.filter(response__wave=life_event_wave, code="OPEN_GOOD")
        .exclude(text="")
        .values_list("text", "response_id")
    )
    assert texts
    assert texts[0][0] in html or "Volgende pagina" in html
    for _text, response_id in texts:
        assert f"/{response_id}/" not in html
    assert "@" not in html.split('id="inhoud"')[-1]  # no e-mail address anywhere in the content
    second = client_for(bram_researcher).get(
        wave_url(life_event_wave, "open-antwoorden/"), {"vraag": "OPEN_IMPROVE", "pagina": 2}
    )
    assert second.status_code == 200
    # identical answers are grouped: the numbers of the groups add up to the answers
    improve = Answer.objects.filter(response__wave=life_event_wave, code="OPEN_IMPROVE").exclude(
        text=""
    )
    groups = {" ".join(text.split()).casefold() for text in improve.values_list("text", flat=True)}
    shown = second.content.decode()
    assert f"{improve.count()} antwoorden ({len(groups)} verschillende)" in shown


def test_open_answers_of_a_small_group_are_withheld(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    html = (
        client_for(bram_researcher)
        .get(wave_url(life_event_wave, "open-antwoorden/"), {"achtergrond": "sex:other"})
        .content.decode()
    )
    assert "tonen we de open antwoorden niet" in html


def test_the_chain_view_puts_the_organisations_beside_the_chain_grade(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    client = client_for(bram_researcher)
    page = client.get(wave_url(life_event_wave, "keten/verhuizen/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ketenweergave: Verhuizen" in html
    assert "Keten van de levensgebeurtenis" in html
    assert "Overheid als geheel" in html
    assert "Gemeente" in html
    chart = client.get(wave_url(life_event_wave, "keten/verhuizen/grafiek.svg"))
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert client.get(wave_url(life_event_wave, "keten/maanreis/")).status_code == 404


def test_the_benchmark_compares_organisations_on_the_same_template(
    life_event_wave: Wave,
    bram_researcher: User,
    heidedorp: Organisation,
) -> None:
    synthetic_wave(life_event_survey(heidedorp, "Levensgebeurtenissen Heidedorp"), "meting", 60)
    client = client_for(bram_researcher)
    page = client.get(f"{BASE}benchmark/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gemeente Amstelstad (uw organisatie)" in html
    assert "Gemeente Heidedorp" in html
    assert "let op: weinig antwoorden" in html  # Heidedorp's 60 responses are flagged
    chart = client.get(f"{BASE}benchmark/grafiek.svg")
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert "Heidedorp" in chart.content.decode()


def test_the_pdf_report(life_event_wave: Wave, bram_researcher: User) -> None:
    response = client_for(bram_researcher).get(wave_url(life_event_wave, "rapport.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_dashboard_panel_shows_the_latest_grade(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    html = client_for(bram_researcher).get("/medewerkers/amstelstad/").content.decode()
    assert "Tevredenheid: laatste meting" in html
    assert "Rapportcijfer voor de overheid als geheel" in html
    assert "meting dit jaar" in html


def test_outsiders_and_roles_without_the_permission_get_nothing(
    life_event_wave: Wave, henk_heidedorp: User, anna_citizen: User
) -> None:
    for url in (BASE, wave_url(life_event_wave), wave_url(life_event_wave, "rapport.pdf")):
        assert client_for(henk_heidedorp).get(url).status_code == 404, url
    assert Client().get(BASE).status_code == 302
    assert client_for(anna_citizen).get(BASE).status_code == 404


def test_a_wave_of_another_organisation_is_not_found(
    small_wave: Wave, bram_researcher: User, heidedorp: Organisation
) -> None:
    Wave.objects.filter(pk=small_wave.pk).update(organisation=heidedorp)
    assert client_for(bram_researcher).get(wave_url(small_wave)).status_code == 404


def test_a_participation_officer_may_not_see_results(
    life_event_wave: Wave, amstelstad: Organisation
) -> None:
    from burgerlink.core.models import Membership, Role
    from tests.conftest import make_user

    petra = make_user("petra")
    Membership.objects.create(user=petra, organisation=amstelstad, role=Role.PARTICIPATION_OFFICER)
    assert client_for(petra).get(wave_url(life_event_wave)).status_code == 403
