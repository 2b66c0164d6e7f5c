"""URLs of the charters app's reporting area (public pages; names in the ``charters`` namespace)."""

from django.urls import URLPattern, path

from burgerlink.charters.reporting import views

urlpatterns: list[URLPattern] = [
    path(
        "organisaties/<slug:slug>/dienstverlening/",
        views.compliance_dashboard,
        name="compliance-dashboard",
    ),
    path(
        "organisaties/<slug:slug>/dienstverlening/grafiek/<slug:code>.svg",
        views.compliance_chart,
        name="compliance-chart",
    ),
    path(
        "organisaties/<slug:slug>/dienstverlening/verantwoording/<str:period>/",
        views.accountability_report,
        name="accountability-report",
    ),
    path(
        "organisaties/<slug:slug>/dienstverlening/verantwoording/<str:period>.pdf",
        views.accountability_report_pdf,
        name="accountability-pdf",
    ),
    path(
        "organisaties/<slug:slug>/dienstverlening/open-data.csv",
        views.open_data_csv,
        name="open-data-csv",
    ),
    path(
        "organisaties/<slug:slug>/dienstverlening/open-data.json",
        views.open_data_json,
        name="open-data-json",
    ),
    path("benchmark/", views.benchmark_index, name="benchmark"),
    path("benchmark/<slug:code>/", views.benchmark_detail, name="benchmark-detail"),
]
