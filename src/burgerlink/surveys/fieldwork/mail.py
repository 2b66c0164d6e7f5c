"""Invitation and reminder e-mails, Dutch or English, composed through ``core.notify``.

The texts live in templates per language (``email/<kind>.<language>.txt``), so an invitee who
chose English gets English whatever the staff member's interface language; ``core.notify``
makes the HTML part from the same paragraphs, with the personal link as a real link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from burgerlink.core import notify
from burgerlink.surveys.fieldwork.links import respond_url

KINDS = ("invitation", "reminder")


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


def build_message(
    *,
    kind: str,
    email: str,
    token: str,
    invitee_language: str,
    shared: MailContext,
    reminder_number: int = 0,
) -> notify.Message:
    """Compose one invitation or reminder with the invitee's personal link."""
    if kind not in KINDS:
        raise ValueError(kind)
    language = notify.language_of(invitee_language)
    context = {
        "organisation": shared.organisation,
        "website": shared.website,
        "title": shared.title(language),
        "closes_at": shared.closes_at,
        "anonymous": shared.anonymous,
        "link": respond_url(token, shared.base_url),
        "reminder_number": reminder_number,
    }
    return notify.compose(
        f"surveys/fieldwork/email/{kind}", to=email, language=language, context=context
    )
