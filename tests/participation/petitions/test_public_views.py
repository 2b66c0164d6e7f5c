"""Public pages: the list, a petition, starting, signing and the confirm page (no GET confirms)."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from django.core import mail
from django.test import Client

from burgerlink.core.models import Organisation, User
from burgerlink.core.moderation import ModerationState
from burgerlink.participation.models import Petition, Signature
from burgerlink.participation.petitions.forms import timing_stamp
from tests.participation.petitions.conftest import last_token, old_stamp, sign, start

URL = "/organisaties/amstelstad/petities/"


def form(**extra: str) -> dict[str, str]:
    """A filled-in signing form, shown a minute ago."""
    return {
        "name": "Anna de Vries",
        "show_name": "1",
        "email": "anna@example.org",
        "place": "Amstelstad",
        "started": old_stamp(),
        **extra,
    }


def test_the_list_and_the_petition_show_counts_progress_as_text_and_no_unpublished(
    client: Client, petition: Petition, amstelstad: Organisation
) -> None:
    Petition.objects.filter(pk=petition.pk).update(
        signature_count=1_234, response_threshold=1_000, initiative_threshold=5_000
    )
    start(amstelstad, title="Een geheime petitie die nog wacht")
    page = client.get(URL).content.decode()
    assert petition.title in page and "1.234 handtekeningen" in page
    assert "geheime petitie" not in page
    detail = client.get(f"{URL}{petition.pk}/").content.decode()
    assert "1.234 van de 1.000 handtekeningen voor een reactie (100%)" in detail
    assert "1.234 van de 5.000 handtekeningen voor een burgerinitiatief (24%)" in detail
    assert 'aria-hidden="true"' in detail


def test_unpublished_and_rejected_petitions_are_not_found(
    client: Client, amstelstad: Organisation
) -> None:
    pending = start(amstelstad)
    assert client.get(f"{URL}{pending.pk}/").status_code == 404
    assert client.get(f"{URL}{pending.pk}/tekenen/").status_code == 404
    assert client.get(f"{URL}{pending.pk}/gegevens.json").status_code == 404


def test_signing_through_the_form_mails_a_link_whose_get_confirms_nothing(
    client: Client, petition: Petition
) -> None:
    response = client.post(f"{URL}{petition.pk}/tekenen/", form())
    assert response.status_code == 200
    assert "Kijk in uw mailbox" in response.content.decode()
    token = last_token()
    confirm = f"/petities/bevestigen/{token}/"
    page = client.get(confirm)
    assert page.status_code == 200 and "Handtekening bevestigen" in page.content.decode()
    client.head(confirm)
    assert Signature.objects.get().confirmed_at is None
    done = client.post(confirm)
    assert "is bevestigd" in done.content.decode()
    assert Signature.objects.get().confirmed_at is not None
    assert "al bevestigd" in client.post(confirm).content.decode()
    petition.refresh_from_db()
    assert petition.signature_count == 1
    assert "Anna de Vries, Amstelstad" in client.get(f"{URL}{petition.pk}/").content.decode()


def test_a_made_up_confirmation_link_says_so(client: Client, db: None) -> None:
    response = client.get("/petities/bevestigen/niet-echt-1234567890/")
    assert response.status_code == 404
    assert "onbekend of verlopen" in response.content.decode()
    assert client.post("/petities/bevestigen/niet-echt-1234567890/").status_code == 404


def test_the_honeypot_stores_nothing_and_looks_like_success(
    client: Client, petition: Petition
) -> None:
    response = client.post(f"{URL}{petition.pk}/tekenen/", form(website="http://spam.example"))
    assert "Kijk in uw mailbox" in response.content.decode()
    assert not Signature.objects.exists()
    assert not mail.outbox


def test_a_form_back_within_seconds_or_without_a_stamp_is_shown_again(
    client: Client, petition: Petition
) -> None:
    for stamp in (timing_stamp(time.time()), "forged", ""):
        response = client.post(f"{URL}{petition.pk}/tekenen/", form(started=stamp))
        assert "zo snel terug" in response.content.decode()
    assert not Signature.objects.exists()


def test_empty_oversized_and_throw_away_input_gets_plain_dutch_errors(
    client: Client, petition: Petition
) -> None:
    response = client.post(
        f"{URL}{petition.pk}/tekenen/",
        form(name="", place="x" * 101, email="bot@yopmail.com"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "wegwerpadres" in page
    assert not Signature.objects.exists()


def test_html_in_a_name_is_shown_as_text(client: Client, petition: Petition) -> None:
    client.post(
        f"{URL}{petition.pk}/tekenen/",
        form(name="<script>alert(1)</script>", email="x@example.org"),
    )
    client.post(f"/petities/bevestigen/{last_token()}/")
    page = client.get(f"{URL}{petition.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_too_many_signatures_from_one_connection_get_429(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.PETITION_SIGNATURES_PER_CLIENT = 2
    codes = [
        client.post(f"{URL}{petition.pk}/tekenen/", form(email=f"p{n}@example.org")).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert Signature.objects.count() == 2


def test_starting_shows_similar_petitions_before_anything_is_stored(
    client: Client, petition: Petition, amstelstad: Organisation
) -> None:
    data = {
        "title": "Oversteekplaats Schoolstraat bij de school",
        "text": "Graag een zebrapad in de Schoolstraat: de kinderen van de Dorpsschool steken daar elke dag over.",
        "petitioner_name": "Bram",
        "petitioner_email": "bram@example.org",
        "started": old_stamp(),
        "step": "check",
    }
    check = client.post(f"{URL}starten/", data)
    assert check.status_code == 200
    assert petition.title in check.content.decode()
    assert Petition.objects.count() == 1
    done = client.post(f"{URL}starten/", {**data, "step": "submit"})
    assert "Petitie ontvangen" in done.content.decode()
    created = Petition.objects.exclude(pk=petition.pk).get()
    assert created.moderation_state == ModerationState.PENDING


def test_the_author_sees_the_moderators_reason(
    client: Client, amstelstad: Organisation, petra_participation: User
) -> None:
    start(amstelstad)
    link = next(m for m in mail.outbox if "/petities/status/" in m.body).body
    path = link[link.index("/petities/status/") :].split()[0]
    assert "bekijkt uw petitie" in client.get(path).content.decode()
    petition = Petition.objects.get()
    from burgerlink.participation.petitions import services
    from burgerlink.participation.petitions.services import Decision

    services.moderate_petition(
        petition=petition,
        decision=Decision.REJECT,
        reason="Geen bevoegdheid van de gemeente.",
        by=petra_participation,
    )
    assert "Geen bevoegdheid van de gemeente." in client.get(path).content.decode()
    assert client.get("/petities/status/verzonnen-code-123/").status_code == 404


def test_open_data_as_json_and_formula_safe_csv(
    client: Client, petition: Petition, petra_participation: User
) -> None:
    sign(petition, "a@example.org", place='=HYPERLINK("http://x")')
    client.post(f"/petities/bevestigen/{last_token()}/")
    document = client.get(f"{URL}{petition.pk}/gegevens.json").json()
    assert document["signatures"] == 1
    assert document["signatures_per_place"] == [
        {"place": '=HYPERLINK("http://x")', "signatures": 1}
    ]
    assert document["status"] == "collecting" and document["answer"] is None
    response = client.get(f"{URL}{petition.pk}/gegevens.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["petitie", "titel", "status", "woonplaats", "handtekeningen"]
    assert rows[1][3:5] == ["", "1"]
    assert rows[2][3] == '\'=HYPERLINK("http://x")'


def test_the_cached_petition_page_shows_a_new_count_at_once(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 300
    path = f"{URL}{petition.pk}/"
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    sign(petition, "a@example.org")
    Client().post(f"/petities/bevestigen/{last_token()}/")
    fresh = client.get(path)
    assert "X-Page-Cache" not in fresh
    assert "1 bevestigde handtekening" in fresh.content.decode()
