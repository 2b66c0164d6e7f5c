"""The map include in Chromium: drawn over its table, keyboard operable, axe-clean, and the
coordinate search without the map (the test-only page of tests/kitapp)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from burgerlink.core.geo import Point
from burgerlink.core.models import Organisation
from tests.e2e.conftest import axe_check, visit
from tests.kitapp.models import Spot

pytestmark = pytest.mark.urls("tests.kitapp.urls")


def _spots(organisation: Organisation) -> None:
    for name, point in [
        ("Bankje bij de vijver", Point(52.1600, 5.3900)),
        ("Lantaarnpaal", Point(52.1500, 5.3800)),
    ]:
        spot = Spot(organisation=organisation, name=name)
        spot.place_at(point)
        spot.save()
    organisation.area = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [
                [[5.30, 52.10], [5.47, 52.10], [5.47, 52.22], [5.30, 52.22], [5.30, 52.10]]
            ],
        }
    )
    organisation.save()


def test_the_map_draws_its_points_and_takes_the_keyboard(
    page: Page, amstelstad: Organisation
) -> None:
    _spots(amstelstad)
    visit(page, "/kit/amstelstad/kaart/")
    region = page.get_by_role("region", name="Kaart met 2 punten; de tabel eronder noemt ze ook")
    expect(region).to_be_visible()
    markers = page.get_by_role("button", name="Lantaarnpaal")
    expect(markers).to_be_visible()
    axe_check(page)  # with the map drawn
    # The table says the same for whoever does not see the map.
    expect(page.get_by_role("row", name="Lantaarnpaal 52,15000 5,38000")).to_be_visible()
    # Keyboard: focus the map, zoom in with +, then Tab to a marker and open it with Enter.
    region.focus()
    page.keyboard.press("+")
    # Leaflet marks the map while it animates a zoom; act on the markers once it has settled.
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    markers.focus()
    page.keyboard.press("Enter")
    popup_link = page.locator(".leaflet-popup").get_by_role("link", name="Lantaarnpaal")
    expect(popup_link).to_be_visible()
    axe_check(page)


def test_a_place_is_found_by_rd_coordinates_without_the_map(
    page: Page, amstelstad: Organisation
) -> None:
    _spots(amstelstad)
    visit(page, "/kit/amstelstad/kaart/")
    page.get_by_label("Coördinaten").fill("155000, 463000")
    page.get_by_label("Coördinaten").press("Enter")
    page.wait_for_url("**/kaart/?location=*")
    axe_check(page)
    expect(page.get_by_text("Bankje bij de vijver:")).to_be_visible()
    page.get_by_label("Coördinaten").fill("48.85, 2.35")
    page.get_by_label("Coördinaten").press("Enter")
    page.wait_for_url("**location=48.85*")
    axe_check(page)
    expect(page.get_by_role("alert")).to_contain_text("Dit punt ligt buiten Nederland.")


def test_the_map_page_does_not_scroll_sideways_on_a_phone(
    page: Page, amstelstad: Organisation
) -> None:
    _spots(amstelstad)
    page.set_viewport_size({"width": 320, "height": 800})
    visit(page, "/kit/amstelstad/kaart/")
    expect(page.get_by_role("button", name="Lantaarnpaal")).to_be_visible()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the map page scrolls sideways at 320 px"
