"""The personal data core keeps (accounts, roles, failed logins, the audit log), and its retention.

Registered from ``CoreConfig.ready`` like any app's: the retention tasks below are scheduled
through ``core.schedule``.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burgerlink.core import privacy
from burgerlink.core.models import AuditEvent, LoginFailure, Membership, User
from burgerlink.core.privacy import PersonalData, Subject
from burgerlink.core.schedule import ScheduledJob, register_job
from burgerlink.core.services import record_audit
from burgerlink.core.tasks import task

# Failed logins count for LOGIN_FAILURE_WINDOW_MINUTES; a day is kept to look into an attack.
LOGIN_FAILURE_KEPT = timedelta(hours=24)


def _users(subject: Subject) -> QuerySet[User]:
    if not subject.email:
        return User.objects.none()
    return User.objects.filter(email__iexact=subject.email)


def _anonymise(users: QuerySet[User]) -> int:
    """Blank the person in these accounts; the rows stay so that foreign keys keep working."""
    count = 0
    for user in users.select_for_update():
        Membership.objects.filter(user=user).delete()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user=user).delete()
        AuditEvent.objects.filter(actor=user).update(actor_label=f"verwijderd-{user.pk}")
        LoginFailure.objects.filter(username__iexact=user.username).delete()
        user.username = f"verwijderd-{user.pk}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.is_platform_operator = False
        user.set_unusable_password()
        user.save()
        count += 1
    return count


# --- accounts ---------------------------------------------------------------------------------


def account_rows(subject: Subject) -> QuerySet[User]:
    """The accounts registered with the subject's e-mail address."""
    return _users(subject)


def export_accounts(rows: QuerySet[User]) -> list[dict[str, Any]]:
    """Account details (never the password hash)."""
    return privacy.model_rows(
        rows,
        "username",
        "first_name",
        "last_name",
        "email",
        "preferred_language",
        "date_joined",
        "last_login",
        "is_active",
        "is_platform_operator",
    )


# --- roles --------------------------------------------------------------------------------------


def membership_rows(subject: Subject) -> QuerySet[Membership]:
    """The subject's roles (in the asking organisation only, for its administrator)."""
    return subject.scoped(Membership.objects.filter(user__in=_users(subject)))


def export_memberships(rows: QuerySet[Membership]) -> list[dict[str, Any]]:
    """Organisation, role and since when."""
    return privacy.model_rows(rows, "organisation__name", "role", "created_at")


def erase_memberships(rows: QuerySet[Membership]) -> int:
    """Revoke the roles."""
    return int(rows.delete()[0])


# --- failed logins ------------------------------------------------------------------------------


def login_failure_rows(subject: Subject) -> QuerySet[LoginFailure]:
    """Failed logins with the subject's e-mail address or one of their usernames typed."""
    if not subject.email:
        return LoginFailure.objects.none()
    usernames = list(_users(subject).values_list("username", flat=True))
    return LoginFailure.objects.filter(
        Q(username__iexact=subject.email) | Q(username__in=usernames)
    )


def export_login_failures(rows: QuerySet[LoginFailure]) -> list[dict[str, Any]]:
    """What was typed as username, and when (the client is only a keyed hash)."""
    return privacy.model_rows(rows, "username", "at")


def erase_login_failures(rows: QuerySet[LoginFailure]) -> int:
    """Delete them."""
    return int(rows.delete()[0])


# --- the audit log ------------------------------------------------------------------------------


def audit_rows(subject: Subject) -> QuerySet[AuditEvent]:
    """Audit lines of actions the subject took (in the asking organisation, for its admin)."""
    return subject.scoped(AuditEvent.objects.filter(actor__in=_users(subject)))


def export_audit(rows: QuerySet[AuditEvent]) -> list[dict[str, Any]]:
    """What the subject did, when, in which organisation."""
    return privacy.model_rows(
        rows, "at", "organisation__name", "action", "object_type", "object_id", "summary"
    )


def pseudonymise_audit(rows: QuerySet[AuditEvent]) -> int:
    """Keep the lines (accountability), but no longer say who: the name becomes a number."""
    count = 0
    for actor_id in set(rows.values_list("actor_id", flat=True)):
        count += AuditEvent.objects.filter(pk__in=rows.values("pk"), actor_id=actor_id).update(
            actor=None, actor_label=f"verwijderd-{actor_id}"
        )
    return count


# --- retention ----------------------------------------------------------------------------------


