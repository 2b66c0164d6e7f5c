"""Staff pages that set up the organisation itself: its calendar and its API tokens."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from burgerlink.core import services
from burgerlink.core.models import ClosingDay, Organisation
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.forms import ApiTokenForm, ClosingDayForm, OpeningHoursForm
from burgerlink.web.shell import render_staff, staff_view


@staff_view(Perm.MANAGE_CALENDAR)
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_view(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Closing days and opening hours of the organisation's own calendar."""
    hours = {row.weekday: (row.opens, row.closes) for row in organisation.opening_hours.all()}
    closing_form = ClosingDayForm(prefix="closing")
    hours_form = OpeningHoursForm(prefix="hours", initial_hours=hours)
    if request.method == "POST" and "add_closing_day" in request.POST:
        closing_form = ClosingDayForm(request.POST, prefix="closing")
        if closing_form.is_valid():
            services.add_closing_days(
                organisation=organisation,
                days=[(closing_form.cleaned_data["date"], closing_form.cleaned_data["reason"])],
                by=acting_user(request),
            )
            messages.success(request, _("De sluitingsdag is toegevoegd."))
            return redirect("web:staff-calendar", slug=organisation.slug)
    elif request.method == "POST" and "save_hours" in request.POST:
        hours_form = OpeningHoursForm(request.POST, prefix="hours", initial_hours=hours)
        if hours_form.is_valid():
            services.set_opening_hours(
                organisation=organisation,
                hours=hours_form.hours(),
                by=acting_user(request),
            )
            messages.success(request, _("De openingstijden zijn bewaard."))
            return redirect("web:staff-calendar", slug=organisation.slug)
    return render_staff(
        request,
        organisation,
        "web/staff/calendar.html",
        {
            "closing_form": closing_form,
            "hours_form": hours_form,
            "closing_days": organisation.closing_days.order_by("-date")[:100],
        },
    )


@staff_view(Perm.MANAGE_CALENDAR)
@require_POST
def closing_day_delete(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Remove a closing day."""
    closing_day = get_object_or_404(ClosingDay, organisation=organisation, pk=pk)
    services.remove_closing_day(closing_day=closing_day, by=acting_user(request))
    messages.success(request, _("De sluitingsdag is verwijderd."))
    return redirect("web:staff-calendar", slug=organisation.slug)


@staff_view(Perm.MANAGE_API_TOKENS)
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """API tokens of the organisation; a new token's secret is shown once."""
    form = ApiTokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = services.issue_api_token(
            organisation=organisation,
            name=form.cleaned_data["name"],
            by=acting_user(request),
        )
        form = ApiTokenForm()
    return render_staff(
        request,
        organisation,
        "web/staff/tokens.html",
        {"form": form, "issued": issued, "tokens": organisation.api_tokens.all()},
    )


@staff_view(Perm.MANAGE_API_TOKENS)
@require_POST
def token_revoke(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Revoke a token."""
    token = get_object_or_404(organisation.api_tokens, pk=pk)
    services.revoke_api_token(token=token, by=acting_user(request))
    messages.success(request, _("De sleutel '%(name)s' is ingetrokken.") % {"name": token.name})
    return redirect("web:staff-tokens", slug=organisation.slug)
