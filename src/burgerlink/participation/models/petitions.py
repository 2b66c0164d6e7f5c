"""Petitions and their signatures (issue 11 §1).

A petition is addressed to one organisation (its council or board). It is checked by a moderator
before anyone sees it (``moderation_state``, from ``core.moderation``), collects signatures until its closing date, and then goes
over the clerk's petition desk (``stage``): received, on the agenda, debated, answered.

Signatures are appends: signing inserts a row, confirming sets that row's ``confirmed_at``. No
signature touches a shared row; the counts shown publicly (``Petition.signature_count`` and
``PetitionPlaceCount``) are recomputed from the rows by one aggregate query, in batches (see
``petitions/counting.py``), so a petition that goes viral does not serialise on a counter.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from burgerlink.core.models import Organisation, User
from burgerlink.core.moderation import ModeratedMixin


class PetitionRules(models.Model):
    """An organisation's rules for petitions: to whom they go, thresholds, how long they run."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="petition_rules",
        verbose_name=_("organisatie"),
        help_text=_("De organisatie waarvoor deze regels gelden."),
    )
    addressed_to = models.CharField(
        _("gericht aan"),
        max_length=200,
        default="de gemeenteraad",
        help_text=_("Het orgaan dat petities ontvangt, zoals 'de gemeenteraad' of 'het bestuur'."),
    )
    initiative_threshold = models.PositiveIntegerField(
        _("drempel burgerinitiatief"),
        default=0,
        help_text=_(
            "Aantal bevestigde handtekeningen waarmee een petitie een burgerinitiatief volgens "
            "de plaatselijke verordening wordt (0: geen)."
        ),
    )
    ordinance = models.CharField(
        _("verordening"),
        max_length=200,
        blank=True,
        help_text=_("De verordening die de drempel voor een burgerinitiatief vastlegt."),
    )
    response_threshold = models.PositiveIntegerField(
        _("drempel reactie"),
        default=0,
        help_text=_(
            "Aantal bevestigde handtekeningen waarbij de organisatie belooft te reageren "
            "(0: op elke petitie)."
        ),
    )
    default_duration_days = models.PositiveIntegerField(
        _("looptijd in dagen"),
        default=90,
        help_text=_("Hoe lang een nieuwe petitie standaard handtekeningen verzamelt."),
    )
    retention_days_after_answer = models.PositiveIntegerField(
        _("bewaartermijn na antwoord in dagen"),
        default=90,
        help_text=_(
            "Zoveel dagen na het antwoord worden de persoonsgegevens van ondertekenaars gewist."
        ),
    )

    class Meta:
        verbose_name = _("petitieregels")
        verbose_name_plural = _("petitieregels")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.addressed_to}"


class Stage(models.TextChoices):
    """Where a published petition stands at the petition desk."""

    COLLECTING = "collecting", _("verzamelt handtekeningen")
    RECEIVED = "received", _("ontvangen")
    ON_AGENDA = "on_agenda", _("geagendeerd")
    DEBATED = "debated", _("besproken")
    ANSWERED = "answered", _("beantwoord")


