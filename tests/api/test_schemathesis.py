"""Property-based tests of the whole API against its own OpenAPI document (schemathesis).

Schemathesis reads ``/api/v1/openapi.json`` from the WSGI app (no server, no network) and sends
generated requests, valid and invalid, to every operation. Every response must be a non-5xx
status that the document declares, with the declared content type and a body that matches the
declared schema; invalid input must be refused with a 4xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
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
from burgerlink.core.models import ClosingDay, Organisation

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
AUTHENTICATED = r"/(me|organisations/\{slug\}/(audit|calendar/closing-days))$"

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


def test_the_document_lists_every_operation() -> None:
    """The fuzz tests below cover the whole API: nothing is missing from the document."""
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()
    }
    assert "GET /api/v1/organisations/{slug}/calendar/deadline" in operations
    assert "POST /api/v1/organisations/{slug}/calendar/closing-days" in operations
    assert "GET /api/v1/organisations/{slug}/audit" in operations
    assert len(operations) >= 16


@schema.parametrize()
@FUZZ
def test_api_anonymous(case: schemathesis.Case, organisations: list[Organisation]) -> None:
    """Every operation without credentials: public reads answer, pushes refuse with 401."""
    response = case.call_and_validate(checks=CHECKS)
    if case.operation.path.endswith(("/audit", "/closing-days", "/me")):
        # 401 (never a CSRF 403) without credentials; 405 for the methods the path lacks.
        assert response.status_code in {401, 405}


@schema.include(path_regex=AUTHENTICATED).parametrize()
@FUZZ
def test_api_with_token(
    case: schemathesis.Case, organisations: list[Organisation], amstelstad_secret: str
) -> None:
    """The authenticated operations with Amstelstad's token."""
    response = case.call_and_validate(
        checks=CHECKS, headers={"Authorization": f"Bearer {amstelstad_secret}"}
    )
    assert response.status_code != 401
