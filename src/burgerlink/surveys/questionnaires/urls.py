"""URLs of the surveys app's questionnaires area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
