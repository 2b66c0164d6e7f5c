"""Public pages of quality charters: the charter per organisation, posters, the library, prize."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from burgerlink.charters.charter import display, selectors
from burgerlink.charters.charter.poster import render_poster
from burgerlink.charters.charter.views import assessment_context
from burgerlink.charters.models import CharterVersion
from burgerlink.core import selectors as core_selectors
from burgerlink.core.models import Organisation

CLAIM_URL_NAME = "charters:compensation-claim-form"
RESULTS_URL_NAME = "charters:compliance-dashboard"


def _organisation_or_404(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug)
    if organisation is None:
        raise Http404("Organisation not found")
    return organisation


def optional_url(name: str, organisation: Organisation) -> str | None:
    """Reverse another area's page for this organisation, or None while it does not exist.

    The claim form and the published results belong to other areas of the charters app; a
    soft link keeps this area working on its own.
    """
    try:
        return reverse(name, args=[organisation.slug])
    except NoReverseMatch:
        return None


def _charter_context(organisation: Organisation, version: CharterVersion | None) -> dict[str, Any]:
    today = timezone.localdate()
    norms = selectors.norms_in(version) if version is not None else []
    return {
        "organisation": organisation,
        "theme_organisation": organisation,
        "charter": selectors.charter_of(organisation),
        "version": version,
        "current": selectors.version_valid_on(organisation, today),
        "today": today,
        "groups": display.group_norms(norms),
        "coverage": selectors.bsc_coverage(norms),
        "history": selectors.published_versions(organisation),
        "upcoming": selectors.upcoming_version(organisation, today),
        "claim_url": optional_url(CLAIM_URL_NAME, organisation),
        "results_url": optional_url(RESULTS_URL_NAME, organisation),
    }


@require_safe
def charter_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The promises valid today, per channel and product, in plain language."""
    organisation = _organisation_or_404(slug)
    version = selectors.version_valid_on(organisation, timezone.localdate())
    return render(
        request, "charters/charter/public_charter.html", _charter_context(organisation, version)
    )


@require_safe
def charter_version_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An earlier (or upcoming) published version, so past promises stay on record."""
    organisation = _organisation_or_404(slug)
    version = selectors.published_version(organisation, number)
    if version is None:
        raise Http404("Version not found")
    return render(
        request, "charters/charter/public_charter.html", _charter_context(organisation, version)
    )


@require_safe
def poster(request: HttpRequest, slug: str, channel_code: str) -> HttpResponse:
    """The A4 poster (PDF) with the promises of one channel or product, valid today."""
    organisation = _organisation_or_404(slug)
    today = timezone.localdate()
    version = selectors.version_valid_on(organisation, today)
    group = selectors.poster_group(version, channel_code) if version is not None else None
    if version is None or group is None:
        raise Http404("No promises for this channel")
    claim_path = optional_url(CLAIM_URL_NAME, organisation) or reverse(
        "charters:charter-public", args=[organisation.slug]
    )
    pdf = render_poster(
        organisation=organisation,
        version=version,
        group=group,
        charter_url=request.build_absolute_uri(claim_path),
        today=today,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{slugify(organisation.slug)}-{slugify(channel_code)}-poster.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def assessment_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The charter prize assessment of an organisation, with the reasons for each score."""
    organisation = _organisation_or_404(slug)
    return render(
        request,
        "charters/charter/public_assessment.html",
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            **assessment_context(organisation),
        },
    )


@require_safe
def model_norm_library(request: HttpRequest) -> HttpResponse:
    """The model-norm library: norms seen in Dutch charters, where, and who uses them here."""
    usage = selectors.model_norm_usage()
    groups = [
        (
            label,
            [
                (
                    norm,
                    display.norm_label(norm),
                    display.percentage(norm.target_share),
                    usage.get(norm.pk, 0),
                )
                for norm in items
            ],
        )
        for label, items in display.library_groups(list(selectors.active_model_norms()))
    ]
    return render(request, "charters/charter/public_library.html", {"groups": groups})
