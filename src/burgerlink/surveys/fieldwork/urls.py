"""URLs of the surveys app's fieldwork area: surveys, waves, samples, invitations, imports."""

from django.urls import URLPattern, path

from burgerlink.surveys.fieldwork import views

STAFF = "medewerkers/<slug:slug>/onderzoek/metingen/"
WAVE = STAFF + "<int:wave_id>/"

urlpatterns: list[URLPattern] = [
    path(STAFF, views.overview, name="fieldwork"),
    path(STAFF + "nieuw-onderzoek/", views.survey_create, name="fieldwork-survey-create"),
    path(
        STAFF + "onderzoeken/<int:survey_id>/nieuwe-meting/",
        views.wave_create,
        name="fieldwork-wave-create",
    ),
    path(WAVE, views.wave_detail, name="fieldwork-wave"),
    path(WAVE + "steekproef/", views.sample_upload, name="fieldwork-sample"),
    path(
        WAVE + "steekproef/voorbeeld.<slug:fmt>",
        views.sample_file_template,
        name="fieldwork-sample-template",
    ),
    path(WAVE + "uitnodigen/", views.send_invitations, name="fieldwork-invite"),
    path(WAVE + "herinneren/", views.send_reminders, name="fieldwork-remind"),
    path(WAVE + "brieven.pdf", views.letters, name="fieldwork-letters"),
    path(WAVE + "brieven-verstuurd/", views.letters_sent, name="fieldwork-letters-sent"),
    path(WAVE + "onbestelbaar/", views.mark_bounced, name="fieldwork-bounce"),
    path(WAVE + "open-link/", views.add_open_link, name="fieldwork-open-link"),
    path(WAVE + "sluiten/", views.close_wave, name="fieldwork-close"),
    path(WAVE + "responsen-importeren/", views.response_import, name="fieldwork-import"),
    path(
        WAVE + "responsen-importeren/voorbeeld.<slug:fmt>",
        views.response_file_template,
        name="fieldwork-import-template",
    ),
]
