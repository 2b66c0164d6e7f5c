"""Request ids, JSON log lines without personal data, request ids inside background tasks."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from burgerlink.core.observability.logs import mask_path, scrub


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The platform's log output as production writes it (JSON lines), readable in the test."""
    from burgerlink.core.observability.logs import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    saved = []
    for name in ("burgerlink", "burgerlink.request", "django.request", "tests"):
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.INFO)
    roots = [logging.getLogger(name) for name in ("burgerlink", "django.request", "tests")]
    for logger in roots:
        logger.addHandler(handler)
    try:
        yield stream
    finally:
        for logger in roots:
            logger.removeHandler(handler)
        for logger, level in saved:
            logger.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def access(stream: io.StringIO) -> list[dict[str, Any]]:
    return [line for line in lines(stream) if line["logger"] == "burgerlink.request"]


def test_one_json_line_per_request_with_a_fresh_id(db: None, captured: io.StringIO) -> None:
    response = Client().get("/organisaties/", HTTP_X_REQUEST_ID="bad id with spaces")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert request_id != "bad id with spaces"
    assert len(request_id) == 32
    [line] = access(captured)
    assert line["request_id"] == request_id
    assert line["path"] == "/organisaties/"
    assert line["view"] == "web:organisation-list"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)


def test_request_to_a_token_url_is_logged_without_the_token(
    db: None, captured: io.StringIO
) -> None:
    survey_token = "Sv9Xk2mPq4Lr7Tz1Wb3N"
    claim_token = "ab12cd34ef56gh78"
    client = Client()
    response = client.get(
        f"/enquete/{survey_token}/?email=anna@example.nl",
        HTTP_X_REQUEST_ID="lb-req-00000001",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response["X-Request-ID"] == "lb-req-00000001"
    client.get(f"/organisaties/amstelstad/compensatie/status/{claim_token}/")
    output = captured.getvalue()
    assert survey_token not in output
    assert claim_token not in output
    assert "anna@example.nl" not in output
    assert "203.0.113.9" not in output
    survey, claim = access(captured)
    assert survey["request_id"] == "lb-req-00000001"
    assert survey["path"] == "/enquete/***/"
    assert survey["view"] == "surveys:respond-start"
    assert claim["path"] == "/organisaties/amstelstad/compensatie/status/***/"
    # django.request's own warning for the 404 names the path: masked as well.
    warnings = [line for line in lines(captured) if line["logger"] == "django.request"]
    assert warnings
    assert all("***" in line["message"] for line in warnings)


def test_unresolved_paths_mask_what_looks_secret() -> None:
    assert mask_path("/nergens/Zq4fTK93hdP0aaLmZ/") == "/nergens/***/"
    assert mask_path("/nergens/anna@example.nl/x") == "/nergens/***/x"
    assert mask_path("/organisaties/gemeente-amstelstad-en-omstreken/") == (
        "/organisaties/gemeente-amstelstad-en-omstreken/"
    )


def test_scrub_replaces_addresses_in_free_text() -> None:
    text = "mail to anna.de.vries+x@gemeente.example.nl from 192.168.10.4 and fe80:0:0:0:1:2:3:4"
    assert scrub(text) == "mail to [e-mail] from [ip] and [ip]"
    assert scrub("from 2001:db8::8a2e:370:7334 or ::1") == "from [ip] or [ip]"
    assert scrub("at 20:52:09,457 on 2026-12-07") == "at 20:52:09,457 on 2026-12-07"


def test_exceptions_in_log_lines_are_scrubbed(captured: io.StringIO) -> None:
    logger = logging.getLogger("tests.observability")
    try:
        raise ValueError("duplicate key (email)=(anna@example.nl)")
    except ValueError:
        logger.exception("import failed for piet@example.nl")
    [line] = lines(captured)
    assert line["message"] == "import failed for [e-mail]"
    assert "anna@example.nl" not in line["exception"]
    assert "ValueError" in line["exception"]
