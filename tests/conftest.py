"""Shared fixtures: named example people and organisations (anna_admin, bram_researcher, ...)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from burgerlink.core.models import Membership, Organisation, OrganisationKind, Role, User

PASSWORD = "correct-horse-battery-staple"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_legal_calendar() -> None:
    """Each test builds the legal calendar from its own database (rolled-back rows must not linger)."""
    from burgerlink.core.selectors import forget_legal_calendar

    forget_legal_calendar()


@pytest.fixture(autouse=True)
def small_demo_volumes(settings: Any) -> None:
    """The demo world's synthetic records at 2% of their realistic volume: same shape, less wait."""
    settings.DEMO_RECORDS_SCALE = 0.02


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.

    ``test_passwords_are_hashed_with_argon2`` checks the production hasher explicitly.
    """
    settings.PASSWORD_HASHERS = FAST_HASHERS


def make_user(username: str, **extra: object) -> User:
    """Create a user with the shared test password."""
    return User.objects.create_user(username=username, password=PASSWORD, **extra)  # type: ignore[arg-type]


@pytest.fixture
def amstelstad(db: None) -> Organisation:
    """A large municipality."""
    return Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name="Gemeente Amstelstad",
        slug="amstelstad",
        official_code="GM9901",
        inhabitants=152_000,
    )


@pytest.fixture
def heidedorp(db: None) -> Organisation:
    """A small municipality: the 'other organisation' in tenancy tests."""
    return Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY,
        name="Gemeente Heidedorp",
        slug="heidedorp",
        official_code="GM9903",
        inhabitants=9_400,
    )


def _member(username: str, organisation: Organisation, role: str) -> User:
    user = make_user(username, first_name=username.split("_")[0].title())
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def anna_admin(amstelstad: Organisation) -> User:
    """Administrator of Amstelstad."""
    return _member("anna_admin", amstelstad, Role.ADMINISTRATOR)


@pytest.fixture
def kees_quality(amstelstad: Organisation) -> User:
    """Quality manager of Amstelstad."""
    return _member("kees_quality", amstelstad, Role.QUALITY_MANAGER)


@pytest.fixture
def bram_researcher(amstelstad: Organisation) -> User:
    """Researcher of Amstelstad."""
    return _member("bram_researcher", amstelstad, Role.RESEARCHER)


@pytest.fixture
def carla_comms(amstelstad: Organisation) -> User:
    """Communications officer of Amstelstad."""
    return _member("carla_comms", amstelstad, Role.COMMUNICATIONS)


@pytest.fixture
def henk_heidedorp(heidedorp: Organisation) -> User:
    """Administrator of Heidedorp, who must see nothing of Amstelstad."""
    return _member("henk_heidedorp", heidedorp, Role.ADMINISTRATOR)


@pytest.fixture
def olaf_operator(db: None) -> User:
    """A platform operator who maintains the catalogues."""
    return make_user("olaf_operator", is_platform_operator=True, is_staff=True)


@pytest.fixture
def anna_citizen(db: None) -> User:
    """A citizen with an account but no role anywhere."""
    return make_user("anna_citizen")


def client_for(user: User) -> Client:
    """Return a test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client
