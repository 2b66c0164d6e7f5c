"""Rows that keep a deployment running: worker heartbeats, scheduled runs, task origins."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A ``burgerlink db_worker`` process that says it is alive; readiness asks for a recent one."""

    worker_id = models.CharField(
        _("worker"),
        max_length=64,
        unique=True,
        help_text=_("Het id van het proces in de wachtrij."),
    )
    hostname = models.CharField(
        _("machine"), max_length=255, help_text=_("De machine waarop het proces draait.")
    )
    pid = models.PositiveIntegerField(_("proces-id"), help_text=_("Proces-id op die machine."))
    queues = models.CharField(
        _("wachtrijen"), max_length=200, help_text=_("De wachtrijen die het proces afhandelt.")
    )
    started_at = models.DateTimeField(_("gestart"), help_text=_("Wanneer het proces begon."))
    seen_at = models.DateTimeField(
        _("laatst gezien"), db_index=True, help_text=_("De laatste hartslag van het proces.")
    )

    class Meta:
        verbose_name = _("hartslag van een worker")
        verbose_name_plural = _("hartslagen van workers")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduledRun(models.Model):
    """One scheduled job in one time slot: the unique key lets only one scheduler enqueue it."""

    job = models.CharField(_("taak"), max_length=80, help_text=_("Code van de geplande taak."))
    slot = models.DateTimeField(_("moment"), help_text=_("Het begin van het tijdvak van de taak."))
    scheduler = models.CharField(
        _("planner"),
        max_length=300,
        help_text=_("Machine en proces van de planner die hem plaatste."),
    )
    enqueued_at = models.DateTimeField(
        _("geplaatst"), auto_now_add=True, help_text=_("Wanneer de taak werd geplaatst.")
    )

    class Meta:
        verbose_name = _("geplande uitvoering")
        verbose_name_plural = _("geplande uitvoeringen")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"


class TaskOrigin(models.Model):
    """The request during which a background task was queued, so its log lines share the id."""

    task_id = models.CharField(
        _("taak"),
        max_length=64,
        primary_key=True,
        help_text=_("Het id van de taak in de wachtrij."),
    )
    request_id = models.CharField(
        _("verzoek-id"), max_length=64, help_text=_("Het id van het verzoek dat de taak plaatste.")
    )
    created_at = models.DateTimeField(
        _("aangemaakt"),
        auto_now_add=True,
        db_index=True,
        help_text=_("Wanneer de taak werd geplaatst."),
    )

    class Meta:
        verbose_name = _("herkomst van een taak")
        verbose_name_plural = _("herkomst van taken")

    def __str__(self) -> str:
        return f"{self.task_id} <- {self.request_id}"


class MailClaim(models.Model):
    """One message of a mail round, claimed before it is sent: a message is never sent twice.

    The claim is committed before the mail server is asked, so a worker killed between the two
    leaves a claim without ``sent_at``: that message counts as unconfirmed and is not sent again
    (at most once, never twice). Keys name the round and the recipient's row, never an address.
    """

    key = models.CharField(
        _("sleutel"),
        max_length=200,
        unique=True,
        help_text=_("Het bericht: soort ronde en rij van de ontvanger (nooit een adres)."),
    )
    claim = models.UUIDField(_("claim"), help_text=_("De verzendronde die het bericht opeiste."))
    claimed_at = models.DateTimeField(
        _("opgeëist"), db_index=True, help_text=_("Wanneer de ronde het bericht opeiste.")
    )
    sent_at = models.DateTimeField(
        _("verzonden"),
        null=True,
        blank=True,
        help_text=_("Wanneer de mailserver het bericht aannam; leeg: niet bevestigd."),
    )

    class Meta:
        verbose_name = _("opgeëist bericht")
        verbose_name_plural = _("opgeëiste berichten")
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        return self.key