@task()
def purge_login_failures() -> int:
    """Delete failed logins older than a day."""
    return int(LoginFailure.objects.filter(at__lt=timezone.now() - LOGIN_FAILURE_KEPT).delete()[0])


def dormant_accounts(now: Any = None) -> QuerySet[User]:
    """Accounts unused for ``ACCOUNT_RETENTION_DAYS`` (never operators' or superusers')."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.ACCOUNT_RETENTION_DAYS)
    return (
        User.objects.filter(is_platform_operator=False, is_superuser=False)
        .filter(Q(last_login__lt=since) | Q(last_login__isnull=True, date_joined__lt=since))
        .exclude(username__startswith="verwijderd-")
    )


@task()
def purge_dormant_accounts() -> int:
    """Erase accounts (and their roles) not used for ACCOUNT_RETENTION_DAYS."""
    with transaction.atomic():
        count = _anonymise(dormant_accounts())
        if count:
            record_audit(
                action="privacy.retention.accounts",
                actor_label="systeem",
                summary=f"{count} ongebruikte account(s) gewist",
            )
    return count


@task()
def purge_audit_log() -> int:
    """Delete audit lines older than AUDIT_RETENTION_DAYS."""
    since = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    return int(AuditEvent.objects.filter(at__lt=since).delete()[0])


def register() -> None:
    """Declare core's personal data and schedule its retention."""
    register_job(
        ScheduledJob(
            code="core.purge-login-failures",
            task=purge_login_failures,
            description=_("Mislukte aanmeldingen ouder dan een dag wissen."),
            every=timedelta(hours=1),
        )
    )
    register_job(
        ScheduledJob(
            code="core.purge-dormant-accounts",
            task=purge_dormant_accounts,
            description=_("Accounts die ACCOUNT_RETENTION_DAYS niet gebruikt zijn wissen."),
            daily_at=time(3, 40),
        )
    )
    register_job(
        ScheduledJob(
            code="core.purge-audit-log",
            task=purge_audit_log,
            description=_("Auditregels ouder dan AUDIT_RETENTION_DAYS wissen."),
            daily_at=time(3, 50),
        )
    )
    privacy.register(
        PersonalData(
            code="core.account",
            title=_("Accounts"),
            persons=_("medewerkers van organisaties en platformbeheerders"),
            items=_("gebruikersnaam, naam, e-mailadres, voorkeurstaal, laatste aanmelding"),
            purpose=_("Aanmelden en bijhouden wie wat mag doen."),
            legal_basis="public_task",
            retention=_(
                "Zolang het account gebruikt wordt; na ACCOUNT_RETENTION_DAYS dagen zonder "
                "aanmelding wordt het gewist."
            ),
            retention_job="core.purge-dormant-accounts",
            rows=account_rows,
            export=export_accounts,
            erase=_anonymise,
            platform_only=True,
        )
    )
    privacy.register(
        PersonalData(
            code="core.membership",
            title=_("Rollen in organisaties"),
            persons=_("medewerkers van organisaties"),
            items=_("organisatie, rol, sinds wanneer"),
            purpose=_("Bepalen wat een medewerker binnen een organisatie mag."),
            legal_basis="public_task",
            retention=_("Tot de rol wordt ingetrokken of het account wordt gewist."),
            retention_job="core.purge-dormant-accounts",
            rows=membership_rows,
            export=export_memberships,
            erase=erase_memberships,
        )
    )
    privacy.register(
        PersonalData(
            code="core.login-failure",
            title=_("Mislukte aanmeldingen"),
            persons=_("iedereen die probeert aan te melden"),
            items=_(
                "ingetypte gebruikersnaam, tijdstip, een versleutelde afgeleide van het IP-adres"
            ),
            purpose=_("Wachtwoorden raden afremmen."),
            legal_basis="public_task",
            retention=_("Een dag."),
            retention_job="core.purge-login-failures",
            rows=login_failure_rows,
            export=export_login_failures,
            erase=erase_login_failures,
        )
    )
    privacy.register(
        PersonalData(
            code="core.audit",
            title=_("Auditlog"),
            persons=_("medewerkers die iets wijzigen"),
            items=_("gebruikersnaam, handeling, tijdstip"),
            purpose=_("Verantwoorden wie wat heeft gedaan."),
            legal_basis="legal_obligation",
            retention=_(
                "AUDIT_RETENTION_DAYS dagen; bij wissen van een persoon blijft de regel, zonder naam."
            ),
            retention_job="core.purge-audit-log",
            rows=audit_rows,
            export=export_audit,
            erase=pseudonymise_audit,
        )
    )
