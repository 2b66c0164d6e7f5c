"""The demo step writes its year of contacts through the same writer as an import."""

from __future__ import annotations

import pytest

from burgerlink.charters.models import Case, Contact, ImportBatch, Verdict
from burgerlink.core.demo import load_demo_world

pytestmark = pytest.mark.django_db


def test_the_demo_year_of_contacts_is_stored() -> None:
    load_demo_world(steps=["Kwaliteitshandvesten", "Klantcontacten en zaken"])
    batches = ImportBatch.objects.filter(source="demo")
    assert batches.exists()
    stored = Contact.objects.count()
    assert stored > 0
    assert stored == sum(batch.rows_created for batch in batches)
    assert Contact.objects.exclude(verdict=Verdict.UNMEASURED).exists()  # measured, not only stored
    assert Case.objects.exists()
