"""``burgerlink purge-exports``: erase the files of exports whose download period has ended."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from burgerlink.core.exports.services import purge_expired_exports


class Command(BaseCommand):
    """Delete expired export files; the export records stay (who exported what, and when)."""

    help = (
        "Wis de bestanden van exports waarvan de downloadtermijn voorbij is "
        "(EXPORT_RETENTION_DAYS dagen nadat ze klaar waren). Wie wat exporteerde blijft "
        "bewaard. Draai dit dagelijks; nogmaals draaien verandert niets."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Purge and report how many files were erased."""
        purged = purge_expired_exports()
        self.stdout.write(
            f"{purged} exportbestand(en) gewist "
            f"(downloadtermijn: {settings.EXPORT_RETENTION_DAYS} dagen)."
        )
