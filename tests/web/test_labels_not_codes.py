"""Labels, never codes: no staff page of the demo organisation shows a stored code as text.

The staff pages are found as a person would find them: every staff URL of the URLconf without
an object in it, then every staff link on the pages reached (so pages about one object are
visited with real objects of the demo world). Codes are the stored values that have a label:
channels, case types, audit actions, import kinds, background variables and their values, and
every choice value with an underscore. Text inside ``<code>`` (the import page lists the codes
a file may use) is allowed. Model norm titles must be in the language of the page.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from burgerlink.charters.charter.display import product_label
from burgerlink.charters.models import BatchKind, CharterNorm, ModelNorm
from burgerlink.core.audit import labelled_actions
from burgerlink.core.demo import load_demo_world
from burgerlink.core.models import AuditEvent, Channel, Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db

STAFF = "/medewerkers/amstelstad/"
MAX_PAGES = 400
FILES = re.compile(r"\.(csv|xlsx|pdf|svg|zip|sav|zsav|json|png|txt)$|/(download|bestand)/?$")
# Background variables of the demo questionnaires and their stored values (synthetic.py).
BACKGROUND_CODES = {"age_group", "sex", "education", "male", "female", "low", "middle", "high"}


class _VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or ``<code>``; ``<title>`` included."""

    SKIP = {"script", "style", "code", "pre", "samp", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, route)
        else:
            routes.append(route)
    return routes


def _start_urls() -> list[str]:
    urls = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith("medewerkers/<slug:slug>/"):
            url = "/" + route.replace("<slug:slug>", "amstelstad")
            if "<" not in url:
                urls.append(url)
    return urls


