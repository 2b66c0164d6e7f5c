"""Writes of the respondent's questionnaire: start or resume, save a page, complete, paper entry.

One token gives one response: starting locks the invitee row and creates the response only when
there is none. Saving a page locks the response row, so a double click or a retried request
re-saves the same answers into the same response (answers are unique per response and variable
code). Nothing is stored unless every value passes ``definition.check_answer``; a refused request
changes nothing (each write is one transaction).

Privacy: a response holds answers and the weighting variables only. In an anonymous wave the
invitee's link to the response is cut at completion, and the invitee keeps only the day on which
it completed, so timestamps cannot join the two again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from burgerlink.core.models import User
from burgerlink.core.services import record_audit
from burgerlink.surveys.definition import Definition, check_answer, parse
from burgerlink.surveys.models import (
    Answer,
    Invitee,
    InviteeStatus,
    Response,
    ResponseChannel,
    ResponseStatus,
    Wave,
)
from burgerlink.surveys.respond import logic
from burgerlink.surveys.respond.logic import Answers, Missing

RESUME_KEY = re.compile(r"^[A-Za-z0-9_-]{20,32}\Z")
SCALAR_BACKGROUND = (str, int, float, bool)


# --- errors -------------------------------------------------------------------------------


class RespondError(Exception):
    """A request the questionnaire refuses; nothing was changed. ``status`` is the HTTP status."""

    status = 400
    title: str | Promise = _("Dit lukt niet")
    message: str | Promise = _("Er is niets veranderd.")

    def __init__(self, message: str | Promise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class AlreadyCompletedError(RespondError):
    """The token (or response) was used to complete the questionnaire already."""

    status = 410
    title = _("Al ingevuld")
    message = _("Deze vragenlijst is al ingevuld. Bedankt!")


class WaveClosedError(RespondError):
    """The wave's fieldwork period is over."""

    status = 410
    title = _("Vragenlijst gesloten")
    message = _("Deze vragenlijst is gesloten: invullen kan niet meer. Bedankt voor uw moeite.")


class WaveNotOpenError(RespondError):
    """The wave's fieldwork has not started yet."""

    status = 403
    title = _("Nog niet geopend")
    message = _("Deze vragenlijst is nog niet geopend.")


class UnknownPageError(RespondError):
    """A page key that is not in the questionnaire."""

    status = 404
    title = _("Pagina niet gevonden")
    message = _("Deze pagina hoort niet bij de vragenlijst.")


class InvalidAnswersError(RespondError):
    """Values that are not allowed (out of range, not an option, not on this page)."""

    title = _("Ongeldig antwoord")
    message = _("Een of meer antwoorden zijn niet geldig. Er is niets opgeslagen.")

    def __init__(self, problems: dict[str, str | Promise]) -> None:
        self.problems = problems
        super().__init__()


class IncompleteError(RespondError):
    """Completion refused: required questions on visible pages have no answer."""

    title = _("Nog niet alles ingevuld")
    message = _("Beantwoord eerst de verplichte vragen.")

    def __init__(self, missing: list[Missing]) -> None:
        self.missing = missing
        super().__init__()


class PaperEntryError(RespondError):
    """A paper questionnaire that cannot be entered (already entered, unknown token, ...)."""

    title = _("Niet ingevoerd")


# --- reading helpers used by the writes ----------------------------------------------------


WaveState = Literal["not_open", "open", "closed"]


def wave_state(wave: Wave, now: datetime | None = None) -> WaveState:
    """Whether the wave accepts answers now."""
    moment = now or timezone.now()
    if wave.sample_erased_at is not None or moment >= wave.closes_at:
        return "closed"
    if moment < wave.opens_at:
        return "not_open"
    return "open"


def ensure_open(wave: Wave) -> None:
    """Raise ``WaveClosedError`` or ``WaveNotOpenError`` unless the wave accepts answers now."""
    state = wave_state(wave)
    if state == "closed":
        raise WaveClosedError()
    if state == "not_open":
        raise WaveNotOpenError()


def definition_of(response_or_wave: Response | Wave) -> Definition:
    """The parsed questionnaire of a response or wave."""
    return parse(response_or_wave.version.definition)


def stored_answers(response: Response, definition: Definition) -> Answers:
    """The response's answers as ``{variable code: value}`` (unknown codes are left out)."""
    variables = logic.all_variables(definition)
    answers: Answers = {}
    for code, number, text, choices in response.answers.values_list(
        "code", "number", "text", "choices"
    ):
        question = variables.get(code)
        if question is not None:
            value = logic.value_from_row(question, number, text, choices)
            if logic.is_answered(value):
                answers[code] = value
    return answers


