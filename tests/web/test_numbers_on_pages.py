"""Numbers on rendered pages: thousands and decimals as Dutch readers write them, or English."""

from __future__ import annotations

import pytest

from burgerlink.charters.models import BatchKind, BatchStatus, ImportBatch
from burgerlink.core.models import Organisation, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_counts_on_the_import_pages_group_thousands_in_the_language_of_the_page(
    amstelstad: Organisation, anna_admin: User
) -> None:
    batch = ImportBatch.objects.create(
        organisation=amstelstad,
        kind=BatchKind.CONTACTS,
        status=BatchStatus.DONE,
        filename="contacten.csv",
        rows_total=1234567,
        rows_created=1200000,
        rows_updated=30000,
        rows_unchanged=4567,
    )
    client = client_for(anna_admin)
    listing = client.get("/medewerkers/amstelstad/imports/").content.decode()
    detail = client.get(f"/medewerkers/amstelstad/imports/{batch.pk}/").content.decode()
    for html in (listing, detail):
        assert "1.234.567" in html and "1234567" not in html
    assert "4.567" in detail and "30.000" in detail
    assert "klantcontacten" in listing  # the import kind by its label
    client.cookies["burgerlink_language"] = "en"
    detail = client.get(f"/medewerkers/amstelstad/imports/{batch.pk}/").content.decode()
    assert "1,234,567" in detail and "4,567" in detail
