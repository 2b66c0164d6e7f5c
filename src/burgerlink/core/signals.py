"""Signal handlers: audit staff logins and logouts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from burgerlink.core import selectors
from burgerlink.core.models import DecreeHoliday, User


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Record a staff login in the audit log."""
    from burgerlink.core.services import record_audit

    if user.memberships.exists() or user.is_platform_operator:
        record_audit(actor=user, action="auth.login", summary="Aangemeld")


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    """Record a staff logout in the audit log."""
    from burgerlink.core.services import record_audit

    if user is not None and (user.memberships.exists() or user.is_platform_operator):
        record_audit(actor=user, action="auth.logout", summary="Afgemeld")


@receiver([post_save, post_delete], sender=DecreeHoliday)
def decree_days_changed(sender: Any, **kwargs: Any) -> None:
    """Rebuild the legal calendar on next use."""
    selectors.forget_legal_calendar()


def _watch_public_data() -> None:
    """Models whose rows public pages show: a change raises the data version (core/pagecache)."""
    from burgerlink.core import models as core
    from burgerlink.core.pagecache import watch

    # An organisation's own rows; catalogues and the code (no organisation) are platform-wide.
    for model in (
        core.Organisation,
        core.ClosingDay,
        core.OpeningHours,
        core.SelfAssessment,
        core.NormSet,
        core.Norm,
        core.ChecklistItem,
        core.DecreeHoliday,
        core.Theme,
        core.Agency,
        core.LifeEvent,
        core.ChainLink,
        core.Channel,
    ):
        watch(model)
    watch(core.AssessmentAnswer, organisation_of=lambda answer: answer.assessment.organisation_id)


_watch_public_data()
