"""Pre-aggregated compliance per norm and month, so public pages never scan the records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceMonth(models.Model):
    """Counts of one charter norm (by code) in one month; refreshed after every import.

    Open records are counted with their deadline bucket at refresh time; pages that must be
    exact to the minute (the API, reports) count open items live.
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie waarvan de cijfers zijn."),
    )
    norm_code = models.SlugField(
        _("norm"),
        max_length=60,
        help_text=_("Code van de norm, gelijk over de versies van het handvest."),
    )
    record_kind = models.CharField(
        _("soort"), max_length=8, help_text=_("Klantcontacten of zaken.")
    )
    period = models.DateField(_("maand"), help_text=_("Eerste dag van de maand van ontvangst."))
    total = models.PositiveIntegerField(
        _("aantal"),
        default=0,
        help_text=_("Aantal gemeten gevallen: gehaald, niet gehaald en open over de termijn."),
    )
    met = models.PositiveIntegerField(_("gehaald"), default=0, help_text=_("Op tijd afgehandeld."))
    missed = models.PositiveIntegerField(
        _("niet gehaald"),
        default=0,
        help_text=_("Te laat afgehandeld, of nog open en over de termijn."),
    )
    open = models.PositiveIntegerField(
        _("open"), default=0, help_text=_("Nog open binnen de termijn: nog niet gemeten.")
    )
    refreshed_at = models.DateTimeField(
        _("bijgewerkt"),
        auto_now=True,
        help_text=_("Moment waarop deze cijfers voor het laatst zijn berekend."),
    )

    class Meta:
        verbose_name = _("naleving per maand")
        verbose_name_plural = _("naleving per maand")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "norm_code", "record_kind", "period"],
                name="compliancemonth_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.norm_code} {self.period:%Y-%m}"


class ReportedResult(models.Model):
    """A result staff or another system report for a norm not measured from records."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("De organisatie die het resultaat rapporteert."),
    )
    norm_code = models.SlugField(
        _("norm"), max_length=60, help_text=_("Code van de norm waarvoor het resultaat geldt.")
    )
    period = models.DateField(
        _("maand"), help_text=_("Eerste dag van de maand waarover het resultaat gaat.")
    )
    value = models.DecimalField(
        _("waarde"),
        max_digits=12,
        decimal_places=4,
        help_text=_("De gemeten waarde, in de meeteenheid van de norm."),
    )
    share_met = models.DecimalField(
        _("deel gehaald"), max_digits=5, decimal_places=4, help_text=_("0 tot 1.")
    )
    note = models.CharField(
        _("toelichting"),
        max_length=300,
        blank=True,
        help_text=_("Hoe het resultaat is gemeten of waarom het afwijkt."),
    )

    class Meta:
        verbose_name = _("gerapporteerd resultaat")
        verbose_name_plural = _("gerapporteerde resultaten")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "norm_code", "period"], name="reportedresult_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.norm_code} {self.period:%Y-%m}: {self.value}"
