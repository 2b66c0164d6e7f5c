"""E-mails to citizens about their claims; sent after commit, so a rolled-back claim sends none."""

from __future__ import annotations

from urllib.parse import urljoin

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from burgerlink.charters.models import Claim
from burgerlink.core.models import Organisation


def status_path(organisation: Organisation, claim: Claim) -> str:
    """Return the site-relative address of a claim's public status page."""
    return reverse(
        "charters:compensation-claim-status",
        kwargs={"slug": organisation.slug, "token": claim.public_token},
    )


def status_url(base_url: str, organisation: Organisation, claim: Claim) -> str:
    """Return the absolute address of a claim's status page (``base_url``: the site's root)."""
    return urljoin(base_url, status_path(organisation, claim))


def _send(template: str, recipient: str, context: dict[str, object]) -> None:
    subject = render_to_string(f"charters/compensation/email/{template}_subject.txt", context)
    body = render_to_string(f"charters/compensation/email/{template}.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[recipient],
    )


def send_after_commit(
    template: str, *, organisation: Organisation, claim: Claim, base_url: str
) -> None:
    """Mail the claimant (``claim_received`` or ``claim_decided``) once the transaction commits.

    Does nothing when the claim holds no e-mail address (any more).
    """
    if not claim.email:
        return
    context = {
        "organisation": organisation,
        "reference": claim.reference,
        "status": claim.get_status_display(),
        "granted": claim.status == "granted",
        "decision_note": claim.decision_note,
        "code": claim.public_token,
        "link": status_url(base_url, organisation, claim),
    }
    recipient = claim.email
    transaction.on_commit(lambda: _send(template, recipient, context))
