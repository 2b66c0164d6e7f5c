"""Colleagues: invitations need consent, answers reveal no accounts, one administrator stays."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from burgerlink.core import services
from burgerlink.core.models import AuditEvent, Invitation, Membership, Organisation, Role, User
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

MEMBERS = "/medewerkers/amstelstad/collega-s/"
NEW_PASSWORD = "een lang en sterk wachtwoord"


def _invite(client: Client, email: str, capture: Any, role: str = Role.RESEARCHER) -> Any:
    with capture(execute=True):
        return client.post(MEMBERS, {"email": email, "first_name": "Nina", "role": role})


def _link_path(message: mail.EmailMessage) -> str:
    link = next(line for line in message.body.splitlines() if "/uitnodiging/" in line)
    return link.split("testserver", 1)[1].strip()


def test_a_new_colleague_gets_a_role_only_after_accepting(
    amstelstad: Organisation, anna_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    response = _invite(
        client_for(anna_admin), "Nina@Amstelstad.nl", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert not User.objects.filter(email__iexact="nina@amstelstad.nl").exists()
    assert not Membership.objects.filter(organisation=amstelstad, role=Role.RESEARCHER).exists()
    (message,) = mail.outbox
    assert message.to == ["nina@amstelstad.nl"]
    assert "Gemeente Amstelstad" in message.subject
    path = _link_path(message)

    invitee = Client()
    page = invitee.get(path)
    assert page.status_code == 200
    assert "Uitnodiging accepteren" in page.content.decode()
    assert not User.objects.filter(email__iexact="nina@amstelstad.nl").exists()  # GET: nothing

    too_short = invitee.post(path, {"new_password1": "kort", "new_password2": "kort"})
    assert too_short.status_code == 400
    assert not User.objects.filter(email__iexact="nina@amstelstad.nl").exists()

    accepted = invitee.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert accepted.status_code == 302
    nina = User.objects.get(email="nina@amstelstad.nl")
    assert nina.username == "nina@amstelstad.nl"
    assert nina.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(
        user=nina, organisation=amstelstad, role=Role.RESEARCHER
    ).exists()
    assert invitee.session["_auth_user_id"] == str(nina.pk)
    assert AuditEvent.objects.filter(action="member.accept", actor=nina).exists()
    # The link works once.
    assert invitee.get(path).status_code == 404


def test_the_answer_does_not_tell_whether_an_address_has_an_account_elsewhere(
    amstelstad: Organisation,
    anna_admin: User,
    henk_heidedorp: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    henk_heidedorp.email = "henk@heidedorp.nl"
    henk_heidedorp.save()
    answers = []
    for email in ("henk@heidedorp.nl", "niemand@heidedorp.nl"):
        response = _invite(client_for(anna_admin), email, django_capture_on_commit_callbacks)
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        answers.append(
            (response.status_code, response["Location"], [m.replace(email, "@") for m in shown])
        )
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    # The list of colleagues shows both as pending invitations, neither as a member.
    page = client_for(anna_admin).get(MEMBERS).content.decode()
    assert "henk@heidedorp.nl" in page and "niemand@heidedorp.nl" in page
    assert henk_heidedorp.display_name() not in page
    assert not Membership.objects.filter(user=henk_heidedorp, organisation=amstelstad).exists()
    assert len(mail.outbox) == 2


def test_an_existing_account_accepts_after_signing_in(
    amstelstad: Organisation,
    anna_admin: User,
    henk_heidedorp: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    henk_heidedorp.email = "henk@heidedorp.nl"
    henk_heidedorp.save()
    _invite(client_for(anna_admin), "HENK@heidedorp.nl", django_capture_on_commit_callbacks)
    path = _link_path(mail.outbox[0])

    # Not signed in: to the login, and nothing is attached.
    anonymous = Client()
    assert anonymous.get(path)["Location"].startswith("/inloggen/?next=")
    refused = anonymous.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert refused.status_code == 400
    assert not Membership.objects.filter(user=henk_heidedorp, organisation=amstelstad).exists()

    # Signed in as someone else: refused.
    other = make_user("someone_else", email="someone@else.nl")
    assert client_for(other).post(path).status_code == 400
    assert not Membership.objects.filter(organisation=amstelstad, user=other).exists()

    # The owner of the address accepts with one button (a POST).
    henk = client_for(henk_heidedorp)
    assert henk.get(path).status_code == 200
    assert not Membership.objects.filter(user=henk_heidedorp, organisation=amstelstad).exists()
    assert henk.post(path).status_code == 302
    assert Membership.objects.filter(
        user=henk_heidedorp, organisation=amstelstad, role=Role.RESEARCHER
    ).exists()


def test_invitations_expire_and_can_be_withdrawn(
    amstelstad: Organisation, anna_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(anna_admin)
    _invite(client, "nina@amstelstad.nl", django_capture_on_commit_callbacks)
    _invite(client, "olga@amstelstad.nl", django_capture_on_commit_callbacks)
    expired_path, withdrawn_path = (_link_path(m) for m in mail.outbox)
    Invitation.objects.filter(email="nina@amstelstad.nl").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert Client().get(expired_path).status_code == 404
    olga = Invitation.objects.get(email="olga@amstelstad.nl")
    assert client.post(f"{MEMBERS}uitnodigingen/{olga.pk}/intrekken/").status_code == 302
    page = Client().get(withdrawn_path)
    assert page.status_code == 404
    assert "werkt niet (meer)" in page.content.decode()
    posted = Client().post(
        withdrawn_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert posted.status_code == 404
    assert not User.objects.filter(email__in=["nina@amstelstad.nl", "olga@amstelstad.nl"]).exists()


def test_inviting_again_renews_the_invitation_and_the_old_link_stops(
    amstelstad: Organisation, anna_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(anna_admin)
    _invite(client, "nina@amstelstad.nl", django_capture_on_commit_callbacks)
    _invite(client, "nina@amstelstad.nl", django_capture_on_commit_callbacks)
    first, second = (_link_path(m) for m in mail.outbox)
    assert Invitation.objects.filter(email="nina@amstelstad.nl").count() == 1
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


class RolledBackError(Exception):
    """Something failing after the invitation in the same action."""


def test_invite_member_sends_its_mail_only_after_commit(
    amstelstad: Organisation, anna_admin: User
) -> None:
    def invite(email: str) -> None:
        services.invite_member(
            organisation=amstelstad,
            email=email,
            role=Role.RESEARCHER,
            by=anna_admin,
            link_for=lambda secret: f"https://example.test/uitnodiging/{secret}/",
        )

    with pytest.raises(RolledBackError), transaction.atomic():
        invite("never@amstelstad.nl")
        raise RolledBackError
    assert mail.outbox == []
    assert not Invitation.objects.exists()
    with transaction.atomic():
        invite("nina@amstelstad.nl")
        assert mail.outbox == []  # not before the action commits
    assert [m.to for m in mail.outbox] == [["nina@amstelstad.nl"]]


def test_revoke_role_keeps_the_last_administrator(
    amstelstad: Organisation, anna_admin: User
) -> None:
    membership = Membership.objects.get(user=anna_admin)
    with pytest.raises(ValidationError) as refused:
        services.revoke_role(membership=membership, by=anna_admin)
    assert "ten minste één beheerder" in refused.value.messages[0]
    assert Membership.objects.filter(pk=membership.pk).exists()
    # The page says so in Dutch, and changes nothing.
    response = client_for(anna_admin).post(f"{MEMBERS}{membership.pk}/intrekken/", follow=True)
    assert "ten minste één beheerder" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_can_go_when_another_stays(
    amstelstad: Organisation, anna_admin: User
) -> None:
    second = make_user("bert_admin")
    other = Membership.objects.create(user=second, organisation=amstelstad, role=Role.ADMINISTRATOR)
    services.revoke_role(membership=other, by=anna_admin)
    assert not Membership.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action="member.revoke", organisation=amstelstad).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_administrators_removing_each_other_at_once_leave_one(
    amstelstad: Organisation, anna_admin: User
) -> None:
    if connection.vendor != "postgresql":
        # On SQLite every write transaction begins IMMEDIATE (one writer at a time), so two
        # revocations cannot interleave; the row locks below are PostgreSQL's way.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    bert = make_user("bert_admin")
    Membership.objects.create(user=bert, organisation=amstelstad, role=Role.ADMINISTRATOR)
    anna_row, bert_row = Membership.objects.filter(organisation=amstelstad).order_by("pk")
    first_revoked = threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                services.revoke_role(membership=anna_row, by=None)
                first_revoked.set()
                # Hold the transaction open until the second revocation waits for our lock
                # (or, without locking, has already finished).
                _wait_for_other_backend(second_done)
            outcomes["first"] = "revoked"
        finally:
            connections.close_all()

    second_done = threading.Event()

    def second() -> None:
        try:
            first_revoked.wait(10)
            try:
                services.revoke_role(membership=bert_row, by=None)
                outcomes["second"] = "revoked"
            except ValidationError:
                outcomes["second"] = "refused"
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == {"first": "revoked", "second": "refused"}
    assert Membership.objects.filter(organisation=amstelstad, role=Role.ADMINISTRATOR).count() == 1


def _wait_for_other_backend(done: threading.Event) -> None:
    """Return once another connection waits on a lock, or the other thread has finished."""
    with connection.cursor() as cursor:
        for _ in range(2000):
            if done.is_set():
                return
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            done.wait(0.01)


def test_an_address_taken_as_a_username_must_sign_in_rather_than_make_a_second_account(
    amstelstad: Organisation, anna_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    nina = make_user("nina@amstelstad.nl")  # an older account named after the address, no e-mail
    _invite(client_for(anna_admin), "nina@amstelstad.nl", django_capture_on_commit_callbacks)
    path = _link_path(mail.outbox[0])
    assert Client().get(path)["Location"].startswith("/inloggen/")
    refused = Client().post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert refused.status_code == 400
    assert User.objects.filter(username="nina@amstelstad.nl").count() == 1
    # Signed in, that account accepts.
    assert client_for(nina).post(path).status_code == 302
    assert Membership.objects.filter(user=nina, organisation=amstelstad).exists()
