"""Staff pages for importing records: upload, history, and the result or errors of an import."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from burgerlink.charters.models import ImportBatch
from burgerlink.charters.records import selectors
from burgerlink.charters.records.forms import KIND_CHOICES, UploadForm
from burgerlink.charters.records.schema import COLUMNS, template_rows
from burgerlink.charters.records.services import import_file
from burgerlink.core.files import ImportRejectedError, template_response
from burgerlink.core.models import Organisation
from burgerlink.core.numbers import format_number
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.shell import render_staff, staff_view


@staff_view(Perm.IMPORT_RECORDS)
@require_http_methods(["GET", "HEAD", "POST"])
def import_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Upload a file; list earlier imports."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_file(
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                stream=upload.file,
                filename=upload.name,
                preset=form.cleaned_data["mapping"],
                by=acting_user(request),
            )
        except ImportRejectedError as rejected:
            messages.error(request, _("Niets geïmporteerd: het bestand bevat fouten."))
            return redirect("charters:import-detail", slug=organisation.slug, pk=rejected.batch.pk)
        messages.success(
            request,
            _("Geïmporteerd: %(new)s nieuw, %(updated)s bijgewerkt, %(same)s ongewijzigd.")
            % {
                "new": format_number(batch.rows_created),
                "updated": format_number(batch.rows_updated),
                "same": format_number(batch.rows_unchanged),
            },
        )
        return redirect("charters:import-detail", slug=organisation.slug, pk=batch.pk)
    page = Paginator(
        ImportBatch.objects.filter(organisation=organisation).select_related("created_by"), 25
    ).get_page(request.GET.get("pagina"))
    labels = dict(KIND_CHOICES)
    return render_staff(
        request,
        organisation,
        "charters/records/import_list.html",
        {
            "form": form,
            "page": page,
            "kinds": [(kind, labels[kind], specs) for kind, specs in COLUMNS.items()],
            "channels": selectors.channel_codes(),
            "case_types": selectors.case_type_codes(organisation),
        },
    )


@staff_view(Perm.IMPORT_RECORDS)
@require_safe
def import_template(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """An empty import file (``?soort=`` a kind, ``&formaat=`` csv or xlsx) with example rows."""
    kind = request.GET.get("soort", "contacts")
    fmt = request.GET.get("formaat", "csv")
    if kind not in COLUMNS or fmt not in {"csv", "xlsx"}:
        raise Http404
    own = selectors.case_type_codes(organisation)
    columns, rows = template_rows(kind, own[0].code if own else "")
    return template_response(f"burgerlink-{kind}", columns, rows, fmt)


@staff_view(Perm.IMPORT_RECORDS)
@require_safe
def import_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """The outcome of one import: counts, or every row error."""
    batch = get_object_or_404(ImportBatch, organisation=organisation, pk=pk)
    return render_staff(
        request, organisation, "charters/records/import_detail.html", {"batch": batch}
    )
