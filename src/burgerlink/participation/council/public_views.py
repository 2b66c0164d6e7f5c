"""Public pages of the council area: decisions, one decision, a party's record, the matrix.

All are reads (GET); filters are a GET form. An invalid filter shows the form's errors with
status 400 and the unfiltered list.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from burgerlink.core import selectors as core_selectors
from burgerlink.core.api_support import is_possible_slug
from burgerlink.core.models import Organisation
from burgerlink.participation.council import selectors
from burgerlink.participation.council.forms import DecisionFilterForm

PAGE_SIZE = 20
FILTER_FIELDS = ("q", "soort", "uitslag", "partij", "stem", "van", "tot")


def _organisation_or_404(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug) if is_possible_slug(slug) else None
    if organisation is None:
        raise Http404("Organisation not found")
    return organisation


def _context(organisation: Organisation, **extra: object) -> dict[str, object]:
    return {
        "organisation": organisation,
        "theme_organisation": organisation,
        "council": selectors.council_of(organisation),
        **extra,
    }


def _query_without_page(request: HttpRequest) -> str:
    """The filter part of the address, to keep it on the page links."""
    kept = request.GET.copy()
    kept.pop("pagina", None)
    return kept.urlencode()


@require_safe
def decision_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The council's decisions: search, filters and pages."""
    organisation = _organisation_or_404(slug)
    parties = selectors.parties(organisation)
    bound = any(request.GET.get(name) for name in FILTER_FIELDS)
    form = DecisionFilterForm(request.GET if bound else None, parties=parties)
    valid = not bound or form.is_valid()
    page = Paginator(selectors.decisions(organisation, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "participation/council/decision_list.html",
        _context(
            organisation,
            form=form,
            page=page,
            parties=parties,
            filtered=bound and valid,
            query=_query_without_page(request),
        ),
        status=200 if valid else 400,
    )


@require_safe
def decision_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One decision: its text, result and how every party and member voted."""
    organisation = _organisation_or_404(slug)
    detail = selectors.decision_detail(organisation, pk)
    if detail is None:
        raise Http404("Decision not found")
    return render(
        request, "participation/council/decision_detail.html", _context(organisation, detail=detail)
    )


@require_safe
def party_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A party's voting record: its positions counted, its members, and its votes by decision."""
    organisation = _organisation_or_404(slug)
    party = selectors.party(organisation, pk)
    if party is None:
        raise Http404("Party not found")
    page = Paginator(selectors.party_votes(party), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "participation/council/party_detail.html",
        _context(organisation, party=party, record=selectors.party_record(party), page=page),
    )


@require_safe
def party_matrix(request: HttpRequest, slug: str) -> HttpResponse:
    """How often every two parties voted alike: a shaded table with the numbers in it."""
    organisation = _organisation_or_404(slug)
    matrix = selectors.party_matrix(organisation)
    return render(
        request,
        "participation/council/matrix.html",
        _context(organisation, matrix=matrix, pairs=selectors.agreement_pairs(matrix)),
    )
