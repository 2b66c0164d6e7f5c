"""The processing overview and the privacy requests page in Chromium, checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from burgerlink.core.models import Organisation, User
from tests.e2e.conftest import axe_check, visit
from tests.e2e.test_staff_journey import open_staff_page, sign_in

pytestmark = pytest.mark.browser


def test_processing_overview_in_dutch_and_english(page: Page, db: None) -> None:
    visit(page, "/verwerkingen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Verwerkingsoverzicht"
    page.get_by_role("button", name="English").click()  # posts, and comes back to this page
    page.wait_for_url("**/verwerkingen/")
    axe_check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Processing overview"


def test_an_administrator_looks_up_a_person(
    page: Page, amstelstad: Organisation, anna_admin: User, kees_quality: User
) -> None:
    User.objects.filter(pk=kees_quality.pk).update(email="kees@amstelstad.example")
    sign_in(page, "anna_admin")
    open_staff_page(page, "Privacyverzoeken", "privacy/")
    page.get_by_label("E-mailadres").fill("kees@amstelstad.example")
    page.get_by_role("button", name="Opzoeken").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("row", name="Rollen in organisaties 1").is_visible()
