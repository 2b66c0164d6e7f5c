"""Writes of questionnaires: start from a template, edit a draft, new versions, fielding.

Every function runs in one transaction, locks the version it changes (two editors never lose
each other's work), refuses to touch a version that is no longer a draft (a fielded version is
immutable: answers collected with it must stay explainable) and writes a line to the audit log.
The rules on the definition itself live in the pure module ``editing``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from burgerlink.core.models import LifeEvent, Organisation, User
from burgerlink.core.services import record_audit
from burgerlink.surveys.definition import Definition
from burgerlink.surveys.models import (
    Questionnaire,
    QuestionnaireVersion,
    TemplateKind,
    VersionStatus,
)
from burgerlink.surveys.questionnaires import editing
from burgerlink.surveys.questionnaires.editing import JSON, Direction

CODE_MAX_LENGTH = 80


def _not_editable(version: QuestionnaireVersion) -> ValidationError:
    return ValidationError(
        _(
            "Versie %(number)s is in gebruik en verandert daarom niet meer. Maak een nieuwe "
            "versie om iets aan te passen."
        )
        % {"number": version.number}
    )


def _locked(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Lock the version row and re-read it in place (its status may have changed meanwhile)."""
    fresh = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    version.status = fresh.status
    version.definition = fresh.definition
    version.fielded_at = fresh.fielded_at
    return version


def _draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    version = _locked(version)
    if version.status != VersionStatus.DRAFT:
        raise _not_editable(version)
    return version


def _save_definition(
    version: QuestionnaireVersion, definition: JSON, *, action: str, summary: str, by: User | None
) -> QuestionnaireVersion:
    version.definition = definition
    version.save(update_fields=["definition"])
    record_audit(
        actor=by,
        organisation=version.organisation,
        action=action,
        obj=version,
        summary=f"{version.questionnaire.title_nl} v{version.number}: {summary}",
    )
    return version


def _unique_code(organisation: Organisation, title: str) -> str:
    base = (slugify(title) or "vragenlijst")[: CODE_MAX_LENGTH - 4].strip("-") or "vragenlijst"
    taken = set(
        Questionnaire.objects.filter(organisation=organisation, code__startswith=base).values_list(
            "code", flat=True
        )
    )
    code, number = base, 2
    while code in taken:
        code = f"{base}-{number}"
        number += 1
    return code


# --- starting -----------------------------------------------------------------------------------


@transaction.atomic
def start_from_template(
    organisation: Organisation,
    template_version: QuestionnaireVersion,
    *,
    title: str,
    life_events: Iterable[LifeEvent | str] | None = None,
    title_en: str = "",
    by: User | None,
) -> Questionnaire:
    """Give ``organisation`` its own questionnaire, based on a platform template version.

    The copy starts as draft version 1. For the life-event template, ``life_events`` (events or
    their codes) narrows it to those events and the organisations of their chains; without it
    every event of the template stays.
    """
    template = template_version.questionnaire
    if not template.is_template or template_version.status == VersionStatus.DRAFT:
        raise ValidationError(_("Begin met een vastgestelde versie van een platformsjabloon."))
    title = title.strip()
    if not title:
        raise ValidationError(_("Geef de vragenlijst een titel."))
    definition: JSON = dict(template_version.definition)
    if life_events is not None:
        codes = [event if isinstance(event, str) else event.code for event in life_events]
        definition = editing.tailor(definition, codes)
    definition = {
        **definition,
        "title": {"nl": title, "en": title_en.strip()} if title_en.strip() else {"nl": title},
    }
    editing.validate(definition)
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        code=_unique_code(organisation, title),
        title_nl=title[:200],
        title_en=title_en.strip()[:200],
        kind=template.kind,
        based_on=template_version,
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        organisation=organisation,
        number=1,
        status=VersionStatus.DRAFT,
        definition=definition,
        created_by=by,
    )
    record_audit(
        actor=by,
        organisation=organisation,
        action="survey.questionnaire.start",
        obj=questionnaire,
        summary=f"{title} (sjabloon {template.code} v{template_version.number}, "
        f"{len(editing.all_codes(version.definition))} variabelen)",
    )
    return questionnaire


