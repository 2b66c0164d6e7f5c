"""Signing in and out, the second step with a TOTP code, setting up TOTP, accepting invitations."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from burgerlink.core import services
from burgerlink.core.models import User, normalise_username
from burgerlink.core.permissions import acting_user
from burgerlink.web.forms import LoginForm, TotpChangeForm, TotpForm

PENDING_USER = "burgerlink_pending_user"
PENDING_NEXT = "burgerlink_pending_next"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _minutes(seconds: int) -> int:
    return (seconds + 59) // 60 if seconds else 0


def _login_while_paused(request: HttpRequest) -> User | None:
    """The owner's way past a paused account: the right password and TOTP code together.

    The code is only checked once the password is right, so guessing passwords cannot wear
    down the device's own throttle; any failure gives the same answer.
    """
    token = request.POST.get("token", "").strip()
    if not (len(token) == 6 and token.isdigit()):
        return None
    username = request.POST.get("username", "")
    user = authenticate(request, username=username, password=request.POST.get("password", ""))
    if not isinstance(user, User):
        return None
    device = services.verify_current_totp(user, token)
    if device is None:
        return None
    login(request, user, backend=BACKEND)
    otp_login(request, device)
    return user


@sensitive_post_parameters("password", "token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password, throttled per account and per client.

    An account paused by failures (perhaps someone else's) still lets its owner in with the
    password and the TOTP code in one go, so nobody can lock a colleague out for good.
    """
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    form = LoginForm(request, data=request.POST or None)
    account_wait = client_wait = 0
    if request.method == "POST":
        username = normalise_username(request.POST.get("username", ""))
        client = services.client_fingerprint(_client_ip(request))
        account_wait, client_wait = services.login_waits(username=username, client=client)
        if client_wait:
            form.errors.clear()
        elif account_wait:
            form.errors.clear()
            if _login_while_paused(request) is not None:
                services.clear_login_failures(username=username)
                return HttpResponseRedirect(_safe_next(request, next_url))
            services.record_login_failure(username=username, client=client)
            account_wait, client_wait = services.login_waits(username=username, client=client)
        elif form.is_valid():
            user: User = form.get_user()
            services.clear_login_failures(username=username)
            if user_has_device(user, confirmed=True):
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_NEXT] = _safe_next(request, next_url)
                return redirect("web:login-verify")
            login(request, user)
            return HttpResponseRedirect(_safe_next(request, next_url))
        else:
            services.record_login_failure(username=username, client=client)
            account_wait, client_wait = services.login_waits(username=username, client=client)
    wait = max(account_wait, client_wait)
    return render(
        request,
        "web/account/login.html",
        {
            "form": form,
            "next": next_url or "",
            "wait_minutes": _minutes(wait),
            # Only the client's own pause blocks it outright; a paused account takes the code.
            "paused_account": bool(account_wait) and not client_wait,
            "token_form": TotpForm(prefix=None),
        },
        status=429 if wait else 200,
    )


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """Step two for accounts with TOTP: the code from the authenticator app.

    Only the client's pause applies here: the password was right, and django-otp slows down
    wrong codes per device, so a stranger failing logins on this account cannot stop its owner.
    """
    pending = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending else None
    if user is None:
        return redirect("web:login")
    form = TotpForm(request.POST or None)
    client = services.client_fingerprint(_client_ip(request))
    _account_wait, wait = services.login_waits(username=user.get_username(), client=client)
    if request.method == "POST" and not wait and form.is_valid():
        device = services.verify_current_totp(user, form.cleaned_data["token"])
        if device is not None:
            next_url = request.session.pop(PENDING_NEXT, None)
            request.session.pop(PENDING_USER, None)
            login(request, user, backend=BACKEND)
            otp_login(request, device)
            services.clear_login_failures(username=user.get_username())
            return HttpResponseRedirect(_safe_next(request, next_url))
        services.record_login_failure(username=user.get_username(), client=client)
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code."))
    return render(
        request,
        "web/account/login_verify.html",
        {"form": form, "wait_minutes": _minutes(wait)},
        status=429 if wait else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a prefetching browser or a mail scanner cannot sign you out)."""
    logout(request)
    messages.success(request, _("U bent afgemeld."))
    return redirect("web:home")


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@sensitive_post_parameters("token", "current_token")
@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Set up, replace or remove the authenticator app (TOTP).

    GET only shows: "Begin" (a POST) creates the new secret. Replacing or removing an app in
    use needs that app's current code.
    """
    user = acting_user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    action = request.POST.get("action", "")
    form = TotpChangeForm(
        request.POST if action == "confirm" else None,
        needs_current=services.confirmed_totp_device(user) is not None,
    )
    remove_form = TotpChangeForm(
        request.POST if action == "remove" else None, needs_current=True, new_code=False
    )
    if action == "start":
        services.start_totp_setup(user=user)
        return redirect("web:totp-setup")
    if action == "confirm" and form.is_valid():
        try:
            device = services.confirm_totp_device(
                user=user,
                token=form.cleaned_data["token"],
                current_token=form.cleaned_data.get("current_token", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            otp_login(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect("web:staff-home")
    if action == "remove" and remove_form.is_valid():
        try:
            services.remove_totp_device(
                user=user, current_token=remove_form.cleaned_data["current_token"]
            )
        except ValidationError as error:
            remove_form.add_error(None, error)
        else:
            messages.success(request, _("Tweestapsverificatie staat uit."))
            return redirect("web:totp-setup")
    confirmed = services.confirmed_totp_device(user)
    device = services.pending_totp_device(user)
    context: dict[str, Any] = {
        "form": form,
        "remove_form": remove_form,
        "has_confirmed": confirmed is not None,
        "required": settings.REQUIRE_STAFF_TOTP,
        "pending": device is not None,
    }
    if device is not None:
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    status = 400 if request.method == "POST" else 200
    return render(request, "web/account/totp_setup.html", context, status=status)


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, secret: str) -> HttpResponse:
    """An invitation to work for an organisation: shown on GET, accepted with a POST.

    Signed in with the invited address: one button. No account for that address yet: choose a
    password and accept. An account that exists: sign in first. The role starts on acceptance.
    """
    pending = services.invitation_for(secret)
    if pending is None:
        return render(request, "web/account/invitation_invalid.html", status=404)
    user = acting_user(request)
    owner = None if user is not None else services.account_for_invitation(pending)
    if user is None and owner is not None and request.method != "POST":
        messages.info(request, _("Meld u aan om de uitnodiging te accepteren."))
        return redirect_to_login(request.get_full_path())
    password_form = (
        SetPasswordForm(
            User(username=pending.email, email=pending.email), data=request.POST or None
        )
        if user is None and owner is None
        else None
    )
    error = ""
    if request.method == "POST" and (password_form is None or password_form.is_valid()):
        try:
            membership = services.accept_invitation(
                secret=secret,
                user=user,
                password=password_form.cleaned_data["new_password1"] if password_form else "",
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            if user is None:
                login(request, membership.user, backend=BACKEND)
            messages.success(
                request,
                _("Welkom bij %(organisation)s.") % {"organisation": membership.organisation.name},
            )
            return redirect("web:staff-home")
    wrong_account = user is not None and not services.owns_invited_address(user, pending)
    return render(
        request,
        "web/account/invitation.html",
        {
            "invitation": pending,
            "password_form": password_form,
            "wrong_account": wrong_account,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )
