"""The public claim form: a citizen asks for compensation with a reference and no account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from burgerlink.charters.compensation.services import (
    CLAIMS_PER_CLIENT,
    UNDECIDED_RETENTION,
    register_missed_promises,
)
from burgerlink.charters.models import (
    CharterNorm,
    Claim,
    ClaimStatus,
    CompensationEntry,
    EntryStatus,
    Verdict,
)
from burgerlink.core.models import AuditEvent, Organisation
from tests.charters.compensation.conftest import DAY, make_case, make_contact

URL = "/organisaties/amstelstad/compensatie/"
IBAN = "NL91ABNA0417164300"
NEUTRAL = "We vinden bij dit kenmerk geen niet-nagekomen belofte met compensatie"
DUPLICATE = "Voor dit kenmerk is al een claim ingediend"
CLIENT_IP = "203.0.113.7"


@pytest.fixture
def citizen() -> Client:
    """A visitor without an account, from one address."""
    return Client(REMOTE_ADDR=CLIENT_IP)


@pytest.fixture
def post_claim(citizen: Client, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """POST the claim form (running the after-commit e-mail) with sensible defaults."""

    def post(reference: str, client: Client | None = None, **fields: str) -> Any:
        data = {"reference": reference, "email": "anna@example.org", "name": "", "iban": ""}
        data.update(fields)
        with django_capture_on_commit_callbacks(execute=True):
            return (client or citizen).post(URL, data)

    return post


def test_the_organisation_page_links_to_the_form(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    page = Client().get("/organisaties/amstelstad/").content.decode()
    assert "Belofte niet nagekomen? Vraag compensatie" in page
    assert f'href="{URL}"' in page
    form = Client().get(URL)
    assert form.status_code == 200
    text = form.content.decode()
    # The promises that come with compensation are listed; one without is not.
    assert "Wij beloven permit." in text
    assert "Een excuusbrief van de directeur" in text
    assert "Wij beloven phone." not in text
    assert 'name="website"' in text and 'tabindex="-1"' in text
    assert not Claim.objects.exists()


def test_a_valid_claim_is_received_with_a_status_link_by_email(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["permit"], "Z-2025-001", lateness=15 * DAY)
    register_missed_promises(organisation=amstelstad, record_kind="case")

    response = post_claim(
        "Z-2025-001",
        email="anna@example.org",
        name="Anna de Vries",
        iban="nl91 abna 0417 1643 00",
        message="De vergunning kwam twee weken te laat.",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Uw claim is ontvangen" in page
    claim = Claim.objects.get()
    assert claim.public_token in page
    assert claim.entry == CompensationEntry.objects.get(source_id="Z-2025-001")
    assert claim.status == ClaimStatus.RECEIVED
    assert claim.reference == "Z-2025-001"
    assert claim.iban == IBAN
    assert claim.name == "Anna de Vries"
    assert claim.purge_after == timezone.localdate() + UNDECIDED_RETENTION

    status_path = f"/organisaties/amstelstad/compensatie/status/{claim.public_token}/"
    assert status_path in page
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert "Z-2025-001" in message.subject
    assert f"http://testserver{status_path}" in message.body
    assert Client().get(status_path).status_code == 200


def test_the_claim_is_audited_without_the_ip_address(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1")
    post_claim("E-1")
    event = AuditEvent.objects.get(action="compensation.claim.submit")
    assert event.organisation == amstelstad
    assert event.actor_label.startswith("burger:")
    stored = [
        *AuditEvent.objects.values_list("actor_label", "summary", "object_id"),
        *Claim.objects.values_list("email", "name", "message", "reference", "iban"),
    ]
    assert not any(CLIENT_IP in str(value) for row in stored for value in row)


def test_a_missed_record_without_an_entry_yet_gets_one(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1", lateness=2 * DAY)
    post_claim("E-1", iban=IBAN)
    entry = CompensationEntry.objects.get()
    assert (entry.record_kind, entry.source_id, entry.status) == ("contact", "E-1", "owed")
    assert entry.lateness_seconds == 2 * DAY
    # An apology is not money: the bank account is not needed, so it is not kept.
    assert Claim.objects.get().iban == ""
    assert Claim.objects.get().entry == entry


def test_a_reference_typed_in_lower_case_is_found(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-77")
    response = post_claim(" k-77 ", iban=IBAN)
    assert "Uw claim is ontvangen" in response.content.decode()
    assert Claim.objects.get().reference == "K-77"


def test_an_open_record_past_its_deadline_is_a_missed_promise(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    deadline = timezone.now() - timedelta(days=3, hours=1)
    make_case(norms["permit"], "Z-OPEN", Verdict.OPEN, deadline=deadline)
    post_claim("Z-OPEN", iban=IBAN)
    entry = CompensationEntry.objects.get(source_id="Z-OPEN")
    assert entry.lateness_seconds >= 3 * DAY
    assert str(entry.amount) == "92.00"  # four started days × €23
    assert Claim.objects.get().entry == entry


@pytest.mark.parametrize(
    "setup",
    ["unknown", "met", "open-within-term", "no-compensation", "unmeasured", "other-organisation"],
)
def test_one_neutral_answer_and_nothing_stored(
    setup: str,
    amstelstad: Organisation,
    heidedorp: Organisation,
    norms: dict[str, CharterNorm],
    post_claim: Callable[..., Any],
) -> None:
    if setup == "met":
        make_case(norms["permit"], "REF-1", Verdict.MET)
    elif setup == "open-within-term":
        make_case(
            norms["permit"], "REF-1", Verdict.OPEN, deadline=timezone.now() + timedelta(days=5)
        )
    elif setup == "no-compensation":
        make_contact(norms["phone"], "REF-1", lateness=60)
    elif setup == "unmeasured":
        make_contact(norms["email"], "REF-1", Verdict.UNMEASURED)
    elif setup == "other-organisation":
        from tests.charters.compensation.conftest import add_norm

        version = norms["email"].version
        version.pk = None  # a copy of the charter for Heidedorp
        other = add_norm(
            type(version).objects.create(
                charter=type(version.charter).objects.create(organisation=heidedorp),
                organisation=heidedorp,
                number=1,
                status="published",
                valid_from=version.valid_from,
            ),
            "email",
            channel=norms["email"].channel,
            compensation_kind="apology",
        )
        make_contact(other, "REF-1")
        register_missed_promises(organisation=heidedorp, record_kind="contact")

    response = post_claim("REF-1", iban=IBAN)

    assert response.status_code == 200
    page = response.content.decode()
    assert NEUTRAL in page
    assert "Uw claim is ontvangen" not in page
    assert not Claim.objects.filter(organisation=amstelstad).exists()
    assert not CompensationEntry.objects.filter(organisation=amstelstad).exists()
    assert mail.outbox == []


def test_a_second_claim_for_the_same_entry_is_already_being_handled(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-1")
    post_claim("K-1", iban=IBAN)
    response = post_claim("k-1", iban=IBAN, email="someone.else@example.org")
    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    assert Claim.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_bad_iban_is_refused(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-1")
    response = post_claim("K-1", iban="NL91ABNA0417164301")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit IBAN klopt niet" in page
    assert 'aria-invalid="true"' in page
    assert not Claim.objects.exists()
    assert mail.outbox == []


def test_money_needs_a_bank_account(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-1")
    response = post_claim("K-1", iban="")
    assert "Vul uw IBAN in" in response.content.decode()
    assert not Claim.objects.exists()
    assert not CompensationEntry.objects.exists()
    response = post_claim("K-1", iban=IBAN)
    assert "Uw claim is ontvangen" in response.content.decode()


def test_an_email_address_is_required(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1")
    response = post_claim("E-1", email="")
    assert 'aria-invalid="true"' in response.content.decode()
    response = post_claim("E-1", email="not-an-address")
    assert not Claim.objects.exists()


def test_the_honeypot_catches_bots(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1")
    response = post_claim("E-1", website="https://spam.example")
    assert response.status_code == 200
    assert NEUTRAL in response.content.decode()
    assert not Claim.objects.exists()
    assert mail.outbox == []


def test_a_client_may_claim_ten_times_an_hour(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    for number in range(CLAIMS_PER_CLIENT + 2):
        make_contact(norms["email"], f"E-{number}")
    for number in range(CLAIMS_PER_CLIENT):
        assert "Uw claim is ontvangen" in post_claim(f"E-{number}").content.decode()

    refused = post_claim(f"E-{CLAIMS_PER_CLIENT}")
    assert refused.status_code == 429
    assert "Probeer het over een uur opnieuw" in refused.content.decode()
    assert Claim.objects.count() == CLAIMS_PER_CLIENT

    # Another client is not affected.
    other = Client(REMOTE_ADDR="198.51.100.4")
    accepted = post_claim(f"E-{CLAIMS_PER_CLIENT + 1}", client=other)
    assert "Uw claim is ontvangen" in accepted.content.decode()


def test_an_hour_later_the_client_may_claim_again(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    for number in range(CLAIMS_PER_CLIENT + 1):
        make_contact(norms["email"], f"E-{number}")
    for number in range(CLAIMS_PER_CLIENT):
        post_claim(f"E-{number}")
    AuditEvent.objects.filter(action="compensation.claim.submit").update(
        at=timezone.now() - timedelta(hours=1, minutes=1)
    )
    assert "Uw claim is ontvangen" in post_claim(f"E-{CLAIMS_PER_CLIENT}").content.decode()


def test_the_status_page_only_shows_the_status(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-1")
    post_claim("K-1", iban=IBAN, name="Anna de Vries", message="Graag snel.")
    claim = Claim.objects.get()
    before = Claim.objects.values().get()
    url = f"/organisaties/amstelstad/compensatie/status/{claim.public_token}/"

    response = Client().get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "K-1" in page and "Ontvangen" in page
    for private in ("anna@example.org", "Anna de Vries", IBAN, "NL91 ABNA", "Graag snel."):
        assert private not in page
    assert Client().head(url).status_code == 200
    assert Client().post(url, {"status": "granted"}).status_code == 405
    assert Claim.objects.values().get() == before
    assert CompensationEntry.objects.get().status == EntryStatus.OWED


def test_the_status_page_needs_the_right_code_at_the_right_organisation(
    amstelstad: Organisation,
    heidedorp: Organisation,
    norms: dict[str, CharterNorm],
    post_claim: Callable[..., Any],
) -> None:
    make_case(norms["complaint"], "K-1")
    post_claim("K-1", iban=IBAN)
    token = Claim.objects.get().public_token
    assert Client().get(f"/organisaties/heidedorp/compensatie/status/{token}/").status_code == 404
    assert (
        Client().get("/organisaties/amstelstad/compensatie/status/not-a-code/").status_code == 404
    )
    assert Client().get(f"/organisaties/nergens/compensatie/status/{token}/").status_code == 404
    assert Client().get("/organisaties/nergens/compensatie/").status_code == 404
