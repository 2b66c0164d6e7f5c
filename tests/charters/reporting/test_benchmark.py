"""Benchmarks: organisations with the same model norm, overall and per size class, with flags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from burgerlink.charters.models import ComplianceMonth, ModelNorm, VersionStatus
from burgerlink.charters.reporting import selectors
from burgerlink.core.models import Channel, Organisation, OrganisationKind
from burgerlink.core.periods import parse_period
from tests.charters.reporting.conftest import AmstelCharter, add_norm, add_version

pytestmark = pytest.mark.django_db


def municipality(slug: str, inhabitants: int) -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name=f"Gemeente {slug.title()}",
        slug=slug,
        inhabitants=inhabitants,
    )


def phone_charter(
    organisation: Organisation,
    code: str = "tel",
    target: str = "0.80",
    status: str = VersionStatus.PUBLISHED,
) -> None:
    """A published charter whose own-coded phone norm follows the model norm phone-answered."""
    version = add_version(organisation, 1, date(2024, 1, 1), status=status)
    add_norm(
        version,
        code,
        channel=Channel.objects.get(code="phone"),
        metric="elapsed_seconds",
        threshold=Decimal("20"),
        target_share=Decimal(target),
        model_norm=ModelNorm.objects.get(code="phone-answered"),
    )


def figures(organisation: Organisation, code: str, month: date, met: int, missed: int) -> None:
    ComplianceMonth.objects.create(
        organisation=organisation,
        norm_code=code,
        record_kind="contact",
        period=month,
        total=met + missed,
        met=met,
        missed=missed,
    )


@pytest.fixture
def participants(
    amstelstad: Organisation, heidedorp: Organisation, charter: AmstelCharter
) -> dict[str, Organisation]:
    """Three XL municipalities (Amstelstad among them), one XS (Heidedorp), one not yet measured.

    Amstelstad's norm is called ``phone``; the others chose their own codes.
    """
    rivierstad = municipality("rivierstad", 180_000)
    polderdam = municipality("polderdam", 120_000)
    stilleven = municipality("stilleven", 60_000)
    phone_charter(rivierstad, "telefoon")
    phone_charter(polderdam, "bellen", target="0.90")
    phone_charter(heidedorp)
    phone_charter(stilleven)
    concept = municipality("concept", 30_000)
    phone_charter(concept, status=VersionStatus.DRAFT)  # a draft does not take part
    figures(concept, "tel", date(2025, 2, 1), 100, 0)

    figures(amstelstad, "phone", date(2025, 2, 1), 800, 200)  # 80% of 1000
    figures(amstelstad, "phone", date(2025, 5, 1), 900, 100)  # 90% of 1000
    figures(amstelstad, "email", date(2025, 2, 1), 1, 99)  # another model norm: not counted
    figures(rivierstad, "telefoon", date(2025, 3, 1), 600, 400)  # 60% of 1000
    figures(polderdam, "bellen", date(2025, 1, 1), 45, 5)  # 90% of 50: small n
    figures(heidedorp, "tel", date(2025, 2, 1), 35, 5)  # 87.5% of 40: small n
    figures(heidedorp, "tel", date(2024, 12, 1), 1, 0)  # another year
    return {
        "amstelstad": amstelstad,
        "rivierstad": rivierstad,
        "polderdam": polderdam,
        "heidedorp": heidedorp,
        "stilleven": stilleven,
    }


def test_compares_organisations_overall_and_per_size_class(
    participants: dict[str, Organisation],
) -> None:
    model_norm = ModelNorm.objects.get(code="phone-answered")
    result = selectors.benchmark(model_norm, parse_period("2025"))

    entries = {entry.organisation.slug: entry for entry in result.entries}
    assert set(entries) == {"amstelstad", "rivierstad", "polderdam", "heidedorp", "stilleven"}
    assert (entries["amstelstad"].n, entries["amstelstad"].share_met) == (2000, 0.85)
    assert entries["amstelstad"].norm.target_share == 0.85  # its own, newest target
    assert entries["polderdam"].share_met == 0.9 and entries["polderdam"].small_n
    assert entries["heidedorp"].n == 40 and entries["heidedorp"].small_n
    assert not entries["amstelstad"].small_n and not entries["rivierstad"].small_n
    assert entries["stilleven"].n == 0 and entries["stilleven"].share_met is None
    # Best first; those without figures last.
    assert [e.organisation.slug for e in result.entries][0] == "polderdam"
    assert result.entries[-1].organisation.slug == "stilleven"

    overall = result.overall
    assert overall.organisations == 4 and overall.n == 3090 and not overall.small_group
    assert overall.pooled_share == pytest.approx((1700 + 600 + 45 + 35) / 3090)
    assert overall.mean_share == pytest.approx((0.85 + 0.6 + 0.9 + 0.875) / 4)

    classes = {group.key: group for group in result.size_classes}
    assert list(classes) == ["xs", "l", "xl"]  # in the order of the size classes
    assert classes["xl"].organisations == 3 and not classes["xl"].small_group
    assert classes["xs"].organisations == 1 and classes["xs"].small_group
    assert classes["l"].organisations == 0 and classes["l"].small_group
    assert classes["l"].pooled_share is None and classes["l"].mean_share is None


def test_a_quarter_counts_only_its_months(participants: dict[str, Organisation]) -> None:
    model_norm = ModelNorm.objects.get(code="phone-answered")
    result = selectors.benchmark(model_norm, parse_period("2025-Q2"))
    assert result.overall.organisations == 1 and result.overall.small_group
    assert result.overall.pooled_share == 0.9


def test_flag_thresholds_are_the_documented_constants() -> None:
    assert selectors.MIN_GROUP_ORGANISATIONS == 3
    assert selectors.MIN_ORGANISATION_N == 100


def test_model_norms_in_use(participants: dict[str, Organisation]) -> None:
    uses = {use.model_norm.code: use.organisations for use in selectors.model_norms_in_use()}
    # Amstelstad's charter uses three model norms; the draft charter counts for none.
    assert uses == {"phone-answered": 5, "email-answered": 1, "permit-regular": 1}


def test_default_period_is_the_year_of_the_latest_figures(
    participants: dict[str, Organisation],
) -> None:
    model_norm = ModelNorm.objects.get(code="phone-answered")
    assert selectors.benchmark_default_period(model_norm).code == "2025"
    unused = ModelNorm.objects.get(code="website-available")
    assert selectors.benchmark_default_period(unused, today=date(2026, 3, 1)).code == "2026"


def test_benchmark_pages(participants: dict[str, Organisation]) -> None:
    index = Client().get("/benchmark/")
    assert index.status_code == 200
    assert 'href="/benchmark/phone-answered/"' in index.content.decode()

    response = Client().get("/benchmark/phone-answered/", {"periode": "2025"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gemeente Rivierstad" in html and "Gemeente Stilleven" in html
    assert "Gemeente Concept" not in html
    assert html.count("minder dan 100 metingen") == 3  # Polderdam, Heidedorp and Stilleven
    assert "kleine groep: minder dan 3 organisaties" in html
    assert "Alle organisaties" in html and "250.000 inwoners of meer" not in html
    assert "85,0%" in html  # Amstelstad
    assert 'style="' not in html


def test_benchmark_page_without_period_and_with_a_bad_one(
    participants: dict[str, Organisation],
) -> None:
    html = Client().get("/benchmark/phone-answered/").content.decode()
    assert '<option value="2025" selected>' in html
    assert Client().get("/benchmark/phone-answered/", {"periode": "20x5"}).status_code == 400
    assert Client().get("/benchmark/bestaat-niet/").status_code == 404
