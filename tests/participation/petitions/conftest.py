"""Petitions in Amstelstad, signers, and the links their e-mails hold."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail

from burgerlink.core.models import Membership, Organisation, Role, User
from burgerlink.participation.models import Petition
from burgerlink.participation.petitions import services
from burgerlink.participation.petitions.forms import timing_stamp
from burgerlink.participation.petitions.services import Decision
from tests.conftest import make_user

BASE = "https://burgerlink.example/"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+/petities/bevestigen/([\w-]+)/")


@pytest.fixture(autouse=True)
def recount_at_once(settings: Any) -> None:
    """Every confirmation asks for a recount (production batches them per few seconds)."""
    settings.PETITION_RECOUNT_SECONDS = 0


@pytest.fixture
def petra_participation(amstelstad: Organisation) -> User:
    """Participation officer (moderator) of Amstelstad."""
    user = make_user("petra_participation", first_name="Petra")
    Membership.objects.create(user=user, organisation=amstelstad, role=Role.PARTICIPATION_OFFICER)
    return user


def start(
    organisation: Organisation, title: str = "Een zebrapad bij de Dorpsschool", text: str = ""
) -> Petition:
    """A petition as the public form submits it (pending moderation)."""
    return services.start_petition(
        organisation=organisation,
        title=title,
        text=text
        or "Kinderen steken elke ochtend de drukke Schoolstraat over zonder zebrapad; graag een oversteekplaats.",
        petitioner_name="Ouderraad",
        petitioner_email="ouderraad@example.org",
        language="nl",
        base_url=BASE,
    ).petition


def publish(petition: Petition, by: User) -> Petition:
    """Publish a petition as a moderator."""
    return services.moderate_petition(
        petition=petition,
        decision=Decision.PUBLISH,
        reason="",
        by=by,
    )


@pytest.fixture
def petition(amstelstad: Organisation, petra_participation: User) -> Petition:
    """A published petition collecting signatures (the mailbox emptied)."""
    published = publish(start(amstelstad), petra_participation)
    mail.outbox.clear()
    return published


def sign(
    petition: Petition,
    email: str = "anna@example.org",
    *,
    name: str = "Anna de Vries",
    place: str = "Amstelstad",
    show_name: bool = False,
    client_ip: str = "192.0.2.1",
) -> services.SignOutcome:
    """Sign through the service, as the form does."""
    return services.sign_petition(
        petition=petition,
        name=name,
        show_name=show_name,
        email=email,
        place=place,
        language="nl",
        client_ip=client_ip,
        base_url=BASE,
    )


def last_token() -> str:
    """The confirmation token in the latest e-mail."""
    for message in reversed(mail.outbox):
        found = CONFIRM_LINK.search(message.body)
        if found:
            return found.group(1)
    raise AssertionError("no confirmation link mailed")


def sign_and_confirm(petition: Petition, email: str, **extra: Any) -> None:
    """Sign and press the confirm button."""
    assert sign(petition, email, **extra) == services.SignOutcome.MAILED
    assert services.confirm_signature(token=last_token()) == services.ConfirmOutcome.CONFIRMED


def old_stamp() -> str:
    """A form stamp from a minute ago (a person took their time)."""
    return timing_stamp(time.time() - 60)
