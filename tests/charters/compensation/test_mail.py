"""Claim e-mails go out in the language the citizen used, whoever decides and in which language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from burgerlink.charters.compensation.services import register_missed_promises
from burgerlink.charters.models import CharterNorm, Claim, ClaimStatus
from burgerlink.core.models import Organisation, User
from tests.charters.compensation.conftest import DAY, code_for, make_case
from tests.conftest import client_for

FORM = "/organisaties/amstelstad/compensatie/"
IBAN = "NL91ABNA0417164300"


@pytest.fixture
def missed(amstelstad: Organisation, norms: dict[str, CharterNorm]) -> str:
    """A permit decided 15 days late: a missed promise with compensation."""
    make_case(norms["permit"], "Z-7", lateness=15 * DAY)
    register_missed_promises(organisation=amstelstad, record_kind="case")
    return "Z-7"


def file_claim(reference: str, language: str) -> Claim:
    citizen = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR="203.0.113.9")
    code = code_for(Organisation.objects.get(slug="amstelstad"), reference)
    data = {
        "reference": reference,
        "claim_code": code,
        "email": "sam@example.org",
        "name": "",
        "iban": IBAN,
    }
    assert citizen.post(FORM, data).status_code == 200
    return Claim.objects.get(reference=reference)


def test_an_english_claimant_hears_in_english_from_receipt_to_decision(
    missed: str, kees_quality: User
) -> None:
    claim = file_claim(missed, "en")
    assert claim.language == "en"
    [received] = mail.outbox
    assert received.subject == f"Your claim with Gemeente Amstelstad has been received ({missed})"
    assert claim.public_token in received.body
    # Late in the unit of the permit's legal term, in the claimant's language.
    assert "We were 3 weeks late." in received.body
    assert '<html lang="en">' in received.alternatives[0][0]

    staff = client_for(kees_quality)  # a Dutch interface
    response = staff.post(
        f"/medewerkers/amstelstad/compensatie/claims/{claim.pk}/", {"decision": "grant"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    decided = mail.outbox[1]
    assert decided.subject == f"Decision on your claim with Gemeente Amstelstad ({missed})"
    assert "has granted your claim" in decided.body
    assert "toegekend" not in decided.body


def test_a_dutch_claimant_hears_in_dutch_when_staff_work_in_english(
    missed: str, kees_quality: User
) -> None:
    claim = file_claim(missed, "nl")
    assert claim.language == "nl"
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(kees_quality)
    page = staff.get(f"/medewerkers/amstelstad/compensatie/claims/{claim.pk}/")
    assert '<html lang="en"' in page.content.decode()  # the staff member works in English
    staff.post(
        f"/medewerkers/amstelstad/compensatie/claims/{claim.pk}/",
        {"decision": "reject", "note": "Geen vertraging gevonden."},
    )
    [received, decided] = mail.outbox
    assert received.subject.startswith("Uw claim bij Gemeente Amstelstad is ontvangen")
    assert decided.subject == f"Besluit over uw claim bij Gemeente Amstelstad ({missed})"
    assert "heeft uw claim voor kenmerk Z-7 afgewezen" in decided.body
    assert "Wij waren 3 weken te laat." in decided.body
    assert "Geen vertraging gevonden." in decided.body
