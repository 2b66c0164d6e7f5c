"""The staff area: per organisation a dashboard, self-assessment, calendar, tokens, members, audit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.core import dashboard, permissions, selectors, services
from burgerlink.core.models import ClosingDay, Membership, Organisation, Role, User
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.forms import (
    ApiTokenForm,
    ClosingDayForm,
    MemberForm,
    OpeningHoursForm,
    SelfAssessmentForm,
)

P = ParamSpec("P")
StaffView = Callable[Concatenate[HttpRequest, Organisation, P], HttpResponse]


def staff_view(perm: Perm) -> Callable[[StaffView[P]], Callable[..., HttpResponse]]:
    """Resolve ``slug`` to an organisation the user may ``perm`` in, or 404/403.

    Also enforces two-step verification for staff when the production setting asks for it.
    """

    def decorate(view: StaffView[P]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            if settings.REQUIRE_STAFF_TOTP and not request.user.is_verified():  # type: ignore[union-attr]
                return redirect("web:totp-setup")
            organisation = permissions.organisation_for(request.user, slug, perm)
            request.organisation_perms = permissions.permissions_in(request.user, organisation)  # type: ignore[attr-defined]
            return view(request, organisation, *args, **kwargs)

        return wrapper

    return decorate


def render_staff(
    request: HttpRequest, organisation: Organisation, template: str, context: dict[str, Any]
) -> HttpResponse:
    """Render a staff page with the organisation, its theme, the member's permissions and menu.

    Staff views of every capability use this, so the menu and theme are the same everywhere.
    """
    perms: set[Perm] = getattr(request, "organisation_perms", set())
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "perms": {str(p) for p in perms},
            "staff_links": dashboard.staff_links_for(perms),
            **context,
        },
    )


@login_required
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where signed-in staff land: their organisation, or a choice when they have several."""
    if settings.REQUIRE_STAFF_TOTP and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("web:totp-setup")
    organisations = list(permissions.staff_organisations(request.user))
    if len(organisations) == 1:
        return redirect("web:staff-dashboard", slug=organisations[0].slug)
    return render(request, "web/staff/home.html", {"organisations": organisations})


