"""Pages of the compensation area: the public claim form and status page, and the staff pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.charters.charter import selectors as charter_selectors
from burgerlink.charters.compensation import selectors, services
from burgerlink.charters.compensation.forms import (
    HONEYPOT_FIELD,
    ClaimFilterForm,
    ClaimForm,
    DecisionForm,
    EntryFilterForm,
    EntryStatusForm,
)
from burgerlink.charters.compensation.iban import format_iban
from burgerlink.charters.compensation.mail import status_path
from burgerlink.charters.compensation.rules import days_late, is_monetary
from burgerlink.charters.compensation.services import ClaimOutcome
from burgerlink.charters.models import (
    Claim,
    ClaimStatus,
    CompensationEntry,
    CompensationKind,
    EntryStatus,
)
from burgerlink.core import selectors as core_selectors
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.shell import render_staff, staff_view

PAGE_SIZE = 50


def _public_organisation(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug)
    if organisation is None:
        raise Http404("Organisation not found")
    return organisation


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _compensated_promises(organisation: Organisation) -> list[Any]:
    """The promises of the charter in force today that come with compensation."""
    version = charter_selectors.version_valid_on(organisation, timezone.localdate())
    if version is None:
        return []
    return list(
        version.norms.exclude(compensation_kind=CompensationKind.NONE).order_by("position", "code")
    )


# --- public -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def claim_form(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for compensation for a missed promise with a case or contact reference, no account.

    GET shows the form; only POST stores anything. Every reference without a claimable missed
    promise gets the same neutral answer, so the form cannot be used to find out who has a case.
    """
    organisation = _public_organisation(slug)
    form = ClaimForm(request.POST or None)
    notice = ""
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            # A bot filled in the field people never see: answer as for an unknown reference.
            notice = ClaimOutcome.NOT_FOUND
            form = ClaimForm()
        elif form.is_valid():
            data = form.cleaned_data
            result = services.submit_claim(
                organisation=organisation,
                reference=data["reference"],
                email=data["email"],
                name=data["name"],
                iban=data["iban"],
                message=data["message"],
                client_ip=_client_ip(request),
                base_url=_base_url(request),
                language=get_language(),
            )
            if result.outcome == ClaimOutcome.RECEIVED and result.claim is not None:
                return render(
                    request,
                    "charters/compensation/claim_received.html",
                    {
                        "organisation": organisation,
                        "theme_organisation": organisation,
                        "claim": result.claim,
                        "status_url": status_path(organisation, result.claim),
                    },
                )
            if result.outcome == ClaimOutcome.IBAN_REQUIRED:
                form.require_iban()
            else:
                notice = result.outcome
                if result.outcome == ClaimOutcome.RATE_LIMITED:
                    status = 429
    return render(
        request,
        "charters/compensation/claim_form.html",
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "form": form,
            "notice": notice,
            "honeypot_field": HONEYPOT_FIELD,
            "promises": _compensated_promises(organisation),
            "retention_days": services.retention_days(),
        },
        status=status,
    )


@require_safe
def claim_status(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where a claim stands, for whoever holds its status code; shows and changes nothing else."""
    organisation = _public_organisation(slug)
    claim = selectors.claim_by_token(organisation, token)
    if claim is None:
        raise Http404("Claim not found")
    return render(
        request,
        "charters/compensation/claim_status.html",
        {"organisation": organisation, "theme_organisation": organisation, "claim": claim},
    )


# --- staff: claims ------------------------------------------------------------------------


@staff_view(Perm.HANDLE_CLAIMS)
@require_safe
def claim_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Claims of citizens, newest first, filtered by status."""
    filters = ClaimFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(selectors.claims(organisation, status or None), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_claims.html",
        {
            "filters": filters,
            "status": status,
            "page": page,
            "counts": selectors.claim_counts(organisation),
            "statuses": ClaimStatus.choices,
            "query": urlencode({"status": status}) if status else "",
        },
    )


@staff_view(Perm.HANDLE_CLAIMS)
@require_http_methods(["GET", "HEAD", "POST"])
def claim_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """One claim with its ledger entry; POST grants or rejects it (a rejection needs a note)."""
    claim = get_object_or_404(
        Claim.objects.select_related("entry__norm", "decided_by"), organisation=organisation, pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.grant_claim
            if form.cleaned_data["decision"] == "grant"
            else services.reject_claim
        )
        try:
            decide(
                claim=claim,
                note=form.cleaned_data["note"],
                by=acting_user(request),
                base_url=_base_url(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("De claim is toegekend.")
                if form.cleaned_data["decision"] == "grant"
                else _("De claim is afgewezen."),
            )
        return redirect("charters:compensation-claim", slug=organisation.slug, pk=claim.pk)
    entry = claim.entry
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_claim.html",
        {
            "claim": claim,
            "entry": entry,
            "days_late": days_late(entry.lateness_seconds) if entry else None,
            "iban": format_iban(claim.iban) if claim.iban else "",
            "monetary": bool(entry and is_monetary(entry.norm.compensation_kind)),
            "form": form,
        },
    )


# --- staff: the ledger --------------------------------------------------------------------


@staff_view(Perm.HANDLE_CLAIMS)
@require_safe
def ledger(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The ledger of missed promises with compensation: totals per status and norm, entries."""
    filters = EntryFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(
        selectors.entries(organisation, status or None).prefetch_related("claims"), PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_ledger.html",
        {
            "filters": filters,
            "status": status,
            "page": page,
            "rows": [(entry, days_late(entry.lateness_seconds)) for entry in page],
            "totals": selectors.ledger_totals(organisation),
            "statuses": EntryStatus.choices,
            "status_form": EntryStatusForm(),
            "query": urlencode({"status": status}) if status else "",
        },
    )


@staff_view(Perm.HANDLE_CLAIMS)
@require_POST
def entry_status(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Record that a compensation was offered, paid or given, or declined."""
    entry = get_object_or_404(CompensationEntry, organisation=organisation, pk=pk)
    form = EntryStatusForm(request.POST)
    if form.is_valid():
        entry = services.mark_entry(entry, form.cleaned_data["status"], by=acting_user(request))
        messages.success(
            request,
            _("%(reference)s staat nu op '%(status)s'.")
            % {"reference": entry.source_id, "status": entry.get_status_display()},
        )
    else:
        messages.error(request, _("Kies een geldige status."))
    target = reverse("charters:compensation-ledger", kwargs={"slug": organisation.slug})
    back = request.POST.get("filter", "")
    if back in EntryStatus.values:
        target += "?" + urlencode({"status": back})
    return redirect(target)
