"""The moderation kit: registry, decisions with audit lines, flags, the queue and its page.

The kinds come from the test-only app ``tests/kitapp`` (remarks, and replies whose organisation
is their remark's), registered as a capability app would.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from burgerlink.core import moderation
from burgerlink.core.models import AuditEvent, Membership, Organisation, Role, User
from burgerlink.core.moderation import ModerationAction, ModerationState, selectors, services
from tests.conftest import client_for, make_user
from tests.kitapp import plugins
from tests.kitapp.models import Remark, Reply

State = ModerationState
Action = ModerationAction
QUEUE = "/medewerkers/amstelstad/moderatie/"


@pytest.fixture
def petra_participation(amstelstad: Organisation) -> User:
    """Participation officer of Amstelstad: she moderates."""
    user = make_user("petra_participation")
    Membership.objects.create(user=user, organisation=amstelstad, role=Role.PARTICIPATION_OFFICER)
    return user


def remark(organisation: Organisation, body: str, **fields: object) -> Remark:
    """A remark posted to ``organisation``."""
    return Remark.objects.create(organisation=organisation, body=body, **fields)


def key(item: Remark | Reply) -> str:
    """The item's key in a selection."""
    code = "kitapp.remark" if isinstance(item, Remark) else "kitapp.reply"
    return services.item_key(code, item.pk)


# --- registry ----------------------------------------------------------------------------


def test_apps_register_their_kinds_and_core_finds_them() -> None:
    codes = [source.code for source in moderation.sources()]
    assert {"kitapp.remark", "kitapp.reply"} <= set(codes)
    assert moderation.source("kitapp.remark").model is Remark
    assert moderation.source_for(Reply()).code == "kitapp.reply"
    with pytest.raises(moderation.UnknownKindError):
        moderation.source("nothing.here")


def test_a_kind_code_cannot_contain_the_key_separator() -> None:
    with pytest.raises(ValueError, match="':'"):
        moderation.register(
            moderation.ModerationSource(code="a:b", label="x", model=Remark, text=str)
        )


def test_new_items_wait_for_a_moderator(amstelstad: Organisation) -> None:
    item = remark(amstelstad, "Het park is mooi")
    assert item.moderation_state == State.PENDING
    assert not item.is_public


# --- decisions ---------------------------------------------------------------------------


def test_publishing_records_who_when_and_an_audit_line(
    amstelstad: Organisation, petra_participation: User
) -> None:
    plugins.HEARD.clear()
    first, second = remark(amstelstad, "Eén"), remark(amstelstad, "Twee")
    before = timezone.now()
    outcome = services.moderate(
        organisation=amstelstad,
        selection=[key(first), key(second)],
        action=Action.PUBLISH,
        by=petra_participation,
    )
    assert outcome == services.ModerationOutcome(done=2, skipped=0)
    first.refresh_from_db()
    assert first.moderation_state == State.PUBLISHED and first.is_public
    assert first.moderated_by == petra_participation
    assert first.moderated_at is not None and first.moderated_at >= before
    events = AuditEvent.objects.filter(action="moderation.publish", organisation=amstelstad)
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    assert {event.actor_id for event in events} == {petra_participation.pk}
    assert {event.object_type for event in events} == {"kitapp.remark"}
    assert sorted(plugins.HEARD) == sorted([(first.pk, "publish"), (second.pk, "publish")])


def test_rejecting_needs_a_reason_which_is_kept_for_the_author(
    amstelstad: Organisation, petra_participation: User
) -> None:
    item = remark(amstelstad, "Koop nu goedkope horloges")
    with pytest.raises(services.ModerationError):
        services.moderate(
            organisation=amstelstad,
            selection=[key(item)],
            action=Action.REJECT,
            reason="  ",
            by=petra_participation,
        )
    item.refresh_from_db()
    assert item.moderation_state == State.PENDING
    assert not AuditEvent.objects.filter(action__startswith="moderation.").exists()

    services.moderate(
        organisation=amstelstad,
        selection=[key(item)],
        action=Action.REJECT,
        reason="Reclame",
        by=petra_participation,
    )
    item.refresh_from_db()
    assert (item.moderation_state, item.moderation_reason) == (State.REJECTED, "Reclame")
    audit = AuditEvent.objects.get(action="moderation.reject")
    assert "Reclame" in audit.summary and "horloges" in audit.summary


def test_hide_and_restore_and_publishing_clears_an_old_reason(
    amstelstad: Organisation, petra_participation: User
) -> None:
    item = remark(amstelstad, "Scheldwoorden", moderation_state=State.PUBLISHED)
    services.moderate(
        organisation=amstelstad,
        selection=[key(item)],
        action=Action.HIDE,
        reason="Schelden",
        by=petra_participation,
    )
    item.refresh_from_db()
    assert (item.moderation_state, item.moderation_reason) == (State.HIDDEN, "Schelden")
    services.moderate(
        organisation=amstelstad,
        selection=[key(item)],
        action=Action.RESTORE,
        by=petra_participation,
    )
    item.refresh_from_db()
    assert (item.moderation_state, item.moderation_reason) == (State.PUBLISHED, "")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["moderation.hide", "moderation.restore"]


