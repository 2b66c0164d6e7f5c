"""What the charter area registers in core's registries: menu links, a panel, a demo step."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burgerlink.core import dashboard, demo
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm


def panel_context(organisation: Organisation) -> dict[str, Any]:
    """The dashboard panel: the version valid today, its review date and any draft."""
    from burgerlink.charters.charter import selectors

    today = timezone.localdate()
    current = selectors.version_valid_on(organisation, today)
    return {
        "charter": selectors.charter_of(organisation),
        "current": current,
        "norm_count": current.norms.count() if current is not None else 0,
        "review": selectors.review_state(organisation, today),
        "draft": selectors.draft_of(organisation),
    }


def _load_demo(write: Any) -> None:
    from burgerlink.charters.charter.demo import load_demo

    load_demo(write)


def register() -> None:
    """Register this area's dashboard panel, staff and public links, and demo step."""
    dashboard.register_staff_link(
        dashboard.Link(
            code="charters-charter",
            label=_("Kwaliteitshandvest"),
            url_name="charters:charter-staff",
            perm=Perm.MANAGE_CHARTERS,
        )
    )
    dashboard.register_public_link(
        dashboard.Link(
            code="charters-charter",
            label=_("Kwaliteitshandvest: onze servicebeloften"),
            url_name="charters:charter-public",
        )
    )
    dashboard.register_panel(
        dashboard.Panel(
            code="charters-charter",
            title=_("Kwaliteitshandvest"),
            template="charters/charter/panel.html",
            context=panel_context,
        )
    )
    demo.register_step("Kwaliteitshandvesten", _load_demo)
