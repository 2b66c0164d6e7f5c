"""``burgerlink demo``: (re)load the demo world and print the demo logins."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from burgerlink.core.demo import demo_logins, load_demo_world


class Command(BaseCommand):
    """Load the demo world (idempotent: a second run changes nothing) and list the logins."""

    help = (
        "Laad de demowereld: zes organisaties, medewerkers voor elke rol, kalenders, "
        "zelfevaluaties en de demogegevens van elke module. Nogmaals draaien verandert niets. "
        "Toont daarna de demo-logins."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Options: only print the logins."""
        parser.add_argument(
            "--logins-only", action="store_true", help="Alleen de demo-logins tonen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the world unless asked only for the logins, then print the logins."""
        if not options["logins_only"]:
            load_demo_world(write=lambda line: self.stdout.write(line))
        self.stdout.write("")
        self.stdout.write(f"Demo-logins (wachtwoord voor allemaal: {settings.DEMO_PASSWORD}):")
        for username, organisation, roles in demo_logins():
            self.stdout.write(f"  {username:<22} {organisation:<28} {roles}")
