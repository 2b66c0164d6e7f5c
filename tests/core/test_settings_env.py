"""Bad input in the environment: start-up stops with a message that names the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = {
    "BURGERLINK_ENV": "production",
    "SECRET_KEY": "env-test-" + "s" * 50,
    "ALLOWED_HOSTS": "burgerlink.example.nl",
    "SITE_URL": "https://burgerlink.example.nl",
}


def start(tmp_path: Path, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    """Run ``burgerlink check`` in a fresh process with production settings and ``overrides``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS", "DATABASE_"))
    }
    env.update(PRODUCTION, BURGERLINK_DATA_DIR=str(tmp_path))
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "burgerlink", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_good_production_settings_start(tmp_path: Path) -> None:
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DATABASE_URL": "postgres//db.example:5432/burgerlink"}, "DATABASE_URL"),
        ({"DATABASE_URL": "oracle-ish://user:geheim@db/burgerlink"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://user:geheim@db.example:5432/"}, "DATABASE_URL"),
        ({"SITE_URL": None}, "SITE_URL"),
        ({"SITE_URL": "burgerlink.example.nl"}, "SITE_URL"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"LOGIN_FAILURE_LIMIT": "vijf"}, "LOGIN_FAILURE_LIMIT"),
        ({"EMAIL_PORT": "25.0"}, "EMAIL_PORT"),
        ({"WORKER_HEARTBEAT_MAX_AGE": "-1"}, "WORKER_HEARTBEAT_MAX_AGE"),
        ({"SERVE_THREADS": "0"}, "SERVE_THREADS"),
        ({"MAP_TILE_URL": "https://tegels.example.nl/kaart.png"}, "MAP_TILE_URL"),
        ({"DEMO_RECORDS_SCALE": "1,5"}, "DEMO_RECORDS_SCALE"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"ACCESSIBILITY_STATUS": "F"}, "ACCESSIBILITY_STATUS"),
        ({"ACCESSIBILITY_STATEMENT_DATE": "7-12-2026"}, "ACCESSIBILITY_STATEMENT_DATE"),
        ({"ACCESSIBILITY_CONTACT_EMAIL": "toegankelijkheid"}, "ACCESSIBILITY_CONTACT_EMAIL"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
    ],
)
def test_bad_setting_stops_start_up_and_is_named(
    tmp_path: Path, overrides: dict[str, str | None], named: str
) -> None:
    result = start(tmp_path, **overrides)
    assert result.returncode != 0
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert "geheim" not in result.stderr  # a password in a URL is never echoed