def test_items_the_action_does_not_fit_are_skipped_and_counted(
    amstelstad: Organisation, petra_participation: User
) -> None:
    waiting = remark(amstelstad, "Wacht")
    public = remark(amstelstad, "Al publiek", moderation_state=State.PUBLISHED)
    outcome = services.moderate(
        organisation=amstelstad,
        selection=[key(waiting), key(public)],
        action=Action.PUBLISH,
        by=petra_participation,
    )
    assert outcome == services.ModerationOutcome(done=1, skipped=1)
    assert AuditEvent.objects.filter(action="moderation.publish").count() == 1
    # Restoring what was never hidden, dismissing flags nobody raised: nothing happens.
    outcome = services.moderate(
        organisation=amstelstad,
        selection=[key(public)],
        action=Action.DISMISS_FLAGS,
        by=petra_participation,
    )
    assert outcome.done == 0


def test_another_organisations_items_are_never_touched(
    amstelstad: Organisation, heidedorp: Organisation, petra_participation: User
) -> None:
    theirs = remark(heidedorp, "Van Heidedorp")
    outcome = services.moderate(
        organisation=amstelstad,
        selection=[key(theirs)],
        action=Action.PUBLISH,
        by=petra_participation,
    )
    assert outcome == services.ModerationOutcome(done=0, skipped=1)
    theirs.refresh_from_db()
    assert theirs.moderation_state == State.PENDING


def test_a_selection_may_mix_kinds_and_follows_paths_to_the_organisation(
    amstelstad: Organisation, heidedorp: Organisation, petra_participation: User
) -> None:
    ours = remark(amstelstad, "Vraag", moderation_state=State.PUBLISHED)
    reply = Reply.objects.create(remark=ours, body="Antwoord", posted_at=timezone.now())
    foreign = Reply.objects.create(
        remark=remark(heidedorp, "Elders"), body="Elders", posted_at=timezone.now()
    )
    outcome = services.moderate(
        organisation=amstelstad,
        selection=[key(reply), key(foreign), key(ours)],
        action=Action.HIDE,
        reason="Dubbel",
        by=petra_participation,
    )
    assert outcome == services.ModerationOutcome(done=2, skipped=1)
    reply.refresh_from_db()
    foreign.refresh_from_db()
    assert reply.moderation_state == State.HIDDEN
    assert foreign.moderation_state == State.PENDING


@pytest.mark.parametrize("bad", ["kitapp.remark", "kitapp.remark:x", "onbekend.soort:1", "<b>:1"])
def test_a_malformed_or_unknown_key_is_refused(
    amstelstad: Organisation, petra_participation: User, bad: str
) -> None:
    with pytest.raises(services.ModerationError):
        services.moderate(
            organisation=amstelstad, selection=[bad], action=Action.PUBLISH, by=petra_participation
        )


def test_an_empty_or_oversized_selection_is_refused(
    amstelstad: Organisation, petra_participation: User
) -> None:
    with pytest.raises(services.ModerationError):
        services.moderate(
            organisation=amstelstad, selection=[], action=Action.PUBLISH, by=petra_participation
        )
    too_many = [f"kitapp.remark:{n}" for n in range(services.MAX_SELECTION + 1)]
    with pytest.raises(services.ModerationError):
        services.moderate(
            organisation=amstelstad,
            selection=too_many,
            action=Action.PUBLISH,
            by=petra_participation,
        )


# --- flags and the queue -----------------------------------------------------------------


def test_flags_count_up_bring_an_item_back_to_the_queue_and_a_decision_clears_them(
    amstelstad: Organisation, petra_participation: User
) -> None:
    item = remark(amstelstad, "Twijfelachtig", moderation_state=State.PUBLISHED)
    assert selectors.queue(amstelstad).total == 0
    services.flag_item(item)
    item.refresh_from_db()
    first_flag = item.flagged_at
    services.flag_item(item)
    item.refresh_from_db()
    assert item.flag_count == 2 and item.flagged_at == first_flag is not None
    assert [row.item.pk for row in selectors.queue(amstelstad).items] == [item.pk]

    services.moderate(
        organisation=amstelstad,
        selection=[key(item)],
        action=Action.DISMISS_FLAGS,
        by=petra_participation,
    )
    item.refresh_from_db()
    assert (item.flag_count, item.flagged_at, item.moderation_state) == (0, None, State.PUBLISHED)
    assert selectors.queue(amstelstad).total == 0
    assert AuditEvent.objects.filter(action="moderation.dismiss_flags").count() == 1


