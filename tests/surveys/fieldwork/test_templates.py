"""Sample and response file templates: downloadable from their import pages, importable as is."""

from __future__ import annotations

import io

import pytest

from burgerlink.core.models import User
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import Invitee, Response, Wave
from tests.conftest import client_for
from tests.core.files.conftest import xlsx

STAFF = "/medewerkers/amstelstad/onderzoek/metingen/"


def download(user: User, url: str) -> bytes:
    response = client_for(user).get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sample_template_imports_as_it_is(wave: Wave, bram_researcher: User, fmt: str) -> None:
    page = client_for(bram_researcher).get(f"{STAFF}{wave.pk}/steekproef/").content.decode()
    url = f"{STAFF}{wave.pk}/steekproef/voorbeeld.{fmt}"
    assert f'href="{url}"' in page
    result = services.import_sample(
        wave, io.BytesIO(download(bram_researcher, url)), by=bram_researcher
    )
    assert result.created == 2
    assert result.ignored_columns == []
    by_mail = Invitee.objects.get(wave=wave, email="anna.jansen@example.org")
    targets = services.weighting_targets(wave)
    # Every weighting variable filled with one of its categories (which one depends on the
    # order the database keeps them in).
    assert by_mail.background.keys() == targets.keys()
    assert all(value in targets[name] for name, value in by_mail.background.items())
    assert Invitee.objects.get(wave=wave, email="").postal_address.count("\n") == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_response_template_imports_as_it_is(
    wave: Wave, bram_researcher: User, fmt: str
) -> None:
    page = client_for(bram_researcher).get(f"{STAFF}{wave.pk}/responsen-importeren/")
    url = f"{STAFF}{wave.pk}/responsen-importeren/voorbeeld.{fmt}"
    assert f'href="{url}"' in page.content.decode()
    result = services.import_responses(
        wave,
        io.BytesIO(download(bram_researcher, url)),
        filename=f"voorbeeld.{fmt}",
        by=bram_researcher,
    )
    assert (result.created, result.file_format) == (1, fmt)
    answers = dict(Response.objects.get(wave=wave).answers.values_list("code", "number"))
    assert answers["OVERALL"] == 8
    assert answers["CHANNEL"] == 1


def test_a_sample_in_excel_is_read(wave: Wave) -> None:
    book = xlsx([["E-mail", "Taal", "Age_group"], ["kees@example.org", "en", "65+"]])
    result = services.import_sample(wave, book, by=None)
    assert result.created == 1
    invitee = Invitee.objects.get(wave=wave)
    assert (invitee.email, invitee.language, invitee.background) == (
        "kees@example.org",
        "en",
        {"age_group": "65+"},
    )


def test_templates_in_other_formats_are_404(wave: Wave, bram_researcher: User) -> None:
    client = client_for(bram_researcher)
    assert client.get(f"{STAFF}{wave.pk}/steekproef/voorbeeld.pdf").status_code == 404
    assert client.get(f"{STAFF}{wave.pk}/responsen-importeren/voorbeeld.sav").status_code == 404
