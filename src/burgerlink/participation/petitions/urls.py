"""URLs of the participation app's petitions area (included with app_name "participation")."""

from django.urls import URLPattern, path

from burgerlink.participation.petitions import desk_views, views

urlpatterns: list[URLPattern] = [
    # Public: the petitions of an organisation, one petition, starting and signing.
    path("organisaties/<slug:slug>/petities/", views.petition_list, name="petition-list"),
    path("organisaties/<slug:slug>/petities/starten/", views.petition_start, name="petition-start"),
    path(
        "organisaties/<slug:slug>/petities/<int:pk>/",
        views.petition_detail,
        name="petition-detail",
    ),
    path(
        "organisaties/<slug:slug>/petities/<int:pk>/tekenen/",
        views.petition_sign,
        name="petition-sign",
    ),
    path(
        "organisaties/<slug:slug>/petities/<int:pk>/gegevens.json",
        views.petition_data_json,
        name="petition-data-json",
    ),
    path(
        "organisaties/<slug:slug>/petities/<int:pk>/gegevens.csv",
        views.petition_data_csv,
        name="petition-data-csv",
    ),
    # Links from e-mails: confirming a signature, the petitioner's status page.
    path("petities/bevestigen/<str:token>/", views.petition_confirm, name="petition-confirm"),
    path("petities/status/<str:token>/", views.petition_status, name="petition-status"),
    # Staff: the petition desk.
    path("medewerkers/<slug:slug>/petities/", desk_views.desk, name="petition-desk"),
    path("medewerkers/<slug:slug>/petities/regels/", desk_views.desk_rules, name="petition-rules"),
    path(
        "medewerkers/<slug:slug>/petities/<int:pk>/",
        desk_views.desk_detail,
        name="petition-desk-detail",
    ),
    path(
        "medewerkers/<slug:slug>/petities/<int:pk>/beoordelen/",
        desk_views.desk_moderate,
        name="petition-moderate",
    ),
    path(
        "medewerkers/<slug:slug>/petities/<int:pk>/fase/",
        desk_views.desk_stage,
        name="petition-stage",
    ),
    path(
        "medewerkers/<slug:slug>/petities/<int:pk>/antwoord/",
        desk_views.desk_answer,
        name="petition-answer",
    ),
    path(
        "medewerkers/<slug:slug>/petities/<int:pk>/schrappen/",
        desk_views.desk_strike,
        name="petition-strike",
    ),
    path(
        "medewerkers/<slug:slug>/petities/<int:pk>/terugzetten/",
        desk_views.desk_restore,
        name="petition-restore",
    ),
    path(
        "medewerkers/<slug:slug>/petities/<int:pk>/handtekeningen.<str:file_format>",
        desk_views.desk_signature_list,
        name="petition-signature-list",
    ),
]
