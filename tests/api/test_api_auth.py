"""Authentication and authorisation of the API: organisation tokens and staff sessions.

A token is shown once and stored as a SHA-256 hash; it only ever opens its own organisation.
A staff member's session opens what their role allows (``permissions.py``). Every refusal is a
structured body; pushed data and token actions land in the organisation's audit log.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from burgerlink.core import services
from burgerlink.core.models import ApiToken, AuditEvent, ClosingDay, Organisation, User
from tests.conftest import client_for

API = "/api/v1"
CLOSING_DAYS = f"{API}/organisations/amstelstad/calendar/closing-days"
AUDIT = f"{API}/organisations/amstelstad/audit"
WWW_AUTHENTICATE = 'Bearer realm="burgerlink"'


def bearer(secret: str) -> dict[str, str]:
    """Request headers that present ``secret`` as a Bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client: Client, path: str, payload: Any, **headers: str) -> HttpResponse:
    """POST ``payload`` as JSON."""
    return client.post(path, json.dumps(payload), content_type="application/json", **headers)


def assert_error(response: HttpResponse, status: int, field: str | None = None) -> dict[str, Any]:
    """Assert a structured error body with ``status`` (naming ``field`` when given)."""
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str)
    assert body["message"]
    assert all(set(error) == {"field", "message"} for error in body["errors"])
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
    return body


def actions(organisation: Organisation) -> list[str]:
    """The organisation's audit actions, oldest first."""
    return list(
        AuditEvent.objects.filter(organisation=organisation)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def amstelstad_token(amstelstad: Organisation) -> services.IssuedToken:
    """Amstelstad's case system token."""
    return services.issue_api_token(organisation=amstelstad, name="zaaksysteem", by=None)


@pytest.fixture
def heidedorp_token(heidedorp: Organisation) -> services.IssuedToken:
    """Heidedorp's token: valid, but for another organisation."""
    return services.issue_api_token(organisation=heidedorp, name="heidedorp-import", by=None)


# --- tokens -------------------------------------------------------------------------------


def test_only_a_sha256_hash_of_the_secret_is_stored(
    amstelstad_token: services.IssuedToken,
) -> None:
    secret = amstelstad_token.secret
    assert secret.startswith("bl_")
    row = ApiToken.objects.values().get(pk=amstelstad_token.token.pk)
    assert row["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.split("_")[1] == row["prefix"]
    secret_part = secret.split("_", 2)[2]
    for value in row.values():
        assert secret_part not in str(value)
    for event in AuditEvent.objects.values():
        assert all(secret_part not in str(value) for value in event.values())


def test_me_identifies_the_organisation_of_a_token(
    amstelstad_token: services.IssuedToken,
) -> None:
    response = Client().get(f"{API}/me", **bearer(amstelstad_token.secret))
    assert response.status_code == 200
    assert response.json() == {"kind": "token", "organisation": "amstelstad", "name": "zaaksysteem"}
    amstelstad_token.token.refresh_from_db()
    assert amstelstad_token.token.last_used_at is not None


def _wrong_headers(kind: str, secret: str) -> dict[str, str]:
    """Authorization headers that must not get in, by kind."""
    last = "A" if secret[-1] != "A" else "B"
    return {
        "missing": {},
        "empty_bearer": {"HTTP_AUTHORIZATION": "Bearer"},
        "garbage": {"HTTP_AUTHORIZATION": "Bearer wrong"},
        "basic_scheme": {"HTTP_AUTHORIZATION": f"Basic {secret}"},
        "unknown_prefix": bearer("bl_deadbeef_" + "x" * 43),
        "right_prefix_wrong_secret": bearer(secret[:-1] + last),
        "other_token_format": bearer(secret.replace("bl_", "xx_", 1)),
        "nul_byte": bearer(secret + "\x00"),
    }[kind]


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "empty_bearer",
        "garbage",
        "basic_scheme",
        "unknown_prefix",
        "right_prefix_wrong_secret",
        "other_token_format",
        "nul_byte",
    ],
)
def test_wrong_or_missing_token_is_401(amstelstad_token: services.IssuedToken, kind: str) -> None:
    headers = _wrong_headers(kind, amstelstad_token.secret)
    # enforce_csrf_checks: like a real server, so a CSRF refusal cannot stand in for the 401.
    client = Client(enforce_csrf_checks=True)
    responses = [
        client.get(f"{API}/me", **headers),
        client.get(AUDIT, **headers),
        post_json(client, CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]}, **headers),
    ]
    for response in responses:
        assert_error(response, 401)
        assert response["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert not ClosingDay.objects.exists()


def test_revoked_token_is_401(amstelstad: Organisation, anna_admin: User) -> None:
    issued = services.issue_api_token(organisation=amstelstad, name="oud", by=anna_admin)
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"{API}/me", **bearer(issued.secret)).status_code == 200
    services.revoke_api_token(token=issued.token, by=anna_admin)
    response = client.get(f"{API}/me", **bearer(issued.secret))
    assert_error(response, 401)
    assert response["WWW-Authenticate"] == WWW_AUTHENTICATE
    pushed = post_json(
        client, CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]}, **bearer(issued.secret)
    )
    assert_error(pushed, 401)
    assert not ClosingDay.objects.exists()
    assert actions(amstelstad) == ["api_token.issue", "api_token.revoke"]
    revoke = AuditEvent.objects.get(action="api_token.revoke")
    assert (revoke.actor, revoke.summary, revoke.object_id) == (
        anna_admin,
        "oud",
        str(issued.token.pk),
    )


