"""An administrator invites a colleague; the colleague accepts in another browser.

Every page on the way is checked with axe-core (``visit`` / ``axe_check``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import Page, expect

from burgerlink.core.models import Membership, Organisation, Role, User
from tests.e2e.conftest import axe_check, visit
from tests.e2e.test_staff_journey import DASHBOARD, open_staff_page, sign_in


def test_a_colleague_joins_only_by_accepting_the_invitation(
    page: Page, new_visitor: Callable[[], Page], amstelstad: Organisation, anna_admin: User
) -> None:
    sign_in(page, "anna_admin")
    open_staff_page(page, "Collega's", "collega-s/")
    page.locator("#id_email").fill("nina@amstelstad.nl")
    page.locator("#id_first_name").fill("Nina")
    page.get_by_label("Rol", exact=True).select_option(Role.RESEARCHER)
    page.get_by_role("button", name="Uitnodigen").click()
    page.wait_for_url(f"**{DASHBOARD}collega-s/")
    axe_check(page)
    expect(page.locator(".messages")).to_contain_text("Er is een uitnodiging gestuurd naar")
    expect(page.get_by_role("row", name="nina@amstelstad.nl")).to_contain_text("Onderzoeker")
    assert not Membership.objects.filter(user__email="nina@amstelstad.nl").exists()

    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/uitnodiging/" in line).strip()
    nina = new_visitor()
    visit(nina, urlsplit(link).path)
    expect(nina.locator("h1")).to_have_text("Uitnodiging van Gemeente Amstelstad")
    nina.locator("#id_new_password1").fill("een lang en sterk wachtwoord")
    nina.locator("#id_new_password2").fill("een lang en sterk wachtwoord")
    nina.get_by_role("button", name="Uitnodiging accepteren").click()
    nina.wait_for_url(f"**{DASHBOARD}")
    axe_check(nina)
    assert Membership.objects.filter(
        user__email="nina@amstelstad.nl", organisation=amstelstad, role=Role.RESEARCHER
    ).exists()
