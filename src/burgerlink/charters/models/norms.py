"""Model norms (the library) and quality charters composed from them, in immutable versions."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.compliance import RECORD_METRICS, Metric
from burgerlink.core.calendar import TermUnit
from burgerlink.core.language import in_language

# How a norm is measured and the unit of a legal term are defined once, in the compliance engine
# and the calendar; here they get their labels, in the order the forms offer them.
METRIC_LABELS = {
    Metric.ELAPSED_SECONDS: _("seconden"),
    Metric.ELAPSED_MINUTES: _("minuten"),
    Metric.WORKING_DAYS: _("werkdagen"),
    Metric.CALENDAR_DAYS: _("kalenderdagen"),
    Metric.WEEKS: _("weken"),
    Metric.LEGAL_TERM: _("wettelijke termijn"),
    Metric.COUNT: _("aantal"),
    Metric.AVAILABILITY: _("beschikbaarheid"),
}
TERM_UNIT_LABELS = {
    TermUnit.WEEKS: _("weken"),
    TermUnit.CALENDAR_DAYS: _("kalenderdagen"),
    TermUnit.WORKING_DAYS: _("werkdagen"),
}
METRIC_CHOICES = [(metric.value, label) for metric, label in METRIC_LABELS.items()]
TERM_UNIT_CHOICES = [(unit.value, label) for unit, label in TERM_UNIT_LABELS.items()]


class CalendarKind(models.TextChoices):
    """Which calendar counts the days of a norm."""

    LEGAL = "legal", _("wettelijke kalender (Algemene termijnenwet)")
    ORGANISATION = "organisation", _("kalender van de organisatie")


class CompensationKind(models.TextChoices):
    """What a citizen gets when a promise is broken."""

    NONE = "none", _("geen")
    APOLOGY = "apology", _("excuses")
    GIFT = "gift", _("attentie (koffie, bloemenbon)")
    REFUND = "refund", _("vergoeding van kosten")
    AMOUNT = "amount", _("vast bedrag")
    PENALTY_PER_DAY = "penalty_per_day", _("bedrag per dag te laat (dwangsom)")


class NormFields(models.Model):
    """What a model norm and a charter norm share: what is promised and how it is measured."""

    title_nl = models.CharField(
        _("titel"), max_length=200, help_text=_("Korte titel van de norm in het Nederlands.")
    )
    title_en = models.CharField(
        _("titel (Engels)"),
        max_length=200,
        blank=True,
        help_text=_("Korte titel van de norm in het Engels."),
    )
    channel = models.ForeignKey(
        "core.Channel",
        verbose_name=_("kanaal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Voor normen op klantcontacten."),
    )
    case_type = models.SlugField(
        _("product of zaaktype"),
        max_length=80,
        blank=True,
        help_text=_("Voor normen op zaken, bijvoorbeeld omgevingsvergunning-regulier."),
    )
    metric = models.CharField(
        _("meeteenheid"),
        max_length=20,
        choices=METRIC_CHOICES,
        help_text=_(
            "Waarin de norm gemeten wordt: tijd, werkdagen, een wettelijke termijn of een aandeel."
        ),
    )
    threshold = models.DecimalField(
        _("norm"),
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        help_text=_("In de meeteenheid: 25 (seconden), 2 (werkdagen), 8 (weken), 0,995."),
    )
    term_unit = models.CharField(
        _("eenheid van de wettelijke termijn"),
        max_length=20,
        choices=TERM_UNIT_CHOICES,
        blank=True,
        help_text=_("Bij een wettelijke termijn: weken, kalenderdagen of werkdagen."),
    )
    target_share = models.DecimalField(
        _("streefpercentage"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Deel dat binnen de norm moet vallen, 0 tot 1 (0,80 = 80%)."),
    )
    starts_nl = models.CharField(
        _("klok start bij"),
        max_length=200,
        blank=True,
        help_text=_("Wanneer de klok gaat lopen, in het Nederlands."),
    )
    starts_en = models.CharField(
        _("klok start bij (Engels)"),
        max_length=200,
        blank=True,
        help_text=_("Wanneer de klok gaat lopen, in het Engels."),
    )
    stops_nl = models.CharField(
        _("klok stopt bij"),
        max_length=200,
        blank=True,
        help_text=_("Wanneer de klok stopt, in het Nederlands."),
    )
    stops_en = models.CharField(
        _("klok stopt bij (Engels)"),
        max_length=200,
        blank=True,
        help_text=_("Wanneer de klok stopt, in het Engels."),
    )
    conditions_nl = models.TextField(
        _("voorwaarden"),
        blank=True,
        help_text=_("Wanneer de norm niet geldt of anders telt, in het Nederlands."),
    )
    conditions_en = models.TextField(
        _("voorwaarden (Engels)"),
        blank=True,
        help_text=_("Wanneer de norm niet geldt of anders telt, in het Engels."),
    )
    bsc_norms = models.JSONField(
        _("BurgerServiceCode-normen"),
        default=list,
        blank=True,
        help_text=_("Nummers (1–10) van de normen die deze belofte dient."),
    )

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        """Title in the active language."""
        return in_language(self.title_nl, self.title_en)

    @property
    def conditions(self) -> str:
        """Conditions in the active language."""
        return in_language(self.conditions_nl, self.conditions_en)

    @property
    def starts(self) -> str:
        """When the clock starts, in the active language."""
        return in_language(self.starts_nl, self.starts_en)

    @property
    def stops(self) -> str:
        """When the clock stops, in the active language."""
        return in_language(self.stops_nl, self.stops_en)

    @property
    def is_measured_from_records(self) -> bool:
        """True when imported contacts or cases decide whether the promise was kept."""
        return self.metric in RECORD_METRICS

    @property
    def record_kind(self) -> str:
        """'contact', 'case' or 'reported' (counted by staff or another system)."""
        if not self.is_measured_from_records:
            return "reported"
        return "case" if self.case_type else "contact"


class ModelNorm(NormFields):
    """A norm from the library, seen in Dutch charters; organisations start from these."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Vaste korte naam van de modelnorm in de bibliotheek."),
    )
    compensation_nl = models.CharField(
        _("voorgestelde compensatie"),
        max_length=200,
        blank=True,
        help_text=_("Compensatie die handvesten bij deze norm vaak bieden, in het Nederlands."),
    )
    compensation_en = models.CharField(
        _("voorgestelde compensatie (Engels)"),
        max_length=200,
        blank=True,
        help_text=_("Compensatie die handvesten bij deze norm vaak bieden, in het Engels."),
    )
    seen_at = models.CharField(
        _("gezien bij"),
        max_length=300,
        blank=True,
        help_text=_("Organisaties in wier handvest deze norm voorkomt."),
    )
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_("Uit: de norm wordt niet meer aangeboden in de bibliotheek."),
    )

    class Meta:
        verbose_name = _("modelnorm")
        verbose_name_plural = _("modelnormen")
        ordering = ["channel__position", "case_type", "code"]

    def __str__(self) -> str:
        return self.title_nl


