"""Access and erasure (AVG art. 15 and 17) of an invitee's place in a sample."""

from __future__ import annotations

import io
import json
import zipfile

from burgerlink.core import privacy
from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.privacy import Subject
from burgerlink.surveys.models import Answer, Invitee, Response, Wave


def test_export_holds_contact_data_and_linked_answers(
    sample: Wave, amstelstad: Organisation, anna_admin: User
) -> None:
    invitee = Invitee.objects.get(email="anna@example.org")
    response = Response.objects.create(wave=sample, organisation=amstelstad, version=sample.version)
    Answer.objects.create(response=response, code="q1", number=4)
    Invitee.objects.filter(pk=invitee.pk).update(response=response)
    archive = privacy.export_person(
        subject=Subject(email="anna@example.org", organisation=amstelstad), by=anna_admin
    )
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        [row] = json.loads(opened.read("surveys.invitee.json"))
    assert row["e-mailadres"] == "anna@example.org"
    assert row["achtergrondkenmerken"] == invitee.background
    assert row["antwoorden"] == [{"code": "q1", "number": 4.0, "text": "", "choices": None}]
    assert AuditEvent.objects.filter(action="privacy.export").count() == 1


def test_erase_blanks_the_invitee_cuts_the_link_and_kills_the_old_link(
    sample: Wave, amstelstad: Organisation, anna_admin: User
) -> None:
    invitee = Invitee.objects.get(email="anna@example.org")
    old_token = invitee.token
    response = Response.objects.create(wave=sample, organisation=amstelstad, version=sample.version)
    Invitee.objects.filter(pk=invitee.pk).update(response=response)
    erased = privacy.erase_person(
        subject=Subject(email="ANNA@example.org", organisation=amstelstad), by=anna_admin
    )
    assert erased["surveys.invitee"] == 1
    invitee.refresh_from_db()
    assert (invitee.email, invitee.postal_address, invitee.background) == ("", "", {})
    assert invitee.response_id is None
    assert invitee.token != old_token
    assert Response.objects.filter(pk=response.pk).exists()  # anonymous answers stay
    assert Invitee.objects.filter(email="bert@example.org").exists()  # someone else: untouched
    assert privacy.lookup(Subject(email="anna@example.org"))["surveys.invitee"] == 0
