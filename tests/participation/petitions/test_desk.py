"""The petition desk: moderation, stages, the answer, clusters, the signature list; tenancy."""

from __future__ import annotations

import csv
import io

from django.core import mail

from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.moderation import ModerationState
from burgerlink.participation.models import Petition, Signature, Stage
from tests.conftest import client_for
from tests.participation.petitions.conftest import sign, sign_and_confirm, start

DESK = "/medewerkers/amstelstad/petities/"


def test_the_desk_lists_petitions_to_moderate_and_the_moderator_publishes(
    amstelstad: Organisation, petra_participation: User
) -> None:
    petition = start(amstelstad)
    staff = client_for(petra_participation)
    page = staff.get(DESK)
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    assert petition.title in page.content.decode()
    response = staff.post(f"{DESK}{petition.pk}/beoordelen/", {"decision": "publish"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.moderation_state == ModerationState.PUBLISHED
    assert "staat online" in mail.outbox[-1].body


def test_a_rejection_without_reason_is_refused_with_a_message(
    amstelstad: Organisation, petra_participation: User
) -> None:
    petition = start(amstelstad)
    response = client_for(petra_participation).post(
        f"{DESK}{petition.pk}/beoordelen/", {"decision": "reject", "reason": ""}
    )
    assert response.status_code == 400
    assert "Geef een reden" in response.content.decode()
    petition.refresh_from_db()
    assert petition.moderation_state == ModerationState.PENDING


def test_stages_answer_and_the_mail_to_all_signatories(
    petition: Petition, petra_participation: User
) -> None:
    for n in range(2):
        sign_and_confirm(petition, f"s{n}@example.org", client_ip=f"192.0.2.{n}")
    staff = client_for(petra_participation)
    staff.post(
        f"{DESK}{petition.pk}/fase/",
        {"stage": "on_agenda", "agenda_url": "https://raad.example/agenda/7", "decision_url": ""},
    )
    petition.refresh_from_db()
    assert petition.stage == Stage.ON_AGENDA
    mail.outbox.clear()
    staff.post(f"{DESK}{petition.pk}/antwoord/", {"answer": "De raad stemt in."})
    petition.refresh_from_db()
    assert petition.stage == Stage.ANSWERED and petition.answer == "De raad stemt in."
    assert sorted(m.to[0] for m in mail.outbox) == ["s0@example.org", "s1@example.org"]
    public = client_for(petra_participation).get(
        f"/organisaties/amstelstad/petities/{petition.pk}/"
    )
    assert "De raad stemt in." in public.content.decode()


def test_the_signature_list_as_csv_and_pdf_is_audited_uncached_and_formula_safe(
    petition: Petition, petra_participation: User
) -> None:
    sign_and_confirm(petition, "a@example.org", name="=cmd|'/c calc'!A1", place="Amstelstad")
    sign(petition, "unconfirmed@example.org", client_ip="192.0.2.9")
    staff = client_for(petra_participation)
    response = staff.get(f"{DESK}{petition.pk}/handtekeningen.csv")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["nummer", "naam", "woonplaats", "bevestigd"]
    assert len(rows) == 2 and rows[1][1] == "'=cmd|'/c calc'!A1"
    pdf = staff.get(f"{DESK}{petition.pk}/handtekeningen.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    lines = AuditEvent.objects.filter(action="petitions.signature-list")
    assert lines.count() == 2
    assert all("1 handtekeningen" in line.summary for line in lines)


def test_a_suspicious_cluster_is_struck_in_bulk_from_the_desk(
    petition: Petition, petra_participation: User
) -> None:
    for n in range(10):
        sign_and_confirm(petition, f"bot{n}@nepdomein.nl", client_ip=f"203.0.113.{n}")
    sign_and_confirm(petition, "anna@example.org", client_ip="192.0.2.1")
    staff = client_for(petra_participation)
    page = staff.get(f"{DESK}{petition.pk}/").content.decode()
    assert "domein nepdomein.nl" in page and "verdacht" in page
    staff.post(
        f"{DESK}{petition.pk}/schrappen/",
        {"kind": "domain", "key": "nepdomein.nl", "reason": "Verdachte reeks"},
    )
    petition.refresh_from_db()
    assert petition.signature_count == 1
    assert Signature.objects.filter(struck_at__isnull=False).count() == 10
    assert AuditEvent.objects.filter(action="petitions.strike").exists()


def test_rules_set_the_thresholds_of_new_petitions(
    amstelstad: Organisation, petra_participation: User
) -> None:
    staff = client_for(petra_participation)
    assert staff.get(f"{DESK}regels/").status_code == 200
    staff.post(
        f"{DESK}regels/",
        {
            "addressed_to": "de gemeenteraad",
            "initiative_threshold": "2500",
            "ordinance": "Verordening burgerinitiatief",
            "response_threshold": "500",
            "default_duration_days": "60",
            "retention_days_after_answer": "30",
        },
    )
    petition = start(amstelstad)
    assert (petition.initiative_threshold, petition.response_threshold) == (2_500, 500)


def test_another_organisation_sees_nothing_of_the_desk(
    petition: Petition, henk_heidedorp: User, heidedorp: Organisation
) -> None:
    outsider = client_for(henk_heidedorp)
    for path in (DESK, f"{DESK}{petition.pk}/", f"{DESK}{petition.pk}/handtekeningen.csv"):
        assert outsider.get(path).status_code == 404
    assert (
        outsider.post(
            f"{DESK}{petition.pk}/beoordelen/", {"decision": "hide", "reason": "x"}
        ).status_code
        == 404
    )
    # Amstelstad's petition is not reachable under Heidedorp's own desk either.
    own = "/medewerkers/heidedorp/petities/"
    assert outsider.get(f"{own}{petition.pk}/").status_code == 404
    assert outsider.post(f"{own}{petition.pk}/antwoord/", {"answer": "x"}).status_code == 404
    assert outsider.get(f"{own}{petition.pk}/handtekeningen.pdf").status_code == 404
    petition.refresh_from_db()
    assert petition.moderation_state == ModerationState.PUBLISHED and petition.answer == ""


def test_communications_may_not_use_the_desk(petition: Petition, carla_comms: User) -> None:
    assert client_for(carla_comms).get(DESK).status_code == 403


def test_petitions_wait_in_the_shared_moderation_queue_and_are_decided_there(
    amstelstad: Organisation, petra_participation: User
) -> None:
    petition = start(amstelstad)
    staff = client_for(petra_participation)
    queue = staff.get("/medewerkers/amstelstad/moderatie/").content.decode()
    assert petition.title in queue
    mail.outbox.clear()
    response = staff.post(
        "/medewerkers/amstelstad/moderatie/",
        {
            "item": f"participation.petition:{petition.pk}",
            "action": "reject",
            "reason": "Gaat over een besluit van het Rijk.",
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.moderation_state == ModerationState.REJECTED
    assert petition.moderation_reason == "Gaat over een besluit van het Rijk."
    assert "Gaat over een besluit van het Rijk." in mail.outbox[-1].body
    assert petition.events.filter(action="reject").exists()
