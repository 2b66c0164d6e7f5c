"""Compare production servers (granian, gunicorn) on real pages: throughput and CPU per request.

Usage (from the repository, with a migrated database that holds the demo world and collected
static files)::

    BURGERLINK_ENV=production SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1 \\
    SECURE_SSL_REDIRECT=0 STATIC_ROOT=... DATABASE_URL=... \\
        .venv/bin/python bench/compare_servers.py [--rounds 2] [--seconds 8] [--connections 16]

Each configuration is started in turn on a loopback port, warmed up, and loaded with ``wrk``
(Debian's package) on each URL. Besides requests per second and latency, the script reads the
CPU time the server's processes used (from /proc) and reports CPU milliseconds per request: on a
shared machine that figure barely moves with other load, while requests per second do. Rounds
alternate the configurations so that background load hits them alike. Loopback only; every run
is bounded by ``--seconds``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
PORT = 8765
URLS = [
    "/",
    "/organisaties/amstelstad/",
    "/organisaties/amstelstad/kwaliteitshandvest/",
    "/api/v1/organisations",
]
TICKS = os.sysconf("SC_CLK_TCK")


def configurations(cpus: int) -> dict[str, list[str]]:
    """The server command lines compared, sized for ``cpus`` cores."""
    app = "burgerlink.wsgi:application"
    bind = f"127.0.0.1:{PORT}"
    return {
        f"gunicorn sync {2 * cpus + 1}w": [
            str(VENV_BIN / "gunicorn"), app, "-b", bind, "-w", str(2 * cpus + 1),
        ],
        f"gunicorn gthread {cpus}w x 4t": [
            str(VENV_BIN / "gunicorn"), app, "-b", bind, "-w", str(cpus), "--threads", "4",
        ],
        f"granian {cpus}w x 4t": [
            str(VENV_BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(PORT), "--workers", str(cpus), "--blocking-threads", "4", "--no-ws", app,
        ],
        f"granian {cpus}w x 1t": [
            str(VENV_BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(PORT), "--workers", str(cpus), "--blocking-threads", "1", "--no-ws", app,
        ],
    }  # fmt: skip


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by every live process in a process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp, ... utime is field 14, stime 15 (1-based).
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


@dataclass
class Sample:
    """One wrk run against one URL."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms_per_request: float


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def load(url: str, pgid: int, seconds: int, connections: int) -> Sample:
    """Run wrk against ``url`` and measure the server's CPU time meanwhile."""
    before = group_cpu_seconds(pgid)
    out = subprocess.run(  # noqa: S603 - our own command line
        [
            shutil.which("wrk") or "/usr/bin/wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
            f"http://127.0.0.1:{PORT}{url}",
        ],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    cpu = group_cpu_seconds(pgid) - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|timeout): (\d+)", out))
    return Sample(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        requests=requests,
        errors=errors,
        cpu_ms_per_request=1000 * cpu / max(requests, 1),
    )


def wait_until_up(deadline: float) -> None:
    """Poll the liveness endpoint until the server answers."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/gezond/live", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not come up")


def measure(command: list[str], seconds: int, connections: int) -> dict[str, Sample]:
    """Start one server, warm it up, load every URL, stop it."""
    server = subprocess.Popen(  # noqa: S603 - our own command line
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until_up(time.monotonic() + 60)
        for url in URLS:  # every worker opens its database connection and fills its caches
            for _ in range(8):
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{url}", timeout=30):  # noqa: S310
                    pass
        return {url: load(url, server.pid, seconds, connections) for url in URLS}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def main() -> None:
    """Alternate the configurations for some rounds and print one line per URL and round."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", help="run only configurations whose name contains this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    cpus = len(os.sched_getaffinity(0))
    configs = configurations(cpus)
    if args.only:
        configs = {name: cmd for name, cmd in configs.items() if args.only in name}
    print(f"{'configuration':26} {'url':46} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'cpu ms/req':>10} {'errors':>6}")  # fmt: skip
    for _ in range(args.rounds):
        for name, command in configs.items():
            for url, sample in measure(command, args.seconds, args.connections).items():
                print(
                    f"{name:26} {url:46} {sample.rps:8.1f} {sample.p50_ms:8.1f} "
                    f"{sample.p99_ms:8.1f} {sample.cpu_ms_per_request:10.2f} {sample.errors:6d}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
