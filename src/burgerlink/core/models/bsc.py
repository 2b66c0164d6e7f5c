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

    version = models.CharField(_("versie"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=200, default="BurgerServiceCode")
    status = models.CharField(
        _("status"), max_length=12, choices=NormSetStatus.choices, default=NormSetStatus.DRAFT
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)

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
        NormSet, verbose_name=_("versie"), on_delete=models.CASCADE, related_name="norms"
    )
    number = models.PositiveSmallIntegerField(
        _("nummer"), help_text=_("1 tot en met 10; stabiel over versies heen.")
    )
    code = models.SlugField(_("code"), max_length=60)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200)
    right_nl = models.TextField(_("recht van de burger"))
    right_en = models.TextField(_("recht van de burger (Engels)"))
    duty_nl = models.TextField(_("plicht van de overheid"))
    duty_en = models.TextField(_("plicht van de overheid (Engels)"))
    category = models.CharField(_("categorie"), max_length=20, choices=NormCategory.choices)

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
        Norm, verbose_name=_("norm"), on_delete=models.CASCADE, related_name="checklist_items"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text_nl = models.TextField(_("vraag"))
    text_en = models.TextField(_("vraag (Engels)"))

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
    )
    norm_set = models.ForeignKey(NormSet, verbose_name=_("versie"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    summary = models.TextField(_("samenvatting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    published_at = models.DateTimeField(_("gepubliceerd"), null=True, blank=True)

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
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("vraag"), on_delete=models.PROTECT)
    answer = models.CharField(_("antwoord"), max_length=8, choices=Answer.choices, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
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
