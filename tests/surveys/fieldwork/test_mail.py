"""Invitations and reminders: per language, personal links, bounces, never twice."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from burgerlink.core import notify
from burgerlink.core.models import AuditEvent, User
from burgerlink.surveys.fieldwork import services, tasks
from burgerlink.surveys.models import Invitee, InviteeStatus, Wave
from tests.mail_backends import FailingServerBackend
from tests.surveys.fieldwork.conftest import csv_file

BASE = "https://burgerlink.example/"


def invitee(wave: Wave, email: str) -> Invitee:
    return Invitee.objects.get(wave=wave, email=email)


def message_to(email: str) -> Any:
    [message] = [m for m in mail.outbox if m.to == [email]]
    return message


def test_invitations_go_to_everyone_with_an_e_mail_address_in_their_language(
    sample: Wave,
) -> None:
    delivery = services.deliver_invitations(sample, base_url=BASE)
    assert (delivery.sent, delivery.bounced) == (2, 0)
    assert len(mail.outbox) == 2
    anna, bert = invitee(sample, "anna@example.org"), invitee(sample, "bert@example.org")

    dutch = message_to("anna@example.org")
    assert dutch.subject == "Uitnodiging: uw mening over Gemeente Amstelstad"
    assert f"{BASE}enquete/{anna.token}/" in dutch.body
    assert "Uw ervaring met de gemeente" in dutch.body
    assert "anoniem" in dutch.body
    html, mimetype = dutch.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{BASE}enquete/{anna.token}/">' in html
    assert '<html lang="nl">' in html

    english = message_to("bert@example.org")
    assert english.subject == "Invitation: your opinion of Gemeente Amstelstad"
    assert "Your experience with the municipality" in english.body
    assert f"{BASE}enquete/{bert.token}/" in english.body
    assert '<html lang="en">' in english.alternatives[0][0]

    for person in (anna, bert):
        person.refresh_from_db()
        assert person.status == InviteeStatus.INVITED
        assert person.invited_at is not None
    by_post = Invitee.objects.get(wave=sample, email="")
    assert by_post.status == InviteeStatus.PENDING  # reached by letter, not by e-mail


def test_nobody_is_invited_twice(sample: Wave) -> None:
    services.deliver_invitations(sample, base_url=BASE)
    assert services.deliver_invitations(sample, base_url=BASE).sent == 0
    services.import_sample(sample, csv_file("email\ncees@example.org\n"), by=None)
    services.deliver_invitations(sample, base_url=BASE)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@example.org",
        "bert@example.org",
        "cees@example.org",
    ]


def test_an_address_the_server_refuses_bounces_and_the_round_goes_on(
    wave: Wave, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.mail_backends.BouncingBackend"
    content = "email\na@example.org\nbounce@example.org\nc@example.org\n"
    services.import_sample(wave, csv_file(content), by=None)
    delivery = services.deliver_invitations(wave, base_url=BASE)
    assert (delivery.sent, delivery.bounced) == (2, 1)
    assert invitee(wave, "bounce@example.org").status == InviteeStatus.BOUNCED
    assert invitee(wave, "c@example.org").status == InviteeStatus.INVITED
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "c@example.org"]


def test_when_the_server_goes_down_the_rest_stays_pending_for_a_retry(
    wave: Wave, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingServerBackend"
    FailingServerBackend.delivered = 0
    rows = "\n".join(f"p{n}@example.org" for n in range(5))
    services.import_sample(wave, csv_file("email\n" + rows + "\n"), by=None)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliver_invitations(wave, base_url=BASE)
    statuses = sorted(Invitee.objects.filter(wave=wave).values_list("status", flat=True))
    assert statuses == ["invited", "invited", "pending", "pending", "pending"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver_invitations(wave, base_url=BASE).sent == 3


def test_invitations_wait_until_the_wave_opens_and_stop_when_it_closes(sample: Wave) -> None:
    before = sample.opens_at - timedelta(minutes=1)
    assert services.deliver_invitations(sample, base_url=BASE, now=before).sent == 0
    assert services.deliver_invitations(sample, base_url=BASE, now=sample.closes_at).sent == 0
    assert mail.outbox == []
    with pytest.raises(ValidationError, match="nog niet open"):
        services.queue_invitations(wave=sample, base_url=BASE, by=None, now=before)


def test_queueing_invitations_runs_the_background_task_and_is_audited(
    sample: Wave, bram_researcher: User
) -> None:
    assert services.queue_invitations(wave=sample, base_url=BASE, by=bram_researcher) == 2
    assert len(mail.outbox) == 2  # the immediate backend of the tests ran the task
    assert AuditEvent.objects.filter(
        action="surveys.invitations.send", actor=bram_researcher
    ).exists()
    with pytest.raises(ValidationError, match="geen genodigden"):
        services.queue_invitations(wave=sample, base_url=BASE, by=bram_researcher)


def test_the_task_tolerates_a_wave_that_is_gone(db: None) -> None:
    assert tasks.send_invitations.call(999_999, BASE) == {"sent": 0, "bounced": 0}
    assert tasks.send_reminders.call(999_999, BASE) == {"sent": 0, "bounced": 0}


# --- reminders ------------------------------------------------------------------------------


@pytest.fixture
def invited(sample: Wave) -> Wave:
    """The sample, invited by e-mail just now (the outbox emptied again)."""
    services.deliver_invitations(sample, base_url=BASE)
    mail.outbox.clear()
    return sample


def remind(wave: Wave, days: float) -> list[str]:
    """Run the reminder round ``days`` after the invitations; return who got one."""
    mail.outbox.clear()
    services.deliver_reminders(wave, base_url=BASE, now=timezone.now() + timedelta(days=days))
    return sorted(m.to[0] for m in mail.outbox)


def test_reminders_go_only_to_those_who_have_not_finished_and_never_twice(invited: Wave) -> None:
    Invitee.objects.filter(wave=invited, email="anna@example.org").update(
        status=InviteeStatus.COMPLETED
    )
    assert remind(invited, 6.9) == []
    assert remind(invited, 7.1) == ["bert@example.org"]
    assert remind(invited, 7.2) == []  # the first reminder went already
    bert = invitee(invited, "bert@example.org")
    assert (bert.reminders_sent, bert.reminded_at is not None) == (1, True)
    assert remind(invited, 14.1) == ["bert@example.org"]
    assert remind(invited, 20) == []  # both reminders sent
    assert invitee(invited, "bert@example.org").reminders_sent == 2


def test_a_reminder_is_in_the_invitees_language(invited: Wave) -> None:
    remind(invited, 8)
    english = message_to("bert@example.org")
    assert english.subject == "Reminder: your opinion of Gemeente Amstelstad"
    token = invitee(invited, "bert@example.org").token
    assert f"{BASE}enquete/{token}/" in english.body
    assert message_to("anna@example.org").subject.startswith("Herinnering:")


def test_someone_who_started_is_reminded_but_bounced_and_pending_are_not(invited: Wave) -> None:
    Invitee.objects.filter(wave=invited, email="anna@example.org").update(
        status=InviteeStatus.STARTED
    )
    Invitee.objects.filter(wave=invited, email="bert@example.org").update(
        status=InviteeStatus.BOUNCED
    )
    services.import_sample(invited, csv_file("email\nnieuw@example.org\n"), by=None)
    assert remind(invited, 8) == ["anna@example.org"]


def test_after_missed_runs_only_one_reminder_goes(invited: Wave) -> None:
    assert remind(invited, 15) == ["anna@example.org", "bert@example.org"]
    assert remind(invited, 16) == []
    assert invitee(invited, "anna@example.org").reminders_sent == 2


def test_no_reminders_without_a_schedule_or_after_closing(invited: Wave) -> None:
    assert remind(invited, 40) == []  # the wave closed after 30 days
    Wave.objects.filter(pk=invited.pk).update(reminder_days=[])
    invited.refresh_from_db()
    assert remind(invited, 8) == []


def test_a_reminder_the_server_refuses_bounces(invited: Wave, settings: Any) -> None:
    Invitee.objects.filter(wave=invited, email="bert@example.org").update(
        email="bounce@example.org"
    )
    settings.EMAIL_BACKEND = "tests.mail_backends.BouncingBackend"
    delivery = services.deliver_reminders(
        invited, base_url=BASE, now=timezone.now() + timedelta(days=8)
    )
    assert (delivery.sent, delivery.bounced) == (1, 1)
    assert invitee(invited, "bounce@example.org").status == InviteeStatus.BOUNCED


def test_queueing_reminders_says_when_none_are_due(invited: Wave, bram_researcher: User) -> None:
    with pytest.raises(ValidationError, match="geen herinneringen aan de beurt"):
        services.queue_reminders(wave=invited, base_url=BASE, by=bram_researcher)
    later = timezone.now() + timedelta(days=8)
    assert services.reminders_due_count(invited, later) == 2
    Invitee.objects.filter(wave=invited).update(invited_at=timezone.now() - timedelta(days=8))
    assert services.queue_reminders(wave=invited, base_url=BASE, by=bram_researcher) == 2
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="surveys.reminders.send").count() == 1


def test_the_reminder_command_queues_every_open_wave(invited: Wave, settings: Any) -> None:
    Invitee.objects.filter(wave=invited).update(invited_at=timezone.now() - timedelta(days=8))
    out = StringIO()
    call_command("send-survey-reminders", "--site-url", "https://enquete.example", stdout=out)
    assert "1 lopende meting" in out.getvalue()
    assert len(mail.outbox) == 2
    token = invitee(invited, "anna@example.org").token
    assert f"https://enquete.example/enquete/{token}/" in message_to("anna@example.org").body
    mail.outbox.clear()
    call_command("send-survey-reminders", stdout=StringIO())
    assert mail.outbox == []  # not twice


def test_the_reminder_command_explains_itself_in_dutch() -> None:
    from importlib import import_module

    command = import_module("burgerlink.surveys.management.commands.send-survey-reminders")
    assert "herinneringen" in command.Command.help


# --- bounces marked by staff ----------------------------------------------------------------


def test_staff_mark_an_address_bounced_by_address_or_token(
    invited: Wave, bram_researcher: User
) -> None:
    anna = invitee(invited, "anna@example.org")
    services.mark_bounced(wave=invited, address=" ANNA@example.org ", by=bram_researcher)
    anna.refresh_from_db()
    assert anna.status == InviteeStatus.BOUNCED
    bert = invitee(invited, "bert@example.org")
    services.mark_bounced(wave=invited, address=bert.token, by=bram_researcher)
    bert.refresh_from_db()
    assert bert.status == InviteeStatus.BOUNCED
    event = AuditEvent.objects.filter(action="surveys.invitee.bounce").first()
    assert event is not None and "@" not in event.summary
    assert remind(invited, 8) == []


def test_a_finished_or_unknown_invitee_cannot_be_marked_bounced(invited: Wave) -> None:
    Invitee.objects.filter(wave=invited, email="anna@example.org").update(
        status=InviteeStatus.COMPLETED
    )
    with pytest.raises(ValidationError, match="kan niet"):
        services.mark_bounced(wave=invited, address="anna@example.org", by=None)
    with pytest.raises(ValidationError, match="geen genodigde"):
        services.mark_bounced(wave=invited, address="onbekend@example.org", by=None)
    assert invitee(invited, "anna@example.org").status == InviteeStatus.COMPLETED


def test_a_round_run_again_after_its_worker_died_invites_nobody_twice(wave: Wave) -> None:
    rows = "\n".join(f"p{n}@example.org" for n in range(4))
    services.import_sample(wave, csv_file("email\n" + rows + "\n"), by=None)
    first = invitee(wave, "p0@example.org")
    # The killed round claimed p0's invitation and died before recording anything.
    notify.claim([f"surveys.invitation:{first.pk}:0"])
    delivery = services.deliver_invitations(wave, base_url=BASE)
    assert (delivery.sent, delivery.unconfirmed) == (3, 1)
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.org" for n in (1, 2, 3)]
    statuses = set(Invitee.objects.filter(wave=wave).values_list("status", flat=True))
    assert statuses == {InviteeStatus.INVITED}
    assert services.deliver_invitations(wave, base_url=BASE).sent == 0
