"""URLs of the surveys app's results area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
