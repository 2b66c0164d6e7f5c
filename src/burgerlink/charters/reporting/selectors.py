"""Reads of the reporting area: live compliance, monthly series, open data, benchmarks, evidence.

Two sources with different costs:

* ``compliance_report`` counts the records themselves (one GROUP BY per record kind), exact to
  the moment of reporting: the API and the accountability reports use it.
* Everything else (dashboard, charts, open data, benchmarks, scorecard evidence, the staff panel)
  reads ``ComplianceMonth``, the per-month counts that each import refreshes, so public pages
  never scan the (possibly millions of) records.

A norm is identified over time by its code: a charter's versions keep the code of a promise
while its threshold or target may change. Where one figure needs one target, it is the target of
the newest published version that was in force during the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from burgerlink.charters.models import (
    RECORD_METRICS,
    CharterNorm,
    CompensationEntry,
    CompensationKind,
    ComplianceMonth,
    EntryStatus,
    ModelNorm,
    Verdict,
    VersionStatus,
)
from burgerlink.charters.reporting.services import (
    RECORD_KINDS,
    overdue_q,
    record_queryset,
    within_q,
)
from burgerlink.core.language import in_language
from burgerlink.core.models import Organisation, SizeClass
from burgerlink.core.numbers import format_number, format_percent
from burgerlink.core.periods import (
    Period,
    PeriodKind,
    add_months,
    month_start,
    period_of,
    trailing,
)
from burgerlink.core.scorecard import Evidence

# Benchmarks (our choice, in line with the survey rules of thumb in DOMAIN.md §3): a comparison
# within fewer than MIN_GROUP_ORGANISATIONS organisations says little about "the others", and a
# share over fewer than MIN_ORGANISATION_N measured records moves by several points by chance
# (±10 points at n=100 for a 95% interval). Both are shown, with a flag, never hidden.
MIN_GROUP_ORGANISATIONS = 3
MIN_ORGANISATION_N = 100

# How many periods of the chosen kind the dashboard's trend shows, ending with the chosen one.
TREND_LENGTH: dict[PeriodKind, int] = {"month": 12, "quarter": 8, "year": 5}

# Scorecard evidence covers the twelve whole months before the current one.
EVIDENCE_MONTHS = 12
EVIDENCE_SOURCE = "charter_results"

KIND_ORDER = {"contact": 0, "case": 1}


# --- norms ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NormInfo:
    """What the reports say about a charter norm (one version's row), without the ORM object."""

    code: str
    title_nl: str
    title_en: str
    record_kind: str
    channel_code: str | None
    channel_name_nl: str
    channel_name_en: str
    case_type: str
    metric: str
    threshold: float
    target_share: float
    model_norm_code: str | None
    bsc_norms: tuple[int, ...]
    promise_nl: str
    promise_en: str
    compensation_kind: str
    compensation_nl: str
    compensation_en: str
    position: int
    version_number: int
    valid_from: date
    valid_to: date | None

    @classmethod
    def from_norm(cls, norm: CharterNorm) -> NormInfo:
        """Copy what reports need from a CharterNorm with its version, channel and model norm."""
        channel = norm.channel
        version = norm.version
        return cls(
            code=norm.code,
            title_nl=norm.title_nl,
            title_en=norm.title_en,
            record_kind="case" if norm.case_type else "contact",
            channel_code=channel.code if channel else None,
            channel_name_nl=channel.name_nl if channel else "",
            channel_name_en=channel.name_en if channel else "",
            case_type=norm.case_type,
            metric=norm.metric,
            threshold=float(norm.threshold),
            target_share=float(norm.target_share),
            model_norm_code=norm.model_norm.code if norm.model_norm else None,
            bsc_norms=tuple(int(n) for n in (norm.bsc_norms or []) if str(n).isdigit()),
            promise_nl=norm.promise_nl,
            promise_en=norm.promise_en,
            compensation_kind=norm.compensation_kind,
            compensation_nl=norm.compensation_nl,
            compensation_en=norm.compensation_en,
            position=norm.position,
            version_number=version.number,
            valid_from=version.valid_from or date.min,
            valid_to=version.valid_to,
        )

    @property
    def title(self) -> str:
        """Title in the active language."""
        return in_language(self.title_nl, self.title_en)

    @property
    def promise(self) -> str:
        """The promise in the active language."""
        return in_language(self.promise_nl, self.promise_en)

    @property
    def compensation(self) -> str:
        """The compensation in the active language."""
        return in_language(self.compensation_nl, self.compensation_en)

    @property
    def compensation_text(self) -> str:
        """What a citizen gets when the promise is broken: the charter's words, else the kind."""
        if self.compensation:
            return self.compensation
        try:
            return str(CompensationKind(self.compensation_kind).label)
        except ValueError:
            return self.compensation_kind

    @property
    def channel_name(self) -> str:
        """The channel's name in the active language ('' for case norms)."""
        return in_language(self.channel_name_nl, self.channel_name_en)

    @property
    def subject(self) -> str:
        """What the norm is about: the channel's name, or the case type."""
        return self.channel_name or self.case_type

    @property
    def promises_compensation(self) -> bool:
        """Whether a citizen gets something when this promise is broken."""
        return self.compensation_kind != CompensationKind.NONE

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Contacts before cases, then the charter's own order."""
        return (KIND_ORDER.get(self.record_kind, 9), self.position, self.code)

    def overlaps(self, start: date, end: date) -> bool:
        """Whether this norm's version was in force on some day in [start, end)."""
        return self.valid_from < end and (self.valid_to is None or self.valid_to > start)


def _record_norms(
    organisation: Organisation,
    start: date | None = None,
    end: date | None = None,
    *,
    codes: Iterable[str] = (),
    only_codes: Iterable[str] | None = None,
) -> dict[str, list[NormInfo]]:
    """Return per code the published norms measured from records, oldest version first.

    With ``start`` and ``end`` only versions in force in [start, end) are returned, plus every
    version of the ``codes`` given (records always point at a version, so their code must show
    even if the version's dates were edited since). ``only_codes`` limits the codes.
    """
    norms = (
        CharterNorm.objects.filter(
            organisation=organisation,
            metric__in=list(RECORD_METRICS),
            version__valid_from__isnull=False,
        )
        .exclude(version__status=VersionStatus.DRAFT)
        .select_related("version", "channel", "model_norm")
        .order_by("version__valid_from", "version__number", "position", "pk")
    )
    if start is not None and end is not None:
        in_force = Q(version__valid_from__lt=end) & (
            Q(version__valid_to__isnull=True) | Q(version__valid_to__gt=start)
        )
        extra = list(codes)
        norms = norms.filter(in_force | Q(code__in=extra)) if extra else norms.filter(in_force)
    if only_codes is not None:
        norms = norms.filter(code__in=list(only_codes))
    result: dict[str, list[NormInfo]] = defaultdict(list)
    for norm in norms:
        result[norm.code].append(NormInfo.from_norm(norm))
    return dict(result)


def _newest(versions: Sequence[NormInfo], start: date, end: date) -> NormInfo:
    """The newest version in force in [start, end), or the newest of all when none was."""
    in_force = [info for info in versions if info.overlaps(start, end)]
    return (in_force or list(versions))[-1]


def _in_force(versions: Sequence[NormInfo], period: Period) -> NormInfo | None:
    """The newest version in force during ``period``, or None when none was."""
    in_force = [info for info in versions if info.overlaps(period.start, period.end)]
    return in_force[-1] if in_force else None


# --- counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Counts of measured records from ComplianceMonth: open means still within the deadline."""

    total: int = 0
    met: int = 0
    missed: int = 0
    open: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            total=self.total + other.total,
            met=self.met + other.met,
            missed=self.missed + other.missed,
            open=self.open + other.open,
        )

    @property
    def n(self) -> int:
        """Records with a verdict: met plus missed (open items past the deadline are missed)."""
        return self.met + self.missed

    @property
    def share_met(self) -> float | None:
        """Share of the measured records that met the norm, None when nothing was measured."""
        return self.met / self.n if self.n else None


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for item in counts:
        total = total + item
    return total


