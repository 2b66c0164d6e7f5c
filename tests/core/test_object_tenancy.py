"""Object-level tenancy: B's own slug with the ids of A's objects opens nothing of A's.

``test_tenancy.py`` proves that another organisation's slug gives 404. This module proves the
harder half: a member of Heidedorp (B), holding every role there and using Heidedorp's own slug,
asks every staff URL and every API operation that takes an object id for Amstelstad's (A)
objects, and gets 404 each time, to GET and to POST. As a control, A's own member reaches the
same URL (anything but 404), so each 404 is tenancy at work, not a wrong URL.

The URLs and operations are discovered from the URLconf and the OpenAPI document. An id in a new
URL is covered once ``STAFF_IDS`` (or ``API_IDS``) names which of A's objects it takes; until
then the discovery test fails, so no module slips past.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from burgerlink.charters.compensation import exports as claim_exports
from burgerlink.charters.compensation.services import (
    ClaimOutcome,
    register_missed_promises,
    submit_claim,
)
from burgerlink.charters.models import Charter, CharterVersion, VersionStatus
from burgerlink.core import selectors as core_selectors
from burgerlink.core import services as core_services
from burgerlink.core.models import (
    ClosingDay,
    Export,
    ExportStatus,
    Membership,
    Organisation,
    Role,
    SelfAssessment,
    User,
)
from burgerlink.participation.council.services import import_council_file
from burgerlink.participation.models import Decision
from burgerlink.surveys.models import Questionnaire
from burgerlink.surveys.results import exports as response_exports
from tests.charters.compensation.conftest import DAY, add_norm, code_for, make_batch, make_case
from tests.conftest import client_for, make_user
from tests.participation.council import popolo_sample
from tests.participation.petitions.conftest import publish, start
from tests.surveys.fieldwork.conftest import DEFINITION, make_wave
from tests.surveys.results.conftest import EVENTS, closed_wave, life_event_survey

STAFF_PREFIX = "medewerkers/<slug:slug>/"
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
CONVERTER_API = re.compile(r"\{(\w+)\}")

# Which of A's objects an id in a staff URL names: the route (after the staff prefix) up to and
# including the id, mapped to a key of ``FACTORIES``. A new URL with an id needs a line here.
STAFF_IDS = {
    "zelfevaluatie/<int:pk>": "self_assessment",
    "kalender/<int:pk>": "closing_day",
    "api-sleutels/<int:pk>": "api_token",
    "collega-s/<int:pk>": "membership",
    "collega-s/uitnodigingen/<int:pk>": "invitation",
    "handvest/versies/<int:pk>": "charter_version",
    "handvest/versies/<int:pk>/normen/<int:norm_pk>": "charter_norm",
    "imports/<int:pk>": "import_batch",
    "compensatie/exports/<int:export_id>": "claims_export",
    "compensatie/claims/<int:pk>": "claim",
    "onderzoek/vragenlijsten/<int:pk>": "questionnaire",
    "onderzoek/vragenlijsten/versies/<int:pk>": "questionnaire_version",
    "onderzoek/metingen/<int:wave_id>": "wave",
    "onderzoek/metingen/onderzoeken/<int:survey_id>": "survey",
    "onderzoek/resultaten/exports/<int:export_id>": "responses_export",
    "onderzoek/resultaten/<int:wave_id>": "results_wave",
    "petities/<int:pk>": "petition",
    "raad/import/<int:pk>": "council_import",
}

# The other parts of a staff URL, filled with real values of A's objects so A reaches the page.
STAFF_VALUES = {
    "code": "OVERALL",  # a question of DEFINITION
    "key": "oordeel",  # a page of DEFINITION
    "fmt": "csv",
    "file_format": "csv",
    "chart": "cijfers",
    "event": EVENTS[0],
}

# API path parameters that name one of A's objects: the path up to and including the parameter.
API_IDS = {
    "/api/v1/organisations/{slug}/questionnaire-versions/{version_id}": "questionnaire_version",
    "/api/v1/surveys/{survey_id}": "results_survey",
    "/api/v1/surveys/{survey_id}/waves/{wave_id}": "results_wave",
    "/api/v1/surveys/{survey_id}/waves/{wave_id}/compare/{other_wave_id}": "earlier_wave",
    "/api/v1/organisations/{slug}/council/decisions/{decision_id}": "council_decision",
    "/api/v1/organisations/{slug}/petitions/{petition_id}": "petition",
}
# Path parameters that name something no organisation owns.
API_PUBLIC = {"/api/v1/norms/{number}"}


class World:
    """A's objects, made on first use, each by its factory."""

    def __init__(self, organisation: Organisation, member: User) -> None:
        self.organisation = organisation
        self.member = member
        self._made: dict[str, Model] = {}

    def __getitem__(self, key: str) -> Model:
        if key not in self._made:
            self._made[key] = FACTORIES[key](self)
        return self._made[key]


