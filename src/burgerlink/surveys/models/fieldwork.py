"""Surveys, waves, the sample (invitees with tokens), responses and answers (long format).

Privacy by design: invitees hold the contact data and the token; responses hold only answers
and the coarse background variables needed for weighting. In anonymous mode the link between an
invitee and its response is cut when the response is completed; the sample's contact data is
erased when the wave has been closed for its retention period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    """A survey an organisation runs, possibly in several waves (years)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="surveys",
        help_text=_("De organisatie die het onderzoek doet."),
    )
    questionnaire = models.ForeignKey(
        "surveys.Questionnaire",
        verbose_name=_("vragenlijst"),
        on_delete=models.PROTECT,
        related_name="surveys",
        help_text=_("De vragenlijst van het onderzoek; elke meting gebruikt er een versie van."),
    )
    title = models.CharField(
        _("titel"),
        max_length=200,
        help_text=_("Titel van het onderzoek zoals medewerkers en respondenten die zien."),
    )
    life_events = models.ManyToManyField(
        "core.LifeEvent",
        verbose_name=_("levensgebeurtenissen"),
        blank=True,
        related_name="+",
        help_text=_("De levensgebeurtenissen waar het onderzoek over gaat."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"),
        auto_now_add=True,
        help_text=_("Moment waarop het onderzoek is aangemaakt."),
    )

    class Meta:
        verbose_name = _("onderzoek")
        verbose_name_plural = _("onderzoeken")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Wave(models.Model):
    """One round of fieldwork: a fielded questionnaire version between two dates."""

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("onderzoek"),
        on_delete=models.CASCADE,
        related_name="waves",
        help_text=_("Het onderzoek waarvan dit een meting is."),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie die het onderzoek doet."),
    )
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        verbose_name=_("versie"),
        on_delete=models.PROTECT,
        related_name="waves",
        help_text=_("De versie van de vragenlijst die in deze meting gebruikt wordt."),
    )
    name = models.CharField(_("naam"), max_length=120, help_text=_("Bijvoorbeeld: meting 2026."))
    opens_at = models.DateTimeField(
        _("open vanaf"), help_text=_("Vanaf dit moment kan de vragenlijst worden ingevuld.")
    )
    closes_at = models.DateTimeField(
        _("sluit op"), help_text=_("Na dit moment kan niemand meer invullen.")
    )
    anonymous = models.BooleanField(
        _("anoniem"),
        default=True,
        help_text=_(
            "Na het invullen wordt de koppeling tussen uitnodiging en antwoorden verbroken."
        ),
    )
    open_link = models.CharField(
        _("open link"),
        max_length=64,
        blank=True,
        help_text=_("Code van de open link voor panels en websites; leeg: alleen op uitnodiging."),
    )
    open_link_limit = models.PositiveSmallIntegerField(
        _("keer invullen per browser"),
        null=True,
        blank=True,
        default=1,
        help_text=_(
            "Hoe vaak één browser de vragenlijst via de open link mag invullen (geteld in een "
            "ondertekende cookie); leeg: onbeperkt, bijvoorbeeld voor een tablet aan de balie."
        ),
    )
    population_size = models.PositiveIntegerField(
        _("populatie"), null=True, blank=True, help_text=_("Voor de eindige-populatiecorrectie.")
    )
    weighting = models.JSONField(
        _("weging"),
        default=dict,
        blank=True,
        help_text=_("Populatieverdelingen per achtergrondvariabele (raking of poststratificatie)."),
    )
    reminder_days = models.JSONField(
        _("herinneringen na (dagen)"),
        default=list,
        blank=True,
        help_text=_("Bijvoorbeeld [7, 14]."),
    )
    retention_days = models.PositiveIntegerField(
        _("bewaartermijn steekproef (dagen)"),
        default=90,
        help_text=_("Zo lang na sluiting blijven adressen bewaard; daarna worden ze gewist."),
    )
    sample_erased_at = models.DateTimeField(
        _("steekproef gewist"),
        null=True,
        blank=True,
        help_text=_("Moment waarop de contactgegevens van de steekproef zijn gewist."),
    )
    created_at = models.DateTimeField(
        _("aangemaakt"), auto_now_add=True, help_text=_("Moment waarop de meting is aangemaakt.")
    )

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="wave_dates"
            ),
            models.UniqueConstraint(
                fields=["open_link"], condition=~models.Q(open_link=""), name="wave_open_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.name}"


class InviteeStatus(models.TextChoices):
    """Where an invitee stands."""

    PENDING = "pending", _("nog niet uitgenodigd")
    INVITED = "invited", _("uitgenodigd")
    BOUNCED = "bounced", _("onbestelbaar")
    STARTED = "started", _("begonnen")
    COMPLETED = "completed", _("ingevuld")


class Invitee(models.Model):
    """A person in the sample: how to reach them, their token and their status."""

    wave = models.ForeignKey(
        Wave,
        verbose_name=_("meting"),
        on_delete=models.CASCADE,
        related_name="invitees",
        help_text=_("De meting waarvoor deze persoon is uitgenodigd."),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie die het onderzoek doet."),
    )
    token = models.CharField(
        _("toegangscode"),
        max_length=32,
        unique=True,
        help_text=_("Persoonlijke code in de uitnodiging waarmee de vragenlijst opent."),
    )
    email = models.EmailField(
        _("e-mailadres"),
        blank=True,
        help_text=_(
            "E-mailadres voor de uitnodiging en herinneringen; wordt gewist na de bewaartermijn."
        ),
    )
    postal_address = models.TextField(
        _("postadres"),
        blank=True,
        help_text=_("Postadres voor een uitnodiging per brief; wordt gewist na de bewaartermijn."),
    )
    language = models.CharField(
        _("taal"),
        max_length=5,
        default="nl",
        help_text=_("Taal van de uitnodiging en de vragenlijst (nl of en)."),
    )
    background = models.JSONField(
        _("achtergrondkenmerken"),
        default=dict,
        blank=True,
        help_text=_("Alleen wat de weging nodig heeft."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InviteeStatus.choices,
        default=InviteeStatus.PENDING,
        help_text=_(
            "Hoe ver deze persoon is: nog niet uitgenodigd, uitgenodigd, onbestelbaar, begonnen of ingevuld."
        ),
    )
    invited_at = models.DateTimeField(
        _("uitgenodigd op"),
        null=True,
        blank=True,
        help_text=_("Moment waarop de uitnodiging is verstuurd."),
    )
    reminded_at = models.DateTimeField(
        _("laatst herinnerd"),
        null=True,
        blank=True,
        help_text=_("Moment waarop de laatste herinnering is verstuurd."),
    )
    reminders_sent = models.PositiveSmallIntegerField(
        _("herinneringen"), default=0, help_text=_("Aantal verstuurde herinneringen.")
    )
    completed_at = models.DateTimeField(
        _("ingevuld op"),
        null=True,
        blank=True,
        help_text=_("Moment waarop de vragenlijst is ingevuld."),
    )
    response = models.OneToOneField(
        "surveys.Response",
        verbose_name=_("antwoorden"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitee",
        help_text=_("Alleen zolang het invullen loopt (anoniem) of altijd (niet anoniem)."),
    )

    class Meta:
        verbose_name = _("genodigde")
        verbose_name_plural = _("genodigden")
        indexes = [models.Index(fields=["wave", "status"])]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.pk}"


class ResponseStatus(models.TextChoices):
    """A response is being filled in, or complete."""

    IN_PROGRESS = "in_progress", _("bezig")
    COMPLETED = "completed", _("ingevuld")


class ResponseChannel(models.TextChoices):
    """How the answers came in."""

    WEB = "web", _("webvragenlijst")
    OPEN_LINK = "open_link", _("open link")
    PAPER = "paper", _("papieren vragenlijst")
    IMPORT = "import", _("import (veldwerkbureau)")


class Response(models.Model):
    """The answers of one respondent to one wave; holds no name, address or e-mail."""

    wave = models.ForeignKey(
        Wave,
        verbose_name=_("meting"),
        on_delete=models.CASCADE,
        related_name="responses",
        help_text=_("De meting waar deze respons bij hoort."),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie die het onderzoek doet."),
    )
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        verbose_name=_("versie"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("De versie van de vragenlijst die is ingevuld."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ResponseStatus.choices,
        default=ResponseStatus.IN_PROGRESS,
        help_text=_("Nog bezig of ingevuld; alleen ingevulde responsen tellen in de resultaten."),
    )
    channel = models.CharField(
        _("kanaal"),
        max_length=10,
        choices=ResponseChannel.choices,
        default=ResponseChannel.WEB,
        help_text=_(
            "Hoe de respons binnenkwam: uitnodiging op het web, open link, papier of import."
        ),
    )
    language = models.CharField(
        _("taal"),
        max_length=5,
        default="nl",
        help_text=_("Taal waarin de vragenlijst is ingevuld (nl of en)."),
    )
    resume_key = models.CharField(
        _("hervatcode"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_("Voor open links: de code in de cookie waarmee iemand verder kan."),
    )
    external_id = models.CharField(
        _("kenmerk veldwerkbureau"),
        max_length=64,
        blank=True,
        help_text=_("Voor idempotente imports."),
    )
    current_page = models.CharField(
        _("huidige pagina"),
        max_length=40,
        blank=True,
        help_text=_("De pagina van de vragenlijst waar de respondent is gebleven."),
    )
    revision = models.PositiveIntegerField(
        _("revisie"),
        default=0,
        help_text=_("Telt elke opgeslagen pagina; vangt dubbele verzendingen af."),
    )
    background = models.JSONField(
        _("achtergrondkenmerken"),
        default=dict,
        blank=True,
        help_text=_(
            "Grove achtergrondkenmerken voor de weging, zoals leeftijdsgroep; nooit naam of adres."
        ),
    )
    weight = models.FloatField(
        _("weegfactor"),
        null=True,
        blank=True,
        help_text=_("Weegfactor van deze respons in de resultaten; leeg: ongewogen."),
    )
    started_at = models.DateTimeField(
        _("begonnen"), auto_now_add=True, help_text=_("Moment waarop de respondent begon.")
    )
    completed_at = models.DateTimeField(
        _("ingevuld"),
        null=True,
        blank=True,
        help_text=_("Moment waarop de vragenlijst is ingevuld."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Bij papieren vragenlijsten."),
    )

    class Meta:
        verbose_name = _("respons")
        verbose_name_plural = _("responsen")
        indexes = [models.Index(fields=["wave", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "external_id"],
                condition=~models.Q(external_id=""),
                name="response_external_id",
            ),
            models.UniqueConstraint(
                fields=["wave", "resume_key"],
                condition=~models.Q(resume_key=""),
                name="response_resume_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.pk}"


class Answer(models.Model):
    """One answer: a variable code with a number, a text or a list of codes."""

    response = models.ForeignKey(
        Response,
        verbose_name=_("respons"),
        on_delete=models.CASCADE,
        related_name="answers",
        help_text=_("De respons waar dit antwoord bij hoort."),
    )
    code = models.CharField(
        _("variabele"),
        max_length=40,
        help_text=_("Code van de variabele uit het codeboek van de vragenlijst."),
    )
    number = models.FloatField(
        _("getal"),
        null=True,
        blank=True,
        help_text=_("Het antwoord als getal of antwoordcode; leeg bij een open antwoord."),
    )
    text = models.TextField(
        _("tekst"), blank=True, help_text=_("Het antwoord als tekst bij een open vraag.")
    )
    choices = models.JSONField(_("keuzes"), null=True, blank=True, help_text=_("Bij meerkeuze."))

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [models.UniqueConstraint(fields=["response", "code"], name="answer_code")]

    def __str__(self) -> str:
        return f"{self.response_id}.{self.code}"


class AnalysisSettings(models.Model):
    """Per organisation: below which n results are hidden or flagged."""

    organisation = models.OneToOneField(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie waarvoor deze instellingen gelden."),
    )
    hide_below = models.PositiveIntegerField(
        _("verbergen onder n ="),
        default=30,
        help_text=_("Resultaten van minder respondenten dan dit aantal worden niet getoond."),
    )
    flag_below = models.PositiveIntegerField(
        _("markeren onder n ="),
        default=100,
        help_text=_("Resultaten van minder respondenten dan dit aantal krijgen een waarschuwing."),
    )
    alpha = models.FloatField(
        _("significantieniveau"),
        default=0.05,
        help_text=_("Kans op een toevallig verschil dat nog significant heet, bijvoorbeeld 0,05."),
    )

    class Meta:
        verbose_name = _("analyse-instellingen")
        verbose_name_plural = _("analyse-instellingen")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.hide_below}/{self.flag_below}"
