"""Fault: a worker killed while it sends a round of e-mail, and while it writes an export.

Expected: the other worker puts the killed worker's task back in the queue once its heartbeat is
older than the orphan threshold (the cluster runs with short heartbeats), takes it up again and
finishes it; no invitation goes out twice (each message is claimed before it is sent), at most
the one message in flight when the worker died stays unconfirmed; the export finishes whole.
"""

from __future__ import annotations

import email
import subprocess
import time
from collections import Counter
from pathlib import Path

from common import BL, VAR, Report, app_env, cluster, kill, log, query, wait_until

INVITEES = 1_500
ORGANISATION = "amstelstad"

# Runs inside the platform (``burgerlink shell``): an open wave with INVITEES fresh invitees whose
# addresses carry this run's stamp, the invitation round queued, and an export of that wave's
# responses queued after it. Prints the wave id and the export id.
SETUP = """
import secrets
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from burgerlink.core.exports import services as exports
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import Invitee, InviteeStatus, Wave
now = timezone.now()
wave = (Wave.objects.filter(organisation__slug="{organisation}", sample_erased_at__isnull=True)
        .order_by("-closes_at").first())
Wave.objects.filter(pk=wave.pk).update(opens_at=now - timedelta(days=1),
                                      closes_at=now + timedelta(days=30))
wave.refresh_from_db()
Invitee.objects.bulk_create([
    Invitee(wave=wave, organisation=wave.organisation, email=f"{stamp}-{{n}}@fault.example",
            status=InviteeStatus.PENDING,
            language="nl", token=secrets.token_hex(16))
    for n in range({invitees})
], batch_size=500)
with transaction.atomic():
    services.queue_invitations(wave=wave, base_url="https://127.0.0.1/", by=None)
export = exports.request_export(organisation=wave.organisation, kind="surveys.responses",
                                subject=str(wave.pk), file_format="csv", by=None, params={{}})
print("IDS", wave.pk, export.pk)
"""


def shell(code: str) -> str:
    """Run ``code`` in ``burgerlink shell`` with the app servers' environment; return stdout."""
    done = subprocess.run(  # noqa: S603 - our own command
        [BL, "shell", "-c", code],
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"setup failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def mails_to(stamp: str) -> Counter[str]:
    """Messages per recipient of this run in the file-based outbox of the workers."""
    counts: Counter[str] = Counter()
    for path in (VAR / "mail").glob("*.log"):
        for chunk in path.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if stamp not in chunk:
                continue
            message = email.message_from_string(chunk.strip())
            recipient = str(message.get("To", ""))
            if recipient.startswith(stamp):
                counts[recipient] += 1
    return counts


def worker_pid_running(task_path: str) -> int | None:
    """The pid of the worker whose heartbeat names the worker running a task of ``task_path``."""
    pid = query(
        "SELECT h.pid FROM django_tasks_database_dbtaskresult t JOIN core_workerheartbeat h "
        "ON h.worker_id = t.worker_ids ->> -1 "
        "WHERE t.status = 'RUNNING' AND t.task_path = %s ORDER BY t.started_at DESC LIMIT 1",
        [task_path],
    )
    return int(pid) if pid else None


def claims(stamp_wave: int) -> int:
    """Invitations of the wave claimed so far."""
    return int(
        query(
            "SELECT count(*) FROM core_mailclaim c JOIN surveys_invitee i "
            "ON c.key = 'surveys.invitation:' || i.id || ':0' WHERE i.wave_id = %s",
            [stamp_wave],
        )
    )


def main() -> None:
    """Kill the worker that sends the round, then the one that writes the export; check both."""
    report = Report("worker killed during a mail round and an export")
    cluster("start")
    stamp = f"w{int(time.time())}"
    out = shell(SETUP.format(organisation=ORGANISATION, stamp=stamp, invitees=INVITEES))
    wave_id, export_id = (int(part) for part in out.split("IDS", 1)[1].split())
    report.rows_expected = INVITEES
    report.requests_sent = 2

    invitations = "burgerlink.surveys.fieldwork.tasks.send_invitations"
    wait_until("the round to have sent 100 invitations", lambda: claims(wave_id) >= 100, 120)
    victim = worker_pid_running(invitations)
    report.check(victim is not None, "no worker was running the mail round")
    if victim is not None:
        log(f"killing the worker (pid {victim}) after {claims(wave_id)} claimed invitations")
        kill(victim)
        report.errors_seen += 1

    def round_done() -> bool:
        pending = query(
            "SELECT count(*) FROM surveys_invitee WHERE wave_id = %s AND status = 'pending'",
            [wave_id],
        )
        return int(pending) == 0

    took = wait_until("the round to be finished by the other worker", round_done, 300)
    report.notes["round finished after the kill"] = f"{took:.1f} s"

    export_status = query("SELECT status FROM core_export WHERE id = %s", [export_id])
    report.notes["export"] = "finished before a kill could reach it"
    if export_status in ("queued", "running"):
        wait_until(
            "the export to run",
            lambda: query("SELECT status FROM core_export WHERE id = %s", [export_id]) != "queued",
            120,
        )
        exporter = worker_pid_running("burgerlink.core.exports.tasks.run_export")
        if exporter is not None:
            log(f"killing the worker (pid {exporter}) writing the export")
            kill(exporter)
            report.errors_seen += 1
            report.notes["export"] = "worker killed while writing"
        cluster("start")  # the killed workers come back, as a supervisor would bring them
    wait_until(
        "the export to finish",
        lambda: (
            query("SELECT status FROM core_export WHERE id = %s", [export_id]) in ("done", "failed")
        ),
        300,
    )
    final = query("SELECT status FROM core_export WHERE id = %s", [export_id])
    report.check(final == "done", f"export ended {final}")
    rows = query("SELECT rows_done FROM core_export WHERE id = %s", [export_id])
    total = query("SELECT rows_total FROM core_export WHERE id = %s", [export_id])
    report.notes["export rows"] = f"{rows} of {total}"
    report.check(rows == total, "export incomplete")
    name = query("SELECT file FROM core_export WHERE id = %s", [export_id])
    stored = Path(app_env()["BURGERLINK_DATA_DIR"]) / "media" / str(name)
    if stored.exists():
        lines = len(stored.read_text(encoding="utf-8-sig").splitlines())
        report.notes["export file lines"] = lines

    counts = mails_to(stamp)
    twice = sum(1 for n in counts.values() if n > 1)
    unconfirmed = int(
        query(
            "SELECT count(*) FROM core_mailclaim c JOIN surveys_invitee i "
            "ON c.key = 'surveys.invitation:' || i.id || ':0' "
            "WHERE i.wave_id = %s AND c.sent_at IS NULL",
            [wave_id],
        )
    )
    report.rows_found = len(counts)
    report.notes["invitations sent twice"] = twice
    report.notes["unconfirmed"] = unconfirmed
    report.check(twice == 0, f"{twice} invitees got the invitation twice")
    report.check(
        len(counts) + unconfirmed >= INVITEES,
        f"{INVITEES - len(counts)} invitees got nothing, {unconfirmed} unconfirmed",
    )
    report.check(unconfirmed <= 1, f"{unconfirmed} messages in doubt (at most the one in flight)")
    report.finish()


if __name__ == "__main__":
    main()
