"""Every model field explains itself: a Dutch help text with an English translation.

The help texts feed the admin's forms and, through ``core.api_support.model_field``, the OpenAPI
document. New apps and new fields are held to it without a list to update.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Field, Model
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from burgerlink.charters.models import Contact
from burgerlink.core.models import Channel, User
from tests.conftest import client_for


def _own_fields() -> list[tuple[type[Model], Field[object, object]]]:
    """Every concrete field each Burgerlink model declares (or takes from an abstract base)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("burgerlink."):
            continue
        for model in config.get_models():
            for field in model._meta.get_fields(include_parents=False):
                # auto_created: the automatic id and the parent link of multi-table inheritance.
                if not isinstance(field, Field) or field.auto_created or field.model is not model:
                    continue
                found.append((model, field))
    return found


def _name(model: type[Model], field: Field[object, object]) -> str:
    return f"{model._meta.label}.{field.name}"


def test_the_walk_sees_the_models_of_every_app() -> None:
    labels = {model._meta.app_label for model, _field in _own_fields()}
    assert {"core", "charters", "surveys"} <= labels
    assert len(_own_fields()) > 300


def test_every_model_field_has_a_help_text() -> None:
    missing = [_name(model, field) for model, field in _own_fields() if not field.help_text]
    assert missing == [], "fields without help_text: " + ", ".join(missing)


def test_every_help_text_is_dutch_with_an_english_translation() -> None:
    untranslatable = []
    untranslated = []
    for model, field in _own_fields():
        if not isinstance(field.help_text, Promise):
            untranslatable.append(_name(model, field))
            continue
        with translation.override("nl"):
            dutch = str(field.help_text)
        with translation.override("en"):
            english = str(field.help_text)
        if english == dutch:
            untranslated.append(f"{_name(model, field)}: {dutch!r}")
    assert untranslatable == [], "help_text without gettext_lazy: " + ", ".join(untranslatable)
    assert untranslated == [], "help_text without an English msgstr: " + "; ".join(untranslated)


@pytest.mark.django_db
def test_the_admin_form_shows_the_help_text(olaf_operator: User) -> None:
    response = client_for(olaf_operator).get("/beheer/core/channel/add/")
    assert response.status_code == 200
    with translation.override("nl"):
        expected = str(Channel._meta.get_field("code").help_text)
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_the_openapi_document_describes_fields_with_their_help_text(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    contact = schema["components"]["schemas"]["ContactIn"]["properties"]
    with translation.override("en"):
        received = str(Contact._meta.get_field("received_at").help_text)
        answered = str(Contact._meta.get_field("answered").help_text)
    assert contact["received_at"]["description"] == received
    assert contact["answered"]["description"] == answered
    assert received.startswith("Moment of receipt")
