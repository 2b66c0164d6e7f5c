"""The petition desk (staff): moderation, stages, the answer, suspicious signatures, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.core.models import Organisation
from burgerlink.core.moderation import ModerationAction, ModerationState
from burgerlink.core.permissions import Perm
from burgerlink.participation.models import Petition, Stage
from burgerlink.participation.petitions import selectors, services, signature_list
from burgerlink.participation.petitions.forms import (
    AnswerForm,
    ModerationForm,
    RulesForm,
    StageForm,
    StrikeForm,
)
from burgerlink.web.shell import StaffRequest, render_staff, staff_view


def _petition(organisation: Organisation, pk: int) -> Petition:
    petition = selectors.desk_petition(organisation, pk)
    if petition is None:
        raise Http404("Petition not found")
    return petition


def _back(organisation: Organisation, petition: Petition) -> HttpResponse:
    return redirect("participation:petition-desk-detail", organisation.slug, petition.pk)


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_safe
def desk(request: StaffRequest, organisation: Organisation) -> HttpResponse:
    """The petition desk: petitions to moderate, collecting, at the desk, answered, refused."""
    tab = str(request.GET.get("tab", "moderation"))
    if tab not in selectors.DESK_TABS:
        tab = "moderation"
    return render_staff(
        request,
        organisation,
        "participation/petitions/desk.html",
        {
            "tab": tab,
            "tabs": selectors.DESK_TABS,
            "counts": selectors.desk_counts(organisation),
            "petitions": list(selectors.desk_petitions(organisation, tab)[:200]),
        },
    )


def _detail(
    request: StaffRequest, organisation: Organisation, petition: Petition, **forms: Any
) -> HttpResponse:
    context: dict[str, Any] = {
        "petition": petition,
        "totals": selectors.signature_totals(petition),
        "places": selectors.place_counts(petition),
        "progress": selectors.progress(petition),
        "events": list(selectors.events(petition)),
        "clusters": selectors.clusters(petition),
        "moderation_form": forms.get("moderation_form") or ModerationForm(),
        "stage_form": forms.get("stage_form")
        or StageForm(
            initial={
                "stage": petition.stage,
                "agenda_url": petition.agenda_url,
                "decision_url": petition.decision_url,
            }
        ),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "can_moderate": request.can(Perm.MODERATE),
        "published": petition.moderation_state == ModerationState.PUBLISHED,
        "answered": petition.stage == Stage.ANSWERED,
    }
    status = 400 if forms else 200
    response = render_staff(
        request, organisation, "participation/petitions/desk_detail.html", context
    )
    response.status_code = status
    return response


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_safe
def desk_detail(request: StaffRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """One petition at the desk: its state, history, counts, clusters and actions."""
    return _detail(request, organisation, _petition(organisation, pk))


@staff_view(Perm.MODERATE)
@require_POST
def desk_moderate(request: StaffRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Publish, reject or hide a petition (a reason for the author when not publishing)."""
    petition = _petition(organisation, pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.moderate_petition(
                petition=petition,
                decision=ModerationAction(form.cleaned_data["decision"]),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("Het besluit is opgeslagen en de indiener is gemaild."))
            return _back(organisation, petition)
    return _detail(request, organisation, petition, moderation_form=form)


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_POST
def desk_stage(request: StaffRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Move a petition to another stage at the desk, with agenda and decision links."""
    petition = _petition(organisation, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_stage(
                petition=petition,
                stage=Stage(data["stage"]),
                agenda_url=data["agenda_url"],
                decision_url=data["decision_url"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De fase is opgeslagen."))
            return _back(organisation, petition)
    return _detail(request, organisation, petition, stage_form=form)


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_POST
def desk_answer(request: StaffRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Publish the organisation's answer; it is mailed to every confirmed signatory."""
    petition = _petition(organisation, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_petition(
                petition=petition,
                answer=form.cleaned_data["answer"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Het antwoord staat bij de petitie en gaat naar alle bevestigde ondertekenaars."),
            )
            return _back(organisation, petition)
    return _detail(request, organisation, petition, answer_form=form)


@staff_view(Perm.MODERATE)
@require_POST
def desk_strike(request: StaffRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Strike one cluster of suspicious signatures (a mail domain or a connection)."""
    petition = _petition(organisation, pk)
    form = StrikeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een reeks handtekeningen en geef een reden."))
        return _back(organisation, petition)
    data = form.cleaned_data
    since = selectors.clusters_since()
    struck = services.strike_signatures(
        petition=petition,
        by=request.user,
        reason=data["reason"],
        domain=data["key"] if data["kind"] == "domain" else "",
        client=data["key"] if data["kind"] == "client" else "",
        since=since,
    )
    messages.success(request, _("%(n)s handtekeningen geschrapt.") % {"n": struck})
    return _back(organisation, petition)


@staff_view(Perm.MODERATE)
@require_POST
def desk_restore(request: StaffRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Undo the strikes of a petition."""
    petition = _petition(organisation, pk)
    restored = services.restore_signatures(petition=petition, by=request.user)
    messages.success(request, _("%(n)s handtekeningen teruggezet.") % {"n": restored})
    return _back(organisation, petition)


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_safe
def desk_signature_list(
    request: StaffRequest, organisation: Organisation, pk: int, file_format: str
) -> HttpResponse:
    """Download the signature list for the council (CSV or PDF); audited, never cached."""
    petition = _petition(organisation, pk)
    if petition.moderation_state != ModerationState.PUBLISHED:
        raise Http404("Petition not published")
    stem = f"handtekeningen-{organisation.slug}-{petition.pk}"
    if file_format == "csv":
        response = HttpResponse(
            signature_list.csv_list(petition, by=request.user),
            content_type="text/csv; charset=utf-8",
        )
    elif file_format == "pdf":
        response = HttpResponse(
            signature_list.pdf_list(petition, by=request.user), content_type="application/pdf"
        )
    else:
        raise Http404("Unknown format")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_http_methods(["GET", "HEAD", "POST"])
def desk_rules(request: StaffRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's petition rules: addressee, thresholds, duration, retention."""
    rules = services.rules_of(organisation)
    form = RulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        services.save_rules(organisation=organisation, by=request.user, **form.cleaned_data)
        messages.success(request, _("De petitieregels zijn opgeslagen."))
        return redirect("participation:petition-rules", organisation.slug)
    return render_staff(
        request, organisation, "participation/petitions/desk_rules.html", {"form": form}
    )
