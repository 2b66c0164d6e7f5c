"""Writes of the fieldwork area: surveys, waves, samples, invitations, imports and retention.

Every staff action runs in one transaction and is audited. Files are checked as a whole before
anything is stored (all or nothing, problems naming row and column). E-mails go out from
background tasks (``tasks.py``) that call ``deliver_invitations`` / ``deliver_reminders``.

Privacy: the sample holds only contact data and weighting variables, and is erased once a wave
has been closed for its retention period; the audit log never holds an address.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as DefinitionError

from burgerlink.core import notify
from burgerlink.core.files import (
    FileLimits,
    ImportRejectedError,
    Problem,
    ProblemList,
    Progress,
    UnreadableFileError,
)
from burgerlink.core.files import read_table as read_file
from burgerlink.core.models import LifeEvent, Organisation, User
from burgerlink.core.services import record_audit
from burgerlink.core.tasks import enqueue_after_commit
from burgerlink.surveys.analysis.weighting import WeightingError
from burgerlink.surveys.definition import Definition, Question, parse
from burgerlink.surveys.fieldwork import letters as letter_pdf
from burgerlink.surveys.fieldwork import selectors
from burgerlink.surveys.fieldwork.links import respond_url
from burgerlink.surveys.fieldwork.mail import MailContext, build_message
from burgerlink.surveys.fieldwork.response_file import (
    check_responses,
    read_table,
    variables_of,
)
from burgerlink.surveys.fieldwork.rules import (
    WaveState,
    check_weighting,
    next_reminder,
    parse_reminder_days,
    retention_ends,
    wave_state,
)
from burgerlink.surveys.fieldwork.sample import check_sample
from burgerlink.surveys.models import (
    Answer,
    Invitee,
    InviteeStatus,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    VersionStatus,
    Wave,
)
from burgerlink.surveys.questionnaires import services as questionnaire_services

TOKEN_BYTES = 16  # secrets.token_urlsafe(16): 22 characters, 128 bits
OPEN_LINK_BYTES = 12
MAX_RETENTION_DAYS = 3650
SEND_BATCH = 50
WRITE_BATCH = 1000
# The background tasks that deliver a round (``tasks.py`` imports this module, not the reverse).
SEND_INVITATIONS = "burgerlink.surveys.fieldwork.tasks.send_invitations"
SEND_REMINDERS = "burgerlink.surveys.fieldwork.tasks.send_reminders"


# --- surveys and waves ------------------------------------------------------------------------


@transaction.atomic
def create_survey(
    *,
    organisation: Organisation,
    questionnaire: Questionnaire,
    title: str,
    life_events: Iterable[LifeEvent] = (),
    by: User | None,
) -> Survey:
    """Start a survey of one of the organisation's own questionnaires."""
    if questionnaire.organisation_id != organisation.pk:
        raise ValidationError(
            {"questionnaire": _("Kies een vragenlijst van uw eigen organisatie.")}
        )
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Geef het onderzoek een titel.")})
    survey = Survey.objects.create(
        organisation=organisation, questionnaire=questionnaire, title=title[:200]
    )
    survey.life_events.set(list(life_events))
    record_audit(
        actor=by,
        organisation=organisation,
        action="surveys.survey.create",
        obj=survey,
        summary=survey.title,
    )
    return survey


def field_version(version: QuestionnaireVersion, *, by: User | None) -> QuestionnaireVersion:
    """Make a version immutable because a wave uses it (fielded); no-op when it already is.

    The questionnaires area owns the version's life cycle (it also retires the versions this
    one replaces and checks that variable codes keep their meaning); fieldwork only asks.
    """
    return questionnaire_services.field_version(version, by=by)


def start_of_day(day: date) -> datetime:
    """A wave opening on ``day`` opens at midnight, Dutch time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """A wave closing on ``day`` stays open through that whole day, Dutch time."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _unique_code(nbytes: int) -> str:
    """A random code not used as a token or open link anywhere (both open a questionnaire)."""
    while True:
        code = secrets.token_urlsafe(nbytes)
        if (
            not Invitee.objects.filter(token=code).exists()
            and not Wave.objects.filter(open_link=code).exists()
        ):
            return code


