"""``burgerlink purge-claims``: erase the personal data of claims whose retention has ended."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from burgerlink.charters.compensation.services import purge_expired_claims, retention_days


class Command(BaseCommand):
    """Blank name, e-mail address, IBAN and message of expired claims; run it daily."""

    help = (
        "Wis de persoonsgegevens (naam, e-mailadres, IBAN, toelichting) van claims waarvan de "
        "bewaartermijn voorbij is: CLAIM_RETENTION_DAYS dagen na het besluit, of twee jaar na "
        "indienen als er nog geen besluit is. Draai dit dagelijks; nogmaals draaien verandert "
        "niets."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Option: pretend that today is another day (to catch up, or to test)."""
        parser.add_argument(
            "--datum",
            dest="today",
            metavar="JJJJ-MM-DD",
            help="Doe alsof het vandaag deze datum is (standaard: vandaag).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Purge and report how many claims were erased."""
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    f"Ongeldige datum: {options['today']} (gebruik JJJJ-MM-DD)."
                ) from error
        purged = purge_expired_claims(today)
        self.stdout.write(
            f"Persoonsgegevens van {purged} claim(s) gewist "
            f"(bewaartermijn na besluit: {retention_days()} dagen)."
        )
