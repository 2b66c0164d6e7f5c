"""Claim codes issued on the staff page: shown once, stored as a keyed hash, replaced on reissue."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from burgerlink.charters.compensation import codes
from burgerlink.charters.compensation.services import ClaimOutcome, submit_claim
from burgerlink.charters.models import CharterNorm, ClaimCode
from burgerlink.core.models import AuditEvent, Organisation, User
from tests.charters.compensation.conftest import make_case
from tests.conftest import client_for

PAGE = "/medewerkers/amstelstad/compensatie/claimcodes/"


def claim_with(organisation: Organisation, reference: str, code: str) -> ClaimOutcome:
    return submit_claim(
        organisation=organisation,
        reference=reference,
        claim_code=code,
        email="anna@example.org",
        iban="NL91ABNA0417164300",
        client_ip="192.0.2.1",
        base_url="https://burgerlink.example/",
    ).outcome


def issued_on(response: Any) -> dict[str, str]:
    page = response.content.decode()
    pairs = re.findall(r"<code>([^<]+)</code></th>\s*<td[^>]*><code>([^<]+)</code>", page)
    return dict(pairs)


def test_staff_issue_codes_that_are_shown_once_and_stored_hashed(
    amstelstad: Organisation, kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    make_case(norms["complaint"], "K-1")
    client = client_for(kees_quality)
    assert client.get(PAGE).status_code == 200
    response = client.post(PAGE, {"kenmerken": "K-1\n\n K-2 \n"})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    issued = issued_on(response)
    assert set(issued) == {"K-1", "K-2"}
    for code in issued.values():
        assert codes.looks_like_claim_code(code)
        assert not ClaimCode.objects.filter(code_hash__contains=codes.compact(code)).exists()
    assert issued["K-1"] not in client.get(PAGE).content.decode()
    event = AuditEvent.objects.get(action="compensation.claimcodes.issue")
    assert event.actor == kees_quality and "K-1" in event.summary
    assert claim_with(amstelstad, "K-1", issued["K-1"]) == ClaimOutcome.RECEIVED
    assert len(mail.outbox) == 0 or mail.outbox[0].to == ["anna@example.org"]


def test_issuing_again_replaces_the_old_code(
    amstelstad: Organisation, kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    make_case(norms["complaint"], "K-1")
    client = client_for(kees_quality)
    old = issued_on(client.post(PAGE, {"kenmerken": "K-1"}))["K-1"]
    new = issued_on(client.post(PAGE, {"kenmerken": "K-1"}))["K-1"]
    assert ClaimCode.objects.count() == 1
    assert claim_with(amstelstad, "K-1", old) == ClaimOutcome.NOT_CLAIMABLE
    assert claim_with(amstelstad, "K-1", new) == ClaimOutcome.RECEIVED


def test_new_references_from_the_staff_page(kees_quality: User) -> None:
    response = client_for(kees_quality).post(PAGE, {"nieuw": "3"})
    issued = issued_on(response)
    assert len(issued) == 3
    assert all(codes.has_valid_check(codes.compact(reference)) for reference in issued)
    assert "3 claimcodes uitgegeven" in response.content.decode()


def test_the_form_asks_for_one_of_the_two(kees_quality: User) -> None:
    client = client_for(kees_quality)
    for data in ({}, {"kenmerken": "K-1", "nieuw": "2"}, {"nieuw": "0"}):
        response = client.post(PAGE, data)
        assert response.status_code == 200
        assert 'id="form-errors"' in response.content.decode(), data
    assert not ClaimCode.objects.exists()


def test_only_claim_handlers_issue_codes(carla_comms: User, henk_heidedorp: User) -> None:
    assert client_for(carla_comms).post(PAGE, {"nieuw": "1"}).status_code == 403
    assert client_for(henk_heidedorp).post(PAGE, {"nieuw": "1"}).status_code == 404
    assert not ClaimCode.objects.exists()
