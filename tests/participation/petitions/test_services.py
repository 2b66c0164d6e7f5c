"""Starting, moderating, signing and confirming petitions; counts; retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from burgerlink.core import notify
from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.moderation import ModerationState
from burgerlink.participation.models import Petition, PetitionRules, Signature, Stage
from burgerlink.participation.petitions import counting, services
from burgerlink.participation.petitions.services import ConfirmOutcome, Decision, SignOutcome
from tests.participation.petitions.conftest import (
    BASE,
    last_token,
    publish,
    sign,
    sign_and_confirm,
    start,
)


def test_a_new_petition_waits_for_moderation_and_its_author_is_mailed(
    amstelstad: Organisation,
) -> None:
    PetitionRules.objects.create(
        organisation=amstelstad, initiative_threshold=1_500, response_threshold=300
    )
    petition = start(amstelstad)
    assert petition.moderation_state == ModerationState.PENDING
    assert (petition.initiative_threshold, petition.response_threshold) == (1_500, 300)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ouderraad@example.org"]
    assert "/petities/status/" in mail.outbox[0].body


def test_a_rejection_needs_a_reason_that_reaches_the_author(
    amstelstad: Organisation, petra_participation: User
) -> None:
    petition = start(amstelstad)
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.moderate_petition(
            petition=petition,
            decision=Decision.REJECT,
            reason=" ",
            by=petra_participation,
        )
    services.moderate_petition(
        petition=petition,
        decision=Decision.REJECT,
        reason="Dit gaat over de provincie, niet over de gemeente.",
        by=petra_participation,
    )
    petition.refresh_from_db()
    assert petition.moderation_state == ModerationState.REJECTED
    assert "Dit gaat over de provincie" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="moderation.reject", organisation=amstelstad).exists()


def test_signing_mails_a_link_and_counts_nothing_until_confirmed(petition: Petition) -> None:
    assert sign(petition) == SignOutcome.MAILED
    signature = Signature.objects.get()
    assert signature.confirmed_at is None
    assert "/petities/bevestigen/" in mail.outbox[-1].body
    petition.refresh_from_db()
    assert petition.signature_count == 0
    assert services.confirm_signature(token=last_token()) == ConfirmOutcome.CONFIRMED
    petition.refresh_from_db()
    assert petition.signature_count == 1
    assert list(petition.place_counts.values_list("place", "count")) == [("Amstelstad", 1)]


def test_one_signature_per_mailbox_however_the_address_is_spelled(petition: Petition) -> None:
    sign_and_confirm(petition, "anna.devries@gmail.com")
    for spelling in ("Anna.DeVries@gmail.com", "annadevries+petitie@googlemail.com"):
        assert sign(petition, spelling) == SignOutcome.MAILED
    assert Signature.objects.count() == 1
    assert "al getekend en bevestigd" in mail.outbox[-1].body
    petition.refresh_from_db()
    assert petition.signature_count == 1


def test_signing_again_before_confirming_sends_a_fresh_link_and_the_old_one_dies(
    petition: Petition,
) -> None:
    sign(petition)
    first = last_token()
    sign(petition, "ANNA@example.org", place="Oudekerk")
    second = last_token()
    assert first != second
    assert Signature.objects.count() == 1
    assert services.confirm_signature(token=first) == ConfirmOutcome.UNKNOWN
    assert services.confirm_signature(token=second) == ConfirmOutcome.CONFIRMED
    assert Signature.objects.get().place == "Oudekerk"


def test_confirming_twice_counts_once(petition: Petition) -> None:
    sign(petition)
    token = last_token()
    assert services.confirm_signature(token=token) == ConfirmOutcome.CONFIRMED
    assert services.confirm_signature(token=token) == ConfirmOutcome.ALREADY
    petition.refresh_from_db()
    assert petition.signature_count == 1


def test_made_up_and_expired_links_confirm_nothing(petition: Petition) -> None:
    assert services.confirm_signature(token="made-up-token") == ConfirmOutcome.UNKNOWN
    sign(petition)
    token = last_token()
    later = timezone.now() + timedelta(days=31)
    assert services.confirm_signature(token=token, now=later) == ConfirmOutcome.UNKNOWN
    assert Signature.objects.get().confirmed_at is None


def test_closed_and_moderated_away_petitions_take_no_signatures(
    petition: Petition, petra_participation: User
) -> None:
    sign(petition)
    token = last_token()
    Petition.objects.filter(pk=petition.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    petition.refresh_from_db()
    assert sign(petition, "bram@example.org") == SignOutcome.CLOSED
    services.moderate_petition(
        petition=petition,
        decision=Decision.HIDE,
        reason="Beledigend",
        by=petra_participation,
    )
    assert services.confirm_signature(token=token) == ConfirmOutcome.CLOSED
    assert Signature.objects.count() == 1


def test_throw_away_addresses_are_refused(petition: Petition) -> None:
    assert sign(petition, "bot@mailinator.com") == SignOutcome.DISPOSABLE
    assert not Signature.objects.exists()


def test_signatures_are_limited_per_connection(petition: Petition, settings: Any) -> None:
    settings.PETITION_SIGNATURES_PER_CLIENT = 3
    outcomes = [sign(petition, f"p{n}@example.org", client_ip="198.51.100.7") for n in range(4)]
    assert outcomes == [SignOutcome.MAILED] * 3 + [SignOutcome.RATE_LIMITED]
    assert sign(petition, "other@example.org", client_ip="198.51.100.8") == SignOutcome.MAILED
    # The connection is stored as a keyed hash, never the address.
    assert "198.51.100.7" not in {s.client for s in Signature.objects.all()}


def test_signatures_are_limited_per_small_mail_domain_not_per_large_provider(
    petition: Petition, settings: Any
) -> None:
    settings.PETITION_SIGNATURES_PER_DOMAIN = 2
    small = [sign(petition, f"p{n}@kleindomein.nl", client_ip=f"192.0.2.{n}") for n in range(3)]
    assert small == [SignOutcome.MAILED, SignOutcome.MAILED, SignOutcome.RATE_LIMITED]
    large = [sign(petition, f"p{n}@gmail.com", client_ip=f"192.0.2.{n + 10}") for n in range(3)]
    assert large == [SignOutcome.MAILED] * 3


def test_counts_per_place_are_exact_and_struck_clusters_stop_counting(
    petition: Petition, petra_participation: User
) -> None:
    for n in range(3):
        sign_and_confirm(
            petition, f"a{n}@example.org", place="Amstelstad", client_ip=f"192.0.2.{n}"
        )
    for n in range(2):
        sign_and_confirm(
            petition, f"b{n}@nepdomein.nl", place="Oudekerk", client_ip=f"192.0.2.{n + 5}"
        )
    petition.refresh_from_db()
    assert petition.signature_count == 5
    assert dict(petition.place_counts.values_list("place", "count")) == {
        "Amstelstad": 3,
        "Oudekerk": 2,
    }
    struck = services.strike_signatures(
        petition=petition, by=petra_participation, reason="nep", domain="nepdomein.nl"
    )
    assert struck == 2
    petition.refresh_from_db()
    assert petition.signature_count == 3
    assert dict(petition.place_counts.values_list("place", "count")) == {"Amstelstad": 3}
    assert services.restore_signatures(petition=petition, by=petra_participation) == 2
    petition.refresh_from_db()
    assert petition.signature_count == 5


def test_the_scheduled_recount_catches_confirmations_a_batch_skipped(
    petition: Petition, settings: Any
) -> None:
    settings.PETITION_RECOUNT_SECONDS = 3600
    sign_and_confirm(petition, "a@example.org")
    sign_and_confirm(petition, "b@example.org")
    petition.refresh_from_db()
    assert petition.signature_count == 1  # the second asked within the interval
    assert counting.recount_collecting() == 1
    petition.refresh_from_db()
    assert petition.signature_count == 2
    assert counting.recount(petition.pk) is False  # nothing changed


def test_the_answer_goes_to_every_confirmed_signatory_once(
    petition: Petition, petra_participation: User
) -> None:
    for n in range(3):
        sign_and_confirm(petition, f"s{n}@example.org", client_ip=f"192.0.2.{n}")
    sign(petition, "unconfirmed@example.org")
    mail.outbox.clear()
    services.answer_petition(
        petition=petition,
        answer="De raad legt het zebrapad aan.",
        by=petra_participation,
        base_url=BASE,
    )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["s0@example.org", "s1@example.org", "s2@example.org"]
    assert all(len(m.to) == 1 and "De raad legt het zebrapad aan." in m.body for m in mail.outbox)
    petition.refresh_from_db()
    assert petition.stage == Stage.ANSWERED
    assert petition.answer_mailed_at is not None
    assert petition.purge_after is not None
    # A second run (a retry) mails nobody twice.
    assert services.mail_answer(petition_id=petition.pk, base_url=BASE) == 0
    with pytest.raises(ValidationError):
        services.answer_petition(
            petition=petition, answer="Nog eens", by=petra_participation, base_url=BASE
        )


def test_an_answer_round_run_again_after_its_worker_died_mails_nobody_twice(
    petition: Petition, petra_participation: User
) -> None:
    for n in range(3):
        sign_and_confirm(petition, f"s{n}@example.org", client_ip=f"192.0.2.{n}")
    first = Signature.objects.get(petition=petition, email="s0@example.org")
    # The killed round had claimed s0's answer and died before it recorded anything.
    notify.claim([f"petitions.answer:{first.pk}"])
    mail.outbox.clear()
    services.answer_petition(
        petition=petition,
        answer="De raad legt het zebrapad aan.",
        by=petra_participation,
        base_url=BASE,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["s1@example.org", "s2@example.org"]
    assert not Signature.objects.filter(petition=petition, answer_sent=False).exists()


def test_unconfirmed_signatures_are_deleted_after_30_days(petition: Petition) -> None:
    sign(petition, "old@example.org")
    sign_and_confirm(petition, "kept@example.org")
    Signature.objects.filter(email="old@example.org").update(
        created_at=timezone.now() - timedelta(days=31)
    )
    sign(petition, "recent@example.org")
    assert services.purge_unconfirmed() == 1
    assert sorted(Signature.objects.values_list("email", flat=True)) == [
        "kept@example.org",
        "recent@example.org",
    ]


def test_personal_data_is_erased_after_the_answer_and_the_counts_stay(
    petition: Petition, petra_participation: User
) -> None:
    sign_and_confirm(petition, "anna@example.org", place="Oudekerk")
    services.answer_petition(petition=petition, answer="Ja.", by=petra_participation, base_url=BASE)
    assert services.purge_answered() == 0  # not yet due
    Petition.objects.filter(pk=petition.pk).update(
        purge_after=timezone.now() - timedelta(seconds=1)
    )
    assert services.purge_answered() == 1
    signature = Signature.objects.get()
    assert (signature.name, signature.email, signature.email_key, signature.client) == (
        "",
        "",
        "",
        "",
    )
    assert signature.place == "Oudekerk"
    counting.recount(petition.pk)
    petition.refresh_from_db()
    assert petition.signature_count == 1
    assert petition.petitioner_email == ""
    assert petition.purged_at is not None


def test_desk_stages_are_recorded_with_links_and_audited(
    petition: Petition, petra_participation: User
) -> None:
    services.move_stage(
        petition=petition,
        stage=Stage.ON_AGENDA,
        agenda_url="https://raad.example/agenda/12",
        decision_url="",
        note="",
        by=petra_participation,
    )
    petition.refresh_from_db()
    assert (petition.stage, petition.agenda_url) == (
        Stage.ON_AGENDA,
        "https://raad.example/agenda/12",
    )
    assert AuditEvent.objects.filter(action="petitions.stage").exists()
    assert sign(petition, "late@example.org") == SignOutcome.CLOSED


def test_an_unpublished_petition_does_not_go_to_the_desk(
    amstelstad: Organisation, petra_participation: User
) -> None:
    petition = start(amstelstad)
    with pytest.raises(ValidationError):
        services.move_stage(
            petition=petition,
            stage=Stage.RECEIVED,
            agenda_url="",
            decision_url="",
            note="",
            by=petra_participation,
        )
    publish(petition, petra_participation)
