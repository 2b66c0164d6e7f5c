"""URLs of the charters app's compensation area (included with app_name "charters")."""

from django.urls import URLPattern, path

from burgerlink.charters.compensation import views

urlpatterns: list[URLPattern] = [
    # Public: a citizen claims compensation and follows the claim with its status code.
    path("organisaties/<slug:slug>/compensatie/", views.claim_form, name="compensation-claim-form"),
    path(
        "organisaties/<slug:slug>/compensatie/status/<slug:token>/",
        views.claim_status,
        name="compensation-claim-status",
    ),
    # Staff: the ledger and the claims.
    path("medewerkers/<slug:slug>/compensatie/", views.ledger, name="compensation-ledger"),
    path("medewerkers/<slug:slug>/compensatie/bulk/", views.bulk, name="compensation-bulk"),
    path(
        "medewerkers/<slug:slug>/compensatie/exporteren/",
        views.export_create,
        name="compensation-export",
    ),
    path(
        "medewerkers/<slug:slug>/compensatie/exports/",
        views.export_status,
        name="compensation-export-status",
    ),
    path(
        "medewerkers/<slug:slug>/compensatie/exports/<int:export_id>/download/",
        views.export_download,
        name="compensation-export-download",
    ),
    path(
        "medewerkers/<slug:slug>/compensatie/claims/",
        views.claim_list,
        name="compensation-claims",
    ),
    path(
        "medewerkers/<slug:slug>/compensatie/claimcodes/",
        views.claim_codes,
        name="compensation-claim-codes",
    ),
    path(
        "medewerkers/<slug:slug>/compensatie/claims/<int:pk>/",
        views.claim_detail,
        name="compensation-claim",
    ),
]
