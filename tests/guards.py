"""A middleware the test suite adds: fail any GET or HEAD that writes to the database.

"No state change on a GET" holds for every page the tests visit, the browser journeys included,
not only for the pages someone remembered to check. Allowed: the session (Django stores it
itself), the audit log (reading personal data is itself recorded) and an API token's
``last_used_at``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE)\b", re.I)
ALLOWED = re.compile(r"(django_session|core_auditevent|core_apitoken)\b", re.I)


class WriteOnGetError(AssertionError):
    """A GET or HEAD request changed the database."""


class NoWritesOnGet:
    """Wrap every GET and HEAD request's queries; a write raises ``WriteOnGetError``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)

        def guard(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            text = sql.replace('"', "").replace("`", "")
            if WRITE.match(text) and not ALLOWED.search(text):
                raise WriteOnGetError(f"{request.method} {request.path} wrote: {sql[:200]}")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(guard):
            return self.get_response(request)
