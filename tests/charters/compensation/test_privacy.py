"""Access and erasure (AVG art. 15 and 17) of a claimant's data, by e-mail or by reference."""

from __future__ import annotations

import io
import json
import zipfile

from burgerlink.charters.models import CharterNorm, Claim, ClaimStatus
from burgerlink.core import privacy
from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.privacy import Subject
from tests.charters.compensation.conftest import make_case
from tests.charters.compensation.test_staff import claim_for


def exported(archive: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: json.loads(opened.read(name)) for name in opened.namelist()}


def test_export_by_e_mail_holds_the_claim(
    amstelstad: Organisation, norms: dict[str, CharterNorm], anna_admin: User
) -> None:
    make_case(norms["complaint"], "K-1")
    claim_for(amstelstad, "K-1")
    files = exported(
        privacy.export_person(
            subject=Subject(email="Anna@Example.org", organisation=amstelstad), by=anna_admin
        )
    )
    [row] = files["charters.claim.json"]  # type: ignore[misc]
    assert row["email"] == "anna@example.org"
    assert row["name"] == "Anna de Vries"
    assert row["reference"] == "K-1"
    assert row["status"] == ClaimStatus.RECEIVED
    index = files["index.json"]
    assert {"code": "charters.claim", "rijen": 1}.items() <= next(
        kind
        for kind in index["soorten"]
        if kind["code"] == "charters.claim"  # type: ignore[index]
    ).items()
    audit = AuditEvent.objects.get(action="privacy.export")
    assert audit.actor == anna_admin
    assert audit.organisation == amstelstad
    assert "charters.claim: 1" in audit.summary
    assert "anna@example.org" not in audit.summary.lower()


def test_erase_by_reference_blanks_the_claimant_and_keeps_the_decision(
    amstelstad: Organisation, norms: dict[str, CharterNorm], anna_admin: User
) -> None:
    make_case(norms["complaint"], "K-1")
    make_case(norms["complaint"], "K-2")
    claim = claim_for(amstelstad, "K-1")
    other = claim_for(amstelstad, "K-2")
    subject = Subject(reference="K-1", organisation=amstelstad)
    assert privacy.lookup(subject)["charters.claim"] == 1
    erased = privacy.erase_person(subject=subject, by=anna_admin)
    assert erased["charters.claim"] == 1
    claim.refresh_from_db()
    assert (claim.email, claim.name, claim.iban, claim.message) == ("", "", "", "")
    assert claim.purged_at is not None
    assert claim.reference == "K-1"
    other.refresh_from_db()
    assert other.email == "anna@example.org"  # another reference: untouched
    assert AuditEvent.objects.filter(action="privacy.erase", organisation=amstelstad).exists()


def test_an_administrator_reaches_only_their_own_organisation(
    amstelstad: Organisation,
    heidedorp: Organisation,
    norms: dict[str, CharterNorm],
    henk_heidedorp: User,
) -> None:
    make_case(norms["complaint"], "K-1")
    claim = claim_for(amstelstad, "K-1")
    subject = Subject(email="anna@example.org", organisation=heidedorp)
    assert privacy.lookup(subject)["charters.claim"] == 0
    privacy.erase_person(subject=subject, by=henk_heidedorp)
    assert Claim.objects.get(pk=claim.pk).email == "anna@example.org"
    # An operator (no organisation) reaches every organisation.
    assert privacy.lookup(Subject(email="anna@example.org"))["charters.claim"] == 1


def test_claim_form_attempts_are_registered_found_by_reference_and_kept_an_hour(
    amstelstad: Organisation, heidedorp: Organisation, anna_admin: User
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from burgerlink.charters.compensation.services import note_claim_attempt
    from burgerlink.charters.models import ClaimAttempt
    from burgerlink.charters.privacy import purge_attempts
    from burgerlink.core.schedule import jobs

    kind = next(kind for kind in privacy.kinds() if kind.code == "charters.claim-attempt")
    assert kind.retention_job in {job.code for job in jobs()}
    note_claim_attempt(organisation=amstelstad, client_ip="192.0.2.7", reference="k-1 ")
    note_claim_attempt(organisation=amstelstad, client_ip="192.0.2.7", reference="K-2")
    note_claim_attempt(organisation=heidedorp, client_ip="192.0.2.7", reference="K-1")
    assert "192.0.2.7" not in str(list(ClaimAttempt.objects.values_list("client", "reference")))
    subject = Subject(reference="K-1", organisation=amstelstad)
    assert privacy.lookup(subject)["charters.claim-attempt"] == 1
    # A platform operator looks across organisations.
    assert privacy.lookup(Subject(reference="K-1"))["charters.claim-attempt"] == 2
    files = exported(privacy.export_person(subject=subject, by=anna_admin))
    [row] = files["charters.claim-attempt.json"]  # type: ignore[misc]
    assert set(row) == {"organisation__name", "at"}
    assert privacy.erase_person(subject=subject, by=anna_admin)["charters.claim-attempt"] == 1
    assert ClaimAttempt.objects.count() == 2
    # The hourly job forgets attempts older than the rate-limit window.
    ClaimAttempt.objects.filter(reference__gt="").update(at=timezone.now() - timedelta(hours=2))
    note_claim_attempt(organisation=amstelstad, client_ip="192.0.2.8", reference="K-3")
    assert purge_attempts.call() == 2
    assert ClaimAttempt.objects.count() == 1
