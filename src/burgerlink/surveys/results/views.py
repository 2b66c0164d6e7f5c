"""Staff pages of the results area: per wave the results, charts, open answers, chain views,
the PDF report and exports; and a benchmark between organisations.

Every page needs ``Perm.VIEW_SURVEY_RESULTS`` in the organisation (``staff_view``: outsiders get
404). Views parse, ask the selectors and the report builder, and render; the writes are
requesting an export and changing the analysis settings (POSTs), and every download is audited.
"""

from __future__ import annotations

import base64
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.core.exports import selectors as export_selectors
from burgerlink.core.exports.http import download_response, status_context
from burgerlink.core.models import Organisation
from burgerlink.core.pdf import html_to_pdf
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.surveys.models import AnalysisSettings, Wave
from burgerlink.surveys.results import dataset, exports, figures, selectors, services
from burgerlink.surveys.results.forms import (
    AnalysisSettingsForm,
    BenchmarkForm,
    ExportForm,
    FilterForm,
)
from burgerlink.surveys.results.report import (
    Row,
    build_report,
    changes,
)
from burgerlink.web.shell import render_staff, staff_request, staff_view

OPEN_PER_PAGE = 25
OPEN_SEARCH_LENGTH = 200


# --- helpers ----------------------------------------------------------------------------------


def _wave(organisation: Organisation, wave_id: int) -> Wave:
    wave = selectors.wave_of(organisation, wave_id)
    if wave is None:
        raise Http404("Wave not found")
    return wave


def _filtered(request: HttpRequest, wave: Wave) -> tuple[FilterForm, dataset.WaveAnalysis]:
    """The filter form and the analysis it asks for (unfiltered when the form is invalid)."""
    everything = dataset.wave_analysis(wave)
    form = FilterForm(
        request.GET or None, catalogue=everything.catalogue, backgrounds=everything.backgrounds
    )
    filters = form.filters()
    analysis = dataset.wave_analysis(wave, filters) if filters.active else everything
    return form, analysis


def _query(filters: dataset.Filters) -> str:
    params = filters.query()
    return "?" + urlencode(params) if params else ""


def _svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _method(analysis: dataset.WaveAnalysis) -> dict[str, Any]:
    weights = analysis.weights
    return {
        "weighting_method": weights.method,
        "weighting_variables": ", ".join(
            dataset.background_name(name, analysis.catalogue, get_language() or "nl").lower()
            for name in weights.variables
        ),
        "weighting_message": weights.message,
        "effective_n": weights.effective_n,
        "design_effect": weights.design_effect,
        "trim_ratio": 5,
        "n_trimmed": weights.n_trimmed,
        "converged": weights.converged,
        "iterations": weights.iterations,
        "max_margin_error": weights.max_margin_error,
        "population": analysis.wave.population_size if analysis.fpc else None,
        "population_size": analysis.wave.population_size if not analysis.filters.active else None,
        "n_sampled": analysis.n_sampled,
        "rules": analysis.rules,
    }


def wave_context(
    request: HttpRequest | None,
    organisation: Organisation,
    wave: Wave,
    analysis: dataset.WaveAnalysis,
) -> dict[str, Any]:
    """What the results page and the PDF report show for a wave."""
    report = build_report(analysis)
    previous = selectors.previous_wave(wave)
    change_rows: list[Any] = []
    if previous is not None:
        earlier = dataset.wave_analysis(previous, analysis.filters)
        if earlier.n:
            change_rows = changes(analysis, earlier)
    query = _query(analysis.filters)
    return {
        "wave": wave,
        "analysis": analysis,
        "report": report,
        "rate": selectors.response_rate(wave),
        "previous": previous,
        "changes": change_rows,
        "charts": figures.chart_links(
            organisation, wave, query, life_event=analysis.catalogue.life_event
        ),
        "query": query,
        "method": _method(analysis),
        "open_counts": selectors.open_answer_counts(wave, analysis.catalogue.open),
        "open_questions": [
            (code, analysis.catalogue.by_code[code].label(get_language() or "nl"))
            for code in analysis.catalogue.open
        ],
        "hidden_label": report.hidden_label,
        "filter_summary": _filter_summary(analysis),
    }


