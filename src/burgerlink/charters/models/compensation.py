"""Compensation for broken promises: the ledger, and citizens' claims with minimal personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    """Where a compensation stands."""

    OWED = "owed", _("verschuldigd")
    OFFERED = "offered", _("aangeboden")
    PAID = "paid", _("betaald of gegeven")
    DECLINED = "declined", _("afgewezen")


class CompensationEntry(models.Model):
    """A missed promise whose charter norm promises compensation, and what became of it."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    norm = models.ForeignKey(
        "charters.CharterNorm", verbose_name=_("norm"), on_delete=models.PROTECT, related_name="+"
    )
    record_kind = models.CharField(
        _("soort"), max_length=8, choices=[("contact", _("klantcontact")), ("case", _("zaak"))]
    )
    source_id = models.CharField(_("kenmerk"), max_length=64)
    lateness_seconds = models.BigIntegerField(_("te laat (seconden)"))
    amount = models.DecimalField(
        _("bedrag (euro)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.OWED
    )
    created_at = models.DateTimeField(_("geregistreerd"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("compensatie")
        verbose_name_plural = _("compensaties")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_kind", "source_id"], name="compensation_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.get_status_display()}"


class ClaimStatus(models.TextChoices):
    """A claim is received, then granted or rejected by staff."""

    RECEIVED = "received", _("ontvangen")
    GRANTED = "granted", _("toegekend")
    REJECTED = "rejected", _("afgewezen")


class Claim(models.Model):
    """A citizen's request for compensation, made with a reference and no account.

    Holds only what handling needs: the reference, a way to reach the citizen and optionally a
    bank account; ``purge_after`` says when those personal fields are erased.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    entry = models.ForeignKey(
        CompensationEntry,
        verbose_name=_("compensatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )
    reference = models.CharField(_("kenmerk"), max_length=64)
    email = models.EmailField(_("e-mailadres"), blank=True)
    name = models.CharField(_("naam"), max_length=150, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    message = models.TextField(_("toelichting"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.RECEIVED
    )
    decision_note = models.TextField(_("toelichting op het besluit"), blank=True)
    language = models.CharField(
        _("taal"),
        max_length=2,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
        help_text=_("De taal van het claimformulier; e-mails aan de burger gaan in deze taal."),
    )
    public_token = models.CharField(_("volgcode"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("ingediend"), auto_now_add=True)
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purge_after = models.DateField(
        _("persoonsgegevens wissen na"), null=True, blank=True, db_index=True
    )
    purged_at = models.DateTimeField(_("persoonsgegevens gewist"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"
