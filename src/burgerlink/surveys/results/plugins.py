"""What the results area registers in core's registries."""

from __future__ import annotations


def register() -> None:
    """Register this area's scorecard sources, dashboard panels, links and demo steps."""