def _reached(share: float | None, target: float | None) -> bool | None:
    if share is None or target is None:
        return None
    # A share rounded the way it is shown must not "miss" a target it equals.
    return round(share, 6) >= round(target, 6)


@dataclass(frozen=True)
class PeriodFigures:
    """One norm's pre-aggregated figures in one period, with the target that applied."""

    period: Period
    counts: Counts
    target_share: float | None

    @property
    def n(self) -> int:
        """Measured records (met plus missed)."""
        return self.counts.n

    @property
    def share_met(self) -> float | None:
        """Share met, None without measurements."""
        return self.counts.share_met

    @property
    def target_reached(self) -> bool | None:
        """Whether the share met reached the target, None without measurements."""
        return _reached(self.share_met, self.target_share)


def monthly_series(
    organisation: Organisation,
    start: date,
    end: date,
    *,
    codes: Iterable[str] | None = None,
) -> tuple[dict[str, dict[date, Counts]], datetime | None]:
    """Return per norm code the counts per month in [start, end), and when they were refreshed.

    Reads ComplianceMonth only (one query); contacts and cases of one code are added up.
    """
    rows = ComplianceMonth.objects.filter(
        organisation=organisation, period__gte=start, period__lt=end
    )
    if codes is not None:
        rows = rows.filter(norm_code__in=list(codes))
    grouped = (
        rows.order_by()
        .values("norm_code", "period")
        .annotate(
            s_total=Sum("total"),
            s_met=Sum("met"),
            s_missed=Sum("missed"),
            s_open=Sum("open"),
            refreshed=Max("refreshed_at"),
        )
    )
    series: dict[str, dict[date, Counts]] = defaultdict(dict)
    refreshed: datetime | None = None
    for row in grouped:
        series[row["norm_code"]][row["period"]] = Counts(
            total=row["s_total"] or 0,
            met=row["s_met"] or 0,
            missed=row["s_missed"] or 0,
            open=row["s_open"] or 0,
        )
        if row["refreshed"] is not None and (refreshed is None or row["refreshed"] > refreshed):
            refreshed = row["refreshed"]
    return dict(series), refreshed


