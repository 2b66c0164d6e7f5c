"""Writes of quality charters: start one, compose a draft, publish it, start the next version.

Every function runs in one transaction, refuses to change a version that is no longer a draft
(a published version is immutable: results measured against it must stay explainable) and
writes a line to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from burgerlink.charters.charter.validation import (
    normalise_norm,
    not_editable_error,
    validate_norm,
)
from burgerlink.charters.models import (
    Charter,
    CharterNorm,
    CharterVersion,
    ModelNorm,
    VersionStatus,
)
from burgerlink.core.models import Organisation, User
from burgerlink.core.services import record_audit
from burgerlink.core.tasks import enqueue_after_commit

# Measuring records again after a backdated version is the records area's task (its tasks
# module imports the records services, which read charters; naming it keeps that one-way).
REMEASURE_RECORDS = "burgerlink.charters.records.tasks.remeasure_records"

# What a norm taken from the library copies: the definition of what is measured. Keeping it
# fixed keeps results comparable between organisations that use the same model norm.
COPIED_FROM_MODEL = (
    "title_nl",
    "title_en",
    "channel",
    "case_type",
    "metric",
    "threshold",
    "term_unit",
    "target_share",
    "starts_nl",
    "starts_en",
    "stops_nl",
    "stops_en",
    "conditions_nl",
    "conditions_en",
    "bsc_norms",
)
# What an organisation may set on a library norm: its own level, calendar, promise and remedy.
MODEL_NORM_CHOICES = frozenset(
    {
        "threshold",
        "target_share",
        "calendar",
        "compensation_kind",
        "compensation_amount",
        "compensation_cap",
        "compensation_nl",
        "compensation_en",
        "promise_nl",
        "promise_en",
        "position",
    }
)
# An organisation's own norm: everything.
OWN_NORM_FIELDS = MODEL_NORM_CHOICES | frozenset(
    {
        "code",
        "title_nl",
        "title_en",
        "channel",
        "case_type",
        "metric",
        "term_unit",
        "starts_nl",
        "starts_en",
        "stops_nl",
        "stops_en",
        "conditions_nl",
        "conditions_en",
        "bsc_norms",
    }
)


def editable_fields(norm: CharterNorm) -> frozenset[str]:
    """Return the fields staff may change on ``norm`` (fewer for a norm from the library)."""
    return MODEL_NORM_CHOICES if norm.model_norm_id is not None else OWN_NORM_FIELDS


def _require_draft(version: CharterVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise not_editable_error(version.number)


def _locked_version(version: CharterVersion) -> CharterVersion:
    """Lock the charter (one writer at a time) and re-read the version's state in place."""
    Charter.objects.select_for_update().filter(pk=version.charter_id).first()
    version.refresh_from_db()
    return version


def _check_fields(changes: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")


def _save_norm(norm: CharterNorm) -> CharterNorm:
    """Normalise and validate ``norm`` against its version's other norms, then save it."""
    normalise_norm(norm)
    others = list(CharterNorm.objects.filter(version_id=norm.version_id).select_related("channel"))
    validate_norm(norm, others)
    norm.full_clean(validate_constraints=False)
    norm.save()
    return norm


def _next_position(version: CharterVersion) -> int:
    highest = CharterNorm.objects.filter(version=version).aggregate(top=Max("position"))["top"]
    return (highest or 0) + 10


# --- starting a charter -------------------------------------------------------------------


@transaction.atomic
def start_charter(
    organisation: Organisation, by: User | None = None, *, title: str = ""
) -> CharterVersion:
    """Create the organisation's charter with an empty draft version 1 and return the draft."""
    if Charter.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Deze organisatie heeft al een kwaliteitshandvest.")]}
        )
    charter = Charter.objects.create(
        organisation=organisation, title=title or _("Kwaliteitshandvest")
    )
    version = CharterVersion.objects.create(
        charter=charter, organisation=organisation, number=1, status=VersionStatus.DRAFT
    )
    record_audit(
        action="charter.start",
        actor=by,
        organisation=organisation,
        obj=charter,
        summary=charter.title,
    )
    return version


# --- composing a draft --------------------------------------------------------------------


