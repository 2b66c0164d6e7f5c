"""URLs of the charters app's charter area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
