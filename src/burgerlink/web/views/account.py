"""Signing in and out, the second step with a TOTP code, and setting up TOTP."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.contrib.auth.decorators import login_required
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
from django_otp.plugins.otp_totp.models import TOTPDevice

from burgerlink.core import services
from burgerlink.core.models import User
from burgerlink.web.forms import LoginForm, TotpForm

PENDING_USER = "burgerlink_pending_user"
PENDING_NEXT = "burgerlink_pending_next"


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password, throttled per account and per client."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    form = LoginForm(request, data=request.POST or None)
    wait = 0
    if request.method == "POST":
        username = request.POST.get("username", "")
        client = services.client_fingerprint(_client_ip(request))
        wait = services.login_retry_after(username=username, client=client)
        if wait:
            form.errors.clear()
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
            wait = services.login_retry_after(username=username, client=client)
    return render(
        request,
        "web/account/login.html",
        {"form": form, "next": next_url or "", "wait_minutes": (wait + 59) // 60 if wait else 0},
        status=429 if wait else 200,
    )


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """Step two for accounts with TOTP: the code from the authenticator app."""
    pending = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending else None
    if user is None:
        return redirect("web:login")
    form = TotpForm(request.POST or None)
    client = services.client_fingerprint(_client_ip(request))
    wait = services.login_retry_after(username=user.get_username(), client=client)
    if request.method == "POST" and not wait and form.is_valid():
        device = next(
            (
                d
                for d in TOTPDevice.objects.devices_for_user(user, confirmed=True)
                if d.verify_token(form.cleaned_data["token"])
            ),
            None,
        )
        if device is not None:
            next_url = request.session.pop(PENDING_NEXT, None)
            request.session.pop(PENDING_USER, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            services.clear_login_failures(username=user.get_username())
            return HttpResponseRedirect(_safe_next(request, next_url))
        services.record_login_failure(username=user.get_username(), client=client)
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code."))
    return render(
        request,
        "web/account/login_verify.html",
        {"form": form, "wait_minutes": (wait + 59) // 60 if wait else 0},
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


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    user = request.user
    if not isinstance(user, User):  # login_required has let only signed-in users through
        return redirect("web:login")
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            services.record_audit(actor=user, action="auth.totp.enable")
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect("web:staff-home")
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context: dict[str, Any] = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "has_confirmed": confirmed is not None,
        "required": settings.REQUIRE_STAFF_TOTP,
    }
    return render(request, "web/account/totp_setup.html", context)
