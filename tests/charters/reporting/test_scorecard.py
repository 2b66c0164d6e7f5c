"""Measured charter results feed the BurgerServiceCode scorecard (norms 8, 9 and bsc_norms)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from burgerlink.charters.models import CompensationEntry, EntryStatus
from burgerlink.charters.reporting import selectors
from burgerlink.charters.reporting.services import refresh_compliance_months
from burgerlink.core import scorecard
from burgerlink.core.models import Organisation
from burgerlink.core.periods import add_months, month_start
from tests.charters.reporting.conftest import MET, MISSED, AmstelCharter, add_contacts

pytestmark = pytest.mark.django_db

MAY = date(2025, 5, 1)
TODAY = date(2025, 7, 10)  # the window is July 2024 – June 2025


@pytest.fixture
def results(amstelstad: Organisation, charter: AmstelCharter) -> AmstelCharter:
    """May 2025: phone 90% (target 85%: reached), e-mail 70% (target 80%: not reached).

    Two of the three missed e-mails (whose norm promises an apology) have a compensation entry:
    one paid, one still owed. A miss of July 2025 lies outside the window.
    """
    add_contacts(charter.v2["phone"], MAY, [MET] * 9 + [MISSED])
    missed = add_contacts(charter.v2["email"], MAY, [MET] * 7 + [MISSED] * 3)[7:]
    late = add_contacts(charter.v2["email"], date(2025, 7, 1), [MISSED])
    for record, status in ((missed[0], EntryStatus.PAID), (missed[1], EntryStatus.OWED)):
        CompensationEntry.objects.create(
            organisation=amstelstad,
            norm=record.norm,
            record_kind="contact",
            source_id=record.source_id,
            lateness_seconds=60,
            status=status,
        )
    CompensationEntry.objects.create(
        organisation=amstelstad,
        norm=late[0].norm,
        record_kind="contact",
        source_id=late[0].source_id,
        lateness_seconds=60,
        status=EntryStatus.PAID,
    )
    refresh_compliance_months(
        organisation=amstelstad, record_kind="contact", now=datetime(2025, 7, 10, tzinfo=UTC)
    )
    return charter


def by_norm(evidence: list[scorecard.Evidence]) -> dict[int, list[scorecard.Evidence]]:
    result: dict[int, list[scorecard.Evidence]] = {}
    for item in evidence:
        result.setdefault(item.norm_number, []).append(item)
    return result


def test_evidence_per_norm(amstelstad: Organisation, results: AmstelCharter) -> None:
    evidence = by_norm(
        selectors.charter_evidence(amstelstad, today=TODAY, url="/organisaties/amstelstad/x/")
    )

    (accountable,) = evidence[9]
    assert accountable.score == 0.5  # one of the two measured promises reached its target
    assert "1 van de 2 gemeten beloften" in accountable.detail
    assert accountable.as_of == date(2025, 6, 30)
    assert accountable.url == "/organisaties/amstelstad/x/"
    assert accountable.source == "charter_results"

    (responsive,) = evidence[8]
    assert responsive.score == pytest.approx(1 / 3)  # paid for one of three missed e-mails
    assert "bij 2 is compensatie geregistreerd, bij 1 aangeboden of betaald" in responsive.detail

    # Phone serves norms 1 and 2, e-mail norm 4: each gets that promise's share met.
    assert [item.score for item in evidence[1]] == [0.9]
    assert [item.score for item in evidence[2]] == [0.9]
    assert [item.score for item in evidence[4]] == [0.7]
    assert "Telefoon binnen 25 seconden opgenomen: 90,0% binnen de norm" in evidence[1][0].detail
    assert set(evidence) == {1, 2, 4, 8, 9}


def test_no_measurements_no_evidence(amstelstad: Organisation, charter: AmstelCharter) -> None:
    assert selectors.charter_evidence(amstelstad, today=TODAY) == []


def test_figures_older_than_twelve_months_do_not_count(
    amstelstad: Organisation, results: AmstelCharter
) -> None:
    assert selectors.charter_evidence(amstelstad, today=date(2026, 9, 1)) == []


def test_the_registered_source_feeds_the_public_scorecard(
    amstelstad: Organisation, charter: AmstelCharter
) -> None:
    last_month = add_months(month_start(timezone.localdate()), -1)
    add_contacts(charter.v2["phone"], last_month, [MET] * 3 + [MISSED])
    refresh_compliance_months(organisation=amstelstad, record_kind="contact")
    source = next(s for s in scorecard.registered_sources() if s.code == "charter_results")
    assert str(source.label) == "Kwaliteitshandvest: gemeten resultaten"

    items = source.evidence(amstelstad)

    assert sorted(item.norm_number for item in items) == [1, 2, 9]
    assert all(item.url == "/organisaties/amstelstad/dienstverlening/" for item in items)
    card = Client().get("/api/v1/organisations/amstelstad/scorecard").json()
    accountable = next(norm for norm in card["norms"] if norm["number"] == 9)
    (ours,) = [e for e in accountable["evidence"] if e["source"] == "charter_results"]
    assert ours["score"] == 0.0  # 75% against a target of 85%
    html = Client().get("/organisaties/amstelstad/scorekaart/").content.decode()
    assert "Kwaliteitshandvest: gemeten resultaten" in html
