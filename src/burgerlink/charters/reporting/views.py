"""Public pages of the reporting area: dashboard, charts, reports, open data, benchmarks.

All are reads (GET). The dashboard, charts, open data and benchmarks read only the
pre-aggregated ComplianceMonth rows; the accountability reports count the records live.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from burgerlink.charters.reporting import opendata, selectors
from burgerlink.charters.reporting.charts import share_trend_svg
from burgerlink.charters.reporting.forms import PeriodForm
from burgerlink.charters.reporting.selectors import NormTrend
from burgerlink.core import pagecache
from burgerlink.core import selectors as core_selectors
from burgerlink.core.api_support import is_possible_slug
from burgerlink.core.models import Organisation
from burgerlink.core.pdf import html_to_pdf
from burgerlink.core.periods import (
    Period,
    choices_between,
    parse_period,
    period_of,
)

REPORT_KINDS = ("quarter", "year")
# How many years back the benchmark's period selector offers.
BENCHMARK_YEARS = 5


def _organisation_or_404(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug) if is_possible_slug(slug) else None
    if organisation is None:
        raise Http404("Organisation not found")
    return organisation


def _chosen_period(
    request: HttpRequest, fallback: Period, choices: list[Period]
) -> tuple[PeriodForm, Period, bool]:
    """Read ``?periode=`` into a form; return the form, the period to show, and validity."""
    if "periode" not in request.GET:
        return PeriodForm(initial={"periode": fallback.code}, choices=choices), fallback, True
    form = PeriodForm(request.GET, choices=choices)
    if form.is_valid():
        return form, form.cleaned_data["periode"], True
    return form, fallback, False


def _report_period(code: str) -> Period:
    """The quarter or year of an accountability report; anything else is no report (404)."""
    try:
        period = parse_period(code)
    except ValueError as error:
        raise Http404("No such period") from error
    if period.kind not in REPORT_KINDS:
        raise Http404("Reports cover a quarter or a year")
    return period


def _chart_alt(title: str, period: Period) -> str:
    return _(
        "Staafdiagram van %(title)s: het percentage op tijd per periode tot en met %(period)s, "
        "met het streefpercentage als stippellijn. De cijfers staan in de tabel eronder."
    ) % {"title": title, "period": period.label(get_language())}


# --- dashboard ----------------------------------------------------------------------------------


@require_safe
def compliance_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """How well the organisation keeps its promises: per norm target, realisation and trend."""
    organisation = _organisation_or_404(slug)
    today = timezone.localdate()
    bounds = selectors.data_range(organisation)
    first, last = bounds if bounds else (today, today)
    fallback = period_of(last, "quarter")
    form, period, valid = _chosen_period(request, fallback, choices_between(first, last))
    dashboard = selectors.service_dashboard(organisation, period)
    language = get_language()
    report_period = period if period.kind in REPORT_KINDS else period_of(period.start, "quarter")
    norms = [
        {
            "row": row,
            "chart_url": reverse(
                "charters:compliance-chart", args=[organisation.slug, row.norm.code]
            )
            + f"?periode={period.code}",
            "chart_alt": _chart_alt(row.norm.title, period),
        }
        for row in dashboard.norms
    ]
    return render(
        request,
        "charters/reporting/dashboard.html",
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "dashboard": dashboard,
            "norms": norms,
            "form": form,
            "period": period,
            "period_label": period.label(language),
            "report_period": report_period,
            "report_label": report_period.label(language),
            "open_data_fields": opendata.FIELDS,
        },
        status=200 if valid else 400,
    )


@cache_control(max_age=300)
@require_safe
def compliance_chart(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The trend chart of one norm as an SVG image (no inline styles, text as text)."""
    organisation = _organisation_or_404(slug)
    raw = request.GET.get("periode")
    if raw is None:
        bounds = selectors.data_range(organisation)
        period = period_of(bounds[1] if bounds else timezone.localdate(), "quarter")
    else:
        try:
            period = parse_period(raw)
        except ValueError:
            return HttpResponseBadRequest(
                _("Onbekende periode."), content_type="text/plain; charset=utf-8"
            )
    key = _chart_key(organisation, period, code)
    svg = pagecache.recall(key)
    if svg is None:
        dashboard = selectors.service_dashboard(organisation, period, code=code)
        if not dashboard.norms:
            raise Http404("No such norm")
        svg = _chart_svg(dashboard.norms[0], period)
        pagecache.remember(key, svg)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def _chart_key(organisation: Organisation, period: Period, code: str) -> str:
    """Where the chart of one norm and period is kept, as of the organisation's data version.

    Drawing a chart (matplotlib) costs far more than reading its figures, and a chart changes
    only with the data: each one is drawn once per data version (per language, per day) and
    every later request, from any visitor, is answered from the cache. The page itself leaves
    them to the browser's own requests, which the app servers answer side by side.
    """
    return pagecache.versioned_key(organisation.pk, "compliance-chart", period.code, code)


