"""Staff pages of the charter: roles, composing a draft, publishing, review warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from burgerlink.charters.charter import services
from burgerlink.charters.models import Charter, CharterVersion, ModelNorm, VersionStatus
from burgerlink.core.models import AuditEvent, Organisation, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OVERVIEW = "/medewerkers/amstelstad/handvest/"


def _version_url(version: CharterVersion, suffix: str = "") -> str:
    return f"{OVERVIEW}versies/{version.pk}/{suffix}"


def test_quality_manager_may_and_communications_may_not(
    amstelstad: Organisation, kees_quality: User, carla_comms: User
) -> None:
    assert client_for(kees_quality).get(OVERVIEW).status_code == 200
    communications = client_for(carla_comms)
    assert communications.get(OVERVIEW).status_code == 403
    assert communications.post(OVERVIEW, {"title": ""}).status_code == 403
    assert communications.get(OVERVIEW + "beoordeling/").status_code == 403
    assert not Charter.objects.exists()


def test_staff_menu_and_dashboard_panel(
    amstelstad: Organisation, kees_quality: User, carla_comms: User
) -> None:
    html = client_for(kees_quality).get("/medewerkers/amstelstad/").content.decode()
    assert f'href="{OVERVIEW}"' in html
    assert "Nog geen kwaliteitshandvest." in html
    # Everyone sees the panel; only who may manage the charter gets the staff link.
    html = client_for(carla_comms).get("/medewerkers/amstelstad/").content.decode()
    assert "Nog geen kwaliteitshandvest." in html
    assert f'href="{OVERVIEW}"' not in html


def test_compose_and_publish_a_charter_in_the_browser(
    amstelstad: Organisation, kees_quality: User, library: dict[str, ModelNorm]
) -> None:
    client = client_for(kees_quality)
    start = client.post(OVERVIEW, {"title": "Onze beloften"})
    draft = CharterVersion.objects.get(organisation=amstelstad)
    assert start["Location"] == _version_url(draft)

    page = client.get(_version_url(draft, "bibliotheek/"))
    html = page.content.decode()
    assert "<legend>Telefoon</legend>" in html
    assert "<legend>Omgevingsvergunning regulier</legend>" in html
    chosen = [library["phone-answered"].pk, library["email-answered"].pk]
    added = client.post(_version_url(draft, "bibliotheek/"), {"model_norms": chosen})
    assert added.status_code == 302
    assert set(draft.norms.values_list("code", flat=True)) == {"phone-answered", "email-answered"}
    assert "al in deze versie" in client.get(_version_url(draft, "bibliotheek/")).content.decode()

    email = draft.norms.get(code="email-answered")
    edit_url = _version_url(draft, f"normen/{email.pk}/")
    form = client.get(edit_url)
    assert form.status_code == 200
    assert 'name="title_nl"' not in form.content.decode()  # a library norm keeps its definition
    data = {
        "threshold": "0",
        "target_share": "90",
        "calendar": "organisation",
        "compensation_kind": "apology",
        "compensation_nl": "Excuses per mail.",
        "promise_nl": "Binnen 3 werkdagen antwoord op uw e-mail.",
    }
    bad = client.post(edit_url, data)
    assert bad.status_code == 400
    assert "De norm moet groter zijn dan 0." in bad.content.decode()
    good = client.post(edit_url, {**data, "threshold": "3"})
    assert good.status_code == 302
    email.refresh_from_db()
    assert (str(email.threshold), str(email.target_share)) == ("3.0000", "0.9000")
    assert email.compensation_kind == "apology"

    publish = client.post(_version_url(draft, "publiceren/"), {"valid_from": "2025-01-01"})
    assert publish["Location"] == OVERVIEW
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    overview = client.get(OVERVIEW).content.decode()
    assert "Gepubliceerd" in overview
    assert "1 januari 2025" in overview
    assert "/kwaliteitshandvest/poster/phone.pdf" in overview
    assert AuditEvent.objects.filter(actor=kees_quality, action__startswith="charter.").count() >= 5


def test_a_conflicting_choice_adds_nothing_and_says_why(
    amstelstad: Organisation, kees_quality: User, library: dict[str, ModelNorm]
) -> None:
    draft = services.start_charter(amstelstad)
    client = client_for(kees_quality)
    response = client.post(
        _version_url(draft, "bibliotheek/"),
        {"model_norms": [library["phone-answered"].pk, library["phone-callback"].pk]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is niets toegevoegd" in html
    assert "Deze versie meet het kanaal Telefoon al" in html
    assert not draft.norms.exists()
    empty = client.post(_version_url(draft, "bibliotheek/"), {})
    assert "Kies ten minste één modelnorm." in empty.content.decode()


def test_own_norm_form_and_remove(amstelstad: Organisation, kees_quality: User) -> None:
    draft = services.start_charter(amstelstad)
    client = client_for(kees_quality)
    url = _version_url(draft, "normen/nieuw/")
    assert client.get(url).status_code == 200
    data = {
        "title_nl": "Chat binnen 2 minuten",
        "channel": "",
        "metric": "elapsed_minutes",
        "threshold": "2",
        "target_share": "90",
        "calendar": "organisation",
        "promise_nl": "In de chat antwoorden wij binnen 2 minuten.",
        "compensation_kind": "none",
        "bsc_norms": ["1", "4"],
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Kies een kanaal of een product of zaaktype." in refused.content.decode()
    from burgerlink.core.models import Channel

    created = client.post(url, {**data, "channel": Channel.objects.get(code="chat").pk})
    assert created.status_code == 302
    norm = draft.norms.get()
    assert (norm.code, norm.bsc_norms) == ("chat-binnen-2-minuten", [1, 4])
    removed = client.post(_version_url(draft, f"normen/{norm.pk}/verwijderen/"))
    assert removed.status_code == 302
    assert not draft.norms.exists()


def test_publish_errors_are_shown_on_the_form(
    two_versions: tuple[CharterVersion, CharterVersion], kees_quality: User
) -> None:
    _first, second = two_versions
    client = client_for(kees_quality)
    response = client.post(_version_url(second, "nieuwe-versie/"))
    draft = CharterVersion.objects.get(status=VersionStatus.DRAFT)
    assert response["Location"] == _version_url(draft)
    refused = client.post(_version_url(draft, "publiceren/"), {"valid_from": "2025-03-01"})
    assert refused.status_code == 400
    assert "de nieuwe versie moet later ingaan" in refused.content.decode()
    # A published version offers no editing, only a new version.
    page = client.get(_version_url(second)).content.decode()
    assert "verandert niet meer" in page
    assert "Er is al een concept" in page
    discarded = client.post(_version_url(draft, "weggooien/"))
    assert discarded["Location"] == OVERVIEW
    assert not CharterVersion.objects.filter(pk=draft.pk).exists()


def test_editing_a_published_norm_is_refused(
    two_versions: tuple[CharterVersion, CharterVersion], kees_quality: User
) -> None:
    _first, second = two_versions
    norm = second.norms.get(code="phone-answered")
    client = client_for(kees_quality)
    response = client.post(
        _version_url(second, f"normen/{norm.pk}/"),
        {
            "threshold": "20",
            "target_share": "80%",
            "calendar": "organisation",
            "compensation_kind": "none",
            "promise_nl": "Binnen 20 seconden.",
        },
    )
    assert response.status_code == 400
    assert "is gepubliceerd en verandert niet meer" in response.content.decode()
    norm.refresh_from_db()
    assert norm.threshold == 25


@pytest.mark.parametrize(
    ("days_left", "message"),
    [
        (20, "De jaarlijkse herziening is uiterlijk"),
        (-3, "De jaarlijkse herziening was uiterlijk"),
        (90, None),
    ],
)
def test_review_warning(
    two_versions: tuple[CharterVersion, CharterVersion],
    kees_quality: User,
    days_left: int,
    message: str | None,
) -> None:
    _first, second = two_versions
    CharterVersion.objects.filter(pk=second.pk).update(
        review_due=timezone.localdate() + timedelta(days=days_left)
    )
    client = client_for(kees_quality)
    html = client.get(OVERVIEW).content.decode()
    panel = client.get("/medewerkers/amstelstad/").content.decode()
    if message is None:
        assert "jaarlijkse herziening is uiterlijk" not in html
        assert "Jaarlijkse herziening uiterlijk" in panel
    else:
        assert message in html
        assert "Jaarlijkse herziening " + ("te laat" if days_left < 0 else "binnenkort") in panel


def test_staff_assessment_page(
    two_versions: tuple[CharterVersion, CharterVersion], kees_quality: User
) -> None:
    html = client_for(kees_quality).get(OVERVIEW + "beoordeling/").content.decode()
    assert "Totaal:" in html
    assert "C3 Compensatie" in html
    assert "Beoordeeld: versie 2" in html
