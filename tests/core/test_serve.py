"""``burgerlink serve``: sizing, its checks, and a real granian serving the production settings."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BIN = Path(sys.executable).parent
BURGERLINK = str(BIN / "burgerlink")


def serve_dry_run(*args: str) -> str:
    out = StringIO()
    call_command("serve", "--dry-run", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_workers_default_to_one_per_cpu(db: None, settings: Any) -> None:
    settings.SERVE_WORKERS = 0
    output = serve_dry_run()
    cpus = len(os.sched_getaffinity(0))
    assert f"--workers {cpus} " in output
    assert "--blocking-threads 4 " in output
    assert "burgerlink.wsgi:application" in output


def test_workers_and_threads_can_be_set(db: None, settings: Any) -> None:
    settings.SERVE_WORKERS = 5
    assert "--workers 5 " in serve_dry_run()
    output = serve_dry_run(
        "--workers", "3", "--threads", "2", "--port", "9001", "--host", "127.0.0.2"
    )
    assert "--workers 3 --blocking-threads 2 " in output
    assert "--host 127.0.0.2 --port 9001 " in output


def test_refuses_to_start_without_collected_static_files(
    db: None, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "burgerlink.core.staticfiles.StaticStorage"},
    }
    settings.STATIC_ROOT = tmp_path
    with pytest.raises(CommandError, match="collectstatic --noinput"):
        serve_dry_run()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Production settings on an empty SQLite database, with static files collected."""
    root = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO", "DATABASE_", "TASKS_BACKEND"))
    }
    env.update(
        BURGERLINK_ENV="production",
        SECRET_KEY="serve-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://burgerlink.example.nl",
        BURGERLINK_DATA_DIR=str(root / "data"),
        STATIC_ROOT=str(root / "static"),
        DATABASE_URL=f"sqlite:///{root / 'burgerlink.sqlite3'}",
        PROMETHEUS_MULTIPROC_DIR=str(root / "metrics"),
        LOG_FORMAT="json",
    )
    subprocess.run(  # noqa: S603 - our own command
        [BURGERLINK, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, timeout=300
    )
    return env


@pytest.fixture(scope="module")
def server(production: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``burgerlink serve`` with one worker on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command
        [BURGERLINK, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=production,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/gezond/live", timeout=5):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"serve did not come up: {process.stdout.read() if process.stdout else ''}"
                    ) from None
                time.sleep(0.5)
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive: granian sends them in lower case) and body."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_serve_answers_probes_static_files_and_pages(
    server: tuple[str, subprocess.Popen[str]], production: dict[str, str]
) -> None:
    base, _ = server
    status, headers, content = fetch(base + "/gezond/live")
    assert (status, json.loads(content)) == (200, {"status": "ok"})
    assert len(headers["X-Request-ID"]) == 32

    # Readiness: the database was never migrated, so the app server is not ready.
    status, _, content = fetch(base + "/gezond/klaar")
    assert status == 503
    assert json.loads(content)["checks"]["migrations"].endswith("unapplied")

    # Static files: hashed names, cached for a year, served pre-compressed with brotli.
    manifest = json.loads((Path(production["STATIC_ROOT"]) / "staticfiles.json").read_text())
    hashed = manifest["paths"]["web/burgerlink.css"]
    assert hashed != "web/burgerlink.css"
    status, headers, content = fetch(
        f"{base}/static/{hashed}", **{"Accept-Encoding": "br", "X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]

    # Pages over HTTP are redirected to HTTPS; behind the load balancer they are gzipped.
    status, headers, _ = fetch(base + "/api/v1/openapi.json")
    assert status == 301
    assert headers["Location"].startswith("https://")
    status, headers, content = fetch(
        base + "/api/v1/openapi.json",
        **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https", "X-Request-ID": "lb-1234abcd"},
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(content))["info"]["title"]
    assert headers["X-Request-ID"] == "lb-1234abcd"


def test_serve_writes_one_json_line_per_request(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, process = server
    fetch(
        base + "/enquete/Zq4fTK93hdP0aaLmZ/klaar/",
        **{"X-Request-ID": "trace-0000feed", "X-Forwarded-Proto": "https"},
    )
    # Stop the server to read everything it wrote.
    os.killpg(process.pid, signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("request_id") == "trace-0000feed"]
    assert ours, output
    access = [line for line in ours if line["logger"] == "burgerlink.request"]
    assert len(access) == 1
    assert access[0]["path"] == "/enquete/***/klaar/"
    assert access[0]["view"] == "surveys:respond-done"
    assert "Zq4fTK93hdP0aaLmZ" not in output
