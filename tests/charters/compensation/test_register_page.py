"""The compensation register at the scale of a year: search, filters, sort, counts, bulk actions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from burgerlink.charters.compensation.services import register_missed_promises
from burgerlink.charters.models import (
    BulkAction,
    CharterNorm,
    Claim,
    CompensationEntry,
    EntryStatus,
)
from burgerlink.core.models import AuditEvent, Organisation, User
from tests.charters.compensation.conftest import DAY, make_case, make_contact
from tests.charters.compensation.test_staff import claim_for
from tests.conftest import client_for

STAFF = "/medewerkers/amstelstad/compensatie/"
BULK = f"{STAFF}bulk/"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime(2025, 1, 6, 9, 0, tzinfo=AMSTERDAM)


def entries_for(
    norm: CharterNorm,
    n: int,
    *,
    prefix: str,
    amount: Decimal | None = None,
    status: str = EntryStatus.OWED,
    start: datetime = START,
    lateness: tuple[int, str] = (2, "working_days"),
) -> list[CompensationEntry]:
    """``n`` register entries of one norm, a day apart from ``start``, in one insert."""
    rows = [
        CompensationEntry(
            organisation=norm.organisation,
            norm=norm,
            record_kind="case" if norm.case_type else "contact",
            source_id=f"{prefix}-{index:05d}",
            received_at=start + timedelta(days=index % 365),
            deadline=start + timedelta(days=index % 365 + 2),
            lateness_seconds=lateness[0] * (7 * DAY if lateness[1] == "weeks" else DAY),
            lateness=lateness[0],
            lateness_unit=lateness[1],
            amount=amount,
            status=status,
        )
        for index in range(n)
    ]
    return CompensationEntry.objects.bulk_create(rows, batch_size=2000)


@pytest.fixture
def register(amstelstad: Organisation, norms: dict[str, CharterNorm]) -> None:
    """A small register: e-mail apologies, letter gifts, complaints of €25 and paid permits.

    Received in January, April, February and March; 1, 2, 3 working days and 9 weeks late.
    """

    def at(month: int) -> datetime:
        return datetime(2025, month, 3, 9, tzinfo=AMSTERDAM)

    entries_for(norms["email"], 4, prefix="E", start=at(1), lateness=(1, "working_days"))
    entries_for(norms["letter"], 3, prefix="L", start=at(4), lateness=(2, "working_days"))
    entries_for(
        norms["complaint"],
        5,
        prefix="K",
        amount=Decimal("25.00"),
        start=at(2),
        lateness=(3, "working_days"),
    )
    entries_for(
        norms["permit"],
        2,
        prefix="Z",
        amount=Decimal("1442.00"),
        status=EntryStatus.PAID,
        start=at(3),
        lateness=(9, "weeks"),
    )


def shown(client: Client, **params: str) -> list[str]:
    """The references the register shows (first page), in order."""
    response = client.get(STAFF, params)
    assert response.status_code == 200
    return [row.entry.source_id for row in response.context["rows"]]


def test_search_by_reference_and_each_filter(kees_quality: User, register: None) -> None:
    client = client_for(kees_quality)
    assert len(shown(client)) == 14
    assert shown(client, zoek="k-0000") == [f"K-{i:05d}" for i in range(5)][::-1]
    assert set(shown(client, norm="letter")) == {"L-00000", "L-00001", "L-00002"}
    assert set(shown(client, kanaal="product:omgevingsvergunning")) == {"Z-00000", "Z-00001"}
    email_channel = shown(client, kanaal="channel:email")
    assert email_channel and all(ref.startswith("E-") for ref in email_channel)
    assert set(shown(client, status="paid")) == {"Z-00000", "Z-00001"}
    # Received in April 2025 (both ends inclusive, Dutch days).
    assert set(shown(client, van="2025-04-03", tot="2025-04-04")) == {"L-00000", "L-00001"}
    # Amounts as people write them: from 25 up to 1.000,00 finds the complaints only.
    complaints = {f"K-{i:05d}" for i in range(5)}
    assert set(shown(client, min="25", max="1.000,00")) == complaints
    assert set(shown(client, min="€ 24,99", max="1000")) == complaints
    assert shown(client, min="1442", status="owed") == []


def test_a_bad_filter_is_explained_and_the_rest_still_applies(
    kees_quality: User, register: None
) -> None:
    response = client_for(kees_quality).get(
        STAFF, {"norm": "letter", "van": "2025-05-01", "tot": "2025-04-01", "min": "veel"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Deze datum ligt vóór de datum" in page
    assert "Bedrag vanaf (euro)" in page and 'aria-invalid="true"' in page
    # The valid fields still filter: letters received from 1 May (none).
    assert [row.entry.source_id for row in response.context["rows"]] == []


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("kenmerk", "E-00000", "Z-00001"),
        ("-kenmerk", "Z-00001", "E-00000"),
        ("bedrag", "K-00000", "E-00000"),  # without an amount: last either way
        ("-bedrag", "Z-00000", "E-00000"),
        ("te-laat", "E-00000", "Z-00001"),
        ("-te-laat", "Z-00001", "E-00000"),
        ("-status", "Z-00001", "E-00000"),  # paid after owed
        ("ontvangen", "E-00000", "L-00002"),
        ("-ontvangen", "L-00002", "E-00000"),
    ],
)
def test_every_column_sorts(
    kees_quality: User, register: None, sort: str, first: str, last: str
) -> None:
    rows = shown(client_for(kees_quality), sorteer=sort)
    assert rows[0][:1] == first[:1] and rows[-1][:1] == last[:1], rows


def test_sorting_by_norm_and_claim(
    amstelstad: Organisation, kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    make_case(norms["complaint"], "K-CLAIMED")
    register_missed_promises(organisation=amstelstad, record_kind="case")
    claim_for(amstelstad, "K-CLAIMED")
    entries_for(norms["letter"], 2, prefix="L")
    client = client_for(kees_quality)
    assert shown(client, sorteer="-claim")[0] == "K-CLAIMED"
    assert shown(client, sorteer="claim")[-1] == "K-CLAIMED"
    titles = [row.norm_title for row in client.get(STAFF, {"sorteer": "norm"}).context["rows"]]
    assert titles == sorted(titles)


def test_column_headers_sort_and_say_how(kees_quality: User, register: None) -> None:
    page = client_for(kees_quality).get(STAFF, {"sorteer": "kenmerk", "status": "owed"})
    text = page.content.decode()
    assert 'aria-sort="ascending"' in text
    # The header of the sorted column sorts the other way; the filter stays.
    assert "?status=owed&amp;sorteer=-kenmerk#resultaat" in text
    assert "?status=owed&amp;sorteer=-bedrag#resultaat" in text


def test_labels_units_dates_and_amounts_read_as_dutch(
    amstelstad: Organisation, kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    phone = norms["phone"]
    phone.compensation_kind = "amount"
    phone.compensation_amount = Decimal("1234.50")
    phone.save()
    make_contact(phone, "T-1", lateness=95)  # 95 seconds too long on the line
    entries_for(norms["letter"], 1, prefix="L", lateness=(3, "working_days"))
    register_missed_promises(organisation=amstelstad, record_kind="contact")
    page = client_for(kees_quality).get(STAFF).content.decode()
    rows = re.findall(r"<tr class=\"utrecht-table__row\">.*?</tr>", page, re.S)
    phone_row = next(row for row in rows if "T-1" in row)
    letter_row = next(row for row in rows if "L-00000" in row)
    assert "95 seconden" in phone_row and "dag" not in phone_row.split("T-1")[1].split("€")[0]
    assert "€ 1.234,50" in phone_row
    assert "Telefoon" in phone_row and "Verschuldigd" in phone_row
    assert "3 werkdagen" in letter_row
    assert "6 januari 2025" in letter_row
    for code in ("owed", "working_days", "elapsed_seconds", ">phone<", "channel:"):
        assert code not in "".join(rows), code


def test_counts_and_pages_with_thousands_separators(
    kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    entries_for(norms["complaint"], 1234, prefix="K", amount=Decimal("25.00"))
    client = client_for(kees_quality)
    response = client.get(STAFF)
    page = response.content.decode()
    assert "1.234 compensaties in het register; in geld samen € 30.850,00." in page
    assert "Pagina 1 van 25: 1 tot en met 50 van 1.234 compensaties" in page
    last = client.get(STAFF, {"pagina": "25"}).content.decode()
    assert "Pagina 25 van 25: 1.201 tot en met 1.234 van 1.234 compensaties" in last


def test_the_register_page_runs_a_fixed_number_of_queries(
    amstelstad: Organisation, kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    """No query per row: a page of 5 entries and one of 50 (with claims) cost the same."""
    client = client_for(kees_quality)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(STAFF, {"sorteer": "claim"}).status_code == 200
        return len(queries.captured_queries)

    entries_for(norms["complaint"], 5, prefix="K", amount=Decimal("25.00"))
    few = queries_for_page()
    entries_for(norms["email"], 30, prefix="E")
    entries_for(norms["permit"], 30, prefix="Z", amount=Decimal("100.00"))
    for index in range(3):
        make_case(norms["complaint"], f"C-{index}")
    register_missed_promises(organisation=amstelstad, record_kind="case")
    for index in range(3):
        claim_for(amstelstad, f"C-{index}")
    many = queries_for_page()
    assert many == few
    assert many <= 15


# --- bulk actions -----------------------------------------------------------------------------


def ask(client: Client, **data: Any) -> Any:
    """The first step of a bulk action: the confirmation page."""
    response = client.post(BULK, data)
    assert response.status_code == 200, response
    return response


def confirm(client: Client, asked: Any) -> Any:
    """Press "Ja, wijzigen" on a confirmation page: send its form back as it is."""
    page = asked.content.decode()
    form = page[page.index('action="/medewerkers/amstelstad/compensatie/bulk/"') :]
    form = form[: form.index("</form>")]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form):
        data.setdefault(name, []).append(value.replace("&amp;", "&"))
    return client.post(BULK, data)


def test_a_selection_is_confirmed_with_its_count_then_changed_and_audited(
    kees_quality: User, register: None
) -> None:
    client = client_for(kees_quality)
    ids = list(
        CompensationEntry.objects.filter(source_id__startswith="K-")
        .order_by("source_id")
        .values_list("pk", flat=True)[:3]
    )
    asked = ask(client, actie="offered", bereik="selectie", entry=[str(pk) for pk in ids])
    assert "3 compensaties krijgen de status &#x27;aangeboden&#x27;." in asked.content.decode()
    assert asked.headers["Cache-Control"] == "no-store"
    # Asking changed nothing.
    assert not CompensationEntry.objects.filter(status=EntryStatus.OFFERED).exists()

    done = confirm(client, asked)
    assert done.status_code == 302
    assert set(
        CompensationEntry.objects.filter(status=EntryStatus.OFFERED).values_list("pk", flat=True)
    ) == set(ids)
    action = BulkAction.objects.get()
    assert (action.changed, action.by, sorted(action.entry_ids)) == (3, kees_quality, sorted(ids))
    event = AuditEvent.objects.get(action="compensation.entries.offered")
    assert event.actor == kees_quality and "3 compensatie" in event.summary
    assert "3 compensaties staan nu op" in client.get(done["Location"]).content.decode()


def test_confirming_twice_changes_nothing_more(kees_quality: User, register: None) -> None:
    client = client_for(kees_quality)
    asked = ask(client, actie="paid", bereik="filter", filter="norm=complaint")
    assert confirm(client, asked).status_code == 302
    CompensationEntry.objects.filter(source_id="K-00000").update(status=EntryStatus.OWED)
    again = confirm(client, asked)
    assert again.status_code == 302
    assert CompensationEntry.objects.get(source_id="K-00000").status == EntryStatus.OWED
    assert BulkAction.objects.count() == 1
    assert AuditEvent.objects.filter(action="compensation.entries.paid").count() == 1
    assert "al uitgevoerd" in client.get(again["Location"]).content.decode()


def test_a_decline_needs_one_reason_which_every_entry_keeps(
    kees_quality: User, register: None
) -> None:
    client = client_for(kees_quality)
    refused = client.post(BULK, {"actie": "declined", "bereik": "filter", "filter": "norm=email"})
    assert refused.status_code == 302
    assert "Schrijf op waarom" in client.get(refused["Location"]).content.decode()
    reason = "Excuses zijn al telefonisch gemaakt."
    asked = ask(client, actie="declined", bereik="filter", filter="norm=email", reden=reason)
    confirm(client, asked)
    declined = CompensationEntry.objects.filter(norm__code="email")
    assert {(e.status, e.decline_reason) for e in declined} == {(EntryStatus.DECLINED, reason)}
    assert reason in client.get(STAFF, {"status": "declined"}).content.decode()


def test_paid_is_final_and_the_confirmation_says_how_many_stay(
    kees_quality: User, register: None
) -> None:
    client = client_for(kees_quality)
    # Everything in the register: the two paid permits cannot be declined.
    asked = ask(client, actie="declined", bereik="filter", filter="", reden="Dubbel geregistreerd")
    text = asked.content.decode()
    assert "12 compensaties krijgen de status" in text
    assert "2 compensaties blijven zoals ze zijn" in text
    confirm(client, asked)
    assert CompensationEntry.objects.filter(status=EntryStatus.PAID).count() == 2


def test_when_the_register_changed_since_asking_the_new_count_is_confirmed(
    kees_quality: User, norms: dict[str, CharterNorm], register: None
) -> None:
    client = client_for(kees_quality)
    asked = ask(client, actie="paid", bereik="filter", filter="norm=complaint")
    entries_for(norms["complaint"], 2, prefix="NEW", amount=Decimal("25.00"))
    again = confirm(client, asked)
    assert again.status_code == 200
    assert "Het register is veranderd" in again.content.decode()
    assert "7 compensaties krijgen de status" in again.content.decode()
    assert not CompensationEntry.objects.filter(status=EntryStatus.PAID, norm__code="complaint")
    confirm(client, again)
    assert (
        CompensationEntry.objects.filter(status=EntryStatus.PAID, norm__code="complaint").count()
        == 7
    )


def test_no_action_by_get_and_none_without_a_selection(kees_quality: User, register: None) -> None:
    client = client_for(kees_quality)
    assert client.get(BULK, {"actie": "paid", "bereik": "filter"}).status_code == 405
    empty = client.post(BULK, {"actie": "paid", "bereik": "selectie"})
    assert empty.status_code == 302
    assert "Kies eerst een of meer compensaties" in client.get(empty["Location"]).content.decode()
    assert not BulkAction.objects.exists()


def test_selecting_a_whole_page_by_keyboard_without_javascript(
    kees_quality: User, register: None
) -> None:
    client = client_for(kees_quality)
    plain = client.get(STAFF, {"status": "owed"}).content.decode()
    ticked = r'name="entry"[^>]* checked>'
    assert 'name="entry"' in plain
    assert not re.findall(ticked, plain)
    link = re.search(r'href="\?([^"]+selecteer=pagina[^"]*)"', plain)
    assert link is not None
    selected = client.get(f"{STAFF}?{link.group(1).replace('&amp;', '&')}").content.decode()
    assert len(re.findall(ticked, selected)) == 12
    assert '<label class="select-label" for="entry-' in selected


def test_thousands_of_entries_page_and_bulk_action_over_the_filter(
    kees_quality: User, norms: dict[str, CharterNorm]
) -> None:
    """A year of a municipality: the page works, and one action settles a whole filter."""
    entries_for(norms["complaint"], 4000, prefix="K", amount=Decimal("25.00"))
    entries_for(norms["email"], 2404, prefix="E")
    client = client_for(kees_quality)
    page = client.get(STAFF, {"sorteer": "-bedrag", "pagina": "40"})
    assert page.status_code == 200
    assert "6.404 compensaties in het register" in page.content.decode()

    asked = ask(client, actie="paid", bereik="filter", filter="norm=complaint")
    assert "4.000 compensaties krijgen de status" in asked.content.decode()
    confirm(client, asked)
    assert CompensationEntry.objects.filter(status=EntryStatus.PAID).count() == 4000
    assert CompensationEntry.objects.filter(status=EntryStatus.OWED).count() == 2404
    assert BulkAction.objects.get().changed == 4000
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("25", "25.00"),
        ("12,50", "12.50"),
        ("12.5", "12.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("€ 1.000", "1000.00"),
        ("1234", "1234.00"),
        ("veel", None),
        ("1.2.3", None),
        ("-5", None),
    ],
)
def test_amounts_are_read_as_people_write_them(text: str, amount: str | None) -> None:
    from burgerlink.charters.compensation.forms import parse_euros

    parsed = parse_euros(text)
    assert (None if parsed is None else str(parsed)) == amount
