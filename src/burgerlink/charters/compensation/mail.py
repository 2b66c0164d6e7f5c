"""E-mails to citizens about their claims, in the claimant's language, through ``core.notify``.

Sent after commit, so a rolled-back claim sends none. The language is the one the citizen used
the claim form in (``Claim.language``), also when a staff member decides in another language.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.urls import reverse

from burgerlink.charters.compensation.lateness import Lateness
from burgerlink.charters.models import Claim, LatenessUnit
from burgerlink.core import notify
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
        "granted": claim.status == "granted",
        "decision_note": claim.decision_note,
        "code": claim.public_token,
        "link": status_url(base_url, organisation, claim),
        # Formatted when the message is rendered, so in the claimant's language.
        "lateness": Lateness(entry.lateness, LatenessUnit(entry.lateness_unit))
        if (entry := claim.entry) is not None and entry.lateness
        else None,
    }
    message = notify.compose(
        f"charters/compensation/email/{template}",
        to=claim.email,
        language=claim.language,
        context=context,
    )
    notify.send_after_commit(message)