@transaction.atomic
def add_norm_from_model(
    version: CharterVersion, model_norm: ModelNorm, by: User | None = None, **choices: Any
) -> CharterNorm:
    """Add a library norm to a draft; ``choices`` set the organisation's own level and remedy.

    The promise text starts as the library title; staff rewrite it in their own words.
    """
    _check_fields(choices, MODEL_NORM_CHOICES)
    version = _locked_version(version)
    _require_draft(version)
    norm = CharterNorm(
        version=version,
        organisation_id=version.organisation_id,
        code=model_norm.code,
        model_norm=model_norm,
        promise_nl=model_norm.title_nl,
        promise_en=model_norm.title_en,
        position=_next_position(version),
        **{field: getattr(model_norm, field) for field in COPIED_FROM_MODEL},
    )
    for field, value in choices.items():
        setattr(norm, field, value)
    _save_norm(norm)
    record_audit(
        action="charter.norm.add",
        actor=by,
        organisation=version.organisation,
        obj=norm,
        summary=f"v{version.number}: {norm.code} (modelnorm)",
    )
    return norm


@transaction.atomic
def add_own_norm(version: CharterVersion, by: User | None = None, **fields: Any) -> CharterNorm:
    """Add a norm the organisation defines itself (no library norm behind it) to a draft."""
    _check_fields(fields, OWN_NORM_FIELDS)
    version = _locked_version(version)
    _require_draft(version)
    fields.setdefault("position", _next_position(version))
    if not fields.get("code"):
        fields["code"] = slugify(fields.get("title_nl", ""))[:60]
    norm = CharterNorm(version=version, organisation_id=version.organisation_id, **fields)
    _save_norm(norm)
    record_audit(
        action="charter.norm.add",
        actor=by,
        organisation=version.organisation,
        obj=norm,
        summary=f"v{version.number}: {norm.code}",
    )
    return norm


@transaction.atomic
def update_norm(norm: CharterNorm, by: User | None = None, **changes: Any) -> CharterNorm:
    """Change a norm of a draft; a library norm only takes the organisation's own choices."""
    _check_fields(changes, editable_fields(norm))
    version = _locked_version(norm.version)
    _require_draft(version)
    for field, value in changes.items():
        setattr(norm, field, value)
    _save_norm(norm)
    record_audit(
        action="charter.norm.update",
        actor=by,
        organisation=version.organisation,
        obj=norm,
        summary=f"v{version.number}: {norm.code} ({', '.join(sorted(changes))})",
    )
    return norm


@transaction.atomic
def remove_norm(norm: CharterNorm, by: User | None = None) -> None:
    """Take a norm out of a draft."""
    version = _locked_version(norm.version)
    _require_draft(version)
    record_audit(
        action="charter.norm.remove",
        actor=by,
        organisation=version.organisation,
        obj=norm,
        summary=f"v{version.number}: {norm.code}",
    )
    norm.delete()


@transaction.atomic
def update_intro(
    version: CharterVersion, by: User | None = None, *, intro_nl: str, intro_en: str = ""
) -> CharterVersion:
    """Set the introduction of a draft (shown above the promises on the public page)."""
    version = _locked_version(version)
    _require_draft(version)
    version.intro_nl = intro_nl.strip()
    version.intro_en = intro_en.strip()
    version.save(update_fields=["intro_nl", "intro_en"])
    record_audit(
        action="charter.version.intro",
        actor=by,
        organisation=version.organisation,
        obj=version,
        summary=f"v{version.number}",
    )
    return version


# --- publishing and versions --------------------------------------------------------------


