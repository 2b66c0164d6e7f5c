"""URLs of the participation app's petitions area (included with app_name "participation")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