def test_token_of_an_inactive_organisation_is_401(amstelstad_token: services.IssuedToken) -> None:
    Organisation.objects.filter(slug="amstelstad").update(is_active=False)
    assert_error(Client().get(f"{API}/me", **bearer(amstelstad_token.secret)), 401)


# --- pushing closing days -----------------------------------------------------------------


def test_token_of_another_organisation_is_403_and_stores_nothing(
    amstelstad: Organisation, heidedorp_token: services.IssuedToken
) -> None:
    client = Client(enforce_csrf_checks=True)
    headers = bearer(heidedorp_token.secret)
    response = post_json(client, CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]}, **headers)
    assert_error(response, 403)
    assert_error(client.get(AUDIT, **headers), 403)
    assert not ClosingDay.objects.exists()
    assert actions(amstelstad) == []


def test_token_on_an_unknown_organisation_is_404(amstelstad_token: services.IssuedToken) -> None:
    path = f"{API}/organisations/nergens/calendar/closing-days"
    payload = {"days": [{"date": "2025-05-02"}]}
    assert_error(post_json(Client(), path, payload, **bearer(amstelstad_token.secret)), 404)
    assert not ClosingDay.objects.exists()


def test_own_token_stores_closing_days(
    amstelstad: Organisation, amstelstad_token: services.IssuedToken
) -> None:
    payload = {"days": [{"date": "2025-05-02", "reason": "Brugdag"}, {"date": "2025-12-24"}]}
    client = Client(enforce_csrf_checks=True)  # a token needs no CSRF token
    response = post_json(client, CLOSING_DAYS, payload, **bearer(amstelstad_token.secret))
    assert response.status_code == 201, response.content
    assert response.json() == {
        "stored": 2,
        "days": [{"date": "2025-05-02", "reason": "Brugdag"}, {"date": "2025-12-24", "reason": ""}],
    }
    stored = ClosingDay.objects.filter(organisation=amstelstad).order_by("date")
    assert [(str(c.date), c.reason) for c in stored] == [
        ("2025-05-02", "Brugdag"),
        ("2025-12-24", ""),
    ]
    holidays = client.get(f"{API}/organisations/amstelstad/calendar/holidays", {"year": 2025})
    assert "2025-05-02" in [h["date"] for h in holidays.json()["holidays"]]
    event = AuditEvent.objects.get(organisation=amstelstad, action="calendar.closing_days.add")
    assert event.actor is None
    assert event.actor_label == "token:zaaksysteem"
    assert event.summary == "2025-05-02, 2025-12-24"


