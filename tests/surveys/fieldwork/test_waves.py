"""Surveys and waves: creating them fields the version; dates, weighting and links are checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from burgerlink.core.models import AuditEvent, LifeEvent, Organisation, User
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import (
    Questionnaire,
    QuestionnaireVersion,
    Survey,
    TemplateKind,
    VersionStatus,
)
from tests.surveys.fieldwork.conftest import DEFINITION, make_wave


def test_a_survey_uses_one_of_the_organisations_own_questionnaires(
    amstelstad: Organisation, questionnaire: Questionnaire, bram_researcher: User
) -> None:
    events = list(LifeEvent.objects.all()[:2])
    survey = services.create_survey(
        organisation=amstelstad,
        questionnaire=questionnaire,
        title="  Tevredenheid   verhuizen ",
        life_events=events,
        by=bram_researcher,
    )
    assert survey.title == "Tevredenheid verhuizen"
    assert set(survey.life_events.all()) == set(events)
    assert AuditEvent.objects.filter(
        action="surveys.survey.create", organisation=amstelstad, actor=bram_researcher
    ).exists()


def test_a_template_or_another_organisations_questionnaire_is_refused(
    amstelstad: Organisation, heidedorp: Organisation
) -> None:
    template = Questionnaire.objects.create(
        code="sjabloon", title_nl="Sjabloon", kind=TemplateKind.LIFE_EVENT
    )
    theirs = Questionnaire.objects.create(
        organisation=heidedorp, code="eigen", title_nl="Eigen", kind=TemplateKind.CUSTOM
    )
    for questionnaire in (template, theirs):
        with pytest.raises(ValidationError, match="eigen organisatie"):
            services.create_survey(
                organisation=amstelstad, questionnaire=questionnaire, title="X", by=None
            )
    assert not Survey.objects.exists()


def test_creating_a_wave_fields_the_version(
    survey: Survey, version: QuestionnaireVersion, bram_researcher: User
) -> None:
    assert version.status == VersionStatus.DRAFT
    wave = make_wave(survey, version, by=bram_researcher, population_size=12_000)
    version.refresh_from_db()
    assert version.status == VersionStatus.FIELDED
    assert version.fielded_at is not None
    assert wave.organisation_id == survey.organisation_id
    assert wave.weighting["age_group"]["65+"] == 0.2
    assert wave.reminder_days == [7, 14]
    assert wave.population_size == 12_000
    assert wave.open_link == ""
    assert AuditEvent.objects.filter(action="surveys.wave.create", actor=bram_researcher).exists()


def test_an_open_link_is_a_random_code(survey: Survey, version: QuestionnaireVersion) -> None:
    first = make_wave(survey, version, open_link=True)
    second = make_wave(survey, version, open_link=True)
    assert len(first.open_link) >= 16
    assert first.open_link != second.open_link
    third = make_wave(survey, version)
    assert services.add_open_link(wave=third, by=None) != ""
    third.refresh_from_db()
    assert third.open_link
    assert services.add_open_link(wave=third, by=None) == third.open_link  # kept


def test_a_wave_refuses_bad_dates_weighting_and_reminders(
    survey: Survey, version: QuestionnaireVersion
) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.create_wave(
            survey=survey,
            version=version,
            name=" ",
            opens_at=now,
            closes_at=now - timedelta(days=1),
            weighting={"age_group": {"jong": 0.5, "oud": 0.2}},
            reminder_days="14, 7",
            retention_days=5000,
            population_size=0,
            by=None,
        )
    fields = caught.value.message_dict
    assert set(fields) == {
        "name",
        "closes_at",
        "weighting",
        "reminder_days",
        "retention_days",
        "population_size",
    }
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT  # nothing happened


def test_a_wave_needs_a_usable_version_of_the_surveys_questionnaire(
    survey: Survey, version: QuestionnaireVersion, amstelstad: Organisation
) -> None:
    other = Questionnaire.objects.create(
        organisation=amstelstad, code="ander", title_nl="Ander", kind=TemplateKind.CUSTOM
    )
    foreign = QuestionnaireVersion.objects.create(
        questionnaire=other, organisation=amstelstad, number=1, definition=DEFINITION
    )
    retired = QuestionnaireVersion.objects.create(
        questionnaire=survey.questionnaire,
        organisation=amstelstad,
        number=2,
        definition=DEFINITION,
        status=VersionStatus.RETIRED,
    )
    broken = QuestionnaireVersion.objects.create(
        questionnaire=survey.questionnaire, organisation=amstelstad, number=3, definition={}
    )
    for bad, fragment in ((foreign, "hoort niet"), (retired, "vervangen"), (broken, "niet geldig")):
        with pytest.raises(ValidationError, match=fragment):
            make_wave(survey, bad)


def test_a_fielded_version_serves_several_waves(
    survey: Survey, version: QuestionnaireVersion
) -> None:
    make_wave(survey, version)
    version.refresh_from_db()
    fielded_at = version.fielded_at
    make_wave(survey, version, name="meting 2027")
    version.refresh_from_db()
    assert version.fielded_at == fielded_at
    assert survey.waves.count() == 2


def test_closing_early_starts_the_retention_period(
    survey: Survey, version: QuestionnaireVersion, bram_researcher: User
) -> None:
    wave = make_wave(survey, version)
    services.close_wave(wave=wave, by=bram_researcher)
    wave.refresh_from_db()
    assert wave.closes_at <= timezone.now()
    with pytest.raises(ValidationError, match="al gesloten"):
        services.close_wave(wave=wave, by=bram_researcher)
    planned = make_wave(survey, version, days_open=-3)
    with pytest.raises(ValidationError, match="nog niet begonnen"):
        services.close_wave(wave=planned, by=bram_researcher)
    assert AuditEvent.objects.filter(action="surveys.wave.close").count() == 1
