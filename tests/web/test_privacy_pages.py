"""The processing overview, and privacy requests by administrators and platform operators."""

from __future__ import annotations

import io
import json
import zipfile

from django.test import Client

from burgerlink.core import privacy
from burgerlink.core.models import AuditEvent, Membership, Organisation, User
from tests.conftest import client_for

URL = "/medewerkers/amstelstad/privacy/"


def test_the_overview_lists_every_kind_of_personal_data(db: None) -> None:
    response = Client().get("/verwerkingen/")
    assert response.status_code == 200
    page = response.content.decode()
    for kind in privacy.kinds():
        assert str(kind.title) in page
        assert str(kind.legal_basis_label) in page
    assert "Verwerkingsoverzicht" in page


def test_the_overview_in_english(db: None) -> None:
    response = Client(headers={"Accept-Language": "en"}).get("/verwerkingen/")
    assert "Processing overview" in response.content.decode()


def test_an_administrator_looks_up_downloads_and_erases(
    amstelstad: Organisation, anna_admin: User, kees_quality: User
) -> None:
    User.objects.filter(pk=kees_quality.pk).update(email="kees@amstelstad.example")
    client = client_for(anna_admin)
    assert client.get(URL).status_code == 200
    found = client.post(URL, {"email": "kees@amstelstad.example", "action": "lookup"})
    assert found.status_code == 200
    assert "Rollen in organisaties" in found.content.decode()

    download = client.post(URL, {"email": "kees@amstelstad.example", "action": "export"})
    assert download["Content-Type"] == "application/zip"
    assert "kees" not in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert json.loads(archive.read("core.membership.json"))[0]["role"] == "quality_manager"
        assert "core.account.json" not in archive.namelist()  # accounts: operators only

    refused = client.post(URL, {"email": "kees@amstelstad.example", "action": "erase"})
    assert "wissen definitief is" in refused.content.decode()
    assert Membership.objects.filter(user=kees_quality).exists()

    client.post(URL, {"email": "kees@amstelstad.example", "action": "erase", "confirm": "on"})
    assert not Membership.objects.filter(user=kees_quality).exists()
    assert User.objects.get(pk=kees_quality.pk).username == "kees_quality"  # not the account
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"privacy.export", "privacy.erase"} <= actions


def test_an_empty_request_says_what_is_missing(amstelstad: Organisation, anna_admin: User) -> None:
    response = client_for(anna_admin).post(URL, {"action": "lookup"})
    assert "Vul een e-mailadres of een kenmerk in." in response.content.decode()


def test_other_roles_may_not(amstelstad: Organisation, kees_quality: User) -> None:
    assert client_for(kees_quality).get(URL).status_code == 403


def test_an_operator_handles_requests_across_organisations(
    amstelstad: Organisation, kees_quality: User, olaf_operator: User, anna_admin: User
) -> None:
    User.objects.filter(pk=kees_quality.pk).update(email="kees@amstelstad.example")
    assert client_for(anna_admin).get("/privacyverzoeken/").status_code == 403
    client = client_for(olaf_operator)
    download = client.post(
        "/privacyverzoeken/", {"email": "kees@amstelstad.example", "action": "export"}
    )
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert json.loads(archive.read("core.account.json"))[0]["username"] == "kees_quality"
    client.post(
        "/privacyverzoeken/",
        {"email": "kees@amstelstad.example", "action": "erase", "confirm": "on"},
    )
    assert User.objects.get(pk=kees_quality.pk).username.startswith("verwijderd-")