def test_pushing_is_idempotent_per_date(
    amstelstad: Organisation, amstelstad_token: services.IssuedToken
) -> None:
    headers = bearer(amstelstad_token.secret)
    first = post_json(Client(), CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]}, **headers)
    again = {"days": [{"date": "2025-05-02", "reason": "Brugdag"}]}
    second = post_json(Client(), CLOSING_DAYS, again, **headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["stored"] == 1
    rows = ClosingDay.objects.filter(organisation=amstelstad)
    assert [(str(c.date), c.reason) for c in rows] == [("2025-05-02", "Brugdag")]


@pytest.mark.parametrize(
    ("days", "field"),
    [
        (
            [{"date": "2025-05-02"}, {"date": "2025-05-09"}, {"date": "2025-05-02"}],
            "body.days.2.date",
        ),
        ([{"date": "2025-02-30"}], "body.days.0.date"),
        ([{"date": "2025-05-02"}, {"date": "1800-01-01"}], "body.days.1.date"),
        ([{"date": "2025-05-02", "reason": "x" * 201}], "body.days.0.reason"),
        ([{"date": "2025-05-02", "reason": "nul\x00byte"}], "body.days.0.reason"),
        ([{"date": "2025-05-02", "reason": "two\nlines"}], "body.days.0.reason"),
        ([], "body.days"),
        (None, "body.days"),
    ],
)
def test_invalid_payload_is_422_and_stores_nothing(
    amstelstad: Organisation,
    amstelstad_token: services.IssuedToken,
    days: list[dict[str, str]] | None,
    field: str,
) -> None:
    payload = {} if days is None else {"days": days}
    response = post_json(Client(), CLOSING_DAYS, payload, **bearer(amstelstad_token.secret))
    assert_error(response, 422, field)
    assert not ClosingDay.objects.exists()
    assert "calendar.closing_days.add" not in actions(amstelstad)


def test_body_that_is_not_json_is_400(amstelstad_token: services.IssuedToken) -> None:
    response = Client().post(
        CLOSING_DAYS, "{days:", content_type="application/json", **bearer(amstelstad_token.secret)
    )
    assert_error(response, 400)
    assert not ClosingDay.objects.exists()


# --- the audit log ------------------------------------------------------------------------


def test_audit_since_must_have_a_time_zone(amstelstad_token: services.IssuedToken) -> None:
    client = Client()
    headers = bearer(amstelstad_token.secret)
    naive = client.get(AUDIT, {"since": "2025-01-01T10:00:00"}, **headers)
    assert_error(naive, 422, "query.since")
    aware = client.get(AUDIT, {"since": "2025-01-01T10:00:00+01:00"}, **headers)
    assert aware.status_code == 200
    assert [e["action"] for e in aware.json()] == ["api_token.issue"]
    future = client.get(AUDIT, {"since": "2999-01-01T00:00:00Z"}, **headers)
    assert future.status_code == 200
    assert future.json() == []
    assert_error(client.get(AUDIT, {"since": "gisteren"}, **headers), 422, "query.since")
    assert_error(client.get(AUDIT, {"limit": "0"}, **headers), 422, "query.limit")


def test_audit_log_shows_token_actions_and_pushes_newest_first(
    amstelstad: Organisation, anna_admin: User, amstelstad_token: services.IssuedToken
) -> None:
    post_json(
        Client(),
        CLOSING_DAYS,
        {"days": [{"date": "2025-05-02"}]},
        **bearer(amstelstad_token.secret),
    )
    services.revoke_api_token(token=amstelstad_token.token, by=anna_admin)
    response = client_for(anna_admin).get(AUDIT)
    assert response.status_code == 200
    events = response.json()
    assert [e["action"] for e in events] == [
        "api_token.revoke",
        "calendar.closing_days.add",
        "api_token.issue",
    ]
    assert events[0]["actor"] == "anna_admin"
    assert events[1]["actor"] == "token:zaaksysteem"
    assert events[1]["summary"] == "2025-05-02"
    assert all(e["at"].endswith(("Z", "+00:00")) for e in events)
    limited = client_for(anna_admin).get(AUDIT, {"limit": 1})
    assert [e["action"] for e in limited.json()] == ["api_token.revoke"]


# --- staff sessions -----------------------------------------------------------------------


def test_staff_session_identifies_the_user(anna_admin: User) -> None:
    response = client_for(anna_admin).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json() == {"kind": "staff", "organisation": None, "name": "anna_admin"}


def test_quality_manager_may_push_closing_days(
    amstelstad: Organisation, kees_quality: User
) -> None:
    response = post_json(client_for(kees_quality), CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]})
    assert response.status_code == 201, response.content
    assert ClosingDay.objects.filter(organisation=amstelstad).count() == 1
    event = AuditEvent.objects.get(organisation=amstelstad, action="calendar.closing_days.add")
    assert (event.actor, event.actor_label) == (kees_quality, "kees_quality")


def test_member_of_another_organisation_gets_404(
    amstelstad: Organisation, henk_heidedorp: User
) -> None:
    client = client_for(henk_heidedorp)
    assert_error(post_json(client, CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]}), 404)
    assert_error(client.get(AUDIT), 404)
    assert not ClosingDay.objects.exists()


def test_member_without_the_permission_gets_403(
    amstelstad: Organisation, carla_comms: User, kees_quality: User
) -> None:
    # A communications officer may not manage the calendar...
    response = post_json(client_for(carla_comms), CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]})
    assert_error(response, 403)
    assert not ClosingDay.objects.exists()
    # ...and a quality manager, who may, does not read the audit log.
    assert_error(client_for(kees_quality).get(AUDIT), 403)


def test_user_without_any_membership_is_401(amstelstad: Organisation, anna_citizen: User) -> None:
    client = client_for(anna_citizen)
    response = client.get(f"{API}/me")
    assert_error(response, 401)
    assert response["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert_error(post_json(client, CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]}), 401)


def test_staff_session_push_needs_a_csrf_token(
    amstelstad: Organisation, kees_quality: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(kees_quality)
    response = post_json(client, CLOSING_DAYS, {"days": [{"date": "2025-05-02"}]})
    assert_error(response, 403)
    assert not ClosingDay.objects.exists()


@pytest.mark.parametrize("since", ["0.0", "1741334400", "7-3-2025"])
def test_the_audit_filter_takes_only_iso_moments(
    anna_admin: User, amstelstad: Organisation, since: str
) -> None:
    client = client_for(anna_admin)
    response = client.get(AUDIT, {"since": since})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("since")
    assert client.get(AUDIT, {"since": "2025-03-07T00:00:00+01:00"}).status_code == 200


@pytest.mark.parametrize("start", ["0", "20250307", "2025-3-7"])
def test_a_deadline_start_must_be_an_iso_date(client: Client, start: str) -> None:
    response = client.get(
        f"{API}/calendars/legal/deadline", {"start": start, "amount": 5, "unit": "working_days"}
    )
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.json()["errors"][0]["message"]
