"""A year of synthetic contacts and cases for the demo municipalities, at realistic volume.

For a city of 150,000 inhabitants the year holds about 200,000 calls, 50,000 e-mails and 5,000
permit cases; smaller municipalities get proportionally fewer. The numbers carry real patterns
(busy Januaries, a summer dip in staff, an e-mail backlog that is worked down after a charter
version tightened the norm) so dashboards show trends and real misses. Generated with seeded
numpy, measured by the same engine as imports, written by the same writers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from burgerlink.charters.charter.selectors import rules_for
from burgerlink.charters.compensation.services import register_missed_promises
from burgerlink.charters.compliance import measure_contacts
from burgerlink.charters.models import (
    BatchKind,
    BatchStatus,
    Case,
    Contact,
    ImportBatch,
    Suspension,
)
from burgerlink.charters.records.convert import to_aware
from burgerlink.charters.records.parse import ContactBatch
from burgerlink.charters.records.remeasure import remeasure_cases
from burgerlink.charters.records.writers import ImportMode, contact_columns, contact_writer
from burgerlink.charters.reporting.services import refresh_compliance_months
from burgerlink.core import selectors as core_selectors
from burgerlink.core.calendar.localtime import local_midnight_utc
from burgerlink.core.models import Channel, Organisation

# Volumes per year for 150,000 inhabitants.
BASE_INHABITANTS = 150_000
VOLUMES = {
    "phone": 200_000,
    "email": 50_000,
    "counter": 30_000,
    "letter": 3_000,
    "social_media": 8_000,
    "public_space_report": 10_000,
}
CASE_VOLUMES = {"omgevingsvergunning-regulier": 5_000, "klacht": 400}
DEMO_SLUGS = ("amstelstad", "rijnwaard", "heidedorp")
US = 1_000_000


@dataclass
class _Span:
    """The demo year: twelve full months up to the start of the current month."""

    first: date
    last: date  # exclusive

    @classmethod
    def current(cls) -> _Span:
        today = timezone.localdate()
        last = today.replace(day=1)
        return cls(first=last.replace(year=last.year - 1), last=last)


def _days(span: _Span) -> npt.NDArray[np.datetime64]:
    return np.arange(np.datetime64(span.first), np.datetime64(span.last), dtype="datetime64[D]")


def _seasonal_weights(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.float64]:
    """More contact in January (tax assessments) and September, less in the summer holidays."""
    months = days.astype("datetime64[M]").astype(int) % 12
    factors = np.array([1.35, 1.15, 1.05, 1.0, 0.95, 0.95, 0.75, 0.7, 1.15, 1.05, 1.0, 0.9])
    weights: npt.NDArray[np.float64] = factors[months]
    return weights


def _arrivals(
    rng: np.random.Generator,
    count: int,
    days: npt.NDArray[np.datetime64],
    weights: npt.NDArray[np.float64],
    hours: tuple[float, float],
) -> npt.NDArray[np.datetime64]:
    """``count`` UTC instants on the given days, between local ``hours``."""
    chosen = rng.choice(len(days), size=count, p=weights / weights.sum())
    seconds = rng.uniform(hours[0] * 3600, hours[1] * 3600, size=count).astype(np.int64)
    midnight = local_midnight_utc(days[chosen])
    return np.sort(midnight + (seconds * US).astype("timedelta64[us]"))


def _progress_through_year(
    received: npt.NDArray[np.datetime64], span: _Span
) -> npt.NDArray[np.float64]:
    start = np.datetime64(span.first, "us")
    length = (np.datetime64(span.last, "us") - start).astype(np.float64)
    return (received - start).astype(np.float64) / length


def _calls(
    rng: np.random.Generator, n: int, work: npt.NDArray[np.datetime64], span: _Span
) -> dict[str, object]:
    received = _arrivals(rng, n, work, _seasonal_weights(work), (8.5, 17.0))
    busy = np.interp(
        received.astype("datetime64[D]").astype(np.int64),
        work.astype(np.int64),
        _seasonal_weights(work),
    )
    # Median wait about 14 s, longer when it is busy; a long tail of slow answers.
    wait = rng.lognormal(mean=np.log(14) + 0.45 * (busy - 1), sigma=0.75, size=n)
    answered = np.where(rng.random(n) < 0.05, 0, 1).astype(np.int8)
    handled = np.where(
        answered == 1,
        received + (wait * US).astype("timedelta64[us]"),
        np.datetime64("NaT", "us"),
    )
    return {"received": received, "handled": handled, "wait": np.round(wait), "answered": answered}


def _handled_after(
    rng: np.random.Generator,
    received: npt.NDArray[np.datetime64],
    delays: npt.NDArray[np.int64],
    calendar_add: Callable[
        [npt.NDArray[np.datetime64], npt.NDArray[np.int64]], npt.NDArray[np.datetime64]
    ],
) -> npt.NDArray[np.datetime64]:
    """Handle each item ``delays`` working days after receipt, at a random office time."""
    from burgerlink.core.calendar.localtime import utc_to_local_dates

    handled_days = calendar_add(utc_to_local_dates(received), delays)
    seconds = rng.uniform(9 * 3600, 16.5 * 3600, size=len(received)).astype(np.int64)
    handled = local_midnight_utc(handled_days) + (seconds * US).astype("timedelta64[us]")
    # Never within ten minutes of receipt, whatever the random office time.
    earliest: npt.NDArray[np.datetime64] = np.maximum(
        handled, received + np.timedelta64(600 * US, "us")
    )
    return earliest


def _working_delay(
    rng: np.random.Generator,
    received: npt.NDArray[np.datetime64],
    probabilities: list[float],
    calendar_add: Callable[
        [npt.NDArray[np.datetime64], npt.NDArray[np.int64]], npt.NDArray[np.datetime64]
    ],
) -> npt.NDArray[np.datetime64]:
    """Handle each item after a number of working days drawn from ``probabilities``."""
    delays = rng.choice(len(probabilities), size=len(received), p=probabilities).astype(np.int64)
    return _handled_after(rng, received, delays, calendar_add)


def load_demo_records(write: Callable[[str], None] = lambda _line: None) -> None:
    """Generate the demo year for each demo municipality that has a charter and no records yet."""
    for slug in DEMO_SLUGS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None or Contact.objects.filter(organisation=organisation).exists():
            continue
        if not rules_for(organisation, "contact"):
            continue
        with transaction.atomic():
            contacts, cases = _generate(organisation)
        write(
            f"  {organisation.name}: {contacts:,} klantcontacten en {cases:,} zaken.".replace(
                ",", "."
            )
        )


def _generate(organisation: Organisation) -> tuple[int, int]:
    rng = np.random.default_rng(sum(map(ord, organisation.slug)))
    scale = (organisation.inhabitants or BASE_INHABITANTS) / BASE_INHABITANTS
    scale *= float(getattr(settings, "DEMO_RECORDS_SCALE", 1.0))
    span = _Span.current()
    own = core_selectors.organisation_calendar(organisation)
    legal = core_selectors.legal_calendar()
    all_days = _days(span)
    work = all_days[own.is_working_day_v(all_days)]
    channels = dict(Channel.objects.values_list("code", "pk"))
    batch = ImportBatch.objects.create(
        organisation=organisation,
        kind=BatchKind.CONTACTS,
        source="demo",
        file_format="demo",
        filename="demo",
    )
    parts: list[ContactBatch] = []

    def add(
        code: str,
        received: npt.NDArray[np.datetime64],
        handled: npt.NDArray[np.datetime64],
        wait: npt.NDArray[np.float64],
        answered: npt.NDArray[np.int8],
    ) -> None:
        n = len(received)
        parts.append(
            ContactBatch(
                source_ids=np.array(
                    [f"{code[:3].upper()}-{i:07d}" for i in range(n)], dtype=object
                ),
                channel_ids=np.full(n, channels[code], dtype=np.int64),
                received=received,
                handled=handled,
                wait_seconds=wait,
                answered=answered,
                reclassified=np.full(n, -1, dtype=np.int64),
                rows=np.arange(n, dtype=np.int64),
            )
        )

    now = np.datetime64(timezone.now().replace(tzinfo=None), "us")
    counts = {code: max(50, int(volume * scale)) for code, volume in VOLUMES.items()}
    calls = _calls(rng, counts["phone"], work, span)
    add("phone", calls["received"], calls["handled"], calls["wait"], calls["answered"])  # type: ignore[arg-type]

    # E-mail: a backlog early in the year, worked down in the second half.
    mail_in = _arrivals(rng, counts["email"], all_days, _seasonal_weights(all_days), (7.0, 23.0))
    year = _progress_through_year(mail_in, span)
    early = year < 0.5
    mail_out = np.where(
        early,
        _working_delay(rng, mail_in, [0.35, 0.3, 0.13, 0.1, 0.07, 0.05], own.add_working_days_v),
        _working_delay(rng, mail_in, [0.45, 0.35, 0.1, 0.05, 0.03, 0.02], own.add_working_days_v),
    )
    n_mail = len(mail_in)
    add(
        "email",
        mail_in,
        np.where(mail_out > now, np.datetime64("NaT", "us"), mail_out),
        np.full(n_mail, np.nan),
        np.full(n_mail, -1, dtype=np.int8),
    )

    counter_in = _arrivals(rng, counts["counter"], work, _seasonal_weights(work), (9.0, 16.5))
    counter_wait = rng.gamma(shape=2.2, scale=180, size=len(counter_in))  # seconds, median ~6 min
    add(
        "counter",
        counter_in,
        counter_in + (counter_wait * US).astype("timedelta64[us]"),
        np.round(counter_wait),
        np.ones(len(counter_in), dtype=np.int8),
    )

    letters_in = _arrivals(rng, counts["letter"], work, _seasonal_weights(work), (9.0, 12.0))
    letters_out = _working_delay(
        rng,
        letters_in,
        [0.1, 0.2, 0.25, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01],
        own.add_working_days_v,
    )
    add(
        "letter",
        letters_in,
        letters_out,
        np.full(len(letters_in), np.nan),
        np.full(len(letters_in), -1, dtype=np.int8),
    )

    social_in = _arrivals(rng, counts["social_media"], work, _seasonal_weights(work), (8.5, 16.5))
    social_minutes = rng.lognormal(mean=np.log(95), sigma=0.9, size=len(social_in))
    add(
        "social_media",
        social_in,
        social_in + (social_minutes * 60 * US).astype("timedelta64[us]"),
        np.full(len(social_in), np.nan),
        np.full(len(social_in), -1, dtype=np.int8),
    )

    reports_in = _arrivals(
        rng, counts["public_space_report"], all_days, _seasonal_weights(all_days), (7.0, 22.0)
    )
    reports_out = _working_delay(
        rng,
        reports_in,
        [0.15, 0.15, 0.12, 0.1, 0.1, 0.08, 0.07, 0.06, 0.05, 0.04, 0.03, 0.03, 0.02],
        own.add_working_days_v,
    )
    add(
        "public_space_report",
        reports_in,
        np.where(reports_out > now, np.datetime64("NaT", "us"), reports_out),
        np.full(len(reports_in), np.nan),
        np.full(len(reports_in), -1, dtype=np.int8),
    )

    rules = rules_for(organisation, "contact")
    writer = contact_writer(organisation.pk, mode=ImportMode.FRESH_PARTITION)
    periods: set[date] = set()
    total = 0
    for part in parts:
        measured = measure_contacts(
            rules,
            channel_ids=part.channel_ids,
            received=part.received,
            handled=part.handled,
            wait_seconds=part.wait_seconds,
            answered=part.answered,
        )
        periods.update(np.unique(measured.period).astype(object))
        for start in range(0, len(part), 100_000):
            piece = slice(start, start + 100_000)
            chunk = ContactBatch(
                **{name: getattr(part, name)[piece] for name in ContactBatch.__dataclass_fields__}
            )
            sub = type(measured)(
                **{name: getattr(measured, name)[piece] for name in measured.__dataclass_fields__}
            )
            writer.write(contact_columns(organisation.pk, batch.pk, chunk, sub))
        total += len(part)
    writer.finish()
    writer.flush()  # a staging writer (SQLite) writes here
    writer.discard()
    cases = _cases(rng, organisation, work, legal.add_working_days_v, scale, span)
    batch.status = BatchStatus.DONE
    batch.rows_total = batch.rows_created = total
    batch.finished_at = timezone.now()
    batch.save()
    refresh_compliance_months(
        organisation=organisation, record_kind="contact", periods=sorted(periods)
    )
    refresh_compliance_months(organisation=organisation, record_kind="case", periods=None)
    register_missed_promises(organisation=organisation, record_kind="contact", batch_id=None)
    register_missed_promises(organisation=organisation, record_kind="case", batch_id=None)
    return total, cases


def _cases(
    rng: np.random.Generator,
    organisation: Organisation,
    work: npt.NDArray[np.datetime64],
    add_working_days: Callable[
        [npt.NDArray[np.datetime64], npt.NDArray[np.int64]], npt.NDArray[np.datetime64]
    ],
    scale: float,
    span: _Span,
) -> int:
    """Permit applications and complaints, with suspensions for incomplete applications."""
    rows = []
    suspensions = []
    today = timezone.now()
    for case_type, volume in CASE_VOLUMES.items():
        n = max(10, int(volume * scale))
        received = _arrivals(rng, n, work, _seasonal_weights(work), (9.0, 16.0))
        complete_delay = np.where(rng.random(n) < 0.7, 0, rng.integers(3, 30, size=n))
        complete = received + (complete_delay * 86_400 * US).astype("timedelta64[us]")
        if case_type == "klacht":
            working_days = rng.normal(22, 8, size=n).clip(2, 60).astype(np.int64)
        else:
            working_days = rng.normal(30, 9, size=n).clip(5, 70).astype(np.int64)
        decided = _handled_after(rng, complete, working_days, add_working_days)
        # Generated instants are never NaT, so every value is a datetime.
        received_at, complete_at, decided_at = (
            [moment for moment in to_aware(values) if moment is not None]
            for values in (received, complete, decided)
        )
        for i in range(n):
            source = f"{'VERG' if case_type != 'klacht' else 'KL'}-{i:06d}"
            rows.append(
                Case(
                    organisation=organisation,
                    source_id=source,
                    case_type=case_type,
                    received_at=received_at[i],
                    complete_at=complete_at[i] if complete_delay[i] else None,
                    decided_at=decided_at[i] if decided_at[i] < today else None,
                    period=timezone.localtime(received_at[i]).date().replace(day=1),
                )
            )
            if case_type != "klacht" and rng.random() < 0.18:
                start = timezone.localtime(complete_at[i]).date() + timedelta(
                    days=int(rng.integers(5, 20))
                )
                suspensions.append(
                    (source, start, start + timedelta(days=int(rng.integers(7, 42))))
                )
    Case.objects.bulk_create(rows, batch_size=2_000)
    ids = dict(Case.objects.filter(organisation=organisation).values_list("source_id", "pk"))
    Suspension.objects.bulk_create(
        Suspension(
            organisation=organisation,
            case_id=ids[source],
            start=start,
            end=end,
            reason="Aanvulling gevraagd",
        )
        for source, start, end in suspensions
    )
    remeasure_cases(organisation)
    return len(rows)


__all__ = ["load_demo_records"]
