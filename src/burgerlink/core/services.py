"""Writes of the core app. Every function runs in one transaction and audits staff actions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from burgerlink.core import notify
from burgerlink.core.models import (
    ApiToken,
    AssessmentAnswer,
    AssessmentStatus,
    AuditEvent,
    ChecklistItem,
    ClosingDay,
    Invitation,
    LoginFailure,
    Membership,
    NormSet,
    NormSetStatus,
    OpeningHours,
    Organisation,
    Role,
    SelfAssessment,
    User,
    normalise_username,
)

TOKEN_PREFIX = "bl_"  # noqa: S105 - a public marker, not a secret


# --- audit --------------------------------------------------------------------------------


def record_audit(
    *,
    action: str,
    actor: User | None = None,
    actor_label: str = "",
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append one line to the audit log."""
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
    )


# --- members ------------------------------------------------------------------------------

INVITATION_VALID_FOR = timedelta(days=14)


class InvitationError(ValidationError):
    """An invitation link that cannot be used (unknown, expired, accepted, or someone else's)."""


@transaction.atomic
def grant_role(*, organisation: Organisation, user: User, role: str, by: User | None) -> Membership:
    """Give a user a role in an organisation (no-op when they already hold it).

    For the platform's own tools (demo, tests, operators); staff invite colleagues through
    ``invite_member``, which needs the colleague's consent.
    """
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, role=role
    )
    if created:
        record_audit(
            actor=by,
            organisation=organisation,
            action="member.grant",
            obj=membership,
            summary=f"{user.get_username()}: {role}",
        )
    return membership


@transaction.atomic
def revoke_role(*, membership: Membership, by: User | None) -> None:
    """Take a role away from a user; an organisation always keeps at least one administrator.

    The organisation's administrator rows are locked first, so two administrators removing each
    other at the same moment cannot both succeed.
    """
    administrators = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMINISTRATOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if membership.role == Role.ADMINISTRATOR and administrators == [membership.pk]:
        raise ValidationError(
            _("Een organisatie houdt ten minste één beheerder. Maak eerst iemand anders beheerder.")
        )
    current = Membership.objects.select_related("user", "organisation").filter(pk=membership.pk)
    row = current.first()
    if row is None:
        return  # revoked already (a double click): nothing left to do
    record_audit(
        actor=by,
        organisation=row.organisation,
        action="member.revoke",
        obj=row,
        summary=f"{row.user.get_username()}: {row.role}",
    )
    row.delete()


def normalise_email(raw: str) -> str:
    """Return an e-mail address as invitations compare it: trimmed, NFKC, lower case."""
    return unicodedata.normalize("NFKC", raw.strip()).lower()


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation just sent; ``secret`` is the link's secret, mailed once and never stored."""

    invitation: Invitation
    secret: str


@transaction.atomic
def invite_member(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    link_for: Callable[[str], str],
    first_name: str = "",
    last_name: str = "",
    by: User | None,
) -> IssuedInvitation:
    """Invite the person behind ``email`` to take ``role`` in ``organisation``.

    Looks up the account with that address (or none: the invitee creates it when accepting),
    stores the invitation with a hash of a fresh secret and mails the link (``link_for(secret)``,
    an absolute address) after the transaction commits. A pending invitation for the same role
    is renewed. What the inviter sees never depends on whether the address has an account,
    here or in another organisation; nobody gets a role before accepting.
    """
    if role not in Role.values:
        raise ValidationError(_("Kies een bestaande rol."))
    address = normalise_email(email)
    secret = secrets.token_urlsafe(32)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organisation=organisation, email=address, role=role, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=address, role=role)
    invitation.first_name = first_name.strip()
    invitation.last_name = last_name.strip()
    invitation.token_hash = hash_token(secret)
    invitation.invited_by = by
    invitation.expires_at = timezone.now() + INVITATION_VALID_FOR
    invitation.save()
    record_audit(
        actor=by,
        organisation=organisation,
        action="member.invite",
        obj=invitation,
        summary=f"{address}: {role}",
    )
    account = User.objects.filter(email__iexact=address, is_active=True).first()
    language = account.preferred_language if account and account.preferred_language else "nl"
    _mail_invitation_after_commit(invitation, link=link_for(secret), language=language)
    return IssuedInvitation(invitation=invitation, secret=secret)


