"""The ninja API at /api/v1/: mounts each app's router and turns errors into structured 4xx."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from burgerlink.charters.api import router as charters_router
from burgerlink.core.api import router as core_router
from burgerlink.core.api_support import field_name
from burgerlink.core.calendar import CalendarRangeError
from burgerlink.participation.api import router as participation_router
from burgerlink.surveys.api import router as surveys_router

api = NinjaAPI(
    title="Burgerlink API",
    version="1",
    description=(
        "Open data and push endpoints of Burgerlink: organisations, the BurgerServiceCode, "
        "life events, channels and calendars (Algemene termijnenwet). Systems that push data "
        "authenticate with an organisation API token: `Authorization: Bearer bl_…`."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


def _error(
    request: HttpRequest, status: int, message: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"message": message, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with one entry per wrong field."""
    errors = [
        {"field": field_name(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return _error(request, 422, _("De invoer is niet geldig."), errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """422 for domain rules that services enforce."""
    if hasattr(exc, "message_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": message} for message in exc.messages]
    return _error(request, 422, _("De invoer is niet geldig."), errors)


@api.exception_handler(CalendarRangeError)
def on_calendar_range(request: HttpRequest, exc: CalendarRangeError) -> HttpResponse:
    """422 for dates the calendar does not cover."""
    return _error(request, 422, str(exc))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 with a hint about the expected token."""
    response = _error(
        request, 401, _("Niet aangemeld: stuur een geldige API-sleutel als Bearer-token.")
    )
    response["WWW-Authenticate"] = 'Bearer realm="burgerlink"'
    return response


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """403 when the caller may not act for this organisation."""
    return _error(request, 403, str(exc) or _("Geen toegang."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """404 with a message."""
    return _error(request, 404, str(exc) or _("Niet gevonden."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Other deliberate HTTP errors."""
    return _error(request, exc.status_code, str(exc))


api.add_router("/", core_router)
api.add_router("/", charters_router)
api.add_router("/", surveys_router)
api.add_router("/", participation_router)
