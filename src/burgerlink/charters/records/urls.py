"""URLs of the charters app's records area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
