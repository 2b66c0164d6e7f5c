"""The charters app's contributions to core's registries (scorecard, dashboard, demo world)."""

from __future__ import annotations

from burgerlink.charters.charter import plugins as charter
from burgerlink.charters.compensation import plugins as compensation
from burgerlink.charters.records import plugins as records
from burgerlink.charters.reporting import plugins as reporting


def register() -> None:
    """Register every area's evidence sources, panels, links and demo steps, in this order."""
    charter.register()
    records.register()
    reporting.register()
    compensation.register()
