"""URLs of the records area: importing contacts and cases."""

from django.urls import path

from burgerlink.charters.records import views

urlpatterns = [
    path("medewerkers/<slug:slug>/imports/", views.import_list, name="imports"),
    path("medewerkers/<slug:slug>/imports/<int:pk>/", views.import_detail, name="import-detail"),
    path(
        "medewerkers/<slug:slug>/imports/voorbeeld/", views.import_template, name="import-template"
    ),
]
