"""Exports made in the background: who asked for what, how far it is, and the file it made.

Any app's export kind (``core.exports.registry``) runs through this one model, so the job, its
progress, the audited download and the expiry work the same way everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    """Life cycle of an export."""

    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class ExportFormat(models.TextChoices):
    """The file formats the export kit writes."""

    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel"
    SAV = "sav", "SPSS"


class Export(models.Model):
    """One requested export: a kind of data, of one subject, in one format, made in the background."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="exports",
        help_text=_("De organisatie van wie de gegevens zijn."),
    )
    kind = models.CharField(
        _("soort export"),
        max_length=60,
        help_text=_(
            "De soort gegevens, zoals een app die heeft aangemeld (bijvoorbeeld "
            "surveys.responses: de antwoorden van een meting)."
        ),
    )
    subject = models.CharField(
        _("onderwerp"),
        max_length=100,
        blank=True,
        help_text=_("Waarvan de export is, in de termen van de soort (bijvoorbeeld de meting)."),
    )
    params = models.JSONField(
        _("keuzes"),
        default=dict,
        blank=True,
        help_text=_("Filters en andere keuzes waarmee de export is aangevraagd."),
    )
    language = models.CharField(
        _("taal"),
        max_length=10,
        default="nl",
        help_text=_("Taal van de labels in het bestand."),
    )
    file_format = models.CharField(
        _("formaat"),
        max_length=5,
        choices=ExportFormat.choices,
        help_text=_("CSV, Excel (.xlsx) of SPSS (.sav)."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
        help_text=_("In de wachtrij, bezig, klaar of mislukt."),
    )
    rows_done = models.PositiveIntegerField(
        _("rijen klaar"), default=0, help_text=_("Hoeveel rijen al in het bestand staan.")
    )
    rows_total = models.PositiveIntegerField(
        _("rijen totaal"), default=0, help_text=_("Hoeveel rijen het bestand krijgt.")
    )
    file = models.FileField(
        _("bestand"),
        upload_to="exports/",
        blank=True,
        max_length=255,
        help_text=_(
            "Het gemaakte bestand in de opslag van het platform (nooit openbaar bereikbaar)."
        ),
    )
    error = models.TextField(
        _("foutmelding"), blank=True, help_text=_("Waarom de export mislukte.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Wie de export aanvroeg (leeg voor het systeem)."),
    )
    created_at = models.DateTimeField(
        _("aangevraagd"), auto_now_add=True, help_text=_("Wanneer de export werd aangevraagd.")
    )
    finished_at = models.DateTimeField(
        _("klaar"), null=True, blank=True, help_text=_("Wanneer het bestand klaar of mislukt was.")
    )
    expires_at = models.DateTimeField(
        _("verloopt"),
        null=True,
        blank=True,
        help_text=_("Daarna kan het bestand niet meer worden gedownload en wordt het gewist."),
    )

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind", "subject"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.file_format} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        """Whether the export is still waiting or being written."""
        return self.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}
