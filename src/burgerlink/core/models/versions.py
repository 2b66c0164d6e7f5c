"""Data versions: a number per organisation (and one for the platform) that changes with its data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """The version of what public pages show of one organisation, or of the whole platform.

    Bumped in the transaction that changes such data (an import, a published charter, a closing
    day, an edited organisation); cached page content is keyed by it, so a change shows at once.
    """

    scope = models.BigIntegerField(
        _("bereik"),
        primary_key=True,
        help_text=_("Het id van de organisatie, of 0 voor wat het hele platform toont."),
    )
    version = models.BigIntegerField(
        _("versie"), default=0, help_text=_("Telt op bij elke wijziging van de getoonde gegevens.")
    )
    changed_at = models.DateTimeField(
        _("gewijzigd"), auto_now=True, help_text=_("Tijdstip van de laatste wijziging.")
    )

    class Meta:
        verbose_name = _("gegevensversie")
        verbose_name_plural = _("gegevensversies")

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
