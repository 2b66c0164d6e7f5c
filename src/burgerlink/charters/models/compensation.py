"""Compensation for broken promises: the ledger, and citizens' claims with minimal personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.core.calendar import TermUnit


class EntryStatus(models.TextChoices):
    """Where a compensation stands."""

    OWED = "owed", _("verschuldigd")
    OFFERED = "offered", _("aangeboden")
    PAID = "paid", _("betaald of gegeven")
    DECLINED = "declined", _("afgewezen")


class LatenessUnit(models.TextChoices):
    """The unit a norm's lateness is read in; the day units are ``core.calendar.TermUnit``'s."""

    SECONDS = "seconds", _("seconden")
    MINUTES = "minutes", _("minuten")
    WORKING_DAYS = TermUnit.WORKING_DAYS.value, _("werkdagen")
    CALENDAR_DAYS = TermUnit.CALENDAR_DAYS.value, _("kalenderdagen")
    WEEKS = TermUnit.WEEKS.value, _("weken")


class CompensationEntry(models.Model):
    """A missed promise whose charter norm promises compensation, and what became of it."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie die de belofte deed."),
    )
    norm = models.ForeignKey(
        "charters.CharterNorm",
        verbose_name=_("norm"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("De norm uit het handvest die niet werd gehaald."),
    )
    record_kind = models.CharField(
        _("soort"),
        max_length=8,
        choices=[("contact", _("klantcontact")), ("case", _("zaak"))],
        help_text=_("Klantcontact of zaak."),
    )
    source_id = models.CharField(
        _("kenmerk"), max_length=64, help_text=_("Het kenmerk van het contact of de zaak.")
    )
    received_at = models.DateTimeField(
        _("ontvangen"),
        null=True,
        blank=True,
        help_text=_("Wanneer het contact of de zaak binnenkwam (leeg bij oude registraties)."),
    )
    deadline = models.DateTimeField(
        _("uiterste moment"),
        null=True,
        blank=True,
        help_text=_("Het moment waarop de belofte verliep."),
    )
    lateness_seconds = models.BigIntegerField(
        _("te laat (seconden)"), help_text=_("Tijd tussen het uiterste moment en de afhandeling.")
    )
    lateness = models.PositiveIntegerField(
        _("te laat"),
        default=0,
        help_text=_("In de eenheid van de norm; elke begonnen eenheid telt."),
    )
    lateness_unit = models.CharField(
        _("eenheid"),
        max_length=16,
        choices=LatenessUnit.choices,
        default=LatenessUnit.CALENDAR_DAYS,
        help_text=_("De eenheid van de norm: seconden, minuten, werkdagen, kalenderdagen, weken."),
    )
    amount = models.DecimalField(
        _("bedrag (euro)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leeg bij compensatie die geen geld is."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EntryStatus.choices,
        default=EntryStatus.OWED,
        help_text=_("Verschuldigd, aangeboden, betaald of gegeven, of afgewezen."),
    )
    decline_reason = models.TextField(
        _("reden van afwijzing"), blank=True, help_text=_("Alleen bij afgewezen.")
    )
    created_at = models.DateTimeField(
        _("geregistreerd"),
        auto_now_add=True,
        help_text=_("Wanneer de gemiste belofte in het register kwam."),
    )
    updated_at = models.DateTimeField(
        _("bijgewerkt"), auto_now=True, help_text=_("Laatste wijziging.")
    )

    class Meta:
        verbose_name = _("compensatie")
        verbose_name_plural = _("compensaties")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_kind", "source_id"], name="compensation_record"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "received_at"], name="compensation_received"),
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
        help_text=_("De organisatie bij wie de claim is ingediend."),
    )
    entry = models.ForeignKey(
        CompensationEntry,
        verbose_name=_("compensatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text=_("De gemiste belofte in het compensatieregister."),
    )
    reference = models.CharField(
        _("kenmerk"), max_length=64, help_text=_("Het kenmerk zoals het in het register staat.")
    )
    email = models.EmailField(
        _("e-mailadres"), blank=True, help_text=_("Voor de uitkomst; gewist na de bewaartermijn.")
    )
    name = models.CharField(
        _("naam"),
        max_length=150,
        blank=True,
        help_text=_("Niet verplicht; gewist na de bewaartermijn."),
    )
    iban = models.CharField(
        _("IBAN"),
        max_length=34,
        blank=True,
        help_text=_("Alleen bij compensatie in geld; gewist na de bewaartermijn."),
    )
    message = models.TextField(
        _("toelichting"), blank=True, help_text=_("Van de burger; gewist na de bewaartermijn.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ClaimStatus.choices,
        default=ClaimStatus.RECEIVED,
        help_text=_("Ontvangen, toegekend of afgewezen."),
    )
    decision_note = models.TextField(
        _("toelichting op het besluit"), blank=True, help_text=_("De burger leest dit.")
    )
    public_token = models.CharField(
        _("volgcode"),
        max_length=32,
        unique=True,
        help_text=_("Geheime code in de link naar de statuspagina."),
    )
    created_at = models.DateTimeField(
        _("ingediend"), auto_now_add=True, help_text=_("Wanneer de claim binnenkwam.")
    )
    decided_at = models.DateTimeField(
        _("besloten"), null=True, blank=True, help_text=_("Wanneer de claim werd beslist.")
    )
    language = models.CharField(
        _("taal"),
        max_length=2,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
        help_text=_("De taal van het claimformulier; e-mails aan de burger gaan in deze taal."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De medewerker die besliste."),
    )
    purge_after = models.DateField(
        _("persoonsgegevens wissen na"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Na deze dag worden naam, e-mailadres, IBAN en toelichting gewist."),
    )
    purged_at = models.DateTimeField(
        _("persoonsgegevens gewist"),
        null=True,
        blank=True,
        help_text=_("Wanneer de persoonsgegevens werden gewist."),
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"


class CodeOrigin(models.TextChoices):
    """Who chose the reference a claim code belongs to."""

    PLATFORM = "platform", _("kenmerk uitgegeven door het platform")
    ORGANISATION = "organisation", _("kenmerk van de organisatie")


class ClaimCode(models.Model):
    """The claim code for one reference: the second fact a citizen gives when claiming.

    The organisation prints the code with the reference on its receipt, letter or e-mail. Only a
    keyed hash is stored (``compensation.codes.code_digest``); issuing a new code for the same
    reference replaces the old one.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie die de code uitgaf."),
    )
    reference = models.CharField(
        _("kenmerk"), max_length=64, help_text=_("Het kenmerk van het contact of de zaak.")
    )
    code_hash = models.CharField(
        _("hash van de claimcode"),
        max_length=64,
        help_text=_("Gesleutelde hash; de code zelf wordt nergens bewaard."),
    )
    origin = models.CharField(
        _("herkomst van het kenmerk"),
        max_length=12,
        choices=CodeOrigin.choices,
        default=CodeOrigin.ORGANISATION,
        help_text=_("Uitgegeven door het platform of van het eigen systeem van de organisatie."),
    )
    issued_at = models.DateTimeField(
        _("uitgegeven"), auto_now=True, help_text=_("Wanneer de geldende code werd uitgegeven.")
    )

    class Meta:
        verbose_name = _("claimcode")
        verbose_name_plural = _("claimcodes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="claimcode_reference"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class ClaimAttempt(models.Model):
    """One use of the public claim form, kept for an hour to limit guessing.

    Holds keyed hashes only: of the client's address and of the reference tried.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie van het formulier."),
    )
    client = models.CharField(
        _("client"), max_length=64, help_text=_("Gesleutelde hash van het IP-adres.")
    )
    reference = models.CharField(
        _("kenmerk (hash)"),
        max_length=64,
        blank=True,
        help_text=_("Gesleutelde hash van het geprobeerde kenmerk; leeg zonder kenmerk."),
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, help_text=_("Wanneer."))

    class Meta:
        verbose_name = _("claimpoging")
        verbose_name_plural = _("claimpogingen")
        indexes = [
            models.Index(fields=["client", "at"], name="claimattempt_client"),
            models.Index(fields=["organisation", "reference", "at"], name="claimattempt_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.client[:8]} {self.at:%Y-%m-%d %H:%M}"


class BulkAction(models.Model):
    """One confirmed bulk change of the register: what, by whom, and which entries changed.

    Its ``key`` comes from the confirmation form, so sending the same confirmation twice
    changes nothing the second time.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie van het register."),
    )
    key = models.UUIDField(
        _("sleutel"), unique=True, help_text=_("Uit het bevestigingsformulier; één keer bruikbaar.")
    )
    status = models.CharField(
        _("nieuwe status"),
        max_length=10,
        choices=EntryStatus.choices,
        help_text=_("De status die de compensaties kregen."),
    )
    reason = models.TextField(_("reden"), blank=True, help_text=_("Bij afwijzen: de reden."))
    changed = models.PositiveIntegerField(
        _("gewijzigd"), default=0, help_text=_("Aantal compensaties dat veranderde.")
    )
    entry_ids = models.JSONField(
        _("compensaties"), default=list, help_text=_("De ids van de gewijzigde compensaties.")
    )
    description = models.CharField(
        _("omschrijving"), max_length=500, blank=True, help_text=_("Welke selectie of welk filter.")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De medewerker die bevestigde."),
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, help_text=_("Wanneer."))

    class Meta:
        verbose_name = _("bulkactie in het compensatieregister")
        verbose_name_plural = _("bulkacties in het compensatieregister")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.changed}"
