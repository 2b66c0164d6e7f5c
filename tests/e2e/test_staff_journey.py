"""A staff member's journey in a real browser: sign in, self-assessment, calendar, admin pages.

Every page on the way is checked with axe-core (``visit`` / ``axe_check``).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from burgerlink.core.models import AssessmentStatus, SelfAssessment, User
from tests.conftest import PASSWORD
from tests.e2e.conftest import axe_check, visit

DASHBOARD = "/medewerkers/amstelstad/"


def sign_in(page: Page, username: str) -> None:
    """Sign in through the login form by keyboard, and land on the dashboard."""
    visit(page, "/medewerkers/")  # not signed in: the login page, with a way back
    assert "/inloggen/" in page.url
    page.get_by_label("Gebruikersnaam", exact=True).focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{DASHBOARD}")
    axe_check(page)
    assert page.locator("h1").inner_text() == "Dashboard Gemeente Amstelstad"


def open_staff_page(page: Page, link: str, path: str) -> None:
    """Follow a link of the staff menu and check the page."""
    page.get_by_role("navigation", name="Medewerkersmenu").get_by_role(
        "link", name=link, exact=True
    ).click()
    page.wait_for_url(f"**{DASHBOARD}{path}")
    axe_check(page)


def test_staff_member_fills_in_and_publishes_a_self_assessment(
    page: Page, anna_admin: User
) -> None:
    sign_in(page, "anna_admin")
    assert "Nog geen zelfevaluatie gepubliceerd." in page.locator("main").inner_text()

    open_staff_page(page, "Zelfevaluatie", "zelfevaluatie/")
    assert "Nog geen zelfevaluaties." in page.locator("main").inner_text()
    page.get_by_role("button", name="Nieuwe zelfevaluatie beginnen").click()
    page.wait_for_url(re.compile(r"/zelfevaluatie/\d+/$"))
    axe_check(page)

    # Norm 1 has three checklist items. Try every answer on each, ending on no, partly and yes.
    questions = page.locator("fieldset.utrecht-form-fieldset--nested")
    expect(questions).to_have_count(30)
    final = ["Nee", "Gedeeltelijk", "Ja"]
    for position, last in enumerate(final):
        question = questions.nth(position)
        for label in [*(a for a in final if a != last), last]:
            question.get_by_label(label, exact=True).check()
        expect(question.locator("input:checked")).to_have_count(1)
    page.get_by_label("Toelichting").first.fill("Besproken in het managementteam.")

    # Publishing needs every question answered: answer the other 27 with yes, then save.
    answered = page.evaluate(
        """() => {
            let count = 0;
            for (const group of document.querySelectorAll('fieldset.utrecht-form-fieldset--nested')) {
                if (!group.querySelector('input[type=radio]:checked')) {
                    group.querySelector('input[type=radio][value=yes]').click();
                    count += 1;
                }
            }
            return count;
        }"""
    )
    assert answered == 27
    page.get_by_role("button", name="Antwoorden bewaren").click()
    expect(page.locator(".messages")).to_have_text("De antwoorden zijn bewaard.")
    axe_check(page)
    expect(questions.nth(1).get_by_label("Gedeeltelijk", exact=True)).to_be_checked()
    expect(page.get_by_label("Toelichting").first).to_have_value("Besproken in het managementteam.")

    page.get_by_label("Samenvatting voor de scorekaart").fill("Eerste ronde in de browsertest.")
    page.get_by_role("button", name="Publiceren op de scorekaart").click()
    page.wait_for_url("**/organisaties/amstelstad/scorekaart/")
    axe_check(page)

    # The public scorecard shows the new self-assessment and its answers.
    expect(page.locator(".messages")).to_have_text(
        "De zelfevaluatie staat op de openbare scorekaart."
    )
    main = page.locator("main")
    assert "Eerste ronde in de browsertest." in main.inner_text()
    norm_1 = page.locator("section[aria-labelledby='norm-1']")
    assert "Zelfevaluatie: 50%" in norm_1.inner_text()
    answers = norm_1.get_by_role("table").locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert answers == ["Nee", "Gedeeltelijk", "Ja"]
    assert SelfAssessment.objects.get().status == AssessmentStatus.PUBLISHED


def test_staff_member_adds_a_closing_day_and_sees_the_admin_pages(
    page: Page, anna_admin: User
) -> None:
    sign_in(page, "anna_admin")

    open_staff_page(page, "Kalender", "kalender/")
    assert "Geen eigen sluitingsdagen." in page.locator("main").inner_text()
    add = page.get_by_role("button", name="Toevoegen")

    # A form without a date shows an accessible error summary.
    add.click()
    expect(page.locator("#form-errors")).to_contain_text("Datum")
    axe_check(page)
    expect(page.get_by_label("Datum")).to_have_attribute("aria-invalid", "true")

    day = timezone.localdate() + timedelta(days=45)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Reden").fill("Studiedag medewerkers")
    add.click()
    expect(page.locator(".messages")).to_have_text("De sluitingsdag is toegevoegd.")
    axe_check(page)
    row = page.locator("tbody tr").filter(has=page.locator(f"time[datetime='{day.isoformat()}']"))
    assert row.count() == 1
    assert "Studiedag medewerkers" in row.inner_text()

    open_staff_page(page, "API-sleutels", "api-sleutels/")
    page.get_by_label("Naam van de koppeling").fill("Zaaksysteem")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    expect(page.locator(".secret")).to_have_text(re.compile(r"^bl_"))
    axe_check(page)

    open_staff_page(page, "Collega's", "collega-s/")
    member = page.locator("tbody tr").filter(has_text=anna_admin.display_name())
    assert member.locator("td").first.inner_text() == "Beheerder"

    open_staff_page(page, "Auditlog", "auditlog/")
    log = page.locator("main table").inner_text()
    assert "Sluitingsdag toegevoegd" in log  # the action's label, never its code
    assert "calendar.closing_days.add" not in log
    assert day.isoformat() in log

    # Setting up two-step verification: a QR code with a text alternative, and the key as text.
    page.get_by_role("link", name="Tweestapsverificatie", exact=True).click()
    page.wait_for_url("**/account/tweestapsverificatie/")
    axe_check(page)
    # Opening the page changes nothing: the secret is made by "Beginnen", a POST.
    expect(page.get_by_role("img", name=re.compile(r"^QR-code"))).to_have_count(0)
    page.get_by_role("button", name="Beginnen").click()
    page.wait_for_url("**/account/tweestapsverificatie/")
    axe_check(page)
    expect(page.get_by_role("img", name=re.compile(r"^QR-code"))).to_be_visible()
