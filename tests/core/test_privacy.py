"""Core's personal data: accounts, roles, failed logins, the audit log; export, erasure, retention."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from django.utils import timezone

from burgerlink.core import privacy
from burgerlink.core.models import AuditEvent, LoginFailure, Membership, Organisation, User
from burgerlink.core.privacy import Subject
from burgerlink.core.privacy_core import (
    purge_audit_log,
    purge_dormant_accounts,
    purge_login_failures,
)
from burgerlink.core.services import record_audit


def files(archive: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: json.loads(opened.read(name)) for name in opened.namelist()}


def test_an_operator_exports_everything_core_holds_about_a_staff_member(
    amstelstad: Organisation, kees_quality: User, olaf_operator: User
) -> None:
    User.objects.filter(pk=kees_quality.pk).update(email="kees@amstelstad.example")
    record_audit(action="charter.publish", actor=kees_quality, organisation=amstelstad)
    LoginFailure.objects.create(username="kees_quality", client="abc")
    exported = files(
        privacy.export_person(subject=Subject(email="kees@amstelstad.example"), by=olaf_operator)
    )
    [account] = exported["core.account.json"]  # type: ignore[misc]
    assert account["username"] == "kees_quality"
    assert "password" not in account
    [role] = exported["core.membership.json"]  # type: ignore[misc]
    assert role["organisation__name"] == "Gemeente Amstelstad"
    assert len(exported["core.login-failure.json"]) == 1  # type: ignore[arg-type]
    assert [row["action"] for row in exported["core.audit.json"]] == ["charter.publish"]  # type: ignore[union-attr]


def test_an_organisation_administrator_gets_no_account_data(
    amstelstad: Organisation, kees_quality: User, anna_admin: User
) -> None:
    User.objects.filter(pk=kees_quality.pk).update(email="kees@amstelstad.example")
    found = privacy.lookup(Subject(email="kees@amstelstad.example", organisation=amstelstad))
    assert "core.account" not in found
    assert found["core.membership"] == 1


def test_erasing_a_staff_member_anonymises_the_account_and_pseudonymises_the_audit_log(
    amstelstad: Organisation, kees_quality: User, olaf_operator: User
) -> None:
    User.objects.filter(pk=kees_quality.pk).update(email="kees@amstelstad.example")
    record_audit(action="charter.publish", actor=kees_quality, organisation=amstelstad)
    LoginFailure.objects.create(username="kees_quality", client="abc")
    erased = privacy.erase_person(
        subject=Subject(email="kees@amstelstad.example"), by=olaf_operator
    )
    assert erased["core.account"] == 1
    kees = User.objects.get(pk=kees_quality.pk)
    assert kees.username == f"verwijderd-{kees.pk}"
    assert (kees.email, kees.first_name, kees.is_active) == ("", "", False)
    assert not kees.has_usable_password()
    assert not Membership.objects.filter(user=kees).exists()
    assert not LoginFailure.objects.exists()
    line = AuditEvent.objects.get(action="charter.publish")
    assert line.actor_label == f"verwijderd-{kees.pk}"
    erasure = AuditEvent.objects.get(action="privacy.erase")
    assert erasure.actor == olaf_operator
    assert "kees" not in erasure.summary
    # The same request again finds nothing left.
    assert sum(privacy.lookup(Subject(email="kees@amstelstad.example")).values()) == 0


def test_the_audit_line_of_a_request_is_a_pseudonym_that_repeats(olaf_operator: User) -> None:
    first = Subject(email="Anna@Example.org")
    assert first.pseudonym() == Subject(email=" anna@example.org ").pseudonym()
    assert first.pseudonym() != Subject(email="bert@example.org").pseudonym()


def test_retention_of_failed_logins(db: None) -> None:
    old = LoginFailure.objects.create(username="x", client="c")
    LoginFailure.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(hours=25))
    LoginFailure.objects.create(username="y", client="c")
    purge_login_failures.call()
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["y"]


def test_retention_of_dormant_accounts(
    settings: object,
    amstelstad: Organisation,
    kees_quality: User,
    anna_admin: User,
    olaf_operator: User,
) -> None:
    long_ago = timezone.now() - timedelta(days=800)
    User.objects.filter(pk__in=[kees_quality.pk, olaf_operator.pk]).update(last_login=long_ago)
    User.objects.filter(pk=anna_admin.pk).update(last_login=timezone.now())
    assert purge_dormant_accounts.call() == 1
    assert User.objects.get(pk=kees_quality.pk).username.startswith("verwijderd-")
    assert User.objects.get(pk=anna_admin.pk).username == "anna_admin"
    assert User.objects.get(pk=olaf_operator.pk).username == "olaf_operator"  # operators stay
    assert purge_dormant_accounts.call() == 0


def test_retention_of_the_audit_log(amstelstad: Organisation) -> None:
    old = record_audit(action="old", organisation=amstelstad)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=7 * 365 + 1))
    record_audit(action="new", organisation=amstelstad)
    purge_audit_log.call()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["new"]
