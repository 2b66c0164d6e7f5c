"""Addresses fieldwork hands out: respondents' personal links, open links, paper entry.

The respondent's pages and paper entry belong to the respond area of the surveys app; their URL
names are looked up here (the agreed names first, then the ones the area registered), with the
documented paths as a fallback.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.urls import NoReverseMatch, reverse

DEFAULT_SITE_URL = "http://localhost:8000/"


def site_url(base_url: str = "") -> str:
    """The site's root address: ``base_url`` when given, else ``settings.SITE_URL``.

    Background tasks have no request to build an absolute address from; views pass the
    request's root, the reminder command takes ``--site-url``.
    """
    root = base_url or getattr(settings, "SITE_URL", "") or DEFAULT_SITE_URL
    return root if root.endswith("/") else root + "/"


def _reverse_first(names: tuple[str, ...], kwargs: dict[str, object]) -> str | None:
    """Reverse the first of ``names`` that exists, or None when none does."""
    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


# The names in the brief first, then the names the respondent area registered.
RESPOND_NAMES = ("surveys:respond", "surveys:respond-start")
OPEN_LINK_NAMES = ("surveys:open-link", "surveys:respond-open-start")
PAPER_ENTRY_NAMES = ("surveys:paper-entry", "surveys:respond-paper")


def respond_path(token: str) -> str:
    """The site-relative address of a respondent's questionnaire (``/enquete/<token>/``)."""
    return _reverse_first(RESPOND_NAMES, {"token": token}) or f"/enquete/{token}/"


def respond_url(token: str, base_url: str = "") -> str:
    """The absolute personal link for an invitee's token."""
    return urljoin(site_url(base_url), respond_path(token))


def open_link_path(code: str) -> str:
    """The site-relative address of a wave's open link (``/enquete/open/<code>/``)."""
    return _reverse_first(OPEN_LINK_NAMES, {"code": code}) or f"/enquete/open/{code}/"


def open_link_url(code: str, base_url: str = "") -> str:
    """The absolute open link of a wave."""
    return urljoin(site_url(base_url), open_link_path(code))


def paper_entry_path(slug: str, wave_id: int) -> str | None:
    """Where staff type in paper questionnaires, None when that page does not exist."""
    return _reverse_first(PAPER_ENTRY_NAMES, {"slug": slug, "wave_id": wave_id})
