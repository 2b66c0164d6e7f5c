"""Questionnaires and their versions; a version's content is a validated JSON definition.

A version is a draft until it is fielded (used by a wave); from then on it never changes. The
definition (pages, questions with stable variable codes, options, routing conditions, texts in
Dutch and English) is validated by ``burgerlink.surveys.definition``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.core.language import in_language


class TemplateKind(models.TextChoices):
    """What a questionnaire is for."""

    LIFE_EVENT = "life_event", _("Levensgebeurtenis")
    CONTACT = "contact", _("Na een contact")
    BURGERPEILING = "burgerpeiling", _("Burgerpeiling")
    CUSTOM = "custom", _("Eigen vragenlijst")


class Questionnaire(models.Model):
    """A questionnaire of an organisation, or a platform template (organisation empty)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
        help_text=_("Leeg: een sjabloon van het platform."),
    )
    code = models.SlugField(
        _("code"),
        max_length=80,
        help_text=_("Vaste korte naam van de vragenlijst, uniek per organisatie."),
    )
    title_nl = models.CharField(
        _("titel"), max_length=200, help_text=_("Titel van de vragenlijst in het Nederlands.")
    )
    title_en = models.CharField(
        _("titel (Engels)"),
        max_length=200,
        blank=True,
        help_text=_("Titel van de vragenlijst in het Engels."),
    )
    kind = models.CharField(
        _("soort"),
        max_length=20,
        choices=TemplateKind.choices,
        help_text=_("Soort vragenlijst: levensgebeurtenis, klantcontact, burgerpeiling of eigen."),
    )
    based_on = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        verbose_name=_("gebaseerd op"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
        help_text=_("De sjabloonversie waarmee de organisatie begon (voor benchmarks)."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"),
        auto_now_add=True,
        help_text=_("Moment waarop de vragenlijst is aangemaakt."),
    )

    class Meta:
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="questionnaire_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation__isnull=True),
                name="questionnaire_template_code",
            ),
        ]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def title(self) -> str:
        """Title in the active language."""
        return in_language(self.title_nl, self.title_en)

    @property
    def is_template(self) -> bool:
        """Platform templates belong to no organisation."""
        return self.organisation_id is None


class VersionStatus(models.TextChoices):
    """A version is drafted, then fielded (immutable), then retired."""

    DRAFT = "draft", _("Concept")
    FIELDED = "fielded", _("In gebruik (onveranderlijk)")
    RETIRED = "retired", _("Vervangen")


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire: the definition JSON, immutable once fielded."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("vragenlijst"),
        on_delete=models.CASCADE,
        related_name="versions",
        help_text=_("De vragenlijst waarvan dit een versie is."),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie van de vragenlijst; leeg bij een sjabloon van het platform."),
    )
    number = models.PositiveIntegerField(
        _("versienummer"), help_text=_("Volgnummer van de versie binnen de vragenlijst.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
        help_text=_("Concept, in gebruik of vervallen; een versie in gebruik verandert niet meer."),
    )
    definition = models.JSONField(
        _("inhoud"), default=dict, help_text=_("Pagina's, vragen, opties en routering.")
    )
    created_at = models.DateTimeField(
        _("aangemaakt"), auto_now_add=True, help_text=_("Moment waarop de versie is aangemaakt.")
    )
    fielded_at = models.DateTimeField(
        _("in gebruik sinds"),
        null=True,
        blank=True,
        help_text=_("Moment waarop de versie voor het eerst in een meting is gebruikt."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
        help_text=_("De medewerker die de versie maakte; leeg bij een sjabloon."),
    )

    class Meta:
        verbose_name = _("versie van een vragenlijst")
        verbose_name_plural = _("versies van vragenlijsten")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="qversion_number")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_editable(self) -> bool:
        """Only drafts change."""
        return self.status == VersionStatus.DRAFT
