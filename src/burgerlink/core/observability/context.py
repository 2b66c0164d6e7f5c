"""The id of the request (or background task) being handled, for every log line it writes."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("burgerlink_request_id", default=None)
TASK: ContextVar[str | None] = ContextVar("burgerlink_task", default=None)

# An incoming X-Request-ID (set by the load balancer) is kept when it looks like an id: letters,
# digits and a few separators, 8 to 64 long. Anything else could smuggle text into the logs.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")


def well_formed(value: str | None) -> bool:
    """Whether an incoming request id may be used as it is."""
    return bool(value) and _WELL_FORMED.fullmatch(value or "") is not None


def new_request_id() -> str:
    """A fresh random request id (32 hex digits)."""
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request or task this code runs for, if any."""
    return REQUEST_ID.get()