def _in_period(months: dict[date, Counts], period: Period) -> Counts:
    return _sum(counts for month, counts in months.items() if period.contains(month))


def data_range(organisation: Organisation) -> tuple[date, date] | None:
    """Return the first and last month with pre-aggregated figures, or None."""
    bounds = ComplianceMonth.objects.filter(organisation=organisation).aggregate(
        first=Min("period"), last=Max("period")
    )
    if bounds["first"] is None or bounds["last"] is None:
        return None
    return bounds["first"], bounds["last"]


def default_period(
    organisation: Organisation, kind: PeriodKind = "quarter", *, today: date | None = None
) -> Period:
    """The period a page shows without a choice: the one with the latest figures, or today's."""
    bounds = data_range(organisation)
    day = bounds[1] if bounds else (today or timezone.localdate())
    return period_of(day, kind)


# --- the dashboard (pre-aggregated) -----------------------------------------------------------


@dataclass(frozen=True)
class NormTrend:
    """A norm on the dashboard: its figures in the chosen period and in the periods before."""

    norm: NormInfo
    trend: list[PeriodFigures]

    @property
    def current(self) -> PeriodFigures:
        """The figures of the chosen period (the last of the trend)."""
        return self.trend[-1]


@dataclass(frozen=True)
class Dashboard:
    """An organisation's compliance per norm for a period, with a trend, from ComplianceMonth."""

    organisation: Organisation
    period: Period
    periods: list[Period]
    norms: list[NormTrend]
    refreshed_at: datetime | None

    @property
    def measured(self) -> list[NormTrend]:
        """The norms with measurements in the chosen period."""
        return [row for row in self.norms if row.current.n]

    @property
    def reached(self) -> list[NormTrend]:
        """The norms that reached their target in the chosen period."""
        return [row for row in self.norms if row.current.target_reached]


