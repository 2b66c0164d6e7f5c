"""The charters app's contributions to core's registries (scorecard, dashboard, demo world)."""

from __future__ import annotations

from burgerlink.charters import audit, privacy
from burgerlink.charters.charter import plugins as charter
from burgerlink.charters.compensation import plugins as compensation
from burgerlink.charters.records import plugins as records
from burgerlink.charters.reporting import plugins as reporting
from burgerlink.core.audit import register_actions


def register() -> None:
    """Register every area's evidence sources, panels, links and demo steps, in this order."""
    from burgerlink.charters import models
    from burgerlink.core.pagecache import watch

    # Public pages show charters, their norms and the monthly figures: a change bumps the
    # organisation's data version (imports bump it themselves, see reporting.services).
    for model in (models.Charter, models.CharterVersion, models.CharterNorm, models.ReportedResult):
        watch(model)
    register_actions(audit.ACTION_LABELS)
    privacy.register()
    charter.register()
    records.register()
    reporting.register()
    compensation.register()
