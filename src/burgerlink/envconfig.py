"""Reading settings from the environment, with an error that names the variable.

A production server must not start with a setting it cannot read: ``settings.py`` reads numbers
and addresses through these helpers, which raise ``ImproperlyConfigured`` with the variable's
name and what is wrong, in plain Dutch; ``burgerlink`` prints that message and stops.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def data_dir() -> Path:
    """Where the platform keeps its files (``BURGERLINK_DATA_DIR``, default ``var/``)."""
    package = Path(__file__).resolve().parent
    project = Path(os.environ.get("BURGERLINK_PROJECT_DIR", package.parent.parent))
    return Path(os.environ.get("BURGERLINK_DATA_DIR", project / "var"))


def default_metrics_dir() -> Path:
    """The directory the processes of this machine write their metrics to, unless set."""
    return data_dir() / "metrics"


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """A whole number from the environment (``default`` when unset or empty)."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise ImproperlyConfigured(
            f"Instelling {name} moet een geheel getal zijn, maar is {raw!r}."
        ) from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(
            f"Instelling {name} moet minstens {minimum} zijn, maar is {value}."
        )
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    """A number (with a decimal point) from the environment."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"Instelling {name} moet een getal zijn (met een punt als decimaalteken), maar is "
            f"{raw!r}."
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ImproperlyConfigured(f"Instelling {name} moet een eindig getal zijn.")
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(
            f"Instelling {name} moet minstens {minimum} zijn, maar is {value}."
        )
    return value


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def database(name: str, default: str, **options: Any) -> dict[str, Any]:
    """A database from a URL in ``name`` (``postgres://…`` or ``sqlite:///…``)."""
    url = _raw(name) or default
    shown = _without_password(url)
    try:
        config = dj_database_url.parse(url, **options)
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"Instelling {name} is geen bruikbaar database-adres ({shown}): {error}. Gebruik "
            "bijvoorbeeld postgres://gebruiker:wachtwoord@host:5432/burgerlink."
        ) from None
    engine = config.get("ENGINE", "")
    if not engine:
        raise ImproperlyConfigured(f"Instelling {name} noemt geen database-soort ({shown}).")
    if engine != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ImproperlyConfigured(
            f"Instelling {name} noemt geen databasenaam ({shown}): zet die achter de laatste /."
        )
    return dict(config)


def site_url(name: str, default: str, *, required: bool) -> str:
    """The platform's public address (``https://host``), without a trailing slash."""
    raw = _raw(name)
    if raw is None:
        if required:
            raise ImproperlyConfigured(
                f"Instelling {name} ontbreekt: zet het openbare adres van het platform, zoals "
                "https://burgerlink.example.nl (nodig voor de links in e-mails)."
            )
        return default.rstrip("/")
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"Instelling {name} moet een webadres zijn dat met https:// of http:// begint, maar "
            f"is {raw!r}."
        )
    return raw.rstrip("/")


def tile_url(name: str) -> tuple[str, str]:
    """A map tile server's URL template and the origin a page must be allowed to load it from.

    Unset: no tiles (``("", "")``). A path (``/tegels/{z}/{x}/{y}.png``) is the platform's own
    host, so the origin is empty; an address gives ``https://host`` (``{s}`` subdomains as ``*``)
    for the Content-Security-Policy.
    """
    raw = _raw(name)
    if raw is None:
        return "", ""
    if not all(part in raw for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(
            f"Instelling {name} moet {{z}}, {{x}} en {{y}} bevatten, zoals "
            f"https://tegels.example.nl/{{z}}/{{x}}/{{y}}.png, maar is {raw!r}."
        )
    if raw.startswith("/") and not raw.startswith("//"):
        return raw, ""
    parts = urlsplit(raw.replace("{s}", "s"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"Instelling {name} moet met https://, http:// of / beginnen, maar is {raw!r}."
        )
    host = urlsplit(raw).netloc.replace("{s}", "*")
    return raw, f"{parts.scheme}://{host}"


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (case-insensitive, stored as written in ``choices``)."""
    raw = _raw(name)
    if raw is None:
        return default
    for choice in choices:
        if raw.casefold() == choice.casefold():
            return choice
    raise ImproperlyConfigured(
        f"Instelling {name} moet een van {', '.join(choices)} zijn, maar is {raw!r}."
    )


def env_date(name: str, default: date) -> date:
    """A date written as ISO 8601 (2026-12-07)."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"Instelling {name} moet een datum zijn als 2026-12-07, maar is {raw!r}."
        ) from None


def env_email(name: str, default: str) -> str:
    """An e-mail address (one @, a domain with a dot or ``localhost``)."""
    raw = _raw(name)
    value = default if raw is None else raw
    local, at, domain = value.rpartition("@")
    if not (at and local and domain and ("." in domain or domain.endswith("localhost"))):
        raise ImproperlyConfigured(
            f"Instelling {name} moet een e-mailadres zijn, maar is {value!r}."
        )
    return value
