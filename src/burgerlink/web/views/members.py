"""Staff pages for colleagues: who holds which role, invitations, revoking a role."""

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from burgerlink.core import notify, services
from burgerlink.core.models import Membership, Organisation, Role, User
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.forms import MemberForm
from burgerlink.web.shell import render_staff, staff_view


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
    # A new colleague has no language of their own yet: the invitation is in Dutch, whatever
    # the language the administrator works in.
    message = notify.compose(
        "core/email/member_invitation",
        to=user.email,
        language="nl",
        context={"user": user, "organisation": organisation, "link": link},
    )
    notify.send_after_commit(message)


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
