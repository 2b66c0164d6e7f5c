"""Public pages of the petitions area: the list, a petition, starting, signing, confirming."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from burgerlink.core import selectors as core_selectors
from burgerlink.core.models import Organisation
from burgerlink.participation.models import Petition
from burgerlink.participation.petitions import opendata, selectors, services
from burgerlink.participation.petitions.forms import (
    HONEYPOT_FIELD,
    TIMING_FIELD,
    SignForm,
    StartForm,
    timing_stamp,
    too_fast,
)
from burgerlink.participation.petitions.services import ConfirmOutcome, SignOutcome


def _organisation(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug)
    if organisation is None:
        raise Http404("Organisation not found")
    return organisation


def _petition(organisation: Organisation, pk: int) -> Petition:
    petition = selectors.public_petition(organisation, pk)
    if petition is None:
        raise Http404("Petition not found")
    return petition


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_safe
def petition_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's published petitions with their counts."""
    organisation = _organisation(slug)
    petitions = list(selectors.public_petitions(organisation))
    return render(
        request,
        "participation/petitions/list.html",
        {
            "organisation": organisation,
            "petitions": petitions,
            "rules": services.rules_of(organisation),
        },
    )


def _detail_context(organisation: Organisation, petition: Petition) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "petition": petition,
        "open": services.signing_open(petition),
        "progress": selectors.progress(petition),
        "places": selectors.place_counts(petition),
        "names": selectors.shown_names(petition),
        "rules": services.rules_of(organisation),
    }


@require_safe
def petition_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A petition: its text, counts (total and per place), progress, names shown, the answer."""
    organisation = _organisation(slug)
    petition = _petition(organisation, pk)
    return render(
        request, "participation/petitions/detail.html", _detail_context(organisation, petition)
    )


@require_http_methods(["GET", "HEAD", "POST"])
def petition_sign(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Sign a petition: GET shows the form, POST signs (unconfirmed) and mails the link.

    Instead of a CAPTCHA: a field people never see (a bot fills it in and gets the normal
    answer, with nothing stored), a signed stamp of when the form was shown (a form back within
    seconds is shown again), a list of throw-away mail domains, and rate limits per connection
    and per mail domain.
    """
    organisation = _organisation(slug)
    petition = _petition(organisation, pk)
    form = SignForm(request.POST or None)
    notice = ""
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            return _sign_done(request, organisation, petition)
        if too_fast(str(request.POST.get(TIMING_FIELD, ""))):
            notice = "too_fast"
        elif form.is_valid():
            data = form.cleaned_data
            outcome = services.sign_petition(
                petition=petition,
                name=data["name"],
                show_name=data["show_name"],
                email=data["email"],
                place=data["place"],
                language=get_language() or "nl",
                client_ip=_client_ip(request),
                base_url=_base_url(request),
            )
            if outcome == SignOutcome.MAILED:
                return _sign_done(request, organisation, petition)
            notice = str(outcome)
            status = 429 if outcome == SignOutcome.RATE_LIMITED else 400
        else:
            status = 400
    response = render(
        request,
        "participation/petitions/sign.html",
        {
            **_detail_context(organisation, petition),
            "form": form,
            "notice": notice,
            "honeypot_field": HONEYPOT_FIELD,
            "timing_field": TIMING_FIELD,
            "stamp": timing_stamp(),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(settings.PETITION_RATE_WINDOW_MINUTES * 60)
    return response


def _sign_done(
    request: HttpRequest, organisation: Organisation, petition: Petition
) -> HttpResponse:
    return render(
        request,
        "participation/petitions/sign_done.html",
        {"organisation": organisation, "petition": petition},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def petition_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a petition in two steps: write it, see similar ones, then submit for moderation.

    Both steps are POSTs; only the second stores anything. The first shows published petitions
    worded like this one, so a signer can join an existing petition instead.
    """
    organisation = _organisation(slug)
    form = StartForm(request.POST or None)
    similar: list[tuple[Petition, float]] = []
    checked = False
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            return render(
                request, "participation/petitions/start_done.html", {"organisation": organisation}
            )
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("step") == "submit" and not too_fast(
                str(request.POST.get(TIMING_FIELD, ""))
            ):
                services.start_petition(
                    organisation=organisation,
                    title=data["title"],
                    text=data["text"],
                    petitioner_name=data["petitioner_name"],
                    petitioner_email=data["petitioner_email"],
                    language=get_language() or "nl",
                    base_url=_base_url(request),
                )
                return render(
                    request,
                    "participation/petitions/start_done.html",
                    {"organisation": organisation},
                )
            similar = selectors.similar_petitions(organisation, data["title"], data["text"])
            checked = True
    return render(
        request,
        "participation/petitions/start.html",
        {
            "organisation": organisation,
            "form": form,
            "similar": similar,
            "checked": checked,
            "rules": services.rules_of(organisation),
            "honeypot_field": HONEYPOT_FIELD,
            "timing_field": TIMING_FIELD,
            "stamp": timing_stamp(),
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


@require_safe
def petition_status(request: HttpRequest, token: str) -> HttpResponse:
    """The petitioner's own page: where the petition stands, and a moderator's reason."""
    petition = services.petition_for_author(token)
    if petition is None:
        raise Http404("Unknown status code")
    return render(
        request,
        "participation/petitions/status.html",
        {"petition": petition, "organisation": petition.organisation},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def petition_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the confirmation link: GET shows a button, only the POST confirms.

    Mail scanners follow links; a GET therefore never confirms anything.
    """
    signature = services.signature_for_token(token)
    outcome = ""
    status = 200
    if request.method == "POST":
        outcome = str(services.confirm_signature(token=token))
        if outcome == ConfirmOutcome.UNKNOWN:
            status = 404
        elif outcome == ConfirmOutcome.CLOSED:
            status = 409
    elif signature is None or signature.struck_at is not None:
        outcome, status = str(ConfirmOutcome.UNKNOWN), 404
    elif signature.confirmed_at is not None:
        outcome = str(ConfirmOutcome.ALREADY)
    petition = signature.petition if signature is not None else None
    return render(
        request,
        "participation/petitions/confirm.html",
        {
            "signature": signature,
            "petition": petition,
            "organisation": petition.organisation if petition else None,
            "outcome": outcome,
        },
        status=status,
    )


@require_safe
def petition_data_json(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open data of one petition as JSON: counts, counts per place, status, the answer."""
    organisation = _organisation(slug)
    petition = _petition(organisation, pk)
    document = opendata.document(petition, base_url=_base_url(request))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def petition_data_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open data of one petition as CSV (formula-safe): one row per place, and the totals."""
    organisation = _organisation(slug)
    petition = _petition(organisation, pk)
    response = HttpResponse(opendata.csv_bytes(petition), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="petitie-{organisation.slug}-{petition.pk}.csv"'
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
