"""``burgerlink scheduler``: queue the scheduled jobs (retention purges, reminders, re-measuring)."""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from burgerlink.core import schedule


class Command(BaseCommand):
    """Queue each registered job once per slot; safe to run on several machines at once."""

    help = (
        "De planner: zet de geplande taken (bewaartermijnen, herinneringen, hermeten) op tijd in "
        "de wachtrij; `burgerlink db_worker` voert ze uit. Elke taak komt per tijdvak precies "
        "één keer in de wachtrij, ook als er meerdere planners draaien (voor beschikbaarheid "
        "mag dat: één per machine). Zonder opties draait hij tot hij een stopsignaal krijgt."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Options: run once (for cron), the wake-up interval, list the jobs."""
        parser.add_argument(
            "--once",
            action="store_true",
            help="Zet wat nu aan de beurt is in de wachtrij en stop (voor cron of een test).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconden tussen twee rondes (standaard: 30).",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            help="Toon de geplande taken en wanneer ze draaien, en stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """List, run once, or loop until SIGTERM/SIGINT."""
        if options["interval"] <= 0:
            raise CommandError("--interval moet groter dan 0 zijn.")
        if options["list"]:
            now = timezone.now()
            for job in schedule.jobs():
                slot = timezone.localtime(job.slot(now))
                self.stdout.write(
                    f"{job.code:36} {job.when():24} laatste tijdvak {slot:%Y-%m-%d %H:%M}  "
                    f"{job.description}"
                )
            return
        if options["once"]:
            self._round()
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"Planner gestart ({schedule.scheduler_name()}), {len(schedule.jobs())} taken."
        )
        while not stopping.is_set():
            try:
                self._round()
            except DatabaseError as error:
                # The database restarts or fails over: try again next round, do not die.
                self.stderr.write(f"Database niet bereikbaar, volgende ronde opnieuw: {error}")
            stopping.wait(options["interval"])
        self.stdout.write("Planner gestopt.")

    def _round(self) -> None:
        close_old_connections()
        queued = schedule.run_due()
        for code in queued:
            self.stdout.write(f"In de wachtrij: {code}")
        close_old_connections()
