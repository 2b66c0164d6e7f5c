"""The demo world loads once; loading it again changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from burgerlink.core.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SelfAssessment,
    User,
)

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        model._meta.label: sorted(
            model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])
        )
        for model in apps.get_app_config("core").get_models()
        if model._meta.label not in {"core.AuditEvent", "core.LoginFailure"}
    }


def test_demo_world_has_every_kind_of_organisation_and_role(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo")
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {k.value for k in OrganisationKind if k != OrganisationKind.OTHER}
    sizes = set(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list(
            "size_class", flat=True
        )
    )
    assert len(sizes) == 3  # a large, a mid-size and a small municipality
    assert set(Membership.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert User.objects.filter(is_platform_operator=True).exists()
    assert SelfAssessment.objects.filter(status="published").count() >= 5
    out = capsys.readouterr().out
    assert "anna.admin" in out and "olaf.operator" in out


def test_loading_the_demo_world_twice_changes_nothing() -> None:
    call_command("demo")
    first = _snapshot()
    call_command("demo")
    assert _snapshot() == first


def test_demo_passwords_work() -> None:
    call_command("demo")
    user = User.objects.get(username="kees.kwaliteit")
    assert user.check_password("burgerlink-demo")
