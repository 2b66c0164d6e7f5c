"""Public pages: home, organisations, the BurgerServiceCode, life events, accessibility."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from burgerlink.core import dashboard, scorecard, selectors
from burgerlink.core.models import Organisation, OrganisationKind
from burgerlink.core.models.organisations import HEX_PATTERN


def _organisation_or_404(slug: str) -> Organisation:
    organisation = selectors.public_organisation(slug)
    if organisation is None:
        raise Http404("Organisation not found")
    return organisation


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front page: what Burgerlink is and where to go."""
    organisations = selectors.public_organisations()
    return render(
        request,
        "web/home.html",
        {
            "organisation_count": organisations.count(),
            "organisations": organisations[:8],
            "norms": selectors.current_norms(),
            # What the installed capabilities offer the public, so the page promises no more.
            "offered": {link.code for link in dashboard.public_links()},
        },
    )


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    """All organisations, grouped by kind."""
    organisations = list(selectors.public_organisations())
    groups = [
        (label, [o for o in organisations if o.kind == kind])
        for kind, label in OrganisationKind.choices
    ]
    return render(
        request,
        "web/organisation_list.html",
        {"groups": [(label, items) for label, items in groups if items]},
    )


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's public page: who they are, their calendar, their scorecard."""
    organisation = _organisation_or_404(slug)
    calendar = selectors.organisation_calendar(organisation)
    today = timezone.localdate()
    upcoming = [
        day
        for day in calendar.non_working_days(today, today.replace(year=today.year + 1))
        if calendar.weekmask[day.date.weekday()]
    ][:8]
    return render(
        request,
        "web/organisation_detail.html",
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "opening_hours": organisation.opening_hours.all(),
            "upcoming_closures": upcoming,
            "assessment": selectors.latest_published_assessment(organisation),
            "public_links": dashboard.public_links(),
        },
    )


@require_safe
def organisation_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's BurgerServiceCode scorecard with the evidence behind each score."""
    organisation = _organisation_or_404(slug)
    norm_set = selectors.current_norm_set()
    assessment = selectors.latest_published_assessment(organisation)
    answers_by_norm: dict[int, list[object]] = {}
    if assessment is not None:
        for answer in assessment.answers.select_related("item__norm").order_by(
            "item__norm__number", "item__position"
        ):
            answers_by_norm.setdefault(answer.item.norm.number, []).append(answer)
    cards = scorecard.build_scorecard(organisation, selectors.norms_of(norm_set))
    return render(
        request,
        "web/scorecard.html",
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "cards": [(card, answers_by_norm.get(card.norm.number, [])) for card in cards],
            "assessment": assessment,
            "history": selectors.assessment_history(organisation).filter(
                published_at__isnull=False
            ),
            "norm_set": norm_set,
        },
    )


@cache_control(max_age=300)
@require_safe
def organisation_theme(request: HttpRequest, slug: str) -> HttpResponse:
    """CSS custom properties with an organisation's colours (no inline styles under our CSP)."""
    organisation = _organisation_or_404(slug)
    colours = {
        field: value if HEX_PATTERN.match(value) else default
        for field, value, default in (
            ("primary", organisation.primary_colour, "#154273"),
            ("accent", organisation.accent_colour, "#01689b"),
        )
    }
    return render(
        request,
        "web/theme.css",
        {"organisation": organisation, **colours},
        content_type="text/css",
    )


@require_safe
def code_overview(request: HttpRequest) -> HttpResponse:
    """The BurgerServiceCode: ten rights with their duties."""
    norm_set = selectors.current_norm_set()
    return render(
        request,
        "web/code_overview.html",
        {"norm_set": norm_set, "norms": selectors.norms_of(norm_set)},
    )


@require_safe
def norm_detail(request: HttpRequest, number: int) -> HttpResponse:
    """One norm: right, duty, checklist, and how organisations assess themselves on it."""
    norms = {norm.number: norm for norm in selectors.current_norms()}
    norm = norms.get(number)
    if norm is None:
        raise Http404("Norm not found")
    rows = []
    for organisation in selectors.public_organisations():
        assessment = selectors.latest_published_assessment(organisation)
        if assessment is not None:
            rows.append(
                (organisation, selectors.assessment_scores(assessment).get(number), assessment)
            )
    return render(
        request,
        "web/norm_detail.html",
        {
            "norm": norm,
            "previous": norms.get(number - 1),
            "next": norms.get(number + 1),
            "rows": rows,
        },
    )


@require_safe
def life_events(request: HttpRequest) -> HttpResponse:
    """The life-event catalogue with the chain of agencies of each event."""
    return render(request, "web/life_events.html", {"themes": selectors.themes_with_life_events()})


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The toegankelijkheidsverklaring required for Dutch government sites."""
    return render(
        request,
        "web/accessibility.html",
        {
            "status": settings.ACCESSIBILITY_STATUS,
            "statement_date": settings.ACCESSIBILITY_STATEMENT_DATE,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "site_url": settings.SITE_URL,
        },
    )
