"""The demo world: organisations, staff for every role, calendars and self-assessments.

Loading is idempotent: every step creates only what is missing, so a second run changes nothing.
Capabilities add their own demo data by registering a step (``register_step``) in their
``AppConfig.ready``; steps run in registration order after the core world exists.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from burgerlink.core import selectors
from burgerlink.core.models import (
    Agency,
    AssessmentAnswer,
    AssessmentStatus,
    ChecklistItem,
    ClosingDay,
    Membership,
    OpeningHours,
    Organisation,
    OrganisationKind,
    Role,
    SelfAssessment,
    User,
)


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation of the demo world."""

    slug: str
    name: str
    kind: str
    code: str
    inhabitants: int | None
    agency: str
    primary: str
    accent: str
    description: str
    description_en: str


ORGANISATIONS = [
    DemoOrganisation(
        "amstelstad",
        "Gemeente Amstelstad",
        OrganisationKind.MUNICIPALITY,
        "GM9901",
        152_000,
        "gemeente",
        "#8a1538",
        "#8a1538",
        "Een grote stad aan de rivier, met negen stadsdelen en een druk Stadskantoor.",
        "A large riverside city with nine districts and a busy city office.",
    ),
    DemoOrganisation(
        "rijnwaard",
        "Gemeente Rijnwaard",
        OrganisationKind.MUNICIPALITY,
        "GM9902",
        48_500,
        "gemeente",
        "#00594c",
        "#00594c",
        "Een middelgrote gemeente met vier kernen in het rivierengebied.",
        "A mid-size municipality of four villages and towns in the river area.",
    ),
    DemoOrganisation(
        "heidedorp",
        "Gemeente Heidedorp",
        OrganisationKind.MUNICIPALITY,
        "GM9903",
        9_400,
        "gemeente",
        "#5b3a8e",
        "#5b3a8e",
        "Een kleine gemeente op de heide; het gemeentehuis is op afspraak open.",
        "A small municipality on the heath; the town hall opens by appointment.",
    ),
    DemoOrganisation(
        "provincie-zuidwaard",
        "Provincie Zuidwaard",
        OrganisationKind.PROVINCE,
        "PV99",
        1_200_000,
        "provincie",
        "#154273",
        "#01689b",
        "De provincie voor wegen, vaarwegen, natuur en subsidies in het zuiden.",
        "The province for roads, waterways, nature and grants in the south.",
    ),
    DemoOrganisation(
        "waterschap-lage-landen",
        "Waterschap Lage Landen",
        OrganisationKind.WATER_BOARD,
        "WS9901",
        640_000,
        "waterschap",
        "#004b87",
        "#004b87",
        "Het waterschap zorgt voor droge voeten, schoon water en de waterschapsbelasting.",
        "The water board keeps feet dry and water clean, and levies the water board tax.",
    ),
    DemoOrganisation(
        "dienst-toeslagen-demo",
        "Dienst Toeslagen (demo)",
        OrganisationKind.NATIONAL_AGENCY,
        "00000099000000000001",
        None,
        "toeslagen",
        "#154273",
        "#01689b",
        "Een landelijke uitvoeringsorganisatie voor toeslagen, als voorbeeld in de keten.",
        "A national agency for allowances, as an example link in life-event chains.",
    ),
]

# (username, first name, last name, organisation slug, roles)
STAFF: list[tuple[str, str, str, str, list[str]]] = [
    ("anna.admin", "Anna", "de Beheerder", "amstelstad", [Role.ADMINISTRATOR]),
    ("kees.kwaliteit", "Kees", "Kwast", "amstelstad", [Role.QUALITY_MANAGER]),
    ("bram.onderzoek", "Bram", "Onderzoeker", "amstelstad", [Role.RESEARCHER]),
    ("petra.participatie", "Petra", "Prins", "amstelstad", [Role.PARTICIPATION_OFFICER]),
    ("carla.communicatie", "Carla", "Comans", "amstelstad", [Role.COMMUNICATIONS]),
    ("rik.rijnwaard", "Rik", "Rijnders", "rijnwaard", [Role.ADMINISTRATOR, Role.QUALITY_MANAGER]),
    ("hanna.heidedorp", "Hanna", "Heide", "heidedorp", [Role.ADMINISTRATOR]),
    ("paul.provincie", "Paul", "Peters", "provincie-zuidwaard", [Role.ADMINISTRATOR]),
    ("wim.waterschap", "Wim", "Water", "waterschap-lage-landen", [Role.ADMINISTRATOR]),
    ("tess.toeslagen", "Tess", "Toorn", "dienst-toeslagen-demo", [Role.ADMINISTRATOR]),
]
OPERATOR = ("olaf.operator", "Olaf", "Operator")

# Steps that capabilities register: (name, function(stdout_write)) run after the core world.
DemoStep = Callable[[Callable[[str], None]], None]
_STEPS: dict[str, DemoStep] = {}


def register_step(name: str, step: DemoStep) -> None:
    """Add a capability's demo step; it must be idempotent like the core steps."""
    _STEPS[name] = step


def step_names() -> list[str]:
    """The names of the registered demo steps, in the order they run."""
    return list(_STEPS)


