"""The ledger in the API: for the organisation's own token or claim handlers, no personal data."""

from __future__ import annotations

import pytest
import schemathesis
from django.test import Client

from burgerlink.charters.compensation.services import register_missed_promises
from burgerlink.charters.models import CharterNorm, CompensationEntry, EntryStatus
from burgerlink.core import services as core_services
from burgerlink.core.models import Organisation, User
from tests.api.test_schemathesis import CHECKS, FUZZ, _one_connection, schema
from tests.charters.compensation.conftest import DAY, make_case, make_contact
from tests.conftest import client_for

__all__ = ["_one_connection"]  # a fixture, imported so that the fuzz test below can use it

URL = "/api/v1/organisations/amstelstad/compensation"


def bearer(organisation: Organisation) -> dict[str, str]:
    secret = core_services.issue_api_token(organisation=organisation, name="test", by=None).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_ledger_for_the_organisations_token(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    make_case(norms["permit"], "Z-1", lateness=15 * DAY)
    make_contact(norms["email"], "E-1")
    register_missed_promises(organisation=amstelstad, record_kind="case")
    register_missed_promises(organisation=amstelstad, record_kind="contact")
    CompensationEntry.objects.filter(source_id="E-1").update(status=EntryStatus.PAID)

    response = Client().get(URL, **bearer(amstelstad))
    assert response.status_code == 200
    rows = {row["source_id"]: row for row in response.json()}
    assert set(rows) == {"Z-1", "E-1"}
    assert rows["Z-1"]["amount"] == "357.00"
    assert rows["Z-1"]["days_late"] == 15
    assert rows["Z-1"]["norm_code"] == "permit"
    assert rows["E-1"]["amount"] is None
    assert not {"email", "name", "iban"} & set(rows["Z-1"])

    paid = Client().get(URL, {"status": "paid"}, **bearer(amstelstad)).json()
    assert [row["source_id"] for row in paid] == ["E-1"]
    assert len(Client().get(URL, {"limit": 1}, **bearer(amstelstad)).json()) == 1
    assert Client().get(URL, {"status": "lost"}, **bearer(amstelstad)).status_code == 422


def test_others_get_nothing(
    amstelstad: Organisation,
    heidedorp: Organisation,
    kees_quality: User,
    carla_comms: User,
    norms: dict[str, CharterNorm],
) -> None:
    assert Client().get(URL).status_code == 401
    assert Client().get(URL, **bearer(heidedorp)).status_code == 403
    assert client_for(carla_comms).get(URL).status_code == 403
    assert client_for(kees_quality).get(URL).status_code == 200
    assert Client().get("/api/v1/organisations/nergens/compensation").status_code == 401


@pytest.fixture
def fuzz_world(
    amstelstad: Organisation, heidedorp: Organisation, norms: dict[str, CharterNorm]
) -> str:
    """A ledger with one entry, and the secret of a token of Amstelstad."""
    make_case(norms["permit"], "Z-1", lateness=15 * DAY)
    register_missed_promises(organisation=amstelstad, record_kind="case")
    return core_services.issue_api_token(organisation=amstelstad, name="fuzzer", by=None).secret


@schema.include(path_regex=r"/compensation$").parametrize()
@FUZZ
def test_the_ledger_endpoint_with_a_token_under_fuzzing(
    case: schemathesis.Case, _one_connection: None, fuzz_world: str
) -> None:
    """Generated queries with Amstelstad's token: no 5xx, every answer as documented."""
    response = case.call_and_validate(
        checks=CHECKS, headers={"Authorization": f"Bearer {fuzz_world}"}
    )
    assert response.status_code != 401
