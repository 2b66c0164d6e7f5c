"""The results of a wave as rows for tables and bars for charts (shared by page, PDF and charts).

Everything shown comes from one ``WaveAnalysis``: the three levels, the BurgerServiceCode items,
the drivers with their quadrant, the distribution of the overall grade and the comparison with
the previous wave. Suppressed figures (fewer answers than the organisation's ``hide_below``)
are None here, so no template can show them by accident.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from burgerlink.surveys.analysis import (
    GOVERNMENT,
    LIFE_EVENT,
    ORGANISATION,
    DriverSettings,
    GradeEstimate,
    Quadrant,
)
from burgerlink.surveys.results import charts
from burgerlink.surveys.results.dataset import ORGANISATION_GRADE, WaveAnalysis, comparison
from burgerlink.surveys.results.selectors import agency_names

DRIVER_MIN_CASES = DriverSettings(outcome="").min_cases


def quadrant_label(quadrant: str | None) -> str:
    """The Dutch name of a quadrant of the priority matrix."""
    names = {
        Quadrant.IMPROVE.value: _("Verbeteren"),
        Quadrant.MAINTAIN.value: _("Handhaven"),
        Quadrant.LOWER_PRIORITY.value: _("Lagere prioriteit"),
        Quadrant.POSSIBLE_OVERKILL.value: _("Mogelijk te veel aandacht"),
    }
    return names.get(quadrant or "", "–")


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Row:
    """One estimate in a table: n, mean with interval, share with interval, flags."""

    label: str
    n: int
    n_eff: float | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    share: float | None
    share_low: float | None
    share_high: float | None
    suppressed: bool
    flagged: bool
    kind: str = "grade"
    key: str = ""

    @classmethod
    def of(
        cls, label: str, estimate: GradeEstimate | None, kind: str = "grade", key: str = ""
    ) -> Row:
        """A row from an engine estimate (None: no answers at all)."""
        if estimate is None:
            return cls(label, 0, None, None, None, None, None, None, None, True, False, kind, key)
        mean, share = estimate.mean, estimate.share
        hidden = estimate.suppressed
        return cls(
            label=label,
            n=estimate.n,
            n_eff=_number(estimate.n_eff),
            mean=None if hidden else _number(mean.mean),
            ci_low=None if hidden else _number(mean.ci_low),
            ci_high=None if hidden else _number(mean.ci_high),
            share=None if hidden else _number(share.share),
            share_low=None if hidden else _number(share.ci_low),
            share_high=None if hidden else _number(share.ci_high),
            suppressed=hidden,
            flagged=estimate.flagged,
            kind=kind,
            key=key,
        )

    def bar(self, *, share: bool = False, highlight: bool = False) -> charts.Bar:
        """This row as a chart bar (the mean, or the share)."""
        if share:
            return charts.Bar(self.label, self.share, self.share_low, self.share_high, highlight)
        return charts.Bar(self.label, self.mean, self.ci_low, self.ci_high, highlight)


@dataclass(frozen=True)
class EventRow:
    """A life event: its chain grade and the overall grade of the people who went through it."""

    key: str
    label: str
    chain: Row
    overall: Row


@dataclass(frozen=True)
class DriverRow:
    """An aspect in the priority matrix."""

    code: str
    label: str
    n: int
    correlation: float | None
    beta: float | None
    relative_weight: float | None
    importance: float | None
    performance: float | None
    quadrant: str
    quadrant_code: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ChangeRow:
    """One variable compared with the previous wave."""

    label: str
    previous: float | None
    current: float | None
    difference: float | None
    p_value: float | None
    significant: bool


@dataclass
class Report:
    """All tables of a wave's results page."""

    analysis: WaveAnalysis
    grades: list[Row] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    organisations: list[Row] = field(default_factory=list)
    bsc: list[Row] = field(default_factory=list)
    drivers: list[DriverRow] = field(default_factory=list)
    driver_info: dict[str, Any] = field(default_factory=dict)
    others: list[Row] = field(default_factory=list)
    distribution: list[tuple[str, float | None, int | None]] = field(default_factory=list)
    distribution_hidden: bool = False
    matrix_note: str = ""

    @property
    def matrix_points(self) -> list[DriverRow]:
        """The aspects that stand in the priority matrix (importance and performance known)."""
        return [
            row
            for row in self.drivers
            if row.importance is not None and row.performance is not None
        ]

    @property
    def hidden_label(self) -> str:
        """What a suppressed cell says."""
        return _("te weinig antwoorden (n < %(n)s)") % {"n": self.analysis.rules.hide_below}


