"""Tenancy: a member of one organisation gets nothing from another's staff pages or API.

The URL list is discovered from the URLconf, so staff pages added by later modules are covered
without touching this test.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from burgerlink.core.models import Organisation, User
from tests.conftest import client_for

STAFF_PREFIX = "medewerkers/<slug:slug>/"


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, route)
        else:
            routes.append(route)
    return routes


def staff_routes() -> list[str]:
    """Every staff URL of one organisation, with converters filled in for Amstelstad."""
    urls = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(STAFF_PREFIX):
            url = route.replace("<slug:slug>", "amstelstad")
            url = re.sub(r"<int:\w+>", "1", url)
            url = re.sub(r"<(?:str:|slug:)?\w+>", "x", url)
            urls.append("/" + url)
    return urls


STAFF_URLS = staff_routes()


def test_the_staff_area_is_discovered() -> None:
    assert "/medewerkers/amstelstad/" in STAFF_URLS
    assert "/medewerkers/amstelstad/kalender/" in STAFF_URLS
    assert len(STAFF_URLS) >= 10


@pytest.mark.parametrize("url", STAFF_URLS)
def test_member_of_another_organisation_gets_404(
    url: str, amstelstad: Organisation, henk_heidedorp: User
) -> None:
    client = client_for(henk_heidedorp)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code in {404, 405}


@pytest.mark.parametrize("url", STAFF_URLS)
def test_anonymous_visitor_is_sent_to_login(url: str, amstelstad: Organisation) -> None:
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_member_without_the_role_gets_403(amstelstad: Organisation, carla_comms: User) -> None:
    client = client_for(carla_comms)
    assert client.get("/medewerkers/amstelstad/").status_code == 200
    for url in (
        "/medewerkers/amstelstad/kalender/",
        "/medewerkers/amstelstad/api-sleutels/",
        "/medewerkers/amstelstad/collega-s/",
        "/medewerkers/amstelstad/auditlog/",
    ):
        assert client.get(url).status_code == 403, url


def test_administrator_reaches_every_staff_page_of_own_organisation(
    amstelstad: Organisation, anna_admin: User
) -> None:
    client = client_for(anna_admin)
    for url in STAFF_URLS:
        if "/1/" in url:
            continue  # pages about one object need that object; covered elsewhere
        response = client.get(url)
        if response.status_code == 405:
            # An action without a page of its own (no action is confirmed by a GET).
            assert response["Allow"] == "POST", url
            continue
        assert response.status_code == 200, url
