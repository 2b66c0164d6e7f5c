"""What the council area registers: menu and public links, the demo council, page-cache watches."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from burgerlink.core import dashboard
from burgerlink.core.permissions import Perm


def register() -> None:
    """Register the import page in the staff menu, the public link and the demo step."""
    dashboard.register_staff_link(
        dashboard.Link(
            "council_imports",
            _("Raadsstemmingen importeren"),
            "participation:council-imports",
            Perm.MANAGE_PARTICIPATION,
        )
    )
    dashboard.register_public_link(
        dashboard.Link(
            "council_decisions",
            _("Hoe stemde de raad?"),
            "participation:council-decisions",
        )
    )
    from burgerlink.core.demo import register_step
    from burgerlink.participation.council import demo

    register_step("Raadsstemmingen", demo.load_demo_council)
