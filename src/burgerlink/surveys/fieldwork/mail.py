"""Invitation and reminder e-mails: plain text with a simple HTML alternative, Dutch or English.

The texts live in templates per language (``email/<kind>.<language>.txt``), so an invitee who
chose English gets English whatever the staff member's interface language; the HTML part is
made from the same paragraphs, with the personal link as a real link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation

from burgerlink.surveys.fieldwork.links import respond_url

KINDS = ("invitation", "reminder")
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class MailContext:
    """What every message of one wave shares."""

    organisation: str
    website: str
    title_nl: str
    title_en: str
    closes_at: datetime
    anonymous: bool
    base_url: str

    def title(self, language: str) -> str:
        """The questionnaire's title in ``language``."""
        return self.title_en if language == "en" and self.title_en else self.title_nl


def language_of(invitee_language: str) -> str:
    """The language to write to an invitee in: English when they chose it, else Dutch."""
    return "en" if invitee_language.lower().startswith("en") else "nl"


def build_message(
    *,
    kind: str,
    email: str,
    token: str,
    invitee_language: str,
    shared: MailContext,
    reminder_number: int = 0,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    """Compose one invitation or reminder with the invitee's personal link."""
    if kind not in KINDS:
        raise ValueError(kind)
    language = language_of(invitee_language)
    link = respond_url(token, shared.base_url)
    context = {
        "organisation": shared.organisation,
        "website": shared.website,
        "title": shared.title(language),
        "closes_at": shared.closes_at,
        "anonymous": shared.anonymous,
        "link": link,
        "reminder_number": reminder_number,
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string(
                f"surveys/fieldwork/email/{kind}_subject.{language}.txt", context
            ).split()
        )
        body = render_to_string(f"surveys/fieldwork/email/{kind}.{language}.txt", context)
        paragraphs = [part.strip() for part in body.strip().split("\n\n") if part.strip()]
        html = render_to_string(
            "surveys/fieldwork/email/message.html",
            {"paragraphs": paragraphs, "link": link, "subject": subject, "language": language},
        )
    message = EmailMultiAlternatives(subject=subject, body=body, to=[email], connection=connection)
    message.attach_alternative(html, "text/html")
    return message
