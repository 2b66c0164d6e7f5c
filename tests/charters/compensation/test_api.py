"""The ledger in the API: for the organisation's own token or claim handlers, no personal data."""

from __future__ import annotations

import pytest
import schemathesis
from django.test import Client

from burgerlink.charters.compensation import codes
from burgerlink.charters.compensation.services import (
    ClaimOutcome,
    register_missed_promises,
    submit_claim,
)
from burgerlink.charters.models import CharterNorm, ClaimCode, CompensationEntry, EntryStatus
from burgerlink.core import services as core_services
from burgerlink.core.models import AuditEvent, Organisation, User
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
    # The permit is a legal term in weeks: 15 days late is 3 started weeks.
    assert (rows["Z-1"]["lateness"], rows["Z-1"]["lateness_unit"]) == (3, "weeks")
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


def test_claim_codes_for_the_organisations_own_references(
    amstelstad: Organisation, heidedorp: Organisation, norms: dict[str, CharterNorm]
) -> None:
    make_case(norms["complaint"], "K-1")
    response = Client().post(
        f"{URL}/claim-codes",
        {"references": ["K-1", "K-2", "K-1"]},
        content_type="application/json",
        **bearer(amstelstad),
    )
    assert response.status_code == 201
    issued = {row["reference"]: row["claim_code"] for row in response.json()}
    assert set(issued) == {"K-1", "K-2"}
    assert all(codes.looks_like_claim_code(code) for code in issued.values())
    stored = ClaimCode.objects.get(reference="K-1")
    assert issued["K-1"] not in stored.code_hash and len(stored.code_hash) == 64
    assert AuditEvent.objects.filter(
        action="compensation.claimcodes.issue", actor_label="token:test"
    ).exists()
    # With the code a citizen can claim; another organisation's token cannot issue here.
    result = submit_claim(
        organisation=amstelstad,
        reference="K-1",
        claim_code=issued["K-1"],
        email="anna@example.org",
        iban="NL91ABNA0417164300",
        client_ip="192.0.2.1",
        base_url="https://burgerlink.example/",
    )
    assert result.outcome == ClaimOutcome.RECEIVED
    assert (
        Client()
        .post(
            f"{URL}/claim-codes",
            {"references": ["K-1"]},
            content_type="application/json",
            **bearer(heidedorp),
        )
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    "payload",
    [{"references": []}, {"references": ["x" * 65]}, {"references": ["a\nb"]}, {}],
)
def test_claim_codes_refuse_what_names_no_reference(
    amstelstad: Organisation, payload: dict[str, object]
) -> None:
    response = Client().post(
        f"{URL}/claim-codes", payload, content_type="application/json", **bearer(amstelstad)
    )
    assert response.status_code == 422
    assert response.json()["message"]
    assert not ClaimCode.objects.exists()


def test_new_references_are_random_with_a_check_character(amstelstad: Organisation) -> None:
    response = Client().post(
        f"{URL}/references", {"count": 50}, content_type="application/json", **bearer(amstelstad)
    )
    assert response.status_code == 201
    rows = response.json()
    references = [row["reference"] for row in rows]
    assert len(set(references)) == 50
    assert all(codes.has_valid_check(codes.compact(reference)) for reference in references)
    assert references != sorted(references) or len(references) < 2
    assert set(
        ClaimCode.objects.filter(origin="platform").values_list("reference", flat=True)
    ) == set(references)
    too_many = Client().post(
        f"{URL}/references", {"count": 1001}, content_type="application/json", **bearer(amstelstad)
    )
    assert too_many.status_code == 422


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
