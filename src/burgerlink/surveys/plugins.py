"""The surveys app's contributions to core's registries."""

from __future__ import annotations

from burgerlink.core.audit import register_actions
from burgerlink.surveys import audit, privacy
from burgerlink.surveys.fieldwork import plugins as fieldwork
from burgerlink.surveys.questionnaires import plugins as questionnaires
from burgerlink.surveys.respond import plugins as respond
from burgerlink.surveys.results import plugins as results


def register() -> None:
    """Register every area's evidence sources, panels, links and demo steps, in this order."""
    register_actions(audit.ACTION_LABELS)
    privacy.register()
    questionnaires.register()
    respond.register()
    fieldwork.register()
    results.register()
