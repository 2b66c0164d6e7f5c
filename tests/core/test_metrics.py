"""/metrics for Prometheus (protected by a token) and Sentry events without personal data."""

from __future__ import annotations

from typing import Any

import pytest
import sentry_sdk
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from burgerlink.core.observability.sentry import before_send, init_sentry

TOKEN = "metrics-secret-0123456789"


@pytest.fixture
def metrics_on(settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN


def scrape(**headers: str) -> Any:
    return Client().get("/metrics", **headers)


def test_metrics_are_off_without_a_token(settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.usefixtures("metrics_on")
def test_metrics_need_the_token(db: None) -> None:
    assert scrape().status_code == 401
    assert scrape(HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


@pytest.mark.usefixtures("metrics_on")
def test_metrics_count_requests_per_view_and_read_the_queue(db: None) -> None:
    Client().get("/organisaties/")
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.core.jobs.fail",
        backend_name="default",
        run_after=timezone.now(),
    )
    response = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.0.0.9")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        'burgerlink_http_requests_total{method="GET",status="200",view="web:organisation-list"}'
        in text
    )
    assert (
        'burgerlink_http_request_duration_seconds_bucket{le="0.005",view="web:organisation-list"}'
        in text
    )
    assert 'burgerlink_task_queue_depth{queue="default"} 1.0' in text
    assert 'burgerlink_task_queue_oldest_age_seconds{queue="default"}' in text
    assert 'burgerlink_task_results{status="READY"} 1.0' in text
    assert "burgerlink_workers_alive 0.0" in text


def test_sentry_events_carry_no_body_no_person_and_no_token(db: None) -> None:
    """A real SDK with a transport that keeps the events: what would leave the machine."""
    sent: list[dict[str, Any]] = []
    # Built at run time, so the source lines Sentry sends along do not contain it.
    address = "anna" + "@" + "example.org"

    class Keep(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope: Any) -> None:
            sent.extend(item.payload.json for item in envelope.items if item.type == "event")

    init_sentry(
        "https://public@sentry.invalid/1",
        environment="test",
        traces_sample_rate=0.0,
        transport=Keep,
    )
    event = {
        "request": {
            "url": "https://burgerlink.example.nl/enquete/Sv9Xk2mPq4Lr7Tz1Wb3N/?e=1",
            "data": {"email": address, "iban": "NL91ABNA0417164300"},
            "cookies": {"sessionid": "abc"},
            "query_string": f"e={address}",
            "headers": {"Cookie": "sessionid=abc", "Accept": "text/html"},
        },
        "user": {"ip_address": "203.0.113.9"},
    }
    cleaned = before_send(event, {})
    try:
        try:
            raise ValueError(f"kapot voor {address}")
        except ValueError:
            sentry_sdk.capture_exception()
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # no DSN: off again
    assert cleaned["request"] == {
        "url": "https://burgerlink.example.nl/enquete/***/",
        "headers": {"Accept": "text/html"},
    }
    assert "user" not in cleaned
    assert sent
    flat = repr(sent)
    assert address not in flat
    assert "[e-mail]" in flat
