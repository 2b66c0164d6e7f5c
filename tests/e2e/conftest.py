"""Browser-test harness: real Chromium through Playwright, pytest-django's live server, axe-core.

Every test here is marked ``browser``. Without a Chromium the tests do not run, unless
``REQUIRE_BROWSER=1`` is set: then they fail with a message saying what is missing.

The rules this harness enforces for every page a test loads:

* ``visit(page, path)`` loads a page, checks the HTTP status and runs axe-core on it (WCAG 2.1 A
  and AA rules); the test fails with a readable list of violations.
* Pages reached by clicking (a submitted form, a followed link) are checked with
  ``axe_check(page)``. A page that was loaded but never checked fails the test at teardown, so
  no page slips through unchecked.
* JavaScript errors and console errors (such as Content-Security-Policy violations) on a page
  fail its check as well.

Fixtures: ``page`` (a fresh browser context per test, Dutch as the browser language, aimed at
pytest-django's ``live_server``), ``demo_world`` (the core demo world), ``load_demo`` (the
core world plus named capability steps) and ``new_visitor`` (a page for another visitor, in a
context of its own). Each xdist worker starts one Chromium and reuses it.

    from tests.e2e.conftest import axe_check, visit

    def test_something(page: Page, demo_world: None) -> None:
        visit(page, "/organisaties/")
        page.get_by_role("link", name="Gemeente Amstelstad").click()
        page.wait_for_url("**/organisaties/amstelstad/")
        axe_check(page)
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.urls import get_resolver
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from burgerlink.core import demo

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM_CANDIDATES = ("/usr/bin/chromium",)
# Headless, and quiet on the network: without the background flags Chromium keeps contacting
# Google services, which floods a closed network (and slows every test down).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# Generous for loaded CI machines: a failing wait costs its timeout, a passing one nothing.
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 30_000
expect.set_options(timeout=NAVIGATION_TIMEOUT_MS)  # expect() mostly waits for a new page
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def chromium_executable() -> str | None:
    """Return the Chromium to drive, or None when there is none.

    ``BURGERLINK_CHROMIUM`` names another executable (a laptop's Chrome, say); otherwise Debian's
    ``/usr/bin/chromium`` or a ``chromium`` on PATH.
    """
    override = os.environ.get("BURGERLINK_CHROMIUM", "").strip()
    if override:
        return override if os.access(override, os.X_OK) else None
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def browser_required() -> bool:
    """REQUIRE_BROWSER=1 (CI) turns a missing browser from "not run" into a failure."""
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(item.path).resolve().parents


NO_BROWSER = (
    "no Chromium: install Debian's 'chromium' package (/usr/bin/chromium), put a 'chromium' "
    "on PATH, or name one in BURGERLINK_CHROMIUM"
)


def _fail_instead_of_running(item: pytest.Item) -> None:
    """Make ``item`` fail at once with NO_BROWSER, without a database, server or browser."""

    def fail() -> None:
        pytest.fail(f"REQUIRE_BROWSER=1 but {NO_BROWSER}.", pytrace=False)

    item.setup = lambda: None  # type: ignore[method-assign]
    item.runtest = fail  # type: ignore[method-assign]


@pytest.hookimpl(tryfirst=True)  # before ``-m "not browser"`` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark browser tests; without a Chromium they do not run, or fail when it is required."""
    missing = chromium_executable() is None
    for item in items:
        if not _is_e2e(item):
            continue
        item.add_marker(pytest.mark.browser)
        if missing and browser_required():
            _fail_instead_of_running(item)
        elif missing:
            reason = f"{NO_BROWSER} (set REQUIRE_BROWSER=1 to make this a failure)"
            item.add_marker(pytest.mark.skipif(True, reason=reason))


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether the test body failed, so teardown checks do not pile on."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


# --- the browser --------------------------------------------------------------------------


class Driver:
    """Playwright's sync driver, whose event loop only counts as running during browser tests.

    Between its calls the sync API leaves an asyncio loop marked as running in the main thread.
    In that state Django (1) refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set and
    (2) looks database connections up per async context, so test code would get a connection
    of its own instead of the one the test database, the serialized rollback and the live
    server use. Other tests in the same worker must not notice the browser either (no running
    loop, no DJANGO_ALLOW_ASYNC_UNSAFE in the environment of their subprocesses).

    So the loop is marked as running only inside ``active()``: for the duration of a browser
    test, with Django's connections carried over and DJANGO_ALLOW_ASYNC_UNSAFE set.
    """

    def __init__(self) -> None:
        self._manager = sync_playwright()
        self.playwright = self._manager.start()
        self._loop = asyncio.get_running_loop()
        self._hide()

    @staticmethod
    def _hide() -> None:
        asyncio._set_running_loop(None)

    @contextmanager
    def active(self) -> Iterator[Playwright]:
        """Let Playwright run; Django keeps its connections and allows the ORM meanwhile."""
        if asyncio._get_running_loop() is self._loop:  # already active
            yield self.playwright
            return
        carried = {alias: connections[alias] for alias in connections}
        previous = os.environ.get(ASYNC_UNSAFE)
        asyncio._set_running_loop(self._loop)
        os.environ[ASYNC_UNSAFE] = "true"
        for alias, connection in carried.items():
            connections[alias] = connection  # the same connection in the loop's context
        try:
            yield self.playwright
        finally:
            self._hide()
            if previous is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = previous

    def stop(self) -> None:
        """Stop the driver (and with it every browser it started)."""
        with self.active():
            self.playwright.stop()


@pytest.fixture(scope="session")
def driver() -> Iterator[Driver]:
    """One Playwright driver per worker process."""
    instance = Driver()
    yield instance
    instance.stop()


@pytest.fixture
def playwright(driver: Driver) -> Iterator[Playwright]:
    """Playwright, active for the duration of one test (see ``Driver``)."""
    with driver.active() as active:
        yield active


@pytest.fixture(scope="session")
def browser(driver: Driver) -> Iterator[Browser]:
    """One headless Chromium per worker process, shared by all its tests."""
    executable = chromium_executable()
    if executable is None:
        pytest.fail(f"{NO_BROWSER}.", pytrace=False)
    with driver.active() as active:
        instance = active.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    yield instance
    with driver.active():
        instance.close()


@pytest.fixture(scope="session")
def warm_django() -> None:
    """Import every URLconf (and so every view) once, before the first page's clock starts."""
    get_resolver().resolve("/")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core script from npm (``npm ci`` installs it in node_modules)."""
    path = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.fail(f"axe-core is missing at {path}: run `npm ci` first.", pytrace=False)
    return path.read_text(encoding="utf-8")


@dataclass
class PageLog:
    """What happened on a page since its last axe check."""

    axe_source: str
    unchecked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


_LOGS: dict[Page, PageLog] = {}


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _watch(page: Page, log: PageLog) -> None:
    def loaded(loaded_page: Page) -> None:
        log.unchecked.append(_without_fragment(loaded_page.url))

    def console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # The document's own HTTP status (a deliberate 404) is asserted by visit().
        location = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and _without_fragment(
            location
        ) == _without_fragment(page.url):
            return
        log.errors.append(f"console error: {message.text}" + (f" ({location})" if location else ""))

    def page_error(error: Error) -> None:
        log.errors.append(f"JavaScript error: {error.message}")

    page.on("load", loaded)
    page.on("console", console)
    page.on("pageerror", page_error)


@pytest.fixture
def context(
    playwright: Playwright,
    browser: Browser,
    live_server: LiveServer,
    django_db_serialized_rollback: None,
    warm_django: None,
) -> Iterator[BrowserContext]:
    """A fresh browser context (own cookies) aimed at the live server, in Dutch.

    ``playwright`` comes first: it makes Playwright usable for the rest of the test. The live
    server needs a transactional database, which is emptied after each test; the serialized
    rollback puts the reference data of the migrations (BurgerServiceCode, catalogues) back
    for the next test.
    """
    browser_context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        timezone_id=settings.TIME_ZONE,
        viewport={"width": 1280, "height": 900},
    )
    browser_context.set_default_timeout(ACTION_TIMEOUT_MS)
    browser_context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, context: BrowserContext, axe_source: str
) -> Iterator[Page]:
    """A page in a fresh context; fails the test if it loaded a page it never axe-checked."""
    new_page = context.new_page()
    log = PageLog(axe_source=axe_source)
    _LOGS[new_page] = log
    _watch(new_page, log)
    yield new_page
    _LOGS.pop(new_page, None)
    if request.node.stash.get(_CALL_FAILED, True):
        return
    unchecked = sorted(set(log.unchecked))
    if unchecked:
        raise AssertionError(
            "pages loaded without an accessibility check (use visit() or axe_check()): "
            + ", ".join(unchecked)
        )


@pytest.fixture
def new_visitor(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: LiveServer,
    context: BrowserContext,
    axe_source: str,
) -> Iterator[Callable[[], Page]]:
    """Open a page for another visitor: a context of its own (no cookies), like ``page``'s.

    ``new_visitor()`` returns a page with the same checks as ``page``: ``visit`` and
    ``axe_check`` work on it, and a page it loaded but never checked fails the test.
    """
    opened: list[tuple[BrowserContext, Page, PageLog]] = []

    def open_page() -> Page:
        other = browser.new_context(
            base_url=live_server.url,
            locale="nl-NL",
            timezone_id=settings.TIME_ZONE,
            viewport={"width": 1280, "height": 900},
        )
        other.set_default_timeout(ACTION_TIMEOUT_MS)
        other.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        new_page = other.new_page()
        log = PageLog(axe_source=axe_source)
        _LOGS[new_page] = log
        _watch(new_page, log)
        opened.append((other, new_page, log))
        return new_page

    yield open_page
    unchecked: set[str] = set()
    for other, new_page, log in opened:
        _LOGS.pop(new_page, None)
        unchecked.update(log.unchecked)
        other.close()
    if unchecked and not request.node.stash.get(_CALL_FAILED, True):
        raise AssertionError(
            "pages loaded without an accessibility check (use visit() or axe_check()): "
            + ", ".join(sorted(unchecked))
        )


@pytest.fixture
def load_demo(transactional_db: None) -> Callable[..., None]:
    """Load the core demo world plus the named capability steps (``register_step`` names).

    The core world (organisations, staff, calendars, published self-assessments) takes about
    a second. Capability steps can be heavy (the records step imports some 400,000 contacts),
    so a test names only the ones it needs, e.g. ``load_demo("Kwaliteitshandvesten")``.
    """

    def load(*steps: str) -> None:
        demo.load_demo_world(steps=list(steps))

    return load


@pytest.fixture
def demo_world(load_demo: Callable[..., None]) -> None:
    """The core demo world: organisations, staff, calendars, published self-assessments."""
    load_demo()


# --- helpers for tests --------------------------------------------------------------------


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe-core violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact') or 'n/a'}] {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            # A target is a CSS selector, or a list of them into iframes and shadow roots.
            target = " >>> ".join(
                part if isinstance(part, str) else " >>> ".join(part) for part in node["target"]
            )
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Assert that the current page has no axe-core violations of WCAG 2.1 A/AA, nor JS errors.

    Use it after every click or submit that loads a new page; ``visit`` calls it for you.
    """
    log = _LOGS[page]
    page.wait_for_load_state("load")
    url = page.url
    # page.evaluate runs through the DevTools protocol, outside the page's strict CSP.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(log.axe_source)
    result = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    problems = []
    if result["violations"]:
        problems.append(_format_violations(url, result["violations"]))
    if log.errors:
        problems.append(f"errors on {url}:\n" + "\n".join(f"- {e}" for e in log.errors))
        log.errors.clear()
    base = _without_fragment(url)
    log.unchecked[:] = [loaded for loaded in log.unchecked if loaded != base]
    if problems:
        raise AssertionError("\n".join(problems))


def visit(page: Page, path: str, *, status: int = 200) -> Response:
    """Load ``path`` (relative to the live server), assert its HTTP status and run axe on it."""
    response = page.goto(path)
    if response is None:
        raise AssertionError(f"no response for {path}")
    if response.status != status:
        raise AssertionError(f"{path}: HTTP {response.status}, expected {status}")
    axe_check(page)
    return response


def collect_failures(check: Callable[[], object], label: str, failures: list[str]) -> None:
    """Run ``check``; record an AssertionError under ``label`` instead of stopping the test."""
    try:
        check()
    except AssertionError as error:
        failures.append(f"{label}: {error}")
