"""Shared fixtures: named example people and organisations (anna_admin, bram_researcher, ...).

Commits, as production sees them
--------------------------------
A test marked ``django_db`` runs inside a transaction that is rolled back at the end, so nothing
the code under test writes ever commits, and ``transaction.on_commit`` callbacks (mail through
``core.notify``, tasks through ``core.tasks``) would never run. ``commit_boundaries`` below
makes the test transaction behave like autocommit for the code under test:

- when the code's outermost ``transaction.atomic`` block ends without error (in production: the
  commit), its on-commit callbacks run right there, in order, before the code returns;
- when that block ends with an error (in production: the rollback), its callbacks are dropped;
- ``on_commit`` outside any block of the code (a management command) runs at once.

So tasks (run inline by the ``immediate`` task backend under pytest) and e-mails happen after
the action's transaction, in the order production has, and a test can check the order itself:
inside its own ``with transaction.atomic():`` nothing has been sent yet; after it, it has. No
``django_capture_on_commit_callbacks`` is needed. Tests marked ``transaction=True`` (and the
live server of the browser tests) commit for real and need none of this.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import Atomic
from django.test import Client
from django.utils import translation

from burgerlink.core.models import Membership, Organisation, OrganisationKind, Role, User

PASSWORD = "correct-horse-battery-staple"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _only_test_blocks_open(connection: BaseDatabaseWrapper) -> bool:
    """True when every open atomic block is the test's own: the code under test is in autocommit."""
    blocks = connection.atomic_blocks
    return bool(blocks) and all(block._from_testcase for block in blocks)


def _run_commit_hooks(connection: BaseDatabaseWrapper) -> None:
    """Run the pending callbacks as Django does after a real commit (in order, once)."""
    pending, connection.run_on_commit = connection.run_on_commit, []
    while pending:
        _, callback, robust = pending.pop(0)
        if robust:
            try:
                callback()
            except Exception:
                # As Django does for a robust callback: log the error, go on with the next.
                logging.getLogger("django.db.backends.base").exception("on_commit callback")
        else:
            callback()


@pytest.fixture(autouse=True, scope="session")
def commit_boundaries() -> Iterator[None]:
    """Run on-commit callbacks where production commits (see the module docstring)."""
    real_exit = Atomic.__exit__
    real_on_commit = BaseDatabaseWrapper.on_commit

    def exit_and_commit(self: Atomic, exc_type: Any, exc: Any, traceback: Any) -> Any:
        connection = connections[self.using or DEFAULT_DB_ALIAS]
        failed = exc_type is not None or connection.needs_rollback
        result = real_exit(self, exc_type, exc, traceback)
        if getattr(self, "_from_testcase", False) or not _only_test_blocks_open(connection):
            return result
        if failed:  # production rolls back here: the block's callbacks never run
            connection.run_on_commit = []
        else:  # production commits here
            _run_commit_hooks(connection)
        return result

    def on_commit(self: BaseDatabaseWrapper, func: Any, robust: bool = False) -> None:
        if _only_test_blocks_open(self):
            self.run_on_commit.append((set(self.savepoint_ids), func, robust))
            _run_commit_hooks(self)
        else:
            real_on_commit(self, func, robust)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Atomic, "__exit__", exit_and_commit)
        patch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
        yield


@pytest.fixture(autouse=True)
def dutch_after_each_test() -> Iterator[None]:
    """Each test starts in Dutch: a request in English leaves English active in the thread."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_legal_calendar() -> None:
    """Each test builds the legal calendar from its own database (rolled-back rows must not linger)."""
    from burgerlink.core.selectors import forget_legal_calendar

    forget_legal_calendar()


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: data versions repeat when a test's rows roll back."""
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture(autouse=True)
def no_writes_on_get(settings: Any) -> None:
    """Every GET and HEAD in every test fails when it writes to the database (tests/guards.py)."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.guards.NoWritesOnGet"]


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
