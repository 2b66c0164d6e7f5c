"""Council voting records in a real browser: every public page axe-clean at 1280 and 320 px,
nothing scrolling sideways on a phone, English on request, and a staff import from upload to the
public page (axe-checked on the way)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from burgerlink.core.models import Membership, Organisation, Role
from burgerlink.participation.models import Decision, Party
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import axe_check, collect_failures, visit
from tests.participation.council import popolo_sample

BASE = "/organisaties/amstelstad/raad/"


def _pages() -> list[tuple[str, str, int]]:
    decision = Decision.objects.filter(organisation__slug="amstelstad").order_by("-date").first()
    party = Party.objects.get(organisation__slug="amstelstad", abbreviation="GL")
    assert decision is not None
    return [
        ("decisions", BASE, 200),
        ("search", BASE + "?q=bomen", 200),
        ("party filter", BASE + f"?partij={party.pk}&stem=against&soort=motion", 200),
        ("second page", BASE + "?pagina=2", 200),
        ("invalid filter", BASE + "?van=2026-05-01&tot=2026-04-01", 400),
        ("decision", f"{BASE}besluiten/{decision.pk}/", 200),
        ("party", f"{BASE}fracties/{party.pk}/", 200),
        ("matrix", BASE + "stemgedrag/", 200),
    ]


@pytest.mark.parametrize("width", [1280, 320])
def test_council_pages_pass_axe_and_fit_the_screen(
    page: Page, load_demo: Callable[..., None], width: int
) -> None:
    load_demo("Raadsstemmingen")
    page.set_viewport_size({"width": width, "height": 900})
    failures: list[str] = []
    for label, path, status in _pages():

        def check(path: str = path, status: int = status) -> None:
            visit(page, path, status=status)
            assert page.locator("h1").count() == 1
            fits = page.evaluate(
                "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            )
            assert fits, f"{path} scrolls sideways at {width} px"

        collect_failures(check, f"{label} ({path}) at {width} px", failures)
    assert not failures, "\n\n".join(failures)


def test_the_matrix_reads_as_a_table_and_in_english(
    page: Page, load_demo: Callable[..., None]
) -> None:
    load_demo("Raadsstemmingen")
    visit(page, BASE + "stemgedrag/")
    table = page.get_by_role("table", name="Percentage gelijk gestemd")
    expect(table.get_by_role("columnheader")).to_have_count(8)
    expect(table.get_by_role("rowheader")).to_have_count(8)
    first_cell = table.locator("tbody tr").first.locator("td").nth(1)
    expect(first_cell).to_contain_text("%")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_check(page)
    assert page.locator("h1").inner_text() == "How often did two parties vote alike?"


def test_staff_import_a_popolo_file_and_see_the_votes_in_public(
    page: Page, load_demo: Callable[..., None], tmp_path: object
) -> None:
    load_demo()  # the core world, without the demo council
    organisation = Organisation.objects.get(slug="amstelstad")
    user = make_user("raadsgriffier")
    Membership.objects.create(user=user, organisation=organisation, role=Role.PARTICIPATION_OFFICER)

    visit(page, "/inloggen/")
    page.get_by_label("Gebruikersnaam", exact=True).fill("raadsgriffier")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/medewerkers/amstelstad/")
    axe_check(page)
    page.get_by_role("navigation", name="Medewerkersmenu").get_by_role(
        "link", name="Raadsstemmingen importeren"
    ).click()
    page.wait_for_url("**/medewerkers/amstelstad/raad/import/")
    axe_check(page)

    bad = popolo_sample.document()
    bad["vote_events"][0]["votes"][0]["option"] = "misschien"
    page.get_by_label("Bestand").set_input_files(
        files=[
            {
                "name": "raad.json",
                "mimeType": "application/json",
                "buffer": json.dumps(bad).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_url("**/raad/import/*/")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("onbekende waarde 'misschien' voor option")
    assert not Decision.objects.exists()

    for expected in ("Ingelezen: 4 nieuwe en 0 bijgewerkte besluiten.", "Niets veranderd"):
        page.get_by_role("link", name="Terug naar importeren").click()
        page.wait_for_url("**/medewerkers/amstelstad/raad/import/")
        axe_check(page)
        page.get_by_label("Bestand").set_input_files(
            files=[
                {
                    "name": "raad.json",
                    "mimeType": "application/json",
                    "buffer": popolo_sample.as_bytes(),
                }
            ]
        )
        page.get_by_role("button", name="Importeren").click()
        page.wait_for_url("**/raad/import/*/")
        axe_check(page)
        expect(page.locator("main")).to_contain_text(expected)

    visit(page, BASE + "stemgedrag/")
    expect(page.get_by_role("table", name="Percentage gelijk gestemd")).to_contain_text("67%")
