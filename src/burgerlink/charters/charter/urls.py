"""URLs of the charters app's charter area: staff composing, public pages, posters, library."""

from django.urls import URLPattern, path

from burgerlink.charters.charter import public_views, views

STAFF = "medewerkers/<slug:slug>/handvest/"
VERSION = STAFF + "versies/<int:pk>/"
PUBLIC = "organisaties/<slug:slug>/kwaliteitshandvest/"

urlpatterns: list[URLPattern] = [
    # Staff: compose, publish and version the charter.
    path(STAFF, views.overview, name="charter-staff"),
    path(STAFF + "beoordeling/", views.staff_assessment, name="charter-staff-assessment"),
    path(VERSION, views.version_detail, name="charter-version"),
    path(VERSION + "bibliotheek/", views.library, name="charter-library"),
    path(VERSION + "normen/nieuw/", views.norm_add, name="charter-norm-add"),
    path(VERSION + "normen/<int:norm_pk>/", views.norm_edit, name="charter-norm-edit"),
    path(
        VERSION + "normen/<int:norm_pk>/verwijderen/",
        views.norm_remove,
        name="charter-norm-remove",
    ),
    path(VERSION + "publiceren/", views.publish, name="charter-publish"),
    path(VERSION + "nieuwe-versie/", views.new_version, name="charter-new-version"),
    path(VERSION + "weggooien/", views.discard, name="charter-discard"),
    # Public: the charter, its earlier versions, posters, the prize assessment, the library.
    path(PUBLIC, public_views.charter_page, name="charter-public"),
    path(
        PUBLIC + "versie/<int:number>/",
        public_views.charter_version_page,
        name="charter-public-version",
    ),
    path(
        PUBLIC + "poster/<slug:channel_code>.pdf",
        public_views.poster,
        name="charter-poster",
    ),
    path(PUBLIC + "beoordeling/", public_views.assessment_page, name="charter-assessment"),
    path("modelnormen/", public_views.model_norm_library, name="model-norms"),
]