def build_report(analysis: WaveAnalysis) -> Report:
    """Turn an analysis into the rows of every table."""
    language = get_language() or "nl"
    cat = analysis.catalogue
    result = analysis.result
    report = Report(analysis)
    government = result.levels[GOVERNMENT]

    def estimate(code: str) -> GradeEstimate | None:
        values = government.variables.get(code)
        return None if values is None else values.estimate_at(0)

    if cat.overall:
        report.grades.append(
            Row.of(cat.by_code[cat.overall].short_label(language), estimate(cat.overall))
        )
    if cat.chain:
        report.grades.append(Row.of(_("Keten van de levensgebeurtenis"), estimate(cat.chain)))
    if ORGANISATION_GRADE in government.variables:
        report.grades.append(
            Row.of(_("Organisaties in de keten (alle oordelen)"), estimate(ORGANISATION_GRADE))
        )
    events = result.levels[LIFE_EVENT]
    for position, key in enumerate(events.labels):
        label = cat.event_label(str(key), language)
        chain = events.variables.get(cat.chain or "")
        overall = events.variables.get(cat.overall or "")
        report.events.append(
            EventRow(
                key=str(key),
                label=label,
                chain=Row.of(label, chain.estimate_at(position) if chain else None, key=str(key)),
                overall=Row.of(
                    label, overall.estimate_at(position) if overall else None, key=str(key)
                ),
            )
        )
    organisations = result.levels[ORGANISATION]
    names = agency_names()
    grades = organisations.variables.get(ORGANISATION_GRADE)
    if grades is not None:
        for position, key in enumerate(organisations.labels):
            report.organisations.append(
                Row.of(names.get(str(key), str(key)), grades.estimate_at(position), key=str(key))
            )
    for code, norm in sorted(cat.bsc, key=lambda item: item[1]):
        variable = cat.by_code[code]
        label = f"{norm}. {variable.short_label(language)}"
        report.bsc.append(Row.of(label, estimate(code), kind="binary", key=str(norm)))
    if result.drivers is not None:
        drivers = result.drivers
        report.driver_info = {
            "method": drivers.method,
            "performance": drivers.performance_measure,
            "r_squared": _number(drivers.r_squared),
            "n_complete": drivers.n_complete,
            "importance_split": _number(drivers.importance_split),
            "performance_split": _number(drivers.performance_split),
            "percent": drivers.performance_measure == "share",
            "scaled": drivers.performance_measure == "scaled",
            "outcome": cat.by_code[drivers.outcome].short_label(language)
            if drivers.outcome in cat.by_code
            else drivers.outcome,
        }
        for driver in sorted(
            drivers.drivers,
            key=lambda d: -d.importance if math.isfinite(d.importance) else math.inf,
        ):
            aspect = cat.by_code.get(driver.name)
            report.drivers.append(
                DriverRow(
                    code=driver.name,
                    label=aspect.short_label(language) if aspect else driver.name,
                    n=driver.n,
                    correlation=_number(driver.correlation),
                    beta=_number(driver.beta),
                    relative_weight=_number(driver.relative_weight),
                    importance=_number(driver.importance),
                    performance=_number(driver.performance),
                    quadrant=quadrant_label(driver.quadrant.value if driver.quadrant else None),
                    quadrant_code=driver.quadrant.value if driver.quadrant else "",
                    flags=driver.flags,
                )
            )
    report.matrix_note = _matrix_note(report)
    shown = {cat.overall, cat.chain, *[code for code, _n in cat.bsc]}
    for variable in cat.numeric:
        if not variable.analysed or variable.code in shown:
            continue
        report.others.append(
            Row.of(
                variable.short_label(language), estimate(variable.code), kind=variable.kind or ""
            )
        )
    if cat.overall and cat.overall in government.variables:
        table = government.variables[cat.overall]
        distribution = table.distribution
        hidden = bool(table.suppressed[0])
        report.distribution_hidden = hidden
        if distribution is not None:
            for position, category in enumerate(distribution.categories):
                share = None if hidden else _number(float(distribution.shares[0][position]))
                count = None if hidden else int(distribution.counts[0][position])
                report.distribution.append((f"{category:g}", share, count))
    return report


def _matrix_note(report: Report) -> str:
    """Why the priority matrix is empty (empty text: it has points)."""
    if not report.drivers or report.matrix_points:
        return ""
    cases = max((row.n for row in report.drivers), default=0)
    flags = {flag for row in report.drivers for flag in row.flags}
    if cases < DRIVER_MIN_CASES or "too_few_cases" in flags:
        return _(
            "Er is geen prioriteitenmatrix: daarvoor zijn minstens %(needed)s respondenten nodig "
            "die zowel het rapportcijfer als een aspect beantwoordden, en dat waren er hier "
            "hooguit %(n)s."
        ) % {"needed": DRIVER_MIN_CASES, "n": cases}
    if any(row.importance is not None for row in report.drivers):
        return _(
            "Er is geen prioriteitenmatrix: de prestatie van de aspecten wordt niet getoond "
            "omdat er te weinig antwoorden zijn."
        )
    if "constant" in flags:
        return _(
            "Er is geen prioriteitenmatrix: de antwoorden op de aspecten of het rapportcijfer "
            "verschillen niet, dus er valt geen verband te berekenen."
        )
    return _("Er is geen prioriteitenmatrix: het belang van de aspecten kon niet worden berekend.")


def changes(current: WaveAnalysis, previous: WaveAnalysis) -> list[ChangeRow]:
    """Government-level and organisation changes since the previous wave (Welch, α of settings)."""
    language = get_language() or "nl"
    cat = current.catalogue
    names = agency_names()
    rows = []
    for item in comparison(current, previous):
        if item.level == LIFE_EVENT:
            continue
        if item.level == GOVERNMENT:
            if item.variable == ORGANISATION_GRADE:
                label = _("Organisaties in de keten (alle oordelen)")
            else:
                variable = cat.by_code.get(item.variable)
                if variable is None or variable.kind not in {"grade", "scale", "binary"}:
                    continue
                label = variable.short_label(language)
        else:
            label = _("Organisatie: %(name)s") % {
                "name": names.get(str(item.group), str(item.group))
            }
        result = item.result
        previous_estimate = _mean(previous, item.level, item.group, item.variable)
        current_estimate = _mean(current, item.level, item.group, item.variable)
        rows.append(
            ChangeRow(
                label=label,
                previous=previous_estimate,
                current=current_estimate,
                difference=_number(result.difference)
                if previous_estimate is not None and current_estimate is not None
                else None,
                p_value=_number(result.p_value),
                significant=result.significant,
            )
        )
    return rows


def _mean(analysis: WaveAnalysis, level: str, group: Any, variable: str) -> float | None:
    values = analysis.result.levels[level].variables.get(variable)
    if values is None:
        return None
    try:
        estimate = values.estimate(group)
    except KeyError:
        return None
    return None if estimate.suppressed else _number(estimate.mean.mean)
