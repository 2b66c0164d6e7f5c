"""What the voice area registers in core's registries."""

from __future__ import annotations


def register() -> None:
    """Register the area's links, panels and demo step (none yet)."""