class Charter(models.Model):
    """An organisation's quality charter (kwaliteitshandvest); its content lives in versions."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="charters",
        help_text=_("De organisatie van dit handvest."),
    )
    title = models.CharField(
        _("titel"),
        max_length=200,
        default="Kwaliteitshandvest",
        help_text=_("Titel van het handvest zoals burgers die zien."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"), auto_now_add=True, help_text=_("Moment waarop het handvest is aangemaakt.")
    )

    class Meta:
        verbose_name = _("kwaliteitshandvest")
        verbose_name_plural = _("kwaliteitshandvesten")

    def __str__(self) -> str:
        return f"{self.title} – {self.organisation}"


class VersionStatus(models.TextChoices):
    """A charter version is drafted, then published (immutable), then superseded."""

    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    SUPERSEDED = "superseded", _("Vervangen")


class CharterVersion(models.Model):
    """One version of a charter; once published it never changes and has a validity period."""

    charter = models.ForeignKey(
        Charter,
        verbose_name=_("handvest"),
        on_delete=models.CASCADE,
        related_name="versions",
        help_text=_("Het handvest waarvan dit een versie is."),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        help_text=_("De organisatie van het handvest."),
    )
    number = models.PositiveIntegerField(
        _("versienummer"), help_text=_("Volgnummer van de versie binnen het handvest.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
        help_text=_(
            "Concept, gepubliceerd of vervangen; een gepubliceerde versie verandert niet meer."
        ),
    )
    intro_nl = models.TextField(
        _("inleiding"),
        blank=True,
        help_text=_("Inleidende tekst boven de beloften, in het Nederlands."),
    )
    intro_en = models.TextField(
        _("inleiding (Engels)"),
        blank=True,
        help_text=_("Inleidende tekst boven de beloften, in het Engels."),
    )
    valid_from = models.DateField(
        _("geldig vanaf"),
        null=True,
        blank=True,
        help_text=_("Eerste dag waarop deze versie geldt."),
    )
    valid_to = models.DateField(
        _("geldig tot"), null=True, blank=True, help_text=_("Leeg: geldt tot een nieuwe versie.")
    )
    review_due = models.DateField(
        _("jaarlijkse herziening uiterlijk"),
        null=True,
        blank=True,
        help_text=_("Dag waarop het handvest uiterlijk opnieuw bekeken moet zijn."),
    )
    published_at = models.DateTimeField(
        _("gepubliceerd op"),
        null=True,
        blank=True,
        help_text=_("Moment van publicatie; leeg zolang het een concept is."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
        help_text=_("De medewerker die de versie publiceerde."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"), auto_now_add=True, help_text=_("Moment waarop de versie is aangemaakt.")
    )

    class Meta:
        verbose_name = _("versie van het handvest")
        verbose_name_plural = _("versies van het handvest")
        ordering = ["charter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="charterversion_number"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="charterversion_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.charter} v{self.number}"

    @property
    def intro(self) -> str:
        """Introduction in the active language."""
        return in_language(self.intro_nl, self.intro_en)

    def is_valid_on(self, day: date) -> bool:
        """Whether this published version governs records of ``day``."""
        return (
            self.status != VersionStatus.DRAFT
            and self.valid_from is not None
            and self.valid_from <= day
            and (self.valid_to is None or day < self.valid_to)
        )


class CharterNorm(NormFields):
    """A promise in one charter version, with the organisation's own threshold and compensation."""

    version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("versie"),
        on_delete=models.CASCADE,
        related_name="norms",
        help_text=_("De versie van het handvest waarin deze belofte staat."),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        help_text=_("De organisatie van het handvest."),
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_(
            "Blijft gelijk over versies, zodat resultaten door de tijd vergelijkbaar zijn."
        ),
    )
    model_norm = models.ForeignKey(
        ModelNorm,
        verbose_name=_("modelnorm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="charter_norms",
        help_text=_(
            "De modelnorm uit de bibliotheek waarop deze belofte gebaseerd is, als die er is."
        ),
    )
    promise_nl = models.TextField(
        _("belofte in gewone taal"), help_text=_("Zo staat het op de poster en de website.")
    )
    promise_en = models.TextField(
        _("belofte in gewone taal (Engels)"),
        blank=True,
        help_text=_("De belofte zoals burgers die lezen, in het Engels."),
    )
    calendar = models.CharField(
        _("kalender"),
        max_length=20,
        choices=CalendarKind.choices,
        default=CalendarKind.ORGANISATION,
        help_text=_(
            "Welke dagen als werkdag tellen: de wettelijke kalender of die van de organisatie."
        ),
    )
    compensation_kind = models.CharField(
        _("compensatie"),
        max_length=20,
        choices=CompensationKind.choices,
        default=CompensationKind.NONE,
        help_text=_("Wat de burger krijgt als de norm niet gehaald wordt."),
    )
    compensation_amount = models.DecimalField(
        _("bedrag (euro)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Vast bedrag, of bedrag per dag bij een dwangsom."),
    )
    compensation_cap = models.DecimalField(
        _("maximum (euro)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Hoogste bedrag dat de compensatie kan worden; leeg: geen maximum."),
    )
    compensation_nl = models.CharField(
        _("compensatie in gewone taal"),
        max_length=300,
        blank=True,
        help_text=_("De compensatie zoals burgers die lezen, in het Nederlands."),
    )
    compensation_en = models.CharField(
        _("compensatie in gewone taal (Engels)"),
        max_length=300,
        blank=True,
        help_text=_("De compensatie zoals burgers die lezen, in het Engels."),
    )
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Plaats van de belofte in het handvest (oplopend).")
    )

    class Meta:
        verbose_name = _("norm in het handvest")
        verbose_name_plural = _("normen in het handvest")
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="charternorm_code"),
        ]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def promise(self) -> str:
        """The promise in the active language."""
        return in_language(self.promise_nl, self.promise_en)

    @property
    def compensation(self) -> str:
        """The compensation in the active language."""
        return in_language(self.compensation_nl, self.compensation_en)
