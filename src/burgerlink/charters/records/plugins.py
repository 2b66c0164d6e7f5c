"""What the records area registers: the staff menu item for imports, and demo records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from burgerlink.core import dashboard
from burgerlink.core.permissions import Perm


def register() -> None:
    """Register the import page in the staff menu and the demo records step."""
    dashboard.register_staff_link(
        dashboard.Link("imports", _("Gegevens importeren"), "charters:imports", Perm.IMPORT_RECORDS)
    )
    from burgerlink.charters.records import demo
    from burgerlink.core.demo import register_step

    register_step("Klantcontacten en zaken", demo.load_demo_records)
