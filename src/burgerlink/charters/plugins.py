"""The charters app's contributions to core's registries (scorecard, dashboard, demo world)."""

from __future__ import annotations


def register() -> None:
    """Register evidence sources, dashboard panels and demo steps of this app."""
