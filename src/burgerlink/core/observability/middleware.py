"""The first middleware: request id, one JSON log line per request, metrics, probes.

It answers the load balancer's probes (``/gezond/live``, ``/gezond/klaar``) and Prometheus
(``/metrics``) itself, before Django checks the ``Host`` header, redirects to HTTPS or opens a
session: those callers reach the app servers by address, over plain HTTP, inside the network.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

from burgerlink.core import health
from burgerlink.core.observability import metrics
from burgerlink.core.observability.context import REQUEST_ID, new_request_id, well_formed
from burgerlink.core.observability.logs import mask_path, resolver_match

logger = logging.getLogger("burgerlink.request")

HEADER = "X-Request-ID"


def view_name(match: ResolverMatch | None) -> str:
    """A bounded label for the view (``<unresolved>`` for paths that lead to none)."""
    if match is None:
        return "<unresolved>"
    return match.view_name or match.route or "<unnamed>"


class RequestMiddleware:
    """Give every request an id, answer probes, log one line and count it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle ``request`` under its request id."""
        incoming = request.headers.get(HEADER)
        request_id = incoming if incoming and well_formed(incoming) else new_request_id()
        token = REQUEST_ID.set(request_id)
        start = time.perf_counter()
        try:
            path = request.path_info
            match: ResolverMatch | None = None
            if path == health.LIVE_PATH:
                response, view = health.live_response(), "health:live"
            elif path == health.READY_PATH:
                response, view = health.ready_response(), "health:ready"
            elif path == metrics.PATH:
                response, view = metrics.metrics_response(request), "metrics"
            else:
                response = self.get_response(request)
                match = resolver_match(request)
                view = view_name(match)
            seconds = time.perf_counter() - start
            response[HEADER] = request_id
            metrics.observe_request(view, request.method or "", response.status_code, seconds)
            # Probes come every few seconds from every load balancer: only their failures are
            # worth a line at the usual level.
            quiet = view.startswith("health:") and response.status_code == 200
            path = mask_path(request.path, match)
            logger.log(
                logging.DEBUG if quiet else logging.INFO,
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            return response
        finally:
            REQUEST_ID.reset(token)