def test_the_queue_merges_kinds_oldest_first_and_pages(amstelstad: Organisation) -> None:
    now = timezone.now()
    parent = remark(amstelstad, "Ouder", moderation_state=State.PUBLISHED)
    items: list[Remark | Reply] = []
    for n in range(5):
        items.append(remark(amstelstad, f"Opmerking {n}"))
        items.append(
            Reply.objects.create(
                remark=parent, body=f"Reactie {n}", posted_at=now + timedelta(minutes=n)
            )
        )
    # Remarks get their creation time from the database clock; give them known, earlier times.
    for n, item in enumerate(items[0::2]):
        Remark.objects.filter(pk=item.pk).update(created_at=now - timedelta(hours=5 - n))
    everything = selectors.queue(amstelstad, limit=100)
    assert everything.total == 10
    texts = [row.text for row in everything.items]
    assert texts == [f"Opmerking {n}" for n in range(5)] + [f"Reactie {n}" for n in range(5)]
    second_page = selectors.queue(amstelstad, offset=4, limit=4)
    assert [row.text for row in second_page.items] == [
        "Opmerking 4",
        "Reactie 0",
        "Reactie 1",
        "Reactie 2",
    ]
    replies = selectors.queue(amstelstad, kinds=["kitapp.reply"])
    assert replies.total == 5 and {row.source.code for row in replies.items} == {"kitapp.reply"}
    published = selectors.queue(amstelstad, view=State.PUBLISHED)
    assert [row.text for row in published.items] == ["Ouder"]
    # The apps' own kinds (petitions, ...) are registered too, with nothing open here.
    counts = selectors.open_counts(amstelstad)
    assert {code: n for code, n in counts.items() if code.startswith("kitapp.")} == {
        "kitapp.remark": 5,
        "kitapp.reply": 5,
    }
    assert not any(n for code, n in counts.items() if not code.startswith("kitapp."))


def test_a_queue_row_offers_the_actions_that_fit(amstelstad: Organisation) -> None:
    remark(amstelstad, "Nieuw")
    row = selectors.queue(amstelstad).items[0]
    assert row.actions == [Action.PUBLISH, Action.REJECT, Action.HIDE]
    assert row.state_label == "Wacht op beoordeling"
    assert row.url == f"/opmerkingen/{row.item.pk}/"


# --- the page ----------------------------------------------------------------------------


def test_the_queue_page_lists_every_kind_with_filters(
    amstelstad: Organisation, petra_participation: User
) -> None:
    parent = remark(amstelstad, "Een bankje bij de vijver", author_name="Jan")
    Reply.objects.create(remark=parent, body="Graag ook schaduw", posted_at=timezone.now())
    client = client_for(petra_participation)
    page = client.get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Een bankje bij de vijver" in html and "Graag ook schaduw" in html
    assert "Door Jan" in html
    assert 'href="/medewerkers/amstelstad/moderatie/"' in html  # in the staff menu
    only_replies = client.get(QUEUE, {"soort": "kitapp.reply"}).content.decode()
    assert "Graag ook schaduw" in only_replies and "Een bankje" not in only_replies
    rejected = client.get(QUEUE, {"status": "rejected"}).content.decode()
    assert "Niets in deze lijst." in rejected
    # Unknown filter values fall back to the whole open queue rather than failing.
    assert client.get(QUEUE, {"soort": "x", "status": "y", "pagina": "z"}).status_code == 200


def test_a_bulk_decision_is_a_post_that_changes_the_ticked_items_only(
    amstelstad: Organisation, petra_participation: User
) -> None:
    ticked = [remark(amstelstad, f"Spam {n}") for n in range(3)]
    untouched = remark(amstelstad, "Goed idee")
    client = client_for(petra_participation)
    response = client.post(
        f"{QUEUE}?soort=kitapp.remark",
        {"item": [key(item) for item in ticked], "action": "reject", "reason": "Reclame"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?soort=kitapp.remark"
    states = dict(Remark.objects.values_list("pk", "moderation_state"))
    assert {states[item.pk] for item in ticked} == {State.REJECTED}
    assert states[untouched.pk] == State.PENDING
    assert AuditEvent.objects.filter(action="moderation.reject").count() == 3
    follow = client.get(response["Location"]).content.decode()
    assert "3 berichten aangepast." in follow


def test_a_decision_without_a_needed_reason_shows_the_error_and_changes_nothing(
    amstelstad: Organisation, petra_participation: User
) -> None:
    item = remark(amstelstad, "Twijfel")
    response = client_for(petra_participation).post(
        QUEUE, {"item": [key(item)], "action": "hide", "reason": ""}
    )
    assert response.status_code == 400
    assert "Geef een reden: de schrijver krijgt die te zien." in response.content.decode()
    item.refresh_from_db()
    assert item.moderation_state == State.PENDING
    empty = client_for(petra_participation).post(QUEUE, {"action": "publish"})
    assert empty.status_code == 400
    assert "Kies eerst een of meer berichten." in empty.content.decode()


def test_only_members_who_may_moderate_see_the_queue(
    amstelstad: Organisation, carla_comms: User, anna_admin: User, henk_heidedorp: User
) -> None:
    item = remark(amstelstad, "Iets")
    assert client_for(carla_comms).get(QUEUE).status_code == 403
    post = client_for(carla_comms).post(QUEUE, {"item": [key(item)], "action": "publish"})
    assert post.status_code == 403
    assert client_for(henk_heidedorp).get(QUEUE).status_code == 404
    assert client_for(anna_admin).get(QUEUE).status_code == 200  # administrators may everything
    assert Client().get(QUEUE).status_code == 302  # to the login
    item.refresh_from_db()
    assert item.moderation_state == State.PENDING
