"""Calendar data: decree days of the Algemene termijnenwet and organisations' own calendars."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DecreeHoliday(models.Model):
    """A day the Crown equates with a holiday by decree (Atw art. 3 lid 3); operator data."""

    date = models.DateField(
        _("datum"),
        unique=True,
        help_text=_("De dag die bij besluit met een feestdag gelijkgesteld is."),
    )
    name_nl = models.CharField(
        _("naam"), max_length=120, help_text=_("Naam of aanleiding van de dag, in het Nederlands.")
    )
    name_en = models.CharField(
        _("naam (Engels)"),
        max_length=120,
        help_text=_("Naam of aanleiding van de dag, in het Engels."),
    )
    reference = models.CharField(
        _("bron"),
        max_length=200,
        blank=True,
        help_text=_(
            "Het besluit dat de dag aanwijst (Staatsblad), of 'patroon' voor een voorspelling."
        ),
    )

    class Meta:
        verbose_name = _("bij besluit gelijkgestelde dag")
        verbose_name_plural = _("bij besluit gelijkgestelde dagen")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name_nl}"


class ClosingDay(models.Model):
    """A day an organisation is closed on top of the legal holidays (a bridge day, say)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="closing_days",
        help_text=_("De organisatie die op deze dag gesloten is."),
    )
    date = models.DateField(
        _("datum"), help_text=_("De dag waarop de organisatie gesloten is; telt niet als werkdag.")
    )
    reason = models.CharField(
        _("reden"),
        max_length=200,
        blank=True,
        help_text=_("Waarom de organisatie dicht is, bijvoorbeeld een brugdag."),
    )

    class Meta:
        verbose_name = _("sluitingsdag")
        verbose_name_plural = _("sluitingsdagen")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="closingday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.date:%Y-%m-%d}"


class OpeningHours(models.Model):
    """When an organisation is open on one weekday (0 = Monday); a missing day means closed."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="opening_hours",
        help_text=_("De organisatie waar deze openingstijden bij horen."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekdag"),
        choices=[
            (0, _("maandag")),
            (1, _("dinsdag")),
            (2, _("woensdag")),
            (3, _("donderdag")),
            (4, _("vrijdag")),
            (5, _("zaterdag")),
            (6, _("zondag")),
        ],
        help_text=_("De dag van de week (maandag tot en met zondag)."),
    )
    opens = models.TimeField(_("open vanaf"), help_text=_("Tijd waarop de organisatie opengaat."))
    closes = models.TimeField(_("gesloten vanaf"), help_text=_("Tijd waarop de organisatie sluit."))

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "weekday"], name="openinghours_unique"),
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="openinghours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        """Refuse a closing time at or before the opening time."""
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("De sluitingstijd moet na de openingstijd liggen.")})
