"""Top-level URLs: public site and staff area, the API, and the operator's admin."""

from django.contrib import admin
from django.urls import include, path

from burgerlink.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("beheer/", admin.site.urls),
    path("", include("burgerlink.web.urls")),
]
