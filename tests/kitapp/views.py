"""A test-only page that uses the geo kit as an app's page would: a map, coordinate search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from burgerlink.core.geo import MapPoint, area_of
from burgerlink.core.geo.forms import LocationForm
from burgerlink.core.geo.queries import nearby
from burgerlink.core.models import Organisation
from tests.kitapp.models import Spot

RADIUS_M = 2_000


@require_safe
def spot_map(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's spots on a map with their table; a GET form finds the nearest ones."""
    organisation = get_object_or_404(Organisation, slug=slug)
    spots = Spot.objects.filter(organisation=organisation).order_by("name")
    form = LocationForm(request.GET or None, organisation=organisation)
    found = (
        nearby(spots, form.cleaned_data["location"], RADIUS_M)
        if form.is_bound and form.is_valid()
        else None
    )
    return render(
        request,
        "kitapp/map.html",
        {
            "organisation": organisation,
            "form": form,
            "found": found,
            "points": [MapPoint(spot.point, spot.name, f"#plek-{spot.pk}") for spot in spots],
            "area": area_of(organisation),
        },
    )
