"""An import's duration reaches /metrics (burgerlink_import_duration_seconds by kind)."""

from __future__ import annotations

from prometheus_client import REGISTRY

from burgerlink.core.models import Organisation
from tests.charters.records.test_import import CONTACTS, run_import


def imports_counted(kind: str) -> float:
    value = REGISTRY.get_sample_value("burgerlink_import_duration_seconds_count", {"kind": kind})
    return value or 0.0


def test_an_import_is_timed_by_kind(amstelstad: Organisation) -> None:
    before = imports_counted("contacts")
    run_import(amstelstad, CONTACTS)
    assert imports_counted("contacts") == before + 1
