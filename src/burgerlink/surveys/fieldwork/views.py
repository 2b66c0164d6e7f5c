"""Staff pages of fieldwork: surveys and waves, the sample, invitations, letters and imports.

Views parse, authorise (``staff_view``) and delegate to ``services``; every change is a POST.
The wave page shows counts per status, never a list that links invitees to responses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.core.files import ImportRejectedError, template_response
from burgerlink.core.models import Organisation
from burgerlink.core.numbers import format_number
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.surveys.definition import parse
from burgerlink.surveys.fieldwork import selectors, services
from burgerlink.surveys.fieldwork.forms import (
    BounceForm,
    ResponseImportForm,
    SampleUploadForm,
    SurveyForm,
    WaveForm,
)
from burgerlink.surveys.fieldwork.letters import qr_data_uri
from burgerlink.surveys.fieldwork.links import open_link_url, paper_entry_path
from burgerlink.surveys.fieldwork.response_file import EXTERNAL_ID, response_template
from burgerlink.surveys.fieldwork.rules import WaveState
from burgerlink.surveys.fieldwork.sample import sample_template
from burgerlink.surveys.models import Wave
from burgerlink.web.shell import render_staff, staff_view

GET_OR_POST = ["GET", "HEAD", "POST"]
LETTER_KINDS = {"uitnodiging": "invitation", "herinnering": "reminder"}
# The wave form asks for dates; the service speaks of moments.
FORM_FIELDS = {"opens_at": "opens_on", "closes_at": "closes_on"}


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even when empty), None for a GET: binds forms correctly."""
    return request.POST if request.method == "POST" else None


def _wave(organisation: Organisation, wave_id: int) -> Wave:
    wave = selectors.wave_of(organisation, wave_id)
    if wave is None:
        raise Http404("Wave not found")
    return wave


