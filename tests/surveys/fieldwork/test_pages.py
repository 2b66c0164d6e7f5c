"""Staff pages of fieldwork: who may use them, what they show (counts, never who said what)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.services import issue_api_token
from burgerlink.surveys.models import (
    Invitee,
    InviteeStatus,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    VersionStatus,
    Wave,
)
from tests.conftest import client_for

STAFF = "/medewerkers/amstelstad/onderzoek/metingen/"


def wave_url(wave: Wave, action: str = "") -> str:
    return f"{STAFF}{wave.pk}/{action}"


def test_the_researcher_sees_surveys_and_waves(sample: Wave, bram_researcher: User) -> None:
    page = client_for(bram_researcher).get(STAFF)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tevredenheid 2026" in html
    assert "meting 2026" in html
    assert wave_url(sample) in html
    assert 'href="/medewerkers/amstelstad/onderzoek/metingen/"' in html  # the "Veldwerk" menu item


def test_a_communications_officer_may_not_do_fieldwork(sample: Wave, carla_comms: User) -> None:
    client = client_for(carla_comms)
    for url in (
        STAFF,
        f"{STAFF}nieuw-onderzoek/",
        wave_url(sample),
        wave_url(sample, "steekproef/"),
    ):
        assert client.get(url).status_code == 403, url
    for action in ("uitnodigen/", "herinneren/", "sluiten/", "onbestelbaar/"):
        assert client.post(wave_url(sample, action)).status_code == 403, action
    assert mail.outbox == []
    assert "Veldwerk" not in client.get("/medewerkers/amstelstad/").content.decode()


def test_another_organisation_sees_nothing(sample: Wave, henk_heidedorp: User) -> None:
    client = client_for(henk_heidedorp)
    assert client.get(STAFF).status_code == 404
    assert client.get(wave_url(sample)).status_code == 404
    assert client.post(wave_url(sample, "uitnodigen/")).status_code == 404
    own = f"/medewerkers/heidedorp/onderzoek/metingen/{sample.pk}/"
    assert client.get(own).status_code == 404  # Amstelstad's wave under Heidedorp's slug
    assert client.post(own + "sluiten/").status_code == 404
    sample.refresh_from_db()
    assert sample.closes_at > timezone.now()


def test_creating_a_survey_and_a_wave_through_the_pages(
    amstelstad: Organisation,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    bram_researcher: User,
) -> None:
    client = client_for(bram_researcher)
    form = client.get(f"{STAFF}nieuw-onderzoek/")
    assert form.status_code == 200
    response = client.post(
        f"{STAFF}nieuw-onderzoek/",
        {"title": "Verhuizen 2026", "questionnaire": questionnaire.pk},
    )
    survey = Survey.objects.get(title="Verhuizen 2026")
    assert response["Location"] == f"{STAFF}onderzoeken/{survey.pk}/nieuwe-meting/"
    create = f"{STAFF}onderzoeken/{survey.pk}/nieuwe-meting/"
    assert client.get(create).status_code == 200
    today = timezone.localdate()
    data = {
        "name": "meting 2026",
        "version": version.pk,
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "anonymous": "on",
        "open_link": "on",
        "weighting": '{"age_group": {"jong": 0.4, "oud": 0.5}}',
        "reminder_days": "7, 14",
        "retention_days": "90",
    }
    refused = client.post(create, data)
    assert refused.status_code == 200
    assert "0.900" in refused.content.decode()
    assert not Wave.objects.exists()
    data["weighting"] = '{"age_group": {"jong": 0.4, "oud": 0.6}}'
    created = client.post(create, data)
    wave = Wave.objects.get()
    assert created["Location"] == wave_url(wave)
    assert wave.open_link and wave.anonymous and wave.reminder_days == [7, 14]
    assert wave.closes_at.date() == today + timedelta(days=30)
    version.refresh_from_db()
    assert version.status == VersionStatus.FIELDED
    page = client.get(wave_url(wave)).content.decode()
    assert f"http://testserver/enquete/open/{wave.open_link}/" in page
    assert 'src="data:image/svg+xml;base64,' in page


def test_the_survey_form_offers_only_own_questionnaires(
    questionnaire: Questionnaire, heidedorp: Organisation, bram_researcher: User
) -> None:
    theirs = Questionnaire.objects.create(
        organisation=heidedorp, code="x", title_nl="Van Heidedorp", kind="custom"
    )
    client = client_for(bram_researcher)
    assert "Van Heidedorp" not in client.get(f"{STAFF}nieuw-onderzoek/").content.decode()
    response = client.post(f"{STAFF}nieuw-onderzoek/", {"title": "X", "questionnaire": theirs.pk})
    assert response.status_code == 200
    assert not Survey.objects.exists()


def test_the_wave_page_shows_counts_but_no_addresses(sample: Wave, bram_researcher: User) -> None:
    Invitee.objects.filter(wave=sample, email="anna@example.org").update(
        status=InviteeStatus.COMPLETED
    )
    Response.objects.create(
        wave=sample,
        organisation=sample.organisation,
        version=sample.version,
        status=ResponseStatus.COMPLETED,
        channel=ResponseChannel.PAPER,
    )
    html = client_for(bram_researcher).get(wave_url(sample)).content.decode()
    for secret in ("anna@example.org", "bert@example.org", "Kerkstraat", *tokens(sample)):
        assert secret not in html
    assert "Genodigden per status" in html
    assert "33%" in html  # one of three completed
    assert "Papieren vragenlijst" in html
    assert wave_url(sample, "responsen-importeren/") in html
    assert wave_url(sample, "papier/") in html  # paper entry, built by the respond area


def tokens(wave: Wave) -> list[str]:
    return list(Invitee.objects.filter(wave=wave).values_list("token", flat=True))


def test_uploading_a_sample_through_the_page(wave: Wave, bram_researcher: User) -> None:
    client = client_for(bram_researcher)
    url = wave_url(wave, "steekproef/")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("s.csv", b"email;age_group\na@example.org;oud\n", "text/csv")
    page = client.post(url, {"file": bad})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Niets ingelezen" in html
    assert "age_group" in html and "18-34" in html
    assert not Invitee.objects.exists()
    good = SimpleUploadedFile("s.csv", b"naam;email\nAnna;a@example.org\n", "text/csv")
    done = client.post(url, {"file": good}, follow=True)
    assert Invitee.objects.filter(wave=wave).count() == 1
    html = done.content.decode()
    assert "1 genodigde(n) toegevoegd" in html
    assert "niet opgeslagen: naam" in html


def test_sending_invitations_and_reminders_from_the_page(
    sample: Wave, bram_researcher: User
) -> None:
    client = client_for(bram_researcher)
    assert client.get(wave_url(sample, "uitnodigen/")).status_code == 405  # no change by GET
    done = client.post(wave_url(sample, "uitnodigen/"), follow=True)
    assert "2 uitnodiging(en)" in done.content.decode()
    assert len(mail.outbox) == 2
    assert "http://testserver/enquete/" in mail.outbox[0].body
    page = done.content.decode()
    assert wave_url(sample, "uitnodigen/") not in page  # nobody left to invite
    assert wave_url(sample, "herinneren/") not in page  # no reminder due yet
    again = client.post(wave_url(sample, "herinneren/"), follow=True)
    assert "geen herinneringen aan de beurt" in again.content.decode()
    assert len(mail.outbox) == 2
    Invitee.objects.filter(wave=sample).update(invited_at=timezone.now() - timedelta(days=8))
    assert wave_url(sample, "herinneren/") in client.get(wave_url(sample)).content.decode()
    client.post(wave_url(sample, "herinneren/"))
    assert len(mail.outbox) == 4


def test_marking_a_bounce_closing_and_letters_sent_from_the_page(
    sample: Wave, bram_researcher: User
) -> None:
    client = client_for(bram_researcher)
    client.post(wave_url(sample, "onbestelbaar/"), {"address": "bert@example.org"})
    assert Invitee.objects.get(email="bert@example.org").status == InviteeStatus.BOUNCED
    unknown = client.post(wave_url(sample, "onbestelbaar/"), {"address": "x@y.nl"}, follow=True)
    assert "geen genodigde" in unknown.content.decode()
    client.post(wave_url(sample, "brieven-verstuurd/"))
    assert Invitee.objects.get(email="").status == InviteeStatus.INVITED
    client.post(wave_url(sample, "sluiten/"))
    sample.refresh_from_db()
    assert sample.closes_at <= timezone.now()
    closed = client.get(wave_url(sample)).content.decode()
    assert "gesloten" in closed
    assert wave_url(sample, "uitnodigen/") not in closed
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"surveys.invitee.bounce", "surveys.letters.sent", "surveys.wave.close"} <= actions


def test_importing_responses_from_the_page(wave: Wave, bram_researcher: User) -> None:
    client = client_for(bram_researcher)
    url = wave_url(wave, "responsen-importeren/")
    page = client.get(url).content.decode()
    assert "OVERALL" in page and "ASP_SPEED" in page and "external_id" in page
    bad = SimpleUploadedFile("r.csv", b"OVERALL;ONBEKEND\n7;1\n", "text/csv")
    refused = client.post(url, {"file": bad}).content.decode()
    assert "onbekend" in refused and "Niets ingelezen" in refused
    good = SimpleUploadedFile("r.csv", b"external_id;OVERALL\nA;7\nB;8\n", "text/csv")
    done = client.post(url, {"file": good}, follow=True).content.decode()
    assert "2 respons(en) ingelezen" in done
    assert Response.objects.filter(wave=wave, channel=ResponseChannel.IMPORT).count() == 2


def test_an_empty_upload_is_refused_by_the_form(wave: Wave, bram_researcher: User) -> None:
    empty = SimpleUploadedFile("s.csv", b"", "text/csv")
    page = client_for(bram_researcher).post(wave_url(wave, "steekproef/"), {"file": empty})
    assert page.status_code == 200
    assert "leeg" in page.content.decode()


def test_an_unknown_wave_is_404(amstelstad: Organisation, bram_researcher: User) -> None:
    client = client_for(bram_researcher)
    assert client.get(f"{STAFF}424242/").status_code == 404
    assert client.get(f"{STAFF}onderzoeken/424242/nieuwe-meting/").status_code == 404


def test_the_dashboard_panel_lists_open_waves_with_their_response(
    sample: Wave, bram_researcher: User
) -> None:
    html = client_for(bram_researcher).get("/medewerkers/amstelstad/").content.decode()
    assert "Lopende metingen" in html
    assert "Tevredenheid 2026: meting 2026" in html
    assert "respons 0%" in html


def test_the_api_reports_progress_in_numbers(sample: Wave, amstelstad: Organisation) -> None:
    secret = issue_api_token(organisation=amstelstad, name="dashboard", by=None).secret
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = client.get("/api/v1/organisations/amstelstad/survey-waves")
    assert response.status_code == 200
    [wave] = response.json()
    assert wave["invitees"] == 3
    assert wave["invitees_by_status"]["pending"] == 3
    assert wave["state"] == "open"
    assert "anna@example.org" not in response.content.decode()
    assert Client().get("/api/v1/organisations/amstelstad/survey-waves").status_code == 401
    other = client.get("/api/v1/organisations/heidedorp/survey-waves")
    assert other.status_code in {403, 404}


@pytest.mark.parametrize("user_fixture", ["bram_researcher", "anna_admin"])
def test_researchers_and_administrators_may(sample: Wave, user_fixture: str, request: Any) -> None:
    user = request.getfixturevalue(user_fixture)
    assert client_for(user).get(wave_url(sample)).status_code == 200
