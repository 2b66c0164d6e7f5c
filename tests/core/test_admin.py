"""The operator's admin: only operators get in, published code versions stay untouched."""

from __future__ import annotations

import pytest

from burgerlink.core import selectors
from burgerlink.core.models import AuditEvent, Channel, Organisation, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_operator_maintains_the_catalogues(olaf_operator: User) -> None:
    client = client_for(olaf_operator)
    assert client.get("/beheer/").status_code == 200
    channel = Channel.objects.get(code="chat")
    response = client.post(
        f"/beheer/core/channel/{channel.pk}/change/",
        {
            "code": "chat",
            "name_nl": "Chat (webchat)",
            "name_en": "Chat",
            "position": 7,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name_nl == "Chat (webchat)"
    assert AuditEvent.objects.filter(action="admin.change", actor=olaf_operator).exists()


def test_staff_of_an_organisation_cannot_enter_the_admin(
    amstelstad: Organisation, anna_admin: User
) -> None:
    anna_admin.is_staff = True
    anna_admin.save()
    response = client_for(anna_admin).get("/beheer/")
    assert response.status_code == 302
    assert "/beheer/login/" in response["Location"]


def test_published_version_of_the_code_is_read_only(olaf_operator: User) -> None:
    norm_set = selectors.current_norm_set()
    assert norm_set is not None
    client = client_for(olaf_operator)
    norm = norm_set.norms.get(number=1)
    response = client.post(
        f"/beheer/core/norm/{norm.pk}/change/", {"name_nl": "Iets anders", "number": 1}
    )
    assert response.status_code == 403
    norm.refresh_from_db()
    assert norm.name_nl == "Keuzevrijheid contactkanaal"


def test_operator_drafts_a_new_version_from_the_admin(olaf_operator: User) -> None:
    norm_set = selectors.current_norm_set()
    assert norm_set is not None
    client_for(olaf_operator).post(
        "/beheer/core/normset/",
        {"action": "draft_next_version", "_selected_action": [norm_set.pk]},
    )
    assert selectors.current_norm_set() == norm_set
    from burgerlink.core.models import NormSet

    draft = NormSet.objects.get(version="2.2")
    assert draft.status == "draft"
    assert draft.norms.count() == 10
