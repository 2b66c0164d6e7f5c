"""URLs of the surveys app's fieldwork area."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
