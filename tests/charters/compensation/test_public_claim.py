"""The public claim form: a citizen asks for compensation with a reference, its claim code and
no account; anyone else learns nothing about any reference from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from burgerlink.charters.compensation import codes
from burgerlink.charters.compensation.services import (
    ATTEMPTS_PER_CLIENT,
    ATTEMPTS_PER_REFERENCE,
    UNDECIDED_RETENTION,
    register_missed_promises,
)
from burgerlink.charters.models import (
    CharterNorm,
    Claim,
    ClaimAttempt,
    ClaimStatus,
    CompensationEntry,
    EntryStatus,
    Verdict,
)
from burgerlink.core.models import AuditEvent, Organisation
from tests.charters.compensation.conftest import DAY, add_norm, code_for, make_case, make_contact

URL = "/organisaties/amstelstad/compensatie/"
IBAN = "NL91ABNA0417164300"
NEUTRAL = "Met dit kenmerk en deze claimcode kunnen wij geen claim aannemen."
RECEIVED = "Uw claim is ontvangen"
CLIENT_IP = "203.0.113.7"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def citizen() -> Client:
    """A visitor without an account, from one address."""
    return Client(REMOTE_ADDR=CLIENT_IP)


@pytest.fixture
def post_claim(citizen: Client, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """POST the claim form (running the after-commit e-mail) with sensible defaults."""

    def post(reference: str, code: str, client: Client | None = None, **fields: str) -> Any:
        data = {
            "reference": reference,
            "claim_code": code,
            "email": "anna@example.org",
            "name": "",
            "iban": "",
        }
        data.update(fields)
        with django_capture_on_commit_callbacks(execute=True):
            return (client or citizen).post(URL, data)

    return post


def another_valid_code(code: str) -> str:
    """A well-formed claim code that is not ``code``."""
    while True:
        other = codes.new_claim_code()
        if codes.compact(other) != codes.compact(code):
            return other


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
    assert 'name="claim_code"' in text
    assert 'name="website"' in text and 'tabindex="-1"' in text
    assert not Claim.objects.exists()


def test_a_valid_claim_is_received_with_a_status_link_by_email(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["permit"], "Z-2025-001", lateness=15 * DAY)
    register_missed_promises(organisation=amstelstad, record_kind="case")
    code = code_for(amstelstad, "Z-2025-001")

    response = post_claim(
        "Z-2025-001",
        code.lower().replace("-", " "),  # typed in lower case, with a space
        email="anna@example.org",
        name="Anna de Vries",
        iban="nl91 abna 0417 1643 00",
        message="De vergunning kwam twee weken te laat.",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert RECEIVED in page
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
    status = Client().get(status_path)
    assert status.status_code == 200
    # The permit's norm is a legal term in weeks: 15 days late is 3 started weeks.
    assert "3 weken" in status.content.decode()


def test_the_claim_is_audited_without_the_ip_address(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1")
    post_claim("E-1", code_for(amstelstad, "E-1"))
    event = AuditEvent.objects.get(action="compensation.claim.submit")
    assert event.organisation == amstelstad
    assert event.actor_label.startswith("burger:")
    stored = [
        *AuditEvent.objects.values_list("actor_label", "summary", "object_id"),
        *Claim.objects.values_list("email", "name", "message", "reference", "iban"),
        *ClaimAttempt.objects.values_list("client", "reference"),
    ]
    assert not any(CLIENT_IP in str(value) for row in stored for value in row)
    assert not any("E-1" in str(value) for value in ClaimAttempt.objects.values_list("reference"))


def test_a_missed_record_without_an_entry_yet_gets_one(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1", lateness=2 * DAY)
    post_claim("E-1", code_for(amstelstad, "E-1"), iban=IBAN)
    entry = CompensationEntry.objects.get()
    assert (entry.record_kind, entry.source_id, entry.status) == ("contact", "E-1", "owed")
    assert entry.lateness_seconds == 2 * DAY
    # Deadline Wednesday 10:00, handled Friday 10:00: Wednesday, Thursday and Friday started.
    assert (entry.lateness, entry.lateness_unit) == (3, "working_days")
    # An apology is not money: the bank account is not needed, so it is not kept.
    assert Claim.objects.get().iban == ""
    assert Claim.objects.get().entry == entry


def test_a_reference_typed_in_lower_case_is_found(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-77")
    response = post_claim(" k-77 ", code_for(amstelstad, "K-77"), iban=IBAN)
    assert RECEIVED in response.content.decode()
    assert Claim.objects.get().reference == "K-77"


def test_an_open_record_past_its_deadline_is_a_missed_promise(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    deadline = timezone.now() - timedelta(days=3, hours=1)
    make_case(norms["permit"], "Z-OPEN", Verdict.OPEN, deadline=deadline)
    post_claim("Z-OPEN", code_for(amstelstad, "Z-OPEN"), iban=IBAN)
    entry = CompensationEntry.objects.get(source_id="Z-OPEN")
    assert entry.lateness_seconds >= 3 * DAY
    assert str(entry.amount) == "92.00"  # four started days × €23
    assert Claim.objects.get().entry == entry


NEUTRAL_CASES = [
    "unknown",
    "no-code-issued",
    "wrong-code",
    "code-of-another-reference",
    "met",
    "open-within-term",
    "no-compensation",
    "unmeasured",
    "other-organisation",
    "already-claimed",
]


def _arrange(
    case: str,
    reference: str,
    organisations: tuple[Organisation, Organisation],
    norms: dict[str, CharterNorm],
    post_claim: Callable[..., Any],
) -> str:
    """Set up ``reference`` for one neutral case; return the claim code to post with it."""
    amstelstad, heidedorp = organisations
    if case == "unknown":
        return code_for(amstelstad, reference)  # a code, but no record
    if case in ("no-code-issued", "wrong-code", "code-of-another-reference", "already-claimed"):
        make_case(norms["complaint"], reference)
        make_case(norms["complaint"], f"{reference}-B")
        if case == "no-code-issued":
            return codes.new_claim_code()
        code = code_for(amstelstad, reference)
        if case == "wrong-code":
            return another_valid_code(code)
        if case == "code-of-another-reference":
            return code_for(amstelstad, f"{reference}-B")
        # Already claimed, by someone from another address.
        other = Client(REMOTE_ADDR="198.51.100.9")
        assert RECEIVED in post_claim(reference, code, client=other, iban=IBAN).content.decode()
        mail.outbox.clear()
        return code
    if case == "met":
        make_case(norms["permit"], reference, Verdict.MET)
    elif case == "open-within-term":
        make_case(
            norms["permit"], reference, Verdict.OPEN, deadline=timezone.now() + timedelta(days=5)
        )
    elif case == "no-compensation":
        make_contact(norms["phone"], reference, lateness=60)
    elif case == "unmeasured":
        make_contact(norms["email"], reference, Verdict.UNMEASURED)
    elif case == "other-organisation":
        version = norms["email"].version
        other_version = type(version).objects.filter(organisation=heidedorp).first()
        if other_version is None:
            other_version = type(version).objects.create(
                charter=type(version.charter).objects.create(organisation=heidedorp),
                organisation=heidedorp,
                number=1,
                status="published",
                valid_from=version.valid_from,
            )
            add_norm(
                other_version,
                "email",
                channel=norms["email"].channel,
                compensation_kind="apology",
            )
        make_contact(other_version.norms.get(code="email"), reference)
        register_missed_promises(organisation=heidedorp, record_kind="contact")
        return code_for(heidedorp, reference)
    return code_for(amstelstad, reference)


def _page_without_token(response: Any) -> str:
    """The page without what differs by request: the CSRF token and the code as typed."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'name="claim_code" value="[^"]*"', 'name="claim_code"', page)


def _shape(sql: str) -> str:
    """A statement with its literal values taken out: what work it does, not on what."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r'"s\d+_x\d+"', "savepoint", sql)
    return re.sub(r"\b\d+\b", "?", sql)


@pytest.mark.parametrize("case", NEUTRAL_CASES)
def test_one_neutral_answer_and_nothing_stored(
    case: str,
    amstelstad: Organisation,
    heidedorp: Organisation,
    norms: dict[str, CharterNorm],
    post_claim: Callable[..., Any],
) -> None:
    code = _arrange(case, "REF-1", (amstelstad, heidedorp), norms, post_claim)
    claims_before = Claim.objects.count()
    entries_before = set(CompensationEntry.objects.values_list("pk", "status"))

    response = post_claim("REF-1", code, iban=IBAN)

    assert response.status_code == 200
    assert NEUTRAL in response.content.decode()
    assert RECEIVED not in response.content.decode()
    assert Claim.objects.count() == claims_before
    assert set(CompensationEntry.objects.values_list("pk", "status")) == entries_before
    assert mail.outbox == []


def test_every_refusal_is_the_same_page_after_the_same_work(
    amstelstad: Organisation,
    heidedorp: Organisation,
    norms: dict[str, CharterNorm],
    post_claim: Callable[..., Any],
) -> None:
    """Same page, same status and the same queries, whichever reason the claim is refused for.

    Comparing the statements run is the deterministic stand-in for "no timing difference": the
    work does not depend on whether the reference exists, has a code, is claimable or claimed.
    """
    pages, works, statuses = {}, {}, {}
    for index, case in enumerate(NEUTRAL_CASES):
        reference = f"REF-{index:02d}"
        code = _arrange(case, reference, (amstelstad, heidedorp), norms, post_claim)
        ClaimAttempt.objects.all().delete()  # the rate limit is not what this test is about
        with CaptureQueriesContext(connection) as queries:
            response = post_claim(reference, code, iban=IBAN)
        statuses[case] = response.status_code
        pages[case] = _page_without_token(response).replace(reference, "REF")
        works[case] = [_shape(query["sql"]) for query in queries.captured_queries]
    assert set(statuses.values()) == {200}
    assert [case for case in pages if pages[case] != pages["unknown"]] == []
    for case, work in works.items():
        assert work == works["unknown"], case


def test_a_code_with_a_typing_error_is_caught_before_any_look_up(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-1")
    code = codes.compact(code_for(amstelstad, "K-1"))
    swapped = code[1] + code[0] + code[2:] if code[0] != code[1] else code[:-1] + "2"
    response = post_claim("K-1", swapped, iban=IBAN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze claimcode klopt niet" in page
    assert 'aria-invalid="true"' in page
    assert not Claim.objects.exists()
    # It counted as an attempt all the same.
    assert ClaimAttempt.objects.count() == 1


def test_a_bad_iban_is_refused(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-1")
    response = post_claim("K-1", code_for(amstelstad, "K-1"), iban="NL91ABNA0417164301")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit IBAN klopt niet" in page
    assert 'aria-invalid="true"' in page
    assert not Claim.objects.exists()
    assert mail.outbox == []


def test_money_needs_a_bank_account_which_only_the_code_holder_hears(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_case(norms["complaint"], "K-1")
    code = code_for(amstelstad, "K-1")
    # Without the right code nobody learns that this reference pays money.
    wrong = post_claim("K-1", another_valid_code(code), iban="").content.decode()
    assert NEUTRAL in wrong and "Vul uw IBAN in" not in wrong
    response = post_claim("K-1", code, iban="")
    assert "Vul uw IBAN in" in response.content.decode()
    assert not Claim.objects.exists()
    assert not CompensationEntry.objects.exists()
    response = post_claim("K-1", code, iban=IBAN)
    assert RECEIVED in response.content.decode()


def test_an_email_address_is_required(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1")
    code = code_for(amstelstad, "E-1")
    response = post_claim("E-1", code, email="")
    assert 'aria-invalid="true"' in response.content.decode()
    post_claim("E-1", code, email="not-an-address")
    assert not Claim.objects.exists()


def test_the_honeypot_catches_bots(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1")
    response = post_claim("E-1", code_for(amstelstad, "E-1"), website="https://spam.example")
    assert response.status_code == 200
    assert NEUTRAL in response.content.decode()
    assert not Claim.objects.exists()
    assert mail.outbox == []
    assert ClaimAttempt.objects.count() == 1


def test_every_attempt_counts_towards_the_clients_limit(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-REAL")
    code = code_for(amstelstad, "E-REAL")
    # Failed guesses at many references (each reference tried once), a form with errors, a bot.
    for number in range(ATTEMPTS_PER_CLIENT - 2):
        assert NEUTRAL in post_claim(f"GUESS-{number}", code).content.decode()
    post_claim("E-REAL", code, email="")
    post_claim("E-REAL", code, website="bot")
    assert ClaimAttempt.objects.count() == ATTEMPTS_PER_CLIENT

    refused = post_claim("E-REAL", code)
    assert refused.status_code == 429
    assert "Probeer het over een uur opnieuw" in refused.content.decode()
    assert not Claim.objects.exists()

    # Another client is not affected.
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert RECEIVED in post_claim("E-REAL", code, client=other).content.decode()


def test_guessing_the_code_of_one_reference_stops_after_a_few_tries(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    make_contact(norms["email"], "E-1")
    code = code_for(amstelstad, "E-1")
    # Each guess from another address, as a botnet would: the reference's own limit holds.
    for number in range(ATTEMPTS_PER_REFERENCE):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{number + 10}")
        assert (
            NEUTRAL in post_claim("e-1", another_valid_code(code), client=guesser).content.decode()
        )
    refused = post_claim("E-1", code)
    assert refused.status_code == 429
    assert not Claim.objects.exists()

    # An hour later the citizen gets through.
    ClaimAttempt.objects.update(at=timezone.now() - timedelta(hours=1, minutes=1))
    assert RECEIVED in post_claim("E-1", code).content.decode()


def test_the_status_page_only_shows_the_status(
    amstelstad: Organisation, norms: dict[str, CharterNorm], post_claim: Callable[..., Any]
) -> None:
    # The complaint's term ended on Monday 28 April 2025: late from midnight, handled on Tuesday.
    deadline = datetime(2025, 4, 29, tzinfo=AMSTERDAM)
    make_case(norms["complaint"], "K-1", deadline=deadline, lateness=15 * 3600)
    post_claim(
        "K-1", code_for(amstelstad, "K-1"), iban=IBAN, name="Anna de Vries", message="Graag snel."
    )
    claim = Claim.objects.get()
    before = Claim.objects.values().get()
    url = f"/organisaties/amstelstad/compensatie/status/{claim.public_token}/"

    response = Client().get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "K-1" in page and "Ontvangen" in page
    # The complaint norm counts working days: one day late shows as one working day.
    assert "1 werkdag" in page
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
    post_claim("K-1", code_for(amstelstad, "K-1"), iban=IBAN)
    token = Claim.objects.get().public_token
    assert Client().get(f"/organisaties/heidedorp/compensatie/status/{token}/").status_code == 404
    assert (
        Client().get("/organisaties/amstelstad/compensatie/status/not-a-code/").status_code == 404
    )
    assert Client().get(f"/organisaties/nergens/compensatie/status/{token}/").status_code == 404
    assert Client().get("/organisaties/nergens/compensatie/").status_code == 404
