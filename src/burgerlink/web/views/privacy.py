"""Privacy pages: the public processing overview, and requests for access and erasure.

The overview is built from core's registry of personal data, so a new app's data shows up
without touching this module. Requests (AVG art. 15 and 17) are handled by an organisation's
administrators for their organisation, and by platform operators across organisations; every
step is a POST, so an e-mail address never lands in an address bar or a log line.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from burgerlink.core import privacy
from burgerlink.core.models import Organisation
from burgerlink.core.numbers import format_number
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.shell import render_staff, staff_view, verified_login_required


def processing_overview(request: HttpRequest) -> HttpResponse:
    """Verwerkingsoverzicht: which personal data the platform keeps, why and for how long."""
    return render(request, "web/privacy/overview.html", {"kinds": privacy.kinds()})


class PrivacyRequestForm(forms.Form):
    """Whom the request is about: an e-mail address, a reference, or both."""

    email = forms.EmailField(label=gettext_lazy("E-mailadres"), required=False, max_length=254)
    reference = forms.CharField(
        label=gettext_lazy("Kenmerk"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("Bijvoorbeeld het zaaknummer van een compensatieclaim."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Ik begrijp dat wissen niet ongedaan kan worden gemaakt."),
        required=False,
    )

    def clean(self) -> dict[str, object]:
        """At least one of e-mail address and reference."""
        data = super().clean() or {}
        if not data.get("email") and not data.get("reference"):
            raise forms.ValidationError(_("Vul een e-mailadres of een kenmerk in."))
        return data


def _handle(
    request: HttpRequest, organisation: Organisation | None
) -> tuple[PrivacyRequestForm, dict[str, int] | None, HttpResponse | None]:
    form = PrivacyRequestForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return form, None, None
    subject = privacy.Subject(
        email=form.cleaned_data["email"],
        reference=form.cleaned_data["reference"],
        organisation=organisation,
    )
    action = request.POST.get("action", "lookup")
    by = acting_user(request)
    if action == "export":
        archive = privacy.export_person(subject=subject, by=by)
        response = HttpResponse(archive, content_type="application/zip")
        name = f"persoonsgegevens-{subject.pseudonym()}-{timezone.localdate():%Y%m%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return form, None, response
    if action == "erase":
        if not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Vink aan dat u begrijpt dat wissen definitief is."))
            return form, privacy.lookup(subject), None
        erased = privacy.erase_person(subject=subject, by=by)
        messages.success(
            request,
            _("Gewist: %(count)s gegeven(s). Dit staat in de auditlog.")
            % {"count": format_number(sum(erased.values()))},
        )
        return form, privacy.lookup(subject), None
    return form, privacy.lookup(subject), None


def _rows(found: dict[str, int] | None) -> list[tuple[privacy.PersonalData, int]] | None:
    if found is None:
        return None
    return [(kind, found[kind.code]) for kind in privacy.kinds() if kind.code in found]


@staff_view(Perm.HANDLE_PRIVACY_REQUESTS)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_requests(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """An administrator looks up, exports or erases one person's data in the organisation."""
    form, found, download = _handle(request, organisation)
    if download is not None:
        return download
    return render_staff(
        request,
        organisation,
        "web/staff/privacy.html",
        {"form": form, "rows": _rows(found), "scope": organisation.name},
    )


@verified_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def operator_requests(request: HttpRequest) -> HttpResponse:
    """A platform operator handles a request across every organisation (accounts included)."""
    user = acting_user(request)
    if user is None or not (user.is_platform_operator or user.is_superuser):
        raise PermissionDenied("Only platform operators")
    form, found, download = _handle(request, None)
    if download is not None:
        return download
    response = render(
        request,
        "web/privacy/operator.html",
        {"form": form, "rows": _rows(found), "scope": _("alle organisaties")},
    )
    response["Cache-Control"] = "no-store"
    return response
