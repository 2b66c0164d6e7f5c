"""Retention: a claim's personal data is erased when its retention ends, and not before."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from burgerlink.charters.compensation.services import (
    grant_claim,
    purge_expired_claims,
    reject_claim,
)
from burgerlink.charters.models import CharterNorm, Claim, ClaimAttempt, ClaimStatus
from burgerlink.core.models import AuditEvent, Organisation, User
from tests.charters.compensation.conftest import make_case
from tests.charters.compensation.test_staff import claim_for
from tests.conftest import client_for

PERSONAL = ("email", "name", "iban", "message")


@pytest.fixture
def claim(amstelstad: Organisation, norms: dict[str, CharterNorm]) -> Claim:
    """A received claim with every personal field filled in."""
    make_case(norms["complaint"], "K-1")
    claim = claim_for(amstelstad, "K-1")
    Claim.objects.filter(pk=claim.pk).update(message="Graag op mijn rekening.")
    claim.refresh_from_db()
    return claim


def personal(claim: Claim) -> dict[str, str]:
    claim.refresh_from_db()
    return {field: getattr(claim, field) for field in PERSONAL}


def test_a_decided_claim_is_purged_a_year_after_the_decision(
    claim: Claim, kees_quality: User
) -> None:
    today = timezone.localdate()
    grant_claim(claim=claim, note="Toegekend.", by=kees_quality)
    claim.refresh_from_db()
    assert claim.purge_after == today + timedelta(days=365)

    assert purge_expired_claims(today + timedelta(days=365)) == 0  # the last day: kept
    assert all(personal(claim).values())
    assert claim.purged_at is None

    assert purge_expired_claims(today + timedelta(days=366)) == 1
    assert personal(claim) == dict.fromkeys(PERSONAL, "")
    assert claim.purged_at is not None
    # What the ledger and the citizen's status page need stays.
    assert claim.reference == "K-1"
    assert claim.status == ClaimStatus.GRANTED
    assert claim.decision_note == "Toegekend."
    assert claim.entry is not None
    event = AuditEvent.objects.get(action="compensation.claims.purge")
    assert event.organisation_id == claim.organisation_id

    assert purge_expired_claims(today + timedelta(days=400)) == 0  # nothing left to do


def test_the_retention_is_a_setting(claim: Claim, kees_quality: User, settings: Any) -> None:
    settings.CLAIM_RETENTION_DAYS = 10
    today = timezone.localdate()
    reject_claim(claim=claim, note="Niet de aanvrager.", by=kees_quality)
    assert purge_expired_claims(today + timedelta(days=10)) == 0
    assert purge_expired_claims(today + timedelta(days=11)) == 1
    assert personal(claim) == dict.fromkeys(PERSONAL, "")


def test_an_undecided_claim_is_purged_two_years_after_submission(claim: Claim) -> None:
    submitted = timezone.localdate(claim.created_at)
    assert claim.purge_after == submitted + timedelta(days=730)
    assert purge_expired_claims(submitted + timedelta(days=400)) == 0
    assert purge_expired_claims(submitted + timedelta(days=730)) == 0
    assert all(personal(claim).values())
    assert purge_expired_claims(submitted + timedelta(days=731)) == 1
    assert personal(claim) == dict.fromkeys(PERSONAL, "")
    assert claim.status == ClaimStatus.RECEIVED


def test_staff_see_that_the_data_was_erased(claim: Claim, kees_quality: User) -> None:
    purge_expired_claims(timezone.localdate() + timedelta(days=800))
    page = (
        client_for(kees_quality)
        .get(f"/medewerkers/amstelstad/compensatie/claims/{claim.pk}/")
        .content.decode()
    )
    assert "Gewist op" in page
    assert "anna@example.org" not in page
    status = client_for(kees_quality).get(
        f"/organisaties/amstelstad/compensatie/status/{claim.public_token}/"
    )
    assert status.status_code == 200


def test_the_client_hash_leaves_the_audit_log_after_the_rate_limit_window(
    claim: Claim, amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    submitted = AuditEvent.objects.filter(action="compensation.claim.submit")
    submitted.update(at=timezone.now() - timedelta(hours=2))
    make_case(norms["complaint"], "K-2")
    claim_for(amstelstad, "K-2")  # within the window: its hash still counts
    purge_expired_claims()
    labels = sorted(submitted.values_list("actor_label", flat=True))
    assert labels[0] == "burger"
    assert labels[1].startswith("burger:")


def test_counted_attempts_are_dropped_after_the_rate_limit_window(
    claim: Claim, amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    ClaimAttempt.objects.update(at=timezone.now() - timedelta(hours=2))
    make_case(norms["complaint"], "K-2")
    claim_for(amstelstad, "K-2")  # within the window: it still counts
    purge_expired_claims()
    assert ClaimAttempt.objects.count() == 1


def test_the_command_purges(claim: Claim, kees_quality: User) -> None:
    grant_claim(claim=claim, by=kees_quality)
    out = StringIO()
    call_command("purge-claims", "--datum", "2999-01-01", stdout=out)
    assert "1 claim(s) gewist" in out.getvalue()
    assert personal(claim) == dict.fromkeys(PERSONAL, "")
    out = StringIO()
    call_command("purge-claims", stdout=out)
    assert "0 claim(s) gewist" in out.getvalue()


def test_the_command_refuses_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="Ongeldige datum"):
        call_command("purge-claims", "--datum", "31-12-2025")


def test_the_command_explains_itself_in_dutch() -> None:
    from django.core.management import load_command_class

    assert "bewaartermijn" in load_command_class("burgerlink.charters", "purge-claims").help