def language_for(definition: Definition, language: str) -> str:
    """A language the questionnaire offers: ``language`` when it can, else Dutch."""
    code = (language or "nl")[:2].lower()
    return code if code in definition.languages else "nl"


def validate_answers(
    definition: Definition, answers: Answers, allowed: set[str] | None = None
) -> None:
    """Raise ``InvalidAnswersError`` for a code outside ``allowed`` or a value ``check_answer`` refuses.

    The last line of defence behind the forms: whatever reaches the database passes here.
    """
    variables = logic.all_variables(definition)
    problems: dict[str, str | Promise] = {}
    for code, value in answers.items():
        question = variables.get(code)
        if question is None or (allowed is not None and code not in allowed):
            problems[code] = _("Deze vraag staat niet op deze pagina.")
            continue
        if isinstance(value, bool) or check_answer(question, value) is not None:
            problems[code] = _("Dit antwoord is niet toegestaan.")
    if problems:
        raise InvalidAnswersError(problems)


def _write_answers(response: Response, definition: Definition, old: Answers, new: Answers) -> None:
    """Make the stored rows equal ``new``: delete what went, update what changed, add the rest."""
    variables = logic.all_variables(definition)
    gone = [code for code in old if code not in new]
    if gone:
        response.answers.filter(code__in=gone).delete()
    # Rows of codes the definition does not know are never shown; leave them alone.
    changed = [code for code, value in new.items() if code in old and old[code] != value]
    for code in changed:
        response.answers.filter(code=code).update(
            **logic.row_from_value(variables[code], new[code])
        )
    added = [code for code in new if code not in old]
    if added:
        # A row may exist with an empty value (counted as unanswered): replace it.
        response.answers.filter(code__in=added).delete()
        Answer.objects.bulk_create(
            Answer(response=response, code=code, **logic.row_from_value(variables[code], new[code]))
            for code in added
        )


def _weighting_variables(wave: Wave) -> set[str] | None:
    """Names of the wave's weighting variables (None when the wave declares none yet)."""
    names: set[str] = set()
    weighting = wave.weighting
    if isinstance(weighting, dict):
        nested = weighting.get("variables") or weighting.get("margins")
        source = nested if isinstance(nested, dict | list) else weighting
        names |= {str(name) for name in source if not str(name).startswith("_")}
        names -= {"method", "trim", "variables", "margins"}
    return names or None


def weighting_background(invitee: Invitee, wave: Wave, definition: Definition) -> dict[str, Any]:
    """The invitee's background values a response may carry: weighting variables only.

    When the wave declares no weighting variables yet, the sample's background columns are
    taken as they are: the sample import keeps only what weighting needs. Only plain values
    are copied (no nested data).
    """
    allowed = _weighting_variables(wave)
    background = invitee.background if isinstance(invitee.background, dict) else {}
    return {
        str(name): value
        for name, value in background.items()
        if isinstance(value, SCALAR_BACKGROUND) and (allowed is None or name in allowed)
    }


def new_resume_key() -> str:
    """A random key for an open-link respondent's cookie."""
    return secrets.token_urlsafe(24)


# --- the respondent -----------------------------------------------------------------------


@transaction.atomic
def start_or_resume(invitee: Invitee, *, language: str) -> Response:
    """Start the invitee's response, or return the one in progress (one response per token).

    The invitee row is locked, so two simultaneous starts create one response. Refused (and
    nothing changed) when the invitee completed already or the wave does not accept answers.
    """
    locked = Invitee.objects.select_for_update().get(pk=invitee.pk)
    wave = Wave.objects.select_related("version").get(pk=locked.wave_id)
    response = (
        Response.objects.filter(pk=locked.response_id).first() if locked.response_id else None
    )
    if locked.status == InviteeStatus.COMPLETED or (
        response is not None and response.status == ResponseStatus.COMPLETED
    ):
        raise AlreadyCompletedError()
    ensure_open(wave)
    if response is None:
        response = Response.objects.create(
            wave=wave,
            organisation_id=wave.organisation_id,
            version_id=wave.version_id,
            channel=ResponseChannel.WEB,
            language=language_for(definition_of(wave), language),
        )
        locked.response = response
    locked.status = InviteeStatus.STARTED
    locked.save(update_fields=["response", "status"])
    invitee.refresh_from_db()
    return response


