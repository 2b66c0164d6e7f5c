"""URLs of the charters app: each area keeps its own url module."""

from django.urls import include, path

app_name = "charters"

urlpatterns = [
    path("", include("burgerlink.charters.charter.urls")),
    path("", include("burgerlink.charters.records.urls")),
    path("", include("burgerlink.charters.reporting.urls")),
    path("", include("burgerlink.charters.compensation.urls")),
]
