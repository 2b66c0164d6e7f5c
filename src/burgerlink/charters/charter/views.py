"""Staff pages of quality charters: overview, compose a draft, publish, the prize assessment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.charters.charter import display, selectors, services
from burgerlink.charters.charter.assessment import GROUPS, assess
from burgerlink.charters.charter.forms import (
    IntroForm,
    LibraryForm,
    NormForm,
    PublishForm,
    StartCharterForm,
)
from burgerlink.charters.models import CharterNorm, CharterVersion, ModelNorm, VersionStatus
from burgerlink.core.models import Organisation
from burgerlink.core.numbers import format_number
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.shell import render_staff, staff_view

GET_OR_POST = ["GET", "HEAD", "POST"]


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even when empty), None for a GET: binds forms correctly."""
    return request.POST if request.method == "POST" else None


def _version(organisation: Organisation, pk: int) -> CharterVersion:
    return get_object_or_404(
        CharterVersion.objects.select_related("charter"), organisation=organisation, pk=pk
    )


def _norm(version: CharterVersion, norm_pk: int) -> CharterNorm:
    return get_object_or_404(
        CharterNorm.objects.select_related("channel", "model_norm", "version"),
        version=version,
        pk=norm_pk,
    )


def _to_version(version: CharterVersion) -> HttpResponse:
    return redirect("charters:charter-version", slug=version.organisation.slug, pk=version.pk)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@staff_view(Perm.MANAGE_CHARTERS)
