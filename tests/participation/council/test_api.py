"""The council API: decisions, votes, parties and the matrix (public), and Popolo pushes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from burgerlink.core import services as core_services
from burgerlink.core.models import Organisation, User
from burgerlink.participation.models import CouncilImport, Decision, Party
from tests.conftest import client_for
from tests.participation.council import popolo_sample

pytestmark = pytest.mark.django_db
BASE = "/api/v1/organisations/amstelstad/council"


def _token(organisation: Organisation, user: User) -> str:
    return core_services.issue_api_token(organisation=organisation, name="ris", by=user).secret


def test_decisions_list_filters_and_pages(client: Client, sample: CouncilImport) -> None:
    body = client.get(f"{BASE}/decisions").json()
    assert body["count"] == 4 and body["pages"] == 1
    assert [d["source_id"] for d in body["results"]][:2] in (["m4", "m3"], ["m3", "m4"])
    body = client.get(f"{BASE}/decisions?kind=amendment").json()
    assert [d["title"] for d in body["results"]] == ["Parkeertarief niet verhogen"]
    sp = Party.objects.get(abbreviation="SP")
    body = client.get(f"{BASE}/decisions?party={sp.pk}&position=absent").json()
    assert [d["source_id"] for d in body["results"]] == ["m3"]
    assert client.get(f"{BASE}/decisions?q=bomen").json()["count"] == 1


def test_a_decision_has_party_and_member_votes(client: Client, sample: CouncilImport) -> None:
    decision = Decision.objects.get(source_id="m1")
    body = client.get(f"{BASE}/decisions/{decision.pk}").json()
    assert (body["result"], body["votes_for"], body["votes_against"]) == ("adopted", 4, 2)
    assert {v["party"]: v["position"] for v in body["party_votes"]} == {
        "GroenLinks": "for",
        "Socialistische Partij": "for",
        "Volkspartij voor Vrijheid en Democratie": "against",
    }
    assert len(body["member_votes"]) == 6


def test_the_matrix_and_parties(client: Client, sample: CouncilImport) -> None:
    parties = client.get(f"{BASE}/parties").json()
    assert [p["abbreviation"] for p in parties] == ["GL", "SP", "VVD"]
    ids = {p["abbreviation"]: p["id"] for p in parties}
    body = client.get(f"{BASE}/matrix").json()
    assert body["decisions"] == 4
    pairs = {(p["party_a"], p["party_b"]): p for p in body["pairs"]}
    gl_sp = pairs.get((ids["GL"], ids["SP"])) or pairs[(ids["SP"], ids["GL"])]
    assert (gl_sp["both_voted"], gl_sp["alike"]) == (3, 2)
    assert body["pairs"][0] == gl_sp  # most alike first


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/decisions/999999", 404),
        ("/decisions/0", 404),
        ("/decisions?kind=petitie", 422),
        ("/decisions?date_from=12-3-2026", 422),
        ("/decisions?position=for", 422),
        ("/decisions?page=0", 422),
    ],
)
def test_bad_requests_get_structured_4xx(
    client: Client, sample: CouncilImport, path: str, status: int
) -> None:
    response = client.get(BASE + path)
    assert response.status_code == status
    assert response.json()["message"]
    assert client.get("/api/v1/organisations/bestaat-niet/council/decisions").status_code == 404


def _push(client: Client, document: Any, token: str | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"{BASE}/popolo", document, content_type="application/json", **headers)


def test_a_token_pushes_popolo_idempotently(
    client: Client, amstelstad: Organisation, anna_admin: User
) -> None:
    token = _token(amstelstad, anna_admin)
    response = _push(client, popolo_sample.DOCUMENT, token)
    assert response.status_code == 201
    assert response.json()["decisions_created"] == 4
    again = _push(client, popolo_sample.DOCUMENT, token).json()
    assert (again["decisions_unchanged"], again["changed_anything"]) == (4, False)
    assert CouncilImport.objects.filter(by_label="token:ris").count() == 2


def test_a_bad_push_lists_its_problems_and_stores_nothing(
    client: Client, amstelstad: Organisation, anna_admin: User
) -> None:
    doc = popolo_sample.document()
    doc["vote_events"][0]["votes"].append({"voter_id": "p-ghost", "option": "yes"})
    response = _push(client, doc, _token(amstelstad, anna_admin))
    assert response.status_code == 422
    messages = [e["message"] for e in response.json()["errors"]]
    assert any("onbekende persoon p-ghost (voter_id)" in m for m in messages)
    assert Decision.objects.count() == 0
    not_lists = _push(client, {"motions": "nee"}, _token(amstelstad, anna_admin))
    assert not_lists.status_code == 422


def test_pushes_need_a_token_of_the_same_organisation(
    client: Client, amstelstad: Organisation, heidedorp: Organisation, henk_heidedorp: User
) -> None:
    assert _push(client, popolo_sample.DOCUMENT).status_code == 401
    assert _push(client, popolo_sample.DOCUMENT, "bl_made_up").status_code == 401
    other = _token(heidedorp, henk_heidedorp)
    assert _push(client, popolo_sample.DOCUMENT, other).status_code == 403
    assert Decision.objects.count() == 0


def test_staff_without_participation_rights_cannot_push(carla_comms: User) -> None:
    response = _push(client_for(carla_comms), popolo_sample.DOCUMENT)
    assert response.status_code == 403


def test_the_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/decisions", "/decisions/{decision_id}", "/parties", "/matrix", "/popolo"):
        assert f"/api/v1/organisations/{{slug}}/council{path}" in paths
