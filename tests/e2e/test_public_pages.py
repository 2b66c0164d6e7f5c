"""Every public page passes axe-core in Chromium, in Dutch and in English, and works by keyboard."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from playwright.sync_api import Page, expect

from burgerlink.core import selectors
from burgerlink.core.models import Organisation
from tests.e2e.conftest import axe_check, collect_failures, visit

ORGANISATION = "amstelstad"
NORM = 3


class PublicPage(NamedTuple):
    """A public page to check: where it is, what it answers, and a sign of its real content."""

    label: str
    path: str
    status: int
    heading_nl: str  # how its h1 starts in Dutch ...
    heading_en: str  # ... and in English
    content: str = "main p"  # a CSS selector that finds something with real content


ORGANISATION_LINK = f"main a[href$='/{ORGANISATION}/']"
PUBLIC_PAGES = [
    PublicPage(
        "home",
        "/",
        200,
        "De burger centraal",
        "Citizens at the centre",
        ORGANISATION_LINK,
    ),
    PublicPage(
        "organisations", "/organisaties/", 200, "Organisaties", "Organisations", ORGANISATION_LINK
    ),
    PublicPage(
        "organisation",
        f"/organisaties/{ORGANISATION}/",
        200,
        "Gemeente Amstelstad",
        "Gemeente Amstelstad",
    ),
    PublicPage(
        "scorecard",
        f"/organisaties/{ORGANISATION}/scorekaart/",
        200,
        "Scorekaart BurgerServiceCode van Gemeente Amstelstad",
        "BurgerServiceCode scorecard of Gemeente Amstelstad",
        "section[aria-labelledby='norm-10'] table tbody tr",  # published checklist answers
    ),
    PublicPage(
        "BurgerServiceCode",
        "/burgerservicecode/",
        200,
        "De BurgerServiceCode",
        "The BurgerServiceCode",
    ),
    PublicPage(
        "norm", f"/burgerservicecode/{NORM}/", 200, f"{NORM}.", f"{NORM}.", "main table tbody tr"
    ),
    PublicPage(
        "life events",
        "/levensgebeurtenissen/",
        200,
        "Levensgebeurtenissen",
        "Life events",
        "main table",
    ),
    PublicPage(
        "accessibility",
        "/toegankelijkheid/",
        200,
        "Toegankelijkheidsverklaring",
        "Accessibility statement",
    ),
    PublicPage(
        "login",
        "/inloggen/",
        200,
        "Inloggen voor medewerkers",
        "Staff login",
        "main form input",
    ),
    PublicPage(
        "password reset",
        "/wachtwoord-vergeten/",
        200,
        "Wachtwoord vergeten",
        "Forgotten password",
        "main form",
    ),
    PublicPage("not found", "/bestaat-niet/", 404, "Pagina niet gevonden", "Page not found"),
]


def _visit_all(page: Page, language: str) -> None:
    """Visit every public page; report every failing page at once, not only the first."""
    failures: list[str] = []
    for public_page in PUBLIC_PAGES:

        def check(spec: PublicPage = public_page) -> None:
            visit(page, spec.path, status=spec.status)
            lang = page.locator("html").get_attribute("lang")
            assert lang == language, f"<html lang={lang!r}>, expected {language!r}"
            headings = page.locator("h1").all_inner_texts()
            assert len(headings) == 1, f"expected one h1, found {headings}"
            expected = spec.heading_en if language == "en" else spec.heading_nl
            assert headings[0].startswith(expected), f"h1 {headings[0]!r}, expected {expected!r}"
            assert page.locator(spec.content).count() > 0, f"no {spec.content!r} on the page"

        collect_failures(check, f"{public_page.label} ({public_page.path})", failures)
    assert not failures, "\n\n".join(failures)


def test_public_pages_in_dutch_pass_axe(page: Page, demo_world: None) -> None:
    organisation = Organisation.objects.get(slug=ORGANISATION)
    assert selectors.latest_published_assessment(organisation) is not None  # a real scorecard

    _visit_all(page, "nl")


def test_language_button_switches_every_public_page_to_english(
    page: Page, demo_world: None
) -> None:
    norm = next(n for n in selectors.current_norms() if n.number == NORM)
    assert norm.name_en != norm.name_nl

    visit(page, f"/burgerservicecode/{NORM}/")
    assert page.locator("h1").inner_text() == f"{NORM}. {norm.name_nl}"
    page.get_by_role("button", name="English").click()  # posts, and comes back to this page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_check(page)
    assert page.url.endswith(f"/burgerservicecode/{NORM}/")
    # The heading now comes from the English text of the BurgerServiceCode.
    assert page.locator("h1").inner_text() == f"{NORM}. {norm.name_en}"
    assert page.get_by_role("button", name="Nederlands").count() == 1

    _visit_all(page, "en")


def _focus_state(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = el ? getComputedStyle(el) : null;
            const box = el ? el.getBoundingClientRect() : null;
            return {
                tag: el ? el.tagName.toLowerCase() : null,
                index: el ? el.getAttribute('data-e2e-focus') : null,
                text: el ? (el.innerText || el.value || el.outerHTML).trim().slice(0, 60) : '',
                focusVisible: el ? el.matches(':focus-visible') : false,
                outline: style ? style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                               : false,
                shadow: style ? style.boxShadow !== 'none' : false,
                onScreen: box ? box.width > 0 && box.height > 0 && box.bottom > 0
                                && box.right > 0 && box.left < innerWidth && box.top < innerHeight
                              : false,
            };
        }"""
    )


