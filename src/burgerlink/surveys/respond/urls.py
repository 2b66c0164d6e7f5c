"""URLs of the surveys app's respond area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
