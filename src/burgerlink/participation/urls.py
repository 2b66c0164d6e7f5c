"""URLs of the participation app: each area keeps its own url module."""

from django.urls import include, path

app_name = "participation"

urlpatterns = [
    path("", include("burgerlink.participation.petitions.urls")),
    path("", include("burgerlink.participation.voice.urls")),
    path("", include("burgerlink.participation.council.urls")),
]
