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
    )
    norm_code = models.SlugField(_("norm"), max_length=60)
    record_kind = models.CharField(_("soort"), max_length=8)
    period = models.DateField(_("maand"))
    total = models.PositiveIntegerField(_("aantal"), default=0)
    met = models.PositiveIntegerField(_("gehaald"), default=0)
    missed = models.PositiveIntegerField(_("niet gehaald"), default=0)
    open = models.PositiveIntegerField(_("open"), default=0)
    refreshed_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

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
    )
    norm_code = models.SlugField(_("norm"), max_length=60)
    period = models.DateField(_("maand"))
    value = models.DecimalField(_("waarde"), max_digits=12, decimal_places=4)
    share_met = models.DecimalField(
        _("deel gehaald"), max_digits=5, decimal_places=4, help_text=_("0 tot 1.")
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

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
