"""URLs of the surveys app's respond area.

Respondents' pages are public (no login) under ``enquete/``: by the invitee's token, or by a
wave's open link (``enquete/open/<code>/``, listed first so that "open" is never read as a
token). Paper entry is a staff page of the fieldwork.
"""

from django.urls import URLPattern, path

from burgerlink.surveys.respond import views

urlpatterns: list[URLPattern] = [
    path("enquete/open/<str:code>/", views.open_start, name="respond-open-start"),
    path(
        "enquete/open/<str:code>/pagina/<str:page_key>/",
        views.open_page,
        name="respond-open-page",
    ),
    path("enquete/open/<str:code>/taal/", views.open_language, name="respond-open-language"),
    path("enquete/open/<str:code>/klaar/", views.open_done, name="respond-open-done"),
    path("enquete/<str:token>/", views.start, name="respond-start"),
    path("enquete/<str:token>/pagina/<str:page_key>/", views.page, name="respond-page"),
    path("enquete/<str:token>/taal/", views.language, name="respond-language"),
    path("enquete/<str:token>/klaar/", views.done, name="respond-done"),
    path(
        "medewerkers/<slug:slug>/onderzoek/metingen/<int:wave_id>/papier/",
        views.paper_entry,
        name="respond-paper",
    ),
]
