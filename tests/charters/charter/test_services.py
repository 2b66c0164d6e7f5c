"""Composing, validating, publishing and versioning charters (services and selectors)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from burgerlink.charters.charter import selectors, services
from burgerlink.charters.models import (
    CalendarKind,
    Charter,
    CharterNorm,
    CharterVersion,
    CompensationKind,
    Metric,
    ModelNorm,
    VersionStatus,
)
from burgerlink.core.models import AuditEvent, Channel, Organisation, User
from tests.charters.charter.conftest import V1_FROM, V2_FROM

pytestmark = pytest.mark.django_db


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# --- starting and composing ---------------------------------------------------------------


def test_start_charter_creates_a_draft_version_1_and_audits(
    amstelstad: Organisation, kees_quality: User
) -> None:
    draft = services.start_charter(amstelstad, kees_quality, title="Onze beloften")
    assert draft.number == 1
    assert draft.status == VersionStatus.DRAFT
    assert draft.charter.title == "Onze beloften"
    assert AuditEvent.objects.filter(action="charter.start", actor=kees_quality).exists()
    with pytest.raises(ValidationError) as error:
        services.start_charter(amstelstad, kees_quality)
    assert "heeft al een kwaliteitshandvest" in _messages(error)
    assert Charter.objects.filter(organisation=amstelstad).count() == 1


def test_a_library_norm_is_copied_with_the_organisations_own_choices(
    amstelstad: Organisation, library: dict[str, ModelNorm], kees_quality: User
) -> None:
    draft = services.start_charter(amstelstad)
    model = library["counter-walk-in"]
    norm = services.add_norm_from_model(
        draft,
        model,
        kees_quality,
        threshold=Decimal("15"),
        target_share=Decimal("0.95"),
        compensation_kind=CompensationKind.GIFT,
        compensation_nl="Een kopje koffie.",
        promise_nl="Binnen een kwartier geholpen aan de balie.",
    )
    assert norm.code == "counter-walk-in"
    assert norm.model_norm == model
    assert norm.channel == model.channel
    assert norm.metric == model.metric
    assert norm.starts_nl == model.starts_nl
    assert norm.bsc_norms == model.bsc_norms
    assert norm.threshold == Decimal("15")
    assert norm.target_share == Decimal("0.95")
    assert norm.promise_nl == "Binnen een kwartier geholpen aan de balie."
    assert AuditEvent.objects.filter(action="charter.norm.add", object_id=str(norm.pk)).exists()
    # Without its own text the promise starts as the library title.
    other = services.add_norm_from_model(draft, library["email-answered"])
    assert other.promise_nl == library["email-answered"].title_nl


def test_a_legal_term_always_counts_on_the_legal_calendar(
    amstelstad: Organisation, library: dict[str, ModelNorm]
) -> None:
    draft = services.start_charter(amstelstad)
    norm = services.add_norm_from_model(
        draft, library["permit-regular"], calendar=CalendarKind.ORGANISATION
    )
    assert norm.calendar == CalendarKind.LEGAL
    assert norm.term_unit == "weeks"


def test_a_library_norm_keeps_its_definition(
    amstelstad: Organisation, library: dict[str, ModelNorm]
) -> None:
    draft = services.start_charter(amstelstad)
    norm = services.add_norm_from_model(draft, library["phone-answered"])
    with pytest.raises(ValueError, match="metric"):
        services.update_norm(norm, metric=Metric.WORKING_DAYS)
    with pytest.raises(ValueError, match="title_nl"):
        services.add_norm_from_model(draft, library["email-answered"], title_nl="Anders")


def test_own_norm_gets_a_code_from_its_title(amstelstad: Organisation) -> None:
    draft = services.start_charter(amstelstad)
    chat = Channel.objects.get(code="chat")
    norm = services.add_own_norm(
        draft,
        title_nl="Chat binnen 2 minuten beantwoord",
        channel=chat,
        metric=Metric.ELAPSED_MINUTES,
        threshold=Decimal("2"),
        target_share=Decimal("0.9"),
        promise_nl="In de chat antwoorden wij binnen 2 minuten.",
        bsc_norms=[1, 4],
    )
    assert norm.code == "chat-binnen-2-minuten-beantwoord"
    assert norm.model_norm is None
    assert norm.record_kind == "contact"
    norm = services.update_norm(norm, title_nl="Chat snel beantwoord", bsc_norms=[4])
    assert norm.bsc_norms == [4]


def test_remove_norm_from_a_draft(amstelstad: Organisation, library: dict[str, ModelNorm]) -> None:
    draft = services.start_charter(amstelstad)
    norm = services.add_norm_from_model(draft, library["phone-answered"])
    services.remove_norm(norm)
    assert not draft.norms.exists()
    assert AuditEvent.objects.filter(action="charter.norm.remove").exists()


# --- validation ---------------------------------------------------------------------------


def test_only_one_measured_norm_per_channel(
    amstelstad: Organisation, library: dict[str, ModelNorm]
) -> None:
    draft = services.start_charter(amstelstad)
    services.add_norm_from_model(draft, library["phone-answered"])
    with pytest.raises(ValidationError) as error:
        services.add_norm_from_model(draft, library["phone-callback"])
    assert "meet het kanaal Telefoon al met de norm" in _messages(error)
    assert "Elk contact wordt tegen één norm gemeten" in _messages(error)
    # A reported norm (a count) on the same channel is no second measurement.
    services.add_norm_from_model(draft, library["phone-transfers"])
    assert draft.norms.count() == 2


def test_only_one_measured_norm_per_case_type(
    amstelstad: Organisation, library: dict[str, ModelNorm]
) -> None:
    draft = services.start_charter(amstelstad)
    services.add_norm_from_model(draft, library["complaint-receipt"])
    with pytest.raises(ValidationError) as error:
        services.add_norm_from_model(draft, library["complaint-handled"])
    assert "meet het product klacht al met de norm" in _messages(error)
    assert error.value.message_dict.keys() == {"case_type"}


def test_codes_are_unique_in_a_version(amstelstad: Organisation) -> None:
    draft = services.start_charter(amstelstad)
    fields = {
        "code": "balie",
        "title_nl": "Balie",
        "channel": Channel.objects.get(code="counter"),
        "metric": Metric.ELAPSED_MINUTES,
        "threshold": Decimal("10"),
        "target_share": Decimal("0.9"),
        "promise_nl": "Snel geholpen.",
    }
    services.add_own_norm(draft, **fields)
    with pytest.raises(ValidationError) as error:
        services.add_own_norm(draft, **{**fields, "channel": Channel.objects.get(code="website")})
    assert error.value.message_dict["code"] == [
        "De code „balie” komt al voor in deze versie; elke norm heeft een eigen code."
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"threshold": Decimal("0")}, "threshold", "De norm moet groter zijn dan 0."),
        (
            {"threshold": Decimal("2.5")},
            "threshold",
            "Een termijn in dagen of weken is een heel getal.",
        ),
        (
            {"target_share": Decimal("1.2")},
            "target_share",
            "Het streefpercentage ligt tussen 0 en 1 (0,80 is 80%).",
        ),
        (
            {"compensation_kind": CompensationKind.AMOUNT},
            "compensation_amount",
            "Vul het bedrag in: bij een vast bedrag hoort een bedrag groter dan nul.",
        ),
        (
            {
                "compensation_kind": CompensationKind.PENALTY_PER_DAY,
                "compensation_amount": Decimal("23"),
                "compensation_cap": Decimal("10"),
            },
            "compensation_cap",
            "Het maximum mag niet lager zijn dan het bedrag.",
        ),
        (
            {"promise_nl": "  "},
            "promise_nl",
            "Schrijf de belofte in gewone taal; zo staat zij op de poster.",
        ),
    ],
)
def test_validation_messages(
    amstelstad: Organisation,
    library: dict[str, ModelNorm],
    changes: dict[str, object],
    field: str,
    message: str,
) -> None:
    draft = services.start_charter(amstelstad)
    norm = services.add_norm_from_model(draft, library["email-answered"])
    with pytest.raises(ValidationError) as error:
        services.update_norm(norm, **changes)
    assert message in error.value.message_dict[field]
    norm.refresh_from_db()
    assert norm.threshold == library["email-answered"].threshold  # nothing was saved


def test_a_legal_term_needs_a_unit_and_a_product(amstelstad: Organisation) -> None:
    draft = services.start_charter(amstelstad)
    with pytest.raises(ValidationError) as error:
        services.add_own_norm(
            draft,
            title_nl="Bezwaar",
            channel=Channel.objects.get(code="letter"),
            metric=Metric.LEGAL_TERM,
            threshold=Decimal("6"),
            target_share=Decimal("1"),
            promise_nl="Binnen zes weken een besluit.",
        )
    errors = error.value.message_dict
    assert errors["term_unit"] == [
        "Een wettelijke termijn heeft een eenheid nodig: weken, kalenderdagen of werkdagen."
    ]
    assert errors["metric"] == [
        "Een wettelijke termijn geldt voor zaken: kies een product of zaaktype."
    ]


def test_a_norm_needs_a_channel_or_a_product(amstelstad: Organisation) -> None:
    draft = services.start_charter(amstelstad)
    base = {
        "title_nl": "Iets",
        "metric": Metric.WORKING_DAYS,
        "threshold": Decimal("5"),
        "target_share": Decimal("0.9"),
        "promise_nl": "Snel.",
    }
    with pytest.raises(ValidationError) as neither:
        services.add_own_norm(draft, **base)
    assert neither.value.message_dict["channel"] == ["Kies een kanaal of een product of zaaktype."]
    with pytest.raises(ValidationError) as both:
        services.add_own_norm(
            draft, **base, channel=Channel.objects.get(code="email"), case_type="bezwaar"
        )
    assert both.value.message_dict["case_type"] == [
        "Kies een kanaal óf een product of zaaktype, niet allebei."
    ]


# --- publishing and versions --------------------------------------------------------------


def test_publishing_needs_a_norm(amstelstad: Organisation) -> None:
    draft = services.start_charter(amstelstad)
    with pytest.raises(ValidationError) as error:
        services.publish_version(draft, date(2025, 1, 1))
    assert "ten minste één norm" in _messages(error)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_publishing_closes_the_previous_version(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    first, second = two_versions
    assert first.status == VersionStatus.SUPERSEDED
    assert (first.valid_from, first.valid_to) == (V1_FROM, V2_FROM)
    assert second.status == VersionStatus.PUBLISHED
    assert (second.valid_from, second.valid_to) == (V2_FROM, None)
    assert first.review_due == date(2026, 1, 1)
    assert second.review_due == date(2026, 7, 1)
    assert second.published_at is not None
    assert AuditEvent.objects.filter(action="charter.version.publish").count() == 2


def test_a_new_version_must_start_after_the_previous_one(
    two_versions: tuple[CharterVersion, CharterVersion], kees_quality: User
) -> None:
    _first, second = two_versions
    draft = services.new_draft_from(second, kees_quality)
    for day in (V2_FROM, date(2025, 3, 1)):
        with pytest.raises(ValidationError) as error:
            services.publish_version(draft, day, kees_quality)
        assert error.value.message_dict["valid_from"] == [
            "Versie 2 geldt al vanaf 1 juli 2025; de nieuwe versie moet later ingaan."
        ]
    second.refresh_from_db()
    assert second.valid_to is None
    services.publish_version(draft, date(2026, 1, 1), kees_quality)
    second.refresh_from_db()
    assert second.valid_to == date(2026, 1, 1)
    assert draft.published_by == kees_quality


def test_the_review_after_29_february_falls_on_28_february() -> None:
    assert services.one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert services.one_year_after(date(2025, 7, 1)) == date(2026, 7, 1)


def test_a_published_version_is_immutable(
    two_versions: tuple[CharterVersion, CharterVersion], library: dict[str, ModelNorm]
) -> None:
    first, second = two_versions
    norm = second.norms.get(code="phone-answered")
    attempts = [
        lambda: services.update_norm(norm, threshold=Decimal("20")),
        lambda: services.remove_norm(norm),
        lambda: services.add_norm_from_model(second, library["letter-simple"]),
        lambda: services.update_intro(second, intro_nl="Nieuw"),
        lambda: services.publish_version(second, date(2026, 1, 1)),
        lambda: services.discard_draft(first),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "is gepubliceerd en verandert niet meer" in _messages(error)
    norm.refresh_from_db()
    assert norm.threshold == Decimal("25")
    assert second.norms.count() == 4


def test_new_draft_copies_the_norms_and_keeps_their_codes(
    two_versions: tuple[CharterVersion, CharterVersion],
) -> None:
    first, second = two_versions
    draft = services.new_draft_from(first)
    assert draft.number == 3
    assert draft.status == VersionStatus.DRAFT
    assert draft.valid_from is None
    copied = {n.code: n for n in draft.norms.all()}
    original = {n.code: n for n in first.norms.all()}
    assert copied.keys() == original.keys()
    assert copied["email-answered"].threshold == Decimal("3")
    assert copied["permit-regular"].compensation_cap == Decimal("1442")
    assert {n.pk for n in copied.values()}.isdisjoint(n.pk for n in original.values())
    with pytest.raises(ValidationError) as error:
        services.new_draft_from(second)
    assert "Er is al een conceptversie (versie 3)" in _messages(error)
    with pytest.raises(ValidationError):
        services.new_draft_from(draft)


def test_discarding_the_only_draft_removes_the_charter(amstelstad: Organisation) -> None:
    draft = services.start_charter(amstelstad)
    services.discard_draft(draft)
    assert not Charter.objects.filter(organisation=amstelstad).exists()


# --- reads for measurement ----------------------------------------------------------------


def test_mid_period_change_is_picked_by_date(
    amstelstad: Organisation, two_versions: tuple[CharterVersion, CharterVersion]
) -> None:
    first, second = two_versions
    assert selectors.version_valid_on(amstelstad, date(2024, 12, 31)) is None
    assert selectors.version_valid_on(amstelstad, date(2025, 6, 30)) == first
    assert selectors.version_valid_on(amstelstad, V2_FROM) == second
    assert selectors.version_valid_on(amstelstad, date(2030, 1, 1)) == second
    email = Channel.objects.get(code="email")
    rules = [r for r in selectors.rules_for(amstelstad, "contact") if r.key == email.pk]
    by_start = {rule.valid_from: rule for rule in rules}
    assert by_start.keys() == {V1_FROM, V2_FROM}
    assert (by_start[V1_FROM].threshold, by_start[V1_FROM].valid_to) == (3.0, V2_FROM)
    assert (by_start[V2_FROM].threshold, by_start[V2_FROM].valid_to) == (2.0, None)
    cases = selectors.rules_for(
        amstelstad, "case", {"klacht": 1, "omgevingsvergunning-regulier": 2}
    )
    assert {(r.key, r.metric, r.term_unit) for r in cases} == {
        (1, "legal_term", "weeks"),
        (2, "legal_term", "weeks"),
    }
    assert all(r.calendar.kind == "legal" for r in cases)


def test_drafts_are_never_measured(
    amstelstad: Organisation, two_versions: tuple[CharterVersion, CharterVersion]
) -> None:
    _first, second = two_versions
    draft = services.new_draft_from(second)
    assert CharterNorm.objects.filter(version=draft).count() == 4
    assert len(selectors.rules_for(amstelstad, "contact")) == 4  # 2 phone + 2 e-mail rules
    assert draft not in selectors.published_versions(amstelstad)


def test_a_penalty_per_day_without_an_amount_follows_the_statutory_schedule() -> None:
    from burgerlink.charters.charter.validation import validate_norm
    from burgerlink.charters.compensation.rules import amount_owed
    from burgerlink.charters.models import CharterNorm, CompensationKind

    norm = CharterNorm(
        code="permit",
        title_nl="Vergunning",
        promise_nl="Binnen 8 weken",
        case_type="omgevingsvergunning-regulier",
        metric="legal_term",
        threshold=8,
        term_unit="weeks",
        target_share=1,
        compensation_kind=CompensationKind.PENALTY_PER_DAY,
    )
    validate_norm(norm, [])  # accepted: no error about the missing amount
    # What it then pays is the Wet dwangsom schedule (Awb 4:17): 14 × €23 + 6 × €35 for 20 days.
    owed = amount_owed(
        kind=norm.compensation_kind,
        amount=norm.compensation_amount,
        cap=norm.compensation_cap,
        lateness_seconds=20 * 86_400,
    )
    assert owed == Decimal("532.00")
    # A fixed amount has no schedule to fall back on: the same norm without it is refused.
    norm.compensation_kind = CompensationKind.AMOUNT
    with pytest.raises(ValidationError) as refused:
        validate_norm(norm, [])
    assert set(refused.value.message_dict) == {"compensation_amount"}
