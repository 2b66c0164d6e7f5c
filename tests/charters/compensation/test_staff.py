"""Staff pages: claims handled (granted or rejected, audited), the ledger and its totals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from burgerlink.charters.compensation.services import (
    ClaimOutcome,
    register_missed_promises,
    submit_claim,
)
from burgerlink.charters.models import (
    CharterNorm,
    Claim,
    ClaimStatus,
    CompensationEntry,
    EntryStatus,
)
from burgerlink.core.models import AuditEvent, Organisation, User
from tests.charters.compensation.conftest import DAY, code_for, make_case, make_contact
from tests.conftest import client_for

STAFF = "/medewerkers/amstelstad/compensatie/"
IBAN = "NL91ABNA0417164300"


def claim_for(organisation: Organisation, reference: str, iban: str = IBAN) -> Claim:
    """A citizen's claim, as the public form makes it."""
    result = submit_claim(
        organisation=organisation,
        reference=reference,
        claim_code=code_for(organisation, reference),
        email="anna@example.org",
        name="Anna de Vries",
        iban=iban,
        client_ip="192.0.2.1",
        base_url="https://burgerlink.example/",
    )
    assert result.outcome == ClaimOutcome.RECEIVED and result.claim is not None
    return result.claim


@pytest.fixture
def claim(amstelstad: Organisation, norms: dict[str, CharterNorm]) -> Claim:
    """A received claim for a permit decided 15 days late (statutory penalty €357)."""
    make_case(norms["permit"], "Z-1", lateness=15 * DAY)
    register_missed_promises(organisation=amstelstad, record_kind="case")
    return claim_for(amstelstad, "Z-1")


def decide(user: User, claim: Claim, capture: Any, **data: str) -> Any:
    with capture(execute=True):
        return client_for(user).post(f"{STAFF}claims/{claim.pk}/", data)


def test_quality_manager_sees_the_pages(kees_quality: User, claim: Claim) -> None:
    client = client_for(kees_quality)
    ledger = client.get(STAFF)
    assert ledger.status_code == 200
    assert "Z-1" in ledger.content.decode()
    claims = client.get(f"{STAFF}claims/")
    assert claims.status_code == 200
    assert f"{STAFF}claims/{claim.pk}/" in claims.content.decode()
    detail = client.get(f"{STAFF}claims/{claim.pk}/").content.decode()
    assert "Anna de Vries" in detail
    assert "NL91 ABNA 0417 1643 00" in detail
    assert "357,00" in detail


def test_members_without_the_role_get_403(carla_comms: User, claim: Claim) -> None:
    client = client_for(carla_comms)
    for url in (STAFF, f"{STAFF}claims/", f"{STAFF}claims/{claim.pk}/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{STAFF}claims/{claim.pk}/", {"decision": "grant"}).status_code == 403
    bulk = {"actie": "paid", "bereik": "selectie", "entry": [str(claim.entry_id)]}
    assert client.post(f"{STAFF}bulk/", bulk).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RECEIVED


def test_another_organisations_claim_is_not_found(henk_heidedorp: User, claim: Claim) -> None:
    client = client_for(henk_heidedorp)
    other = "/medewerkers/heidedorp/compensatie/"
    assert client.get(f"{other}claims/{claim.pk}/").status_code == 404
    assert client.post(f"{other}claims/{claim.pk}/", {"decision": "grant"}).status_code == 404
    # Their own register's bulk action does not reach Amstelstad's entry.
    bulk = {"actie": "paid", "bereik": "selectie", "entry": [str(claim.entry_id)]}
    confirm = client.post(f"{other}bulk/", bulk)
    assert confirm.context["plan"].count == 0
    assert claim.entry is not None and claim.entry.status == EntryStatus.OWED
    assert claim.pk not in [c.pk for c in client.get(f"{other}claims/").context["page"]]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RECEIVED