def service_dashboard(
    organisation: Organisation,
    period: Period,
    *,
    code: str | None = None,
    trend_length: int | None = None,
) -> Dashboard:
    """Return the dashboard of ``period``: per norm the target, realisation and trend.

    Two queries: the norms in force in the trend's window, and the ComplianceMonth rows of that
    window. ``code`` limits it to one norm (the chart of that norm). A norm's trend starts with
    the first period in which it was in force or measured: a promise made last year has no
    rows for the years before it.
    """
    periods = trailing(period, trend_length or TREND_LENGTH[period.kind])
    window_start = periods[0].start
    only = [code] if code is not None else None
    series, refreshed = monthly_series(organisation, window_start, period.end, codes=only)
    versions = _record_norms(organisation, window_start, period.end, codes=series, only_codes=only)
    shown = [
        norm_code
        for norm_code, infos in versions.items()
        if _in_force(infos, period) or _in_period(series.get(norm_code, {}), period).total
    ]
    rows = []
    for norm_code in shown:
        infos = versions[norm_code]
        months = series.get(norm_code, {})
        trend: list[PeriodFigures] = []
        for item in periods:
            in_force = _in_force(infos, item)
            counts = _in_period(months, item)
            if not trend and in_force is None and not counts.total:
                continue  # before the promise existed: nothing to show, not "niet gemeten"
            trend.append(
                PeriodFigures(
                    period=item,
                    counts=counts,
                    target_share=in_force.target_share if in_force else None,
                )
            )
        rows.append(NormTrend(norm=_newest(infos, period.start, period.end), trend=trend))
    rows.sort(key=lambda row: row.norm.sort_key)
    return Dashboard(
        organisation=organisation,
        period=period,
        periods=periods,
        norms=rows,
        refreshed_at=refreshed,
    )


# --- live figures (records) -------------------------------------------------------------------


@dataclass(frozen=True)
class NormFigures:
    """A norm's exact figures in a period at the moment of reporting."""

    norm: NormInfo
    met: int = 0
    missed: int = 0
    open_overdue: int = 0
    open_within: int = 0

    @property
    def n(self) -> int:
        """Measured records: met, missed, and open past their deadline (which count as missed)."""
        return self.met + self.missed + self.open_overdue

    @property
    def missed_total(self) -> int:
        """Broken promises at the moment of reporting: missed plus open past the deadline."""
        return self.missed + self.open_overdue

    @property
    def share_met(self) -> float | None:
        """Share of the measured records that met the norm, None when nothing was measured."""
        return self.met / self.n if self.n else None

    @property
    def target_reached(self) -> bool | None:
        """Whether the share met reached the target, None when nothing was measured."""
        return _reached(self.share_met, self.norm.target_share)


@dataclass(frozen=True)
class ComplianceReport:
    """Exact compliance per norm of one organisation in one period."""

    organisation: Organisation
    period: Period
    generated_at: datetime
    norms: list[NormFigures]

    @property
    def measured(self) -> list[NormFigures]:
        """The norms with measurements in the period."""
        return [row for row in self.norms if row.n]

    @property
    def reached(self) -> list[NormFigures]:
        """The norms that reached their target."""
        return [row for row in self.norms if row.target_reached]


def _live_counts(
    record_kind: str, organisation: Organisation, period: Period, now: datetime
) -> dict[int, tuple[int, int, int, int]]:
    """One GROUP BY over one record table: met, missed, open-overdue and open-within per norm id.

    Grouped by norm id, not code: no join over millions of rows (the caller maps the few ids).
    """
    rows = (
        record_queryset(record_kind)
        .filter(
            organisation=organisation,
            period__gte=period.start,
            period__lt=period.end,
            norm__isnull=False,
            verdict__in=[Verdict.MET, Verdict.MISSED, Verdict.OPEN],
        )
        .order_by()
        .values("norm_id")
        .annotate(
            n_met=Count("verdict", filter=Q(verdict=Verdict.MET)),
            n_missed=Count("verdict", filter=Q(verdict=Verdict.MISSED)),
            n_overdue=Count("verdict", filter=overdue_q(now)),
            n_within=Count("verdict", filter=within_q(now)),
        )
    )
    return {
        row["norm_id"]: (row["n_met"], row["n_missed"], row["n_overdue"], row["n_within"])
        for row in rows
    }