@transaction.atomic
def start_open_link(wave: Wave, *, language: str, resume_key: str | None = None) -> Response:
    """Start a response through the wave's open link, kept by a random ``resume_key``.

    The key comes from the start form (generated when it was shown), so a double click on
    "Begin" returns the same response instead of a second one; starts of one wave are
    serialised on the wave row.
    """
    locked = Wave.objects.select_for_update().select_related("version").get(pk=wave.pk)
    if not locked.open_link:
        raise WaveClosedError()
    ensure_open(locked)
    key = resume_key if resume_key and RESUME_KEY.match(resume_key) else new_resume_key()
    existing = Response.objects.filter(wave=locked, resume_key=key).first()
    if existing is not None:
        if existing.status == ResponseStatus.COMPLETED:
            raise AlreadyCompletedError()
        return existing
    return Response.objects.create(
        wave=locked,
        organisation_id=locked.organisation_id,
        version_id=locked.version_id,
        channel=ResponseChannel.OPEN_LINK,
        language=language_for(definition_of(locked), language),
        resume_key=key,
    )


@transaction.atomic
def set_language(response: Response, language: str) -> Response:
    """Store the language the respondent chose (one the questionnaire offers)."""
    locked = Response.objects.select_for_update().select_related("version").get(pk=response.pk)
    if locked.status == ResponseStatus.COMPLETED:
        raise AlreadyCompletedError()
    chosen = language_for(definition_of(locked), language)
    if chosen != locked.language:
        locked.language = chosen
        locked.save(update_fields=["language"])
    response.language = chosen
    return locked


Direction = Literal["stay", "next", "previous"]


@dataclass(frozen=True)
class SaveOutcome:
    """What saving a page did: whether the form was stale, the answers now, where to go."""

    stale: bool
    answers: Answers
    target: str | None  # the page to show next; None after the last page (time to complete)
    revision: int


@transaction.atomic
def save_page(
    response: Response,
    page_key: str,
    answers: Answers,
    *,
    expected_revision: int | None,
    direction: Direction = "stay",
) -> SaveOutcome:
    """Store the answers of one page (codes of that page only; ``None`` clears an answer).

    Answers of questions that routing now hides are removed, ``revision`` goes up by one and
    ``current_page`` becomes the page the respondent goes to. A form whose revision is behind
    (a double click, a retry after a timeout) re-saves the same page: same response, same
    answers, nothing lost, and the respondent's place is not moved back.
    """
    locked = (
        Response.objects.select_for_update().select_related("wave", "version").get(pk=response.pk)
    )
    if locked.status == ResponseStatus.COMPLETED:
        raise AlreadyCompletedError()
    ensure_open(locked.wave)
    definition = definition_of(locked)
    page = logic.find_page(definition, page_key)
    if page is None:
        raise UnknownPageError()
    page_codes = logic.page_variables(page)
    validate_answers(definition, answers, set(page_codes))
    old = stored_answers(locked, definition)
    merged = {code: value for code, value in old.items() if code not in page_codes}
    merged.update({code: value for code, value in answers.items() if logic.is_answered(value)})
    new = logic.prune(definition, merged)
    _write_answers(locked, definition, old, new)

    target: str | None = page.key
    if direction == "next":
        following = logic.next_page(definition, new, page.key)
        target = following.key if following else None
    elif direction == "previous":
        before = logic.previous_page(definition, new, page.key)
        target = before.key if before else page.key
    stale = expected_revision is not None and expected_revision != locked.revision
    current = target or page.key
    if stale and locked.current_page:
        keys = [p.key for p in logic.visible_page_list(definition, new)]
        if locked.current_page in keys and current in keys:
            current = max(current, locked.current_page, key=keys.index)
    locked.revision += 1
    locked.current_page = current
    locked.save(update_fields=["revision", "current_page"])
    response.revision, response.current_page = locked.revision, locked.current_page
    return SaveOutcome(stale=stale, answers=new, target=target, revision=locked.revision)


@transaction.atomic
def complete(response: Response) -> Response:
    """Finish a response: every required question on a visible page must have an answer.

    Copies the invitee's weighting variables onto the response, marks invitee and response
    completed and, in an anonymous wave, cuts the link between them (and drops an open-link
    respondent's resume key).
    """
    invitee = Invitee.objects.select_for_update().filter(response_id=response.pk).first()
    locked = (
        Response.objects.select_for_update().select_related("wave", "version").get(pk=response.pk)
    )
    if locked.status == ResponseStatus.COMPLETED:
        raise AlreadyCompletedError()
    wave = locked.wave
    ensure_open(wave)
    definition = definition_of(locked)
    missing = logic.missing_required(definition, stored_answers(locked, definition))
    if missing:
        raise IncompleteError(missing)
    now = timezone.now()
    locked.status = ResponseStatus.COMPLETED
    locked.completed_at = now
    if invitee is not None:
        locked.background = weighting_background(invitee, wave, definition)
        _mark_invitee_completed(invitee, locked, wave, now)
    if wave.anonymous:
        locked.resume_key = ""
    locked.save(update_fields=["status", "completed_at", "background", "resume_key"])
    response.status, response.completed_at = locked.status, locked.completed_at
    response.background, response.resume_key = locked.background, locked.resume_key
    return locked