def _chart_svg(row: NormTrend, period: Period) -> str:
    """The trend chart of one norm as SVG text, in the active language."""
    language = get_language()
    return share_trend_svg(
        labels=[item.period.short_label(language) for item in row.trend],
        shares=[item.share_met for item in row.trend],
        targets=[item.target_share for item in row.trend],
        title=row.norm.title,
        description=_chart_alt(row.norm.title, period),
        share_label=_("Percentage op tijd"),
        target_label=_("Streefpercentage"),
        no_data_label="–",
    )


# --- accountability reports -------------------------------------------------------------------


def _report_context(organisation: Organisation, code: str) -> dict[str, Any]:
    period = _report_period(code)
    report = selectors.accountability_report(organisation, period)
    language = get_language()
    neighbours = []
    for steps in (-1, 1):
        try:
            other = period.shifted(steps)
        except ValueError:
            continue  # before 1990 or after 2199: no such report
        neighbours.append((other, other.label(language)))
    if period.kind == "quarter":
        year = period_of(period.start, "year")
        neighbours.append((year, year.label(language)))
    return {
        "organisation": organisation,
        "theme_organisation": organisation,
        "account": report,
        "period": period,
        "period_label": period.label(language),
        "period_last": period.end - timedelta(days=1),
        "neighbours": neighbours,
        "pdf_url": reverse("charters:accountability-pdf", args=[organisation.slug, period.code]),
        "dashboard_url": reverse("charters:compliance-dashboard", args=[organisation.slug])
        + f"?periode={period.code}",
    }


@require_safe
def accountability_report(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    """The quarterly or yearly account: per norm target, realisation, misses, compensation."""
    organisation = _organisation_or_404(slug)
    return render(
        request,
        "charters/reporting/report.html",
        _report_context(organisation, period),
    )


@require_safe
def accountability_report_pdf(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    """The same account as a tagged PDF (PDF/UA-1) for the council and the annual report."""
    organisation = _organisation_or_404(slug)
    context = _report_context(organisation, period)
    page = render_to_string("charters/reporting/report_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(page), content_type="application/pdf")
    filename = f"{organisation.slug}-verantwoording-{context['period'].code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- open data ----------------------------------------------------------------------------------


def _open_data_period(request: HttpRequest) -> Period | None:
    raw = request.GET.get("periode")
    return None if raw is None else parse_period(raw)


def _attachment(response: HttpResponse, organisation: Organisation, extension: str) -> None:
    filename = f"{organisation.slug}-dienstverlening.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


@require_safe
def open_data_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Per norm and month: the counts behind the dashboard, as CSV with a header row."""
    organisation = _organisation_or_404(slug)
    try:
        period = _open_data_period(request)
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    rows = selectors.open_data(organisation, period)
    response = HttpResponse(
        opendata.to_csv(organisation, rows), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, organisation, "csv")
    return response


@require_safe
def open_data_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Per norm and month: the counts behind the dashboard, as JSON that describes its fields."""
    organisation = _organisation_or_404(slug)
    try:
        period = _open_data_period(request)
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    rows = selectors.open_data(organisation, period)
    document = opendata.to_json(organisation, rows, generated_at=timezone.now())
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    _attachment(response, organisation, "json")
    return response


# --- benchmark ----------------------------------------------------------------------------------


@require_safe
def benchmark_index(request: HttpRequest) -> HttpResponse:
    """The model norms that organisations have in their published charters."""
    return render(
        request,
        "charters/reporting/benchmark_index.html",
        {
            "uses": selectors.model_norms_in_use(),
            "min_group": selectors.MIN_GROUP_ORGANISATIONS,
            "min_n": selectors.MIN_ORGANISATION_N,
        },
    )


@require_safe
def benchmark_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Organisations with the same model norm compared: all, and per size class."""
    model_norm = selectors.model_norm_by_code(code)
    if model_norm is None:
        raise Http404("No such model norm")
    today = timezone.localdate()
    fallback = selectors.benchmark_default_period(model_norm, today=today)
    first = date(min(today.year, fallback.year) - BENCHMARK_YEARS + 1, 1, 1)
    choices = choices_between(first, max(today, fallback.start))
    form, period, valid = _chosen_period(request, fallback, choices)
    comparison = selectors.benchmark(model_norm, period)
    return render(
        request,
        "charters/reporting/benchmark_detail.html",
        {
            "model_norm": model_norm,
            "benchmark": comparison,
            "groups": [comparison.overall, *comparison.size_classes],
            "form": form,
            "period": period,
            "period_label": period.label(get_language()),
            "min_group": selectors.MIN_GROUP_ORGANISATIONS,
            "min_n": selectors.MIN_ORGANISATION_N,
        },
        status=200 if valid else 400,
    )
