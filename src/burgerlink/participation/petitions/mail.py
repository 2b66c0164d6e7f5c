"""E-mails of the petitions area, in the recipient's language, through ``core.notify``.

Signers get a confirmation link (to a page with a confirm button: following a link confirms
nothing), or word that their address counted already; petitioners hear that their petition
arrived and what the moderator decided; every confirmed signatory gets the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urljoin

from django.urls import reverse

from burgerlink.core import notify
from burgerlink.participation.models import Petition


def petition_url(base_url: str, petition: Petition) -> str:
    """The absolute address of a petition's public page."""
    return urljoin(
        base_url,
        reverse(
            "participation:petition-detail",
            kwargs={"slug": petition.organisation.slug, "pk": petition.pk},
        ),
    )


def confirmation(*, petition: Petition, to: str, language: str, token: str, base_url: str) -> None:
    """Mail the confirmation link once the signing commits."""
    link = urljoin(base_url, reverse("participation:petition-confirm", kwargs={"token": token}))
    message = notify.compose(
        "participation/petitions/email/signature_confirm",
        to=to,
        language=language,
        context={"petition": petition, "organisation": petition.organisation, "link": link},
    )
    notify.send_after_commit(message)


def already_signed(*, petition: Petition, to: str, language: str) -> None:
    """Tell a signer that this address's signature counted already (nothing changes)."""
    message = notify.compose(
        "participation/petitions/email/signature_already",
        to=to,
        language=language,
        context={"petition": petition, "organisation": petition.organisation},
    )
    notify.send_after_commit(message)


def to_petitioner(template: str, *, petition: Petition, token: str, base_url: str) -> None:
    """Mail the petitioner (``petition_received`` with the status link, ``petition_moderated``)."""
    if not petition.petitioner_email:
        return
    status_link = (
        urljoin(base_url, reverse("participation:petition-status", kwargs={"token": token}))
        if token
        else ""
    )
    message = notify.compose(
        f"participation/petitions/email/{template}",
        to=petition.petitioner_email,
        language=petition.language,
        context={
            "petition": petition,
            "organisation": petition.organisation,
            "status_link": status_link,
            "published": petition.moderation_state == "published",
            "reason": petition.moderation_reason,
            "link": petition_url(base_url, petition),
        },
    )
    notify.send_after_commit(message)


def answer_round(
    *, petition: Petition, recipients: Sequence[tuple[int, str, str]], base_url: str
) -> notify.BatchOutcome[int]:
    """Send the answer to ``(signature id, address, language)`` over one connection, once each.

    Each answer is claimed before it is sent (``notify.send_once``), so a round run again after
    its worker was killed never mails a signatory twice.
    """
    link = petition_url(base_url, petition)
    context = {"petition": petition, "organisation": petition.organisation, "link": link}
    composed: dict[str, notify.Message] = {}

    def message_for(address: str, language: str) -> notify.Message:
        # One rendering per language; each signatory gets their own copy (never a To: list).
        chosen = notify.language_of(language)
        if chosen not in composed:
            composed[chosen] = notify.compose(
                "participation/petitions/email/petition_answer",
                to=address,
                language=chosen,
                context=context,
            )
        return replace(composed[chosen], to=(address,))

    with notify.connection() as connection:
        return notify.send_once(
            (
                (pk, f"petitions.answer:{pk}", message_for(address, language))
                for pk, address, language in recipients
            ),
            connection=connection,
        )
