"""The labels of participation's audit actions (``core.audit``): what the audit log shows."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "participation.council.import": _("Stemmingen van de raad ingelezen"),
    "petitions.rules": _("Regels voor petities gewijzigd"),
    "petitions.stage": _("Fase van een petitie gewijzigd"),
    "petitions.answer": _("Petitie beantwoord"),
    "petitions.strike": _("Handtekeningen geschrapt"),
    "petitions.restore": _("Geschrapte handtekeningen hersteld"),
    "petitions.signature-list": _("Lijst van ondertekenaars gedownload"),
}
