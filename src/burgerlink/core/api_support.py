"""What every app's API router shares: structured errors and authentication.

Lives in core so that capability apps depend downward only; ``burgerlink.api`` just mounts routers.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Field, Schema
from ninja.security import HttpBearer, SessionAuth
from pydantic import AwareDatetime, BeforeValidator

from burgerlink.core import permissions, services
from burgerlink.core.models import ApiToken, Organisation, User
from burgerlink.core.permissions import Perm


class FieldError(Schema):
    """One problem with one input value."""

    field: str
    message: str


class ErrorOut(Schema):
    """The body of every 4xx response."""

    message: str
    errors: list[FieldError] = []


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_date_text(value: object) -> object:
    # pydantic also reads numbers, and numeric strings, as Unix timestamps: "0.0" would become
    # 1 January 1970. The API documents ISO 8601 only, so anything else is refused.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


def _iso_datetime_text(value: object) -> object:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATETIME.match(value)):
        return value
    raise ValueError(
        "expected an ISO 8601 date and time with a time zone, e.g. 2025-03-01T09:30:00+01:00"
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
"""A date given as ``YYYY-MM-DD`` (never a number)."""

IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime_text)]
"""A moment given as ISO 8601 with a time zone (never a number, never naive)."""


def model_field(
    model: type[models.Model], name: str, default: Any = ..., **constraints: Any
) -> Any:
    """A schema field described by the model field's help text, so the OpenAPI document says it.

    The API's documentation is in English, so the description is the help text's English
    translation; ``constraints`` are pydantic's (``max_length``, ``ge``, ...).
    """
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation's reverse side, not a field")
    with translation.override("en"):
        description = str(field.help_text)
    return Field(default, description=description, **constraints)


def error_responses(*codes: int) -> dict[int, type[ErrorOut]]:
    """Return a ``response=`` mapping documenting the given error codes with ``ErrorOut``."""
    return dict.fromkeys(codes, ErrorOut)


# What ``Organisation.slug`` (a SlugField) can hold. Anything else names no organisation, and must
# not reach the database: PostgreSQL refuses strings with NUL bytes with an error (a 500).
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}\Z")


def is_possible_slug(slug: str) -> bool:
    """Return whether ``slug`` could be an organisation's slug at all."""
    return bool(_SLUG.match(slug))


def field_name(location: tuple[Any, ...] | list[Any]) -> str:
    """Turn a pydantic error location into a dotted field name without ninja's wrappers."""
    parts = [str(part) for part in location]
    # ninja nests parameters under their source and the function's parameter name
    # ("query", "filters", "year"); keep the source and the field people typed.
    if len(parts) >= 3 and parts[0] in {"query", "path", "body", "header", "cookie", "form"}:
        parts = [parts[0], *parts[2:]] if parts[1] in {"filters", "payload", "params"} else parts
    return ".".join(parts)


class OrganisationToken(HttpBearer):
    """``Authorization: Bearer bl_…`` with an organisation's API token."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        """Return the token row when the secret is valid and not revoked."""
        if not token.isascii() or not token.isprintable():
            # Issued secrets are printable ASCII; a NUL byte would even break the lookup.
            return None
        return services.authenticate_api_token(token)


class StaffSession(SessionAuth):
    """A signed-in staff member's browser session (CSRF-protected for writes)."""

    def __call__(self, request: HttpRequest) -> Any:
        """Check CSRF only for a signed-in staff member; without a session, decline.

        ninja checks CSRF before it looks at the session, so a POST without (valid) credentials
        would get "403 CSRF check failed" instead of a 401 that asks for a token: a system
        with a revoked or mistyped token must learn that its token is the problem.
        """
        if self.authenticate(request, None) is None:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        """Return the user when signed in and a member of at least one organisation.

        The same two-step rule as the staff pages: with ``REQUIRE_STAFF_TOTP`` on, a session
        that has not given a TOTP code is declined (401), as if it were not signed in.
        """
        user = request.user
        if (
            user.is_authenticated
            and not permissions.second_factor_missing(user)
            and permissions.is_staff_member(user)
        ):
            return user
        return None


TOKEN_OR_STAFF = [OrganisationToken(), StaffSession()]


def caller_of(request: HttpRequest) -> ApiToken | User:
    """Return who ninja authenticated for this request: an organisation's token or a member.

    ninja stores the result of ``auth`` on the request; this reads it with its real type.
    """
    caller = getattr(request, "auth", None)
    if isinstance(caller, ApiToken | User):
        return caller
    raise PermissionDenied("Not authenticated")


def authorised_organisation(request: HttpRequest, slug: str, perm: Perm) -> Organisation:
    """Return organisation ``slug`` if the caller (token or staff) may ``perm`` there.

    A token only ever opens its own organisation (403 elsewhere, 404 for unknown slugs); a staff
    member gets what the permission module grants.
    """
    if not is_possible_slug(slug):
        raise Http404("Organisation not found")
    caller = caller_of(request)
    if isinstance(caller, ApiToken):
        organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
        if organisation is None:
            raise Http404("Organisation not found")
        if organisation.pk != caller.organisation_id:
            raise PermissionDenied("This token belongs to another organisation")
        return organisation
    return permissions.organisation_for(caller, slug, perm)


def authorised_owner(request: HttpRequest, owner: Organisation, perm: Perm) -> Organisation:
    """Return ``owner`` of an object found by its id alone, if the caller may ``perm`` there.

    Unlike an organisation's slug, an object's id is not public: another organisation's token
    gets 404, as for an id that does not exist, instead of a 403 that confirms it does.
    """
    caller = caller_of(request)
    if isinstance(caller, ApiToken) and caller.organisation_id != owner.pk:
        raise Http404("Not found")
    return authorised_organisation(request, owner.slug, perm)


def actor_of(request: HttpRequest) -> tuple[User | None, str]:
    """Return (user or None, label) of the caller for the audit log."""
    caller = caller_of(request)
    if isinstance(caller, ApiToken):
        return None, f"token:{caller.name}"
    return caller, ""
