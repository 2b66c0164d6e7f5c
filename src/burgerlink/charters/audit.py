"""The labels of the charters' audit actions (``core.audit``): what the audit log shows."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.models import BatchKind, EntryStatus

ACTION_LABELS: dict[str, str | Promise] = {
    "charter.start": _("Kwaliteitshandvest begonnen"),
    "charter.norm.add": _("Norm toegevoegd aan het handvest"),
    "charter.norm.update": _("Norm van het handvest gewijzigd"),
    "charter.norm.remove": _("Norm uit het handvest verwijderd"),
    "charter.version.intro": _("Inleiding van het handvest gewijzigd"),
    "charter.version.publish": _("Handvestversie gepubliceerd"),
    "charter.version.new_draft": _("Nieuwe handvestversie begonnen"),
    "charter.version.discard": _("Concept van het handvest weggegooid"),
    "compensation.claimcodes.issue": _("Claimcodes uitgegeven"),
    "compensation.references.issue": _("Kenmerken voor compensatie uitgegeven"),
    "compensation.claim.submit": _("Compensatieclaim ingediend"),
    "compensation.claim.grant": _("Compensatieclaim toegekend"),
    "compensation.claim.reject": _("Compensatieclaim afgewezen"),
    "compensation.claims.purge": _("Persoonsgegevens van claims gewist (bewaartermijn)"),
    **{
        f"records.import.{kind.value}": format_lazy(_("Import van {kind}"), kind=kind.label)
        for kind in BatchKind
    },
    **{
        f"compensation.entry.{status.value}": format_lazy(
            _("Compensatie op '{status}' gezet"), status=status.label
        )
        for status in EntryStatus
    },
    **{
        f"compensation.entries.{status.value}": format_lazy(
            _("Compensaties in bulk op '{status}' gezet"), status=status.label
        )
        for status in EntryStatus
    },
}