def compliance_report(
    organisation: Organisation, period: Period, *, now: datetime | None = None
) -> ComplianceReport:
    """Return the exact figures per norm in ``period``, counting open items at ``now``.

    Open items past their deadline count as missed at the moment of reporting. Four queries:
    one aggregate over the contacts, one over the cases, the codes of the norm ids, and the norms (for title, channel or
    case type, and the target of the newest version in force in the period).
    """
    moment = now or timezone.now()
    by_id: dict[int, tuple[int, int, int, int]] = {}
    for record_kind in RECORD_KINDS:
        by_id.update(_live_counts(record_kind, organisation, period, moment))
    codes = dict(CharterNorm.objects.filter(pk__in=by_id).values_list("pk", "code"))
    counts: dict[str, list[int]] = {}
    for norm_id, values in by_id.items():
        current = counts.setdefault(codes[norm_id], [0, 0, 0, 0])
        for index, value in enumerate(values):
            current[index] += value
    versions = _record_norms(organisation, period.start, period.end, codes=counts)
    rows = []
    for code, infos in versions.items():
        met, missed, overdue, within = counts.get(code, [0, 0, 0, 0])
        rows.append(
            NormFigures(
                norm=_newest(infos, period.start, period.end),
                met=met,
                missed=missed,
                open_overdue=overdue,
                open_within=within,
            )
        )
    rows.sort(key=lambda row: row.norm.sort_key)
    return ComplianceReport(
        organisation=organisation, period=period, generated_at=moment, norms=rows
    )


# --- accountability report --------------------------------------------------------------------


COMPENSATION_STATUSES = [status.value for status in EntryStatus]


def _entries_of_records_in(
    organisation: Organisation, start: date, end: date
) -> QuerySet[CompensationEntry]:
    """Compensation entries for records received in [start, end) (by the record's month)."""
    in_months = {
        record_kind: record_queryset(record_kind).filter(
            organisation=organisation,
            source_id=OuterRef("source_id"),
            period__gte=start,
            period__lt=end,
        )
        for record_kind in RECORD_KINDS
    }
    return CompensationEntry.objects.filter(organisation=organisation).filter(
        Q(Exists(in_months["contact"]), record_kind="contact")
        | Q(Exists(in_months["case"]), record_kind="case")
    )


def compensation_counts(organisation: Organisation, period: Period) -> dict[str, dict[str, int]]:
    """Per norm code, the compensation entries per status for records of the period."""
    rows = (
        _entries_of_records_in(organisation, period.start, period.end)
        .order_by()
        .values("norm__code", "status")
        .annotate(count=Count("pk"))
    )
    result: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COMPENSATION_STATUSES, 0))
    for row in rows:
        result[row["norm__code"]][row["status"]] = row["count"]
    return dict(result)


@dataclass(frozen=True)
class ReportNorm:
    """A norm in the accountability report: live figures and compensation registered."""

    figures: NormFigures
    compensation: dict[str, int]

    @property
    def compensation_total(self) -> int:
        """Compensation entries registered for records of the period."""
        return sum(self.compensation.values())

    @property
    def compensation_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the ledger's order."""
        return [
            (status.value, str(status.label), self.compensation.get(status.value, 0))
            for status in EntryStatus
        ]


