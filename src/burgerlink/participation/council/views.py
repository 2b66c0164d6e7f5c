"""Staff pages of the council area: import a file, the history of imports, one import's outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from burgerlink.core.files import ImportRejectedError, template_response
from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.participation.council import selectors
from burgerlink.participation.council.csvfile import COLUMNS, EXAMPLES, REQUIRED
from burgerlink.participation.council.forms import UploadForm
from burgerlink.participation.council.services import import_council_file
from burgerlink.web.shell import render_staff, staff_view


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_http_methods(["GET", "HEAD", "POST"])
def import_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Upload a council file; list earlier imports."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = import_council_file(
                organisation=organisation,
                stream=upload.file,
                filename=upload.name,
                by=acting_user(request),
            )
        except ImportRejectedError as rejected:
            messages.error(request, _("Niets ingelezen: het bestand bevat fouten."))
            return redirect(
                "participation:council-import", slug=organisation.slug, pk=rejected.batch.pk
            )
        if record.changed_anything:
            messages.success(
                request,
                _("Ingelezen: %(new)s nieuwe en %(updated)s bijgewerkte besluiten.")
                % {"new": record.decisions_created, "updated": record.decisions_updated},
            )
        else:
            messages.success(
                request, _("Niets veranderd: alles in dit bestand was al zo opgeslagen.")
            )
        return redirect("participation:council-import", slug=organisation.slug, pk=record.pk)
    page = Paginator(selectors.import_history(organisation), 25).get_page(request.GET.get("pagina"))
    return render_staff(
        request,
        organisation,
        "participation/council/import_list.html",
        {"form": form, "page": page, "columns": COLUMNS, "required": REQUIRED},
    )


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_safe
def import_template(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The example CSV or Excel file (``?formaat=csv`` or ``xlsx``) whose rows import as they are."""
    fmt = request.GET.get("formaat", "csv")
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    return template_response("burgerlink-raadsstemmingen", COLUMNS, EXAMPLES, fmt)


@staff_view(Perm.MANAGE_PARTICIPATION)
@require_safe
def import_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """The outcome of one import: what changed, or every problem."""
    record = selectors.import_record(organisation, pk)
    if record is None:
        raise Http404
    return render_staff(
        request, organisation, "participation/council/import_detail.html", {"record": record}
    )