@require_http_methods(GET_OR_POST)
def overview(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The charter's versions with their validity, the review due date; POST starts a charter."""
    form = StartCharterForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.start_charter(
                organisation, acting_user(request), title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("charters:charter-staff", slug=organisation.slug)
        messages.success(request, _("Het handvest is gestart: kies nu de normen voor versie 1."))
        return _to_version(draft)
    today = timezone.localdate()
    current = selectors.version_valid_on(organisation, today)
    return render_staff(
        request,
        organisation,
        "charters/charter/staff_overview.html",
        {
            "charter": selectors.charter_of(organisation),
            "versions": selectors.all_versions(organisation),
            "current": current,
            "upcoming": selectors.upcoming_version(organisation, today),
            "draft": selectors.draft_of(organisation),
            "review": selectors.review_state(organisation, today),
            "groups": selectors.poster_groups(current) if current is not None else [],
            "form": form,
        },
    )


def _render_version(
    request: HttpRequest,
    organisation: Organisation,
    version: CharterVersion,
    *,
    intro_form: IntroForm | None = None,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    norms = selectors.norms_in(version)
    editable = version.status == VersionStatus.DRAFT
    response = render_staff(
        request,
        organisation,
        "charters/charter/staff_version.html",
        {
            "version": version,
            "editable": editable,
            "norms": [display.view_of(norm) for norm in norms],
            "coverage": selectors.bsc_coverage(norms),
            "intro_form": intro_form
            or IntroForm(initial={"intro_nl": version.intro_nl, "intro_en": version.intro_en}),
            "publish_form": publish_form or PublishForm(),
            "previous": selectors.latest_published(organisation) if editable else None,
            "draft": selectors.draft_of(organisation),
        },
    )
    response.status_code = status
    return response


@staff_view(Perm.MANAGE_CHARTERS)
@require_http_methods(GET_OR_POST)
def version_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """One version: its norms; for a draft also the introduction, norm actions and publishing."""
    version = _version(organisation, pk)
    if request.method == "POST":
        intro_form = IntroForm(request.POST)
        if intro_form.is_valid():
            try:
                services.update_intro(
                    version,
                    acting_user(request),
                    intro_nl=intro_form.cleaned_data["intro_nl"],
                    intro_en=intro_form.cleaned_data["intro_en"],
                )
            except ValidationError as error:
                messages.error(request, _errors(error))
                return _to_version(version)
            messages.success(request, _("De inleiding is bewaard."))
            return _to_version(version)
        return _render_version(request, organisation, version, intro_form=intro_form, status=400)
    return _render_version(request, organisation, version)


@staff_view(Perm.MANAGE_CHARTERS)
@require_http_methods(GET_OR_POST)
def library(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Choose model norms from the library for a draft: checkboxes per channel or product."""
    version = _version(organisation, pk)
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("Alleen een concept kan nog veranderen."))
        return _to_version(version)
    form = LibraryForm(_posted(request))
    failures: list[str] = []
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["model_norms"])
        failures = _add_from_library(version, chosen, request)
        if not failures:
            messages.success(
                request,
                _("%(n)s normen toegevoegd. Pas per norm uw eigen streefwaarde en compensatie aan.")
                % {"n": format_number(len(chosen))},
            )
            return _to_version(version)
    response = render_staff(
        request,
        organisation,
        "charters/charter/staff_library.html",
        {
            "version": version,
            "form": form,
            "groups": [
                (
                    label,
                    [
                        (item, display.norm_label(item), display.percentage(item.target_share))
                        for item in items
                    ],
                )
                for label, items in display.library_groups(list(selectors.active_model_norms()))
            ],
            "in_version": {norm.code for norm in version.norms.all()},
            "chosen": form.chosen_ids(),
            "failures": failures,
        },
    )
    return _with_status(response, 400 if form.is_bound and (failures or form.errors) else 200)


def _add_from_library(
    version: CharterVersion, chosen: list[ModelNorm], request: HttpRequest
) -> list[str]:
    """Add every chosen model norm, or none of them; return why norms were refused."""
    failures: list[str] = []
    try:
        # All or nothing: half a selection would surprise whoever ticked the boxes.
        with transaction.atomic():
            for model_norm in chosen:
                try:
                    services.add_norm_from_model(version, model_norm, acting_user(request))
                except ValidationError as error:
                    failures.append(f"{model_norm.title_nl}: {_errors(error)}")
            if failures:
                raise ValidationError(failures)
    except ValidationError:
        return failures
    return []


def _with_status(response: HttpResponse, status: int) -> HttpResponse:
    response.status_code = status
    return response


def _norm_page(
    request: HttpRequest,
    organisation: Organisation,
    version: CharterVersion,
    form: NormForm,
    norm: CharterNorm | None,
    status: int = 200,
) -> HttpResponse:
    return _with_status(
        render_staff(
            request,
            organisation,
            "charters/charter/staff_norm.html",
            {
                "version": version,
                "form": form,
                "norm": norm,
                "editable": version.status == VersionStatus.DRAFT,
            },
        ),
        status,
    )


@staff_view(Perm.MANAGE_CHARTERS)
@require_http_methods(GET_OR_POST)
def norm_add(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Add a norm of the organisation's own to a draft."""
    version = _version(organisation, pk)
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("Alleen een concept kan nog veranderen."))
        return _to_version(version)
    fields = services.OWN_NORM_FIELDS - {"position"}
    form = NormForm(_posted(request), fields=fields)
    if request.method == "POST":
        if form.is_valid():
            try:
                norm = services.add_own_norm(version, acting_user(request), **form.cleaned_data)
            except ValidationError as error:
                form.attach(error)
            else:
                messages.success(
                    request, _("De norm „%(title)s” is toegevoegd.") % {"title": norm.title_nl}
                )
                return _to_version(version)
        return _norm_page(request, organisation, version, form, None, status=400)
    return _norm_page(request, organisation, version, form, None)


@staff_view(Perm.MANAGE_CHARTERS)
@require_http_methods(GET_OR_POST)
def norm_edit(
    request: HttpRequest, organisation: Organisation, pk: int, norm_pk: int
) -> HttpResponse:
    """Edit one norm of a draft (read-only view of a norm in a published version)."""
    version = _version(organisation, pk)
    norm = _norm(version, norm_pk)
    fields = services.editable_fields(norm)
    form = NormForm(_posted(request), fields=fields, initial=NormForm.initial_for(norm, fields))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_norm(norm, acting_user(request), **form.cleaned_data)
            except ValidationError as error:
                form.attach(error)
            else:
                messages.success(
                    request, _("De norm „%(title)s” is bewaard.") % {"title": norm.title_nl}
                )
                return _to_version(version)
        return _norm_page(request, organisation, version, form, norm, status=400)
    return _norm_page(request, organisation, version, form, norm)


@staff_view(Perm.MANAGE_CHARTERS)
@require_POST
def norm_remove(
    request: HttpRequest, organisation: Organisation, pk: int, norm_pk: int
) -> HttpResponse:
    """Take a norm out of a draft."""
    version = _version(organisation, pk)
    norm = _norm(version, norm_pk)
    try:
        services.remove_norm(norm, acting_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request, _("De norm „%(title)s” is verwijderd.") % {"title": norm.title_nl}
        )
    return _to_version(version)


@staff_view(Perm.MANAGE_CHARTERS)
@require_POST
def publish(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Publish a draft from a date; the previous version ends that day."""
    version = _version(organisation, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish_version(version, form.cleaned_data["valid_from"], acting_user(request))
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request,
                _("Versie %(number)s is gepubliceerd en geldt vanaf %(date)s.")
                % {
                    "number": version.number,
                    "date": date_format(version.valid_from or timezone.localdate(), "j F Y"),
                },
            )
            return redirect("charters:charter-staff", slug=organisation.slug)
    return _render_version(request, organisation, version, publish_form=form, status=400)


@staff_view(Perm.MANAGE_CHARTERS)
@require_POST
def new_version(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Start a new draft as a copy of a published version."""
    version = _version(organisation, pk)
    try:
        draft = services.new_draft_from(version, acting_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _to_version(version)
    messages.success(
        request,
        _("Versie %(number)s staat klaar als concept, met de normen van versie %(from)s.")
        % {"number": draft.number, "from": version.number},
    )
    return _to_version(draft)


@staff_view(Perm.MANAGE_CHARTERS)
@require_POST
def discard(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Throw a draft away."""
    version = _version(organisation, pk)
    try:
        services.discard_draft(version, acting_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _to_version(version)
    messages.success(request, _("Het concept is verwijderd."))
    return redirect("charters:charter-staff", slug=organisation.slug)


def assessment_context(organisation: Organisation) -> dict[str, Any]:
    """What both assessment pages show: the scored criteria grouped per C."""
    result = assess(selectors.assessment_facts(organisation, timezone.localdate()))
    sections = [
        (title, [c for c in result.criteria if c.group == code]) for code, title in GROUPS.items()
    ]
    return {"assessment": result, "sections": sections}


@staff_view(Perm.MANAGE_CHARTERS)
@require_safe
def staff_assessment(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The charter prize assessment, with what to improve."""
    return render_staff(
        request,
        organisation,
        "charters/charter/staff_assessment.html",
        assessment_context(organisation),
    )