def one_year_after(day: date) -> date:
    """Return the same day a year later (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _published_version(charter_id: int) -> CharterVersion | None:
    return (
        CharterVersion.objects.filter(charter_id=charter_id, status=VersionStatus.PUBLISHED)
        .order_by("-valid_from", "-number")
        .first()
    )


@transaction.atomic
def publish_version(
    version: CharterVersion, valid_from: date, by: User | None = None
) -> CharterVersion:
    """Publish a draft from ``valid_from`` on; the previous version ends that day.

    Measurement always uses the version valid on a record's date, so the previous published
    version gets ``valid_to = valid_from`` and becomes superseded. A new version must start
    after the previous one started; the yearly review falls due a year after ``valid_from``.
    """
    version = _locked_version(version)
    _require_draft(version)
    norms = list(version.norms.select_related("channel"))
    if not norms:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Voeg eerst ten minste één norm toe; een leeg handvest kan niet worden "
                        "gepubliceerd."
                    )
                ]
            }
        )
    # Norms written around the services (admin, data migrations) still have to hold together.
    for norm in norms:
        try:
            validate_norm(norm, norms)
        except ValidationError as error:
            messages = [f"{norm.title_nl}: {message}" for message in error.messages]
            raise ValidationError({NON_FIELD_ERRORS: messages}) from error
    previous = _published_version(version.charter_id)
    if previous is not None and previous.valid_from is not None:
        if valid_from <= previous.valid_from:
            raise ValidationError(
                {
                    "valid_from": [
                        _(
                            "Versie %(number)s geldt al vanaf %(date)s; de nieuwe versie moet "
                            "later ingaan."
                        )
                        % {
                            "number": previous.number,
                            "date": date_format(previous.valid_from, "j F Y"),
                        }
                    ]
                }
            )
        previous.valid_to = valid_from
        previous.status = VersionStatus.SUPERSEDED
        previous.save(update_fields=["valid_to", "status"])
    version.status = VersionStatus.PUBLISHED
    version.valid_from = valid_from
    version.valid_to = None
    version.review_due = one_year_after(valid_from)
    version.published_at = timezone.now()
    version.published_by = by
    version.save(
        update_fields=[
            "status",
            "valid_from",
            "valid_to",
            "review_due",
            "published_at",
            "published_by",
        ]
    )
    if valid_from <= timezone.localdate():
        # Records already imported for days this version now governs are measured again.
        enqueue_after_commit(REMEASURE_RECORDS, version.organisation_id, valid_from.isoformat())
    record_audit(
        action="charter.version.publish",
        actor=by,
        organisation=version.organisation,
        obj=version,
        summary=f"v{version.number} geldig vanaf {valid_from.isoformat()}"
        + (f"; v{previous.number} vervangen" if previous is not None else ""),
    )
    return version


@transaction.atomic
def new_draft_from(version: CharterVersion, by: User | None = None) -> CharterVersion:
    """Copy a published (or superseded) version into a new draft, keeping the norm codes."""
    version = _locked_version(version)
    if version.status == VersionStatus.DRAFT:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Dit is al een concept; u kunt het direct aanpassen.")]}
        )
    existing = CharterVersion.objects.filter(
        charter_id=version.charter_id, status=VersionStatus.DRAFT
    ).first()
    if existing is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Er is al een conceptversie (versie %(number)s); werk die eerst af.")
                    % {"number": existing.number}
                ]
            }
        )
    highest = CharterVersion.objects.filter(charter_id=version.charter_id).aggregate(
        top=Max("number")
    )["top"]
    draft = CharterVersion.objects.create(
        charter_id=version.charter_id,
        organisation_id=version.organisation_id,
        number=(highest or 0) + 1,
        status=VersionStatus.DRAFT,
        intro_nl=version.intro_nl,
        intro_en=version.intro_en,
    )
    copies = []
    for norm in version.norms.all():
        norm.pk = None
        norm._state.adding = True
        norm.version = draft
        copies.append(norm)
    CharterNorm.objects.bulk_create(copies)
    record_audit(
        action="charter.version.new_draft",
        actor=by,
        organisation=version.organisation,
        obj=draft,
        summary=f"v{draft.number} op basis van v{version.number}",
    )
    return draft


@transaction.atomic
def discard_draft(version: CharterVersion, by: User | None = None) -> None:
    """Throw a draft away; a charter left without any version goes with it."""
    version = _locked_version(version)
    _require_draft(version)
    charter = version.charter
    record_audit(
        action="charter.version.discard",
        actor=by,
        organisation=version.organisation,
        obj=version,
        summary=f"v{version.number}",
    )
    version.delete()
    if not charter.versions.exists():
        charter.delete()
