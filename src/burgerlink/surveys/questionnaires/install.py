"""Install the platform's questionnaire templates from the catalogue present at that moment.

Used by the data migration ``surveys/0002_templates`` (with the migration's historical ``apps``)
and by the demo step (with the live app registry). It reads the catalogue through
``apps.get_model`` only and hands plain data to the pure builders in ``templates``. Installing is
idempotent: a template whose code exists is left alone (templates are immutable; a changed
catalogue needs a new template version, not an edited one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from burgerlink.surveys.questionnaires.templates import (
    JSON,
    AgencyData,
    Catalogue,
    ChannelData,
    EventData,
    NormData,
    burgerpeiling_definition,
    contact_definition,
    life_event_definition,
)

LIFE_EVENT = "levensgebeurtenis"
CONTACT = "na-contact"
BURGERPEILING = "burgerpeiling"


def read_catalogue(apps: Any) -> Catalogue:
    """The active life events with chains, agencies, current norms and channels, as plain data."""
    life_event = apps.get_model("core", "LifeEvent")
    chain_link = apps.get_model("core", "ChainLink")
    agency = apps.get_model("core", "Agency")
    norm_set = apps.get_model("core", "NormSet")
    norm = apps.get_model("core", "Norm")
    channel = apps.get_model("core", "Channel")

    chains: dict[int, list[str]] = {}
    for event_id, agency_code in chain_link.objects.order_by("position", "id").values_list(
        "life_event_id", "agency__code"
    ):
        chains.setdefault(event_id, []).append(agency_code)
    events = tuple(
        EventData(
            code=row.code,
            name_nl=row.name_nl,
            name_en=row.name_en,
            chain=tuple(chains.get(row.pk, ())),
            theme_code=row.theme.code,
        )
        for row in life_event.objects.filter(is_active=True)
        .select_related("theme")
        .order_by("theme__position", "position", "code")
    )
    current = norm_set.objects.filter(status="published").order_by("-published_at", "-id").first()
    norms = (
        tuple(
            NormData(
                number=row.number,
                name_nl=row.name_nl,
                name_en=row.name_en,
                right_nl=row.right_nl,
                right_en=row.right_en,
            )
            for row in norm.objects.filter(norm_set=current).order_by("number")
        )
        if current is not None
        else ()
    )
    return Catalogue(
        events=events,
        agencies=tuple(
            AgencyData(row.code, row.name_nl, row.name_en)
            for row in agency.objects.order_by("name_nl", "code")
        ),
        norms=norms,
        channels=tuple(
            ChannelData(row.code, row.name_nl, row.name_en)
            for row in channel.objects.filter(is_active=True).order_by("position", "code")
        ),
    )


TemplateSpec = tuple[str, str, str, str, Callable[[], JSON], bool]


def template_specs(catalogue: Catalogue) -> list[TemplateSpec]:
    """(code, kind, Dutch title, English title, builder, buildable) of every platform template.

    ``buildable`` is false when the catalogue lacks what the template needs (no life events or
    norms, no channels): the template is then left out until the catalogue has been seeded.
    """
    return [
        (
            LIFE_EVENT,
            "life_event",
            "Levensgebeurtenissen: de overheid in de keten",
            "Life events: government along the chain",
            lambda: life_event_definition(
                catalogue.events, catalogue.agencies, catalogue.norms, catalogue.channels
            ),
            bool(catalogue.events and catalogue.norms and catalogue.channels),
        ),
        (
            CONTACT,
            "contact",
            "Kort onderzoek na een contact",
            "Short survey after a contact",
            lambda: contact_definition(catalogue.channels),
            bool(catalogue.channels),
        ),
        (
            BURGERPEILING,
            "burgerpeiling",
            "Burgerpeiling",
            "Citizens' survey (Burgerpeiling)",
            burgerpeiling_definition,
            True,
        ),
    ]


def install_platform_templates(apps: Any) -> list[str]:
    """Create the missing platform templates with a fielded version 1; return their codes.

    A template whose catalogue is empty (no life events, norms or channels yet) is skipped, so
    a database without reference data still migrates.
    """
    questionnaire = apps.get_model("surveys", "Questionnaire")
    version = apps.get_model("surveys", "QuestionnaireVersion")
    catalogue = read_catalogue(apps)
    present = set(
        questionnaire.objects.filter(organisation__isnull=True).values_list("code", flat=True)
    )
    installed: list[str] = []
    for code, kind, title_nl, title_en, build, buildable in template_specs(catalogue):
        if code in present or not buildable:
            continue
        definition = build()
        template = questionnaire.objects.create(
            organisation=None, code=code, title_nl=title_nl, title_en=title_en, kind=kind
        )
        version.objects.create(
            questionnaire=template,
            organisation=None,
            number=1,
            status="fielded",
            definition=definition,
            fielded_at=timezone.now(),
        )
        installed.append(code)
    return installed
