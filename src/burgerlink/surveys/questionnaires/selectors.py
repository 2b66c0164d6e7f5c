"""Reads of questionnaires: an organisation's own, the platform templates, one version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from burgerlink.core.models import LifeEvent, Organisation, Theme
from burgerlink.surveys.definition import Definition, parse
from burgerlink.surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from burgerlink.surveys.questionnaires import editing


def _versions_newest_first() -> Prefetch[Any]:
    return Prefetch("versions", queryset=QuestionnaireVersion.objects.order_by("-number"))


def questionnaires_of(organisation: Organisation) -> QuerySet[Questionnaire]:
    """The organisation's own questionnaires, newest first, with versions and template."""
    return (
        Questionnaire.objects.filter(organisation=organisation)
        .select_related("based_on__questionnaire")
        .prefetch_related(_versions_newest_first())
        .order_by("-created_at", "-id")
    )


# Templates in the order staff meet them: the life-event survey first (the spearhead).
KIND_ORDER = ["life_event", "contact", "burgerpeiling", "custom"]


def _kind_position(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def platform_templates() -> list[Questionnaire]:
    """The platform's templates (no organisation) with their versions, life events first."""
    templates = Questionnaire.objects.filter(organisation__isnull=True).prefetch_related(
        _versions_newest_first()
    )
    return sorted(templates, key=lambda template: (_kind_position(template.kind), template.code))


def template_versions() -> list[QuestionnaireVersion]:
    """Template versions an organisation may start from (fielded: immutable), life events first."""
    versions = QuestionnaireVersion.objects.filter(
        questionnaire__organisation__isnull=True, status=VersionStatus.FIELDED
    ).select_related("questionnaire")
    return sorted(
        versions,
        key=lambda version: (
            _kind_position(version.questionnaire.kind),
            version.questionnaire.code,
            -version.number,
        ),
    )


def questionnaire_of(organisation: Organisation, pk: int) -> Questionnaire:
    """One of the organisation's questionnaires, or a platform template (404 otherwise)."""
    return get_object_or_404(
        Questionnaire.objects.select_related("based_on__questionnaire").prefetch_related(
            _versions_newest_first()
        ),
        Q(organisation=organisation) | Q(organisation__isnull=True),
        pk=pk,
    )


def version_of(organisation: Organisation, pk: int) -> QuestionnaireVersion:
    """A version of the organisation's questionnaire or of a platform template (404 otherwise)."""
    return get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"),
        Q(questionnaire__organisation=organisation) | Q(questionnaire__organisation__isnull=True),
        pk=pk,
    )


def own_version(organisation: Organisation, pk: int) -> QuestionnaireVersion:
    """A version of one of the organisation's own questionnaires (404 otherwise)."""
    return get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"),
        questionnaire__organisation=organisation,
        pk=pk,
    )


def definition_of(version: QuestionnaireVersion) -> Definition:
    """The parsed definition of a version."""
    return parse(version.definition)


@dataclass(frozen=True)
class PanelCounts:
    """What the dashboard panel shows."""

    questionnaires: int
    drafts: int
    fielded: int


def counts(organisation: Organisation) -> PanelCounts:
    """Number of questionnaires, and of versions in draft and in use."""
    versions = QuestionnaireVersion.objects.filter(questionnaire__organisation=organisation)
    totals = versions.aggregate(
        drafts=Count("id", filter=Q(status=VersionStatus.DRAFT)),
        fielded=Count("id", filter=Q(status=VersionStatus.FIELDED)),
    )
    return PanelCounts(
        questionnaires=Questionnaire.objects.filter(organisation=organisation).count(),
        drafts=totals["drafts"],
        fielded=totals["fielded"],
    )


@dataclass(frozen=True)
class EventChoice:
    """A life event that can be chosen when starting from the life-event template."""

    code: str
    label: str
    chain: list[str]


@dataclass(frozen=True)
class ThemeGroup:
    """The choosable life events of one theme."""

    name: str
    events: list[EventChoice]


def life_event_choices(language: str = "nl") -> list[ThemeGroup]:
    """Life events of the fielded life-event template(s), grouped by catalogue theme.

    Only events the template actually contains can be chosen; an event that has since left the
    catalogue is shown under "Overig".
    """
    options: dict[str, str] = {}
    for version in template_versions():
        screen = editing.screening_question(version.definition)
        if screen is None:
            continue
        for option in screen.get("options", []):
            key = str(option.get("key", ""))
            if key and key not in options:
                label = option.get("label", {})
                options[key] = (
                    label.get("en") if language.startswith("en") and label.get("en") else None
                ) or str(label.get("nl", key))
    events = {
        event.code: event
        for event in LifeEvent.objects.filter(code__in=options).prefetch_related("links__agency")
    }
    groups: list[ThemeGroup] = []
    placed: set[str] = set()
    for theme in Theme.objects.order_by("position", "code"):
        members = [
            event
            for event in sorted(events.values(), key=lambda event: (event.position, event.code))
            if event.theme_id == theme.pk
        ]
        if members:
            groups.append(
                ThemeGroup(
                    theme.name,
                    [
                        EventChoice(
                            event.code,
                            options[event.code],
                            [
                                link.agency.name
                                for link in sorted(event.links.all(), key=lambda x: x.position)
                            ],
                        )
                        for event in members
                    ],
                )
            )
            placed.update(event.code for event in members)
    rest = [EventChoice(code, label, []) for code, label in options.items() if code not in placed]
    if rest:
        groups.append(ThemeGroup(_("Overig"), rest))
    return groups
