"""What the results area registers: the staff menu link, a dashboard panel, scorecard evidence,
the export of a wave's responses (``core.exports``) and the demo step (Amstelstad's life-event
survey with about 10,000 responses)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from burgerlink.core import dashboard, demo, scorecard
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm


def panel_context(organisation: Organisation) -> dict[str, Any]:
    """The latest wave with results: its overall grade with interval and n."""
    from django.utils.translation import get_language

    from burgerlink.surveys.results import dataset, selectors
    from burgerlink.surveys.results.report import Row

    wave = selectors.latest_wave_with_results(organisation)
    if wave is None:
        return {"wave": None}
    analysis = dataset.wave_analysis(wave)
    cat = analysis.catalogue
    overall = cat.overall
    estimate = analysis.government(overall) if overall else None
    label = cat.by_code[overall].short_label(get_language() or "nl") if overall else ""
    return {
        "wave": wave,
        "responses": analysis.n_total,
        "overall": Row.of(label, estimate) if estimate is not None else None,
        "government": cat.life_event,
    }


def _load_demo(write: Callable[[str], None]) -> None:
    from burgerlink.surveys.results.demo import load_demo

    load_demo(write)


def register() -> None:
    """Register this area's staff link, dashboard panel, scorecard source, export and demo step."""
    from burgerlink.core.exports import register_kind
    from burgerlink.surveys.results.exports import KIND
    from burgerlink.surveys.results.scorecard import SurveyEvidenceSource

    dashboard.register_staff_link(
        dashboard.Link(
            code="surveys-results",
            label=_("Resultaten"),
            url_name="surveys:results",
            perm=Perm.VIEW_SURVEY_RESULTS,
        )
    )
    dashboard.register_panel(
        dashboard.Panel(
            code="surveys-results",
            title=_("Tevredenheid: laatste meting"),
            template="surveys/results/panel.html",
            context=panel_context,
            perm=Perm.VIEW_SURVEY_RESULTS,
        )
    )
    scorecard.register_source(SurveyEvidenceSource())
    register_kind(KIND)
    demo.register_step("Tevredenheidsonderzoek", _load_demo)
