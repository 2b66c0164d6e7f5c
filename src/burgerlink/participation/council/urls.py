"""URLs of the council area (included with app_name "participation")."""

from django.urls import URLPattern, path

from burgerlink.participation.council import public_views, views

PUBLIC = "organisaties/<slug:slug>/raad/"
STAFF = "medewerkers/<slug:slug>/raad/"

urlpatterns: list[URLPattern] = [
    path(PUBLIC, public_views.decision_list, name="council-decisions"),
    path(PUBLIC + "besluiten/<int:pk>/", public_views.decision_detail, name="council-decision"),
    path(PUBLIC + "fracties/<int:pk>/", public_views.party_detail, name="council-party"),
    path(PUBLIC + "stemgedrag/", public_views.party_matrix, name="council-matrix"),
    path(STAFF + "import/", views.import_list, name="council-imports"),
    path(STAFF + "import/voorbeeld/", views.import_template, name="council-import-template"),
    path(STAFF + "import/<int:pk>/", views.import_detail, name="council-import"),
]
