"""Top-level URLs: public site and staff area, the API, and the operator's admin."""

from django.urls import include, path

from burgerlink.api.api import api
from burgerlink.core.admin import site as operator_site

urlpatterns = [
    path("api/v1/", api.urls),
    path("beheer/", operator_site.urls),
    path("", include("burgerlink.web.urls")),
    path("", include("burgerlink.charters.urls")),
    path("", include("burgerlink.surveys.urls")),
    path("", include("burgerlink.participation.urls")),
]
