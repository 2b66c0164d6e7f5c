"""What the respond area registers in core's registries: a dashboard panel with response counts.

The staff menu gets nothing from this area: the fieldwork pages link to paper entry.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from burgerlink.core.dashboard import Panel, register_panel
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm


def _panel_context(organisation: Organisation) -> dict[str, Any]:
    from burgerlink.surveys.respond import selectors

    return {"organisation": organisation, "waves": selectors.open_wave_counts(organisation)}


def register() -> None:
    """Register this area's scorecard sources, dashboard panels, links and demo steps."""
    register_panel(
        Panel(
            code="survey-responses",
            title=_("Respons in lopende metingen"),
            template="surveys/respond/panel.html",
            context=_panel_context,
            perm=Perm.MANAGE_FIELDWORK,
        )
    )