def test_granting_offers_the_compensation_and_tells_the_citizen(
    kees_quality: User,
    claim: Claim,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CLAIM_RETENTION_DAYS = 30
    mail.outbox.clear()
    response = decide(
        kees_quality,
        claim,
        django_capture_on_commit_callbacks,
        decision="grant",
        note="Wij maken € 357 over.",
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    assert claim.decided_by == kees_quality
    assert claim.decision_note == "Wij maken € 357 over."
    assert claim.purge_after == timezone.localdate() + timedelta(days=30)
    assert claim.entry is not None and claim.entry.status == EntryStatus.OFFERED
    actions = set(
        AuditEvent.objects.filter(
            actor=kees_quality, action__startswith="compensation."
        ).values_list("action", flat=True)
    )
    assert actions == {"compensation.claim.grant", "compensation.entry.offered"}
    assert len(mail.outbox) == 1
    assert "toegekend" in mail.outbox[0].body
    assert claim.public_token in mail.outbox[0].body
    status = client_for(kees_quality).get(
        f"/organisaties/amstelstad/compensatie/status/{claim.public_token}/"
    )
    assert "Toegekend" in status.content.decode()
    assert "357,00" in status.content.decode()


def test_a_rejection_needs_a_note(
    kees_quality: User, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    response = decide(
        kees_quality, claim, django_capture_on_commit_callbacks, decision="reject", note="  "
    )
    assert response.status_code == 200
    assert "Schrijf op waarom de claim wordt afgewezen" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RECEIVED
    assert not AuditEvent.objects.filter(action__startswith="compensation.claim.reject").exists()
    assert mail.outbox == []


def test_rejecting_keeps_the_ledger_and_tells_the_citizen_why(
    kees_quality: User, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    note = "Het rekeningnummer hoort niet bij de aanvrager."
    decide(kees_quality, claim, django_capture_on_commit_callbacks, decision="reject", note=note)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert claim.entry is not None and claim.entry.status == EntryStatus.OWED
    event = AuditEvent.objects.get(action="compensation.claim.reject")
    assert event.actor == kees_quality and note in event.summary
    assert len(mail.outbox) == 1
    assert "afgewezen" in mail.outbox[0].body and note in mail.outbox[0].body


def test_a_claim_is_decided_once(
    kees_quality: User, anna_admin: User, claim: Claim, django_capture_on_commit_callbacks: Any
) -> None:
    decide(kees_quality, claim, django_capture_on_commit_callbacks, decision="grant")
    anna = client_for(anna_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = anna.post(
            f"{STAFF}claims/{claim.pk}/", {"decision": "reject", "note": "Toch niet"}
        )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    assert claim.decided_by == kees_quality
    assert not AuditEvent.objects.filter(action="compensation.claim.reject").exists()
    page = anna.get(response["Location"]).content.decode()
    assert "Over deze claim is al besloten" in page


def test_the_claims_list_filters_by_status(
    amstelstad: Organisation, kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    make_contact(norms["email"], "E-1")
    make_contact(norms["email"], "E-2")
    first, second = claim_for(amstelstad, "E-1"), claim_for(amstelstad, "E-2")
    Claim.objects.filter(pk=second.pk).update(status=ClaimStatus.REJECTED)
    client = client_for(kees_quality)
    received = client.get(f"{STAFF}claims/", {"status": "received"}).context["page"]
    assert [c.pk for c in received] == [first.pk]
    everything = client.get(f"{STAFF}claims/").context["page"]
    assert {c.pk for c in everything} == {first.pk, second.pk}
    assert client.get(f"{STAFF}claims/", {"status": "nonsense"}).status_code == 200


def test_the_ledger_totals_per_status_and_norm(
    amstelstad: Organisation, kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    make_case(norms["permit"], "Z-1", lateness=60 * DAY)  # 1442
    make_case(norms["permit"], "Z-2", lateness=DAY)  # 23
    make_case(norms["complaint"], "K-1")  # 25
    make_contact(norms["email"], "E-1")  # an apology: counted, no amount
    register_missed_promises(organisation=amstelstad, record_kind="case")
    register_missed_promises(organisation=amstelstad, record_kind="contact")
    CompensationEntry.objects.filter(source_id="Z-2").update(status=EntryStatus.PAID)

    response = client_for(kees_quality).get(STAFF)
    totals = response.context["totals"]
    assert totals.by_status["owed"].count == 3
    assert totals.by_status["owed"].amount == Decimal("1467.00")
    assert totals.by_status["paid"].count == 1
    assert totals.by_status["paid"].amount == Decimal("23.00")
    assert totals.by_status["declined"].count == 0
    assert totals.total.count == 4
    by_norm = {row.code: row for row in totals.by_norm}
    assert set(by_norm) == {"permit", "complaint", "email"}
    assert by_norm["permit"].by_status["owed"].amount == Decimal("1442.00")
    assert by_norm["permit"].total.count == 2
    page = response.content.decode()
    assert "1.467,00" in page and "1.442,00" in page
    assert "<caption" in page

    paid_only = client_for(kees_quality).get(STAFF, {"status": "paid"}).context["rows"]
    assert [row.entry.source_id for row in paid_only] == ["Z-2"]


def test_the_dashboard_shows_open_claims_and_what_is_owed(
    kees_quality: User, carla_comms: User, claim: Claim
) -> None:
    page = client_for(kees_quality).get("/medewerkers/amstelstad/").content.decode()
    assert "Compensatie bij gemiste beloften" in page
    assert "1 claim wacht op een besluit." in page
    assert "357,00" in page
    assert f'href="{STAFF}"' in page  # the staff menu link
    other = client_for(carla_comms).get("/medewerkers/amstelstad/").content.decode()
    assert "Compensatie bij gemiste beloften" not in other
    assert f'href="{STAFF}"' not in other
