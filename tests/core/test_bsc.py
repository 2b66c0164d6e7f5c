"""The BurgerServiceCode: seeded versions, self-assessments and the scorecard."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from burgerlink.core import scorecard, selectors, services
from burgerlink.core.models import (
    AssessmentStatus,
    NormSet,
    NormSetStatus,
    Organisation,
    User,
)
from burgerlink.core.scoring import norm_scores, overall_score

pytestmark = pytest.mark.django_db


def test_version_2_1_is_seeded_with_ten_norms_and_a_checklist() -> None:
    norm_set = selectors.current_norm_set()
    assert norm_set is not None and norm_set.version == "2.1"
    norms = selectors.norms_of(norm_set)
    assert [n.number for n in norms] == list(range(1, 11))
    assert norms[0].name_nl == "Keuzevrijheid contactkanaal"
    assert norms[0].name_en == "Choice of channel"
    assert all(n.right_nl and n.duty_nl and n.right_en and n.duty_en for n in norms)
    assert all(n.checklist_items.count() >= 3 for n in norms)


def test_scoring_counts_partly_as_half_and_ignores_unanswered() -> None:
    scores = norm_scores([(1, "yes"), (1, "partly"), (1, "no"), (2, ""), (3, "yes")])
    assert scores == {1: 0.5, 2: None, 3: 1.0}
    assert overall_score(scores) == 0.75
    assert overall_score({1: None}) is None


def _answer_all(assessment_pk: int, answer: str, user: User) -> None:
    from burgerlink.core.models import SelfAssessment

    assessment = SelfAssessment.objects.get(pk=assessment_pk)
    services.save_assessment_answers(
        assessment=assessment,
        answers={
            row.item_id: services.AnswerInput(answer, "Toelichting", ["https://example.nl/bewijs"])
            for row in assessment.answers.all()
        },
        by=user,
    )


def test_self_assessment_from_draft_to_published(
    amstelstad: Organisation, kees_quality: User
) -> None:
    assessment = services.start_self_assessment(organisation=amstelstad, by=kees_quality)
    assert assessment.answers.count() == 30
    with pytest.raises(ValidationError, match="Beantwoord eerst"):
        services.publish_self_assessment(assessment=assessment, by=kees_quality)
    _answer_all(assessment.pk, "partly", kees_quality)
    services.publish_self_assessment(assessment=assessment, summary="Eerste ronde", by=kees_quality)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED
    assert selectors.latest_published_assessment(amstelstad) == assessment
    assert set(selectors.assessment_scores(assessment).values()) == {0.5}
    with pytest.raises(ValidationError):
        _answer_all(assessment.pk, "yes", kees_quality)


def test_a_new_assessment_starts_from_the_last_published_answers(
    amstelstad: Organisation, kees_quality: User
) -> None:
    first = services.start_self_assessment(organisation=amstelstad, by=kees_quality)
    _answer_all(first.pk, "yes", kees_quality)
    services.publish_self_assessment(assessment=first, by=kees_quality)
    second = services.start_self_assessment(organisation=amstelstad, by=kees_quality)
    assert second.pk != first.pk
    assert set(second.answers.values_list("answer", flat=True)) == {"yes"}
    # An open draft is reused rather than duplicated.
    assert services.start_self_assessment(organisation=amstelstad, by=kees_quality) == second
    assert list(selectors.assessment_history(amstelstad)) == [second, first]


def test_scorecard_combines_every_registered_source(
    amstelstad: Organisation, kees_quality: User
) -> None:
    assessment = services.start_self_assessment(organisation=amstelstad, by=kees_quality)
    _answer_all(assessment.pk, "yes", kees_quality)
    services.publish_self_assessment(assessment=assessment, by=kees_quality)

    class MeasuredSource:
        code = "test_measured"
        label = "Gemeten"

        def evidence(self, organisation: Organisation) -> list[scorecard.Evidence]:
            return [
                scorecard.Evidence(norm_number=9, source=self.code, label=self.label, score=0.5)
            ]

    scorecard.register_source(MeasuredSource())
    try:
        cards = scorecard.build_scorecard(amstelstad, selectors.current_norms())
    finally:
        scorecard._SOURCES.pop("test_measured")
    by_number = {card.norm.number: card for card in cards}
    assert by_number[9].score == pytest.approx(0.75)  # mean of 1.0 (checklist) and 0.5 (measured)
    assert by_number[1].score == pytest.approx(1.0)
    assert [e.source for e in by_number[9].evidence] == ["self_assessment", "test_measured"]


def test_operator_drafts_and_publishes_a_new_version(olaf_operator: User) -> None:
    current = selectors.current_norm_set()
    assert current is not None
    draft = services.draft_norm_set_from(source=current, version="2.2", by=olaf_operator)
    assert draft.status == NormSetStatus.DRAFT and draft.norms.count() == 10
    assert selectors.current_norm_set() == current
    services.publish_norm_set(norm_set=draft, by=olaf_operator)
    current.refresh_from_db()
    assert current.status == NormSetStatus.RETIRED
    assert selectors.current_norm_set() == draft
    with pytest.raises(ValidationError):
        services.publish_norm_set(norm_set=draft, by=olaf_operator)
    with pytest.raises(ValidationError):
        services.draft_norm_set_from(source=draft, version="2.2", by=olaf_operator)


def test_a_version_without_ten_norms_cannot_be_published(olaf_operator: User) -> None:
    empty = NormSet.objects.create(version="3.0")
    with pytest.raises(ValidationError, match="tien normen"):
        services.publish_norm_set(norm_set=empty, by=olaf_operator)
