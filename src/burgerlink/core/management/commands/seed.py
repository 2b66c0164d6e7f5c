"""``burgerlink seed``: add missing reference data (code, catalogues, decree days)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from burgerlink.core.seed import seed_all


class Command(BaseCommand):
    """Top up the reference data without overwriting operator edits."""

    help = (
        "Vul ontbrekende referentiegegevens aan: de BurgerServiceCode, levensgebeurtenissen "
        "met hun ketens, kanalen en de bij besluit gelijkgestelde dagen (Atw art. 3 lid 3). "
        "Bestaande gegevens blijven ongemoeid."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Seed every kind of reference data in one transaction."""
        with transaction.atomic():
            seed_all(apps)
        self.stdout.write(self.style.SUCCESS("Referentiegegevens zijn bijgewerkt."))
