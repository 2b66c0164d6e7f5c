"""The BurgerServiceCode as versioned reference data, and self-assessments against it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.core.language import in_language


class NormSetStatus(models.TextChoices):
    """Life cycle of a version of the code: drafted, published (immutable), retired."""

    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    RETIRED = "retired", _("Vervangen")


class NormSet(models.Model):
    """One version of the BurgerServiceCode (1.0 ... 2.1); published versions are immutable."""

    version = models.CharField(
        _("versie"),
        max_length=20,
        unique=True,
        help_text=_("Versienummer van de BurgerServiceCode, bijvoorbeeld 2.1."),
    )
    title = models.CharField(
        _("titel"),
        max_length=200,
        default="BurgerServiceCode",
        help_text=_("Titel van deze versie zoals die op de openbare pagina's staat."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NormSetStatus.choices,
        default=NormSetStatus.DRAFT,
        help_text=_(
            "Concept, gepubliceerd of vervallen; een gepubliceerde versie verandert niet meer."
        ),
    )
    published_at = models.DateTimeField(
        _("gepubliceerd op"),
        null=True,
        blank=True,
        help_text=_("Moment van publicatie; leeg zolang het een concept is."),
    )
    notes = models.TextField(
        _("toelichting"), blank=True, help_text=_("Wat er in deze versie is veranderd en waarom.")
    )

    class Meta:
        verbose_name = _("versie van de BurgerServiceCode")
        verbose_name_plural = _("versies van de BurgerServiceCode")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    @property
    def is_editable(self) -> bool:
        """Only drafts may change; published and retired versions are history."""
        return self.status == NormSetStatus.DRAFT


class NormCategory(models.TextChoices):
    """Groups of norms used on the public pages and the scorecard (our choice)."""

    ACCESS = "access", _("Toegang")
    INFORMATION = "information", _("Informatie")
    SERVICE = "service", _("Dienstverlening")
    TRUST = "trust", _("Betrouwbaarheid")
    ACCOUNTABILITY = "accountability", _("Verantwoording")
    PARTICIPATION = "participation", _("Participatie")


class Norm(models.Model):
    """One of the ten norms: a citizen's right paired with a government duty."""

    norm_set = models.ForeignKey(
        NormSet,
        verbose_name=_("versie"),
        on_delete=models.CASCADE,
        related_name="norms",
        help_text=_("De versie van de BurgerServiceCode waar deze norm bij hoort."),
    )
    number = models.PositiveSmallIntegerField(
        _("nummer"), help_text=_("1 tot en met 10; stabiel over versies heen.")
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Vaste korte naam, gelijk in alle versies (voor koppelingen en de API)."),
    )
    name_nl = models.CharField(
        _("naam (Nederlands)"), max_length=200, help_text=_("Naam van de norm in het Nederlands.")
    )
    name_en = models.CharField(
        _("naam (Engels)"), max_length=200, help_text=_("Naam van de norm in het Engels.")
    )
    right_nl = models.TextField(
        _("recht van de burger"), help_text=_("Het recht van de burger, in het Nederlands.")
    )
    right_en = models.TextField(
        _("recht van de burger (Engels)"), help_text=_("Het recht van de burger, in het Engels.")
    )
    duty_nl = models.TextField(
        _("plicht van de overheid"),
        help_text=_("De plicht van de overheid die bij dit recht hoort, in het Nederlands."),
    )
    duty_en = models.TextField(
        _("plicht van de overheid (Engels)"),
        help_text=_("De plicht van de overheid die bij dit recht hoort, in het Engels."),
    )
    category = models.CharField(
        _("categorie"),
        max_length=20,
        choices=NormCategory.choices,
        help_text=_("Groep waarin de norm op de scorekaart staat."),
    )

    class Meta:
        verbose_name = _("norm")
        verbose_name_plural = _("normen")
        ordering = ["norm_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["norm_set", "number"], name="norm_unique_number"),
            models.UniqueConstraint(fields=["norm_set", "code"], name="norm_unique_code"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=10), name="norm_number_1_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_nl}"

    @property
    def name(self) -> str:
        """The name in the active language."""
        return in_language(self.name_nl, self.name_en)

    @property
    def right(self) -> str:
        """The citizen's right in the active language."""
        return in_language(self.right_nl, self.right_en)

    @property
    def duty(self) -> str:
        """The government's duty in the active language."""
        return in_language(self.duty_nl, self.duty_en)


class ChecklistItem(models.Model):
    """A yes/partly/no question of the self-assessment checklist for one norm."""

    norm = models.ForeignKey(
        Norm,
        verbose_name=_("norm"),
        on_delete=models.CASCADE,
        related_name="checklist_items",
        help_text=_("De norm waar deze vraag bij hoort."),
    )
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Plaats van de vraag in de lijst (oplopend).")
    )
    text_nl = models.TextField(
        _("vraag"), help_text=_("De vraag in het Nederlands, te beantwoorden met ja, deels of nee.")
    )
    text_en = models.TextField(_("vraag (Engels)"), help_text=_("De vraag in het Engels."))

    class Meta:
        verbose_name = _("checklistvraag")
        verbose_name_plural = _("checklistvragen")
        ordering = ["norm__number", "position"]

    def __str__(self) -> str:
        return self.text_nl

    @property
    def text(self) -> str:
        """The question in the active language."""
        return in_language(self.text_nl, self.text_en)