def _to_wave(wave: Wave) -> HttpResponse:
    return redirect("surveys:fieldwork-wave", slug=wave.organisation.slug, wave_id=wave.pk)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form: Any, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            field = FORM_FIELDS.get(name, name)
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@staff_view(Perm.MANAGE_FIELDWORK)
@require_safe
def overview(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Every survey with its waves, their state and response counts."""
    surveys = list(selectors.surveys_of(organisation))
    waves = [wave for survey in surveys for wave in survey.waves.all()]
    by_wave = {item.wave.pk: item for item in selectors.summaries(waves)}
    rows = [
        {"survey": survey, "waves": [by_wave[wave.pk] for wave in survey.waves.all()]}
        for survey in surveys
    ]
    return render_staff(
        request,
        organisation,
        "surveys/fieldwork/overview.html",
        {"rows": rows, "has_questionnaires": selectors.own_questionnaires(organisation).exists()},
    )


@staff_view(Perm.MANAGE_FIELDWORK)
@require_http_methods(GET_OR_POST)
def survey_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Start a survey of one of the organisation's questionnaires."""
    form = SurveyForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(
                organisation=organisation,
                questionnaire=form.cleaned_data["questionnaire"],
                title=form.cleaned_data["title"],
                life_events=form.cleaned_data["life_events"],
                by=acting_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het onderzoek is aangemaakt. Plan nu de eerste meting."))
            return redirect(
                "surveys:fieldwork-wave-create", slug=organisation.slug, survey_id=survey.pk
            )
    return render_staff(
        request,
        organisation,
        "surveys/fieldwork/survey_form.html",
        {"form": form, "has_questionnaires": selectors.own_questionnaires(organisation).exists()},
    )


@staff_view(Perm.MANAGE_FIELDWORK)
@require_http_methods(GET_OR_POST)
def wave_create(request: HttpRequest, organisation: Organisation, survey_id: int) -> HttpResponse:
    """Plan a wave of a survey."""
    survey = selectors.survey_of(organisation, survey_id)
    if survey is None:
        raise Http404("Survey not found")
    today = timezone.localdate()
    form = WaveForm(
        _posted(request),
        survey=survey,
        initial={
            "opens_on": today,
            "closes_on": today + timedelta(days=41),
            "name": _("meting %(year)s") % {"year": today.year},
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = services.create_wave(
                survey=survey,
                version=data["version"],
                name=data["name"],
                opens_at=services.start_of_day(data["opens_on"]),
                closes_at=services.end_of_day(data["closes_on"]),
                anonymous=data["anonymous"],
                population_size=data["population_size"],
                weighting=data["weighting"],
                reminder_days=data["reminder_days"],
                retention_days=data["retention_days"],
                open_link=data["open_link"],
                open_link_limit=data["open_link_limit"],
                by=acting_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De meting is gepland. Lees nu de steekproef in."))
            return _to_wave(wave)
    return render_staff(
        request,
        organisation,
        "surveys/fieldwork/wave_form.html",
        {"form": form, "survey": survey},
    )


@staff_view(Perm.MANAGE_FIELDWORK)
@require_safe
def wave_detail(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """A wave's fieldwork: counts per status, response rate and every action."""
    wave = _wave(organisation, wave_id)
    summary = selectors.summary(wave)
    open_link = open_link_url(wave.open_link, _base_url(request)) if wave.open_link else ""
    live = summary.state == WaveState.OPEN and wave.sample_erased_at is None
    return render_staff(
        request,
        organisation,
        "surveys/fieldwork/wave_detail.html",
        {
            "wave": wave,
            "summary": summary,
            "live": live,
            "contacts": selectors.contact_counts(wave),
            "reminders_due": services.reminders_due_count(wave) if live else 0,
            "invitation_parts": selectors.letter_parts(wave, "invitation"),
            "reminder_parts": selectors.letter_parts(wave, "reminder"),
            "open_link": open_link,
            "open_link_qr": qr_data_uri(open_link) if open_link else "",
            "paper_entry": paper_entry_path(organisation.slug, wave.pk),
            "bounce_form": BounceForm(),
            "retention_ends": wave.closes_at + timedelta(days=wave.retention_days),
        },
    )


def _weighting_rows(wave: Wave) -> list[tuple[str, list[str]]]:
    """(variable, categories) of the wave's weighting targets, for the column tables."""
    return [(name, list(shares)) for name, shares in services.weighting_targets(wave).items()]


def _problem_context(rejected: ImportRejectedError) -> dict[str, Any]:
    return {
        "problems": rejected.problems,
        "problem_total": rejected.total,
        "ignored_columns": rejected.ignored_columns,
    }


@staff_view(Perm.MANAGE_FIELDWORK)
@require_http_methods(GET_OR_POST)
def sample_upload(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Read the sample from a CSV file: all or nothing, problems per row and column."""
    wave = _wave(organisation, wave_id)
    form = SampleUploadForm(_posted(request), request.FILES or None)
    context: dict[str, Any] = {
        "wave": wave,
        "form": form,
        "weighting": _weighting_rows(wave),
    }
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_sample(
                wave, form.cleaned_data["file"].file, by=acting_user(request)
            )
        except ImportRejectedError as rejected:
            context.update(_problem_context(rejected))
        else:
            messages.success(
                request,
                _("%(count)s genodigde(n) toegevoegd, elk met een eigen toegangscode.")
                % {"count": format_number(result.created)},
            )
            if result.ignored_columns:
                messages.info(
                    request,
                    _("Deze kolommen zijn niet nodig en daarom niet opgeslagen: %(columns)s.")
                    % {"columns": ", ".join(result.ignored_columns)},
                )
            return _to_wave(wave)
    return render_staff(request, organisation, "surveys/fieldwork/sample_upload.html", context)


def _queue_mail(
    request: HttpRequest, wave: Wave, queue: Callable[..., int], done: str
) -> HttpResponse:
    """Queue e-mails with ``queue`` and tell the member how many go out, or why none do."""
    try:
        count = queue(wave=wave, base_url=_base_url(request), by=acting_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done % {"count": format_number(count)})
    return _to_wave(wave)


@staff_view(Perm.MANAGE_FIELDWORK)
@require_POST
def send_invitations(
    request: HttpRequest, organisation: Organisation, wave_id: int
) -> HttpResponse:
    """Send the invitation e-mails (in the background)."""
    return _queue_mail(
        request,
        _wave(organisation, wave_id),
        services.queue_invitations,
        _("%(count)s uitnodiging(en) worden op de achtergrond verstuurd."),
    )


@staff_view(Perm.MANAGE_FIELDWORK)
@require_POST
def send_reminders(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Send the reminders that are due now (in the background)."""
    return _queue_mail(
        request,
        _wave(organisation, wave_id),
        services.queue_reminders,
        _("%(count)s herinnering(en) worden op de achtergrond verstuurd."),
    )


@staff_view(Perm.MANAGE_FIELDWORK)
@require_safe
def letters(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """The letters for people reached by post, as a PDF (one part of at most 100 letters)."""
    wave = _wave(organisation, wave_id)
    kind = LETTER_KINDS.get(request.GET.get("soort", "uitnodiging"))
    try:
        part = int(request.GET.get("deel", "1"))
    except ValueError:
        part = 0
    if kind is None or not 1 <= part <= 100_000:
        raise Http404("No such letters")
    try:
        export = services.export_letters(
            wave=wave, kind=kind, part=part, base_url=_base_url(request), by=acting_user(request)
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _to_wave(wave)
    response = HttpResponse(export.pdf, content_type="application/pdf")
    label = "herinnering" if kind == "reminder" else "uitnodiging"
    response["Content-Disposition"] = (
        f'attachment; filename="brieven-{label}-meting-{wave.pk}-deel-{part}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view(Perm.MANAGE_FIELDWORK)
@require_POST
def letters_sent(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Record that the invitation letters were posted."""
    wave = _wave(organisation, wave_id)
    count = services.mark_letters_sent(wave=wave, by=acting_user(request))
    messages.success(
        request,
        _("%(count)s genodigde(n) zonder e-mailadres staan nu op 'uitgenodigd'.")
        % {"count": format_number(count)},
    )
    return _to_wave(wave)


@staff_view(Perm.MANAGE_FIELDWORK)
@require_POST
def mark_bounced(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Mark one invitee as unreachable, by e-mail address or access code."""
    wave = _wave(organisation, wave_id)
    form = BounceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul het e-mailadres of de toegangscode in."))
        return _to_wave(wave)
    try:
        services.mark_bounced(
            wave=wave, address=form.cleaned_data["address"], by=acting_user(request)
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("De genodigde staat nu op 'onbestelbaar'."))
    return _to_wave(wave)


@staff_view(Perm.MANAGE_FIELDWORK)
@require_POST
def close_wave(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Close an open wave now."""
    wave = _wave(organisation, wave_id)
    try:
        services.close_wave(wave=wave, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("De meting is gesloten. De steekproef wordt na %(days)s dagen gewist.")
            % {"days": wave.retention_days},
        )
    return _to_wave(wave)


@staff_view(Perm.MANAGE_FIELDWORK)
@require_POST
def add_open_link(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Give the wave an open link."""
    wave = _wave(organisation, wave_id)
    try:
        services.add_open_link(wave=wave, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("De open link is aangemaakt."))
    return _to_wave(wave)


@staff_view(Perm.MANAGE_FIELDWORK)
@require_http_methods(GET_OR_POST)
def response_import(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Read completed responses from a fieldwork bureau (CSV or SPSS .sav)."""
    wave = _wave(organisation, wave_id)
    form = ResponseImportForm(_posted(request), request.FILES or None)
    context: dict[str, Any] = {
        "wave": wave,
        "form": form,
        "columns": selectors.import_columns(wave),
        "external_id": EXTERNAL_ID,
        "weighting": _weighting_rows(wave),
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_responses(
                wave, upload.file, filename=upload.name or "", by=acting_user(request)
            )
        except ImportRejectedError as rejected:
            context.update(_problem_context(rejected))
        else:
            messages.success(
                request,
                _("%(created)s respons(en) ingelezen; %(present)s stonden er al (zelfde kenmerk).")
                % {
                    "created": format_number(result.created),
                    "present": format_number(result.already_present),
                },
            )
            return _to_wave(wave)
    return render_staff(request, organisation, "surveys/fieldwork/response_import.html", context)


TEMPLATE_FORMATS = {"csv", "xlsx"}


@staff_view(Perm.MANAGE_FIELDWORK)
@require_safe
def sample_file_template(
    request: HttpRequest, organisation: Organisation, wave_id: int, fmt: str
) -> HttpResponse:
    """An empty sample file (CSV or XLSX) for this wave: its columns and two example rows."""
    wave = _wave(organisation, wave_id)
    if fmt not in TEMPLATE_FORMATS:
        raise Http404
    columns, rows = sample_template(services.weighting_targets(wave))
    return template_response(f"steekproef-meting-{wave.pk}", columns, rows, fmt)


@staff_view(Perm.MANAGE_FIELDWORK)
@require_safe
def response_file_template(
    request: HttpRequest, organisation: Organisation, wave_id: int, fmt: str
) -> HttpResponse:
    """An empty response file (CSV or XLSX) for this wave's version: a column per variable."""
    wave = _wave(organisation, wave_id)
    if fmt not in TEMPLATE_FORMATS:
        raise Http404
    try:
        definition = parse(wave.version.definition)
    except ValueError as error:
        raise Http404("No valid questionnaire version") from error
    columns, rows = response_template(definition, services.weighting_targets(wave))
    return template_response(f"responsen-meting-{wave.pk}", columns, rows, fmt)