def test_home_page_works_by_keyboard(page: Page, amstelstad: Organisation) -> None:
    visit(page, "/")

    # The first Tab reaches the skip link, which shows itself; Enter moves focus to the content.
    page.keyboard.press("Tab")
    state = _focus_state(page)
    assert state["tag"] == "a" and state["text"] == "Naar de inhoud", state
    assert state["focusVisible"] and state["onScreen"], state
    page.keyboard.press("Enter")
    page.wait_for_url("**/#inhoud")
    assert page.evaluate("() => document.activeElement.matches('main#inhoud')")

    # From the top again: Tab visits every interactive element, each with a visible focus.
    visit(page, "/")
    count = page.evaluate(
        """() => {
            const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
                + ' select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
            const elements = [...document.querySelectorAll(selector)].filter(el =>
                el.closest('[hidden], [inert]') === null
                && (el.getClientRects().length > 0 || el.matches('.utrecht-skip-link')));
            elements.forEach((el, i) => el.setAttribute('data-e2e-focus', String(i)));
            return elements.length;
        }"""
    )
    assert count > 20  # navigation, ten norms, organisations, footer
    reached: set[str] = set()
    previous = None
    for _ in range(count):
        page.keyboard.press("Tab")
        state = _focus_state(page)
        assert state["tag"] not in (None, "body", "html"), f"focus lost after {previous}"
        assert state["index"] is not None, f"focus on an unexpected element: {state}"
        assert state["index"] != previous, f"Tab did not move focus from {state}"
        assert state["focusVisible"] and (state["outline"] or state["shadow"]), (
            f"no visible focus indicator on {state}"
        )
        assert state["onScreen"], f"focused element is off screen: {state}"
        reached.add(state["index"])
        previous = state["index"]
    assert reached == {str(i) for i in range(count)}


def test_axe_check_reports_violations_readably(page: Page) -> None:
    """The harness itself: a broken page fails with rule, impact, target and HTML snippet."""
    visit(page, "/toegankelijkheid/")
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<img src="/static/web/favicon.svg"><button class="e2e-empty"></button>')"""
    )
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    report = str(failure.value)
    assert "2 axe-core violation(s) on " in report
    assert "- image-alt [critical]" in report
    assert "- button-name [critical]" in report
    assert "    at .e2e-empty\n" in report
    assert '<button class="e2e-empty"></button>' in report
