"""What the petitions area registers in core's registries."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from burgerlink.core.dashboard import (
    Link,
    Panel,
    register_panel,
    register_public_link,
    register_staff_link,
)
from burgerlink.core.demo import register_step
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm


def _panel_context(organisation: Organisation) -> dict[str, Any]:
    from burgerlink.participation.petitions import selectors

    return {"organisation": organisation, "counts": selectors.desk_counts(organisation)}


def register() -> None:
    """Register the staff menu item, the dashboard panel, the public link, jobs and demo step."""
    from burgerlink.core.pagecache import watch
    from burgerlink.participation.models import Petition, PetitionRules
    from burgerlink.participation.petitions import demo, privacy

    # Public pages show petitions and the rules; counts bump the version themselves.
    watch(Petition)
    watch(PetitionRules)
    privacy.register()
    register_staff_link(
        Link(
            code="petition-desk",
            label=_("Petities"),
            url_name="participation:petition-desk",
            perm=Perm.MANAGE_PARTICIPATION,
        )
    )
    register_panel(
        Panel(
            code="petitions",
            title=_("Petitiebalie"),
            template="participation/petitions/panel.html",
            context=_panel_context,
            perm=Perm.MANAGE_PARTICIPATION,
        )
    )
    register_public_link(
        Link(
            code="petitions",
            label=_("Petities: starten, tekenen en het antwoord lezen"),
            url_name="participation:petition-list",
        )
    )
    register_step("Petities", demo.demo_step)
