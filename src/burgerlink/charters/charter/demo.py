"""Demo charters for Amstelstad, Rijnwaard and Heidedorp; loading twice changes nothing.

Amstelstad has two published versions: version 1 from 1 January of last year and version 2
from 1 July of last year with a stricter e-mail norm, so a version changes mid-period and the
measurement has to pick the version valid on each record's date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from burgerlink.charters.charter import services
from burgerlink.charters.models import (
    Charter,
    CharterNorm,
    CharterVersion,
    CompensationKind,
    ModelNorm,
)
from burgerlink.core.models import Organisation


@dataclass(frozen=True)
class DemoNorm:
    """A library norm with the organisation's own choices."""

    code: str
    promise_nl: str
    promise_en: str = ""
    choices: dict[str, Any] = field(default_factory=dict)


APOLOGY = {
    "compensation_kind": CompensationKind.APOLOGY,
    "compensation_nl": "U krijgt van ons een schriftelijke excuusbrief.",
    "compensation_en": "We send you a written apology.",
}
FLOWERS = {
    "compensation_kind": CompensationKind.GIFT,
    "compensation_nl": "Wij bieden u excuses aan en sturen u een bloemenbon.",
    "compensation_en": "We apologise and send you a flower voucher.",
}
COFFEE = {
    "compensation_kind": CompensationKind.GIFT,
    "compensation_nl": "Wacht u langer, dan krijgt u een kopje koffie of thee van ons.",
    "compensation_en": "If you wait longer, we offer you a cup of coffee or tea.",
}
DWANGSOM = {
    "compensation_kind": CompensationKind.PENALTY_PER_DAY,
    "compensation_amount": Decimal("23"),
    "compensation_cap": Decimal("1442"),
    "compensation_nl": (
        "Beslissen wij te laat, stel ons dan in gebreke. Twee weken later krijgt u een "
        "dwangsom per dag dat wij te laat zijn (Awb 4:17)."
    ),
    "compensation_en": (
        "If we decide late, give us notice of default. Two weeks later you receive a penalty "
        "for every day we are late (General Administrative Law Act 4:17)."
    ),
}

AMSTELSTAD_V1 = [
    DemoNorm(
        "phone-answered",
        "Belt u ons op 14 020, dan neemt een medewerker binnen 25 seconden op.",
        "When you call 14 020, a person answers within 25 seconds.",
    ),
    DemoNorm(
        "counter-walk-in",
        "Komt u zonder afspraak naar het Stadskantoor, dan helpen wij u binnen 10 minuten.",
        "Without an appointment at the city office, we help you within 10 minutes.",
        COFFEE,
    ),
    DemoNorm(
        "email-answered",
        "Mailt u ons, dan krijgt u binnen 3 werkdagen antwoord.",
        "When you e-mail us, you get an answer within 3 working days.",
        {"threshold": Decimal("3")},
    ),
    DemoNorm(
        "letter-simple",
        "Een brief met een eenvoudige vraag beantwoorden wij binnen 2 weken.",
        "We answer a letter with a simple question within 2 weeks.",
        APOLOGY,
    ),
    DemoNorm(
        "social-answered",
        "Stelt u een vraag via sociale media, dan antwoorden wij binnen 4 uur.",
        "Ask us on social media and we answer within 4 hours.",
    ),
    DemoNorm(
        "report-feedback",
        "Doet u een melding over de openbare ruimte, dan hoort u binnen 10 werkdagen wat wij "
        "ermee doen.",
        "Report a problem in a public space and within 10 working days we tell you what we do.",
    ),
    DemoNorm(
        "complaint-handled",
        "Een klacht handelen wij binnen 6 weken af.",
        "We decide on a complaint within 6 weeks.",
        FLOWERS,
    ),
    DemoNorm(
        "permit-regular",
        "Over een complete aanvraag voor een omgevingsvergunning beslissen wij binnen 8 weken.",
        "We decide on a complete application for an environmental permit within 8 weeks.",
        DWANGSOM,
    ),
]
RIJNWAARD = [
    DemoNorm(
        "phone-answered",
        "Belt u ons, dan neemt een medewerker binnen 30 seconden op.",
        "When you call us, a person answers within 30 seconds.",
        {"threshold": Decimal("30"), "target_share": Decimal("0.75")},
    ),
    DemoNorm(
        "email-answered",
        "Mailt u ons, dan krijgt u binnen 3 werkdagen antwoord.",
        "",
        {"threshold": Decimal("3")},
    ),
    DemoNorm(
        "letter-simple",
        "Een brief met een eenvoudige vraag beantwoorden wij binnen 3 weken.",
        "",
        {"threshold": Decimal("3"), **APOLOGY},
    ),
    DemoNorm("complaint-handled", "Een klacht handelen wij binnen 6 weken af.", "", APOLOGY),
]
HEIDEDORP = [
    DemoNorm(
        "counter-appointment",
        "Heeft u een afspraak in het gemeentehuis, dan helpen wij u binnen 5 minuten.",
    ),
    DemoNorm(
        "email-answered",
        "Mailt u ons, dan krijgt u binnen 5 werkdagen antwoord.",
        "",
        {"threshold": Decimal("5")},
    ),
    DemoNorm("complaint-handled", "Een klacht handelen wij binnen 6 weken af."),
]