def _mark_invitee_completed(
    invitee: Invitee, response: Response | None, wave: Wave, now: datetime
) -> None:
    """Set the invitee completed; anonymous waves keep no link and only the day."""
    invitee.status = InviteeStatus.COMPLETED
    if wave.anonymous:
        local = timezone.localtime(now)
        invitee.completed_at = local.replace(hour=0, minute=0, second=0, microsecond=0)
        invitee.response = None
    else:
        invitee.completed_at = now
        invitee.response = response
    invitee.save(update_fields=["status", "completed_at", "response"])


# --- paper questionnaires -----------------------------------------------------------------


@dataclass(frozen=True)
class PaperOutcome:
    """The response a paper questionnaire became, and whether it had been entered before."""

    response: Response
    duplicate: bool = False
    notes: list[str] = field(default_factory=list)


def paper_external_id(form_number: str, entry_key: str) -> str:
    """The idempotency key of a paper entry: the form's number, else the entry form's key."""
    if form_number:
        return f"papier-{form_number}"[:64]
    return f"papier-invoer-{entry_key}"[:64]


@transaction.atomic
def enter_paper_response(
    wave: Wave,
    answers: Answers,
    *,
    entered_by: User | None,
    language: str = "nl",
    form_number: str = "",
    entry_key: str = "",
    token: str = "",
) -> PaperOutcome:
    """Store a paper questionnaire typed in by staff as a completed response (channel paper).

    Every question may be answered (routing is not enforced: the paper is entered as filled
    in), but every value is checked. A form number, or else the entry form's own key, makes
    entry idempotent: the same form twice is refused (by number) or returns the first response
    (a double submit). With the invitee's token from the letter, the invitee is marked
    completed, so reminders stop. Audited.
    """
    definition = definition_of(wave)
    validate_answers(definition, answers)
    external_id = paper_external_id(form_number.strip(), entry_key.strip() or new_resume_key())
    existing = Response.objects.filter(wave=wave, external_id=external_id).first()
    if existing is not None:
        if form_number:
            raise PaperEntryError(
                _("Formulier %(number)s is al ingevoerd. Er is niets opgeslagen.")
                % {"number": form_number}
            )
        return PaperOutcome(response=existing, duplicate=True)
    invitee = None
    if token:
        invitee = Invitee.objects.select_for_update().filter(wave=wave, token=token.strip()).first()
        if invitee is None:
            raise PaperEntryError(
                _("Deze toegangscode hoort niet bij deze meting. Er is niets opgeslagen.")
            )
        if invitee.status == InviteeStatus.COMPLETED:
            raise PaperEntryError(
                _(
                    "Deze genodigde heeft de vragenlijst al ingevuld (online of op papier). "
                    "Er is niets opgeslagen."
                )
            )
    now = timezone.now()
    variables = logic.all_variables(definition)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                wave=wave,
                organisation_id=wave.organisation_id,
                version_id=wave.version_id,
                status=ResponseStatus.COMPLETED,
                channel=ResponseChannel.PAPER,
                language=language_for(definition, language),
                external_id=external_id,
                completed_at=now,
                entered_by=entered_by,
                background=weighting_background(invitee, wave, definition) if invitee else {},
            )
    except IntegrityError:  # the same form, entered at the same moment by someone else
        existing = Response.objects.get(wave=wave, external_id=external_id)
        return PaperOutcome(response=existing, duplicate=True)
    Answer.objects.bulk_create(
        Answer(response=response, code=code, **logic.row_from_value(variables[code], value))
        for code, value in answers.items()
        if logic.is_answered(value)
    )
    notes = []
    if invitee is not None:
        _mark_invitee_completed(invitee, response, wave, now)
        notes.append("invitee")
    record_audit(
        action="survey.paper_entry",
        actor=entered_by,
        organisation=wave.organisation,
        obj=response,
        summary=f"{wave}: papieren vragenlijst ingevoerd"
        + (f" (formulier {form_number})" if form_number else ""),
    )
    return PaperOutcome(response=response, notes=notes)
