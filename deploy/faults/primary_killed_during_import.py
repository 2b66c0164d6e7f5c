"""Fault: the primary dies (Patroni and PostgreSQL killed) while a records import runs.

Expected: Patroni promotes the replica; the import either committed whole or not at all; running
it again gives the same rows as one clean run, and a third run changes nothing. The killed node
is started again and rejoins as a replica.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from common import (
    BL,
    PGBOUNCER_PORT,
    VAR,
    Report,
    app_env,
    cluster,
    kill,
    log,
    pid_of,
    primary_node,
    query,
    role,
    wait_until,
)

ROWS = 300_000
ORGANISATION = "amstelstad"


def write_contacts(path: Path, prefix: str, rows: int) -> None:
    """A contacts CSV in the canonical columns, ids ``prefix-0`` ... ``prefix-(rows-1)``."""
    rng = np.random.default_rng(7)
    received = np.datetime64("2025-03-01T08:00:00") + rng.integers(
        0, 200 * 86_400, size=rows
    ).astype("timedelta64[s]")
    wait = rng.integers(5, 600, size=rows)
    handled = received + wait.astype("timedelta64[s]")
    with path.open("w", encoding="utf-8") as handle:
        handle.write("source_id,channel,received_at,handled_at,wait_seconds,answered\n")
        for i in range(rows):
            handle.write(
                f"{prefix}-{i},phone,{received[i]}+01:00,{handled[i]}+01:00,{wait[i]},ja\n"
            )


def stored(prefix: str) -> int:
    """Contacts of this run's file stored on the (new) primary."""
    return int(
        query(
            "SELECT count(*) FROM charters_contact c JOIN core_organisation o "
            "ON o.id = c.organisation_id WHERE o.slug = %s AND c.source_id LIKE %s",
            [ORGANISATION, f"{prefix}-%"],
        )
    )


def run_import(path: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """One run of ``burgerlink import-records`` against the cluster."""
    return subprocess.run(  # noqa: S603
        [BL, "import-records", str(path), "--organisation", ORGANISATION, "--kind", "contacts"],
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def main() -> None:
    """Kill the primary in the middle of an import, then check and rerun it."""
    report = Report("primary killed during a records import")
    cluster("start", "db")
    old = primary_node()
    if old is None:
        raise SystemExit("no primary before the fault")
    prefix = f"F{int(time.time())}"
    folder = Path(tempfile.mkdtemp(prefix="burgerlink-fault-"))
    path = folder / "contacts.csv"
    write_contacts(path, prefix, ROWS)
    report.rows_expected = ROWS

    log(f"importing {ROWS:,} contacts; killing {old} (Patroni and PostgreSQL) meanwhile")
    env = app_env()
    importer = subprocess.Popen(  # noqa: S603
        [BL, "import-records", str(path), "--organisation", ORGANISATION, "--kind", "contacts"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    report.requests_sent += 1
    # Kill once the import is writing: a COPY of its rows is running on the primary.
    wait_until(
        "the import to start writing",
        lambda: (
            importer.poll() is not None
            or bool(
                query(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND (query ILIKE 'COPY %%contact%%' "
                    "OR query ILIKE '%%bl_stage_contact%%')"
                )
            )
        ),
        120,
    )
    finished_before_kill = importer.poll() is not None
    killed_at = time.monotonic()
    patroni = pid_of(VAR / "run" / f"patroni{old[-1]}.pid")
    postmaster = pid_of(VAR / old / "data" / "postmaster.pid")
    if patroni:
        kill(patroni)
    if postmaster:
        kill(postmaster)
    new: str | None = None
    promoted_after: float | None = None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and (importer.poll() is None or promoted_after is None):
        if promoted_after is None:
            new = primary_node()
            if new is not None and new != old:
                promoted_after = time.monotonic() - killed_at
        time.sleep(0.25)
    if importer.poll() is None:
        importer.kill()
    importer.communicate()
    report.errors_seen += int(importer.returncode != 0)
    report.notes["first run"] = "failed (as expected)" if importer.returncode else "committed"
    report.check(not finished_before_kill, "the import ended before the primary was killed")
    report.check(promoted_after is not None, "no replica was promoted")
    report.notes["failover"] = f"{new} primary {promoted_after or 0:.1f} s after the kill"
    # The platform reaches the new primary through PgBouncer (which waits a moment after failed
    # logins before it tries again): rerun once that path answers.
    wait_until("the new primary through PgBouncer", _answers, 60)
    after_fault = stored(prefix)
    report.notes["rows after fault"] = after_fault
    report.check(after_fault in (0, ROWS), f"partial import: {after_fault} of {ROWS} rows")

    log("running the import again, then once more")
    again = run_import(path)
    report.requests_sent += 1
    report.errors_seen += int(again.returncode != 0)
    report.check(again.returncode == 0, f"rerun failed: {again.stderr.strip()[-300:]}")
    third = run_import(path)
    report.requests_sent += 1
    report.errors_seen += int(third.returncode != 0)
    report.rows_found = stored(prefix)
    report.check(report.rows_found == ROWS, f"{report.rows_found} rows after the rerun")
    report.notes["third run"] = third.stdout.strip().splitlines()[-1] if third.stdout else ""
    report.check(
        f"{ROWS} rijen: 0 nieuw" in third.stdout.replace(".", ""), "third run changed rows"
    )

    log(f"starting {old} again: it rejoins as a replica")
    cluster("start", "db")
    wait_until(f"{old} as a replica", lambda: role(old) == "replica", 120)
    report.notes["rejoined"] = f"{old} replica"
    path.unlink()
    folder.rmdir()
    report.finish()


def _answers() -> bool:
    try:
        query("SELECT 1", port=PGBOUNCER_PORT)
    except Exception:  # noqa: BLE001 - not yet
        return False
    return True


if __name__ == "__main__":
    main()
