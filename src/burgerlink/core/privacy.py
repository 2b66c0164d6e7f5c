"""Personal data, declared by every app: the processing overview, access (art. 15), erasure (art. 17).

Each app registers a ``PersonalData`` for every kind of personal data it keeps (in its
``AppConfig.ready``; ``core`` never imports the apps): what it holds and about whom, why, on
which legal basis, for how long and which scheduled job enforces that, and three functions: find
one person's rows (by e-mail address, or by a reference where that is the key), export them, and
erase them. From the registry come the public processing overview (``/verwerkingen/``), the
export of everything the platform holds about one person, and the erasure of it, both audited.

An organisation's administrator sees and acts on their own organisation's rows only; kinds kept
for the platform as a whole (accounts) are for platform operators.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from burgerlink.core.models import Organisation, User
from burgerlink.core.services import record_audit

# AVG art. 6 lid 1: the grounds a government organisation uses.
LEGAL_BASES: dict[str, str | Promise] = {
    "consent": _("toestemming (AVG art. 6 lid 1 onder a)"),
    "contract": _("uitvoering van een overeenkomst (AVG art. 6 lid 1 onder b)"),
    "legal_obligation": _("wettelijke verplichting (AVG art. 6 lid 1 onder c)"),
    "public_task": _("taak van algemeen belang of openbaar gezag (AVG art. 6 lid 1 onder e)"),
    "legitimate_interest": _("gerechtvaardigd belang (AVG art. 6 lid 1 onder f)"),
}


@dataclass(frozen=True)
class Subject:
    """The person a request is about, and within which organisation it is handled.

    ``organisation`` is ``None`` for a platform operator, who acts across organisations.
    """

    email: str = ""
    reference: str = ""
    organisation: Organisation | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "email", self.email.strip().lower())
        object.__setattr__(self, "reference", self.reference.strip())
        if not self.email and not self.reference:
            raise ValueError("a subject needs an e-mail address or a reference")

    def scoped(
        self, rows: models.QuerySet[Any], field: str = "organisation"
    ) -> models.QuerySet[Any]:
        """``rows`` limited to the subject's organisation (all of them for an operator)."""
        if self.organisation is None:
            return rows
        return rows.filter(**{field: self.organisation})

    def pseudonym(self) -> str:
        """A keyed hash of the subject's keys: the audit log can match requests, not read them."""
        key = f"{self.email}|{self.reference}".encode()
        digest = hmac.new(settings.SECRET_KEY.encode(), b"privacy:" + key, hashlib.sha256)
        return digest.hexdigest()[:12]


@dataclass(frozen=True)
class PersonalData:
    """One kind of personal data an app keeps, and how to find, export and erase a person's."""

    code: str
    title: str | Promise
    persons: str | Promise
    items: str | Promise
    purpose: str | Promise
    legal_basis: str
    retention: str | Promise
    retention_job: str
    rows: Callable[[Subject], models.QuerySet[Any]]
    export: Callable[[models.QuerySet[Any]], list[dict[str, Any]]]
    erase: Callable[[models.QuerySet[Any]], int]
    found_by: tuple[str, ...] = ("email",)
    platform_only: bool = False

    def __post_init__(self) -> None:
        if self.legal_basis not in LEGAL_BASES:
            raise ValueError(f"{self.code}: unknown legal basis {self.legal_basis!r}")
        if not set(self.found_by) <= {"email", "reference"}:
            raise ValueError(f"{self.code}: found_by holds email and/or reference")

    @property
    def legal_basis_label(self) -> str | Promise:
        """The legal basis in words."""
        return LEGAL_BASES[self.legal_basis]

    def applies_to(self, subject: Subject) -> bool:
        """Whether this kind can be searched for ``subject`` by whoever asks."""
        if self.platform_only and subject.organisation is not None:
            return False
        return any(getattr(subject, key) for key in self.found_by)


_KINDS: dict[str, PersonalData] = {}


def register(kind: PersonalData) -> None:
    """Add (or replace, by code) a kind of personal data."""
    _KINDS[kind.code] = kind


def kinds() -> list[PersonalData]:
    """Every registered kind, in registration order."""
    return list(_KINDS.values())


def lookup(subject: Subject) -> dict[str, int]:
    """How many rows of each kind the platform holds about ``subject`` (kinds that apply)."""
    return {kind.code: kind.rows(subject).count() for kind in kinds() if kind.applies_to(subject)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def export_rows(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    """Everything the platform holds about ``subject``, per kind."""
    return {
        kind.code: [
            {key: _jsonable(value) for key, value in row.items()}
            for row in kind.export(kind.rows(subject))
        ]
        for kind in kinds()
        if kind.applies_to(subject)
    }


def _summary(counts: dict[str, int]) -> str:
    found = {code: n for code, n in counts.items() if n}
    return ", ".join(f"{code}: {n}" for code, n in found.items()) or "niets gevonden"


@transaction.atomic
def export_person(*, subject: Subject, by: User | None, actor_label: str = "") -> bytes:
    """A ZIP with everything held about ``subject`` (one JSON file per kind), audited."""
    data = export_rows(subject)
    made = timezone.now()
    index = {
        "gemaakt": made.isoformat(),
        "organisatie": subject.organisation.name if subject.organisation else None,
        "gezocht_op": {"e-mailadres": subject.email or None, "kenmerk": subject.reference or None},
        "soorten": [
            {
                "code": kind.code,
                "bestand": f"{kind.code}.json",
                "rijen": len(data[kind.code]),
                "wat": str(kind.items),
                "doel": str(kind.purpose),
                "grondslag": str(kind.legal_basis_label),
                "bewaartermijn": str(kind.retention),
            }
            for kind in kinds()
            if kind.code in data
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.json", json.dumps(index, ensure_ascii=False, indent=2))
        for code, rows in data.items():
            archive.writestr(f"{code}.json", json.dumps(rows, ensure_ascii=False, indent=2))
    record_audit(
        action="privacy.export",
        actor=by,
        actor_label=actor_label,
        organisation=subject.organisation,
        summary=f"inzage (AVG art. 15), verzoek {subject.pseudonym()}: "
        + _summary({code: len(rows) for code, rows in data.items()}),
    )
    return buffer.getvalue()


@transaction.atomic
def erase_person(*, subject: Subject, by: User | None, actor_label: str = "") -> dict[str, int]:
    """Erase what every app holds about ``subject`` (AVG art. 17); audited; returns counts."""
    erased = {
        kind.code: kind.erase(kind.rows(subject)) for kind in kinds() if kind.applies_to(subject)
    }
    record_audit(
        action="privacy.erase",
        actor=by,
        actor_label=actor_label,
        organisation=subject.organisation,
        summary=f"wissen (AVG art. 17), verzoek {subject.pseudonym()}: {_summary(erased)}",
    )
    return erased


def model_rows(rows: models.QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    """A plain export: the named fields (``a__b`` follows relations) of each row."""
    return list(rows.order_by("pk").values(*fields))