@transaction.atomic
def start_empty(
    organisation: Organisation, *, title: str, title_en: str = "", by: User | None
) -> Questionnaire:
    """Start an organisation's own questionnaire without a template (one open question)."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Geef de vragenlijst een titel."))
    definition: JSON = {
        "title": {"nl": title, "en": title_en.strip()} if title_en.strip() else {"nl": title},
        "languages": ["nl", "en"],
        "pages": [
            {
                "key": "vragen",
                "title": {"nl": "Vragen", "en": "Questions"},
                "questions": [
                    {
                        "code": "OPEN_REMARK",
                        "type": "text",
                        "text": {"nl": "Wilt u nog iets kwijt?", "en": "Anything else to add?"},
                        "role": "open",
                    }
                ],
            }
        ],
    }
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        code=_unique_code(organisation, title),
        title_nl=title[:200],
        title_en=title_en.strip()[:200],
        kind=TemplateKind.CUSTOM,
    )
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        organisation=organisation,
        number=1,
        definition=definition,
        created_by=by,
    )
    record_audit(
        actor=by,
        organisation=organisation,
        action="survey.questionnaire.start",
        obj=questionnaire,
        summary=title,
    )
    return questionnaire


# --- editing a draft ----------------------------------------------------------------------------


def _history_check(version: QuestionnaireVersion, definition: JSON, question: JSON) -> None:
    """Refuse early when an edited question reuses an earlier version's code for another one."""
    problems = code_history_problems(
        version.questionnaire, editing.validate(definition), only=editing.variables_of(question)
    )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def add_question(
    version: QuestionnaireVersion,
    question: JSON,
    *,
    page_key: str,
    by: User | None,
    page_title: JSON | None = None,
    position: int | None = None,
) -> QuestionnaireVersion:
    """Add a question to a page of a draft (a new page at the end when ``page_title`` is given).

    Refuses a code already used in this version, and a code an earlier fielded version used for
    a different question.
    """
    version = _draft(version)
    definition = editing.insert_question(
        version.definition, question, page_key=page_key, page_title=page_title, position=position
    )
    _history_check(version, definition, question)
    return _save_definition(
        version,
        definition,
        action="survey.question.add",
        summary=str(question.get("code", "")),
        by=by,
    )


@transaction.atomic
def update_question(
    version: QuestionnaireVersion, code: str, question: JSON, *, by: User | None
) -> QuestionnaireVersion:
    """Change a question of a draft (texts, options, routing ...); its code stays."""
    version = _draft(version)
    definition = editing.replace_question(version.definition, code, question)
    _history_check(version, definition, question)
    return _save_definition(
        version, definition, action="survey.question.update", summary=code, by=by
    )


@transaction.atomic
def remove_question(
    version: QuestionnaireVersion, code: str, *, by: User | None
) -> QuestionnaireVersion:
    """Remove a question from a draft (not while other questions route on it)."""
    version = _draft(version)
    definition = editing.remove_question(version.definition, code)
    return _save_definition(
        version, definition, action="survey.question.remove", summary=code, by=by
    )


@transaction.atomic
def move_question(
    version: QuestionnaireVersion, code: str, direction: Direction, *, by: User | None
) -> QuestionnaireVersion:
    """Move a question of a draft one place up or down (across page boundaries too)."""
    version = _draft(version)
    definition = editing.move_question(version.definition, code, direction)
    return _save_definition(
        version,
        definition,
        action="survey.question.move",
        summary=f"{code} {direction}",
        by=by,
    )


@transaction.atomic
def move_page(
    version: QuestionnaireVersion, key: str, direction: Direction, *, by: User | None
) -> QuestionnaireVersion:
    """Move a page of a draft one place up or down."""
    version = _draft(version)
    definition = editing.move_page(version.definition, key, direction)
    return _save_definition(
        version,
        definition,
        action="survey.page.move",
        summary=f"{key} {direction}",
        by=by,
    )


# --- versions -----------------------------------------------------------------------------------


