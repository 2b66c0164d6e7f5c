"""GET /api/v1/organisations/{slug}/compliance: public, exact, structured errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from burgerlink.core.models import Organisation
from tests.charters.reporting.conftest import (
    MET,
    MISSED,
    OPEN,
    AmstelCharter,
    add_cases,
    add_contacts,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/{slug}/compliance"


def get(slug: str, period: str | None) -> tuple[int, dict]:
    params = {} if period is None else {"period": period}
    response = Client().get(URL.format(slug=slug), params)
    return response.status_code, response.json()


def test_quarter_figures_per_norm(amstelstad: Organisation, charter: AmstelCharter) -> None:
    april = date(2025, 4, 1)
    add_contacts(charter.v2["phone"], april, [MET, MET, MET, MISSED])
    add_contacts(charter.v2["phone"], april, [OPEN], deadline=timezone.now() - timedelta(days=1))
    add_contacts(charter.v2["phone"], april, [OPEN], deadline=timezone.now() + timedelta(days=1))
    add_cases(charter.v2["permit"], april, [MET])

    status, body = get("amstelstad", "2025-Q2")

    assert status == 200
    assert body["organisation"] == {"slug": "amstelstad", "name": "Gemeente Amstelstad"}
    assert body["period"] == {
        "code": "2025-Q2",
        "kind": "quarter",
        "label": "2e kwartaal 2025",
        "start": "2025-04-01",
        "end": "2025-07-01",
    }
    assert datetime.fromisoformat(body["generated_at"]) <= timezone.now()
    norms = {row["code"]: row for row in body["norms"]}
    assert list(norms) == ["phone", "email", "permit"]
    assert norms["phone"] == {
        "code": "phone",
        "title": "Telefoon binnen 25 seconden opgenomen",
        "record_kind": "contact",
        "channel": "phone",
        "case_type": None,
        "target_share": 0.85,
        "n": 5,
        "met": 3,
        "missed": 1,
        "open_overdue": 1,
        "open_within": 1,
        "share_met": 0.6,
        "target_reached": False,
    }
    assert norms["email"]["n"] == 0
    assert norms["email"]["share_met"] is None and norms["email"]["target_reached"] is None
    assert norms["permit"]["channel"] is None
    assert norms["permit"]["case_type"] == "omgevingsvergunning-regulier"
    assert norms["permit"]["target_reached"] is True


@pytest.mark.parametrize(
    ("period", "code"), [("2025-03", "2025-03"), ("2025", "2025"), ("2025-q1", "2025-Q1")]
)
def test_months_and_years_too(
    amstelstad: Organisation, charter: AmstelCharter, period: str, code: str
) -> None:
    add_contacts(charter.v1["phone"], date(2025, 3, 1), [MET, MISSED])
    status, body = get("amstelstad", period)
    assert status == 200 and body["period"]["code"] == code
    assert {row["code"]: row["n"] for row in body["norms"]}["phone"] == 2


@pytest.mark.parametrize("period", ["2025-Q5", "2025-13", "abc", "1989", "2200", "2025-Q1x"])
def test_bad_period_is_a_structured_422(amstelstad: Organisation, period: str) -> None:
    status, body = get("amstelstad", period)
    assert status == 422
    assert body["message"]
    assert [error["field"] for error in body["errors"]] == ["query.period"]


def test_period_is_required(amstelstad: Organisation) -> None:
    status, body = get("amstelstad", None)
    assert status == 422
    assert [error["field"] for error in body["errors"]] == ["query.period"]


@pytest.mark.parametrize("slug", ["nergensdorp", "bad%00slug"])
def test_unknown_organisation_is_404(db: None, slug: str) -> None:
    status, body = get(slug, "2025")
    assert status == 404
    assert body["message"]


def test_inactive_organisation_is_404(amstelstad: Organisation) -> None:
    amstelstad.is_active = False
    amstelstad.save()
    assert get("amstelstad", "2025")[0] == 404


def test_documented_in_the_openapi_schema(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/organisations/{slug}/compliance"]["get"]
    assert set(operation["responses"]) == {"200", "404", "422"}
    assert "security" not in operation