def _mail_invitation_after_commit(invitation: Invitation, *, link: str, language: str) -> None:
    message = notify.compose(
        "core/email/member_invitation",
        to=invitation.email,
        language=language,
        context={
            "organisation": invitation.organisation,
            "role": Role(invitation.role).label,
            "link": link,
            "expires_at": invitation.expires_at,
        },
    )
    notify.send_after_commit(message)


def invitation_for(secret: str) -> Invitation | None:
    """Return the pending, unexpired invitation behind a link's secret, or None."""
    if not secret or not secret.isascii() or len(secret) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation")
        .filter(
            token_hash=hash_token(secret),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
            organisation__is_active=True,
        )
        .first()
    )


def account_for_invitation(invitation: Invitation) -> User | None:
    """Return the account that owns the invited address (by e-mail, or as its username)."""
    return (
        User.objects.filter(
            models.Q(email__iexact=invitation.email, is_active=True)
            | models.Q(username=normalise_username(invitation.email))
        )
        .order_by("-is_active", "pk")
        .first()
    )


def owns_invited_address(user: User, invitation: Invitation) -> bool:
    """Return whether ``user`` is the account of the invited address (e-mail or username)."""
    if user.email:
        return normalise_email(user.email) == invitation.email
    return user.get_username() == normalise_username(invitation.email)


@transaction.atomic
def accept_invitation(*, secret: str, user: User | None, password: str = "") -> Membership:
    """Accept an invitation: the invited account gets the role (the membership starts now).

    ``user`` is the signed-in account, which must own the invited address. Without one, a
    ``password`` creates the account for the address, but only when no account owns it yet
    (an existing account signs in first). Raises ``InvitationError`` otherwise.
    """
    found = invitation_for(secret)
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=found.pk)
        if found is not None
        else None
    )
    if invitation is None or invitation.accepted_at is not None:
        raise InvitationError(_("Deze uitnodiging bestaat niet (meer) of is verlopen."))
    owner = account_for_invitation(invitation)
    if user is not None:
        if not owns_invited_address(user, invitation):
            raise InvitationError(
                _("Deze uitnodiging is voor een ander e-mailadres. Meld u eerst af.")
            )
        account = user
    elif owner is not None or not password:
        raise InvitationError(_("Meld u eerst aan om de uitnodiging te accepteren."))
    else:
        account = User.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
    membership, _created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=account, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_audit(
        actor=account,
        organisation=invitation.organisation,
        action="member.accept",
        obj=membership,
        summary=f"{account.get_username()}: {invitation.role}",
    )
    return membership


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by: User | None) -> None:
    """Withdraw a pending invitation: its link stops working."""
    if invitation.accepted_at is not None:
        return
    record_audit(
        actor=by,
        organisation=invitation.organisation,
        action="member.invite.withdraw",
        summary=f"{invitation.email}: {invitation.role}",
    )
    invitation.delete()


# --- API tokens ---------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    """Return the stored form of a token: SHA-256 of the secret (tokens are random, not passwords)."""
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A token just created; ``secret`` is shown once and never stored."""

    token: ApiToken
    secret: str


@transaction.atomic
def issue_api_token(*, organisation: Organisation, name: str, by: User | None) -> IssuedToken:
    """Create an API token for an organisation and return its secret once."""
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        key_hash=hash_token(secret),
        created_by=by,
    )
    record_audit(
        actor=by, organisation=organisation, action="api_token.issue", obj=token, summary=name
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User | None) -> None:
    """Revoke a token; systems using it get 401 from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit(
            actor=by,
            organisation=token.organisation,
            action="api_token.revoke",
            obj=token,
            summary=token.name,
        )


