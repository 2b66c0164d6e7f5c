"""Signal handlers: audit staff logins and logouts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from burgerlink.core.models import User


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
