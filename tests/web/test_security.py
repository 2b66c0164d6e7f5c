"""Security baseline: headers, argon2, login throttling, TOTP, no confirmation by GET, deploy check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from burgerlink.core.models import AuditEvent, LoginFailure, Organisation, User
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_strict_content_security_policy(amstelstad: Organisation) -> None:
    for url in ("/", "/organisaties/amstelstad/", "/inloggen/", "/api/v1/organisations"):
        response = Client().get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_pages_reference_no_third_party_hosts(amstelstad: Organisation) -> None:
    for url in ("/", "/organisaties/amstelstad/scorekaart/", "/api/v1/docs"):
        html = Client().get(url).content.decode()
        assert "http://" not in html.replace("http://www.w3.org", "")
        for host in ("cdn.", "unpkg", "googleapis", "jsdelivr", "cloudflare"):
            assert host not in html, (url, host)


def test_passwords_are_hashed_with_argon2(settings: Any, anna_admin: User) -> None:
    from burgerlink import settings as production_settings

    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    anna_admin.set_password("a new password for anna")
    anna_admin.save()
    assert identify_hasher(anna_admin.password).algorithm == "argon2"
    assert anna_admin.check_password("a new password for anna")


def test_login_signs_in_with_the_right_password(anna_admin: User) -> None:
    client = Client()
    response = client.post("/inloggen/", {"username": "anna_admin", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/medewerkers/"
    assert AuditEvent.objects.filter(action="auth.login", actor=anna_admin).exists()


def test_login_refuses_an_open_redirect(anna_admin: User) -> None:
    response = Client().post(
        "/inloggen/?next=https://evil.example/",
        {"username": "anna_admin", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/medewerkers/"


def test_wrong_password_shows_a_dutch_message(anna_admin: User) -> None:
    response = Client().post("/inloggen/", {"username": "anna_admin", "password": "nope"})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(anna_admin: User) -> None:
    client = Client()
    for _ in range(3):
        client.post("/inloggen/", {"username": "anna_admin", "password": "wrong"})
    blocked = client.post("/inloggen/", {"username": "anna_admin", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Te veel mislukte pogingen" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another client is not affected by this lock.
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.post("/inloggen/", {"username": "someone_else", "password": "x"})
    assert LoginFailure.objects.filter(username="someone_else").count() == 1


def test_failed_logins_store_no_ip_address(anna_admin: User) -> None:
    Client(REMOTE_ADDR="192.0.2.44").post("/inloggen/", {"username": "anna_admin", "password": "x"})
    failure = LoginFailure.objects.get()
    assert "192.0.2.44" not in failure.client
    assert len(failure.client) == 64


def test_logout_needs_a_post(anna_admin: User) -> None:
    client = client_for(anna_admin)
    assert client.get("/uitloggen/").status_code == 405
    assert "_auth_user_id" in client.session
    client.post("/uitloggen/")
    assert "_auth_user_id" not in client.session


def _device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_account_with_totp_needs_the_code(anna_admin: User) -> None:
    device = _device_for(anna_admin)
    client = Client()
    first = client.post("/inloggen/", {"username": "anna_admin", "password": PASSWORD})
    assert first["Location"] == "/inloggen/code/"
    assert "_auth_user_id" not in client.session
    wrong = client.post(
        "/inloggen/code/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post("/inloggen/code/", {"token": _code(device)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(anna_admin.pk)


@override_settings(REQUIRE_STAFF_TOTP=True)
def test_required_totp_sends_staff_to_setup(amstelstad: Organisation, anna_admin: User) -> None:
    client = client_for(anna_admin)
    response = client.get("/medewerkers/amstelstad/")
    assert response.status_code == 302
    assert response["Location"] == "/account/tweestapsverificatie/"
    setup = client.get("/account/tweestapsverificatie/")
    assert setup.status_code == 200
    assert not TOTPDevice.objects.filter(user=anna_admin).exists()  # a GET changes nothing
    client.post("/account/tweestapsverificatie/", {"action": "start"})
    device = TOTPDevice.objects.get(user=anna_admin, confirmed=False)
    done = client.post(
        "/account/tweestapsverificatie/", {"action": "confirm", "token": _code(device)}
    )
    assert done.status_code == 302
    assert client.get("/medewerkers/amstelstad/").status_code == 200


def test_deploy_check_is_clean_under_production_settings(tmp_path: object) -> None:
    env = {
        **os.environ,
        "BURGERLINK_ENV": "production",
        "SECRET_KEY": "x7#Kp2!vQz9@Lm4$Rt8^Wn1&Yb6*Hc3(Jd5)Fg0_Ae-Ss+Uu=Ii~Oo",
        "ALLOWED_HOSTS": "burgerlink.example.nl",
        "SITE_URL": "https://burgerlink.example.nl",
        "BURGERLINK_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "burgerlink", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: object) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"BURGERLINK_ENV": "production", "BURGERLINK_DATA_DIR": str(tmp_path)})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "burgerlink", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh interpreter with ``env`` and print the default storage."""
    return subprocess.run(  # noqa: S603 - our own settings module
        [
            sys.executable,
            "-c",
            "import json; from burgerlink import settings; "
            "print(json.dumps(settings.STORAGES['default']))",
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_files_move_to_object_storage_by_configuration(tmp_path: object) -> None:
    result = _settings_in(
        {
            "FILE_STORAGE": "s3",
            "S3_BUCKET": "burgerlink-bestanden",
            "S3_ENDPOINT_URL": "https://s3.example.nl",
            "BURGERLINK_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "burgerlink-bestanden"
    assert storage["OPTIONS"]["default_acl"] == "private"


def test_object_storage_without_a_bucket_is_refused_by_name(tmp_path: object) -> None:
    result = _settings_in({"FILE_STORAGE": "s3", "BURGERLINK_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "S3_BUCKET" in result.stderr
