"""The test-only page, in front of the platform's own URLs (``@pytest.mark.urls``)."""

from django.urls import path

from burgerlink.urls import urlpatterns as platform_urlpatterns
from tests.kitapp import views

urlpatterns = [
    path("kit/<slug:slug>/kaart/", views.spot_map, name="kit-map"),
    *platform_urlpatterns,
]