def authenticate_api_token(raw: str) -> ApiToken | None:
    """Return the active token matching a presented secret, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = (
        ApiToken.objects.select_related("organisation")
        .filter(prefix=prefix, revoked_at__isnull=True, organisation__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_token(raw)):
        return None
    now = timezone.now()
    # Touch last_used_at at most once a minute: a busy importer must not turn every request
    # into a write on the same row.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- calendars ----------------------------------------------------------------------------


@transaction.atomic
def add_closing_days(
    *,
    organisation: Organisation,
    days: Iterable[tuple[date, str]],
    by: User | None = None,
    by_label: str = "",
) -> list[ClosingDay]:
    """Add closing days to an organisation's calendar; existing dates get the new reason."""
    saved = []
    for day, reason in days:
        closing, _created = ClosingDay.objects.update_or_create(
            organisation=organisation, date=day, defaults={"reason": reason}
        )
        saved.append(closing)
    if saved:
        record_audit(
            actor=by,
            actor_label=by_label,
            organisation=organisation,
            action="calendar.closing_days.add",
            summary=", ".join(f"{c.date:%Y-%m-%d}" for c in saved),
        )
    return saved


@transaction.atomic
def remove_closing_day(*, closing_day: ClosingDay, by: User | None) -> None:
    """Remove a closing day from an organisation's calendar."""
    record_audit(
        actor=by,
        organisation=closing_day.organisation,
        action="calendar.closing_days.remove",
        summary=f"{closing_day.date:%Y-%m-%d}",
    )
    closing_day.delete()


@transaction.atomic
def set_opening_hours(
    *,
    organisation: Organisation,
    hours: Mapping[int, tuple[time, time] | None],
    by: User | None,
) -> None:
    """Replace an organisation's opening hours; a weekday mapped to None is closed."""
    for span in hours.values():
        if span is not None and span[1] <= span[0]:
            raise ValidationError(_("De sluitingstijd moet na de openingstijd liggen."))
    OpeningHours.objects.filter(organisation=organisation).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(organisation=organisation, weekday=weekday, opens=span[0], closes=span[1])
        for weekday, span in sorted(hours.items())
        if span is not None
    )
    record_audit(actor=by, organisation=organisation, action="calendar.opening_hours.set")


# --- the BurgerServiceCode ----------------------------------------------------------------


@transaction.atomic
def publish_norm_set(*, norm_set: NormSet, by: User | None) -> NormSet:
    """Publish a draft version of the code; the version it replaces is retired."""
    if norm_set.status != NormSetStatus.DRAFT:
        raise ValidationError(_("Alleen een concept kan worden gepubliceerd."))
    if norm_set.norms.count() != 10:
        raise ValidationError(_("Een versie van de BurgerServiceCode heeft precies tien normen."))
    NormSet.objects.filter(status=NormSetStatus.PUBLISHED).update(status=NormSetStatus.RETIRED)
    norm_set.status = NormSetStatus.PUBLISHED
    norm_set.published_at = timezone.now()
    norm_set.save(update_fields=["status", "published_at"])
    record_audit(actor=by, action="bsc.publish", obj=norm_set, summary=norm_set.version)
    return norm_set


@transaction.atomic
def draft_norm_set_from(*, source: NormSet, version: str, by: User | None) -> NormSet:
    """Copy a version of the code, with its norms and checklist, into a new draft."""
    if NormSet.objects.filter(version=version).exists():
        raise ValidationError(_("Versie %(version)s bestaat al.") % {"version": version})
    draft = NormSet.objects.create(version=version, title=source.title, notes=source.notes)
    for norm in source.norms.prefetch_related("checklist_items"):
        items = list(norm.checklist_items.all())
        norm.pk = None
        norm.norm_set = draft
        norm.save()
        ChecklistItem.objects.bulk_create(
            ChecklistItem(norm=norm, position=i.position, text_nl=i.text_nl, text_en=i.text_en)
            for i in items
        )
    record_audit(actor=by, action="bsc.draft", obj=draft, summary=f"{source.version} → {version}")
    return draft


