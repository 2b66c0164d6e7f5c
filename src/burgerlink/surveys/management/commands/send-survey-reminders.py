# ruff: noqa: N999 - the command name has hyphens, like the other burgerlink commands
"""``burgerlink send-survey-reminders``: queue the due reminders of every open wave (for cron)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from burgerlink.core.tasks import enqueue_after_commit
from burgerlink.surveys.fieldwork import tasks
from burgerlink.surveys.fieldwork.links import site_url
from burgerlink.surveys.models import Wave


class Command(BaseCommand):
    """Put a reminder task in the queue for every open wave; the worker sends what is due."""

    help = (
        "Zet voor elke lopende meting een taak in de wachtrij die de herinneringen verstuurt "
        "die aan de beurt zijn: alleen aan genodigden die nog niet klaar zijn, en nooit twee "
        "keer dezelfde herinnering. Draai dit dagelijks (cron); `burgerlink db_worker` "
        "verstuurt de e-mails."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Option: the site's address for the personal links."""
        parser.add_argument(
            "--site-url",
            default="",
            help="Adres van de site voor de persoonlijke links, zoals https://burgerlink.example/ "
            "(standaard: de instelling SITE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Queue one reminder task per open wave."""
        now = timezone.now()
        base_url = site_url(options["site_url"])
        waves = Wave.objects.filter(
            opens_at__lte=now, closes_at__gt=now, sample_erased_at__isnull=True
        ).order_by("pk")
        count = 0
        for wave_id, reminder_days in waves.values_list("pk", "reminder_days"):
            if not reminder_days:
                continue
            enqueue_after_commit(tasks.send_reminders, wave_id, base_url)
            count += 1
        self.stdout.write(f"Herinneringen in de wachtrij gezet voor {count} lopende meting(en).")
