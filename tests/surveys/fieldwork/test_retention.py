"""Retention: the sample is erased once a wave has been closed for its retention period."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from burgerlink.core.files import ImportRejectedError
from burgerlink.core.models import AuditEvent
from burgerlink.surveys.fieldwork import services
from burgerlink.surveys.models import Invitee, InviteeStatus, Survey, Wave
from tests.surveys.fieldwork.conftest import csv_file, make_wave


def snapshot(wave: Wave) -> list[tuple[str, str, str, dict[str, str], str]]:
    return list(
        Invitee.objects.filter(wave=wave)
        .order_by("pk")
        .values_list("token", "email", "postal_address", "background", "status")
    )


@pytest.fixture
def closed(sample: Wave) -> Wave:
    """The sample's wave, with one invitee completed and one bounced, closed now."""
    services.deliver_invitations(sample, base_url="https://burgerlink.example/")
    Invitee.objects.filter(wave=sample, email="anna@example.org").update(
        status=InviteeStatus.COMPLETED
    )
    Invitee.objects.filter(wave=sample, email="bert@example.org").update(
        status=InviteeStatus.BOUNCED
    )
    return services.close_wave(wave=sample, by=None)


def test_the_sample_is_erased_after_the_retention_period_and_not_before(closed: Wave) -> None:
    before = snapshot(closed)
    end = closed.closes_at + timedelta(days=closed.retention_days)
    assert services.purge_expired_samples(end - timedelta(minutes=1)) == 0
    assert services.purge_expired_samples(end) == 0  # the last moment: kept
    assert snapshot(closed) == before

    assert services.purge_expired_samples(end + timedelta(minutes=1)) == 1
    after = snapshot(closed)
    assert [row[1:4] for row in after] == [("", "", {})] * 3
    assert [row[4] for row in after] == [row[4] for row in before]  # statuses stay
    old_tokens = {row[0] for row in before}
    new_tokens = {row[0] for row in after}
    assert len(new_tokens) == 3 and not old_tokens & new_tokens
    closed.refresh_from_db()
    assert closed.sample_erased_at == end + timedelta(minutes=1)
    event = AuditEvent.objects.get(action="surveys.sample.purge")
    assert event.organisation_id == closed.organisation_id

    assert services.purge_expired_samples(end + timedelta(days=400)) == 0  # nothing left to do
    assert snapshot(closed) == after


def test_open_waves_and_waves_in_their_retention_keep_their_sample(
    sample: Wave, survey: Survey
) -> None:
    later = sample.closes_at - timedelta(minutes=1)
    assert services.purge_expired_samples(later) == 0
    short = make_wave(survey, sample.version, days_open=20, days_left=-10, retention_days=7)
    invitee = Invitee.objects.create(
        wave=short, organisation=short.organisation, token="t" * 22, email="x@example.org"
    )
    assert services.purge_expired_samples() == 1  # closed 10 days ago, kept 7 days
    invitee.refresh_from_db()
    assert invitee.email == ""
    assert Invitee.objects.get(wave=sample, email="anna@example.org")


def test_an_erased_wave_takes_no_new_sample(closed: Wave) -> None:
    services.purge_expired_samples(closed.closes_at + timedelta(days=closed.retention_days + 1))
    closed.refresh_from_db()
    with pytest.raises(ImportRejectedError, match="gewist"):
        services.import_sample(closed, csv_file("email\nnew@example.org\n"), by=None)


def test_response_rates_survive_the_purge(closed: Wave) -> None:
    from burgerlink.surveys.fieldwork.selectors import summary

    rate = summary(closed).rate
    services.purge_expired_samples(closed.closes_at + timedelta(days=closed.retention_days + 1))
    closed.refresh_from_db()
    assert summary(closed).rate == rate == pytest.approx(1 / 2)


def test_the_command_purges(closed: Wave) -> None:
    day = (closed.closes_at + timedelta(days=closed.retention_days + 2)).date().isoformat()
    out = StringIO()
    call_command("purge-survey-samples", "--datum", day, stdout=out)
    assert "1 meting(en) gewist" in out.getvalue()
    assert not Invitee.objects.filter(wave=closed).exclude(email="").exists()
    out = StringIO()
    call_command("purge-survey-samples", stdout=out)
    assert "0 meting(en) gewist" in out.getvalue()


def test_the_command_refuses_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="Ongeldige datum"):
        call_command("purge-survey-samples", "--datum", "31-12-2026")
