"""Staff pages: self-assessment, calendar, API tokens, colleagues and the audit log."""

from __future__ import annotations

import pytest

from burgerlink.core.models import (
    ApiToken,
    AuditEvent,
    ClosingDay,
    Membership,
    Organisation,
    User,
)
from burgerlink.core.services import hash_token
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_staff_home_redirects_to_the_only_organisation(
    amstelstad: Organisation, anna_admin: User
) -> None:
    response = client_for(anna_admin).get("/medewerkers/")
    assert response["Location"] == "/medewerkers/amstelstad/"


def test_dashboard_shows_roles(amstelstad: Organisation, anna_admin: User) -> None:
    html = client_for(anna_admin).get("/medewerkers/amstelstad/").content.decode()
    assert "Dashboard Gemeente Amstelstad" in html
    assert "Beheerder" in html


def test_self_assessment_form_saves_and_reports_bad_links(
    amstelstad: Organisation, kees_quality: User
) -> None:
    client = client_for(kees_quality)
    start = client.post("/medewerkers/amstelstad/zelfevaluatie/")
    edit_url = start["Location"]
    form = client.get(edit_url).context["form"]
    first_item = form.answers[0].item.pk
    data = {f"item_{first_item}_answer": "yes", f"item_{first_item}_links": "geen-url"}
    bad = client.post(edit_url, data)
    assert bad.status_code == 200
    assert "is geen geldig webadres" in bad.content.decode()
    good = client.post(
        edit_url, {**data, f"item_{first_item}_links": "https://amstelstad.nl/kwaliteit"}
    )
    assert good.status_code == 302
    answer = form.answers[0]
    answer.refresh_from_db()
    assert answer.answer == "yes"
    assert answer.evidence_links == ["https://amstelstad.nl/kwaliteit"]
    publish = client.post(edit_url + "publiceren/")
    assert publish.status_code == 302  # back to the form with the message
    assert "Beantwoord eerst" in client.get(edit_url).content.decode()


def test_calendar_page_adds_and_removes_closing_days(
    amstelstad: Organisation, kees_quality: User
) -> None:
    client = client_for(kees_quality)
    url = "/medewerkers/amstelstad/kalender/"
    response = client.post(
        url, {"add_closing_day": "1", "closing-date": "2026-12-28", "closing-reason": "Brugdag"}
    )
    assert response.status_code == 302
    day = ClosingDay.objects.get(organisation=amstelstad)
    assert str(day.date) == "2026-12-28"
    bad = client.post(url, {"add_closing_day": "1", "closing-date": "28-13-2026"})
    assert "Datum: Voer een geldige datum in." in bad.content.decode()
    client.post(f"/medewerkers/amstelstad/kalender/{day.pk}/verwijderen/")
    assert not ClosingDay.objects.exists()


def test_opening_hours_must_close_after_opening(
    amstelstad: Organisation, kees_quality: User
) -> None:
    client = client_for(kees_quality)
    response = client.post(
        "/medewerkers/amstelstad/kalender/",
        {"save_hours": "1", "hours-opens_0": "17:00", "hours-closes_0": "09:00"},
    )
    assert response.status_code == 200
    assert (
        "Op maandag moet de sluitingstijd na de openingstijd liggen." in response.content.decode()
    )
    ok = client.post(
        "/medewerkers/amstelstad/kalender/",
        {"save_hours": "1", "hours-opens_0": "09:00", "hours-closes_0": "17:00"},
    )
    assert ok.status_code == 302
    assert list(amstelstad.opening_hours.values_list("weekday", flat=True)) == [0]


def test_issuing_a_token_shows_the_secret_once_and_stores_a_hash(
    amstelstad: Organisation, anna_admin: User
) -> None:
    client = client_for(anna_admin)
    response = client.post("/medewerkers/amstelstad/api-sleutels/", {"name": "Zaaksysteem"})
    secret = response.context["issued"].secret
    token = ApiToken.objects.get()
    assert secret not in str(token.__dict__)
    assert token.key_hash == hash_token(secret)
    assert secret not in client.get("/medewerkers/amstelstad/api-sleutels/").content.decode()
    client.post(f"/medewerkers/amstelstad/api-sleutels/{token.pk}/intrekken/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", organisation=amstelstad).exists()


def test_the_last_administrator_cannot_be_removed(
    amstelstad: Organisation, anna_admin: User
) -> None:
    membership = Membership.objects.get(user=anna_admin)
    client_for(anna_admin).post(f"/medewerkers/amstelstad/collega-s/{membership.pk}/intrekken/")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_audit_log_lists_staff_actions(amstelstad: Organisation, anna_admin: User) -> None:
    client = client_for(anna_admin)
    client.post("/medewerkers/amstelstad/api-sleutels/", {"name": "Telefooncentrale"})
    html = client.get("/medewerkers/amstelstad/auditlog/").content.decode()
    assert "API-sleutel gemaakt" in html  # the action by its label, not api_token.issue
    assert "api_token.issue" not in html
    assert "Telefooncentrale" in html
