"""``core.notify``: e-mail in the recipient's language, text and HTML alike, sent after commit."""

from __future__ import annotations

import smtplib
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from burgerlink.core import notify
from tests.mail_backends import FailingServerBackend

SRC = Path(__file__).resolve().parents[2] / "src" / "burgerlink"
INVITATION = "core/email/member_invitation"
LINK = "https://burgerlink.example/uitnodiging/abc-123/"


class BoomError(Exception):
    """Something going wrong inside the action."""


def invitation(to: str = "nina@example.org", language: str | None = "nl") -> notify.Message:
    context = {
        "organisation": SimpleNamespace(name="Gemeente Zuid & Noord"),
        "role": "beheerder <hoofd>",
        "link": LINK,
        "expires_at": date(2026, 12, 21),
    }
    return notify.compose(INVITATION, to=to, language=language, context=context)


@pytest.mark.parametrize(
    ("preference", "language"),
    [("en", "en"), ("en-gb", "en"), ("English", "en"), ("nl", "nl"), ("de", "nl"), ("", "nl")],
)
def test_the_language_is_english_only_when_asked_for(preference: str, language: str) -> None:
    assert notify.language_of(preference) == language
    assert notify.language_of(None) == "nl"


def test_a_message_is_in_the_recipients_language_whatever_language_is_active() -> None:
    with translation.override("nl"):
        english = invitation(language="en")
    with translation.override("en"):
        dutch = invitation(language="nl")
    assert english.subject == "Invitation to Burgerlink from Gemeente Zuid & Noord"
    assert english.text.startswith("Hello,\n\nYou have been invited")
    assert '<html lang="en">' in english.html
    assert dutch.subject == "Uitnodiging voor Burgerlink van Gemeente Zuid & Noord"
    assert "U bent uitgenodigd" in dutch.text
    assert '<html lang="nl">' in dutch.html


def test_the_text_is_not_escaped_and_the_html_is_made_from_the_same_text() -> None:
    message = invitation()
    assert "Zuid & Noord" in message.text and "<hoofd>" in message.text  # plain text stays plain
    assert "Zuid &amp; Noord" in message.html and "&lt;hoofd&gt;" in message.html
    assert f'<p><a href="{LINK}">{LINK}</a></p>' in message.html  # the link on its own line
    assert message.html.count("<p>") == message.text.strip().count("\n\n") + 1


def test_the_django_message_has_a_text_body_and_an_html_alternative() -> None:
    email = invitation(to="nina@example.org").email()
    assert email.to == ["nina@example.org"]
    assert email.body == invitation().text
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html" and html == invitation().html


def test_sent_after_commit_and_not_at_all_when_the_action_rolls_back(db: None) -> None:
    with transaction.atomic():
        notify.send_after_commit(invitation(to="first@example.org"))
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["first@example.org"]]
    with pytest.raises(BoomError), transaction.atomic():
        notify.send_after_commit(invitation(to="never@example.org"))
        raise BoomError
    assert [m.to for m in mail.outbox] == [["first@example.org"]]


def test_outside_a_transaction_a_message_goes_at_once(db: None) -> None:
    notify.send_after_commit(invitation(to="now@example.org"))
    assert [m.to for m in mail.outbox] == [["now@example.org"]]


def test_a_round_goes_on_past_a_refused_address(db: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.mail_backends.BouncingBackend"
    addresses = ["a@x.nl", "bounce@x.nl", "c@x.nl"]
    round_ = [(n, f"test.bounce:{n}", invitation(to=to)) for n, to in enumerate(addresses)]
    with notify.connection() as connection:
        outcome = notify.send_once(round_, connection=connection)
    assert (outcome.sent, outcome.refused, outcome.failure) == ([0, 2], [1], None)
    assert [m.to for m in mail.outbox] == [["a@x.nl"], ["c@x.nl"]]


def keyed(n: int) -> tuple[int, str, notify.Message]:
    return (n, f"test.round:{n}", invitation(to=f"p{n}@x.nl"))


def test_a_keyed_round_sends_each_message_once_ever(db: None) -> None:
    with notify.connection() as connection:
        first = notify.send_once([keyed(n) for n in range(3)], connection=connection)
        again = notify.send_once([keyed(n) for n in range(4)], connection=connection)
    assert (first.sent, first.earlier) == ([0, 1, 2], [])
    assert (again.sent, again.earlier, again.unconfirmed) == ([3], [0, 1, 2], 0)
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@x.nl" for n in range(4)]


def test_a_message_claimed_by_a_round_that_died_is_not_sent_again(db: None) -> None:
    # A killed worker leaves its claims behind without a confirmed send.
    assert notify.claim(["test.round:1"]) == {"test.round:1"}
    with notify.connection() as connection:
        outcome = notify.send_once([keyed(n) for n in range(3)], connection=connection)
    assert (outcome.sent, outcome.earlier, outcome.unconfirmed) == ([0, 2], [1], 1)
    assert [m.to[0] for m in mail.outbox] == ["p0@x.nl", "p2@x.nl"]


def test_when_the_server_fails_the_unsent_claims_are_given_back(db: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingServerBackend"
    FailingServerBackend.delivered = 0
    with notify.connection() as connection:
        failed = notify.send_once([keyed(n) for n in range(5)], connection=connection)
    assert failed.sent == [0, 1]
    assert isinstance(failed.failure, smtplib.SMTPServerDisconnected)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with notify.connection() as connection:
        retry = notify.send_once([keyed(n) for n in range(5)], connection=connection)
    assert (retry.sent, retry.earlier, retry.unconfirmed) == ([2, 3, 4], [0, 1], 0)
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@x.nl" for n in range(5)]


def _mail_templates() -> list[Path]:
    return sorted(path for path in SRC.glob("*/templates/**/email/*.txt") if path.is_file())


def test_every_mail_template_exists_in_dutch_and_english_with_a_subject() -> None:
    names = {path.with_suffix("").with_suffix("") for path in _mail_templates()}
    assert len(names) >= 8  # compensation, fieldwork, member invitation, password reset
    missing = [
        f"{name}.{language}.txt"
        for name in names
        for language in notify.LANGUAGES
        if not name.with_name(f"{name.name}.{language}.txt").exists()
    ]
    without_subject = [
        name
        for name in names
        if not name.name.endswith("_subject")
        and not name.with_name(f"{name.name}_subject.nl.txt").exists()
    ]
    assert (missing, without_subject) == ([], [])
