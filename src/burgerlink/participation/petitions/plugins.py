"""What the petitions area registers in core's registries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from burgerlink.core import moderation
from burgerlink.core.dashboard import (
    Link,
    Panel,
    register_panel,
    register_public_link,
    register_staff_link,
)
from burgerlink.core.demo import register_step
from burgerlink.core.models import Organisation
from burgerlink.core.moderation import ModerationSource, ModerationState
from burgerlink.core.permissions import Perm


def _panel_context(organisation: Organisation) -> dict[str, Any]:
    from burgerlink.participation.petitions import selectors

    return {"organisation": organisation, "counts": selectors.desk_counts(organisation)}


def _public_url(petition: Any) -> str | None:
    if petition.moderation_state != ModerationState.PUBLISHED:
        return None
    return reverse(
        "participation:petition-detail",
        kwargs={"slug": petition.organisation.slug, "pk": petition.pk},
    )


def register() -> None:
    """Register the staff menu item, the dashboard panel, the public link, jobs and demo step."""
    from burgerlink.core.pagecache import watch
    from burgerlink.participation.models import Petition, PetitionRules
    from burgerlink.participation.petitions import demo, privacy, services

    # Public pages show petitions and the rules; counts bump the version themselves.
    watch(Petition)
    watch(PetitionRules)
    privacy.register()
    moderation.register(
        ModerationSource(
            code=services.PETITION_KIND,
            label=_("Petitie"),
            model=Petition,
            text=lambda petition: f"{petition.title}\n\n{petition.text}",
            author=lambda petition: petition.petitioner_name,
            url=_public_url,
            on_moderated=services.on_moderated,
            select_related=("organisation",),
        )
    )
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