@staff_view(Perm.VIEW_DASHBOARD)
@require_safe
def dashboard_view(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's dashboard; each capability contributes panels."""
    perms = request.organisation_perms  # type: ignore[attr-defined]
    panels = [
        {"panel": panel, "context": panel.context(organisation)}
        for panel in dashboard.panels_for(perms)
    ]
    assessment = selectors.latest_published_assessment(organisation)
    draft = organisation.self_assessments.filter(status="draft").first()
    return render_staff(
        request,
        organisation,
        "web/staff/dashboard.html",
        {
            "panels": panels,
            "assessment": assessment,
            "draft": draft,
            "roles": [Role(r).label for r in permissions.roles_in(request.user, organisation)],
            "recent_events": selectors.audit_events(organisation)[:5]
            if Perm.VIEW_AUDIT_LOG in perms
            else [],
        },
    )


# --- self-assessment ----------------------------------------------------------------------


@staff_view(Perm.EDIT_SELF_ASSESSMENT)
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """History of self-assessments; POST starts a new draft."""
    if request.method == "POST":
        try:
            assessment = services.start_self_assessment(
                organisation=organisation, by=acting_user(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("web:staff-assessments", slug=organisation.slug)
        return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
    history = [
        (assessment, selectors.assessment_scores(assessment))
        for assessment in selectors.assessment_history(organisation)
    ]
    return render_staff(
        request, organisation, "web/staff/assessment_list.html", {"history": history}
    )


@staff_view(Perm.EDIT_SELF_ASSESSMENT)
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_edit(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Fill in (or read) a self-assessment; publishing is a separate POST."""
    assessment = get_object_or_404(organisation.self_assessments, pk=pk)
    answers = list(
        assessment.answers.select_related("item__norm").order_by(
            "item__norm__number", "item__position"
        )
    )
    editable = assessment.status == "draft"
    form = SelfAssessmentForm(request.POST or None, answers=answers)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Een gepubliceerde zelfevaluatie kan niet meer veranderen."))
            return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
        if form.is_valid():
            services.save_assessment_answers(
                assessment=assessment,
                answers={
                    item_id: services.AnswerInput(answer, explanation, links)
                    for item_id, (answer, explanation, links) in form.cleaned_answers().items()
                },
                by=acting_user(request),
            )
            messages.success(request, _("De antwoorden zijn bewaard."))
            return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
        messages.error(request, _("Niet alles is goed ingevuld; zie de meldingen bij de vragen."))
    return render_staff(
        request,
        organisation,
        "web/staff/assessment_edit.html",
        {
            "assessment": assessment,
            "form": form,
            "editable": editable,
            "scores": selectors.assessment_scores(assessment),
            "can_publish": Perm.PUBLISH_SELF_ASSESSMENT in request.organisation_perms,  # type: ignore[attr-defined]
        },
    )


@staff_view(Perm.PUBLISH_SELF_ASSESSMENT)
@require_POST
def assessment_publish(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Publish a complete draft on the public scorecard."""
    assessment = get_object_or_404(organisation.self_assessments, pk=pk)
    try:
        services.publish_self_assessment(
            assessment=assessment,
            summary=request.POST.get("summary", "").strip(),
            by=acting_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("web:staff-assessment", slug=organisation.slug, pk=assessment.pk)
    messages.success(request, _("De zelfevaluatie staat op de openbare scorekaart."))
    return redirect("web:organisation-scorecard", slug=organisation.slug)


# --- calendar -----------------------------------------------------------------------------


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


# --- API tokens ---------------------------------------------------------------------------


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


# --- members ------------------------------------------------------------------------------


@staff_view(Perm.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def member_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Colleagues and their roles; administrators add and remove roles."""
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            invited = user is None
            if user is None:
                user = User.objects.create_user(
                    username=email,
                    email=email,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
            services.grant_role(
                organisation=organisation,
                user=user,
                role=form.cleaned_data["role"],
                by=acting_user(request),
            )
            if invited:
                _send_invitation(request, user, organisation)
        if invited:
            messages.success(
                request, _("%(email)s heeft een uitnodiging gekregen.") % {"email": email}
            )
        else:
            messages.success(request, _("De rol is toegekend."))
        return redirect("web:staff-members", slug=organisation.slug)
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__username", "role")
    )
    return render_staff(
        request, organisation, "web/staff/members.html", {"form": form, "memberships": memberships}
    )


def _send_invitation(request: HttpRequest, user: User, organisation: Organisation) -> None:
    """Mail a new colleague a one-time link to choose a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(
        reverse("web:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    )
    context = {"user": user, "organisation": organisation, "link": link}
    transaction.on_commit(
        lambda: send_mail(
            subject=render_to_string("web/account/invitation_subject.txt", context).strip(),
            message=render_to_string("web/account/invitation_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )


@staff_view(Perm.MANAGE_MEMBERS)
@require_POST
def member_revoke(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Take a role away; an administrator cannot remove the last administrator."""
    membership = get_object_or_404(Membership, organisation=organisation, pk=pk)
    if (
        membership.role == Role.ADMINISTRATOR
        and Membership.objects.filter(organisation=organisation, role=Role.ADMINISTRATOR).count()
        == 1
    ):
        messages.error(request, _("De laatste beheerder kan niet worden verwijderd."))
    else:
        services.revoke_role(membership=membership, by=acting_user(request))
        messages.success(request, _("De rol is ingetrokken."))
    return redirect("web:staff-members", slug=organisation.slug)


# --- audit log ----------------------------------------------------------------------------


@staff_view(Perm.VIEW_AUDIT_LOG)
@require_safe
def audit_log(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's audit log, 50 lines per page."""
    page = Paginator(selectors.audit_events(organisation).select_related("actor"), 50).get_page(
        request.GET.get("pagina")
    )
    return render_staff(request, organisation, "web/staff/audit.html", {"page": page})