def _compose(version: CharterVersion, norms: list[DemoNorm]) -> None:
    library = {norm.code: norm for norm in ModelNorm.objects.filter(is_active=True)}
    for spec in norms:
        model_norm = library.get(spec.code)
        if model_norm is None:  # an operator retired this library norm; leave it out
            continue
        services.add_norm_from_model(
            version,
            model_norm,
            None,
            promise_nl=spec.promise_nl,
            promise_en=spec.promise_en,
            **spec.choices,
        )


def _amstelstad(organisation: Organisation, last_year: int) -> None:
    first = services.start_charter(organisation, title="Onze servicebeloften")
    services.update_intro(
        first,
        intro_nl=(
            "Amstelstad belooft u snelle en goede dienstverlening, aan de balie, aan de "
            "telefoon, per e-mail, per brief en online. Wij meten elke belofte en publiceren de "
            "resultaten elk kwartaal."
        ),
        intro_en=(
            "Amstelstad promises you fast and good service at the counter, on the phone, by "
            "e-mail, by letter and online. We measure every promise and publish the results "
            "every quarter."
        ),
    )
    _compose(first, AMSTELSTAD_V1)
    services.publish_version(first, date(last_year, 1, 1))
    second = services.new_draft_from(first)
    email = CharterNorm.objects.get(version=second, code="email-answered")
    services.update_norm(
        email,
        threshold=Decimal("2"),
        promise_nl="Mailt u ons, dan krijgt u binnen 2 werkdagen antwoord.",
        promise_en="When you e-mail us, you get an answer within 2 working days.",
    )
    services.publish_version(second, date(last_year, 7, 1))


def _single_version(organisation: Organisation, norms: list[DemoNorm], last_year: int) -> None:
    draft = services.start_charter(organisation)
    _compose(draft, norms)
    services.publish_version(draft, date(last_year, 1, 1))


def load_demo(write: Callable[[str], None]) -> None:
    """Create the demo charters that are missing (an organisation with a charter is skipped)."""
    last_year = timezone.localdate().year - 1
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=PLANS)}
    created = 0
    for slug, plan in PLANS.items():
        organisation = organisations.get(slug)
        if organisation is None or Charter.objects.filter(organisation=organisation).exists():
            continue
        with transaction.atomic():
            plan(organisation, last_year)
        created += 1
    write(f"Kwaliteitshandvesten: {created} nieuw.")


PLANS: dict[str, Callable[[Organisation, int], None]] = {
    "amstelstad": _amstelstad,
    "rijnwaard": lambda organisation, year: _single_version(organisation, RIJNWAARD, year),
    "heidedorp": lambda organisation, year: _single_version(organisation, HEIDEDORP, year),
}
