"""What the questionnaires area registers: the staff menu link, a dashboard panel, a demo step.

It also connects the guard that keeps fielded questionnaire versions immutable on every save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from burgerlink.core import dashboard, demo
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm


def panel_context(organisation: Organisation) -> dict[str, Any]:
    """The dashboard panel: how many questionnaires the organisation has, and drafts."""
    from burgerlink.surveys.questionnaires import selectors

    return {"counts": selectors.counts(organisation)}


def _load_demo(write: Callable[[str], None]) -> None:
    from burgerlink.surveys.questionnaires.demo import load_demo

    load_demo(write)


def register() -> None:
    """Register this area's staff link, dashboard panel, demo step and immutability guard."""
    from burgerlink.surveys.models import QuestionnaireVersion
    from burgerlink.surveys.questionnaires.services import guard_fielded_versions

    dashboard.register_staff_link(
        dashboard.Link(
            code="surveys-questionnaires",
            label=_("Onderzoek"),
            url_name="surveys:questionnaire-list",
            perm=Perm.MANAGE_SURVEYS,
        )
    )
    dashboard.register_panel(
        dashboard.Panel(
            code="surveys-questionnaires",
            title=_("Vragenlijsten"),
            template="surveys/questionnaires/panel.html",
            context=panel_context,
            perm=Perm.MANAGE_SURVEYS,
        )
    )
    demo.register_step("Vragenlijsten", _load_demo)
    pre_save.connect(
        guard_fielded_versions,
        sender=QuestionnaireVersion,
        dispatch_uid="surveys-questionnaires-immutable-versions",
    )