def crawl(client: Client) -> dict[str, str]:
    """Visible text of every staff page reached from the URLconf and the pages' own links."""
    queue = deque(_start_urls())
    seen = set(queue)
    pages: dict[str, str] = {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _VisibleText()
        parser.feed(response.content.decode())
        pages[url] = " ".join(parser.parts)
        for href in parser.links:
            path = urlsplit(urldefrag(href)[0]).path
            if path.startswith(STAFF) and not FILES.search(path) and path not in seen:
                seen.add(path)
                queue.append(path)
    return pages


def _underscored_choice_values() -> set[str]:
    """Every stored choice value with an underscore (penalty_per_day, quality_manager …)."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("burgerlink."):
            continue
        for field in model._meta.get_fields():
            choices = (
                getattr(field, "flatchoices", None) if isinstance(field, models.Field) else None
            )
            for value, label in choices or []:
                if isinstance(value, str) and "_" in value and value != str(label):
                    values.add(value)
    return values


def known_codes() -> tuple[set[str], set[str]]:
    """Codes that must not show on any page, and codes that must not show on Dutch pages.

    Codes that are ordinary English words (phone, cases, high) can rightly appear in English
    text, so those are only looked for on Dutch pages.
    """
    anywhere: set[str] = set(_underscored_choice_values())
    dutch_pages: set[str] = set(BACKGROUND_CODES) | {kind.value for kind in BatchKind}
    for code, name_nl in Channel.objects.values_list("code", "name_nl"):
        if code.lower() == name_nl.lower():
            continue  # "chat" is called Chat
        (anywhere if "_" in code else dutch_pages).add(code)
    for case_type in CharterNorm.objects.exclude(case_type="").values_list("case_type", flat=True):
        if product_label(case_type).lower() != case_type:
            anywhere.add(case_type)  # "klacht" is called Klacht, a word of its own
    anywhere |= set(AuditEvent.objects.values_list("action", flat=True).distinct())
    anywhere |= labelled_actions()
    return anywhere, dutch_pages


# "ISO 8601" is the name of a standard, not a number to read.
UNGROUPED = re.compile(r"(?<![\w.,:/#-])(?<!ISO )\d{4,}(?![\w:/-]|[.,]\d)")
ENGLISH_GROUPING = re.compile(r"(?<![\w.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])")
DUTCH_GROUPING = re.compile(r"(?<![\w.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d.])")
ABBREVIATED_MONTH = re.compile(
    r"\b\d{1,2} (?:Jan|Feb|Mrt|Mar|Apr|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dec)\b\.?"
)


def _a_year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2199


def _shown(code: str, text: str) -> bool:
    # A code in quotes is quoted as a code (a JSON example of what to type), not used as a label.
    return re.search(rf"(?<![\w.@/\"-]){re.escape(code)}(?![\w@/\"-]|\.\w)", text) is not None


@pytest.fixture
def everyone(db: None) -> Client:
    """A member of the demo organisation with every role, signed in."""
    load_demo_world()
    organisation = Organisation.objects.get(slug="amstelstad")
    user = User.objects.create_user("alle.rollen", "alle.rollen@example.org", "x")
    for role in Role:
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    client = Client()
    client.force_login(user)
    return client


def test_every_staff_page_reads_as_its_readers_expect(everyone: Client) -> None:
    """Labels not codes, numbers and dates written for the page's language, norm titles too."""
    dutch = crawl(everyone)
    assert len(dutch) >= 40, sorted(dutch)  # the crawl reached the staff area
    assert any("/auditlog/" in url for url in dutch)
    anywhere, dutch_only = known_codes()
    assert {"phone", "charter.version.publish", "cases"} <= anywhere | dutch_only

    everyone.cookies["burgerlink_language"] = "en"
    english = {url: text for url in dutch if (text := _english(everyone, url))}

    found = [
        f"{url}: {code}"
        for url, text in dutch.items()
        for code in sorted(anywhere | dutch_only)
        if _shown(code, text)
    ]
    found += [
        f"{url} (en): {code}"
        for url, text in english.items()
        for code in sorted(anywhere)
        if _shown(code, text)
    ]
    assert not found, "codes shown where a label exists:\n" + "\n".join(found)

    # Numbers as the page's readers write them: thousands grouped (years and codes aside), and
    # the separators of the page's language.
    badly_written = [
        f"{url}: {match.group()!r}"
        for url, text in dutch.items()
        for match in UNGROUPED.finditer(text)
        if not _a_year(match.group())
    ]
    badly_written += [
        f"{url}: {match.group()!r} (English grouping on a Dutch page)"
        for url, text in dutch.items()
        for match in ENGLISH_GROUPING.finditer(text)
    ]
    badly_written += [
        f"{url} (en): {match.group()!r}"
        for url, text in english.items()
        for match in UNGROUPED.finditer(text)
        if not _a_year(match.group())
    ]
    badly_written += [
        f"{url} (en): {match.group()!r} (Dutch grouping on an English page)"
        for url, text in english.items()
        for match in DUTCH_GROUPING.finditer(text)
    ]
    assert not badly_written, "numbers not written for the page:\n" + "\n".join(badly_written)

    # Dates in words of the page's language: no abbreviated months ("3 Okt", "Dec").
    months = [
        f"{url}: {match.group()!r}"
        for url, text in {**dutch, **{f"{u} (en)": t for u, t in english.items()}}.items()
        for match in ABBREVIATED_MONTH.finditer(text)
    ]
    assert not months, "abbreviated months:\n" + "\n".join(months)

    # Model norm titles in the language of the page.
    titles = [(nl, en) for nl, en in ModelNorm.objects.values_list("title_nl", "title_en") if en]
    wrong = [
        f"{url}: {nl!r} on an English page"
        for url, text in english.items()
        for nl, en in titles
        if nl != en and nl in text
    ]
    wrong += [
        f"{url}: {en!r} on a Dutch page"
        for url, text in dutch.items()
        for nl, en in titles
        if nl != en and en in text
    ]
    assert not wrong, "\n".join(wrong)


def _english(client: Client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        return ""
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)
