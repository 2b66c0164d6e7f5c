"""Accounts under attack: one login (also for the admin), normalised throttling, no lock-out for
good, TOTP for the API session too, and an authenticator that only its owner can change."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from burgerlink.core import services
from burgerlink.core.models import AuditEvent, LoginFailure, Organisation, User
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db


def _device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _next_code(device: TOTPDevice) -> str:
    """The code of the next 30 seconds: a code already used to sign in is not accepted again."""
    return (
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=1):06d}"
    )


def _wrong(device: TOTPDevice) -> str:
    return "000000" if _code(device) != "000000" else "111111"


def _signed_in_with_code(user: User, device: TOTPDevice) -> Client:
    client = Client()
    client.post("/inloggen/", {"username": user.username, "password": PASSWORD})
    assert client.post("/inloggen/code/", {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    return client


# --- the operator's admin -----------------------------------------------------------------


def test_the_admin_has_no_login_form_of_its_own(olaf_operator: User) -> None:
    response = Client().get("/beheer/login/?next=/beheer/core/channel/")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/beheer/core/channel/"
    # Posting a password to the admin's login does not sign anyone in.
    posted = Client().post("/beheer/login/", {"username": "olaf_operator", "password": PASSWORD})
    assert posted.status_code == 302
    assert posted["Location"].startswith("/inloggen/")
    assert "_auth_user_id" not in posted.wsgi_request.session
    # The way in is the platform's own login, which brings the operator back.
    client = Client()
    signed_in = client.post(
        "/inloggen/?next=/beheer/",
        {"username": "olaf_operator", "password": PASSWORD, "next": "/beheer/"},
    )
    assert signed_in["Location"] == "/beheer/"
    assert client.get("/beheer/").status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_guessing_the_operators_password_is_throttled_on_the_only_login(
    olaf_operator: User,
) -> None:
    client = Client()
    for _ in range(3):
        client.post("/inloggen/", {"username": "olaf_operator", "password": "wrong"})
    blocked = client.post("/inloggen/", {"username": "olaf_operator", "password": PASSWORD})
    assert blocked.status_code == 429
    assert client.get("/beheer/")["Location"].startswith("/beheer/login/")


@override_settings(REQUIRE_STAFF_TOTP=True)
def test_the_admin_asks_for_the_code_when_staff_need_one(olaf_operator: User) -> None:
    without_code = client_for(olaf_operator)
    assert without_code.get("/beheer/")["Location"].startswith("/beheer/login/")
    assert without_code.get("/beheer/login/")["Location"] == "/account/tweestapsverificatie/"
    device = _device_for(olaf_operator)
    assert _signed_in_with_code(olaf_operator, device).get("/beheer/").status_code == 200


def test_a_signed_in_non_operator_gets_403_not_a_second_login(
    amstelstad: Organisation, anna_admin: User
) -> None:
    assert client_for(anna_admin).get("/beheer/login/").status_code == 403


# --- normalised usernames -----------------------------------------------------------------


def test_spelling_variants_of_a_username_sign_in_to_the_same_account(anna_admin: User) -> None:
    for variant in ("  anna_admin ", "ANNA_ADMIN", "ａｎｎａ_admin"):
        client = Client()
        response = client.post("/inloggen/", {"username": variant, "password": PASSWORD})
        assert response.status_code == 302, variant
        assert client.session["_auth_user_id"] == str(anna_admin.pk)


def test_usernames_are_stored_normalised() -> None:
    assert make_user(" Ｋees.Kwaliteit ").username == "kees.kwaliteit"
    assert make_user("Straße").username == "strasse"


@override_settings(LOGIN_FAILURE_LIMIT=4)
def test_spelling_variants_count_towards_one_throttle(anna_admin: User) -> None:
    variants = ["anna_admin", " Anna_Admin", "ANNA_ADMIN ", "ａｎｎａ_ａｄｍｉｎ"]
    for number, variant in enumerate(variants):
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(
            "/inloggen/", {"username": variant, "password": "wrong"}
        )
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"anna_admin"}
    blocked = Client(REMOTE_ADDR="203.0.113.9").post(
        "/inloggen/", {"username": "anna_admin", "password": PASSWORD}
    )
    assert blocked.status_code == 429
    assert "_auth_user_id" not in blocked.wsgi_request.session


# --- a paused account is not a locked-out owner ------------------------------------------


@override_settings(LOGIN_FAILURE_LIMIT=3, OTP_TOTP_THROTTLE_FACTOR=0)
def test_the_owner_passes_a_paused_account_with_password_and_code(anna_admin: User) -> None:
    device = _device_for(anna_admin)
    # An attacker, from several addresses, keeps the account paused.
    for number in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(
            "/inloggen/", {"username": "anna_admin", "password": f"guess {number}"}
        )
    owner = Client(REMOTE_ADDR="192.0.2.10")
    paused = owner.post("/inloggen/", {"username": "anna_admin", "password": PASSWORD})
    assert paused.status_code == 429
    assert "_auth_user_id" not in owner.session
    assert "wachtwoord én de code" in paused.content.decode()
    # A guessed password with a guessed code gets the same answer as a wrong password.
    guessed = Client(REMOTE_ADDR="198.51.100.99").post(
        "/inloggen/",
        {"username": "anna_admin", "password": "guess 6", "token": _code(device)},
    )
    assert guessed.status_code == 429
    wrong_code = owner.post(
        "/inloggen/", {"username": "anna_admin", "password": PASSWORD, "token": _wrong(device)}
    )
    assert wrong_code.status_code == 429
    assert "_auth_user_id" not in owner.session
    # The right password and the right code together let the owner in, fully verified.
    done = owner.post(
        "/inloggen/", {"username": " Anna_Admin", "password": PASSWORD, "token": _code(device)}
    )
    assert done.status_code == 302
    assert owner.session["_auth_user_id"] == str(anna_admin.pk)
    with override_settings(REQUIRE_STAFF_TOTP=True):
        assert owner.get("/medewerkers/amstelstad/").status_code == 200
    assert not LoginFailure.objects.filter(username="anna_admin").exists()


@override_settings(LOGIN_FAILURE_LIMIT=2, OTP_TOTP_THROTTLE_FACTOR=0)
def test_the_code_step_is_not_blocked_by_someone_elses_failures(anna_admin: User) -> None:
    device = _device_for(anna_admin)
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert owner.post("/inloggen/", {"username": "anna_admin", "password": PASSWORD})[
        "Location"
    ] == ("/inloggen/code/")
    for number in range(3):  # meanwhile, someone pauses the account
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(
            "/inloggen/", {"username": "anna_admin", "password": "x"}
        )
    assert owner.post("/inloggen/code/", {"token": _code(device)}).status_code == 302
    assert owner.session["_auth_user_id"] == str(anna_admin.pk)


# --- the staff session in the API ---------------------------------------------------------


@override_settings(REQUIRE_STAFF_TOTP=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_the_api_asks_a_staff_session_for_the_same_code_as_the_pages(
    amstelstad: Organisation, anna_admin: User
) -> None:
    url = "/api/v1/me"
    without_code = client_for(anna_admin)
    response = without_code.get(url)
    assert response.status_code == 401
    assert response.json()["message"]
    device = _device_for(anna_admin)
    with_code = _signed_in_with_code(anna_admin, device)
    assert with_code.get(url).json() == {
        "kind": "staff",
        "organisation": None,
        "name": "anna_admin",
    }
    audit = "/api/v1/organisations/amstelstad/audit"
    assert without_code.get(audit).status_code == 401
    assert with_code.get(audit).status_code == 200


# --- changing the authenticator -----------------------------------------------------------


def test_opening_the_setup_page_creates_no_device(anna_admin: User) -> None:
    client = client_for(anna_admin)
    for _ in range(2):
        assert client.get("/account/tweestapsverificatie/").status_code == 200
    assert not TOTPDevice.objects.filter(user=anna_admin).exists()
    client.post("/account/tweestapsverificatie/", {"action": "start"})
    assert TOTPDevice.objects.filter(user=anna_admin, confirmed=False).count() == 1


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_replacing_the_authenticator_needs_the_current_code(anna_admin: User) -> None:
    current = _device_for(anna_admin)
    client = _signed_in_with_code(anna_admin, current)
    client.post("/account/tweestapsverificatie/", {"action": "start"})
    new = TOTPDevice.objects.get(user=anna_admin, confirmed=False)
    refused = client.post(
        "/account/tweestapsverificatie/", {"action": "confirm", "token": _code(new)}
    )
    assert refused.status_code == 400
    wrong = client.post(
        "/account/tweestapsverificatie/",
        {"action": "confirm", "token": _code(new), "current_token": _wrong(current)},
    )
    assert wrong.status_code == 400
    assert "huidige authenticator-app klopt niet" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=anna_admin, confirmed=True).pk == current.pk
    current.refresh_from_db()
    replaced = client.post(
        "/account/tweestapsverificatie/",
        {"action": "confirm", "token": _code(new), "current_token": _next_code(current)},
    )
    assert replaced.status_code == 302
    assert TOTPDevice.objects.get(user=anna_admin, confirmed=True).pk == new.pk
    assert AuditEvent.objects.filter(action="auth.totp.replace", actor=anna_admin).exists()


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_removing_the_authenticator_needs_the_current_code(anna_admin: User) -> None:
    device = _device_for(anna_admin)
    client = _signed_in_with_code(anna_admin, device)
    refused = client.post(
        "/account/tweestapsverificatie/", {"action": "remove", "current_token": _wrong(device)}
    )
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=anna_admin, confirmed=True).exists()
    device.refresh_from_db()
    removed = client.post(
        "/account/tweestapsverificatie/", {"action": "remove", "current_token": _next_code(device)}
    )
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=anna_admin).exists()


@override_settings(REQUIRE_STAFF_TOTP=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_required_totp_cannot_be_switched_off(amstelstad: Organisation, anna_admin: User) -> None:
    device = _device_for(anna_admin)
    client = _signed_in_with_code(anna_admin, device)
    response = client.post(
        "/account/tweestapsverificatie/", {"action": "remove", "current_token": _code(device)}
    )
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=anna_admin, confirmed=True).exists()


def test_login_waits_are_per_account_and_per_client(settings: Any, anna_admin: User) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        services.record_login_failure(username="ANNA_admin", client="a")
    account, client = services.login_waits(username="anna_admin", client="b")
    assert account > 0
    assert client == 0