@dataclass(frozen=True)
class AccountabilityReport:
    """The quarterly or yearly account of an organisation's promises."""

    report: ComplianceReport
    norms: list[ReportNorm]

    @property
    def period(self) -> Period:
        """The period reported on."""
        return self.report.period

    @property
    def compensation_totals(self) -> list[tuple[str, str, int]]:
        """(status, label, count) over all norms."""
        return [
            (
                status.value,
                str(status.label),
                sum(n.compensation.get(status.value, 0) for n in self.norms),
            )
            for status in EntryStatus
        ]


def accountability_report(
    organisation: Organisation, period: Period, *, now: datetime | None = None
) -> AccountabilityReport:
    """Return the account of ``period``: exact figures per norm and compensation registered."""
    report = compliance_report(organisation, period, now=now)
    compensation = compensation_counts(organisation, period)
    empty = dict.fromkeys(COMPENSATION_STATUSES, 0)
    return AccountabilityReport(
        report=report,
        norms=[
            ReportNorm(figures=row, compensation=compensation.get(row.norm.code, empty))
            for row in report.norms
        ],
    )


# --- open data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDataRow:
    """One norm in one month, as published in the open data."""

    month: date
    norm: NormInfo
    counts: Counts

    @property
    def share_met(self) -> float | None:
        """Share met, None without measurements."""
        return self.counts.share_met


def open_data(organisation: Organisation, period: Period | None = None) -> list[OpenDataRow]:
    """Return per month and norm the published counts (ComplianceMonth), oldest month first.

    Each month carries the norm (title, target) of the newest version in force in that month.
    """
    start = period.start if period else date(1900, 1, 1)
    end = period.end if period else date(2200, 1, 1)
    series, _refreshed = monthly_series(organisation, start, end)
    versions = _record_norms(organisation, only_codes=series)
    rows = []
    for code, months in series.items():
        infos = versions.get(code)
        if not infos:
            continue  # a code no published norm carries any more: nothing to describe it with
        for month, counts in months.items():
            norm = _newest(infos, month, add_months(month, 1))
            rows.append(OpenDataRow(month=month, norm=norm, counts=counts))
    rows.sort(key=lambda row: (row.month, *row.norm.sort_key))
    return rows


# --- benchmark --------------------------------------------------------------------------------


def _published_links(model_norm: ModelNorm | None = None) -> QuerySet[CharterNorm]:
    norms = CharterNorm.objects.filter(
        model_norm__isnull=False,
        organisation__is_active=True,
        version__valid_from__isnull=False,
    ).exclude(version__status=VersionStatus.DRAFT)
    if model_norm is not None:
        norms = norms.filter(model_norm=model_norm)
    return norms


@dataclass(frozen=True)
class ModelNormUse:
    """A model norm and how many organisations have it in a published charter."""

    model_norm: ModelNorm
    organisations: int


def model_norms_in_use() -> list[ModelNormUse]:
    """Return the model norms at least one active organisation has in a published charter."""
    usage = (
        _published_links()
        .order_by()
        .values("model_norm")
        .annotate(organisations=Count("organisation", distinct=True))
    )
    counts = {row["model_norm"]: row["organisations"] for row in usage}
    models = ModelNorm.objects.filter(pk__in=list(counts)).select_related("channel")
    return [ModelNormUse(model_norm=m, organisations=counts[m.pk]) for m in models]


def model_norm_by_code(code: str) -> ModelNorm | None:
    """Return the model norm with ``code``, or None."""
    return ModelNorm.objects.filter(code=code).select_related("channel").first()


@dataclass(frozen=True)
class BenchmarkEntry:
    """One organisation in a benchmark: its own norm and its figures in the period."""

    organisation: Organisation
    norm: NormInfo
    counts: Counts

    @property
    def n(self) -> int:
        """Measured records."""
        return self.counts.n

    @property
    def share_met(self) -> float | None:
        """Share met, None without measurements."""
        return self.counts.share_met

    @property
    def small_n(self) -> bool:
        """Fewer than MIN_ORGANISATION_N measured records: the share is uncertain."""
        return self.counts.n < MIN_ORGANISATION_N

    @property
    def target_reached(self) -> bool | None:
        """Whether the organisation reached its own target."""
        return _reached(self.share_met, self.norm.target_share)