class Petition(ModeratedMixin):
    """A petition to an organisation, its signatures' counts and the organisation's answer.

    Moderated through ``core.moderation`` (its state, the reason shown to the author, who and
    when): new petitions wait in the organisation's moderation queue.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="petitions",
        verbose_name=_("organisatie"),
        help_text=_("De organisatie aan wie de petitie gericht is."),
    )
    title = models.CharField(_("titel"), max_length=150, help_text=_("Korte titel van de petitie."))
    text = models.TextField(
        _("tekst"), max_length=5000, help_text=_("Wat de indieners vragen en waarom.")
    )
    petitioner_name = models.CharField(
        _("indiener"), max_length=150, help_text=_("Naam van de indiener; wordt getoond.")
    )
    petitioner_email = models.EmailField(
        _("e-mailadres indiener"),
        blank=True,
        help_text=_("Voor berichten over de beoordeling; wordt niet getoond."),
    )
    language = models.CharField(
        _("taal"),
        max_length=8,
        default="nl",
        help_text=_("De taal waarin de indiener het formulier gebruikte, voor e-mails."),
    )
    author_token_hash = models.CharField(
        _("statuscode (hash)"),
        max_length=64,
        unique=True,
        help_text=_("SHA-256 van de code waarmee de indiener de status volgt."),
    )
    stage = models.CharField(
        _("fase"),
        max_length=16,
        choices=Stage.choices,
        default=Stage.COLLECTING,
        help_text=_("Waar de petitie staat bij de griffie."),
    )
    closes_on = models.DateField(
        _("sluitingsdatum"), help_text=_("Tot en met deze dag kan worden getekend.")
    )
    initiative_threshold = models.PositiveIntegerField(
        _("drempel burgerinitiatief"),
        default=0,
        help_text=_("Overgenomen uit de regels van de organisatie bij het indienen (0: geen)."),
    )
    response_threshold = models.PositiveIntegerField(
        _("drempel reactie"),
        default=0,
        help_text=_("Overgenomen uit de regels van de organisatie bij het indienen (0: geen)."),
    )
    agenda_url = models.URLField(
        _("agendapunt"), blank=True, help_text=_("Link naar het agendapunt van de vergadering.")
    )
    decision_url = models.URLField(
        _("besluit"), blank=True, help_text=_("Link naar het besluit over de petitie.")
    )
    answer = models.TextField(
        _("antwoord"), blank=True, help_text=_("Het antwoord van de organisatie; openbaar.")
    )
    answered_at = models.DateTimeField(
        _("beantwoord"), null=True, blank=True, help_text=_("Tijdstip van het antwoord.")
    )
    answer_mailed_at = models.DateTimeField(
        _("antwoord gemaild"),
        null=True,
        blank=True,
        help_text=_("Wanneer het antwoord naar alle bevestigde ondertekenaars is gestuurd."),
    )
    purge_after = models.DateTimeField(
        _("wissen na"),
        null=True,
        blank=True,
        help_text=_("Na dit tijdstip worden de persoonsgegevens van ondertekenaars gewist."),
    )
    purged_at = models.DateTimeField(
        _("gewist"),
        null=True,
        blank=True,
        help_text=_("Wanneer de persoonsgegevens van de ondertekenaars zijn gewist."),
    )
    signature_count = models.PositiveIntegerField(
        _("handtekeningen"),
        default=0,
        help_text=_("Bevestigde handtekeningen bij de laatste telling."),
    )
    counted_at = models.DateTimeField(
        _("geteld"), null=True, blank=True, help_text=_("Tijdstip van de laatste telling.")
    )
    created_at = models.DateTimeField(
        _("ingediend"), auto_now_add=True, help_text=_("Tijdstip van indienen.")
    )
    published_at = models.DateTimeField(
        _("gepubliceerd"), null=True, blank=True, help_text=_("Tijdstip van publicatie.")
    )

    class Meta:
        verbose_name = _("petitie")
        verbose_name_plural = _("petities")
        indexes = [
            models.Index(fields=["organisation", "moderation_state", "stage"], name="petition_desk")
        ]

    def __str__(self) -> str:
        return self.title


class PetitionPlaceCount(models.Model):
    """Confirmed signatures of one petition from one place of residence, at the last count."""

    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        related_name="place_counts",
        verbose_name=_("petitie"),
        help_text=_("De getelde petitie."),
    )
    place = models.CharField(
        _("woonplaats"), max_length=100, help_text=_("Woonplaats zoals ondertekenaars die gaven.")
    )
    count = models.PositiveIntegerField(
        _("aantal"), help_text=_("Bevestigde handtekeningen uit deze woonplaats.")
    )

    class Meta:
        verbose_name = _("telling per woonplaats")
        verbose_name_plural = _("tellingen per woonplaats")
        constraints = [
            models.UniqueConstraint(fields=["petition", "place"], name="petition_place_once")
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.count}"


class Signature(models.Model):
    """One person's signature: unconfirmed until the link in the e-mail is followed and confirmed.

    ``email_key`` is the address as mail providers read it (``petitions/addresses.py``); one
    petition holds each key once. After the answer, the personal fields are blanked and only the
    place and the moment stay, so the counts stay exact.
    """

    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("petitie"),
        help_text=_("De ondertekende petitie."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
        help_text=_("De organisatie van de petitie (voor afscherming per organisatie)."),
    )
    name = models.CharField(_("naam"), max_length=150, help_text=_("Naam van de ondertekenaar."))
    show_name = models.BooleanField(
        _("naam tonen"),
        default=False,
        help_text=_("Of de naam bij de petitie getoond mag worden (anders: anoniem)."),
    )
    email = models.CharField(
        _("e-mailadres"),
        max_length=254,
        help_text=_("Het e-mailadres zoals opgegeven, voor de bevestiging en het antwoord."),
    )
    email_key = models.CharField(
        _("genormaliseerd e-mailadres"),
        max_length=254,
        help_text=_("Het adres zoals de mailprovider het leest: één handtekening per adres."),
    )
    email_domain = models.CharField(
        _("domein"),
        max_length=254,
        help_text=_("Domein van het e-mailadres, voor misbruikcontrole."),
    )
    place = models.CharField(
        _("woonplaats"), max_length=100, help_text=_("Woonplaats van de ondertekenaar.")
    )
    language = models.CharField(
        _("taal"), max_length=8, default="nl", help_text=_("Taal van de e-mails aan deze persoon.")
    )
    token_hash = models.CharField(
        _("bevestigingscode (hash)"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 van de code in de bevestigingslink."),
    )
    client = models.CharField(
        _("client"),
        max_length=64,
        blank=True,
        help_text=_("Sleutel-hash van het IP-adres, voor misbruikcontrole; nooit het adres zelf."),
    )
    created_at = models.DateTimeField(
        _("getekend"), auto_now_add=True, help_text=_("Tijdstip van tekenen.")
    )
    confirmed_at = models.DateTimeField(
        _("bevestigd"), null=True, blank=True, help_text=_("Tijdstip van bevestigen.")
    )
    struck_at = models.DateTimeField(
        _("geschrapt"),
        null=True,
        blank=True,
        help_text=_("Door de moderator geschrapt als verdacht; telt dan niet mee."),
    )
    answer_sent = models.BooleanField(
        _("antwoord gestuurd"),
        default=False,
        help_text=_("Of het antwoord van de organisatie naar deze ondertekenaar is gestuurd."),
    )
    struck_reason = models.CharField(
        _("reden schrappen"), max_length=200, blank=True, help_text=_("Waarom geschrapt.")
    )

    class Meta:
        verbose_name = _("handtekening")
        verbose_name_plural = _("handtekeningen")
        constraints = [
            # One signature per address per petition; blanked rows (after the answer) are exempt.
            models.UniqueConstraint(
                fields=["petition", "email_key"],
                condition=~Q(email_key=""),
                name="signature_once_per_address",
            ),
        ]
        indexes = [
            # The count: one aggregate over the confirmed, valid signatures of a petition.
            models.Index(
                fields=["petition", "place"],
                condition=Q(confirmed_at__isnull=False, struck_at__isnull=True),
                name="signature_counted",
            ),
            models.Index(fields=["token_hash"], name="signature_token"),
            models.Index(fields=["client", "created_at"], name="signature_client_recent"),
            models.Index(fields=["email_domain", "created_at"], name="signature_domain_recent"),
            models.Index(fields=["created_at"], name="signature_created"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.place}"


class PetitionEvent(models.Model):
    """One step in a petition's history (moderation, desk, answer), shown on the petition desk."""

    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("petitie"),
        help_text=_("De petitie waarover het gaat."),
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, help_text=_("Wanneer."))
    action = models.CharField(
        _("handeling"), max_length=40, help_text=_("Wat er gebeurde, zoals 'published'.")
    )
    note = models.TextField(_("toelichting"), blank=True, help_text=_("Toelichting of reden."))
    by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
        help_text=_("De medewerker die het deed (leeg: de indiener of het systeem)."),
    )

    class Meta:
        verbose_name = _("petitiegebeurtenis")
        verbose_name_plural = _("petitiegebeurtenissen")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.action}"
