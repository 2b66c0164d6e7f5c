"""The participation app's contributions to core's registries, one module per area.

An area adds itself here: ``from burgerlink.participation.<area> import plugins as <area>`` and
a call in ``register``. Areas never import each other's plug-ins.
"""

from __future__ import annotations

from burgerlink.core.audit import register_actions
from burgerlink.participation import audit
from burgerlink.participation.council import plugins as council
from burgerlink.participation.petitions import plugins as petitions
from burgerlink.participation.voice import plugins as voice


def register() -> None:
    """Register every area's links, panels, demo steps and sources, in this order."""
    register_actions(audit.ACTION_LABELS)
    voice.register()
    petitions.register()
    council.register()
