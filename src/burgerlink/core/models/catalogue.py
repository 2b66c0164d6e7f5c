"""Operator-maintained catalogues: life events with their chains of agencies, and channels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from burgerlink.core.language import in_language
from burgerlink.core.models.organisations import OrganisationKind


class Bilingual(models.Model):
    """Abstract base for catalogue rows named in Dutch and English."""

    name_nl = models.CharField(_("naam (Nederlands)"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200)

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

    code = models.SlugField(_("code"), unique=True, max_length=40)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["position", "code"]


class Agency(Bilingual):
    """A kind of organisation as it appears in a life-event chain (gemeente, UWV, ...)."""

    code = models.SlugField(_("code"), unique=True, max_length=40)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)

    class Meta:
        verbose_name = _("ketenpartij")
        verbose_name_plural = _("ketenpartijen")
        ordering = ["name_nl"]


class LifeEvent(Bilingual):
    """A life event (moving house, birth of a child) and the chain of agencies involved."""

    code = models.SlugField(_("code"), unique=True, max_length=60)
    theme = models.ForeignKey(
        Theme, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="life_events"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(
        _("actief"), default=True, help_text=_("Inactieve gebeurtenissen blijven in oude metingen.")
    )
    chain = models.ManyToManyField(
        Agency, through="ChainLink", verbose_name=_("keten"), related_name="life_events"
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
    )
    agency = models.ForeignKey(Agency, verbose_name=_("ketenpartij"), on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(_("plaats in de keten"), default=0)

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

    code = models.SlugField(_("code"), unique=True, max_length=40)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("kanaal")
        verbose_name_plural = _("kanalen")
        ordering = ["position", "code"]
