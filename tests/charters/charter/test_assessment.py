"""The charter prize assessment: pure scoring, and the facts gathered from the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from burgerlink.charters.charter import selectors
from burgerlink.charters.charter.assessment import (
    CharterFacts,
    NormFacts,
    assess,
    score_from_share,
)
from burgerlink.charters.models import CharterVersion, ComplianceMonth, Contact, Verdict
from burgerlink.core.models import Channel, Organisation

TODAY = date(2026, 3, 1)


def _norm(code: str, group: str, **changes: object) -> NormFacts:
    base = NormFacts(
        code=code,
        group=group,
        record_kind="contact",
        bsc_norms=(1,),
        promise_nl="Wij antwoorden binnen twee werkdagen.",
        promise_en="We answer within two working days.",
        states_clock=True,
        has_compensation=True,
        compensation_text="Excuses.",
        needs_amount=False,
        has_amount=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _facts(**changes: object) -> CharterFacts:
    norms = tuple(
        _norm(f"n{i}", group, bsc_norms=(i + 1, i + 2))
        for i, group in enumerate(["Balie", "Telefoon", "E-mail", "Brief", "Klacht", "Vergunning"])
    )
    base = CharterFacts(
        today=TODAY,
        version_number=2,
        norms=norms,
        review_due=TODAY + timedelta(days=100),
        measured_codes=frozenset(n.code for n in norms),
        published_months=12,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("share", "score"), [(1.0, 4), (0.9, 4), (0.89, 3), (0.7, 3), (0.5, 2), (0.01, 1), (0.0, 0)]
)
def test_share_scale(share: float, score: int) -> None:
    assert score_from_share(share) == score


def test_an_exemplary_charter_scores_full_marks() -> None:
    result = assess(_facts())
    assert [c.score for c in result.criteria] == [4] * 9
    assert (result.total, result.maximum) == (36, 36)
    assert result.verdict == "Sterke kandidaat voor de handvestprijs."
    assert {c.group for c in result.criteria} == {"c1", "c2", "c3", "evidence"}
    assert all(c.reason for c in result.criteria)


def test_no_charter_scores_nothing_with_reasons() -> None:
    result = assess(
        _facts(version_number=None, review_due=None, measured_codes=frozenset(), published_months=0)
    )
    assert result.total == 0
    assert result.criteria[0].reason == "Er geldt vandaag geen gepubliceerd handvest met beloften."
    assert result.verdict == "Nog niet klaar voor de handvestprijs."


def test_scores_and_reasons_follow_the_facts() -> None:
    norms = (
        _norm("phone", "Telefoon", bsc_norms=(1, 2), has_compensation=False, compensation_text=""),
        _norm(
            "permit",
            "Vergunning",
            record_kind="case",
            bsc_norms=(6,),
            needs_amount=True,
            has_amount=False,
            promise_en="",
        ),
        _norm(
            "website",
            "Website",
            record_kind="reported",
            bsc_norms=(),
            states_clock=False,
            promise_nl=" ".join(["woord"] * 30),
            promise_en="",
        ),
    )
    result = assess(
        _facts(
            norms=norms,
            measured_codes=frozenset({"phone"}),
            published_months=2,
            review_due=TODAY - timedelta(days=30),
        )
    )
    scores = {c.code: c for c in result.criteria}
    assert scores["c1_measurable"].score == 3  # (2 + ½) / 3 = 83%
    assert "2 van de 3 beloften" in scores["c1_measurable"].reason
    assert scores["c1_breadth"].score == 2  # three groups
    assert scores["c1_bsc"].score == 2  # norms 1, 2 and 6
    assert "(1, 2, 6)" in scores["c1_bsc"].reason
    assert scores["c2_visible"].score == 3  # public page and posters, clock in 67% only
    assert scores["c2_plain_language"].score == 0  # 67% short, 33% in English
    assert scores["c3_defined"].score == 2  # 2 of 3 = 67%
    assert scores["c3_clear"].score == 2  # the penalty lacks its amount: 1 of 2
    assert scores["e_measured"].score == 1
    assert scores["e_published_reviewed"].score == 2  # 2 months: 1; 30 days late: 1
    assert "had op 30 januari 2026 moeten gebeuren" in scores["e_published_reviewed"].reason
    assert result.total == sum(c.score for c in result.criteria)
    assert result.maximum == 36


@pytest.mark.django_db
def test_facts_from_the_database(
    amstelstad: Organisation, two_versions: tuple[CharterVersion, CharterVersion]
) -> None:
    _first, second = two_versions
    phone = second.norms.get(code="phone-answered")
    received = datetime(2026, 1, 10, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    Contact.objects.create(
        organisation=amstelstad,
        source_id="call-1",
        received_at=received,
        channel=Channel.objects.get(code="phone"),
        norm=phone,
        verdict=Verdict.MET,
        period=date(2026, 1, 1),
    )
    ComplianceMonth.objects.create(
        organisation=amstelstad,
        norm_code="permit-regular",
        record_kind="case",
        period=date(2025, 12, 1),
        total=3,
        met=3,
    )
    facts = selectors.assessment_facts(amstelstad, TODAY)
    assert facts.version_number == 2
    assert [n.code for n in facts.norms] == [
        "phone-answered",
        "email-answered",
        "complaint-handled",
        "permit-regular",
    ]
    assert facts.measured_codes == frozenset({"phone-answered", "permit-regular"})
    assert facts.published_months == 1
    assert facts.review_due == date(2026, 7, 1)
    permit = next(n for n in facts.norms if n.code == "permit-regular")
    assert (permit.needs_amount, permit.has_amount, permit.group) == (
        True,
        True,
        "Omgevingsvergunning regulier",
    )
    result = assess(facts)
    assert {c.code: c.score for c in result.criteria}["e_measured"] == 2  # 2 of 4 promises
    # A year later nothing counts as recent evidence any more.
    later = selectors.assessment_facts(amstelstad, date(2027, 6, 1))
    assert later.measured_codes == frozenset()
    assert later.published_months == 0
