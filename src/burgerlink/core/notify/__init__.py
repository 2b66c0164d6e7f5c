"""E-mail to people, in their own language, sent once the transaction that caused it commits.

The one way Burgerlink sends e-mail. A message is composed from two plain-text templates per
language, ``<name>_subject.<language>.txt`` and ``<name>.<language>.txt`` (Dutch ``nl`` and
English ``en``), rendered with the recipient's language active whatever the language of the
staff member who caused it; the HTML alternative is made from the same text (paragraphs, and a
paragraph that is only a web address becomes a link), so the two parts never say different
things. Text templates are rendered without HTML escaping: they are not HTML.

- ``send_after_commit(message)``: for one message caused by an action (a claim, an invitation
  to a colleague). A rolled-back action sends nothing; outside a transaction it goes at once.
- ``connection()`` and ``send_once(...)``: for rounds of many messages in a background task
  (survey invitations, a petition's answer): one connection to the mail server, and per message
  whether it went, was refused (the address bounces) or the server failed (stop; the rest can be
  retried). Each message carries a key (the round and the recipient's row) and is claimed in
  the database, committed, just before the mail server is asked: a round run again after its
  worker was killed never sends a message twice, and at most the one message in flight stays
  unconfirmed. Run it outside an open transaction.

Delivery goes through Django's mail backends (``EMAIL_BACKEND``); tests read ``mail.outbox``.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar
from uuid import uuid4

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

__all__ = [
    "LANGUAGES",
    "REFUSALS",
    "BatchOutcome",
    "Connection",
    "Message",
    "compose",
    "connection",
    "language_of",
    "send_after_commit",
    "send_once",
]

LANGUAGES = ("nl", "en")
# Per-recipient refusals: the address bounces and a round goes on. Anything else (the server is
# down) stops the round.
REFUSALS: tuple[type[Exception], ...] = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
HTML_TEMPLATE = "core/notify/message.html"
_BARE_URL = re.compile(r"https?://\S+")

K = TypeVar("K")
# An open connection to the mail server (what ``connection()`` returns).
Connection = BaseEmailBackend


def language_of(preference: str | None) -> str:
    """The language to write in: English when the preference is English (``en``, ``en-gb``), else Dutch."""
    return "en" if (preference or "").strip().lower().startswith("en") else "nl"


@dataclass(frozen=True)
class Message:
    """A rendered e-mail: subject, plain text and its HTML alternative, in one language."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    language: str

    def email(self, connection: Connection | None = None) -> EmailMultiAlternatives:
        """This message as Django e-mail (text body, HTML alternative), from ``DEFAULT_FROM_EMAIL``."""
        message = EmailMultiAlternatives(
            subject=self.subject, body=self.text, to=list(self.to), connection=connection
        )
        message.attach_alternative(self.html, "text/html")
        return message


def _render_text(name: str, context: Mapping[str, Any]) -> str:
    # The template engine escapes HTML by default; a plain-text part must keep "&" and "<".
    template = get_template(name).template  # type: ignore[attr-defined]
    return str(template.render(Context(dict(context), autoescape=False)))


def _paragraphs(text: str) -> list[dict[str, str]]:
    parts = [part.strip() for part in text.strip().split("\n\n") if part.strip()]
    return [
        {"link": part} if _BARE_URL.fullmatch(part) else {"text": part, "link": ""}
        for part in parts
    ]


def compose(
    template: str,
    *,
    to: str | Sequence[str],
    language: str | None,
    context: Mapping[str, Any],
) -> Message:
    """Render the ``template`` pair in the recipient's ``language`` (``nl`` or ``en``) for ``to``."""
    chosen = language_of(language)
    with translation.override(chosen):
        subject = " ".join(_render_text(f"{template}_subject.{chosen}.txt", context).split())
        text = _render_text(f"{template}.{chosen}.txt", context).strip() + "\n"
        html = render_to_string(
            HTML_TEMPLATE,
            {"paragraphs": _paragraphs(text), "subject": subject, "language": chosen},
        )
    recipients = (to,) if isinstance(to, str) else tuple(to)
    return Message(to=recipients, subject=subject, text=text, html=html, language=chosen)


def _send(message: Message) -> None:
    message.email().send()


def send_after_commit(message: Message) -> None:
    """Send ``message`` once the current transaction commits (at once outside a transaction).

    A failure of the mail server is raised to the caller of the commit, as Django does for any
    ``on_commit`` callback: the action itself has been saved by then.
    """
    transaction.on_commit(partial(_send, message))


def connection() -> Connection:
    """A connection to the mail server for a round of messages; use it as ``with connection():``."""
    return get_connection()


@dataclass
class BatchOutcome(Generic[K]):
    """What became of a round: messages sent, refused, claimed by an earlier round, what stopped it.

    ``earlier`` were not sent by this round: a round before it sent them, or claimed one and was
    killed before the mail server confirmed it (``unconfirmed`` counts those).
    """

    sent: list[K] = field(default_factory=list)
    refused: list[K] = field(default_factory=list)
    earlier: list[K] = field(default_factory=list)
    unconfirmed: int = 0
    failure: Exception | None = None


def claim(keys: Sequence[str]) -> set[str]:
    """Claim the messages of ``keys`` for one round; return the keys this round now holds."""
    from burgerlink.core.models import MailClaim

    token = uuid4()
    now = timezone.now()
    MailClaim.objects.bulk_create(
        [MailClaim(key=key, claim=token, claimed_at=now) for key in keys], ignore_conflicts=True
    )
    return set(MailClaim.objects.filter(key__in=keys, claim=token).values_list("key", flat=True))


def send_once(
    messages: Iterable[tuple[K, str, Message]], *, connection: Connection
) -> BatchOutcome[K]:
    """Send each message of (row key, claim key, message) at most once, ever, across rounds.

    Each message is claimed (committed) just before the mail server is asked and confirmed just
    after, so a killed round leaves at most the one message it was sending in doubt. A message
    whose claim key was claimed before is not sent; it is reported in ``earlier``. If the mail
    server fails, that message's claim is given back and the round stops, so a retry reaches it
    and the rest (a server that raised has not accepted the message).
    """
    from burgerlink.core.models import MailClaim

    outcome: BatchOutcome[K] = BatchOutcome()
    earlier_keys: list[str] = []
    for row, key, message in messages:
        if not claim([key]):
            outcome.earlier.append(row)
            earlier_keys.append(key)
            continue
        try:
            message.email(connection).send()
        except REFUSALS:
            outcome.refused.append(row)
        except Exception as error:  # the server, not the address: stop, keep what was sent
            MailClaim.objects.filter(key=key).delete()
            outcome.failure = error
            break
        else:
            MailClaim.objects.filter(key=key).update(sent_at=timezone.now())
            outcome.sent.append(row)
    if earlier_keys:
        outcome.unconfirmed = MailClaim.objects.filter(
            key__in=earlier_keys, sent_at__isnull=True
        ).count()
    return outcome