def _charter_version(world: World) -> Model:
    charter = Charter.objects.create(organisation=world.organisation)
    return CharterVersion.objects.create(charter=charter, organisation=world.organisation, number=1)


def _charter_norm(world: World) -> Model:
    version = world["charter_version"]
    assert isinstance(version, CharterVersion)
    return add_norm(version, "vergunning", case_type="omgevingsvergunning")


def _claim(world: World) -> Model:
    charter = Charter.objects.create(organisation=world.organisation, title="Gepubliceerd")
    version = CharterVersion.objects.create(
        charter=charter,
        organisation=world.organisation,
        number=1,
        status=VersionStatus.PUBLISHED,
        valid_from=date(2025, 1, 1),
    )
    norm = add_norm(
        version,
        "klacht",
        case_type="klacht",
        compensation_kind="amount",
        compensation_amount=Decimal("25.00"),
    )
    make_case(norm, "Z-1", lateness=15 * DAY)
    register_missed_promises(organisation=world.organisation, record_kind="case")
    result = submit_claim(
        organisation=world.organisation,
        reference="Z-1",
        claim_code=code_for(world.organisation, "Z-1"),
        email="anna@example.org",
        name="Anna de Vries",
        iban="NL91ABNA0417164300",
        client_ip="192.0.2.1",
        base_url="https://burgerlink.example/",
    )
    assert result.outcome == ClaimOutcome.RECEIVED and result.claim is not None
    return result.claim


