"""URLs of the surveys app: each area keeps its own url module."""

from django.urls import include, path

app_name = "surveys"

urlpatterns = [
    path("", include("burgerlink.surveys.questionnaires.urls")),
    path("", include("burgerlink.surveys.respond.urls")),
    path("", include("burgerlink.surveys.fieldwork.urls")),
    path("", include("burgerlink.surveys.results.urls")),
]
