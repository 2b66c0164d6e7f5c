"""What the fieldwork area registers in core's registries: the staff menu item and a panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from burgerlink.core.dashboard import Link, Panel, register_panel, register_staff_link
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm


def _panel_context(organisation: Organisation) -> dict[str, Any]:
    from burgerlink.surveys.fieldwork import selectors

    return {"organisation": organisation, "waves": selectors.open_waves(organisation)}


def register() -> None:
    """Register the "Veldwerk" staff menu item and the open-waves dashboard panel."""
    register_staff_link(
        Link(
            code="surveys-fieldwork",
            label=_("Veldwerk"),
            url_name="surveys:fieldwork",
            perm=Perm.MANAGE_FIELDWORK,
        )
    )
    register_panel(
        Panel(
            code="surveys-fieldwork",
            title=_("Lopende metingen"),
            template="surveys/fieldwork/panel.html",
            context=_panel_context,
            perm=Perm.MANAGE_FIELDWORK,
        )
    )
