"""Public council pages and the staff import pages: content, filters, errors, tenancy."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.participation.council.services import import_council_file
from burgerlink.participation.models import CouncilImport, Decision, Party
from tests.conftest import client_for
from tests.participation.council import popolo_sample

pytestmark = pytest.mark.django_db


def _url(name: str, *args: object) -> str:
    return reverse(f"participation:{name}", args=["amstelstad", *args])


def test_the_decision_list_shows_decisions_parties_and_the_matrix_link(
    client: Client, sample: CouncilImport
) -> None:
    response = client.get(_url("council-decisions"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Meer bomen in de binnenstad" in html
    assert "4 besluiten" in html
    assert "GroenLinks" in html and _url("council-matrix") in html


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("soort=amendment", ["Parkeertarief niet verhogen"]),
        ("uitslag=rejected", ["Parkeertarief niet verhogen"]),
        ("van=2026-04-01", ["Bestemmingsplan Stationsgebied", "Zwembad open in de zomer"]),
        ("tot=2026-03-31&soort=motion", ["Meer bomen in de binnenstad"]),
        ("q=bomen", ["Meer bomen in de binnenstad"]),
    ],
)
def test_filters_narrow_the_list(
    client: Client, sample: CouncilImport, query: str, titles: list[str]
) -> None:
    html = client.get(_url("council-decisions") + "?" + query).content.decode()
    shown = [d.title for d in Decision.objects.all() if d.title in html]
    assert sorted(shown) == sorted(titles)


def test_the_party_filter_finds_decisions_by_its_vote(
    client: Client, sample: CouncilImport
) -> None:
    sp = Party.objects.get(abbreviation="SP")
    html = client.get(_url("council-decisions") + f"?partij={sp.pk}&stem=against").content.decode()
    assert "Parkeertarief niet verhogen" in html and "Zwembad open in de zomer" in html
    assert "Meer bomen in de binnenstad" not in html


def test_invalid_filters_explain_themselves_with_status_400(
    client: Client, sample: CouncilImport
) -> None:
    response = client.get(_url("council-decisions") + "?van=2026-05-01&tot=2026-04-01&stem=for")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze datum ligt voor de datum vanaf." in html
    assert "Kies de fractie waarvan u de stem zoekt." in html


def test_the_list_is_paged(client: Client, amstelstad: Organisation) -> None:
    from burgerlink.participation.council.demo import demo_council_data
    from burgerlink.participation.council.services import store_council_data

    store_council_data(organisation=amstelstad, data=demo_council_data(), source="demo")
    first = client.get(_url("council-decisions")).content.decode()
    assert "30 besluiten" in first and "Pagina 1 van 2" in first
    second = client.get(_url("council-decisions") + "?pagina=2").content.decode()
    assert "Pagina 2 van 2" in second


def test_a_decision_shows_how_each_party_and_member_voted(
    client: Client, sample: CouncilImport
) -> None:
    decision = Decision.objects.get(source_id="m3")
    response = client.get(_url("council-decision", decision.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bestemmingsplan Stationsgebied" in html
    assert "verdeeld" in html  # GroenLinks split
    assert "Gijs Groen" in html and "Sara Smit" in html


def test_a_party_page_counts_its_positions(client: Client, sample: CouncilImport) -> None:
    gl = Party.objects.get(abbreviation="GL")
    response = client.get(_url("council-party", gl.pk))
    assert response.status_code == 200
    html = response.content.decode()
    # GL: for on m1 (adopted) and m4 (adopted), against on m2 (rejected), split on m3.
    assert "Bij 3 stemmingen" in html and "100%" in html
    assert "Fatima El Amrani" in html


def test_the_matrix_shows_the_hand_counted_numbers(client: Client, sample: CouncilImport) -> None:
    html = client.get(_url("council-matrix")).content.decode()
    assert '67% <span class="council-n">(3)</span>' in html  # GL-SP: 2 of 3
    assert '25% <span class="council-n">(4)</span>' in html  # GL-VVD: 1 of 4
    assert '0% <span class="council-n">(3)</span>' in html  # VVD-SP: 0 of 3
    assert "council-shade--6" in html and "council-shade--2" in html


def test_another_organisations_decision_is_not_found(
    client: Client, sample: CouncilImport, heidedorp: Organisation
) -> None:
    decision = Decision.objects.get(source_id="m1")
    party = Party.objects.get(abbreviation="GL")
    assert (
        client.get(
            reverse("participation:council-decision", args=["heidedorp", decision.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("participation:council-party", args=["heidedorp", party.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("participation:council-decisions", args=["bestaat-niet"])).status_code
        == 404
    )


def test_staff_upload_a_file_and_see_it_in_the_history(
    petra: User, amstelstad: Organisation
) -> None:
    client = client_for(petra)
    upload = io.BytesIO(popolo_sample.as_bytes())
    upload.name = "raad.json"
    response = client.post(_url("council-imports"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Ingelezen: 4 nieuwe en 0 bijgewerkte besluiten." in response.content.decode()
    assert AuditEvent.objects.filter(action="participation.council.import").count() == 1

    upload = io.BytesIO(popolo_sample.as_bytes())
    upload.name = "raad.json"
    response = client.post(_url("council-imports"), {"file": upload}, follow=True)
    assert (
        "Niets veranderd: alles in dit bestand was al zo opgeslagen." in response.content.decode()
    )

    history = client.get(_url("council-imports")).content.decode()
    assert history.count("raad.json") == 2


def test_staff_see_every_problem_of_a_refused_file(petra: User, amstelstad: Organisation) -> None:
    doc = popolo_sample.document()
    doc["vote_events"][0]["votes"][0]["option"] = "misschien"
    upload = io.BytesIO(popolo_sample.as_bytes(doc))
    upload.name = "raad.json"
    response = client_for(petra).post(_url("council-imports"), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "Niets ingelezen: het bestand bevat fouten." in html
    assert "onbekende waarde &#x27;misschien&#x27; voor option" in html
    assert Decision.objects.count() == 0


def test_the_template_downloads_and_imports_as_it_is(petra: User, amstelstad: Organisation) -> None:
    client = client_for(petra)
    for fmt in ("csv", "xlsx"):
        response = client.get(_url("council-import-template") + f"?formaat={fmt}")
        assert response.status_code == 200
        record = import_council_file(
            organisation=amstelstad, stream=io.BytesIO(response.content), filename=f"v.{fmt}"
        )
        assert record.status == "done"
    assert Decision.objects.count() == 1
    assert client.get(_url("council-import-template") + "?formaat=pdf").status_code == 404


def test_roles_without_participation_rights_are_refused(
    carla_comms: User, henk_heidedorp: User, sample: CouncilImport
) -> None:
    assert client_for(carla_comms).get(_url("council-imports")).status_code == 403
    assert client_for(henk_heidedorp).get(_url("council-imports")).status_code == 404
    assert client_for(henk_heidedorp).get(_url("council-import", sample.pk)).status_code == 404
