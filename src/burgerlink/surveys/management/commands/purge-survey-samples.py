# ruff: noqa: N999 - the command name has hyphens, like the other burgerlink commands
"""``burgerlink purge-survey-samples``: erase the samples of waves past their retention period."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from burgerlink.surveys.fieldwork.services import purge_expired_samples


class Command(BaseCommand):
    """Blank addresses, background variables and tokens of expired samples; run it daily."""

    help = (
        "Wis de steekproef (e-mailadressen, postadressen, achtergrondkenmerken; de "
        "toegangscodes worden onbruikbaar) van metingen die langer dan hun bewaartermijn "
        "gesloten zijn. De statussen blijven, voor het responspercentage. Draai dit dagelijks; "
        "nogmaals draaien verandert niets."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Option: pretend that now is another moment (to catch up, or to test)."""
        parser.add_argument(
            "--datum",
            dest="moment",
            metavar="JJJJ-MM-DD",
            help="Doe alsof het nu het begin van deze dag is (standaard: nu).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Purge and report how many waves were erased."""
        now = None
        if options["moment"]:
            try:
                day = datetime.strptime(options["moment"], "%Y-%m-%d")  # noqa: DTZ007 - made aware below
            except ValueError as error:
                raise CommandError(
                    f"Ongeldige datum: {options['moment']} (gebruik JJJJ-MM-DD)."
                ) from error
            now = timezone.make_aware(day)
        erased = purge_expired_samples(now)
        self.stdout.write(f"Steekproef van {erased} meting(en) gewist.")
