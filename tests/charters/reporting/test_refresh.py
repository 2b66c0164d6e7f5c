"""refresh_compliance_months: one GROUP BY, counts per norm code and month, months replaced."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from burgerlink.charters.models import ComplianceMonth
from burgerlink.charters.reporting.services import refresh_compliance_months
from burgerlink.core.models import Organisation
from tests.charters.reporting.conftest import (
    MET,
    MISSED,
    OPEN,
    UNMEASURED,
    AmstelCharter,
    add_cases,
    add_contacts,
)

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
PAST = datetime(2025, 5, 20, tzinfo=UTC)
FUTURE = datetime(2025, 6, 20, tzinfo=UTC)


def months(organisation: Organisation, kind: str = "contact") -> dict[tuple[str, date], tuple]:
    return {
        (row.norm_code, row.period): (row.total, row.met, row.missed, row.open)
        for row in ComplianceMonth.objects.filter(organisation=organisation, record_kind=kind)
    }


def test_counts_per_norm_code_and_month(amstelstad: Organisation, charter: AmstelCharter) -> None:
    add_contacts(charter.v1["phone"], MARCH, [MET, MET, MET, MISSED, UNMEASURED])
    add_contacts(charter.v1["phone"], MARCH, [OPEN], deadline=PAST)  # overdue: missed
    add_contacts(charter.v1["phone"], MARCH, [OPEN], deadline=FUTURE)  # still within
    # The same code in the next version is the same norm over time.
    add_contacts(charter.v2["phone"], APRIL, [MET, MISSED])
    add_contacts(charter.v1["email"], MARCH, [MET])
    add_contacts(None, MARCH, [MET], organisation=amstelstad)  # no norm: not counted

    written = refresh_compliance_months(organisation=amstelstad, record_kind="contact", now=NOW)

    assert written == 3
    assert months(amstelstad) == {
        ("phone", MARCH): (6, 3, 2, 1),
        ("phone", APRIL): (2, 1, 1, 0),
        ("email", MARCH): (1, 1, 0, 0),
    }


def test_uses_one_group_by_query_and_one_transaction(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    add_contacts(charter.v1["phone"], MARCH, [MET] * 5 + [MISSED] * 3)
    with CaptureQueriesContext(connection) as queries:
        refresh_compliance_months(organisation=amstelstad, record_kind="contact", periods=[MARCH])
    reads = [q["sql"] for q in queries.captured_queries if "charters_contact" in q["sql"]]
    assert len(reads) == 1
    assert "GROUP BY" in reads[0].upper()


def test_cases_are_counted_from_the_case_table(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    add_cases(charter.v1["permit"], MARCH, [MET, MET, MISSED])
    add_contacts(charter.v1["phone"], MARCH, [MET])
    assert refresh_compliance_months(organisation=amstelstad, record_kind="case", now=NOW) == 1
    assert months(amstelstad, "case") == {("permit", MARCH): (3, 2, 1, 0)}
    assert months(amstelstad, "contact") == {}


def test_replaces_only_the_given_months(amstelstad: Organisation, charter: AmstelCharter) -> None:
    phone = charter.v2["phone"]
    add_contacts(phone, APRIL, [MET])
    add_contacts(phone, MAY, [MET])
    refresh_compliance_months(organisation=amstelstad, record_kind="contact", now=NOW)
    add_contacts(phone, APRIL, [MISSED, MISSED])
    add_contacts(phone, MAY, [MISSED])

    # Any day of a month stands for the month; May is left as it was.
    written = refresh_compliance_months(
        organisation=amstelstad, record_kind="contact", periods=[date(2025, 4, 17)], now=NOW
    )

    assert written == 1
    assert months(amstelstad) == {("phone", APRIL): (3, 1, 2, 0), ("phone", MAY): (1, 1, 0, 0)}


def test_months_without_records_lose_their_rows(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    created = add_contacts(charter.v2["phone"], APRIL, [MET])
    refresh_compliance_months(organisation=amstelstad, record_kind="contact")
    created[0].delete()
    assert refresh_compliance_months(organisation=amstelstad, record_kind="contact") == 0
    assert not ComplianceMonth.objects.exists()


def test_other_organisations_and_kinds_are_left_alone(
    amstelstad: Organisation, heidedorp: Organisation, charter: AmstelCharter
) -> None:
    other = ComplianceMonth.objects.create(
        organisation=heidedorp, norm_code="phone", record_kind="contact", period=APRIL, total=9
    )
    cases = ComplianceMonth.objects.create(
        organisation=amstelstad, norm_code="permit", record_kind="case", period=APRIL, total=4
    )
    refresh_compliance_months(organisation=amstelstad, record_kind="contact")
    assert ComplianceMonth.objects.filter(pk__in=[other.pk, cases.pk]).count() == 2


def test_an_empty_list_of_months_changes_nothing(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    ComplianceMonth.objects.create(
        organisation=amstelstad, norm_code="phone", record_kind="contact", period=APRIL, total=4
    )
    assert (
        refresh_compliance_months(organisation=amstelstad, record_kind="contact", periods=[]) == 0
    )
    assert ComplianceMonth.objects.count() == 1


def test_unknown_record_kind_is_refused(amstelstad: Organisation) -> None:
    with pytest.raises(ValueError, match="record kind"):
        refresh_compliance_months(organisation=amstelstad, record_kind="petition")
