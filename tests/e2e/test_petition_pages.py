"""Petitions in a real browser: the public pages axe-clean at 1280 and 320 px, nothing scrolling
sideways, and a signature from the form through the e-mail's link to the confirm button."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from burgerlink.participation.models import Petition, Signature, Stage
from tests.e2e.conftest import axe_check, visit

BASE = "/organisaties/amstelstad/petities/"
LINK = re.compile(r"https?://[^/\s]+(/petities/bevestigen/[\w-]+/)")


def _fits(page: Page, width: int) -> None:
    fits = page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert fits, f"{page.url} scrolls sideways at {width} px"


@pytest.mark.parametrize("width", [1280, 320])
def test_sign_and_confirm_a_petition_axe_clean_on_every_page(
    page: Page, load_demo: Callable[..., None], settings: Any, width: int
) -> None:
    settings.PETITION_FORM_MIN_SECONDS = 0
    settings.PETITION_RECOUNT_SECONDS = 0
    load_demo("Petities")
    petition = Petition.objects.get(
        organisation__slug="amstelstad", stage=Stage.COLLECTING, moderation_state="published"
    )
    before = petition.signature_count
    page.set_viewport_size({"width": width, "height": 900})

    visit(page, BASE)
    _fits(page, width)
    page.get_by_role("link", name=petition.title).click()
    page.wait_for_url(f"**{BASE}{petition.pk}/")
    axe_check(page)
    _fits(page, width)

    page.get_by_role("link", name="Deze petitie tekenen").click()
    page.wait_for_url(f"**{BASE}{petition.pk}/tekenen/")
    axe_check(page)
    _fits(page, width)
    page.get_by_label("Naam", exact=True).fill("Iris Browser")
    page.get_by_label("Ja, toon mijn naam en woonplaats").check()
    page.get_by_label("E-mailadres").fill(f"iris.{width}@example.org")
    page.get_by_label("Woonplaats", exact=True).fill("Oudekerk")
    page.get_by_role("button", name="Tekenen").click()
    expect(page.get_by_role("heading", name="Kijk in uw mailbox")).to_be_visible()
    axe_check(page)
    _fits(page, width)

    found = LINK.search(mail.outbox[-1].body)
    assert found is not None
    visit(page, found.group(1))
    _fits(page, width)
    assert Signature.objects.get(email=f"iris.{width}@example.org").confirmed_at is None
    page.get_by_role("button", name="Handtekening bevestigen").click()
    expect(page.get_by_text("is bevestigd en telt mee")).to_be_visible()
    axe_check(page)
    _fits(page, width)

    visit(page, f"{BASE}{petition.pk}/")
    expect(page.get_by_text("Iris Browser, Oudekerk")).to_be_visible()
    petition.refresh_from_db()
    assert petition.signature_count == before + 1

    visit(page, f"{BASE}starten/")
    _fits(page, width)
