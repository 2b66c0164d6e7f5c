"""Public pages cached by data version: hits, changes that show at once, and what is never cached."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from burgerlink.core.models import ClosingDay, DataVersion, Organisation
from burgerlink.core.pagecache import bump_data_version, data_versions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PAGE = "/organisaties/amstelstad/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_second_anonymous_visit_is_served_from_the_cache(amstelstad: Organisation) -> None:
    first = Client().get(PAGE)
    second = Client().get(PAGE)

    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert "Gemeente Amstelstad" in second.content.decode()


def test_every_visitor_gets_a_csrf_token_of_their_own(amstelstad: Organisation) -> None:
    Client().get(PAGE)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(PAGE)
    assert page["X-Page-Cache"] == "hit"
    token = TOKEN.search(page.content.decode())
    assert token is not None and "\x00" not in token.group(1)

    # The cached page's language switch works with this visitor's own cookie.
    switched = visitor.post(
        "/taal/", {"language": "en", "next": PAGE, "csrfmiddlewaretoken": token.group(1)}
    )
    assert switched.status_code == 302


def test_a_new_closing_day_shows_at_once(amstelstad: Organisation) -> None:
    Client().get(PAGE)
    ClosingDay.objects.create(
        organisation=amstelstad, date=timezone.localdate() + timedelta(days=3), reason="Brugdag"
    )

    page = Client().get(PAGE)

    assert "X-Page-Cache" not in page
    assert data_versions([amstelstad.pk])[amstelstad.pk] >= 1


def test_pages_of_signed_in_people_and_claim_forms_are_never_cached(
    amstelstad: Organisation,
) -> None:
    staff = Client()
    staff.force_login(make_user("kees_kwaliteit"))
    staff.get(PAGE)
    assert "X-Page-Cache" not in staff.get(PAGE)
    Client().get(PAGE + "compensatie/")
    assert "X-Page-Cache" not in Client().get(PAGE + "compensatie/")


def test_the_cache_can_be_turned_off(amstelstad: Organisation, settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    Client().get(PAGE)
    assert "X-Page-Cache" not in Client().get(PAGE)


def test_bumps_raise_the_organisation_and_the_platform(amstelstad: Organisation) -> None:
    before = data_versions([0, amstelstad.pk])
    bump_data_version(organisation_id=amstelstad.pk)
    bump_data_version()
    after = data_versions([0, amstelstad.pk])

    assert after[0] == before[0] + 2
    assert after[amstelstad.pk] == before[amstelstad.pk] + 1
    assert DataVersion.objects.filter(scope=amstelstad.pk).count() == 1
