"""Fault: an app server is killed (its whole process group, SIGKILL) during a burst of writes.

Staff add closing days (one write each, a distinct date, a marker in the reason) from four
threads through the load balancer. Expected: every write answered with success is stored; after
the kill the load balancer sends the rest to the other app server (only requests that were in
flight on the killed server may fail).
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

from common import (
    WEB,
    Report,
    app_server_pids,
    cluster,
    csrf_token,
    kill,
    log,
    login,
    query,
    web_session,
)

WRITES = 400
THREADS = 4
KILL_AFTER = 60  # writes answered before the kill
ORGANISATION = "amstelstad"
CALENDAR = f"/medewerkers/{ORGANISATION}/kalender/"


def main() -> None:
    """Send the writes, kill app server 1 in the middle, compare answers with rows."""
    report = Report("app server killed during a burst of writes")
    cluster("start", "all")
    before = app_server_pids()
    marker = f"fault-{int(time.time())}"
    first_day = date(2031, 1, 1)
    lock = threading.Lock()
    succeeded: list[int] = []
    failed: list[str] = []
    answered = threading.Event()
    todo = list(range(WRITES))

    def worker() -> None:
        session = web_session()
        login(session, "anna.admin")
        token = csrf_token(session, CALENDAR)
        while True:
            with lock:
                if not todo:
                    return
                number = todo.pop(0)
            day = first_day + timedelta(days=number)
            try:
                answer = session.post(
                    WEB + CALENDAR,
                    data={
                        "csrfmiddlewaretoken": token,
                        "closing-date": day.strftime("%d-%m-%Y"),
                        "closing-reason": f"{marker}-{number}",
                        "add_closing_day": "1",
                    },
                    headers={"Referer": WEB + CALENDAR},
                    timeout=30,
                    allow_redirects=False,
                )
                ok = answer.status_code == 302
                outcome = str(answer.status_code)
            except Exception as error:  # noqa: BLE001 - counted as an error
                ok, outcome = False, type(error).__name__
            with lock:
                if ok:
                    succeeded.append(number)
                    if len(succeeded) >= KILL_AFTER:
                        answered.set()
                else:
                    failed.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    answered.wait(timeout=120)
    victim = before["app1"]
    if victim is None:
        raise SystemExit("app server 1 is not running")
    log(f"killing app server 1 (process group {victim}) after {len(succeeded)} answered writes")
    kill(victim, group=True)
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - started

    report.requests_sent = WRITES
    report.errors_seen = len(failed)
    report.rows_expected = len(succeeded)
    report.rows_found = int(
        query(
            "SELECT count(*) FROM core_closingday WHERE reason LIKE %s",
            [f"{marker}-%"],
        )
    )
    stored_successes = int(
        query(
            "SELECT count(*) FROM core_closingday WHERE reason = ANY(%s)",
            [[f"{marker}-{number}" for number in succeeded]],
        )
    )
    report.notes["answered ok"] = len(succeeded)
    report.notes["error kinds"] = ", ".join(sorted(set(failed))) or "none"
    report.notes["duration"] = f"{elapsed:.1f} s"
    report.check(stored_successes == len(succeeded), "a write answered with success is missing")
    report.check(report.rows_found <= WRITES, "more rows than writes")
    report.check(len(failed) <= THREADS, f"{len(failed)} errors: more than the writes in flight")
    log("starting app server 1 again")
    cluster("start", "all")
    report.check(app_server_pids()["app2"] == before["app2"], "app server 2 was restarted")
    query("DELETE FROM core_closingday WHERE reason LIKE %s RETURNING 1", [f"{marker}-%"])
    report.finish()


if __name__ == "__main__":
    main()