def load_demo_world(
    write: Callable[[str], None] = lambda _line: None, *, steps: list[str] | None = None
) -> None:
    """Create every missing part of the demo world; safe to run again.

    ``steps`` limits the capabilities' steps to the named ones (tests load only what they need;
    the core world is always loaded).
    """
    unknown = set(steps or []) - set(_STEPS)
    if unknown:
        raise ValueError(f"no demo steps {sorted(unknown)}; there are {step_names()}")
    with transaction.atomic():
        organisations = _organisations()
        _staff(organisations)
        _calendars(organisations)
        _self_assessments(organisations)
    write("Kern: organisaties, medewerkers, kalenders en zelfevaluaties staan klaar.")
    for name, step in _STEPS.items():
        if steps is not None and name not in steps:
            continue
        step(write)
        write(f"{name}: klaar.")


def demo_logins() -> list[tuple[str, str, str]]:
    """Return (username, organisation, roles) for every demo login, operator first."""
    rows = [(OPERATOR[0], "—", "Platformbeheerder (catalogi, /beheer/)")]
    names = {org.slug: org.name for org in ORGANISATIONS}
    for username, _first, _last, slug, roles in STAFF:
        rows.append((username, names[slug], ", ".join(str(Role(r).label) for r in roles)))
    return rows


def _organisations() -> dict[str, Organisation]:
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    result = {}
    for spec in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "official_code": spec.code,
                "inhabitants": spec.inhabitants,
                "agency": agencies.get(spec.agency),
                "primary_colour": spec.primary,
                "accent_colour": spec.accent,
                "description": spec.description,
                "description_en": spec.description_en,
            },
        )
        if created:
            organisation.full_clean()
        result[spec.slug] = organisation
    return result


def _user(username: str, first: str, last: str, **extra: object) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            email=f"{username}@demo.burgerlink.localhost",
            password=settings.DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            **extra,
        )
    return user


def _staff(organisations: dict[str, Organisation]) -> None:
    _user(*OPERATOR, is_platform_operator=True, is_staff=True)
    for username, first, last, slug, roles in STAFF:
        user = _user(username, first, last)
        for role in roles:
            Membership.objects.get_or_create(user=user, organisation=organisations[slug], role=role)


def _calendars(organisations: dict[str, Organisation]) -> None:
    office = (time(8, 30), time(17, 0))
    hours = {
        "amstelstad": {day: office for day in range(5)} | {3: (time(8, 30), time(20, 0))},
        "rijnwaard": {day: office for day in range(5)},
        "heidedorp": {0: office, 1: office, 2: office, 3: office},
    }
    for slug, week in hours.items():
        organisation = organisations[slug]
        if not organisation.opening_hours.exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(organisation=organisation, weekday=d, opens=o, closes=c)
                for d, (o, c) in week.items()
            )
    this_year = timezone.localdate().year
    for slug in ("amstelstad", "rijnwaard"):
        organisation = organisations[slug]
        if organisation.closing_days.exists():
            continue
        days = []
        for year in (this_year - 1, this_year, this_year + 1):
            days += [
                (date(year, 12, 24), "Kerstavond (middag en avond gesloten)"),
                (date(year, 12, 31), "Oudejaarsdag"),
            ]
        ClosingDay.objects.bulk_create(
            ClosingDay(organisation=organisation, date=d, reason=r)
            for d, r in days
            if d.weekday() < 5
        )


def _self_assessments(organisations: dict[str, Organisation]) -> None:
    norm_set = selectors.current_norm_set()
    if norm_set is None:
        return
    items = list(ChecklistItem.objects.filter(norm__norm_set=norm_set).select_related("norm"))
    # Maturity per organisation: the chance an item is met. Two rounds show progress.
    plans = {
        "amstelstad": [0.55, 0.75],
        "rijnwaard": [0.6],
        "heidedorp": [0.45],
        "provincie-zuidwaard": [0.5],
        "waterschap-lage-landen": [0.65],
    }
    for slug, rounds in plans.items():
        organisation = organisations[slug]
        if organisation.self_assessments.exists():
            continue
        rng = random.Random(slug)  # noqa: S311 - demo data, reproducible on purpose
        for round_number, maturity in enumerate(rounds):
            published = timezone.now() - timedelta(days=365 * (len(rounds) - 1 - round_number) + 30)
            assessment = SelfAssessment.objects.create(
                organisation=organisation,
                norm_set=norm_set,
                status=AssessmentStatus.PUBLISHED,
                published_at=published,
                summary="Jaarlijkse zelfevaluatie door het managementteam Dienstverlening.",
            )
            SelfAssessment.objects.filter(pk=assessment.pk).update(created_at=published)
            AssessmentAnswer.objects.bulk_create(
                AssessmentAnswer(
                    assessment=assessment,
                    item=item,
                    answer=_demo_answer(rng, maturity),
                    explanation="Besproken in het kwaliteitsoverleg.",
                    evidence_links=[f"https://{slug}.demo.burgerlink.localhost/kwaliteit"]
                    if rng.random() < 0.4
                    else [],
                )
                for item in items
            )


def _demo_answer(rng: random.Random, maturity: float) -> str:
    roll = rng.random()
    if roll < maturity:
        return "yes"
    if roll < maturity + (1 - maturity) / 2:
        return "partly"
    return "no"
