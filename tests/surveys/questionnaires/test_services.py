"""Services: start from a template, edit only drafts, versions, the code history, fielding."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from burgerlink.core.models import AuditEvent, LifeEvent, Organisation, User
from burgerlink.surveys.definition import parse
from burgerlink.surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from burgerlink.surveys.questionnaires import services
from burgerlink.surveys.questionnaires.install import install_platform_templates

pytestmark = pytest.mark.django_db


def own(code: str, kind: str = "yesno", **extra: Any) -> dict[str, Any]:
    """An organisation's own question."""
    return {"code": code, "type": kind, "text": {"nl": f"Eigen vraag {code}"}, **extra}


@pytest.fixture
def draft(
    amstelstad: Organisation, bram_researcher: User, life_event_template: QuestionnaireVersion
) -> QuestionnaireVersion:
    """Amstelstad's life-event questionnaire for moving house, version 1 in draft."""
    questionnaire = services.start_from_template(
        amstelstad,
        life_event_template,
        title="Verhuizen in Amstelstad",
        life_events=["verhuizen"],
        by=bram_researcher,
    )
    return questionnaire.versions.get()


def test_the_migration_installed_three_immutable_templates(db: None) -> None:
    templates = Questionnaire.objects.filter(organisation__isnull=True)
    assert sorted(templates.values_list("kind", flat=True)) == [
        "burgerpeiling",
        "contact",
        "life_event",
    ]
    for template in templates:
        version = template.versions.get()
        assert (version.number, version.status, version.organisation_id) == (1, "fielded", None)
        assert version.fielded_at is not None
        parse(version.definition)
    assert install_platform_templates(apps) == []  # installing again changes nothing
    assert templates.count() == 3


def test_start_from_template_tailors_to_the_chosen_life_events(
    draft: QuestionnaireVersion, life_event_template: QuestionnaireVersion, amstelstad: Organisation
) -> None:
    questionnaire = draft.questionnaire
    assert questionnaire.organisation == amstelstad
    assert questionnaire.based_on == life_event_template
    assert questionnaire.kind == "life_event"
    assert (draft.number, draft.status) == (1, VersionStatus.DRAFT)
    definition = parse(draft.definition)
    assert definition.title.nl == "Verhuizen in Amstelstad"
    screen = definition.question("SCREEN_EVENT")
    assert screen is not None and [option.key for option in screen.options] == ["verhuizen"]
    template_screen = parse(life_event_template.definition).question("SCREEN_EVENT")
    assert template_screen is not None
    moving = next(option for option in template_screen.options if option.key == "verhuizen")
    assert screen.options[0].code == moving.code  # codes stay comparable with the template
    chain = {agency.code for agency in LifeEvent.objects.get(code="verhuizen").chain_agencies()}
    contact_keys = {q.key for q in definition.questions() if q.role == "contact"}
    grade_keys = {q.key for q in definition.questions() if q.role == "organisation"}
    assert contact_keys == grade_keys == chain
    assert definition.question("CONTACT_UWV") is None
    assert definition.question("GRADE_GOV") is not None
    assert AuditEvent.objects.filter(
        organisation=amstelstad, action="survey.questionnaire.start"
    ).exists()


def test_start_from_template_with_events_as_objects_and_without_tailoring(
    amstelstad: Organisation,
    life_event_template: QuestionnaireVersion,
    contact_template: QuestionnaireVersion,
) -> None:
    events = LifeEvent.objects.filter(code__in=["verhuizen", "werkloos"])
    two = services.start_from_template(
        amstelstad, life_event_template, title="Twee", life_events=events, by=None
    )
    screen = parse(two.versions.get().definition).question("SCREEN_EVENT")
    assert screen is not None and {o.key for o in screen.options} == {"verhuizen", "werkloos"}
    assert parse(two.versions.get().definition).question("CONTACT_UWV") is not None
    whole = services.start_from_template(amstelstad, life_event_template, title="Twee", by=None)
    assert whole.code == "twee-2"
    assert whole.versions.get().definition["pages"] == life_event_template.definition["pages"]
    with pytest.raises(ValidationError, match="alleen bij het sjabloon voor levensgebeurtenissen"):
        services.start_from_template(
            amstelstad, contact_template, title="X", life_events=["verhuizen"], by=None
        )
    with pytest.raises(ValidationError, match="staan niet in het sjabloon"):
        services.start_from_template(
            amstelstad, life_event_template, title="X", life_events=["bestaat-niet"], by=None
        )
    with pytest.raises(ValidationError, match="titel"):
        services.start_from_template(amstelstad, contact_template, title="  ", by=None)
    # Only fielded platform templates are a starting point.
    with pytest.raises(ValidationError, match="platformsjabloon"):
        services.start_from_template(amstelstad, two.versions.get(), title="Kopie", by=None)


