"""Every audit action the code writes has a label; the audit log page shows labels, not codes."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

import burgerlink
from burgerlink.charters.models import BatchKind, EntryStatus
from burgerlink.core.audit import action_label, labelled_actions
from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.core.moderation.models import ModerationAction
from burgerlink.core.services import record_audit
from tests.conftest import client_for

SOURCE = Path(burgerlink.__file__).parent


def _literal_actions() -> set[str]:
    """The action codes written as string literals in ``record_audit(action=...)`` calls."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "record_audit":
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "action" and isinstance(value, ast.Constant):
                        found.add(str(value.value))
    return found


def test_every_literal_action_has_a_label() -> None:
    actions = _literal_actions()
    assert {"charter.version.publish", "member.invite", "surveys.wave.close"} <= actions
    assert not actions - labelled_actions(), "actions without a label in core.audit"


def test_actions_made_from_a_value_have_labels_for_every_value() -> None:
    labelled = labelled_actions()
    assert {f"records.import.{kind.value}" for kind in BatchKind} <= labelled
    assert {f"compensation.entry.{status.value}" for status in EntryStatus} <= labelled
    assert {"survey.export.request", "compensation.export.download"} <= labelled
    assert {f"moderation.{action.value}" for action in ModerationAction} <= labelled


def test_labels_follow_the_language_of_the_page() -> None:
    with translation.override("nl"):
        assert action_label("charter.version.publish") == "Handvestversie gepubliceerd"
        assert action_label("records.import.contacts") == "Import van klantcontacten"
    with translation.override("en"):
        assert action_label("charter.version.publish") == "Charter version published"
    assert action_label("unknown.action") == "unknown.action"


@pytest.mark.django_db
def test_the_audit_log_shows_labels_and_dates_in_words(
    amstelstad: Organisation, anna_admin: User
) -> None:
    event = record_audit(
        action="charter.version.publish", actor=anna_admin, organisation=amstelstad
    )
    AuditEvent.objects.filter(pk=event.pk).update(
        at=datetime(2026, 10, 3, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    )
    client = client_for(anna_admin)
    html = client.get("/medewerkers/amstelstad/auditlog/").content.decode()
    assert "Handvestversie gepubliceerd" in html
    assert ">charter.version.publish<" not in html
    assert "3 oktober 2026 09:30" in html  # never "3 Okt"
    client.cookies["burgerlink_language"] = "en"
    html = client.get("/medewerkers/amstelstad/auditlog/").content.decode()
    assert "Charter version published" in html
    assert "3 October 2026 09:30" in html
