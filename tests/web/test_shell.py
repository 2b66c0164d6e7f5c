"""The staff shell: the typed staff request, its permissions once per request, no-store, TOTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from burgerlink.core.models import Organisation, User
from burgerlink.core.permissions import Perm
from burgerlink.web.shell import StaffRequest, render_staff, staff_request, staff_view
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "burgerlink"


def _call(view: Callable[..., HttpResponseBase], user: User, slug: str) -> HttpResponseBase:
    request = RequestFactory().get(f"/medewerkers/{slug}/")
    request.user = user
    return view(request, slug=slug)


def test_a_staff_view_receives_a_typed_staff_request(
    amstelstad: Organisation, kees_quality: User
) -> None:
    seen: list[StaffRequest] = []

    @staff_view(Perm.VIEW_DASHBOARD)
    def view(request: StaffRequest, organisation: Organisation) -> HttpResponse:
        seen.append(request)
        return HttpResponse("ok")

    response = _call(view, kees_quality, "amstelstad")
    assert response.status_code == 200
    (request,) = seen
    assert isinstance(request, StaffRequest)
    assert isinstance(request, HttpRequest)
    assert request.organisation == amstelstad
    assert Perm.MANAGE_CHARTERS in request.organisation_perms
    assert request.can(Perm.IMPORT_RECORDS)
    assert not request.can(Perm.MANAGE_MEMBERS)  # a quality manager is no administrator
    assert staff_request(request) is request


def test_the_shell_resolves_organisation_and_permissions_in_one_query(
    amstelstad: Organisation, anna_admin: User
) -> None:
    @staff_view(Perm.MANAGE_MEMBERS)
    def view(request: StaffRequest, organisation: Organisation) -> HttpResponse:
        # Asking again costs nothing: the permissions were computed once for the request.
        assert request.can(Perm.MANAGE_MEMBERS) and request.can(Perm.VIEW_AUDIT_LOG)
        return HttpResponse("ok")

    with CaptureQueriesContext(connection) as queries:
        response = _call(view, anna_admin, "amstelstad")
    assert response.status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]


def test_render_staff_refuses_a_request_that_skipped_the_shell(amstelstad: Organisation) -> None:
    request = RequestFactory().get("/")
    with pytest.raises(TypeError):
        render_staff(request, amstelstad, "web/staff/dashboard.html", {})


def test_staff_pages_are_never_stored_by_browser_or_proxy(
    amstelstad: Organisation, anna_admin: User
) -> None:
    client = client_for(anna_admin)
    for url in (
        "/medewerkers/",
        "/medewerkers/amstelstad/",
        "/medewerkers/amstelstad/collega-s/",
        "/medewerkers/amstelstad/auditlog/",
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_pages_carry_no_server_version_header(amstelstad: Organisation, anna_admin: User) -> None:
    for client, url in (
        (Client(), "/"),
        (Client(), "/inloggen/"),
        (client_for(anna_admin), "/medewerkers/amstelstad/"),
        (Client(), "/api/v1/organisations"),
    ):
        assert "Server" not in client.get(url).headers, url


@override_settings(REQUIRE_STAFF_TOTP=True)
def test_required_totp_guards_every_staff_view(amstelstad: Organisation, anna_admin: User) -> None:
    client = client_for(anna_admin)
    for url in ("/medewerkers/", "/medewerkers/amstelstad/", "/medewerkers/amstelstad/auditlog/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/account/tweestapsverificatie/", url


def test_no_request_attribute_is_typed_away() -> None:
    """Staff request attributes are declared on StaffRequest, never silenced for mypy."""
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"request\.\w+.*# type: ignore", line)
        or 'getattr(request, "organisation_perms"' in line
    ]
    assert offenders == []


def test_capability_apps_import_the_shell_not_core_staff_views() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "burgerlink.web.views" in path.read_text() and not path.is_relative_to(SRC / "web")
    ]
    assert offenders == []