@dataclass(frozen=True)
class BenchmarkGroup:
    """A group of organisations (all, or one size class) with pooled and mean figures."""

    key: str
    label: str | Promise
    entries: list[BenchmarkEntry]

    @property
    def measured(self) -> list[BenchmarkEntry]:
        """Organisations with measurements in the period."""
        return [entry for entry in self.entries if entry.n]

    @property
    def organisations(self) -> int:
        """Organisations with measurements in the period."""
        return len(self.measured)

    @property
    def n(self) -> int:
        """All measured records of the group."""
        return sum(entry.n for entry in self.entries)

    @property
    def pooled_share(self) -> float | None:
        """Share met over all records of the group (large organisations weigh more)."""
        met = sum(entry.counts.met for entry in self.entries)
        return met / self.n if self.n else None

    @property
    def mean_share(self) -> float | None:
        """Mean of the organisations' shares (each organisation weighs the same)."""
        shares = [entry.share_met for entry in self.measured if entry.share_met is not None]
        return sum(shares) / len(shares) if shares else None

    @property
    def small_group(self) -> bool:
        """Fewer than MIN_GROUP_ORGANISATIONS organisations with measurements."""
        return self.organisations < MIN_GROUP_ORGANISATIONS


@dataclass(frozen=True)
class Benchmark:
    """Organisations with the same model norm compared in one period."""

    model_norm: ModelNorm
    period: Period
    entries: list[BenchmarkEntry]
    overall: BenchmarkGroup
    size_classes: list[BenchmarkGroup] = field(default_factory=list)


def benchmark_default_period(model_norm: ModelNorm, *, today: date | None = None) -> Period:
    """The year of the latest figures for this model norm, or the current year."""
    linked = _published_links(model_norm).filter(
        organisation=OuterRef("organisation"), code=OuterRef("norm_code")
    )
    last = ComplianceMonth.objects.filter(Exists(linked)).aggregate(last=Max("period"))["last"]
    return period_of(last or today or timezone.localdate(), "year")


def benchmark(model_norm: ModelNorm, period: Period) -> Benchmark:
    """Compare the organisations whose published charters use ``model_norm`` in ``period``.

    Two queries: the charter norms linked to the model norm (their organisations and targets),
    and the ComplianceMonth sums per organisation of the codes of those norms.
    """
    versions: dict[int, list[tuple[Organisation, NormInfo]]] = defaultdict(list)
    for link in (
        _published_links(model_norm)
        .select_related("organisation", "version", "channel", "model_norm")
        .order_by("version__valid_from", "version__number", "pk")
    ):
        versions[link.organisation_id].append((link.organisation, NormInfo.from_norm(link)))
    linked = _published_links(model_norm).filter(
        organisation=OuterRef("organisation"), code=OuterRef("norm_code")
    )
    sums = (
        ComplianceMonth.objects.filter(
            Exists(linked), period__gte=period.start, period__lt=period.end
        )
        .order_by()
        .values("organisation")
        .annotate(
            s_total=Sum("total"), s_met=Sum("met"), s_missed=Sum("missed"), s_open=Sum("open")
        )
    )
    counts = {
        row["organisation"]: Counts(
            total=row["s_total"] or 0,
            met=row["s_met"] or 0,
            missed=row["s_missed"] or 0,
            open=row["s_open"] or 0,
        )
        for row in sums
    }
    entries = []
    for organisation_id, pairs in versions.items():
        organisation = pairs[-1][0]
        norm = _newest([info for _org, info in pairs], period.start, period.end)
        entries.append(
            BenchmarkEntry(
                organisation=organisation,
                norm=norm,
                counts=counts.get(organisation_id, Counts()),
            )
        )
    entries.sort(
        key=lambda entry: (
            entry.share_met is None,
            -(entry.share_met or 0),
            entry.organisation.name,
        )
    )
    size_classes = []
    for value, label in SizeClass.choices:
        members = [entry for entry in entries if entry.organisation.size_class == value]
        if members:
            size_classes.append(BenchmarkGroup(key=value, label=label, entries=members))
    return Benchmark(
        model_norm=model_norm,
        period=period,
        entries=entries,
        overall=BenchmarkGroup(key="all", label=_("Alle organisaties"), entries=entries),
        size_classes=size_classes,
    )