def _export(world: World, kind: str, subject: str) -> Export:
    """A finished export with its file, as the background job leaves it."""
    export = Export.objects.create(
        organisation=world.organisation,
        kind=kind,
        subject=subject,
        file_format="csv",
        status=ExportStatus.DONE,
        rows_done=1,
        rows_total=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    export.file.save("export.csv", ContentFile(b"kolom\n1\n"))
    return export


def _questionnaire(world: World) -> Model:
    return Questionnaire.objects.create(
        organisation=world.organisation, code="ervaring", title_nl="Ervaring", kind="custom"
    )


def _questionnaire_version(world: World) -> Model:
    questionnaire = world["questionnaire"]
    assert isinstance(questionnaire, Questionnaire)
    return questionnaire.versions.create(
        organisation=world.organisation, number=1, definition=DEFINITION
    )


def _survey(world: World) -> Model:
    questionnaire = world["questionnaire"]
    assert isinstance(questionnaire, Questionnaire)
    return questionnaire.surveys.create(organisation=world.organisation, title="Tevredenheid")


def _wave(world: World) -> Model:
    survey, version = world["survey"], world["questionnaire_version"]
    return make_wave(survey, version)  # type: ignore[arg-type]


def _results_wave(world: World) -> Model:
    survey = world["results_survey"]
    return closed_wave(survey, "meting dit jaar")  # type: ignore[arg-type]


def _earlier_wave(world: World) -> Model:
    world["results_wave"]
    survey = world["results_survey"]
    return closed_wave(survey, "meting vorig jaar", days_ago=400)  # type: ignore[arg-type]


def _council_import(world: World) -> Model:
    return import_council_file(
        organisation=world.organisation,
        stream=io.BytesIO(popolo_sample.as_bytes()),
        filename="raad.json",
    )


def _council_decision(world: World) -> Model:
    world["council_import"]
    return Decision.objects.filter(organisation=world.organisation).first()  # type: ignore[return-value]


FACTORIES: dict[str, Callable[[World], Model]] = {
    "self_assessment": lambda w: SelfAssessment.objects.create(
        organisation=w.organisation, norm_set=core_selectors.current_norm_set()
    ),
    "closing_day": lambda w: ClosingDay.objects.create(
        organisation=w.organisation, date=date(2030, 12, 27), reason="Brugdag"
    ),
    "api_token": lambda w: (
        core_services.issue_api_token(
            organisation=w.organisation, name="zaaksysteem", by=w.member
        ).token
    ),
    "membership": lambda w: Membership.objects.create(
        organisation=w.organisation, user=make_user("rita_research"), role=Role.RESEARCHER
    ),
    "invitation": lambda w: (
        core_services.invite_member(
            organisation=w.organisation,
            email="nieuw@example.org",
            role=Role.RESEARCHER,
            link_for=lambda secret: f"https://burgerlink.example/uitnodiging/{secret}/",
            by=w.member,
        ).invitation
    ),
    "charter_version": _charter_version,
    "charter_norm": _charter_norm,
    "import_batch": lambda w: make_batch(w.organisation),
    "claim": _claim,
    "claims_export": lambda w: _export(w, claim_exports.REGISTER, ""),
    "questionnaire": _questionnaire,
    "questionnaire_version": _questionnaire_version,
    "survey": _survey,
    "wave": _wave,
    "results_survey": lambda w: life_event_survey(w.organisation),
    "results_wave": _results_wave,
    "earlier_wave": _earlier_wave,
    "responses_export": lambda w: _export(w, response_exports.RESPONSES, str(w["results_wave"].pk)),
    "petition": lambda w: publish(start(w.organisation), w.member),
    "council_import": _council_import,
    "council_decision": _council_decision,
}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, route)
        else:
            routes.append(route)
    return routes


def staff_routes_with_ids() -> list[str]:
    """Every staff route (after the prefix) that names an object by a converter."""
    return [
        route.removeprefix(STAFF_PREFIX)
        for route in _routes(get_resolver().url_patterns)
        if route.startswith(STAFF_PREFIX) and CONVERTER.search(route.removeprefix(STAFF_PREFIX))
    ]


def api_operations(client: Client) -> list[tuple[str, str]]:
    """(method, path) of every API operation whose path names more than the organisation."""
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        if path in API_PUBLIC or not CONVERTER_API.search(path.replace("{slug}", "")):
            continue
        found += [(method, path) for method in operations]
    return found


def staff_url(route: str, world: World, slug: str) -> str:
    """The route filled with ``slug``, A's objects for its ids and real values for the rest."""
    url = route
    for match in CONVERTER.finditer(route):
        converter, name = match.groups()
        if converter == "int":
            key = STAFF_IDS[route[: match.end()]]
            url = url.replace(match.group(0), str(world[key].pk), 1)
        else:
            url = url.replace(match.group(0), STAFF_VALUES[name], 1)
    return f"/medewerkers/{slug}/{url}"


def api_url(path: str, world: World, slug: str) -> str:
    """The path filled with ``slug`` and A's objects."""
    url = path
    for match in CONVERTER_API.finditer(path):
        name = match.group(1)
        value = slug if name == "slug" else str(world[API_IDS[path[: match.end()]]].pk)
        url = url.replace(match.group(0), value, 1)
    return url


