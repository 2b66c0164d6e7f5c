"""What the reporting area registers in core's registries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from burgerlink.charters.reporting import selectors
from burgerlink.core.dashboard import Link, Panel, register_panel, register_public_link
from burgerlink.core.models import Organisation
from burgerlink.core.periods import period_of
from burgerlink.core.scorecard import Evidence, register_source


class CharterResultsSource:
    """Scorecard evidence from the measured results of the organisation's quality charter."""

    code = "charter_results"
    label: str | Promise = _("Kwaliteitshandvest: gemeten resultaten")

    def evidence(self, organisation: Organisation) -> list[Evidence]:
        """Return evidence for norms 8 and 9 and the norms the charter's promises serve."""
        url = reverse("charters:compliance-dashboard", args=[organisation.slug])
        return selectors.charter_evidence(organisation, url=url)


def panel_context(organisation: Organisation) -> dict[str, Any]:
    """This quarter's figures per norm, from the monthly aggregates (no scan of the records)."""
    period = period_of(timezone.localdate(), "quarter")
    return {
        "organisation": organisation,
        "period": period,
        "period_label": period.label(get_language()),
        "dashboard": selectors.service_dashboard(organisation, period, trend_length=1),
    }


def register() -> None:
    """Register this area's scorecard sources, dashboard panels, links and demo steps."""
    register_source(CharterResultsSource())
    register_panel(
        Panel(
            code="charters_compliance",
            title=_("Servicebeloften dit kwartaal"),
            template="charters/reporting/panel.html",
            context=panel_context,
        )
    )
    register_public_link(
        Link(
            code="charters_compliance",
            label=_("Hoe goed houden we ons aan onze beloften?"),
            url_name="charters:compliance-dashboard",
        )
    )
