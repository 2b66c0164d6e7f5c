"""A cached public figure changes after an import (the page cache keys on the data version)."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from burgerlink.charters.models import CharterVersion
from burgerlink.charters.records.services import import_file
from burgerlink.core.models import Organisation

pytestmark = pytest.mark.django_db

DASHBOARD = "/organisaties/amstelstad/dienstverlening/?periode=2025-Q1"
HEADER = "source_id,channel,received_at,handled_at,wait_seconds,answered\n"


def _import(organisation: Organisation, rows: str) -> None:
    import_file(
        organisation=organisation,
        kind="contacts",
        stream=io.BytesIO((HEADER + rows).encode()),
        filename="contacts.csv",
    )


def test_the_dashboard_is_cached_until_an_import_changes_its_figures(
    amstelstad: Organisation, charter: CharterVersion
) -> None:
    _import(amstelstad, "T-1,phone,2025-03-07T09:00:00+01:00,,20,ja\n")
    visitor = Client()
    first = visitor.get(DASHBOARD)
    again = Client().get(DASHBOARD)
    assert first.status_code == again.status_code == 200
    assert "X-Page-Cache" not in first
    assert again["X-Page-Cache"] == "hit"
    assert "100,0%" in again.content.decode()

    # One answered too late: the same page now shows half on time, straight after the import.
    _import(amstelstad, "T-2,phone,2025-03-07T09:05:00+01:00,,40,ja\n")
    after = Client().get(DASHBOARD)

    assert "X-Page-Cache" not in after
    assert "50,0%" in after.content.decode()
    assert "100,0%" not in after.content.decode()


def test_an_import_of_another_organisation_leaves_the_cached_page_alone(
    amstelstad: Organisation, heidedorp: Organisation, charter: CharterVersion
) -> None:
    _import(amstelstad, "T-1,phone,2025-03-07T09:00:00+01:00,,20,ja\n")
    Client().get(DASHBOARD)
    heidedorp.name = "Gemeente Heidedorp (nieuw)"
    heidedorp.save()

    assert Client().get(DASHBOARD)["X-Page-Cache"] == "hit"