@contextmanager
def isolated() -> Iterator[None]:
    """Undo whatever one request changes, so every URL meets the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _request(client: Client, method: str, url: str, **extra: Any) -> HttpResponseBase:
    with isolated():
        if method == "get":
            return client.get(url, **extra)
        return client.generic(method.upper(), url, "{}", "application/json", **extra)


def _member_of_every_role(username: str, organisation: Organisation) -> User:
    user = make_user(username)
    for role in Role:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(amstelstad: Organisation, media: None) -> World:
    return World(amstelstad, _member_of_every_role("alex_amstelstad", amstelstad))


@pytest.fixture
def outsider(heidedorp: Organisation) -> User:
    """Holds every role in Heidedorp (B), none in Amstelstad (A)."""
    return _member_of_every_role("bea_heidedorp", heidedorp)


def test_every_id_in_a_staff_url_names_one_of_our_factories() -> None:
    unknown = []
    for route in staff_routes_with_ids():
        for match in CONVERTER.finditer(route):
            converter, name = match.groups()
            if converter == "int" and route[: match.end()] not in STAFF_IDS:
                unknown.append(route[: match.end()])
            if converter != "int" and name not in STAFF_VALUES:
                unknown.append(f"{route}: {name}")
    assert unknown == [], "add these to STAFF_IDS (and FACTORIES) or STAFF_VALUES: " + ", ".join(
        sorted(set(unknown))
    )
    assert set(STAFF_IDS.values()) <= set(FACTORIES)
    assert len(staff_routes_with_ids()) >= 50


@pytest.mark.django_db
def test_every_id_in_an_api_path_names_one_of_our_factories(client: Client) -> None:
    operations = api_operations(client)
    unknown = [
        path[: match.end()]
        for _method, path in operations
        for match in CONVERTER_API.finditer(path)
        if match.group(1) != "slug" and path[: match.end()] not in API_IDS
    ]
    assert unknown == [], "add these to API_IDS (and FACTORIES) or API_PUBLIC: " + ", ".join(
        unknown
    )
    assert set(API_IDS.values()) <= set(FACTORIES)
    assert len(operations) >= 4


@pytest.mark.django_db
def test_our_own_slug_with_their_ids_opens_no_staff_page(
    world: World, outsider: User, heidedorp: Organisation
) -> None:
    ours, theirs = client_for(outsider), client_for(world.member)
    leaks, unreachable = [], []
    for route in staff_routes_with_ids():
        url = staff_url(route, world, heidedorp.slug)
        # A method the URL does not take answers 405 before any lookup; every other gives 404.
        answers = {method: _request(ours, method, url).status_code for method in ("get", "post")}
        if set(answers.values()) - {404, 405} or 404 not in answers.values():
            leaks.append(f"{url}: {answers}")
        own = staff_url(route, world, world.organisation.slug)
        status = _request(theirs, "get", own).status_code
        if status == 405:
            status = _request(theirs, "post", own).status_code
        if status == 404:
            unreachable.append(own)
    assert leaks == [], "another organisation's objects answered: " + "; ".join(leaks)
    assert unreachable == [], "the control failed, the URL is wrong: " + "; ".join(unreachable)


@pytest.mark.django_db
def test_our_token_and_session_with_their_ids_open_no_api_operation(
    world: World, outsider: User, heidedorp: Organisation, client: Client
) -> None:
    our_token = core_services.issue_api_token(organisation=heidedorp, name="b", by=outsider).secret
    their_token = core_services.issue_api_token(
        organisation=world.organisation, name="a", by=world.member
    ).secret
    callers = {
        "token": (Client(), {"HTTP_AUTHORIZATION": f"Bearer {our_token}"}),
        "session": (client_for(outsider), {}),
    }
    leaks, unreachable = [], []
    for method, path in api_operations(client):
        url = api_url(path, world, heidedorp.slug)
        for name, (caller, headers) in callers.items():
            status = _request(caller, method, url, **headers).status_code
            if status != 404:
                leaks.append(f"{name} {method.upper()} {url}: {status}")
        own = api_url(path, world, world.organisation.slug)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {their_token}"}
        status = _request(Client(), method, own, **headers).status_code
        if status == 404:
            unreachable.append(own)
    assert leaks == [], "another organisation's objects answered: " + "; ".join(leaks)
    assert unreachable == [], "the control failed, the path is wrong: " + "; ".join(unreachable)
