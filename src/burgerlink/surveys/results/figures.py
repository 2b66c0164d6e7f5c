"""The charts of the results pages: which a wave has, what each shows, and their SVG.

Every chart is drawn from the same ``Report`` rows as the table beside it (``report.py``), by the
drawing functions of ``charts.py``; this module decides which rows go into which chart, with
which title, description and alternative text, so the page, the chart URLs and the PDF report
agree on them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from burgerlink.core.models import Organisation
from burgerlink.surveys.models import Wave
from burgerlink.surveys.results import charts
from burgerlink.surveys.results.report import Report, Row

CHARTS = (
    "cijfers",
    "levensgebeurtenissen",
    "organisaties",
    "verdeling",
    "burgerservicecode",
    "prioriteiten",
)


def wave_chart(name: str, report: Report) -> tuple[str, str] | None:
    """The SVG of one chart of a wave's report and its title (None: no such chart)."""
    hidden = report.hidden_label
    life_event = report.analysis.catalogue.life_event
    grade_charts: dict[str, tuple[str, Callable[[], list[charts.Bar]]]] = {
        "cijfers": (
            _("Rapportcijfers op drie niveaus") if life_event else _("Rapportcijfer"),
            lambda: [r.bar() for r in report.grades],
        ),
        "levensgebeurtenissen": (
            _("Rapportcijfer voor de keten per levensgebeurtenis"),
            lambda: [event.chain.bar() for event in report.events],
        ),
        "organisaties": (
            _("Rapportcijfer per organisatie"),
            lambda: [r.bar() for r in report.organisations],
        ),
    }
    if name in grade_charts:
        title, bars = grade_charts[name]
        return (
            charts.bars_svg(
                bars(),
                title=title,
                description=_("Gemiddeld rapportcijfer met 95%-betrouwbaarheidsinterval."),
                axis_label=_("Gemiddeld rapportcijfer (1–10)"),
                hidden_label=hidden,
            ),
            title,
        )
    if name == "verdeling":
        title = (
            _("Verdeling van het rapportcijfer voor de overheid")
            if life_event
            else _("Verdeling van het rapportcijfer")
        )
        return (
            charts.distribution_svg(
                [label for label, _share, _count in report.distribution],
                [share for _label, share, _count in report.distribution],
                title=title,
                description=_("Aandeel van de antwoorden per rapportcijfer."),
                axis_label=_("Rapportcijfer"),
                digits=1,  # as the table beside it
            ),
            title,
        )
    if name == "burgerservicecode":
        title = _("BurgerServiceCode: aandeel 'goed' per norm")
        return (
            charts.bars_svg(
                [row.bar(share=True) for row in report.bsc],
                title=title,
                description=_("Aandeel 'goed' met 95%-betrouwbaarheidsinterval (Wilson)."),
                axis_label=_("Aandeel goed"),
                limits=(0.0, 1.0),
                percent=True,
                hidden_label=hidden,
            ),
            title,
        )
    if name == "prioriteiten":
        info = report.driver_info
        title = _("Prioriteitenmatrix: belang tegen prestatie")
        return (
            charts.priority_matrix_svg(
                # numbered as the table's rows ("Nr. in de matrix"), as the alt text says
                [
                    charts.Point(str(number), row.importance, row.performance)
                    for number, row in enumerate(report.drivers, 1)
                ],
                importance_split=info.get("importance_split"),
                performance_split=info.get("performance_split"),
                quadrant_labels=(
                    _("Verbeteren"),
                    _("Handhaven"),
                    _("Lagere prioriteit"),
                    _("Mogelijk te veel aandacht"),
                ),
                title=title,
                description=_("Elk aspect als punt: afgeleid belang (x) en prestatie (y)."),
                x_label=_("Afgeleid belang (correlatie met het rapportcijfer)"),
                y_label=_("Prestatie (aandeel positief)")
                if info.get("percent")
                else _("Prestatie (gemiddelde op een schaal van 0 tot 100)")
                if info.get("scaled")
                else _("Prestatie (gemiddelde)"),
                percent=bool(info.get("percent")),
            ),
            title,
        )
    return None


def chart_links(
    organisation: Organisation, wave: Wave, query: str, *, life_event: bool = True
) -> dict[str, dict[str, str]]:
    """URL and alt text of every chart on the page (a life-event survey's or another's)."""
    alts = {
        "cijfers": _(
            "Staafdiagram van de rapportcijfers voor de overheid, de keten en de organisaties; de cijfers staan in de tabel ernaast."
        )
        if life_event
        else _("Staafdiagram van het rapportcijfer; de cijfers staan in de tabel ernaast."),
        "levensgebeurtenissen": _(
            "Staafdiagram van het rapportcijfer voor de keten per levensgebeurtenis; de cijfers staan in de tabel ernaast."
        ),
        "organisaties": _(
            "Staafdiagram van het rapportcijfer per organisatie; de cijfers staan in de tabel ernaast."
        ),
        "verdeling": _(
            "Staafdiagram van de verdeling van het rapportcijfer voor de overheid; de aantallen staan in de tabel ernaast."
        )
        if life_event
        else _(
            "Staafdiagram van de verdeling van het rapportcijfer; de aantallen staan in de tabel ernaast."
        ),
        "burgerservicecode": _(
            "Staafdiagram van het aandeel 'goed' per norm van de BurgerServiceCode; de cijfers staan in de tabel ernaast."
        ),
        "prioriteiten": _(
            "Spreidingsdiagram van de prioriteitenmatrix: afgeleid belang tegen prestatie per "
            "aspect; de punten zijn genummerd als in de tabel ernaast, met de cijfers en "
            "kwadranten."
        ),
    }
    return {
        name: {
            "url": reverse("surveys:results-chart", args=[organisation.slug, wave.pk, name])
            + query,
            "alt": alts[name],
        }
        for name in CHARTS
    }


def chain_chart(
    organisations: list[Row], levels: list[Row], *, event_label: str, hidden_label: str
) -> str:
    """The chain view's chart: each organisation, then the chain and government highlighted."""
    bars = [row.bar() for row in organisations] + [row.bar(highlight=True) for row in levels]
    return charts.bars_svg(
        bars,
        title=_("Rapportcijfers in de keten: %(event)s") % {"event": event_label},
        description=_(
            "Per organisatie, voor de keten en voor de overheid als geheel: gemiddeld rapportcijfer met 95%-betrouwbaarheidsinterval."
        ),
        axis_label=_("Gemiddeld rapportcijfer (1–10)"),
        hidden_label=hidden_label,
    )


def benchmark_chart(rows: list[tuple[Row, bool]], *, hidden_label: str) -> str:
    """The benchmark's chart: the overall grade per organisation, the own one highlighted."""
    return charts.bars_svg(
        [row.bar(highlight=own) for row, own in rows],
        title=_("Benchmark: rapportcijfer voor de overheid per organisatie"),
        description=_(
            "Gemiddeld rapportcijfer met 95%-betrouwbaarheidsinterval; uw organisatie in rood."
        ),
        axis_label=_("Gemiddeld rapportcijfer (1–10)"),
        hidden_label=hidden_label,
    )