@transaction.atomic
def create_wave(
    *,
    survey: Survey,
    version: QuestionnaireVersion,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    anonymous: bool = True,
    population_size: int | None = None,
    weighting: Mapping[str, Any] | None = None,
    reminder_days: str | list[int] | None = None,
    retention_days: int = 90,
    open_link: bool = False,
    open_link_limit: int | None = 1,
    by: User | None,
) -> Wave:
    """Plan a wave of a survey; fielding it makes the questionnaire version immutable.

    Raises ``ValidationError`` (keyed by field) for a version of another questionnaire or a
    retired one, dates in the wrong order, weighting shares that do not add up, or a bad
    reminder schedule.
    """
    errors: dict[str, str] = {}
    if version.questionnaire_id != survey.questionnaire_id:
        errors["version"] = _("Deze versie hoort niet bij de vragenlijst van dit onderzoek.")
    elif version.status == VersionStatus.RETIRED:
        errors["version"] = _("Deze versie is vervangen; kies een nieuwere.")
    else:
        try:
            parse(version.definition)
        except DefinitionError:
            errors["version"] = _("De inhoud van deze versie is niet geldig; herstel die eerst.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("De meting moet sluiten na de dag waarop zij opent.")
    try:
        targets = check_weighting(dict(weighting) if weighting else {})
    except WeightingError as error:
        errors["weighting"] = str(error)
        targets = {}
    try:
        days = parse_reminder_days(reminder_days)
    except ValueError as error:
        errors["reminder_days"] = str(error)
        days = []
    if open_link_limit is not None and open_link_limit < 1:
        errors["open_link_limit"] = _("Eén browser vult minstens één keer in; leeg is onbeperkt.")
    if population_size is not None and population_size < 1:
        errors["population_size"] = _("De populatie telt minstens één persoon.")
    if not 0 <= retention_days <= MAX_RETENTION_DAYS:
        errors["retention_days"] = _("De bewaartermijn is 0 tot 3650 dagen.")
    name = " ".join(name.split())
    if not name:
        errors["name"] = _("Geef de meting een naam, zoals 'meting 2026'.")
    if errors:
        raise ValidationError(errors)
    locked = field_version(
        QuestionnaireVersion.objects.select_for_update().get(pk=version.pk), by=by
    )
    wave = Wave.objects.create(
        survey=survey,
        organisation=survey.organisation,
        version=locked,
        name=name[:120],
        opens_at=opens_at,
        closes_at=closes_at,
        anonymous=anonymous,
        open_link=_unique_code(OPEN_LINK_BYTES) if open_link else "",
        open_link_limit=open_link_limit,
        population_size=population_size,
        weighting=targets,
        reminder_days=days,
        retention_days=retention_days,
    )
    record_audit(
        actor=by,
        organisation=survey.organisation,
        action="surveys.wave.create",
        obj=wave,
        summary=f"{survey.title}: {wave.name} (versie {locked.number})",
    )
    return wave


@transaction.atomic
def add_open_link(*, wave: Wave, by: User | None) -> str:
    """Give a wave an open link for panels and websites (kept when it already has one)."""
    locked = Wave.objects.select_for_update().get(pk=wave.pk)
    if not locked.open_link:
        if wave_state(locked.opens_at, locked.closes_at, timezone.now()) == WaveState.CLOSED:
            raise ValidationError(_("Deze meting is gesloten."))
        locked.open_link = _unique_code(OPEN_LINK_BYTES)
        locked.save(update_fields=["open_link"])
        record_audit(
            actor=by, organisation=wave.organisation, action="surveys.wave.open_link", obj=wave
        )
    wave.open_link = locked.open_link
    return locked.open_link


@transaction.atomic
def close_wave(*, wave: Wave, by: User | None, now: datetime | None = None) -> Wave:
    """Close an open wave now instead of on its closing date; the retention period starts."""
    now = now or timezone.now()
    locked = Wave.objects.select_for_update().get(pk=wave.pk)
    state = wave_state(locked.opens_at, locked.closes_at, now)
    if state == WaveState.CLOSED:
        raise ValidationError(_("Deze meting is al gesloten."))
    if state == WaveState.PLANNED:
        raise ValidationError(
            _("Deze meting is nog niet begonnen; sluiten kan pas als zij open is.")
        )
    locked.closes_at = now
    locked.save(update_fields=["closes_at"])
    wave.closes_at = now
    record_audit(
        actor=by,
        organisation=wave.organisation,
        action="surveys.wave.close",
        obj=wave,
        summary=_("vervroegd gesloten"),
    )
    return wave


# --- the sample -----------------------------------------------------------------------------


def weighting_targets(wave: Wave) -> dict[str, dict[str, float]]:
    """The wave's weighting targets (variables whose shares are not a mapping are skipped)."""
    raw = wave.weighting if isinstance(wave.weighting, dict) else {}
    return {
        str(name): {str(k): v for k, v in shares.items()}
        for name, shares in raw.items()
        if isinstance(shares, dict)
    }


def _new_tokens(count: int) -> list[str]:
    """``count`` fresh tokens, unique among themselves, every invitee and every open link."""
    tokens: set[str] = set()
    while len(tokens) < count:
        candidates = {secrets.token_urlsafe(TOKEN_BYTES) for _n in range(count - len(tokens))}
        taken = set(Invitee.objects.filter(token__in=candidates).values_list("token", flat=True))
        taken |= set(
            Wave.objects.filter(open_link__in=candidates).values_list("open_link", flat=True)
        )
        tokens |= candidates - taken
    return list(tokens)


@dataclass(frozen=True)
class SampleImportResult:
    """What a sample import stored."""

    created: int
    ignored_columns: list[str] = field(default_factory=list)


def _refuse_sample_changes(wave: Wave, now: datetime) -> None:
    if wave.sample_erased_at is not None:
        raise ImportRejectedError(
            [Problem(None, "", _("De steekproef van deze meting is al gewist."))]
        )
    if wave_state(wave.opens_at, wave.closes_at, now) == WaveState.CLOSED:
        raise ImportRejectedError(
            [Problem(None, "", _("Deze meting is gesloten: er kan niemand meer bij."))]
        )


def _sample_emails(wave: Wave) -> list[str]:
    return list(Invitee.objects.filter(wave=wave).exclude(email="").values_list("email", flat=True))


def import_sample(
    wave: Wave,
    stream: IO[bytes],
    *,
    by: User | None,
    now: datetime | None = None,
    progress: Progress | None = None,
    limits: FileLimits | None = None,
) -> SampleImportResult:
    """Add the people in a CSV or Excel file to a wave's sample, each with a unique token.

    Columns: ``email`` and/or ``postal_address`` (at least one per row), optional ``language``
    (nl/en) and the wave's weighting variables (values among the target's categories). Other
    columns are not stored; they are reported in ``ignored_columns``. Raises
    ``ImportRejectedError`` naming row and column when anything is wrong: then nothing is
    stored. The file is read within ``limits`` (default: the settings'); ``progress`` hears the
    rows read so far.
    """
    now = now or timezone.now()
    _refuse_sample_changes(wave, now)
    # The whole file is read and checked before the transaction: on SQLite a transaction holds
    # the database's one write lock, and logins must not wait while a large file is read.
    try:
        _format, chunks = read_file(stream, formats=("csv", "xlsx"), limits=limits)
        plan = check_sample(
            chunks,
            weighting_targets(wave),
            _sample_emails(wave),
            progress,
        )
    except UnreadableFileError as error:
        raise ImportRejectedError.of(error) from error
    if plan.problems:
        raise ImportRejectedError(plan.problems, ignored_columns=plan.ignored_columns)
    with transaction.atomic():
        locked = Wave.objects.select_for_update().get(pk=wave.pk)
        _refuse_sample_changes(locked, now)
        # Another import may have added some of these people while this file was read.
        stored = {email.casefold() for email in _sample_emails(locked)}
        added = ProblemList()
        for row in plan.rows:
            if row.email and row.email.casefold() in stored:
                added.add(
                    row.row, "", _("Dit e-mailadres staat al in de steekproef van deze meting.")
                )
        if added:
            raise ImportRejectedError(added, ignored_columns=plan.ignored_columns)
        tokens = _new_tokens(len(plan.rows))
        Invitee.objects.bulk_create(
            (
                Invitee(
                    wave=locked,
                    organisation_id=locked.organisation_id,
                    token=token,
                    email=row.email,
                    postal_address=row.postal_address,
                    language=row.language,
                    background=row.background,
                )
                for row, token in zip(plan.rows, tokens, strict=True)
            ),
            batch_size=WRITE_BATCH,
        )
        summary = _("%(count)s genodigde(n) toegevoegd") % {"count": len(plan.rows)}
        if plan.ignored_columns:
            summary += "; " + _("niet opgeslagen kolommen: %(columns)s") % {
                "columns": ", ".join(plan.ignored_columns)
            }
        record_audit(
            actor=by,
            organisation=wave.organisation,
            action="surveys.sample.import",
            obj=wave,
            summary=summary,
        )
    return SampleImportResult(created=len(plan.rows), ignored_columns=plan.ignored_columns)


@transaction.atomic
def mark_bounced(*, wave: Wave, address: str, by: User | None) -> Invitee:
    """Mark the invitee with this e-mail address or token as unreachable (bounced).

    Only invitees who have not started can bounce; the audit log names the invitee's number,
    never the address.
    """
    value = address.strip()
    invitees = Invitee.objects.select_for_update().filter(wave=wave)
    invitee = invitees.filter(token=value).first() if value else None
    if invitee is None and "@" in value:
        invitee = invitees.filter(email__iexact=value).first()
    if invitee is None:
        raise ValidationError(
            _("Er is geen genodigde van deze meting met dit e-mailadres of deze toegangscode.")
        )
    if invitee.status not in (InviteeStatus.PENDING, InviteeStatus.INVITED):
        raise ValidationError(_("Deze genodigde kan niet als onbestelbaar worden gemarkeerd."))
    invitee.status = InviteeStatus.BOUNCED
    invitee.save(update_fields=["status"])
    record_audit(
        actor=by,
        organisation=wave.organisation,
        action="surveys.invitee.bounce",
        obj=wave,
        summary=_("genodigde %(number)s onbestelbaar") % {"number": invitee.pk},
    )
    return invitee


@transaction.atomic
def mark_letters_sent(*, wave: Wave, by: User | None, now: datetime | None = None) -> int:
    """Record that the invitation letters were posted: invitees reached only by post are invited."""
    now = now or timezone.now()
    count = (
        Invitee.objects.filter(wave=wave, status=InviteeStatus.PENDING, email="")
        .exclude(postal_address="")
        .update(status=InviteeStatus.INVITED, invited_at=now)
    )
    record_audit(
        actor=by,
        organisation=wave.organisation,
        action="surveys.letters.sent",
        obj=wave,
        summary=_("%(count)s genodigde(n) per brief uitgenodigd") % {"count": count},
    )
    return count


# --- e-mail ---------------------------------------------------------------------------------


@dataclass
class Delivery:
    """What one round of e-mails did; ``unconfirmed``: claimed by a round that stopped early."""

    sent: int = 0
    bounced: int = 0
    unconfirmed: int = 0

    def add(self, outcome: notify.BatchOutcome[int]) -> None:
        """Count one batch's outcome."""
        self.sent += len(outcome.sent)
        self.bounced += len(outcome.refused)
        self.unconfirmed += outcome.unconfirmed


def _mail_context(wave: Wave, base_url: str) -> MailContext:
    try:
        definition: Definition | None = parse(wave.version.definition)
    except DefinitionError:
        definition = None
    title_nl = definition.title.nl if definition else wave.survey.title
    title_en = definition.title.en if definition and definition.title.en else title_nl
    return MailContext(
        organisation=wave.organisation.name,
        website=wave.organisation.website,
        title_nl=title_nl,
        title_en=title_en,
        closes_at=wave.closes_at,
        anonymous=wave.anonymous,
        base_url=base_url,
    )


def _is_live(wave: Wave, now: datetime) -> bool:
    return (
        wave.sample_erased_at is None
        and wave_state(wave.opens_at, wave.closes_at, now) == WaveState.OPEN
    )


def deliver_invitations(wave: Wave, *, base_url: str = "", now: datetime | None = None) -> Delivery:
    """Send the invitation e-mail to every invitee of an open wave still waiting for one.

    Runs in the background (``tasks.send_invitations``). Each invitee is claimed under a row
    lock (other workers skip it), so nobody gets the invitation twice; an address the mail
    server refuses is marked bounced and the round goes on.
    """
    now = now or timezone.now()
    if not _is_live(wave, now):
        return Delivery()
    shared = _mail_context(wave, base_url)
    delivery = Delivery()
    with notify.connection() as connection:
        while True:
            batch = list(
                Invitee.objects.filter(wave=wave, status=InviteeStatus.PENDING)
                .exclude(email="")
                .order_by("pk")[:SEND_BATCH]
            )
            if not batch:
                break
            outcome = _send_batch(batch, "invitation", shared, connection)
            with transaction.atomic():
                # Invitees an earlier round claimed count as invited: at most one invitation.
                Invitee.objects.filter(
                    pk__in=[*outcome.sent, *outcome.earlier], status=InviteeStatus.PENDING
                ).update(status=InviteeStatus.INVITED, invited_at=now)
                Invitee.objects.filter(pk__in=outcome.refused).update(status=InviteeStatus.BOUNCED)
            delivery.add(outcome)
            if outcome.failure is not None:
                raise outcome.failure
    return delivery


def _send_batch(
    batch: list[Invitee],
    kind: str,
    shared: MailContext,
    connection: notify.Connection,
    numbers: Mapping[int, int] | None = None,
) -> notify.BatchOutcome[int]:
    """Send one message per invitee, each at most once ever; the outcome is keyed by invitee pk.

    A refused address bounces and the batch goes on; any other error (the server is down)
    stops it, so the remaining invitees keep their status and a retry reaches them. Each
    message is claimed before it is sent (``notify.send_once``): a round run again after its
    worker was killed skips what the killed round claimed.
    """
    return notify.send_once(
        (
            (
                invitee.pk,
                f"surveys.{kind}:{invitee.pk}:{(numbers or {}).get(invitee.pk, 0)}",
                build_message(
                    kind=kind,
                    email=invitee.email,
                    token=invitee.token,
                    invitee_language=invitee.language,
                    shared=shared,
                    reminder_number=(numbers or {}).get(invitee.pk, 0),
                ),
            )
            for invitee in batch
        ),
        connection=connection,
    )


def deliver_reminders(wave: Wave, *, base_url: str = "", now: datetime | None = None) -> Delivery:
    """Remind invitees who have not finished (invited or started) when a reminder is due.

    Reminder *k* is due ``reminder_days[k]`` days after the invitation. Nobody gets the same
    reminder twice, and after missed runs nobody gets several at once (see
    ``rules.next_reminder``). Completed and bounced invitees get nothing.
    """
    now = now or timezone.now()
    days = [int(day) for day in (wave.reminder_days or [])]
    if not days or not _is_live(wave, now):
        return Delivery()
    shared = _mail_context(wave, base_url)
    delivery = Delivery()
    last_pk = 0
    earliest = now - timedelta(days=days[0])
    with notify.connection() as connection:
        while True:
            candidates = list(
                Invitee.objects.filter(
                    wave=wave,
                    status__in=(InviteeStatus.INVITED, InviteeStatus.STARTED),
                    invited_at__lte=earliest,
                    reminders_sent__lt=len(days),
                    pk__gt=last_pk,
                )
                .exclude(email="")
                .order_by("pk")[:SEND_BATCH]
            )
            if not candidates:
                break
            last_pk = candidates[-1].pk
            numbers = {
                invitee.pk: number
                for invitee in candidates
                if (number := next_reminder(invitee.invited_at, days, invitee.reminders_sent, now))
            }
            due = [invitee for invitee in candidates if invitee.pk in numbers]
            outcome = _send_batch(due, "reminder", shared, connection, numbers)
            with transaction.atomic():
                # A reminder an earlier round claimed counts as sent: nobody gets it twice.
                reminded = [i for i in due if i.pk in {*outcome.sent, *outcome.earlier}]
                for invitee in reminded:
                    invitee.reminders_sent = numbers[invitee.pk]
                    invitee.reminded_at = now
                Invitee.objects.bulk_update(reminded, ["reminders_sent", "reminded_at"])
                Invitee.objects.filter(pk__in=outcome.refused).update(status=InviteeStatus.BOUNCED)
            delivery.add(outcome)
            if outcome.failure is not None:
                raise outcome.failure
    return delivery


def reminders_due_count(wave: Wave, now: datetime | None = None) -> int:
    """How many invitees would get a reminder if reminders were sent now."""
    now = now or timezone.now()
    days = [int(day) for day in (wave.reminder_days or [])]
    if not days or not _is_live(wave, now):
        return 0
    rows = (
        Invitee.objects.filter(
            wave=wave,
            status__in=(InviteeStatus.INVITED, InviteeStatus.STARTED),
            invited_at__lte=now - timedelta(days=days[0]),
            reminders_sent__lt=len(days),
        )
        .exclude(email="")
        .values_list("invited_at", "reminders_sent")
    )
    return sum(1 for invited_at, count in rows if next_reminder(invited_at, days, count, now))


def _require_live(wave: Wave, now: datetime) -> None:
    if wave.sample_erased_at is not None:
        raise ValidationError(_("De steekproef van deze meting is gewist."))
    state = wave_state(wave.opens_at, wave.closes_at, now)
    if state == WaveState.PLANNED:
        raise ValidationError(
            _("Deze meting is nog niet open: verstuur de uitnodigingen vanaf de openingsdatum.")
        )
    if state == WaveState.CLOSED:
        raise ValidationError(_("Deze meting is gesloten."))


@transaction.atomic
def queue_invitations(
    *, wave: Wave, base_url: str, by: User | None, now: datetime | None = None
) -> int:
    """Put the invitation round in the background queue; return how many e-mails will go."""
    now = now or timezone.now()
    _require_live(wave, now)
    waiting = (
        Invitee.objects.filter(wave=wave, status=InviteeStatus.PENDING).exclude(email="").count()
    )
    if not waiting:
        raise ValidationError(
            _("Er zijn geen genodigden met een e-mailadres die nog een uitnodiging moeten krijgen.")
        )
    record_audit(
        actor=by,
        organisation=wave.organisation,
        action="surveys.invitations.send",
        obj=wave,
        summary=_("%(count)s uitnodiging(en) in de wachtrij") % {"count": waiting},
    )
    enqueue_after_commit(SEND_INVITATIONS, wave.pk, base_url)
    return waiting


@transaction.atomic
def queue_reminders(
    *, wave: Wave, base_url: str, by: User | None, now: datetime | None = None
) -> int:
    """Put the reminders that are due in the background queue; return how many will go."""
    now = now or timezone.now()
    _require_live(wave, now)
    if not wave.reminder_days:
        raise ValidationError(_("Voor deze meting zijn geen herinneringen ingesteld."))
    due = reminders_due_count(wave, now)
    if not due:
        raise ValidationError(
            _(
                "Er zijn nu geen herinneringen aan de beurt: niemand is lang genoeg geleden uitgenodigd of iedereen heeft zijn herinnering al."
            )
        )
    record_audit(
        actor=by,
        organisation=wave.organisation,
        action="surveys.reminders.send",
        obj=wave,
        summary=_("%(count)s herinnering(en) in de wachtrij") % {"count": due},
    )
    enqueue_after_commit(SEND_REMINDERS, wave.pk, base_url)
    return due


# --- letters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LettersExport:
    """A PDF of letters and how many it holds."""

    pdf: bytes
    count: int


def export_letters(
    *,
    wave: Wave,
    kind: str = "invitation",
    part: int = 1,
    base_url: str = "",
    by: User | None,
    today: date | None = None,
) -> LettersExport:
    """Render one part of the wave's letters as a PDF and log the export of the addresses."""
    if kind not in selectors.LETTER_STATUSES:
        raise ValidationError(_("Onbekende soort brief."))
    if part < 1:
        raise ValidationError(_("Onbekend deel."))
    start = (part - 1) * selectors.LETTERS_PER_PART
    recipients = list(
        selectors.letter_recipients(wave, kind).values_list("postal_address", "token")[
            start : start + selectors.LETTERS_PER_PART
        ]
    )
    if not recipients:
        raise ValidationError(_("Er zijn geen brieven (meer) te maken voor dit deel."))
    shared = _mail_context(wave, base_url)
    with translation.override("nl"):
        html = letter_pdf.letters_html(
            organisation_name=shared.organisation,
            website=shared.website,
            title=shared.title_nl,
            closes_at=wave.closes_at,
            anonymous=wave.anonymous,
            letters=[
                letter_pdf.make_letter(address, respond_url(token, base_url))
                for address, token in recipients
            ],
            kind=kind,
            today=today or timezone.localdate(),
        )
    pdf = letter_pdf.render_pdf(html, wave.organisation.primary_colour)
    record_audit(
        actor=by,
        organisation=wave.organisation,
        action="surveys.letters.export",
        obj=wave,
        summary=_("%(count)s brief/brieven met postadres (%(kind)s, deel %(part)s)")
        % {"count": len(recipients), "kind": kind, "part": part},
    )
    return LettersExport(pdf=pdf, count=len(recipients))


# --- responses from a fieldwork bureau ------------------------------------------------------


def answer_fields(question: Question, value: Any) -> dict[str, Any]:
    """The ``Answer`` columns that hold ``value`` for this question (long format)."""
    if question.type == "multiple":
        return {"choices": list(value)}
    if question.type in {"text", "date"}:
        return {"text": str(value)}
    return {"number": float(value)}


@dataclass(frozen=True)
class ResponseImportResult:
    """What a response import stored."""

    created: int
    already_present: int
    file_format: str


def import_responses(
    wave: Wave,
    stream: IO[bytes],
    *,
    filename: str = "",
    by: User | None,
    now: datetime | None = None,
    progress: Progress | None = None,
    limits: FileLimits | None = None,
) -> ResponseImportResult:
    """Store the completed responses in a bureau's CSV or SPSS .sav file (channel ``import``).

    Columns must be variable codes of the wave's version (required questions must be there),
    ``external_id`` or weighting variables. Every value is checked against the questionnaire.
    All or nothing: ``ImportRejectedError`` names row and column of every problem. Rows whose
    ``external_id`` is already stored for this wave are skipped, so importing the same file
    twice stores it once. ``limits`` and ``progress`` as for ``import_sample``.
    """
    now = now or timezone.now()
    try:
        definition = parse(wave.version.definition)
    except DefinitionError as error:
        raise ImportRejectedError(
            [Problem(None, "", _("De inhoud van de vragenlijstversie is niet geldig."))]
        ) from error
    variables = variables_of(definition)
    # Read and check the whole file first, outside the transaction (see ``import_sample``).
    try:
        table = read_table(stream, filename, limits=limits, progress=progress)
        plan = check_responses(table, definition, weighting_targets(wave))
    except UnreadableFileError as error:
        raise ImportRejectedError.of(error) from error
    if plan.problems:
        raise ImportRejectedError(plan.problems)
    with transaction.atomic():
        locked = Wave.objects.select_for_update().get(pk=wave.pk)
        ids = [row.external_id for row in plan.rows if row.external_id]
        present: set[str] = set()
        for start in range(0, len(ids), WRITE_BATCH):
            present |= set(
                Response.objects.filter(
                    wave=locked, external_id__in=ids[start : start + WRITE_BATCH]
                ).values_list("external_id", flat=True)
            )
        new_rows = [
            row for row in plan.rows if not row.external_id or row.external_id not in present
        ]
        responses = Response.objects.bulk_create(
            [
                Response(
                    wave=locked,
                    organisation_id=locked.organisation_id,
                    version_id=locked.version_id,
                    status=ResponseStatus.COMPLETED,
                    channel=ResponseChannel.IMPORT,
                    language="nl",
                    external_id=row.external_id,
                    background=row.background,
                    completed_at=now,
                )
                for row in new_rows
            ],
            batch_size=WRITE_BATCH,
        )
        Answer.objects.bulk_create(
            (
                Answer(response=response, code=code, **answer_fields(variables[code], value))
                for response, row in zip(responses, new_rows, strict=True)
                for code, value in row.answers.items()
            ),
            batch_size=WRITE_BATCH * 5,
        )
        record_audit(
            actor=by,
            organisation=wave.organisation,
            action="surveys.responses.import",
            obj=wave,
            summary=_("%(created)s respons(en) ingelezen uit %(format)s; %(present)s al aanwezig")
            % {
                "created": len(new_rows),
                "format": plan.file_format.upper(),
                "present": len(plan.rows) - len(new_rows),
            },
        )
    return ResponseImportResult(
        created=len(new_rows),
        already_present=len(plan.rows) - len(new_rows),
        file_format=plan.file_format,
    )


# --- retention ------------------------------------------------------------------------------


def purge_expired_samples(now: datetime | None = None) -> int:
    """Erase the sample of every wave closed longer ago than its retention period.

    E-mail and postal addresses and background variables are blanked and every token is
    replaced by a fresh random one (old links stop working); statuses stay, so response rates
    remain known. Returns the number of waves erased; running it again changes nothing.
    """
    now = now or timezone.now()
    erased = 0
    candidates = Wave.objects.filter(sample_erased_at__isnull=True, closes_at__lt=now)
    for wave in candidates.select_related("organisation").order_by("closes_at", "pk"):
        if retention_ends(wave.closes_at, wave.retention_days) >= now:
            continue
        with transaction.atomic():
            locked = Wave.objects.select_for_update().get(pk=wave.pk)
            if locked.sample_erased_at is not None:
                continue
            count = _erase_sample(locked)
            locked.sample_erased_at = now
            locked.save(update_fields=["sample_erased_at"])
            record_audit(
                actor_label="burgerlink purge-survey-samples",
                organisation=wave.organisation,
                action="surveys.sample.purge",
                obj=locked,
                summary=_("steekproef gewist: %(count)s genodigde(n)") % {"count": count},
            )
        erased += 1
    return erased


def _erase_sample(wave: Wave) -> int:
    count = 0
    ids = list(Invitee.objects.filter(wave=wave).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), WRITE_BATCH):
        chunk = ids[start : start + WRITE_BATCH]
        tokens = _new_tokens(len(chunk))
        Invitee.objects.bulk_update(
            [
                Invitee(pk=pk, token=token, email="", postal_address="", background={})
                for pk, token in zip(chunk, tokens, strict=True)
            ],
            ["token", "email", "postal_address", "background"],
            batch_size=WRITE_BATCH,
        )
        count += len(chunk)
    return count
