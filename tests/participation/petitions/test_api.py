"""The petitions API: published petitions with exact counts; nothing unpublished."""

from __future__ import annotations

from django.test import Client

from burgerlink.core.models import Organisation
from burgerlink.participation.models import Petition
from tests.participation.petitions.conftest import sign_and_confirm, start

API = "/api/v1/organisations/amstelstad/petitions"


def test_the_list_and_a_petition_with_counts_per_place(
    client: Client, petition: Petition, amstelstad: Organisation
) -> None:
    sign_and_confirm(petition, "a@example.org", place="Oudekerk")
    sign_and_confirm(petition, "b@example.org", place="Oudekerk", client_ip="192.0.2.2")
    start(amstelstad, title="Een petitie die nog wacht op de moderator")
    listed = client.get(API).json()
    assert [(p["id"], p["signatures"], p["status"]) for p in listed] == [
        (petition.pk, 2, "collecting")
    ]
    detail = client.get(f"{API}/{petition.pk}").json()
    assert detail["signatures_per_place"] == [{"place": "Oudekerk", "signatures": 2}]
    assert detail["answer"] is None


def test_unknown_and_unpublished_petitions_are_404(
    client: Client, amstelstad: Organisation
) -> None:
    pending = start(amstelstad)
    assert client.get(f"{API}/{pending.pk}").status_code == 404
    assert client.get(f"{API}/999999").status_code == 404
    assert client.get("/api/v1/organisations/bestaat-niet/petitions").status_code == 404
