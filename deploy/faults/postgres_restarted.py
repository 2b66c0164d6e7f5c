"""Fault: PostgreSQL is restarted (primary, then replica) while pages are served.

Four clients request public pages (read from the replica when it is healthy) and a signed-in
staff page (always the primary) through the load balancer, for a bounded time. Patroni restarts
the primary's PostgreSQL, then the replica's. Expected: requests fail at most while a server
restarts, and every request in the last seconds succeeds, with the same app server processes
(nothing restarted but PostgreSQL).
"""

from __future__ import annotations

import subprocess
import threading
import time

from common import (
    VAR,
    WEB,
    Report,
    app_server_pids,
    cluster,
    log,
    login,
    primary_node,
    role,
    wait_until,
    web_session,
)

DURATION = 50.0  # seconds of traffic
THREADS = 4
GRACE = 5.0  # seconds after a restart in which errors still count as "during the restart"
PAGES = ["/", "/organisaties/amstelstad/", "/burgerservicecode/", "/api/v1/organisations"]
STAFF_PAGE = "/medewerkers/amstelstad/kalender/"


def restart(node: str) -> tuple[float, float]:
    """Restart one node's PostgreSQL through Patroni; return when it began and ended."""
    began = time.monotonic()
    subprocess.run(  # noqa: S603
        ["patronictl", "-c", str(VAR / f"{node}.yml"), "restart", "burgerlink", node, "--force"],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=120,
    )
    wait_until(f"{node} back", lambda: role(node) in {"primary", "replica"}, 120)
    return began, time.monotonic()


def main() -> None:
    """Serve pages, restart PostgreSQL twice, and look at when requests failed."""
    report = Report("PostgreSQL restarted while pages are served")
    cluster("start", "all")
    before = app_server_pids()
    lock = threading.Lock()
    outcomes: list[tuple[float, bool]] = []
    stop = time.monotonic() + DURATION

    def client(number: int) -> None:
        session = web_session()
        staff = number == 0
        if staff:
            login(session, "kees.kwaliteit")
        index = 0
        while time.monotonic() < stop:
            path = STAFF_PAGE if staff else PAGES[index % len(PAGES)]
            index += 1
            try:
                ok = session.get(WEB + path, timeout=15, allow_redirects=False).status_code == 200
            except Exception:  # noqa: BLE001 - counted as an error
                ok = False
            with lock:
                outcomes.append((time.monotonic(), ok))
            time.sleep(0.02)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(8)
    primary = primary_node()
    if primary is None:
        raise SystemExit("no primary")
    replica = "node2" if primary == "node1" else "node1"
    log(f"restarting the primary ({primary})")
    windows = [restart(primary)]
    time.sleep(5)
    log(f"restarting the replica ({replica})")
    windows.append(restart(replica))
    for thread in threads:
        thread.join(timeout=DURATION + 60)

    def during_a_restart(moment: float) -> bool:
        return any(began <= moment <= ended + GRACE for began, ended in windows)

    errors = [moment for moment, ok in outcomes if not ok]
    report.requests_sent = len(outcomes)
    report.errors_seen = len(errors)
    outside = [moment for moment in errors if not during_a_restart(moment)]
    last_end = max(ended for _, ended in windows)
    after = [ok for moment, ok in outcomes if moment > last_end + GRACE]
    report.notes["restarts"] = ", ".join(f"{ended - began:.1f} s" for began, ended in windows)
    report.notes["errors outside"] = len(outside)
    report.notes["requests after"] = f"{sum(after)} of {len(after)} ok"
    report.check(not outside, f"{len(outside)} requests failed outside the restarts")
    report.check(bool(after) and all(after), "requests still fail after the restarts")
    report.check(app_server_pids() == before, "an app server was restarted")
    report.finish()


if __name__ == "__main__":
    main()