def test_add_move_update_and_remove_own_questions(
    draft: QuestionnaireVersion, bram_researcher: User
) -> None:
    services.add_question(draft, own("AMS_PARKING"), page_key="ervaring", by=bram_researcher)
    services.add_question(
        draft,
        own("AMS_REASON", "text", condition={"var": "AMS_PARKING", "op": "eq", "value": 0}),
        page_key="",
        page_title={"nl": "Eigen vragen"},
        by=bram_researcher,
    )
    draft.refresh_from_db()
    definition = parse(draft.definition)
    assert [q.code for q in definition.pages[-1].questions] == ["AMS_REASON"]
    ervaring = next(page for page in definition.pages if page.key == "ervaring")
    assert ervaring.questions[-1].code == "AMS_PARKING"
    with pytest.raises(ValidationError, match="De code AMS_PARKING wordt al gebruikt"):
        services.add_question(draft, own("AMS_PARKING"), page_key="ervaring", by=None)
    with pytest.raises(ValidationError, match="De code GRADE_GOV wordt al gebruikt"):
        services.add_question(draft, own("GRADE_GOV"), page_key="ervaring", by=None)

    services.move_question(draft, "AMS_PARKING", "up", by=bram_researcher)
    ervaring = next(p for p in parse(draft.definition).pages if p.key == "ervaring")
    assert [q.code for q in ervaring.questions][-2:] == ["AMS_PARKING", "EASE"]

    services.update_question(
        draft,
        "AMS_PARKING",
        own("AMS_PARKING", text={"nl": "Kon u goed parkeren?", "en": "Could you park?"}),
        by=bram_researcher,
    )
    question = parse(draft.definition).question("AMS_PARKING")
    assert question is not None and question.text.en == "Could you park?"

    with pytest.raises(ValidationError, match="routering van AMS_REASON"):
        services.remove_question(draft, "AMS_PARKING", by=bram_researcher)
    services.remove_question(draft, "AMS_REASON", by=bram_researcher)
    services.remove_question(draft, "AMS_PARKING", by=bram_researcher)
    draft.refresh_from_db()
    assert parse(draft.definition).question("AMS_PARKING") is None
    actions = list(
        AuditEvent.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True)
    )
    assert actions.count("survey.question.add") == 2
    assert {"survey.question.move", "survey.question.update", "survey.question.remove"} <= set(
        actions
    )


