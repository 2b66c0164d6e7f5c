"""Security headers Django does not set itself: Content-Security-Policy and Permissions-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Django's admin and the interactive API docs ship inline styles we do not control; they get a
# policy that allows inline *styles* (never inline scripts) and nothing from other hosts.
RELAXED_STYLE_PREFIXES = ("/beheer/", "/api/v1/docs")


class SecurityHeadersMiddleware:
    """Add a strict CSP, Permissions-Policy and cross-origin isolation headers to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Process the request, then add the headers the response lacks."""
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith(RELAXED_STYLE_PREFIXES):
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
