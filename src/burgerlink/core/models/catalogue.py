"""Operator-maintained catalogues: life events with their chains of agencies, and channels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.core.language import in_language
from burgerlink.core.models.organisations import OrganisationKind


class Bilingual(models.Model):
    """Abstract base for catalogue rows named in Dutch and English."""

    name_nl = models.CharField(
        _("naam (Nederlands)"), max_length=200, help_text=_("Naam van het thema in het Nederlands.")
    )
    name_en = models.CharField(
        _("naam (Engels)"), max_length=200, help_text=_("Naam van het thema in het Engels.")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_nl

    @property
    def name(self) -> str:
        """Return the name in the active language (Dutch unless English is chosen)."""
        return in_language(self.name_nl, self.name_en)


class Theme(Bilingual):
    """One of the seven themes that group life events."""

    code = models.SlugField(
        _("code"),
        unique=True,
        max_length=40,
        help_text=_("Vaste korte naam voor koppelingen en de API."),
    )
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Plaats in lijsten (oplopend).")
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["position", "code"]


class Agency(Bilingual):
    """A kind of organisation as it appears in a life-event chain (gemeente, UWV, ...)."""

    code = models.SlugField(
        _("code"),
        unique=True,
        max_length=40,
        help_text=_("Vaste korte naam voor koppelingen, bestanden en de API."),
    )
    kind = models.CharField(
        _("soort"),
        max_length=20,
        choices=OrganisationKind.choices,
        help_text=_("Soort overheidsorganisatie van deze ketenpartij."),
    )

    class Meta:
        verbose_name = _("ketenpartij")
        verbose_name_plural = _("ketenpartijen")
        ordering = ["name_nl"]


class LifeEvent(Bilingual):
    """A life event (moving house, birth of a child) and the chain of agencies involved."""

    code = models.SlugField(
        _("code"),
        unique=True,
        max_length=60,
        help_text=_("Vaste korte naam voor koppelingen, bestanden en de API."),
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thema"),
        on_delete=models.PROTECT,
        related_name="life_events",
        help_text=_("Het thema waaronder de levensgebeurtenis valt."),
    )
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Plaats binnen het thema (oplopend).")
    )
    is_active = models.BooleanField(
        _("actief"), default=True, help_text=_("Inactieve gebeurtenissen blijven in oude metingen.")
    )
    chain = models.ManyToManyField(
        Agency,
        through="ChainLink",
        verbose_name=_("keten"),
        related_name="life_events",
        help_text=_(
            "De ketenpartijen waar de burger bij deze gebeurtenis mee te maken krijgt, op volgorde."
        ),
    )

    class Meta:
        verbose_name = _("levensgebeurtenis")
        verbose_name_plural = _("levensgebeurtenissen")
        ordering = ["theme__position", "position", "code"]

    def chain_agencies(self) -> list[Agency]:
        """Return the agencies of the chain in their typical order."""
        return [link.agency for link in self.links.select_related("agency").order_by("position")]


class ChainLink(models.Model):
    """One agency's place in the chain of a life event."""

    life_event = models.ForeignKey(
        LifeEvent,
        verbose_name=_("levensgebeurtenis"),
        on_delete=models.CASCADE,
        related_name="links",
        help_text=_("De levensgebeurtenis waar deze schakel bij hoort."),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("ketenpartij"),
        on_delete=models.PROTECT,
        help_text=_("De ketenpartij op deze plaats in de keten."),
    )
    position = models.PositiveSmallIntegerField(
        _("plaats in de keten"), default=0, help_text=_("Plaats in de keten (oplopend).")
    )

    class Meta:
        verbose_name = _("schakel")
        verbose_name_plural = _("schakels")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["life_event", "agency"], name="chainlink_unique")
        ]

    def __str__(self) -> str:
        return f"{self.life_event.code} → {self.agency.code}"


class Channel(Bilingual):
    """A contact channel between citizen and government (counter, phone, e-mail, ...)."""

    code = models.SlugField(
        _("code"),
        unique=True,
        max_length=40,
        help_text=_("Vaste korte naam in importbestanden en de API, bijvoorbeeld phone."),
    )
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Plaats in lijsten (oplopend).")
    )
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_("Uit: het kanaal wordt niet meer aangeboden bij nieuwe normen en imports."),
    )

    class Meta:
        verbose_name = _("kanaal")
        verbose_name_plural = _("kanalen")
        ordering = ["position", "code"]
