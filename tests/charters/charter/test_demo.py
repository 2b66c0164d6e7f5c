"""The demo step creates the charters once; running it again changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from burgerlink.charters.charter.demo import load_demo
from burgerlink.charters.models import Charter, CharterNorm, CharterVersion, VersionStatus
from burgerlink.core import demo
from burgerlink.core.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        model._meta.label: sorted(
            model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])
        )
        for model in (Charter, CharterVersion, CharterNorm)
    }


def test_the_step_is_registered() -> None:
    assert "Kwaliteitshandvesten" in demo._STEPS


def test_demo_charters_load_once(amstelstad: Organisation, heidedorp: Organisation) -> None:
    Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY, name="Gemeente Rijnwaard", slug="rijnwaard"
    )
    lines: list[str] = []
    load_demo(lines.append)
    first = _snapshot()
    load_demo(lines.append)
    assert _snapshot() == first
    assert lines == ["Kwaliteitshandvesten: 3 nieuw.", "Kwaliteitshandvesten: 0 nieuw."]

    last_year = timezone.localdate().year - 1
    versions = list(CharterVersion.objects.filter(organisation=amstelstad).order_by("number"))
    assert [(v.number, v.status, v.valid_from, v.valid_to) for v in versions] == [
        (1, VersionStatus.SUPERSEDED, date(last_year, 1, 1), date(last_year, 7, 1)),
        (2, VersionStatus.PUBLISHED, date(last_year, 7, 1), None),
    ]
    codes = set(versions[1].norms.values_list("code", flat=True))
    assert codes == {
        "phone-answered",
        "counter-walk-in",
        "email-answered",
        "letter-simple",
        "social-answered",
        "report-feedback",
        "complaint-handled",
        "permit-regular",
    }
    emails = [v.norms.get(code="email-answered").threshold for v in versions]
    assert emails == [Decimal("3"), Decimal("2")]  # stricter from July
    permit = versions[1].norms.get(code="permit-regular")
    assert (permit.compensation_kind, permit.compensation_amount) == ("penalty_per_day", 23)
    for organisation in (heidedorp, Organisation.objects.get(slug="rijnwaard")):
        only = CharterVersion.objects.get(organisation=organisation)
        assert (only.status, only.valid_from) == (VersionStatus.PUBLISHED, date(last_year, 1, 1))
        assert 0 < only.norms.count() < len(codes)
