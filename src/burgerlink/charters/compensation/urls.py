"""URLs of the charters app's compensation area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