def _filter_summary(analysis: dataset.WaveAnalysis) -> list[str]:
    filters = analysis.filters
    parts = []
    if filters.life_event:
        parts.append(
            _("levensgebeurtenis %(name)s")
            % {"name": analysis.catalogue.event_label(filters.life_event, get_language() or "nl")}
        )
    if filters.organisation:
        names = selectors.agency_names()
        parts.append(
            _("organisatie %(name)s")
            % {"name": names.get(filters.organisation, filters.organisation)}
        )
    if filters.background:
        name, value = filters.background
        parts.append(
            _("achtergrondgroep %(name)s: %(value)s")
            % {
                "name": dataset.background_name(name, analysis.catalogue, get_language() or "nl"),
                "value": dataset.background_value(name, value, analysis.backgrounds),
            }
        )
    return parts


# --- pages ------------------------------------------------------------------------------------


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def results_index(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's waves, each with its number of completed responses."""
    return render_staff(
        request,
        organisation,
        "surveys/results/index.html",
        {
            "waves": selectors.waves_of(organisation),
            "has_benchmark": bool(selectors.benchmark_templates(organisation)),
            "rules": selectors.rules_for(organisation.pk),
            "can_change_settings": staff_request(request).can(Perm.MANAGE_SURVEYS),
        },
    )


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def wave_results(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """A wave's results on three levels, with filters, charts, drivers, comparison, exports."""
    wave = _wave(organisation, wave_id)
    form, analysis = _filtered(request, wave)
    context = wave_context(request, organisation, wave, analysis)
    can_export = staff_request(request).can(Perm.EXPORT_SURVEY_RESPONSES)
    context.update({"form": form, "can_export": can_export})
    if can_export:
        context["export_form"] = ExportForm()
        context.update(_export_status(request, organisation, wave))
    return render_staff(request, organisation, "surveys/results/wave.html", context)


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def wave_chart(
    request: HttpRequest, organisation: Organisation, wave_id: int, chart: str
) -> HttpResponse:
    """One chart of a wave's results as an SVG image (filters as on the page)."""
    if chart not in figures.CHARTS:
        raise Http404("No such chart")
    wave = _wave(organisation, wave_id)
    _form, analysis = _filtered(request, wave)
    made = figures.wave_chart(chart, build_report(analysis))
    if made is None:
        raise Http404("No such chart")
    return _svg_response(made[0])


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def open_answers(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """The texts of the open questions, grouped, searchable and paginated; never who wrote them."""
    wave = _wave(organisation, wave_id)
    form, analysis = _filtered(request, wave)
    cat = analysis.catalogue
    code = request.GET.get("vraag") or (cat.open[0] if cat.open else "")
    if code not in cat.open:
        code = cat.open[0] if cat.open else ""
    search = " ".join((request.GET.get("zoek") or "").split())[:OPEN_SEARCH_LENGTH]
    hidden = analysis.small_for_open_answers()
    found = (
        dataset.OpenAnswers([], 0, 0)
        if hidden or not code
        else dataset.open_answers(analysis, code, search)
    )
    page = Paginator(found.groups, OPEN_PER_PAGE).get_page(request.GET.get("pagina"))
    language = get_language() or "nl"
    base = analysis.filters.query()
    return render_staff(
        request,
        organisation,
        "surveys/results/open_answers.html",
        {
            "wave": wave,
            "form": form,
            "analysis": analysis,
            "questions": [
                (
                    item,
                    cat.by_code[item].label(language),
                    "?" + urlencode({**base, "vraag": item}),
                )
                for item in cat.open
            ],
            "code": code,
            "question": cat.by_code[code].label(language) if code else "",
            "found": found,
            "search": search,
            "search_max": OPEN_SEARCH_LENGTH,
            "keep": list({**base, "vraag": code}.items()),
            "clear_query": urlencode({**base, "vraag": code}),
            "page": page,
            "hidden": hidden,
            "page_query": urlencode(
                {**base, "vraag": code, **({"zoek": search} if search else {})}
            ),
            "query": _query(analysis.filters),
        },
    )


def _chain(organisation: Organisation, wave: Wave, event: str) -> dict[str, Any]:
    everything = dataset.wave_analysis(wave)
    cat = everything.catalogue
    if event not in {option.key for option in cat.events}:
        raise Http404("No such life event in this questionnaire")
    analysis = dataset.wave_analysis(wave, dataset.Filters(life_event=event))
    report = build_report(analysis)
    by_agency = {row.key: row for row in report.organisations}
    order = [code for code in selectors.chain_order(event) if code in by_agency]
    order += sorted(code for code in by_agency if code not in order)
    names = selectors.agency_names()
    organisations = [by_agency[code] for code in order]
    chain_row = (
        Row.of(_("Keten van de levensgebeurtenis"), analysis.government(cat.chain))
        if cat.chain
        else None
    )
    overall_row = (
        Row.of(_("Overheid als geheel"), analysis.government(cat.overall)) if cat.overall else None
    )
    return {
        "wave": wave,
        "event": event,
        "event_label": cat.event_label(event, get_language() or "nl"),
        "analysis": analysis,
        "organisations": organisations,
        "chain_names": [names.get(code, code) for code in selectors.chain_order(event)],
        "chain_row": chain_row,
        "overall_row": overall_row,
        "hidden_label": report.hidden_label,
        "chart_url": reverse(
            "surveys:results-chain-chart", args=[organisation.slug, wave.pk, event]
        ),
    }


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def chain_view(
    request: HttpRequest, organisation: Organisation, wave_id: int, event: str
) -> HttpResponse:
    """One life event: every organisation of its chain side by side with the chain grade."""
    wave = _wave(organisation, wave_id)
    return render_staff(
        request, organisation, "surveys/results/chain.html", _chain(organisation, wave, event)
    )


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def chain_chart(
    request: HttpRequest, organisation: Organisation, wave_id: int, event: str
) -> HttpResponse:
    """The chain view's chart: organisations, the chain and government as a whole."""
    wave = _wave(organisation, wave_id)
    context = _chain(organisation, wave, event)
    levels = [row for row in (context["chain_row"], context["overall_row"]) if row is not None]
    return _svg_response(
        figures.chain_chart(
            context["organisations"],
            levels,
            event_label=context["event_label"],
            hidden_label=context["hidden_label"],
        )
    )


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def report_pdf(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """The wave's results as a tagged PDF (PDF/UA-1): tables, charts, matrix, method."""
    wave = _wave(organisation, wave_id)
    _form, analysis = _filtered(request, wave)
    context = wave_context(request, organisation, wave, analysis)
    images = {}
    for name in figures.CHARTS:
        made = figures.wave_chart(name, context["report"])
        if made is not None:
            encoded = base64.b64encode(made[0].encode("utf-8")).decode("ascii")
            images[name] = f"data:image/svg+xml;base64,{encoded}"
    context.update({"organisation": organisation, "images": images})
    page = render_to_string("surveys/results/report_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(page), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="resultaten-meting-{wave.pk}.pdf"'
    return response


def _export_status(request: HttpRequest, organisation: Organisation, wave: Wave) -> dict[str, Any]:
    """The wave's ten latest exports for the status list (``web/includes/export_status.html``)."""
    page = reverse("surveys:results-wave", args=[organisation.slug, wave.pk])
    query = request.GET.urlencode()
    return status_context(
        export_selectors.exports_of(organisation, exports.RESPONSES, str(wave.pk))[:10],
        download_url=lambda export: reverse(
            "surveys:results-export-download", args=[organisation.slug, export.pk]
        ),
        status_url=reverse("surveys:results-export-status", args=[organisation.slug, wave.pk]),
        refresh_url=f"{page}{'?' + query if query else ''}#exports",
        caption=_("Exports van deze meting"),
        nouns=(_("respons"), _("responsen")),
    )


@staff_view(Perm.EXPORT_SURVEY_RESPONSES)
@require_POST
def export_create(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Request an export of the wave's responses; it is made in the background."""
    wave = _wave(organisation, wave_id)
    form = ExportForm(request.POST)
    target = reverse("surveys:results-wave", args=[organisation.slug, wave.pk]) + "#exports"
    if not form.is_valid():
        messages.error(request, _("Kies een bestandsformaat."))
        return redirect(target)
    try:
        services.request_export(wave, form.cleaned_data["formaat"], by=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    messages.success(
        request,
        _(
            "De export wordt gemaakt. De voortgang staat hieronder; daarna kunt u het bestand "
            "downloaden."
        ),
    )
    return redirect(target)


@staff_view(Perm.EXPORT_SURVEY_RESPONSES)
@require_safe
def export_status(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """The status list of the wave's exports alone: what the page asks for while one runs."""
    wave = _wave(organisation, wave_id)
    context = _export_status(request, organisation, wave)
    response = render(request, "web/includes/export_status.html", context)
    response["Cache-Control"] = "no-store"
    return response


@staff_view(Perm.EXPORT_SURVEY_RESPONSES)
@require_safe
def export_download(
    request: HttpRequest, organisation: Organisation, export_id: int
) -> HttpResponse:
    """Download a finished export (audited, never cached); never served from a public location."""
    export = export_selectors.export_of(organisation, export_id, kind=exports.RESPONSES)
    if export is None:
        raise Http404("Export not found")
    # staff_view types its views as returning HttpResponse; a streamed file is just as good
    return cast(HttpResponse, download_response(export, by=acting_user(request)))


# --- benchmark ---------------------------------------------------------------------------------


def _benchmark(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    templates = selectors.benchmark_templates(organisation)
    choices = [
        (str(version.pk), f"{version.questionnaire.title}, versie {version.number}")
        for version in templates
    ]
    form = BenchmarkForm(request.GET or None, choices=choices)
    chosen = templates[0] if templates else None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("sjabloon"):
        wanted = form.cleaned_data["sjabloon"]
        chosen = next((version for version in templates if str(version.pk) == wanted), chosen)
    rows = dataset.benchmark(chosen, organisation) if chosen is not None else []
    rules = selectors.rules_for(organisation.pk)
    return {
        "form": form,
        "templates": templates,
        "chosen": chosen,
        "rows": [
            {
                "row": row,
                "overall": Row.of(row.organisation.name, row.overall),
                "chain": Row.of(row.organisation.name, row.chain),
            }
            for row in rows
        ],
        "hidden_label": _("te weinig antwoorden (n < %(n)s)") % {"n": rules.hide_below},
        "chart_url": reverse("surveys:results-benchmark-chart", args=[organisation.slug])
        + ("?" + urlencode({"sjabloon": chosen.pk}) if chosen is not None else ""),
    }


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def benchmark(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Organisations that fielded the same template version, side by side with n and intervals."""
    return render_staff(
        request, organisation, "surveys/results/benchmark.html", _benchmark(request, organisation)
    )


@staff_view(Perm.VIEW_SURVEY_RESULTS)
@require_safe
def benchmark_chart(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The benchmark's chart: the overall grade per organisation with its interval."""
    context = _benchmark(request, organisation)
    rows = [(item["overall"], item["row"].own) for item in context["rows"]]
    return _svg_response(figures.benchmark_chart(rows, hidden_label=context["hidden_label"]))


@staff_view(Perm.MANAGE_SURVEYS)
@require_http_methods(["GET", "HEAD", "POST"])
def analysis_settings(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's small-group thresholds and significance level (GET shows, POST saves)."""
    current = AnalysisSettings.objects.filter(organisation=organisation).first()
    if current is None:
        current = AnalysisSettings(organisation=organisation)
    if request.method == "POST":
        form = AnalysisSettingsForm(request.POST, instance=current)
        if form.is_valid():
            services.save_analysis_settings(
                organisation,
                hide_below=form.cleaned_data["hide_below"],
                flag_below=form.cleaned_data["flag_below"],
                alpha=form.cleaned_data["alpha"],
                by=acting_user(request),
            )
            messages.success(request, _("De analyse-instellingen zijn opgeslagen."))
            return redirect("surveys:results-settings", organisation.slug)
    else:
        form = AnalysisSettingsForm(instance=current)
    response = render_staff(request, organisation, "surveys/results/settings.html", {"form": form})
    if form.errors:
        response.status_code = 400
    return response
