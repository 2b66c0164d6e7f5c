"""Staff pages for colleagues: who holds which role, invitations, revoking a role.

The rules (consent by invitation, at least one administrator) live in ``core.services``; these
views only parse, call and report.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from burgerlink.core import services
from burgerlink.core.models import Invitation, Membership, Organisation
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.forms import MemberForm
from burgerlink.web.shell import render_staff, staff_view


@staff_view(Perm.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def member_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Colleagues, their roles and pending invitations; POST invites someone to a role.

    The answer to an invitation is the same whatever the address: whether it belongs to an
    account (here or elsewhere) is nobody's business but its owner's.
    """
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issued = services.invite_member(
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            by=acting_user(request),
            link_for=lambda secret: request.build_absolute_uri(
                reverse("web:invitation", kwargs={"secret": secret})
            ),
        )
        messages.success(
            request,
            _(
                "Er is een uitnodiging gestuurd naar %(email)s. De rol gaat in zodra de "
                "uitnodiging is geaccepteerd."
            )
            % {"email": issued.invitation.email},
        )
        return redirect("web:staff-members", slug=organisation.slug)
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__username", "role")
    )
    invitations = Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("email", "role")
    return render_staff(
        request,
        organisation,
        "web/staff/members.html",
        {"form": form, "memberships": memberships, "invitations": invitations},
    )


@staff_view(Perm.MANAGE_MEMBERS)
@require_POST
def member_revoke(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Take a role away; the service refuses to remove the last administrator."""
    membership = get_object_or_404(Membership, organisation=organisation, pk=pk)
    try:
        services.revoke_role(membership=membership, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De rol is ingetrokken."))
    return redirect("web:staff-members", slug=organisation.slug)


@staff_view(Perm.MANAGE_MEMBERS)
@require_POST
def invitation_withdraw(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Withdraw a pending invitation: its link stops working."""
    invitation = get_object_or_404(
        Invitation, organisation=organisation, pk=pk, accepted_at__isnull=True
    )
    services.withdraw_invitation(invitation=invitation, by=acting_user(request))
    messages.success(
        request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email}
    )
    return redirect("web:staff-members", slug=organisation.slug)
