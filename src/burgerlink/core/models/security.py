"""Security records: audit log, organisation API tokens and failed-login counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.core.audit import action_label


class AuditEvent(models.Model):
    """A staff action worth answering for later: who did what, to what, when."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
        help_text=_("De organisatie waarin het gebeurde; leeg bij platformbeheer."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Wie het deed; leeg bij het systeem of een API-sleutel."),
    )
    actor_label = models.CharField(
        _("door (tekst)"), max_length=150, blank=True, help_text=_("Gebruikersnaam of tokennaam.")
    )
    action = models.CharField(
        _("handeling"),
        max_length=80,
        db_index=True,
        help_text=_("Wat er gebeurde, als vaste code (bijvoorbeeld charter.publish)."),
    )
    object_type = models.CharField(
        _("soort object"),
        max_length=80,
        blank=True,
        help_text=_("Soort van het object waar het om ging."),
    )
    object_id = models.CharField(
        _("object"),
        max_length=80,
        blank=True,
        help_text=_("Kenmerk van het object waar het om ging."),
    )
    summary = models.CharField(
        _("omschrijving"), max_length=500, blank=True, help_text=_("Korte beschrijving in woorden.")
    )
    at = models.DateTimeField(
        _("tijdstip"), auto_now_add=True, db_index=True, help_text=_("Moment waarop het gebeurde.")
    )

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def action_label(self) -> str:
        """What the action is called, in the active language (the code when it has no label)."""
        return action_label(self.action)


class ApiToken(models.Model):
    """A secret with which an organisation's system pushes data; only a hash is stored."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_(
            "De organisatie namens wie de sleutel gegevens aanlevert; de sleutel opent alleen deze organisatie."
        ),
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Bijvoorbeeld: zaaksysteem."))
    prefix = models.CharField(
        _("begin van de sleutel"),
        max_length=12,
        unique=True,
        help_text=_("Om de sleutel te herkennen."),
    )
    key_hash = models.CharField(
        _("hash van de sleutel"),
        max_length=64,
        help_text=_("SHA-256 van de sleutel; de sleutel zelf wordt nergens bewaard."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
        help_text=_("De medewerker die de sleutel maakte."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"), auto_now_add=True, help_text=_("Moment waarop de sleutel is gemaakt.")
    )
    last_used_at = models.DateTimeField(
        _("laatst gebruikt"),
        null=True,
        blank=True,
        help_text=_("Moment van het laatste verzoek met deze sleutel."),
    )
    revoked_at = models.DateTimeField(
        _("ingetrokken"),
        null=True,
        blank=True,
        help_text=_("Moment van intrekken; een ingetrokken sleutel werkt niet meer."),
    )

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """A token works until it is revoked."""
        return self.revoked_at is None


class LoginFailure(models.Model):
    """A failed login, kept briefly to slow down password guessing."""

    username = models.CharField(
        _("gebruikersnaam"),
        max_length=150,
        db_index=True,
        help_text=_(
            "De gebruikersnaam waarmee het mislukte, in de vorm waarin aanmelden hem opzoekt."
        ),
    )
    client = models.CharField(
        _("client"), max_length=64, db_index=True, help_text=_("Hash van het IP-adres.")
    )
    at = models.DateTimeField(
        _("tijdstip"),
        auto_now_add=True,
        db_index=True,
        help_text=_("Moment van de mislukte aanmelding."),
    )

    class Meta:
        verbose_name = _("mislukte aanmelding")
        verbose_name_plural = _("mislukte aanmeldingen")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