@transaction.atomic
def start_self_assessment(*, organisation: Organisation, by: User | None) -> SelfAssessment:
    """Open a draft self-assessment, pre-filled from the last one against the same items.

    An organisation has at most one draft at a time: an open draft is returned as it is.
    """
    from burgerlink.core import selectors

    existing = organisation.self_assessments.filter(status=AssessmentStatus.DRAFT).first()
    if existing is not None:
        return existing
    norm_set = selectors.current_norm_set()
    if norm_set is None:
        raise ValidationError(_("Er is nog geen gepubliceerde BurgerServiceCode."))
    assessment = SelfAssessment.objects.create(
        organisation=organisation, norm_set=norm_set, created_by=by
    )
    previous = {
        answer.item_id: answer
        for answer in AssessmentAnswer.objects.filter(
            assessment=selectors.latest_published_assessment(organisation)
        )
    }
    items = ChecklistItem.objects.filter(norm__norm_set=norm_set)
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(
            assessment=assessment,
            item=item,
            answer=previous[item.pk].answer if item.pk in previous else "",
            explanation=previous[item.pk].explanation if item.pk in previous else "",
            evidence_links=previous[item.pk].evidence_links if item.pk in previous else [],
        )
        for item in items
    )
    record_audit(actor=by, organisation=organisation, action="bsc.assessment.start", obj=assessment)
    return assessment


@dataclass(frozen=True)
class AnswerInput:
    """What staff filled in for one checklist item."""

    answer: str
    explanation: str
    evidence_links: list[str]


@transaction.atomic
def save_assessment_answers(
    *, assessment: SelfAssessment, answers: Mapping[int, AnswerInput], by: User | None
) -> None:
    """Store answers (keyed by checklist item id) in a draft self-assessment."""
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Een gepubliceerde zelfevaluatie kan niet meer veranderen."))
    rows = {row.item_id: row for row in assessment.answers.all()}
    for item_id, given in answers.items():
        row = rows.get(item_id)
        if row is None:
            raise ValidationError(_("Deze vraag hoort niet bij deze zelfevaluatie."))
        row.answer, row.explanation, row.evidence_links = (
            given.answer,
            given.explanation,
            given.evidence_links,
        )
    AssessmentAnswer.objects.bulk_update(rows.values(), ["answer", "explanation", "evidence_links"])
    record_audit(
        actor=by, organisation=assessment.organisation, action="bsc.assessment.save", obj=assessment
    )


@transaction.atomic
def publish_self_assessment(
    *, assessment: SelfAssessment, summary: str = "", by: User | None
) -> SelfAssessment:
    """Publish a complete draft self-assessment on the public scorecard."""
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Deze zelfevaluatie is al gepubliceerd."))
    if assessment.answers.filter(answer="").exists():
        raise ValidationError(_("Beantwoord eerst alle vragen van de checklist."))
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_at = timezone.now()
    if summary:
        assessment.summary = summary
    assessment.save(update_fields=["status", "published_at", "summary"])
    record_audit(
        actor=by,
        organisation=assessment.organisation,
        action="bsc.assessment.publish",
        obj=assessment,
    )
    return assessment


# --- login throttling ---------------------------------------------------------------------


def client_fingerprint(ip_address: str) -> str:
    """Return a keyed hash of an IP address: enough to count attempts, useless as personal data."""
    return hmac.new(settings.SECRET_KEY.encode(), ip_address.encode(), hashlib.sha256).hexdigest()


