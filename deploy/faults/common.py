"""Shared helpers of the fault scripts: the cluster's ports, its processes, HTTP and SQL.

Every script talks to 127.0.0.1 only, bounds every wait and loop, and ends with a report of
requests sent, errors seen, and rows expected and found (``Report``). Run them with the
project's virtualenv: ``.venv/bin/python deploy/faults/<fault>.py``; ``run-all.sh`` runs them all.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
VAR = Path(os.environ.get("CLUSTER_VAR", ROOT / "var" / "cluster"))
BASE = int(os.environ.get("CLUSTER_PORT_BASE", "15400"))
PG_PORTS = {"node1": BASE + 32, "node2": BASE + 33}
REST_PORTS = {"node1": BASE + 8, "node2": BASE + 9}
PRIMARY_PORT = BASE + 100
PGBOUNCER_PORT = BASE + 200
WEB = f"https://127.0.0.1:{BASE + 43}"
BL = str(ROOT / ".venv" / "bin" / "burgerlink")


def log(message: str) -> None:
    """One progress line."""
    print(f"-- {message}", flush=True)  # noqa: T201


def cluster(*args: str, timeout: float = 600) -> None:
    """Run ``deploy/cluster.sh`` with ``args`` (start is idempotent: it restarts what died)."""
    subprocess.run([str(ROOT / "deploy" / "cluster.sh"), *args], check=True, timeout=timeout)  # noqa: S603


def app_env() -> dict[str, str]:
    """The environment of the cluster's app servers (var/cluster/app.env) over this one."""
    env = dict(os.environ)
    for line in (VAR / "app.env").read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    return env


def wait_until(what: str, check: Callable[[], bool], limit: float) -> float:
    """Wait up to ``limit`` seconds for ``check``; return the seconds it took."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > limit:
            raise SystemExit(f"{what}: not within {limit:.0f} s")
        time.sleep(0.25)
    return time.monotonic() - started


def role(node: str) -> str:
    """Patroni's role of a node (primary, replica), or 'down'."""
    try:
        with urllib.request.urlopen(  # noqa: S310 - loopback only
            f"http://127.0.0.1:{REST_PORTS[node]}/patroni", timeout=2
        ) as answer:
            data = json.load(answer)
    except OSError:
        return "down"
    value = str(data.get("role", "down"))
    return "primary" if value == "master" else value


def primary_node() -> str | None:
    """The node Patroni calls primary now."""
    return next((node for node in PG_PORTS if role(node) == "primary"), None)


def query(sql: str, params: Any = None, *, port: int = PRIMARY_PORT) -> Any:
    """One value from the cluster's database (through HAProxy's primary port by default)."""
    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="burgerlink", connect_timeout=3
    ) as connection:
        row = connection.execute(sql, params).fetchone()
        return row[0] if row else None


def pid_of(path: Path) -> int | None:
    """The pid in a pid file (PostgreSQL's postmaster.pid: its first line), if it is alive."""
    try:
        pid = int(path.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid


def kill(pid: int, *, group: bool = False) -> None:
    """SIGKILL a process this cluster started (or its whole process group)."""
    if group:
        # Each app server leads a process group of its own (setsid): its workers die with it.
        group_id = os.getpgid(pid)
        if group_id == os.getpgid(0):
            raise SystemExit(f"process {pid} is in this script's own process group")
        os.killpg(group_id, signal.SIGKILL)
    else:
        os.kill(pid, signal.SIGKILL)


@dataclass
class Report:
    """What a fault script saw; ``finish`` prints it and sets the exit status."""

    fault: str
    requests_sent: int = 0
    errors_seen: int = 0
    rows_expected: int = 0
    rows_found: int = 0
    notes: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, message: str) -> None:
        """Record a failed expectation."""
        if not ok:
            self.failures.append(message)

    def finish(self) -> None:
        """Print the report (one block, and one JSON line for CI logs) and exit."""
        lines = [
            f"== fault: {self.fault}",
            f"   requests sent   {self.requests_sent}",
            f"   errors seen     {self.errors_seen}",
            f"   rows expected   {self.rows_expected}",
            f"   rows found      {self.rows_found}",
            *(f"   {key:<15} {value}" for key, value in self.notes.items()),
            f"   result          {'FAILED: ' + '; '.join(self.failures) if self.failures else 'passed'}",
        ]
        print("\n".join(lines), flush=True)  # noqa: T201
        summary = {
            "fault": self.fault,
            "requests_sent": self.requests_sent,
            "errors_seen": self.errors_seen,
            "rows_expected": self.rows_expected,
            "rows_found": self.rows_found,
            **self.notes,
            "passed": not self.failures,
        }
        (VAR / "log").mkdir(parents=True, exist_ok=True)
        with (VAR / "log" / "faults.jsonl").open("a") as handle:
            handle.write(json.dumps(summary, default=str) + "\n")
        sys.exit(1 if self.failures else 0)


def web_session() -> Any:
    """An HTTP session against the cluster's front end, trusting its self-signed certificate."""
    import requests

    session = requests.Session()
    session.trust_env = False  # loopback only: no proxy, and the cluster's own certificate
    session.verify = str(VAR / "tls" / "cert.pem")
    return session


def csrf_token(session: Any, path: str) -> str:
    """GET ``path`` and return the CSRF token its form needs."""
    answer = session.get(WEB + path, timeout=10)
    answer.raise_for_status()
    marker = 'name="csrfmiddlewaretoken" value="'
    start = answer.text.index(marker) + len(marker)
    return str(answer.text[start : answer.text.index('"', start)])


def login(session: Any, username: str, password: str = "burgerlink-demo") -> None:  # noqa: S107
    """Sign in a demo account (the cluster runs without the TOTP requirement)."""
    token = csrf_token(session, "/inloggen/")
    answer = session.post(
        WEB + "/inloggen/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": WEB + "/inloggen/"},
        timeout=10,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"login of {username} failed: HTTP {answer.status_code}")


def app_server_pids() -> dict[str, int | None]:
    """The main (granian) pid of each app server."""
    return {name: pid_of(VAR / "run" / f"{name}.pid") for name in ("app1", "app2")}
