"""Every page fits a phone: nothing scrolls sideways at 320 CSS pixels (WCAG 1.4.10, Reflow).

The pages come from the URLconf, not from a list: every public page and every staff page of the
demo organisation, in one browser, at 320 px. Pages without parameters are opened directly; a
page with parameters (a wave, a norm, a version) is opened at the first link to it that another
page shows, so a new page is covered as soon as something links to it. Pages behind a secret
(an invitation, a survey token, a claim's status) get their secret from the demo world or from
a service here. At the end every page of the URLconf must have been seen, or be named below
with the reason it cannot be.

On every page:

* ``document.documentElement.scrollWidth`` stays within the 320 px of the screen;
* whatever scrolls sideways inside the page is a region that says so: a table in a
  ``role="region"`` with a name and ``tabindex="0"`` (WCAG 1.4.10 allows two-dimensional data
  tables to scroll, as long as a keyboard user can reach and scroll the region);
* headings keep their distance from the text above them (the vertical rhythm).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import BrowserContext, Error, Page

from burgerlink.core import demo
from burgerlink.core.models import Organisation, Role, User
from burgerlink.core.services import invite_member
from burgerlink.surveys.models import Wave
from tests.surveys.respond.factories import make_invitee, make_wave

WIDTH = 320
SLUG = "amstelstad"
STAFF_USER = "anna.admin"  # the administrator holds every permission
NOT_PAGES = ("api/", "beheer/")  # the API, and Django's admin for the platform operator
# Pages that no link leads to, reached only after a form or by htmx, each measured at 320 px by
# the journey that gets there.
NOT_LINKED = {
    "surveys:respond-done": "the thank-you page after the last answer (test_survey_respondent)",
    "surveys:respond-open-done": "the same thank-you page, for an open link",
    "surveys:results-export-status": "the export list's fragment, fetched by htmx while an export"
    " runs (test_survey_results_journey)",
    "web:password-reset-done": "after the reset form (a POST); one sentence",
    "web:password-reset-complete": "after choosing a new password (a POST); one sentence",
    "web:login-verify": "the code step of a login with an authenticator app",
}
# Checks in the page: how wide it is, what scrolls sideways without saying so, and headings that
# stick to what is above them.
MEASURE = """() => {
  const main = document.querySelector('main');
  const unmarked = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    const named = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    if (!(el.getAttribute('role') === 'region' && named && el.getAttribute('tabindex') === '0'))
      unmarked.push(el.outerHTML.slice(0, 120));
  }
  const cramped = [];
  for (const heading of main ? main.querySelectorAll('h2, h3') : []) {
    const before = heading.previousElementSibling;
    if (!before || before.getClientRects().length === 0 || heading.closest('.card, td, th, legend')) continue;
    const gap = heading.getBoundingClientRect().top - before.getBoundingClientRect().bottom;
    const least = heading.tagName === 'H2' ? 24 : 16;
    if (gap < least) cramped.push(`${heading.tagName.toLowerCase()} "${heading.innerText.slice(0, 50)}" ${Math.round(gap)} px`);
  }
  const wide = [];
  if (document.documentElement.scrollWidth > innerWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      const loose = !el.closest('[role=region]') || ['absolute', 'fixed'].includes(getComputedStyle(el).position);
      if (box.right > innerWidth + 1 && loose)
        wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(box.right)} px)`);
    }
  }
  return {width: document.documentElement.scrollWidth, unmarked, cramped, wide: wide.slice(-3)};
}"""
ANOTHER_LOOK = 3  # other addresses of one page opened while some page is still unseen
FILE_ROUTE = re.compile(r"\.[\w<>:]+$")  # thema.css, grafiek.svg, rapport.pdf, voorbeeld.<fmt>


@dataclass(frozen=True)
class Route:
    """A page of the URLconf: its name (with namespace) and its pattern."""

    name: str
    pattern: str

    @property
    def staff(self) -> bool:
        return self.pattern.startswith("medewerkers/")

    @property
    def has_parameters(self) -> bool:
        return "<" in self.pattern


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> list[Route]:
    found: list[Route] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _routes(pattern.url_patterns, route, inner)
        elif pattern.name:
            found.append(Route(namespace + pattern.name, route))
    return found


def page_routes() -> list[Route]:
    """Every route that can be a page: not the API or the admin, not a file (PDF, SVG, CSS)."""
    return [
        route
        for route in _routes(get_resolver().url_patterns)
        if not route.pattern.startswith(NOT_PAGES) and not FILE_ROUTE.search(route.pattern)
    ]


def test_the_routes_are_discovered() -> None:
    names = {route.name for route in page_routes()}
    assert {"web:home", "web:staff-dashboard", "charters:charter-public"} <= names
    assert "charters:accountability-pdf" not in names  # a file, not a page
    assert all(name in names for name in NOT_LINKED), "a stale entry in NOT_LINKED"


@dataclass
class Sweep:
    """The pages seen so far and what was wrong with them."""

    page: Page
    origin: str
    routes: dict[str, Route]
    seen: dict[str, str] = field(default_factory=dict)  # route name -> the path measured there
    queue: list[str] = field(default_factory=list)
    actions: set[str] = field(default_factory=set)  # routes without a page: POST only, redirects
    measured: set[str] = field(default_factory=set)  # every address opened
    problems: list[str] = field(default_factory=list)

    def route_of(self, path: str) -> Route | None:
        try:
            name = resolve(path).view_name
        except Resolver404:
            return None
        return self.routes.get(name)

    def unseen(self) -> set[str]:
        """The pages not seen yet (actions and pages reached otherwise do not count)."""
        return set(self.routes) - set(self.seen) - self.actions - set(NOT_LINKED)

    @staticmethod
    def in_scope(route: Route, path: str, *, staff: bool) -> bool:
        """Whether ``path`` belongs to the part of the site being swept (public or staff)."""
        if route.staff != staff:
            return False
        # Staff pages of the demo organisation only (the administrator belongs to no other).
        return "<slug:slug>" not in route.pattern or not route.staff or f"/{SLUG}/" in path

    def measure(self, path: str) -> None:
        """Open ``path``, measure it, and queue the links it shows."""
        self.measured.add(path)
        asked = self.route_of(urlsplit(path).path)
        try:
            response = self.page.goto(self.origin + path)
        except Error:  # Chromium shows no page for an empty answer, such as a 405
            response = None
        if response is None or response.status == 405:
            if asked is not None:
                self.actions.add(asked.name)  # an action without a page (POST only)
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            if asked is not None:
                self.seen.setdefault(asked.name, path)  # a download: no page to measure
            return
        route = self.route_of(urlsplit(self.page.url).path)
        if asked is not None and route is not None and asked != route and route.name != "web:login":
            self.actions.add(asked.name)  # only sends on (the staff home to the one dashboard)
        if route is None:
            return
        self.seen.setdefault(route.name, path)
        if response.status >= 400:
            self.problems.append(f"{path}: HTTP {response.status}")
            return
        if self.page.locator("main").count() == 0:
            return  # a fragment that htmx swaps into a page (an export list), not a page
        found = self.page.evaluate(MEASURE)
        if found["width"] > WIDTH:
            self.problems.append(
                f"{path}: {found['width']} px wide at {WIDTH} px; sticking out: "
                + ", ".join(found["wide"])
            )
        for html in found["unmarked"]:
            self.problems.append(f"{path}: scrolls sideways without a named region: {html}")
        for heading in found["cramped"]:
            self.problems.append(f"{path}: no room above {heading}")
        for action in self.page.eval_on_selector_all(
            "form[method=post]", "forms => forms.map(form => form.action)"
        ):
            acting = self.route_of(urlsplit(action).path)
            if acting is not None:
                self.actions.add(acting.name)
        for href in self.page.eval_on_selector_all(
            "a[href], [hx-get]",
            "links => links.map(link => link.href || new URL(link.getAttribute('hx-get'), location.href).href)",
        ):
            parts = urlsplit(href)
            if parts.netloc == urlsplit(self.origin).netloc and parts.path not in self.queue:
                self.queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))

    def crawl(self, starts: list[str], *, staff: bool) -> None:
        """Measure ``starts``, then every page not seen yet that they (and so on) link to.

        One address per page first. While some page is still unseen, other addresses of pages
        already seen are opened too (up to ``ANOTHER_LOOK`` each): a draft's page links to
        pages that a published version's does not.
        """
        self.queue[:0] = starts
        self.measured.difference_update(starts)  # a start is opened again (as someone else)
        later: list[str] = []
        looks: dict[str, int] = {}
        while self.queue or (later and self.unseen()):
            if not self.queue:
                self.measure(later.pop(0))  # another look at a page seen at another address
                continue
            path = self.queue.pop(0)
            route = self.route_of(urlsplit(path).path)
            if path in self.measured or route is None or route.name in self.actions:
                continue
            if not self.in_scope(route, path, staff=staff):
                continue
            if route.name not in self.seen:
                self.measure(path)
            elif path not in later and looks.get(route.name, 0) < ANOTHER_LOOK:
                looks[route.name] = looks.get(route.name, 0) + 1
                later.append(path)


def _takes_only_posts(route: Route) -> bool:
    """Whether a route is an action without a page: a GET gets 405 (no GET ever acts)."""
    client = Client()
    client.force_login(User.objects.get(username=STAFF_USER))
    path = route.pattern.replace("<slug:slug>", SLUG)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    return client.get("/" + path).status_code == 405


def _sign_in(page: Page, origin: str, username: str) -> None:
    page.goto(origin + "/inloggen/")
    page.get_by_label("Gebruikersnaam", exact=True).fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(settings.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/medewerkers/|/privacyverzoeken/|/$"))


def _secret_pages(organisation: Organisation, origin: str) -> list[str]:
    """Pages behind a secret: the links in the e-mails that the services send for them.

    An invitation, a compensation claim, a petition and its signature, each made here through
    its service; the password reset link is made as Django's form makes it.
    """
    from burgerlink.charters.compensation.services import issue_claim_codes, submit_claim
    from burgerlink.charters.models import CompensationEntry, EntryStatus
    from burgerlink.participation.models import Petition
    from burgerlink.participation.petitions.services import sign_petition, start_petition

    mail.outbox.clear()
    invite_member(
        organisation=organisation,
        email="nieuwe.collega@example.org",
        role=Role.RESEARCHER,
        link_for=lambda secret: f"{origin}/uitnodiging/{secret}/",
        by=None,
    )
    owed = CompensationEntry.objects.filter(
        organisation=organisation, status=EntryStatus.OWED, claims__isnull=True
    ).first()
    assert owed is not None, "the demo world owes no compensation"
    (issued,) = issue_claim_codes(
        organisation=organisation, references=[owed.source_id], actor_label="test"
    )
    submit_claim(
        organisation=organisation,
        reference=issued.reference,
        claim_code=issued.claim_code,
        email="burger@example.org",
        iban="NL91ABNA0417164300",
        client_ip="192.0.2.1",
        base_url=f"{origin}/",
    )
    start_petition(
        organisation=organisation,
        title="Meer bankjes in het park",
        text="Wij vragen de gemeente om meer bankjes in het park.",
        petitioner_name="Anna Burger",
        petitioner_email="anna.burger@example.org",
        language="nl",
        base_url=f"{origin}/",
    )
    collecting = Petition.objects.filter(organisation=organisation, stage="collecting").first()
    assert collecting is not None, "the demo world has no petition to sign"
    sign_petition(
        petition=collecting,
        name="Bram Burger",
        show_name=False,
        email="bram.burger@example.org",
        place="Amstelstad",
        language="nl",
        client_ip="192.0.2.2",
        base_url=f"{origin}/",
    )
    links = {
        urlsplit(link).path
        for message in mail.outbox
        for link in re.findall(r"https?://[^\s<>\"]+", str(message.body))
    }
    anna = User.objects.get(username=STAFF_USER)
    uid = urlsafe_base64_encode(force_bytes(anna.pk))
    links.add(f"/wachtwoord-kiezen/{uid}/{default_token_generator.make_token(anna)}/")
    return sorted(links)


def _objects_in_every_state(organisation: Organisation) -> tuple[int, list[str]]:
    """What the demo world lacks: drafts to edit, a wave in fieldwork, finished exports.

    Returns the open wave's id and the staff pages of these objects: a page looks different
    for a draft than for a published version, so these are measured first.
    """
    from burgerlink.charters.charter.services import new_draft_from
    from burgerlink.charters.models import CharterVersion
    from burgerlink.core.exports.services import request_export
    from burgerlink.surveys.models import QuestionnaireVersion, Wave

    anna = User.objects.get(username=STAFF_USER)
    published = (
        CharterVersion.objects.filter(
            charter__organisation=organisation, published_at__isnull=False
        )
        .order_by("-number")
        .first()
    )
    assert published is not None, "the demo world has no published charter"
    charter_draft = new_draft_from(published, by=anna)
    questionnaire_draft = QuestionnaireVersion.objects.filter(
        questionnaire__organisation=organisation, status="draft"
    ).first()
    assert questionnaire_draft is not None, "the demo world has no draft questionnaire"
    request_export(
        organisation=organisation,
        kind="charters.compensation_register",
        file_format="csv",
        by=anna,
    )
    for wave in Wave.objects.filter(organisation=organisation):
        request_export(
            organisation=organisation,
            kind="surveys.responses",
            subject=str(wave.pk),
            file_format="csv",
            by=anna,
        )
    wave = make_wave(organisation, open_link="reflow-open")  # open now, unlike the demo's
    staff = f"/medewerkers/{SLUG}"
    return wave.pk, [
        f"{staff}/handvest/versies/{charter_draft.pk}/",
        f"{staff}/onderzoek/vragenlijsten/versies/{questionnaire_draft.pk}/",
        f"{staff}/onderzoek/metingen/{wave.pk}/",
    ]


def _start_questionnaire(sweep: Sweep, path: str) -> None:
    """Measure a questionnaire's start page and press its start button: its first page."""
    sweep.crawl([path], staff=False)
    sweep.page.get_by_role("button", name=re.compile("^Begin")).click()
    sweep.page.wait_for_url("**/pagina/**")
    sweep.crawl([urlsplit(sweep.page.url).path], staff=False)


def test_every_page_fits_a_320_pixel_screen(
    context: BrowserContext, load_demo: Callable[..., None], live_server: object
) -> None:
    load_demo(*demo.step_names())
    organisation = Organisation.objects.get(slug=SLUG)
    routes = {route.name: route for route in page_routes()}
    page = context.new_page()
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sweep = Sweep(page, str(getattr(live_server, "url", "")), routes)
    sweep.actions |= {name for name, route in routes.items() if _takes_only_posts(route)}
    # Pages without parameters other than the organisation, which is the demo's Amstelstad.
    plain = [
        "/" + route.pattern.replace("<slug:slug>", SLUG)
        for route in routes.values()
        if "<" not in route.pattern.replace("<slug:slug>", "")
    ]

    # A visitor first: public pages look different to a signed-in member (the login page).
    sweep.crawl([path for path in plain if not path.startswith("/medewerkers/")], staff=False)
    sweep.crawl(_secret_pages(organisation, sweep.origin), staff=False)
    wave_id, in_every_state = _objects_in_every_state(organisation)
    wave = Wave.objects.get(pk=wave_id)
    _start_questionnaire(sweep, f"/enquete/open/{wave.open_link}/")
    _start_questionnaire(sweep, f"/enquete/{make_invitee(wave, 'reflow-token').token}/")

    _sign_in(page, sweep.origin, STAFF_USER)
    staff_plain = [path for path in plain if path.startswith("/medewerkers/")]
    sweep.crawl(in_every_state + staff_plain, staff=True)
    # The platform operator's own pages (privacy requests across organisations).
    context.clear_cookies()
    _sign_in(page, sweep.origin, demo.OPERATOR[0])
    sweep.crawl([path for path in plain if not path.startswith("/medewerkers/")], staff=False)

    missing = sorted(sweep.unseen())
    assert not missing, (
        "pages never reached (no link to them in the demo world; give them one, or a secret in"
        f" _secret_pages): {missing}"
    )
    assert not sweep.problems, f"{len(sweep.problems)} problem(s):\n" + "\n".join(sweep.problems)
    page.close()
