"""URLs of the surveys app's questionnaires area (staff pages under "onderzoek")."""

from django.urls import URLPattern, path

from burgerlink.surveys.questionnaires import views

BASE = "medewerkers/<slug:slug>/onderzoek/vragenlijsten/"
VERSION = BASE + "versies/<int:pk>/"
QUESTION = VERSION + "vragen/<str:code>/"

urlpatterns: list[URLPattern] = [
    path(BASE, views.questionnaire_list, name="questionnaire-list"),
    path(BASE + "nieuw/", views.questionnaire_start, name="questionnaire-start"),
    path(BASE + "<int:pk>/", views.questionnaire_detail, name="questionnaire-detail"),
    path(BASE + "<int:pk>/nieuwe-versie/", views.version_new, name="questionnaire-new-version"),
    path(VERSION, views.version_detail, name="questionnaire-version"),
    path(VERSION + "voorbeeld/", views.version_preview, name="questionnaire-preview"),
    path(VERSION + "weggooien/", views.version_discard, name="questionnaire-discard"),
    path(VERSION + "vragen/nieuw/", views.question_add, name="questionnaire-question-add"),
    path(QUESTION, views.question_edit, name="questionnaire-question-edit"),
    path(QUESTION + "verwijderen/", views.question_remove, name="questionnaire-question-remove"),
    path(QUESTION + "verplaatsen/", views.question_move, name="questionnaire-question-move"),
    path(
        VERSION + "paginas/<str:key>/verplaatsen/",
        views.page_move,
        name="questionnaire-page-move",
    ),
]
