"""Run one import on a file-based SQLite database and log in from another thread meanwhile.

Started as its own process by ``test_write_lock.py`` (``python -m tests.core.files.write_lock_probe
KIND``, with ``DATABASE_URL`` naming a migrated SQLite file), because the test process's own
database is an in-memory one. The import runs on this process's main thread and connection; its
progress callback, called while the file is still being read, has a second thread (so a second
connection) log in with a wrong and then the right password, which writes a ``LoginFailure`` row
and a session. SQLite's busy timeout is one second here: if the import held the database's write
lock, the login would fail with "database is locked". Prints what happened as JSON.
"""

from __future__ import annotations

import io
import json
import sys
import threading
from typing import Any

import django

PASSWORD = "correct-horse-battery-staple"


def _prepare() -> None:
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    settings.DATABASES["default"]["OPTIONS"]["timeout"] = 1
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()


class LoginMeanwhile:
    """A progress callback that logs in from another thread the first time it is called."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.outcome: dict[str, Any] = {}

    def __call__(self, rows: int) -> None:
        if self.outcome:
            return
        self.outcome["rows_read"] = rows
        thread = threading.Thread(target=self._log_in)
        thread.start()
        thread.join(60)

    def _log_in(self) -> None:
        from django.db import connections
        from django.test import Client

        from burgerlink.core.models import LoginFailure

        try:
            client = Client()
            wrong = client.post("/inloggen/", {"username": self.username, "password": "wrong"})
            self.outcome["failures_counted"] = LoginFailure.objects.count()
            right = client.post("/inloggen/", {"username": self.username, "password": PASSWORD})
            self.outcome["wrong_password"] = wrong.status_code
            self.outcome["right_password"] = right.status_code
        except Exception as error:  # noqa: BLE001 - reported to the test as it is
            self.outcome["error"] = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()


def _people() -> tuple[Any, Any]:
    from burgerlink.core.models import Organisation, OrganisationKind, User

    organisation = Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY, name="Gemeente Amstelstad", slug="amstelstad"
    )
    user = User.objects.create_user(username="anna_admin", password=PASSWORD)
    return organisation, user


def _records(organisation: Any, progress: LoginMeanwhile) -> dict[str, Any]:
    from burgerlink.charters.models import Contact
    from burgerlink.charters.records.services import import_file

    lines = "".join(f"C{i},phone,2025-03-07T09:00:00+01:00,{i % 60}\n" for i in range(3_000))
    data = ("source_id,channel,received_at,wait_seconds\n" + lines).encode()
    batch = import_file(
        organisation=organisation,
        kind="contacts",
        stream=io.BytesIO(data),
        filename="contacts.csv",
        progress=progress,
    )
    return {"stored": Contact.objects.count(), "created": batch.rows_created}


def _wave(organisation: Any) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from burgerlink.surveys.fieldwork import services
    from burgerlink.surveys.models import Questionnaire, QuestionnaireVersion, Survey
    from tests.surveys.fieldwork.conftest import DEFINITION, WEIGHTING

    questionnaire = Questionnaire.objects.create(
        organisation=organisation, code="ervaring", title_nl="Ervaring"
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, organisation=organisation, number=1, definition=DEFINITION
    )
    survey = Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title="Tevredenheid"
    )
    now = timezone.now()
    return services.create_wave(
        survey=survey,
        version=version,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        by=None,
        name="meting",
        anonymous=True,
        weighting=WEIGHTING,
        reminder_days=[7],
        retention_days=90,
    )


def _sample(organisation: Any, progress: LoginMeanwhile) -> dict[str, Any]:
    from burgerlink.surveys.fieldwork import services
    from burgerlink.surveys.models import Invitee

    wave = _wave(organisation)
    lines = "".join(f"persoon{i}@example.org;18-34\n" for i in range(2_000))
    result = services.import_sample(
        wave, io.BytesIO(("email;age_group\n" + lines).encode()), by=None, progress=progress
    )
    return {"stored": Invitee.objects.count(), "created": result.created}


def _responses(organisation: Any, progress: LoginMeanwhile) -> dict[str, Any]:
    from burgerlink.surveys.fieldwork import services
    from burgerlink.surveys.models import Response

    wave = _wave(organisation)
    lines = "".join(f"B{i};{i % 10 + 1}\n" for i in range(2_000))
    result = services.import_responses(
        wave,
        io.BytesIO(("external_id;OVERALL\n" + lines).encode()),
        filename="bureau.csv",
        by=None,
        progress=progress,
    )
    return {"stored": Response.objects.count(), "created": result.created}


KINDS = {"records": _records, "sample": _sample, "responses": _responses}


def main(kind: str) -> None:
    """Run the import of ``kind`` with a login in the middle; print the outcome as JSON."""
    _prepare()
    from burgerlink.core.models import LoginFailure

    organisation, user = _people()
    progress = LoginMeanwhile(user.username)
    outcome = KINDS[kind](organisation, progress)
    outcome.update(progress.outcome)
    outcome["login_failures"] = LoginFailure.objects.count()
    sys.stdout.write(json.dumps(outcome) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