# --- scorecard evidence -----------------------------------------------------------------------


def evidence_window(today: date) -> tuple[date, date]:
    """The twelve whole months before the month of ``today``: [start, end)."""
    end = month_start(today)
    return add_months(end, -EVIDENCE_MONTHS), end


def charter_evidence(
    organisation: Organisation, *, today: date | None = None, url: str = ""
) -> list[Evidence]:
    """Evidence for the BurgerServiceCode from measured charter results over twelve months.

    * Norm 9 (accountable management): the share of measured charter norms that reached their
      target, since measuring and publishing is the duty.
    * Norm 8 (responsive administration): of the missed promises that promise compensation, the
      share for which compensation was offered or paid.
    * Every norm a charter norm serves (its ``bsc_norms``): that norm's share met.
    """
    start, end = evidence_window(today or timezone.localdate())
    as_of = end - timedelta(days=1)
    series, _refreshed = monthly_series(organisation, start, end)
    if not series:
        return []
    versions = _record_norms(organisation, start, end, codes=series)
    totals = {code: _sum(months.values()) for code, months in series.items() if code in versions}
    norms = {code: _newest(versions[code], start, end) for code in totals}
    measured = [code for code, counts in totals.items() if counts.n]
    if not measured:
        return []
    label = _("Kwaliteitshandvest: gemeten resultaten")
    evidence = []
    reached = [
        code for code in measured if _reached(totals[code].share_met, norms[code].target_share)
    ]
    evidence.append(
        Evidence(
            norm_number=9,
            source=EVIDENCE_SOURCE,
            label=label,
            score=len(reached) / len(measured),
            detail=_(
                "%(reached)s van de %(measured)s gemeten beloften haalden hun streefpercentage "
                "in de laatste twaalf maanden; de resultaten worden gemeten en gepubliceerd."
            )
            % {"reached": len(reached), "measured": len(measured)},
            url=url,
            as_of=as_of,
        )
    )
    with_compensation = [code for code in measured if norms[code].promises_compensation]
    missed = sum(totals[code].missed for code in with_compensation)
    if missed:
        statuses = dict(
            _entries_of_records_in(organisation, start, end)
            .filter(norm__code__in=with_compensation)
            .order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
        )
        registered = sum(statuses.values())
        compensated = statuses.get(EntryStatus.OFFERED, 0) + statuses.get(EntryStatus.PAID, 0)
        evidence.append(
            Evidence(
                norm_number=8,
                source=EVIDENCE_SOURCE,
                label=label,
                score=min(1.0, compensated / missed),
                detail=_(
                    "%(missed)s beloften met compensatie niet nagekomen; bij %(registered)s is "
                    "compensatie geregistreerd, bij %(compensated)s aangeboden of betaald."
                )
                % {"missed": missed, "registered": registered, "compensated": compensated},
                url=url,
                as_of=as_of,
            )
        )
    for code in sorted(measured, key=lambda c: norms[c].sort_key):
        norm, counts = norms[code], totals[code]
        detail = _(
            "%(title)s: %(share)s binnen de norm (streefpercentage %(target)s, %(n)s gemeten)"
        ) % {
            "title": norm.title,
            "share": format_percent(counts.share_met, 1),
            "target": format_percent(norm.target_share, 1),
            "n": format_number(counts.n),
        }
        evidence.extend(
            Evidence(
                norm_number=number,
                source=EVIDENCE_SOURCE,
                label=label,
                score=counts.share_met,
                detail=detail,
                url=url,
                as_of=as_of,
            )
            for number in norm.bsc_norms
        )
    return evidence
