"""The one place that decides who may do what, and in which organisation.

Every staff view and API endpoint asks this module; nothing else checks roles. A user's rights
come from their memberships (one role in one organisation each). Platform operators maintain the
catalogues but hold no rights inside an organisation unless they are also a member of it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from burgerlink.core.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from burgerlink.core.models import User


class Perm(StrEnum):
    """Actions inside an organisation that need a role."""

    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_API_TOKENS = "manage_api_tokens"
    MANAGE_CALENDAR = "manage_calendar"
    VIEW_AUDIT_LOG = "view_audit_log"
    HANDLE_PRIVACY_REQUESTS = "handle_privacy_requests"
    EDIT_SELF_ASSESSMENT = "edit_self_assessment"
    PUBLISH_SELF_ASSESSMENT = "publish_self_assessment"
    MANAGE_CHARTERS = "manage_charters"
    IMPORT_RECORDS = "import_records"
    HANDLE_CLAIMS = "handle_claims"
    MANAGE_SURVEYS = "manage_surveys"
    VIEW_SURVEY_RESULTS = "view_survey_results"
    # Response-level data (one row per respondent); communications see aggregates only.
    EXPORT_SURVEY_RESPONSES = "export_survey_responses"
    MANAGE_FIELDWORK = "manage_fieldwork"
    MODERATE = "moderate"
    MANAGE_PARTICIPATION = "manage_participation"
    PUBLISH_CONTENT = "publish_content"


_EVERYONE = {Perm.VIEW_DASHBOARD}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.ADMINISTRATOR: frozenset(Perm),
    Role.QUALITY_MANAGER: frozenset(
        _EVERYONE
        | {
            Perm.MANAGE_CALENDAR,
            Perm.EDIT_SELF_ASSESSMENT,
            Perm.PUBLISH_SELF_ASSESSMENT,
            Perm.MANAGE_CHARTERS,
            Perm.IMPORT_RECORDS,
            Perm.HANDLE_CLAIMS,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.EXPORT_SURVEY_RESPONSES,
        }
    ),
    Role.RESEARCHER: frozenset(
        _EVERYONE
        | {
            Perm.EDIT_SELF_ASSESSMENT,
            Perm.MANAGE_SURVEYS,
            Perm.MANAGE_FIELDWORK,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.EXPORT_SURVEY_RESPONSES,
            Perm.IMPORT_RECORDS,
        }
    ),
    Role.PARTICIPATION_OFFICER: frozenset(
        _EVERYONE | {Perm.MODERATE, Perm.MANAGE_PARTICIPATION, Perm.EDIT_SELF_ASSESSMENT}
    ),
    Role.COMMUNICATIONS: frozenset(
        _EVERYONE | {Perm.PUBLISH_CONTENT, Perm.VIEW_SURVEY_RESULTS, Perm.EDIT_SELF_ASSESSMENT}
    ),
}


def _user_id(user: User | AnonymousUser | None) -> int | None:
    """Return the id of an active, signed-in user, else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return int(user.pk)


def _is_staff_user(user: User | AnonymousUser | None) -> bool:
    return _user_id(user) is not None


def roles_in(user: User | AnonymousUser | None, organisation: Organisation) -> set[str]:
    """Return the roles a user holds in one organisation (empty for outsiders)."""
    user_id = _user_id(user)
    if user_id is None:
        return set()
    return set(
        Membership.objects.filter(user_id=user_id, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def permissions_in(user: User | AnonymousUser | None, organisation: Organisation) -> set[Perm]:
    """Return every permission a user has in one organisation."""
    perms: set[Perm] = set()
    for role in roles_in(user, organisation):
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return perms


def has_perm(user: User | AnonymousUser | None, perm: Perm, organisation: Organisation) -> bool:
    """Return whether a user may perform ``perm`` in ``organisation``."""
    return perm in permissions_in(user, organisation)


def staff_organisations(user: User | AnonymousUser | None) -> QuerySet[Organisation]:
    """Return the organisations in which the user holds at least one role."""
    user_id = _user_id(user)
    if user_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user_id=user_id, is_active=True).distinct()


def is_staff_member(user: User | AnonymousUser | None) -> bool:
    """Return whether the user works for at least one organisation."""
    return staff_organisations(user).exists()


def is_platform_operator(user: User | AnonymousUser | None) -> bool:
    """Return whether the user maintains the platform's catalogues."""
    return _is_staff_user(user) and bool(getattr(user, "is_platform_operator", False))


def staff_access(
    user: User | AnonymousUser | None, slug: str
) -> tuple[Organisation, frozenset[Perm]]:
    """Return organisation ``slug`` and the user's permissions there, in one query.

    Raises ``Http404`` when the user is no member of an active organisation with that slug, so
    outsiders cannot tell an existing organisation from a missing one.
    """
    user_id = _user_id(user)
    memberships = (
        list(
            Membership.objects.filter(
                user_id=user_id, organisation__slug=slug, organisation__is_active=True
            ).select_related("organisation")
        )
        if user_id is not None
        else []
    )
    if not memberships:
        raise Http404("Organisation not found")
    perms: frozenset[Perm] = frozenset().union(
        *(ROLE_PERMISSIONS.get(m.role, frozenset()) for m in memberships)
    )
    return memberships[0].organisation, perms


def second_factor_missing(user: User | AnonymousUser | None) -> bool:
    """Return whether staff work must wait for a TOTP code (``REQUIRE_STAFF_TOTP``).

    django-otp's middleware marks the user with the device that verified this session; staff
    pages, the staff API session and the operator's admin all ask this one question.
    """
    return bool(settings.REQUIRE_STAFF_TOTP) and getattr(user, "otp_device", None) is None


def organisation_for(
    user: User | AnonymousUser | None, slug: str, perm: Perm = Perm.VIEW_DASHBOARD
) -> Organisation:
    """Return the organisation ``slug`` if the user may ``perm`` there.

    Raises ``Http404`` when the user is no member (so outsiders learn nothing about it) and
    ``PermissionDenied`` when the user is a member without the needed role.
    """
    organisation = staff_organisations(user).filter(slug=slug).first()
    if organisation is None:
        raise Http404("Organisation not found")
    if not has_perm(user, perm, organisation):
        raise PermissionDenied("Your role does not allow this")
    return organisation


def acting_user(request: HttpRequest) -> User | None:
    """Return the signed-in user behind a request (None for anonymous visitors)."""
    from burgerlink.core.models import User

    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None
