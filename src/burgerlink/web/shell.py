"""The staff shell: how every staff page of every capability is guarded and rendered.

A staff view is written as ``view(request, organisation, ...)`` and decorated with
``staff_view(perm)``. The decorator signs the visitor in (or sends them to the login), asks for
the TOTP code when the platform requires it, resolves the URL's ``slug`` among the user's own
organisations only (404 for anyone else, so outsiders learn nothing) and answers 403 when the
member's roles lack ``perm``. The view then receives a ``StaffRequest``: the organisation and the
member's permissions there, computed once for the request. ``render_staff`` renders a page with
the menu, the theme and those permissions. Every response of a staff view is marked
``Cache-Control: no-store``: staff pages and downloads carry personal or response-level data.

Capability apps import this module (and ``core``) only; ``web`` itself imports no capability app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from burgerlink.core import dashboard, permissions
from burgerlink.core.models import Organisation, User
from burgerlink.core.permissions import Perm

__all__ = [
    "StaffRequest",
    "render_staff",
    "staff_request",
    "staff_view",
    "verified_login_required",
]

P = ParamSpec("P")


class StaffRequest(HttpRequest):
    """A request inside one organisation's staff area, as ``staff_view`` hands it to a view.

    ``organisation`` is the organisation of the URL and ``organisation_perms`` what the member
    may do there; both are resolved once, before the view runs. ``user`` is the signed-in member.
    """

    user: User  # type narrowed: staff_view only lets signed-in members through
    organisation: Organisation
    organisation_perms: frozenset[Perm]

    def can(self, perm: Perm) -> bool:
        """Return whether the member may ``perm`` in this organisation."""
        return perm in self.organisation_perms


# One subclass per concrete request class (WSGIRequest, ASGIRequest): a request that passes the
# staff checks becomes an instance of both, so ``isinstance(request, StaffRequest)`` is a real
# check and the two attributes are declared, typed members rather than ad-hoc additions.
_STAFF_CLASSES: dict[type[HttpRequest], type[StaffRequest]] = {}


def _as_staff_request(
    request: HttpRequest, organisation: Organisation, perms: frozenset[Perm]
) -> StaffRequest:
    base = type(request)
    staff_class = _STAFF_CLASSES.get(base)
    if staff_class is None:
        staff_class = cast(
            type[StaffRequest], type(f"Staff{base.__name__}", (StaffRequest, base), {})
        )
        _STAFF_CLASSES[base] = staff_class
    request.__class__ = staff_class
    staff = staff_request(request)
    staff.organisation = organisation
    staff.organisation_perms = perms
    return staff


def staff_request(request: HttpRequest) -> StaffRequest:
    """Return ``request`` as the ``StaffRequest`` it became in ``staff_view``.

    Raises ``TypeError`` for a request that did not pass through ``staff_view``: a programming
    error, never a visitor's.
    """
    if not isinstance(request, StaffRequest):
        raise TypeError("This request did not pass through staff_view.")
    return request


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    # Neither the browser nor a proxy may keep a copy of a staff page or download.
    patch_cache_control(response, no_store=True)
    return response


def verified_login_required(
    view: Callable[Concatenate[HttpRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Let only signed-in users through, with their TOTP code when the platform requires it.

    For staff pages that belong to no single organisation (the staff home); the response is
    never cached.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if permissions.second_factor_missing(request.user):
            return redirect("web:totp-setup")
        return _no_store(view(request, *args, **kwargs))

    return wrapper


StaffView = Callable[Concatenate[StaffRequest, Organisation, P], HttpResponseBase]


def staff_view(perm: Perm) -> Callable[[StaffView[P]], Callable[..., HttpResponseBase]]:
    """Guard a staff view: signed in, TOTP when required, a member of ``slug`` holding ``perm``.

    The view is called as ``view(request, organisation, *args, **kwargs)`` with a
    ``StaffRequest``; outsiders get 404, members without ``perm`` 403.
    """

    def decorate(view: StaffView[P]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if permissions.second_factor_missing(request.user):
                return redirect("web:totp-setup")
            organisation, perms = permissions.staff_access(request.user, slug)
            if perm not in perms:
                raise PermissionDenied("Your role does not allow this")
            staff = _as_staff_request(request, organisation, perms)
            return _no_store(view(staff, organisation, *args, **kwargs))

        return wrapper

    return decorate


def render_staff(
    request: HttpRequest,
    organisation: Organisation,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render a staff page with the organisation, its theme, the member's permissions and menu.

    Staff views of every capability use this, so the menu and theme are the same everywhere.
    """
    staff = staff_request(request)
    if organisation.pk != staff.organisation.pk:
        raise ValueError("render_staff got another organisation than the request's.")
    perms = staff.organisation_perms
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "perms": {str(p) for p in perms},
            "staff_links": dashboard.staff_links_for(perms),
            **(context or {}),
        },
        status=status,
    )
