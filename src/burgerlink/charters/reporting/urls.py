"""URLs of the charters app's reporting area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
