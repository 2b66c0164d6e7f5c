"""``burgerlink serve``: the platform under a production server (granian, WSGI)."""

from __future__ import annotations

import os
import shutil
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from burgerlink.core import health


def available_cpus() -> int:
    """CPUs this process may use (respects a container's or taskset's limit)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def default_workers() -> int:
    """Worker processes when neither ``--workers`` nor ``SERVE_WORKERS`` says: one per CPU."""
    return available_cpus()


def server_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The granian command line that serves the WSGI application."""
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
    return [
        granian,
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        # Each worker loads the application itself: a broken worker is replaced alone.
        "--workers-kill-timeout",
        "30",
        "burgerlink.wsgi:application",
    ]


def clear_dead_metrics(directory: Path) -> bool:
    """Empty the metrics directory when no live process still writes to it; return whether."""
    live = False
    for path in directory.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and _alive(int(pid)):
            live = True
            break
    if live:
        return False
    for path in directory.glob("*.db"):
        path.unlink(missing_ok=True)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Command(BaseCommand):
    """Check the deployment, then replace this process with granian serving the platform."""

    help = (
        "Serveer het platform in productie met granian (WSGI): één worker per CPU (of "
        "--workers / SERVE_WORKERS), elk met --threads threads (SERVE_THREADS, standaard 4). "
        "Controleert eerst dat de statische bestanden verzameld zijn (`burgerlink collectstatic "
        "--noinput`, onderdeel van elke uitrol) en meldt migraties die nog niet gedraaid zijn. "
        "Statische bestanden krijgen gehashte namen en een jaar cache (whitenoise, gzip en "
        "brotli); pagina's worden met gzip gecomprimeerd. /gezond/live en /gezond/klaar zijn "
        "voor de load balancer, /metrics voor Prometheus (met METRICS_TOKEN)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Options: where to listen, how many workers and threads, and a dry run."""
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST", "127.0.0.1"),
            help="Adres om op te luisteren (standaard: HOST of 127.0.0.1; 0.0.0.0 voor alle "
            "netwerkkaarten, achter een load balancer).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="Poort (standaard: PORT of 8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Aantal workerprocessen (standaard: SERVE_WORKERS, anders één per CPU: "
            f"{default_workers()} op deze machine).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Threads per worker voor verzoeken die op de database wachten (standaard: "
            "SERVE_THREADS of 4).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Doe de controles en toon de opdracht voor de server, maar start hem niet.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Check static files and migrations, prepare metrics, then exec granian."""
        port = options["port"] if options["port"] is not None else settings.SERVE_PORT
        workers = options["workers"] or settings.SERVE_WORKERS or default_workers()
        threads = options["threads"] or settings.SERVE_THREADS
        if not 0 < port < 65536:
            raise CommandError(f"--port moet tussen 1 en 65535 liggen, niet {port}.")
        if workers < 1 or threads < 1:
            raise CommandError("--workers en --threads moeten minstens 1 zijn.")
        self._check_static_files()
        missing = health.unapplied_migrations()
        if missing:
            self.stderr.write(
                f"Let op: {len(missing)} migratie(s) nog niet gedraaid (eerst `burgerlink "
                "migrate`); /gezond/klaar meldt 503 tot ze gedraaid zijn."
            )
        metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if metrics_dir:
            Path(metrics_dir).mkdir(parents=True, exist_ok=True)
            clear_dead_metrics(Path(metrics_dir))
        command = server_command(host=options["host"], port=port, workers=workers, threads=threads)
        self.stdout.write(
            f"Burgerlink op http://{options['host']}:{port}/ met granian: {workers} worker(s) "
            f"x {threads} thread(s)."
        )
        if options["dry_run"]:
            self.stdout.write(" ".join(command))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)  # noqa: S606 - our own command line, no shell

    def _check_static_files(self) -> None:
        storage = settings.STORAGES["staticfiles"]["BACKEND"]
        if "Manifest" not in storage and not storage.endswith("StaticStorage"):
            return  # development storage: the finders serve the files
        manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
        if not manifest.is_file():
            raise CommandError(
                f"De statische bestanden zijn niet verzameld ({manifest} ontbreekt): draai eerst "
                "`burgerlink collectstatic --noinput` (hoort bij elke uitrol)."
            )