def test_only_drafts_change(
    draft: QuestionnaireVersion, life_event_template: QuestionnaireVersion
) -> None:
    services.field_version(draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.FIELDED and draft.fielded_at is not None
    message = "Versie 1 is in gebruik en verandert daarom niet meer"
    with pytest.raises(ValidationError, match=message):
        services.add_question(draft, own("AMS_X"), page_key="ervaring", by=None)
    with pytest.raises(ValidationError, match=message):
        services.update_question(draft, "GOT_NEEDED", own("GOT_NEEDED"), by=None)
    with pytest.raises(ValidationError, match=message):
        services.remove_question(draft, "OPEN_GOOD", by=None)
    with pytest.raises(ValidationError, match=message):
        services.move_question(draft, "OPEN_GOOD", "up", by=None)
    with pytest.raises(ValidationError, match=message):
        services.move_page(draft, "achtergrond", "up", by=None)
    with pytest.raises(ValidationError, match=message):
        services.add_question(life_event_template, own("AMS_X"), page_key="ervaring", by=None)


def test_a_stale_copy_cannot_edit_a_version_fielded_meanwhile(draft: QuestionnaireVersion) -> None:
    stale = QuestionnaireVersion.objects.get(pk=draft.pk)
    services.field_version(draft)
    with pytest.raises(ValidationError, match="in gebruik"):
        services.add_question(stale, own("AMS_X"), page_key="ervaring", by=None)
    assert parse(QuestionnaireVersion.objects.get(pk=draft.pk).definition).question("AMS_X") is None


def test_fielded_versions_are_immutable_even_when_saved_directly(
    draft: QuestionnaireVersion,
) -> None:
    services.field_version(draft)
    before = QuestionnaireVersion.objects.get(pk=draft.pk).definition
    draft.definition = {**draft.definition, "title": {"nl": "Anders"}}
    with pytest.raises(ValidationError, match="verandert daarom niet meer"):
        draft.save()
    back = QuestionnaireVersion.objects.get(pk=draft.pk)
    back.status = VersionStatus.DRAFT
    with pytest.raises(ValidationError):
        back.save()
    assert QuestionnaireVersion.objects.get(pk=draft.pk).definition == before
    # Fielding again is a no-op.
    assert services.field_version(draft).status == VersionStatus.FIELDED


def test_new_version_copies_the_latest_and_retires_it_when_fielded(
    draft: QuestionnaireVersion, bram_researcher: User
) -> None:
    questionnaire = draft.questionnaire
    with pytest.raises(ValidationError, match="Er is al een concept"):
        services.new_version(questionnaire, by=bram_researcher)
    services.add_question(draft, own("AMS_PARKING"), page_key="ervaring", by=None)
    services.field_version(draft, by=bram_researcher)
    second = services.new_version(questionnaire, by=bram_researcher)
    assert (second.number, second.status) == (2, VersionStatus.DRAFT)
    assert second.definition == QuestionnaireVersion.objects.get(pk=draft.pk).definition
    services.field_version(second)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.RETIRED
    with pytest.raises(ValidationError, match="sjabloon van het platform verandert niet"):
        services.new_version(questionnaire.based_on.questionnaire, by=None)  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="survey.version.field", actor=bram_researcher).exists()


def test_a_code_may_return_only_for_the_same_question(
    draft: QuestionnaireVersion, bram_researcher: User
) -> None:
    services.add_question(draft, own("AMS_PARKING"), page_key="ervaring", by=None)
    services.field_version(draft)
    second = services.new_version(draft.questionnaire, by=None)
    # Same code, another type: refused while editing ...
    services.remove_question(second, "AMS_PARKING", by=None)
    with pytest.raises(ValidationError, match="De code AMS_PARKING was in versie 1 een Ja/nee"):
        services.add_question(second, own("AMS_PARKING", "grade"), page_key="ervaring", by=None)
    with pytest.raises(ValidationError, match="De code GOT_NEEDED was in versie 1"):
        services.update_question(second, "GOT_NEEDED", own("GOT_NEEDED", "scale5"), by=None)
    # ... and by check_code_history, which field_version calls, for a definition made elsewhere.
    changed = dict(second.definition)
    changed["pages"] = [*changed["pages"]]
    changed["pages"].append(
        {"key": "eigen", "title": {"nl": "Eigen"}, "questions": [own("AMS_PARKING", "grade")]}
    )
    with pytest.raises(ValidationError, match="AMS_PARKING"):
        services.check_code_history(draft.questionnaire, changed)
    QuestionnaireVersion.objects.filter(pk=second.pk).update(definition=changed)
    second.refresh_from_db()
    with pytest.raises(ValidationError, match="Een code mag alleen terugkomen voor dezelfde vraag"):
        services.field_version(second)
    second.refresh_from_db()
    assert second.status == VersionStatus.DRAFT
    # The same question under the same code is fine.
    services.add_question(second, own("AMS_SHOP"), page_key="ervaring", by=None)
    services.remove_question(second, "AMS_PARKING", by=None)
    services.add_question(second, own("AMS_PARKING"), page_key="ervaring", by=None)
    assert services.field_version(second).status == VersionStatus.FIELDED


def test_discard_a_draft(draft: QuestionnaireVersion, amstelstad: Organisation) -> None:
    questionnaire = draft.questionnaire
    assert services.discard_draft(draft, by=None) is None
    assert not Questionnaire.objects.filter(pk=questionnaire.pk).exists()
    assert AuditEvent.objects.filter(
        organisation=amstelstad, action="survey.version.discard"
    ).exists()


def test_start_empty(amstelstad: Organisation) -> None:
    questionnaire = services.start_empty(amstelstad, title="Eigen peiling", by=None)
    version = questionnaire.versions.get()
    assert questionnaire.kind == "custom" and questionnaire.based_on is None
    assert parse(version.definition).question("OPEN_REMARK") is not None
