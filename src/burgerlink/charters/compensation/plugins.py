"""What the compensation area registers in core's registries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from burgerlink.charters.compensation import exports, selectors
from burgerlink.charters.compensation.services import (
    issue_claim_codes,
    register_missed_promises,
)
from burgerlink.charters.models import ClaimCode, CompensationEntry, EntryStatus
from burgerlink.core.dashboard import (
    Link,
    Panel,
    register_panel,
    register_public_link,
    register_staff_link,
)
from burgerlink.core.demo import register_step
from burgerlink.core.exports import register_kind
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm
from burgerlink.core.selectors import public_organisations


def _panel_context(organisation: Organisation) -> dict[str, Any]:
    return {"organisation": organisation, "summary": selectors.panel_summary(organisation)}


DEMO_CODES_PER_ORGANISATION = 2


def _demo_claim_codes(organisation: Organisation, write: Callable[[str], None]) -> None:
    """Give a few owed entries a claim code and print them, so the claim form can be tried.

    Only on the first load: codes are stored as hashes, so they can be shown only once.
    """
    if ClaimCode.objects.filter(organisation=organisation).exists():
        return
    references = list(
        CompensationEntry.objects.filter(
            organisation=organisation, status=EntryStatus.OWED, claims__isnull=True
        )
        .order_by("-received_at", "source_id")
        .values_list("source_id", flat=True)[:DEMO_CODES_PER_ORGANISATION]
    )
    if not references:
        return
    issued = issue_claim_codes(organisation=organisation, references=references, actor_label="demo")
    for item in issued:
        write(
            f"  Compensatie vragen bij {organisation.name}: kenmerk {item.reference}, "
            f"claimcode {item.claim_code}"
        )


def _demo_step(write: Callable[[str], None]) -> None:
    """Put the demo world's missed promises with compensation in the ledger (idempotent)."""
    created = 0
    for organisation in public_organisations():
        for record_kind in ("contact", "case"):
            created += register_missed_promises(organisation=organisation, record_kind=record_kind)
        _demo_claim_codes(organisation, write)
    # The imports of the demo's records already register most misses; this catches the rest.
    total = CompensationEntry.objects.count()
    write(
        f"Compensatie: {total:,} gemiste beloften met compensatie in het register "
        f"({created:,} nieuw).".replace(",", ".")
    )


def register() -> None:
    """Register the staff menu items, the dashboard panel, the public link, the register's
    export and a demo step."""
    register_kind(exports.KIND)
    register_staff_link(
        Link(
            code="compensation-ledger",
            label=_("Compensatie"),
            url_name="charters:compensation-ledger",
            perm=Perm.HANDLE_CLAIMS,
        )
    )
    register_staff_link(
        Link(
            code="compensation-claims",
            label=_("Claims"),
            url_name="charters:compensation-claims",
            perm=Perm.HANDLE_CLAIMS,
        )
    )
    register_panel(
        Panel(
            code="compensation",
            title=_("Compensatie bij gemiste beloften"),
            template="charters/compensation/panel.html",
            context=_panel_context,
            perm=Perm.HANDLE_CLAIMS,
        )
    )
    register_public_link(
        Link(
            code="compensation-claim",
            label=_("Belofte niet nagekomen? Vraag compensatie"),
            url_name="charters:compensation-claim-form",
        )
    )
    register_step("Compensatie", _demo_step)