@transaction.atomic
def new_version(questionnaire: Questionnaire, *, by: User | None) -> QuestionnaireVersion:
    """Copy the latest version of an organisation's questionnaire into a new draft."""
    if questionnaire.is_template:
        raise ValidationError(
            _("Een sjabloon van het platform verandert niet; begin er een eigen vragenlijst mee.")
        )
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("Er is al een concept (versie %(number)s); werk dat eerst af.")
            % {"number": draft.number}
        )
    latest = questionnaire.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError(_("Deze vragenlijst heeft nog geen versie."))
    number = (questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        organisation=questionnaire.organisation,
        number=number,
        status=VersionStatus.DRAFT,
        definition=latest.definition,
        created_by=by,
    )
    record_audit(
        actor=by,
        organisation=questionnaire.organisation,
        action="survey.version.new",
        obj=version,
        summary=f"{questionnaire.title_nl} v{number} (kopie van v{latest.number})",
    )
    return version


def code_history_problems(
    questionnaire: Questionnaire, definition: Definition, only: Collection[str] | None = None
) -> list[str]:
    """What in ``definition`` breaks the code history of ``questionnaire`` (empty: nothing).

    Compared with every version that collected (or may collect) answers: fielded and retired;
    ``only`` limits the check to some variable codes.
    """
    earlier = [
        (number, editing.validate(stored))
        for number, stored in questionnaire.versions.exclude(status=VersionStatus.DRAFT)
        .order_by("number")
        .values_list("number", "definition")
    ]
    return editing.history_problems(definition, earlier, only)


def check_code_history(questionnaire: Questionnaire, definition: Definition | JSON) -> None:
    """Enforce "a new version may reuse codes only for the same question" (or raise).

    The same code must keep the same type and the same answer codes as in every fielded or
    retired version of the questionnaire that used it.
    """
    parsed = definition if isinstance(definition, Definition) else editing.validate(definition)
    problems = code_history_problems(questionnaire, parsed)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def field_version(version: QuestionnaireVersion, *, by: User | None = None) -> QuestionnaireVersion:
    """Mark a draft fielded: from now on it is immutable. Fieldwork calls this for a new wave.

    A version that is already fielded or retired is returned unchanged. Earlier fielded versions
    of the questionnaire become retired (replaced); waves that use them keep working.
    """
    version = _locked(version)
    if version.status != VersionStatus.DRAFT:
        return version
    parsed = editing.validate(version.definition)
    check_code_history(version.questionnaire, parsed)
    version.status = VersionStatus.FIELDED
    version.fielded_at = timezone.now()
    version.save(update_fields=["status", "fielded_at"])
    QuestionnaireVersion.objects.filter(
        questionnaire_id=version.questionnaire_id,
        status=VersionStatus.FIELDED,
        number__lt=version.number,
    ).update(status=VersionStatus.RETIRED)
    record_audit(
        actor=by,
        actor_label="" if by is not None else "systeem",
        organisation=version.organisation,
        action="survey.version.field",
        obj=version,
        summary=f"{version.questionnaire.title_nl} v{version.number}",
    )
    return version


@transaction.atomic
def discard_draft(version: QuestionnaireVersion, *, by: User | None) -> Questionnaire | None:
    """Throw a draft away; a questionnaire left without versions goes too (returns None then)."""
    version = _draft(version)
    questionnaire = version.questionnaire
    number = version.number
    record_audit(
        actor=by,
        organisation=version.organisation,
        action="survey.version.discard",
        obj=version,
        summary=f"{questionnaire.title_nl} v{number}",
    )
    version.delete()
    if not questionnaire.versions.exists() and not questionnaire.surveys.exists():
        questionnaire.delete()
        return None
    return questionnaire


# --- the guard behind the services --------------------------------------------------------------


def guard_fielded_versions(sender: Any, instance: QuestionnaireVersion, **kwargs: Any) -> None:
    """``pre_save`` receiver: a fielded or retired version never changes its content again.

    Services already refuse; this catches direct ``save()`` calls from anywhere else.
    """
    if instance.pk is None or kwargs.get("raw"):
        return
    stored = (
        QuestionnaireVersion.objects.filter(pk=instance.pk)
        .values_list("status", "definition")
        .first()
    )
    if stored is None or stored[0] == VersionStatus.DRAFT:
        return
    if instance.status == VersionStatus.DRAFT or instance.definition != stored[1]:
        raise ValidationError(
            _("Versie %(number)s is in gebruik en verandert daarom niet meer.")
            % {"number": instance.number}
        )