class AssessmentStatus(models.TextChoices):
    """A self-assessment is drafted by staff, then published on the public scorecard."""

    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")


class SelfAssessment(models.Model):
    """An organisation's self-assessment against one version of the code."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="self_assessments",
        help_text=_("De organisatie die zichzelf beoordeelt."),
    )
    norm_set = models.ForeignKey(
        NormSet,
        verbose_name=_("versie"),
        on_delete=models.PROTECT,
        help_text=_("De versie van de BurgerServiceCode waartegen beoordeeld wordt."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
        help_text=_("Concept of gepubliceerd; gepubliceerd is openbaar zichtbaar."),
    )
    summary = models.TextField(
        _("samenvatting"),
        blank=True,
        help_text=_("Samenvatting van de organisatie bij de uitkomst."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De medewerker die de zelfevaluatie begon."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"), auto_now_add=True, help_text=_("Moment waarop de zelfevaluatie begon.")
    )
    published_at = models.DateTimeField(
        _("gepubliceerd"),
        null=True,
        blank=True,
        help_text=_("Moment van publicatie; leeg zolang het een concept is."),
    )

    class Meta:
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.created_at:%Y-%m-%d}"


class Answer(models.TextChoices):
    """Answers to a checklist item."""

    YES = "yes", _("Ja")
    PARTLY = "partly", _("Gedeeltelijk")
    NO = "no", _("Nee")


class AssessmentAnswer(models.Model):
    """The answer to one checklist item, with an explanation and evidence links."""

    assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("zelfevaluatie"),
        on_delete=models.CASCADE,
        related_name="answers",
        help_text=_("De zelfevaluatie waar dit antwoord bij hoort."),
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("vraag"),
        on_delete=models.PROTECT,
        help_text=_("De vraag uit de checklist die hiermee beantwoord is."),
    )
    answer = models.CharField(
        _("antwoord"),
        max_length=8,
        choices=Answer.choices,
        blank=True,
        help_text=_("Ja, deels of nee; leeg zolang de vraag niet beantwoord is."),
    )
    explanation = models.TextField(
        _("toelichting"),
        blank=True,
        help_text=_("Waarom dit antwoord, en waar het bewijs te vinden is."),
    )
    evidence_links = models.JSONField(
        _("bewijslinks"), default=list, blank=True, help_text=_("Lijst van webadressen.")
    )

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.answer or '–'}"
