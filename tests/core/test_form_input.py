"""Forms take input as people write it: dates through the browser's date field, percentages as 85.

The date rule is checked on every form class of the project (discovered by importing every
module), so a form added later with a plain text date or a Dutch-formatted value is caught.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

import burgerlink
from burgerlink.core.forms import PercentField, date_help


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(burgerlink.__path__, "burgerlink."):
        name = module.name
        if ".migrations" in name or name.endswith((".wsgi", ".cli", ".__main__")):
            continue
        importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("burgerlink."):
                found.append(sub)
    return found


FORM_CLASSES = _project_form_classes()
DUTCH_DATE = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b")
# Participation is being built by another team right now; its date filters show an example in
# words ("1 januari 2026") and move to core.forms.date_help when that work lands.
HELP_TEXT_PENDING = ("burgerlink.participation.",)


def _date_fields() -> list[tuple[str, forms.DateField]]:
    fields = []
    for form_class in FORM_CLASSES:
        for name, field in getattr(form_class, "base_fields", {}).items():
            if isinstance(field, forms.DateField):
                fields.append((f"{form_class.__module__}.{form_class.__name__}.{name}", field))
    return fields


DATE_FIELDS = _date_fields()


def test_the_forms_with_dates_are_found() -> None:
    names = {name.rsplit(".", 1)[-1] for name, _field in DATE_FIELDS}
    assert {"date", "valid_from", "opens_on", "closes_on", "van", "tot"} <= names


@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[n for n, _f in DATE_FIELDS])
def test_every_date_field_is_the_browsers_date_field_with_an_iso_value(
    name: str, field: forms.DateField
) -> None:
    with translation.override("nl"):
        html = field.widget.render("d", date(2026, 12, 7))
        assert 'type="date"' in html
        assert 'value="2026-12-07"' in html  # a Dutch value (07-12-2026) would show empty
        if not name.startswith(HELP_TEXT_PENDING):
            assert DUTCH_DATE.search(str(field.help_text)), f"{name}: no Dutch example in the help"
        # A browser without a date picker sends the date as typed.
        assert field.clean("7-12-2026") == date(2026, 12, 7)
        assert field.clean("2026-12-07") == date(2026, 12, 7)


def test_date_help_reads_in_the_language_of_the_page() -> None:
    help_text = date_help("1-3-2026")
    with translation.override("nl"):
        assert str(help_text) == "Dag-maand-jaar, bijvoorbeeld 1-3-2026."
    with translation.override("en"):
        assert str(help_text) == "Day-month-year, for example 1-3-2026."


@pytest.mark.parametrize(
    ("typed", "share"),
    [
        ("85", Decimal("0.8500")),
        ("85%", Decimal("0.8500")),
        (" 85 % ", Decimal("0.8500")),
        ("85,5", Decimal("0.8550")),
        ("85.5", Decimal("0.8550")),
        ("100", Decimal("1.0000")),
        ("99,95", Decimal("0.9995")),
    ],
)
def test_a_percentage_is_typed_as_people_write_it(typed: str, share: Decimal) -> None:
    assert PercentField(min_percent=1).clean(typed) == share


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0,85", "ten minste 1%"),  # the old way (a share) is refused, not stored as 0.85 %
        ("101", "hoogstens 100%"),
        ("veel", "Vul een percentage in"),
        ("1.234,5", "Vul een percentage in"),
    ],
)
def test_a_percentage_out_of_range_is_refused_in_plain_dutch(typed: str, message: str) -> None:
    with translation.override("nl"), pytest.raises(forms.ValidationError) as error:
        PercentField(min_percent=1).clean(typed)
    assert message in " ".join(error.value.messages)


def test_a_stored_share_is_shown_as_a_percentage() -> None:
    class Form(forms.Form):
        target = PercentField()

    with translation.override("nl"):
        assert 'value="85,5"' in str(Form(initial={"target": Decimal("0.8550")})["target"])
        assert 'value="80"' in str(Form(initial={"target": Decimal("0.8000")})["target"])
    with translation.override("en"):
        assert 'value="85.5"' in str(Form(initial={"target": Decimal("0.8550")})["target"])
    # After an error the text as typed comes back.
    bound = Form(data={"target": "veel"})
    assert not bound.is_valid()
    assert 'value="veel"' in str(bound["target"])
