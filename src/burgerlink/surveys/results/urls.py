"""URLs of the surveys app's results area (staff pages under "onderzoek/resultaten")."""

from django.urls import URLPattern, path

from burgerlink.surveys.results import views

BASE = "medewerkers/<slug:slug>/onderzoek/resultaten/"
WAVE = BASE + "<int:wave_id>/"

urlpatterns: list[URLPattern] = [
    path(BASE, views.results_index, name="results"),
    path(BASE + "instellingen/", views.analysis_settings, name="results-settings"),
    path(BASE + "benchmark/", views.benchmark, name="results-benchmark"),
    path(BASE + "benchmark/grafiek.svg", views.benchmark_chart, name="results-benchmark-chart"),
    path(
        BASE + "exports/<int:export_id>/download/",
        views.export_download,
        name="results-export-download",
    ),
    path(WAVE, views.wave_results, name="results-wave"),
    path(WAVE + "grafiek/<slug:chart>.svg", views.wave_chart, name="results-chart"),
    path(WAVE + "open-antwoorden/", views.open_answers, name="results-open"),
    path(WAVE + "keten/<slug:event>/", views.chain_view, name="results-chain"),
    path(WAVE + "keten/<slug:event>/grafiek.svg", views.chain_chart, name="results-chain-chart"),
    path(WAVE + "rapport.pdf", views.report_pdf, name="results-pdf"),
    path(WAVE + "exporteren/", views.export_create, name="results-export"),
    path(WAVE + "exports/", views.export_status, name="results-export-status"),
]
