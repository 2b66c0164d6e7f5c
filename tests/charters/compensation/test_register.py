"""register_missed_promises: one owed ledger entry per missed record with compensation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from burgerlink.charters.compensation.services import mark_entry, register_missed_promises
from burgerlink.charters.models import (
    BatchKind,
    CharterNorm,
    CompensationEntry,
    EntryStatus,
    Verdict,
)
from burgerlink.core.models import Organisation
from tests.charters.compensation.conftest import DAY, make_batch, make_case, make_contact


def ledger(organisation: Organisation) -> dict[tuple[str, str], CompensationEntry]:
    return {
        (entry.record_kind, entry.source_id): entry
        for entry in CompensationEntry.objects.filter(organisation=organisation)
    }


def test_one_owed_entry_per_missed_contact_with_compensation(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    make_contact(norms["email"], "E-1", lateness=3 * DAY)
    make_contact(norms["letter"], "L-1", lateness=10)
    make_contact(norms["email"], "E-2", Verdict.MET)
    make_contact(norms["email"], "E-3", Verdict.OPEN)
    make_contact(norms["email"], "E-4", Verdict.UNMEASURED)
    make_contact(norms["phone"], "P-1", lateness=30)  # missed, but no compensation promised

    assert register_missed_promises(organisation=amstelstad, record_kind="contact") == 2

    entries = ledger(amstelstad)
    assert set(entries) == {("contact", "E-1"), ("contact", "L-1")}
    apology = entries["contact", "E-1"]
    assert apology.status == EntryStatus.OWED
    assert apology.norm == norms["email"]
    assert apology.lateness_seconds == 3 * DAY
    assert apology.amount is None  # an apology is not money
    assert entries["contact", "L-1"].amount is None


def test_amounts_of_missed_cases_follow_the_norm(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    make_case(norms["permit"], "Z-1", lateness=15 * DAY)  # statutory: 322 + 35
    make_case(norms["permit"], "Z-2", lateness=60 * DAY)  # statutory maximum
    make_case(norms["complaint"], "K-1", lateness=2 * DAY)  # fixed amount
    make_case(norms["parking"], "PV-1", lateness=3 * DAY)  # own €10 a day
    make_case(norms["parking"], "PV-2", lateness=9 * DAY)  # own amount, capped at €50
    make_case(norms["permit"], "Z-3", Verdict.MET)

    assert register_missed_promises(organisation=amstelstad, record_kind="case") == 5

    amounts = {source_id: entry.amount for (_kind, source_id), entry in ledger(amstelstad).items()}
    assert amounts == {
        "Z-1": Decimal("357.00"),
        "Z-2": Decimal("1442.00"),
        "K-1": Decimal("25.00"),
        "PV-1": Decimal("30.00"),
        "PV-2": Decimal("50.00"),
    }


def test_registering_again_changes_nothing(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    make_contact(norms["email"], "E-1")
    make_case(norms["complaint"], "K-1")
    register_missed_promises(organisation=amstelstad, record_kind="contact")
    register_missed_promises(organisation=amstelstad, record_kind="case")
    paid = mark_entry(CompensationEntry.objects.get(source_id="K-1"), EntryStatus.PAID)
    before = {(e.pk, e.status, e.amount, e.updated_at) for e in CompensationEntry.objects.all()}

    assert register_missed_promises(organisation=amstelstad, record_kind="contact") == 0
    assert register_missed_promises(organisation=amstelstad, record_kind="case") == 0

    after = {(e.pk, e.status, e.amount, e.updated_at) for e in CompensationEntry.objects.all()}
    assert after == before
    paid.refresh_from_db()
    assert paid.status == EntryStatus.PAID


def test_a_batch_registers_only_its_own_records(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    first, second = make_batch(amstelstad), make_batch(amstelstad)
    make_contact(norms["email"], "E-1", batch=first)
    make_contact(norms["email"], "E-2", batch=second)
    make_contact(norms["email"], "E-3", batch=second)

    assert (
        register_missed_promises(organisation=amstelstad, record_kind="contact", batch_id=second.pk)
        == 2
    )
    assert set(ledger(amstelstad)) == {("contact", "E-2"), ("contact", "E-3")}
    assert register_missed_promises(organisation=amstelstad, record_kind="contact") == 1


def test_contacts_and_cases_with_the_same_reference_are_separate_entries(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    make_contact(norms["email"], "2025-001")
    make_case(norms["complaint"], "2025-001")
    register_missed_promises(organisation=amstelstad, record_kind="contact")
    register_missed_promises(organisation=amstelstad, record_kind="case")
    assert set(ledger(amstelstad)) == {("contact", "2025-001"), ("case", "2025-001")}


def test_other_organisations_records_stay_out(
    amstelstad: Organisation, heidedorp: Organisation, norms: dict[str, CharterNorm]
) -> None:
    make_contact(norms["email"], "E-1")
    assert register_missed_promises(organisation=heidedorp, record_kind="contact") == 0
    assert not CompensationEntry.objects.exists()


def test_the_work_is_set_based(
    amstelstad: Organisation,
    norms: dict[str, CharterNorm],
    django_assert_max_num_queries: Any,
) -> None:
    batch = make_batch(amstelstad, BatchKind.CASES)
    for number in range(60):
        make_case(norms["permit"], f"Z-{number}", lateness=(number + 1) * DAY, batch=batch)
    # A fixed number of queries, however many records: select, insert, check stale entries.
    with django_assert_max_num_queries(6):
        created = register_missed_promises(
            organisation=amstelstad, record_kind="case", batch_id=batch.pk
        )
    assert created == 60


def test_an_owed_entry_follows_its_records_final_lateness(
    amstelstad: Organisation, norms: dict[str, CharterNorm]
) -> None:
    case = make_case(norms["permit"], "Z-1", lateness=2 * DAY)
    register_missed_promises(organisation=amstelstad, record_kind="case")
    # A corrected re-import: the decision came later than first recorded.
    case.lateness_seconds = 20 * DAY
    case.save()
    assert register_missed_promises(organisation=amstelstad, record_kind="case") == 0
    entry = CompensationEntry.objects.get(source_id="Z-1")
    assert entry.lateness_seconds == 20 * DAY
    assert entry.amount == Decimal("532.00")  # 322 + 6 × 35

    # Once offered, the amount is what was offered: later imports leave it alone.
    mark_entry(entry, EntryStatus.OFFERED)
    case.lateness_seconds = 30 * DAY
    case.save()
    register_missed_promises(organisation=amstelstad, record_kind="case")
    entry.refresh_from_db()
    assert entry.amount == Decimal("532.00")


def test_unknown_record_kind_is_refused(amstelstad: Organisation) -> None:
    with pytest.raises(ValueError, match="record_kind"):
        register_missed_promises(organisation=amstelstad, record_kind="petition")
