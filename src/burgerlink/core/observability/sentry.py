"""Optional error reports to Sentry (``SENTRY_DSN``), stripped of anything personal.

The SDK is told not to send personal data (``send_default_pii=False``: no cookies, user, IP
address), and ``before_send`` removes what could still name a citizen: request bodies, query
strings, headers other than a few technical ones, secret segments of the URL, and e-mail or IP
addresses in messages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from burgerlink.core.observability.logs import mask_path, scrub

# Headers that help to understand an error and say nothing about the person.
KEPT_HEADERS = frozenset({"accept", "accept-language", "content-type", "content-length", "host"})


def _mask_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, mask_path(parts.path), "", ""))


def before_send(event: Any, hint: dict[str, Any]) -> Any:
    """Strip an event of request bodies, cookies, query strings and personal details."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = _mask_url(request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
            }
    event.pop("user", None)
    if isinstance(event.get("transaction"), str):
        event["transaction"] = mask_path(event["transaction"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = scrub(logentry[key])
        logentry.pop("params", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub(exception["value"])
        # Local variables of the frames can hold anything a citizen typed.
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = scrub(crumb["message"])
        crumb.pop("data", None)
    return event


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float, **options: Any) -> None:
    """Start the Sentry SDK with the platform's privacy options."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        traces_sample_rate=traces_sample_rate,
        **options,
    )
