"""Organisations: size classes, official codes, and colours that stay readable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from burgerlink.core.colours import contrast_ratio
from burgerlink.core.models import Organisation, OrganisationKind, SizeClass, size_class_for


@pytest.mark.parametrize(
    ("inhabitants", "expected"),
    [
        (None, SizeClass.NONE),
        (9_999, SizeClass.XS),
        (10_000, SizeClass.S),
        (49_999, SizeClass.M),
        (50_000, SizeClass.L),
        (152_000, SizeClass.XL),
        (250_000, SizeClass.XXL),
    ],
)
def test_size_class_follows_inhabitants(inhabitants: int | None, expected: str) -> None:
    assert size_class_for(inhabitants) == expected


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def _organisation(**overrides: object) -> Organisation:
    values: dict[str, object] = {
        "kind": OrganisationKind.MUNICIPALITY,
        "name": "Gemeente Proef",
        "slug": "proef",
        "official_code": "GM0001",
        "inhabitants": 12_000,
    }
    values.update(overrides)
    return Organisation(**values)


def test_valid_organisation_passes_validation(db: None) -> None:
    organisation = _organisation()
    organisation.full_clean()
    organisation.save()
    assert organisation.size_class == SizeClass.S


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"official_code": "0363"}, "official_code"),
        ({"kind": OrganisationKind.PROVINCE, "official_code": "GM0363"}, "official_code"),
        ({"kind": OrganisationKind.NATIONAL_AGENCY, "official_code": "123"}, "official_code"),
        ({"primary_colour": "#ffcc00"}, "primary_colour"),
        ({"accent_colour": "#aaaaaa"}, "accent_colour"),
        ({"primary_colour": "red"}, "primary_colour"),
    ],
)
def test_invalid_organisation_names_the_field(
    overrides: dict[str, object], field: str, db: None
) -> None:
    with pytest.raises(ValidationError) as error:
        _organisation(**overrides).full_clean()
    assert field in error.value.message_dict
