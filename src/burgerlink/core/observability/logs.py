"""JSON log lines (one object per line) that name no citizen.

Every record gets the current request id (also inside background tasks queued by that request).
Paths are logged masked: URL arguments that are secrets (a survey's access code, a claim's
status code, a password-reset link) become ``***``; in paths that resolve to no view, segments
that look like such a secret or like an e-mail address are masked too. Query strings are never
logged. As a last line of defence, e-mail addresses and IP addresses in any message or
traceback are replaced.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import Resolver404, ResolverMatch, resolve

from burgerlink.core.observability.context import REQUEST_ID, TASK

# URL arguments with these names are secrets by convention: name a URL argument like this when
# knowing its value gives access to something.
SECRET_URL_KWARGS = frozenset({"token", "code", "uidb64", "key", "secret"})
MASK = "***"

# A path segment that resolves to no view is masked when it looks random enough to be a token
# (16 or more letters, digits, "-" or "_", with at least one digit) or holds an "@".
_TOKEN_LIKE = re.compile(r"(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{16,}")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# IPv6 in full (eight groups) or shortened with "::"; clock times like 20:52:09 are neither.
_IPV6 = re.compile(
    r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:)*:(?::?[0-9A-Fa-f]{1,4})+)(?![\w:])"
)


def resolver_match(request: HttpRequest) -> ResolverMatch | None:
    """The view the path leads to, also when a middleware answered before it ran (redirects)."""
    match: ResolverMatch | None = getattr(request, "resolver_match", None)
    if match is not None:
        return match
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def mask_path(path: str, match: ResolverMatch | None = None) -> str:
    """The path with its secret segments replaced by ``***`` (no query string)."""
    segments = path.split("/")
    secrets: set[str] = set()
    if match is not None:
        secrets = {
            str(value)
            for name, value in match.kwargs.items()
            if name in SECRET_URL_KWARGS and value not in (None, "")
        }
    masked = []
    for segment in segments:
        if segment in secrets or (
            match is None and (_TOKEN_LIKE.fullmatch(segment) or "@" in segment)
        ):
            masked.append(MASK)
        else:
            masked.append(segment)
    return "/".join(masked)


def scrub(text: str) -> str:
    """Replace e-mail addresses and IP addresses in free text."""
    text = _EMAIL.sub("[e-mail]", text)
    text = _IPV4.sub("[ip]", text)
    return _IPV6.sub("[ip]", text)


# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)
# Django attaches the request and the server socket to some records; never log those objects.
_DROPPED = frozenset({"request", "server_time", "status_code"})


def _masked_message(record: logging.LogRecord) -> str:
    message = record.getMessage()
    request = getattr(record, "request", None)
    if request is not None and getattr(request, "path", None):
        # django.request's "Not Found: /enquete/<token>/" names the raw path.
        message = message.replace(request.path, mask_path(request.path, resolver_match(request)))
    return scrub(message)


class TextFormatter(logging.Formatter):
    """Plain lines for people (``LOG_FORMAT=text``), masked and scrubbed like the JSON ones."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` with the usual format, then mask paths and scrub addresses."""
        line = super().format(record)
        request = getattr(record, "request", None)
        if request is not None and getattr(request, "path", None):
            line = line.replace(request.path, mask_path(request.path, resolver_match(request)))
        return scrub(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, task, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as a scrubbed JSON line."""
        message = record.getMessage()
        request = getattr(record, "request", None)
        if request is not None and getattr(request, "path", None):
            # django.request's "Not Found: /enquete/<token>/" names the raw path.
            message = message.replace(
                request.path, mask_path(request.path, resolver_match(request))
            )
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _masked_message(record),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        task = TASK.get()
        if task:
            line["task"] = task
        for name, value in vars(record).items():
            if name in _STANDARD or name in _DROPPED or name.startswith("_") or name in line:
                continue
            line[name] = (
                value if isinstance(value, int | float | bool | None) else scrub(str(value))
            )
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = scrub(record.exc_text)
        return json.dumps(line, ensure_ascii=False, default=str)
