"""Live compliance figures, the dashboard series, open data rows and compensation counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from burgerlink.charters.models import CompensationEntry, ComplianceMonth, EntryStatus
from burgerlink.charters.reporting import selectors
from burgerlink.charters.reporting.services import refresh_compliance_months
from burgerlink.core.models import Organisation
from burgerlink.core.periods import parse_period
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


def by_code(report: selectors.ComplianceReport) -> dict[str, selectors.NormFigures]:
    return {row.norm.code: row for row in report.norms}


def test_open_items_count_as_missed_once_their_deadline_has_passed(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    phone = charter.v2["phone"]
    add_contacts(phone, APRIL, [MET, MET, MET, MISSED, UNMEASURED])
    deadline = NOW + timedelta(hours=1)
    add_contacts(phone, APRIL, [OPEN, OPEN], deadline=deadline)
    period = parse_period("2025-Q2")

    before = by_code(selectors.compliance_report(amstelstad, period, now=NOW))["phone"]
    assert (before.met, before.missed, before.open_overdue, before.open_within) == (3, 1, 0, 2)
    assert before.n == 4 and before.share_met == 0.75
    assert before.target_reached is False  # the target of version 2 is 85%

    after = by_code(
        selectors.compliance_report(amstelstad, period, now=deadline + timedelta(seconds=1))
    )["phone"]
    assert (after.met, after.missed, after.open_overdue, after.open_within) == (3, 1, 2, 0)
    assert after.n == 6 and after.missed_total == 3 and after.share_met == 0.5

    # The deadline moment itself still counts as within the term.
    exactly = by_code(selectors.compliance_report(amstelstad, period, now=deadline))["phone"]
    assert exactly.open_within == 2


def test_report_lists_every_measured_norm_with_the_newest_target(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    add_contacts(charter.v1["phone"], MARCH, [MET] * 8 + [MISSED] * 2)  # 80%: v1 target met
    add_contacts(charter.v2["phone"], APRIL, [MET] * 8 + [MISSED] * 2)
    add_cases(charter.v2["permit"], APRIL, [MET, MISSED])

    year = selectors.compliance_report(amstelstad, parse_period("2025"), now=NOW)
    rows = by_code(year)
    # Contacts first, then cases; the draft version's norm never shows.
    assert [row.norm.code for row in year.norms] == ["phone", "email", "permit"]
    assert rows["phone"].n == 20 and rows["phone"].met == 16
    # The code spans both versions: the newest version in the year sets the target (85%).
    assert rows["phone"].norm.target_share == 0.85 and rows["phone"].target_reached is False
    assert rows["email"].n == 0 and rows["email"].share_met is None
    assert rows["email"].target_reached is None
    assert rows["permit"].norm.record_kind == "case"
    assert rows["permit"].norm.case_type == "omgevingsvergunning-regulier"

    first_quarter = by_code(selectors.compliance_report(amstelstad, parse_period("2025-Q1")))
    assert first_quarter["phone"].norm.target_share == 0.80
    assert first_quarter["phone"].target_reached is True


def test_report_uses_one_aggregate_per_record_kind(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    add_contacts(charter.v2["phone"], APRIL, [MET, MISSED, OPEN])
    add_cases(charter.v2["permit"], APRIL, [MET, OPEN])
    with CaptureQueriesContext(connection) as queries:
        selectors.compliance_report(amstelstad, parse_period("2025-Q2"), now=NOW)
    sql = [q["sql"] for q in queries.captured_queries]
    # One aggregate per record kind, one lookup of the norm ids' codes, one of the norms.
    assert len(sql) == 4
    assert sum("charters_contact" in s for s in sql) == 1
    assert sum("charters_case" in s for s in sql) == 1
    scans = [s for s in sql if "charters_contact" in s or "charters_case" in s]
    assert all("GROUP BY" in s.upper() for s in scans)


def test_report_sees_only_its_own_organisation(
    amstelstad: Organisation, heidedorp: Organisation, charter: AmstelCharter
) -> None:
    add_contacts(charter.v2["phone"], APRIL, [MET])
    report = selectors.compliance_report(heidedorp, parse_period("2025"), now=NOW)
    assert report.norms == []


def test_dashboard_series_come_from_the_monthly_aggregates(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    add_contacts(charter.v1["phone"], MARCH, [MET] * 9 + [MISSED])
    add_contacts(charter.v2["phone"], APRIL, [MET] * 3 + [MISSED])
    add_contacts(charter.v2["phone"], MAY, [MET] * 4, prefix="M")
    refresh_compliance_months(organisation=amstelstad, record_kind="contact", now=NOW)

    dashboard = selectors.service_dashboard(amstelstad, parse_period("2025-Q2"))

    assert [p.code for p in dashboard.periods][-3:] == ["2024-Q4", "2025-Q1", "2025-Q2"]
    assert len(dashboard.periods) == 8
    phone = next(row for row in dashboard.norms if row.norm.code == "phone")
    assert phone.current.n == 8 and phone.current.counts.met == 7
    assert phone.current.target_share == 0.85
    assert phone.current.target_reached is True
    q1 = phone.trend[-2]
    assert (q1.period.code, q1.n, q1.share_met, q1.target_share) == ("2025-Q1", 10, 0.9, 0.80)
    # The charter began on 1 January 2024: no rows for the quarters before it ("niet gemeten"
    # for a promise nobody had made yet), while the window itself stays eight quarters.
    assert [item.period.code for item in phone.trend] == [
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
    ]
    assert all(item.target_share is not None for item in phone.trend)
    assert [row.norm.code for row in dashboard.norms] == ["phone", "email", "permit"]
    assert len(dashboard.reached) == 1 and len(dashboard.measured) == 1
    assert dashboard.refreshed_at is not None


def test_dashboard_of_one_code_for_the_chart(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    ComplianceMonth.objects.create(
        organisation=amstelstad, norm_code="email", record_kind="contact", period=MAY, met=3
    )
    only = selectors.service_dashboard(amstelstad, parse_period("2025-05"), code="email")
    assert [row.norm.code for row in only.norms] == ["email"]
    assert len(only.periods) == 12 and only.norms[0].current.share_met == 1.0
    assert selectors.service_dashboard(amstelstad, parse_period("2025"), code="nope").norms == []


def test_data_range_and_default_period(amstelstad: Organisation, charter: AmstelCharter) -> None:
    assert selectors.data_range(amstelstad) is None
    assert selectors.default_period(amstelstad, today=date(2026, 2, 3)).code == "2026-Q1"
    for month in (MARCH, MAY):
        ComplianceMonth.objects.create(
            organisation=amstelstad, norm_code="phone", record_kind="contact", period=month
        )
    assert selectors.data_range(amstelstad) == (MARCH, MAY)
    assert selectors.default_period(amstelstad).code == "2025-Q2"


def test_open_data_rows_carry_the_target_of_their_month(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    for month, met, missed in ((MARCH, 8, 2), (APRIL, 9, 1)):
        ComplianceMonth.objects.create(
            organisation=amstelstad,
            norm_code="phone",
            record_kind="contact",
            period=month,
            total=met + missed + 1,
            met=met,
            missed=missed,
            open=1,
        )
    rows = selectors.open_data(amstelstad)
    assert [(r.month, r.norm.target_share, r.counts.n, r.share_met) for r in rows] == [
        (MARCH, 0.80, 10, 0.8),
        (APRIL, 0.85, 10, 0.9),
    ]
    assert [r.month for r in selectors.open_data(amstelstad, parse_period("2025-Q2"))] == [APRIL]


def test_compensation_counts_follow_the_month_of_the_record(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    email = charter.v1["email"]
    march = add_contacts(email, MARCH, [MISSED, MISSED, MISSED])
    april = add_contacts(charter.v2["email"], APRIL, [MISSED])
    statuses = [EntryStatus.PAID, EntryStatus.OWED, EntryStatus.PAID]
    for record, status in zip([*march[:2], april[0]], statuses, strict=True):
        CompensationEntry.objects.create(
            organisation=amstelstad,
            norm=record.norm,
            record_kind="contact",
            source_id=record.source_id,
            lateness_seconds=60,
            status=status,
        )
    q1 = selectors.compensation_counts(amstelstad, parse_period("2025-Q1"))
    assert q1 == {"email": {"owed": 1, "offered": 0, "paid": 1, "declined": 0}}
    account = selectors.accountability_report(amstelstad, parse_period("2025"), now=NOW)
    email_row = next(row for row in account.norms if row.figures.norm.code == "email")
    assert email_row.compensation_total == 3
    assert dict((s, c) for s, _label, c in account.compensation_totals)["paid"] == 2
