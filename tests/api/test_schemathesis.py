"""Property-based tests of the whole API against its own OpenAPI document (schemathesis).

Schemathesis reads ``/api/v1/openapi.json`` from the WSGI app (no server, no network) and sends
generated requests, valid and invalid, to every operation: anonymously, with an organisation's
token and with a staff member's session (CSRF token included). Every response must be a non-5xx
status that the document declares, with the declared content type and a body that matches the
declared schema; invalid input must be refused with a 4xx. The document must list every
operation the URLconf serves, so every operation is exercised three times.

Examples per operation are few (``FUZZ``, ``FUZZ_SIGNED_IN``) to keep the suite's running time
reasonable; the signed-in runs reach the code behind authentication that anonymous calls never do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from burgerlink.core import services
from burgerlink.core.models import ClosingDay, Membership, Organisation, Role
from tests.conftest import client_for, make_user

OPENAPI_PATH = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ_SIGNED_IN = settings(FUZZ, max_examples=8)

schema = schemathesis.openapi.from_wsgi(OPENAPI_PATH, WSGIHandler())


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Aim generated path values at rows that exist too, not only at random (404) ones."""
    path_parameters = path_parameters or {}
    if isinstance(path_parameters.get("slug"), str):
        slugs = st.sampled_from(["amstelstad", "heidedorp", path_parameters["slug"]])
        return slugs.map(lambda slug: {**path_parameters, "slug": slug})
    if isinstance(path_parameters.get("number"), int):
        numbers = st.sampled_from([1, 10, 11, path_parameters["number"]])
        return numbers.map(lambda number: {**path_parameters, "number": number})
    return st.just(path_parameters)


@pytest.fixture(autouse=True)
def _one_connection() -> Iterator[None]:
    """Keep the test's transaction open across requests to the real WSGI handler.

    Django's handler closes "obsolete" connections at the start and end of every request, which
    inside the test transaction would break it; the test client disconnects the same signals.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def organisations(amstelstad: Organisation, heidedorp: Organisation) -> list[Organisation]:
    """Two organisations, one with a closing day, so lists and calendars are not empty."""
    ClosingDay.objects.create(organisation=amstelstad, date="2025-05-02", reason="Brugdag")
    return [amstelstad, heidedorp]


@pytest.fixture
def amstelstad_secret(amstelstad: Organisation) -> str:
    """A live API token of Amstelstad."""
    return services.issue_api_token(organisation=amstelstad, name="fuzzer", by=None).secret


@pytest.fixture
def staff_session(amstelstad: Organisation) -> dict[str, Any]:
    """Cookies and CSRF header of a signed-in member of Amstelstad who holds every role."""
    user = make_user("stella_staff")
    for role in Role:
        Membership.objects.create(user=user, organisation=amstelstad, role=role)
    client = client_for(user)
    csrf = get_token(RequestFactory().get("/"))
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }


def _api_routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    routes: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _api_routes(pattern.url_patterns, route)
        elif route.startswith("api/v1/"):
            routes.add(route)
    return routes


def test_the_document_lists_every_operation() -> None:
    """Every API path the URLconf serves is in the document, so the fuzz tests exercise it."""
    documented = {result.ok().path for result in schema.get_all_operations()}
    served = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in _api_routes(get_resolver().url_patterns)
    }
    undocumented = served - documented - {"/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"}
    assert undocumented == set()
    assert "/api/v1/organisations/{slug}/calendar/closing-days" in documented
    assert len(documented) >= 30


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_schema_has_its_own_name() -> None:
    """The document names schemas by class name: two alike would share one description."""
    from ninja import Schema

    names: dict[str, list[str]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("burgerlink."):
            names.setdefault(cls.__name__, []).append(cls.__module__)
    assert {name: modules for name, modules in names.items() if len(modules) > 1} == {}


@schema.parametrize()
@FUZZ
def test_api_anonymous(case: schemathesis.Case, organisations: list[Organisation]) -> None:
    """Every operation without credentials: public reads answer, pushes refuse with 401."""
    response = case.call_and_validate(checks=CHECKS)
    if case.operation.path.endswith(("/audit", "/closing-days", "/me")):
        # 401 (never a CSRF 403) without credentials; 405 for the methods the path lacks.
        assert response.status_code in {401, 405}


@schema.parametrize()
@FUZZ_SIGNED_IN
def test_api_with_token(
    case: schemathesis.Case, organisations: list[Organisation], amstelstad_secret: str
) -> None:
    """Every operation with Amstelstad's token: a valid token is never refused as unknown."""
    response = case.call_and_validate(
        checks=CHECKS, headers={"Authorization": f"Bearer {amstelstad_secret}"}
    )
    assert response.status_code != 401


@schema.parametrize()
@FUZZ_SIGNED_IN
def test_api_with_staff_session(
    case: schemathesis.Case, organisations: list[Organisation], staff_session: dict[str, Any]
) -> None:
    """Every operation with a staff member's session: writes pass CSRF, never a 401."""
    response = case.call_and_validate(
        checks=CHECKS, headers=staff_session["headers"], cookies=staff_session["cookies"]
    )
    assert response.status_code != 401
