"""The moderation queue in Chromium: filter, tick, decide by keyboard; axe-checked throughout."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.moderation import ModerationState
from tests.e2e.conftest import axe_check
from tests.e2e.test_staff_journey import open_staff_page, sign_in
from tests.kitapp.models import Remark


def test_an_administrator_rejects_two_remarks_with_a_reason(
    page: Page, amstelstad: Organisation, anna_admin: User
) -> None:
    spam = [
        Remark.objects.create(organisation=amstelstad, body=f"Goedkope horloges {n}")
        for n in range(2)
    ]
    kept = Remark.objects.create(organisation=amstelstad, body="Meer bankjes in het park")
    sign_in(page, "anna_admin")
    open_staff_page(page, "Moderatie", "moderatie/")
    page.get_by_label("Soort").select_option("kitapp.remark")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url("**/moderatie/?soort=kitapp.remark*")
    axe_check(page)
    for item in spam:
        page.get_by_label(f"Kies: Opmerking, {item.body}").check()
    page.get_by_label("Wat wilt u met de gekozen berichten doen?").select_option("reject")
    page.get_by_label("Reden").fill("Reclame")
    page.get_by_label("Reden").press("Tab")
    page.keyboard.press("Enter")  # the focused submit button, by keyboard
    expect(page.get_by_role("status").filter(has_text="2 berichten aangepast.")).to_be_visible()
    axe_check(page)
    states = dict(Remark.objects.values_list("pk", "moderation_state"))
    assert [states[item.pk] for item in spam] == [ModerationState.REJECTED] * 2
    assert states[kept.pk] == ModerationState.PENDING
    assert AuditEvent.objects.filter(action="moderation.reject").count() == 2
