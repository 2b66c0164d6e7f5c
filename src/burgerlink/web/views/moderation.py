"""The moderation queue: what citizens posted, of every registered kind, judged in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from burgerlink.core.models import Organisation
from burgerlink.core.moderation import registry, selectors, services
from burgerlink.core.permissions import Perm
from burgerlink.web.forms import ModerationDecisionForm, ModerationFilterForm
from burgerlink.web.shell import StaffRequest, render_staff, staff_view

PAGE_SIZE = 50


@staff_view(Perm.MODERATE)
@require_http_methods(["GET", "HEAD", "POST"])
def moderation_queue(request: StaffRequest, organisation: Organisation) -> HttpResponseBase:
    """List the queue, filtered by kind and state; a POST applies a decision to the ticked items."""
    counts = selectors.open_counts(organisation)
    kinds = [
        (source.code, f"{source.label} ({counts.get(source.code, 0)})")
        for source in registry.sources()
    ]
    filters = ModerationFilterForm(request.GET, kinds=kinds, views=selectors.VIEWS)
    filters.is_valid()  # an unknown choice falls back to the default below
    kind = filters.cleaned_data.get("soort") or ""
    view = filters.cleaned_data.get("status") or selectors.OPEN
    decision = ModerationDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and decision.is_valid():
        try:
            outcome = services.moderate(
                organisation=organisation,
                selection=decision.cleaned_data["item"],
                action=decision.cleaned_data["action"],
                reason=decision.cleaned_data["reason"],
                by=request.user,
            )
        except services.ModerationError as error:
            decision.add_error(None, error)
        else:
            _report(request, outcome)
            return redirect(request.get_full_path())
    number = _page_number(request.GET.get("pagina"))
    page = _queue_page(organisation, kind=kind, view=view, number=number)
    if not page.items and number > 1:  # past the end (items were judged meanwhile): last page
        number = max(1, -(-page.total // PAGE_SIZE))
        page = _queue_page(organisation, kind=kind, view=view, number=number)
    # The paginator only numbers the pages; the rows come from the selector.
    paginator = Paginator(range(page.total), PAGE_SIZE)
    return render_staff(
        request,
        organisation,
        "web/staff/moderation.html",
        {
            "filters": filters,
            "form": decision,
            "rows": page.items,
            "total": page.total,
            "page": paginator.get_page(number),
            "kinds_registered": bool(kinds),
            "query": request.GET.urlencode(),
        },
        status=400 if decision.errors else 200,
    )


def _queue_page(
    organisation: Organisation, *, kind: str, view: str, number: int
) -> selectors.QueuePage:
    return selectors.queue(
        organisation,
        kinds=[kind] if kind else (),
        view=view,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _report(request: StaffRequest, outcome: services.ModerationOutcome) -> None:
    done = ngettext("%(count)d bericht aangepast.", "%(count)d berichten aangepast.", outcome.done)
    message = done % {"count": outcome.done}
    if outcome.skipped:
        skipped = ngettext(
            "%(count)d bericht overgeslagen: de handeling past niet bij de status ervan.",
            "%(count)d berichten overgeslagen: de handeling past niet bij de status ervan.",
            outcome.skipped,
        )
        message = f"{message} {skipped % {'count': outcome.skipped}}"
    if outcome.done:
        messages.success(request, message)
    else:
        messages.warning(request, message)
