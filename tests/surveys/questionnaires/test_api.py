"""The read-only questionnaire API: templates, an organisation's questionnaires, codebooks."""

from __future__ import annotations

import pytest
from django.test import Client

from burgerlink.core import services as core_services
from burgerlink.core.models import Organisation, User
from burgerlink.surveys.models import QuestionnaireVersion
from burgerlink.surveys.questionnaires import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


def token_client(organisation: Organisation) -> Client:
    secret = core_services.issue_api_token(organisation=organisation, name="test", by=None).secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_templates_are_public(life_event_template: QuestionnaireVersion) -> None:
    body = Client().get(f"{API}/survey-templates").json()
    assert [item["kind"] for item in body] == ["life_event", "contact", "burgerpeiling"]
    first = body[0]
    assert first["template"] is True and first["based_on"] is None
    version = first["versions"][0]
    assert (version["id"], version["status"]) == (life_event_template.pk, "fielded")
    assert {"SCREEN_EVENT", "GRADE_GOV", "BSC_10", "BG_AGE_GROUP"} <= set(version["variables"])


def test_an_organisation_reads_its_own_codebooks(
    amstelstad: Organisation,
    heidedorp: Organisation,
    bram_researcher: User,
    life_event_template: QuestionnaireVersion,
) -> None:
    own = services.start_from_template(
        amstelstad, life_event_template, title="Verhuizen", life_events=["verhuizen"], by=None
    ).versions.get()
    theirs = services.start_empty(heidedorp, title="Heidedorp", by=None).versions.get()
    client = token_client(amstelstad)
    listed = client.get(f"{API}/organisations/amstelstad/questionnaires").json()
    assert [item["code"] for item in listed] == ["verhuizen"]
    assert listed[0]["based_on"] == life_event_template.pk
    detail = client.get(f"{API}/organisations/amstelstad/questionnaire-versions/{own.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["status"] == "draft"
    assert body["definition"]["pages"][0]["questions"][0]["code"] == "SCREEN_EVENT"
    template = client.get(
        f"{API}/organisations/amstelstad/questionnaire-versions/{life_event_template.pk}"
    )
    assert template.status_code == 200
    other = client.get(f"{API}/organisations/amstelstad/questionnaire-versions/{theirs.pk}")
    assert other.status_code == 404
    assert client.get(f"{API}/organisations/heidedorp/questionnaires").status_code == 403
    assert Client().get(f"{API}/organisations/amstelstad/questionnaires").status_code == 401
    too_big = client.get(f"{API}/organisations/amstelstad/questionnaire-versions/{2**70}")
    assert too_big.status_code == 422
    # A signed-in researcher may read them too.
    staff = client_for(bram_researcher)
    assert staff.get(f"{API}/organisations/amstelstad/questionnaires").status_code == 200
