"""Pushing records through the API, the staff import page, and the import-records command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from burgerlink.charters.models import Case, CharterVersion, Contact, ImportBatch, Verdict
from burgerlink.core.models import Organisation, User
from burgerlink.core.services import issue_api_token
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _token(organisation: Organisation) -> str:
    return issue_api_token(organisation=organisation, name="zaaksysteem", by=None).secret


def test_push_contacts_with_a_token(amstelstad: Organisation, charter: CharterVersion) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token(amstelstad)}")
    payload = {
        "contacts": [
            {
                "source_id": "P-1",
                "channel": "phone",
                "received_at": "2025-03-07T09:00:00+01:00",
                "wait_seconds": 12,
            },
            {
                "source_id": "P-2",
                "channel": "telefoon",
                "received_at": "2025-03-07T09:10:00+01:00",
                "wait_seconds": 40,
            },
        ]
    }
    response = client.post(
        "/api/v1/organisations/amstelstad/contacts", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    again = client.post(
        "/api/v1/organisations/amstelstad/contacts", payload, content_type="application/json"
    )
    assert again.json()["unchanged"] == 2
    assert dict(Contact.objects.values_list("source_id", "verdict")) == {
        "P-1": Verdict.MET,
        "P-2": Verdict.MISSED,
    }


def test_pushed_naive_datetimes_and_bad_rows_are_refused(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token(amstelstad)}")
    naive = {
        "contacts": [{"source_id": "N", "channel": "phone", "received_at": "2025-03-07T09:00:00"}]
    }
    response = client.post(
        "/api/v1/organisations/amstelstad/contacts", naive, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("received_at")
    unknown = {
        "contacts": [
            {"source_id": "U", "channel": "postduif", "received_at": "2025-03-07T09:00:00+01:00"}
        ]
    }
    response = client.post(
        "/api/v1/organisations/amstelstad/contacts", unknown, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.contacts.0.channel"
    assert not Contact.objects.exists()


def test_a_token_of_another_organisation_is_refused(
    amstelstad: Organisation, heidedorp: Organisation, charter: CharterVersion
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token(heidedorp)}")
    payload = {
        "contacts": [
            {"source_id": "X", "channel": "phone", "received_at": "2025-03-07T09:00:00+01:00"}
        ]
    }
    response = client.post(
        "/api/v1/organisations/amstelstad/contacts", payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_push_cases_with_suspensions_and_extensions(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token(amstelstad)}")
    payload = {
        "cases": [
            {
                "source_id": "Z-9",
                "case_type": "omgevingsvergunning-regulier",
                "received_at": "2025-03-01T10:00:00+01:00",
                "suspensions": [
                    {"start": "2025-03-10", "end": "2025-03-17", "reason": "aanvulling"}
                ],
                "extensions": [{"amount": 2, "unit": "weeks", "reason": "advies"}],
            }
        ]
    }
    response = client.post(
        "/api/v1/organisations/amstelstad/cases", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.suspended_days, case.extended_days, case.verdict) == (7, 14, Verdict.OPEN)
    reversed_dates = {
        "cases": [
            {**payload["cases"][0], "suspensions": [{"start": "2025-03-17", "end": "2025-03-10"}]}
        ]
    }
    refused = client.post(
        "/api/v1/organisations/amstelstad/cases", reversed_dates, content_type="application/json"
    )
    assert refused.status_code == 422


def test_staff_upload_shows_counts_or_row_errors(
    amstelstad: Organisation, charter: CharterVersion, kees_quality: User
) -> None:
    client = client_for(kees_quality)
    good = SimpleUploadedFile(
        "contacten.csv",
        b"source_id;channel;received_at;wait_seconds\nS-1;telefoon;07-03-2025 09:00;10\n",
    )
    response = client.post(
        "/medewerkers/amstelstad/imports/", {"kind": "contacts", "file": good}, follow=True
    )
    assert "1 nieuw" in response.content.decode()
    bad = SimpleUploadedFile(
        "fout.csv", b"source_id;channel;received_at\nS-2;fax;07-03-2025 09:00\n"
    )
    response = client.post(
        "/medewerkers/amstelstad/imports/", {"kind": "contacts", "file": bad}, follow=True
    )
    html = response.content.decode()
    assert "Niets geïmporteerd" in html
    assert "Onbekend kanaal" in html
    assert ImportBatch.objects.filter(status="failed").count() == 1
    assert Contact.objects.count() == 1


def test_import_records_command(
    amstelstad: Organisation, charter: CharterVersion, tmp_path: Path
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("source_id,channel,received_at\nK-1,email,2025-03-07 09:00\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import-records", str(path), organisation="amstelstad", kind="contacts", stdout=out
    )
    assert "1 nieuw" in out.getvalue()
    path.write_text("source_id,channel,received_at\nK-1,email,morgen\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Niets geïmporteerd"):
        call_command(
            "import-records", str(path), organisation="amstelstad", kind="contacts", stderr=err
        )
    assert "rij 2, kolom received_at" in err.getvalue()


@pytest.mark.parametrize("moment", [1741334400, "1741334400", 0.0, "0.0"])
def test_numbers_are_not_taken_for_moments(
    amstelstad: Organisation, charter: CharterVersion, moment: object
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token(amstelstad)}")
    payload = {"contacts": [{"source_id": "T", "channel": "phone", "received_at": moment}]}
    response = client.post(
        "/api/v1/organisations/amstelstad/contacts", payload, content_type="application/json"
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.contacts.0.received_at"
    assert "ISO 8601" in error["message"]
    assert not Contact.objects.exists()
