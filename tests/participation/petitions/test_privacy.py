"""Signatories' and petitioners' personal data in the privacy registry: found, exported, erased."""

from __future__ import annotations

from burgerlink.core import privacy
from burgerlink.core.models import Organisation, User
from burgerlink.core.privacy import Subject
from burgerlink.core.schedule import job
from burgerlink.participation.models import Petition, Signature
from tests.participation.petitions.conftest import sign_and_confirm


def test_both_kinds_are_registered_with_a_scheduled_retention_job() -> None:
    kinds = {kind.code: kind for kind in privacy.kinds()}
    for code in ("participation.signature", "participation.petitioner"):
        assert job(kinds[code].retention_job).task is not None
    assert job("participation.purge-unconfirmed-signatures").daily_at is not None
    assert job("participation.petition-counts").every is not None


def test_a_signatory_is_found_by_any_spelling_of_the_mailbox_exported_and_erased(
    petition: Petition, amstelstad: Organisation, anna_admin: User
) -> None:
    sign_and_confirm(petition, "anna.devries@gmail.com", place="Oudekerk")
    subject = Subject(email="AnnaDeVries+x@gmail.com", organisation=amstelstad)
    assert privacy.lookup(subject)["participation.signature"] == 1
    exported = privacy.export_rows(subject)["participation.signature"]
    assert exported[0]["email"] == "anna.devries@gmail.com" and exported[0]["place"] == "Oudekerk"
    privacy.erase_person(subject=subject, by=anna_admin)
    signature = Signature.objects.get()
    assert (signature.name, signature.email, signature.email_key) == ("", "", "")
    assert signature.place == "Oudekerk" and signature.confirmed_at is not None


def test_another_organisation_does_not_find_amstelstads_signatories(
    petition: Petition, heidedorp: Organisation
) -> None:
    sign_and_confirm(petition, "anna@example.org")
    subject = Subject(email="anna@example.org", organisation=heidedorp)
    assert privacy.lookup(subject)["participation.signature"] == 0
    assert privacy.lookup(subject)["participation.petitioner"] == 0