def login_waits(*, username: str, client: str) -> tuple[int, int]:
    """Return the seconds until the account, and until the client, may try again (0: now).

    ``username`` is counted in its normalised spelling (``normalise_username``), the spelling
    authentication uses, so variants share one counter. An account is paused after
    ``LOGIN_FAILURE_LIMIT`` failures in the window; a single client may mistype on a few
    accounts, but is paused after four times that many failures in all, so it cannot spray
    passwords across many accounts.
    """
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    now = timezone.now()
    recent = LoginFailure.objects.filter(at__gte=now - window)
    limit = settings.LOGIN_FAILURE_LIMIT
    waits = []
    for failures, threshold in (
        (recent.filter(username=_throttle_key(username)), limit),
        (recent.filter(client=client), limit * 4),
    ):
        moments = list(failures.order_by("-at").values_list("at", flat=True)[:threshold])
        # The pause ends when the oldest of the last `threshold` failures leaves the window.
        waits.append(
            max(1, int((moments[-1] + window - now).total_seconds()))
            if len(moments) >= threshold
            else 0
        )
    return waits[0], waits[1]


def login_retry_after(*, username: str, client: str) -> int:
    """Return the seconds until the next login attempt is allowed (0 when it is allowed now)."""
    return max(login_waits(username=username, client=client))


def _throttle_key(username: str) -> str:
    return normalise_username(username)[:150]


def record_login_failure(*, username: str, client: str) -> None:
    """Count one failed login (by normalised username) and forget failures older than a day."""
    LoginFailure.objects.create(username=_throttle_key(username), client=client)
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def clear_login_failures(*, username: str) -> None:
    """Forget an account's failed logins after a successful one."""
    LoginFailure.objects.filter(username=_throttle_key(username)).delete()


# --- two-step verification (TOTP) ---------------------------------------------------------


class SecondFactorError(ValidationError):
    """A TOTP code that does not match (the current device's, or the new device's)."""


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """Return the authenticator app the user signs in with, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_totp_device(user: User) -> TOTPDevice | None:
    """Return the authenticator app being set up (shown as a QR code), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def verify_current_totp(user: User, token: str) -> TOTPDevice | None:
    """Return the user's confirmed device when ``token`` is its current code, else None.

    django-otp slows down repeated wrong codes per device.
    """
    device = confirmed_totp_device(user)
    return device if device is not None and token and device.verify_token(token) else None


@transaction.atomic
def start_totp_setup(*, user: User) -> TOTPDevice:
    """Create a fresh, unconfirmed authenticator device with a new secret (replacing any other)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp_device(*, user: User, token: str, current_token: str = "") -> TOTPDevice:
    """Confirm the pending device with its first code; it replaces the device in use.

    Replacing a device in use needs that device's current code too, so someone who finds a
    signed-in browser cannot move the second step to their own phone.
    """
    previous = confirmed_totp_device(user)
    if previous is not None and verify_current_totp(user, current_token) is None:
        raise SecondFactorError(
            _("De code van uw huidige authenticator-app klopt niet of is verlopen.")
        )
    device = pending_totp_device(user)
    if device is None:
        raise SecondFactorError(_("Begin opnieuw: er staat geen nieuwe app klaar."))
    if not device.verify_token(token):
        raise SecondFactorError(_("Deze code klopt niet. Controleer de tijd op uw telefoon."))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_audit(actor=user, action="auth.totp.replace" if previous else "auth.totp.enable")
    return device


@transaction.atomic
def remove_totp_device(*, user: User, current_token: str) -> None:
    """Switch two-step verification off, with the current code; refused when staff need it."""
    if settings.REQUIRE_STAFF_TOTP:
        raise SecondFactorError(
            _("Tweestapsverificatie is verplicht; u kunt wel een andere app koppelen.")
        )
    if verify_current_totp(user, current_token) is None:
        raise SecondFactorError(
            _("De code van uw huidige authenticator-app klopt niet of is verlopen.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    record_audit(actor=user, action="auth.totp.remove")
