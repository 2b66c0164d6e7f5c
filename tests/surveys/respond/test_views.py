"""The respondent's pages through HTTP: start, pages, back, resume, language, refusals, open links.

GET never changes anything; every state change is a POST.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from burgerlink.core.models import Organisation, User
from burgerlink.surveys.models import (
    Answer,
    Invitee,
    InviteeStatus,
    Response,
    ResponseStatus,
    Wave,
)
from tests.conftest import client_for
from tests.surveys.respond.conftest import TOKEN
from tests.surveys.respond.factories import make_invitee, make_wave
from tests.surveys.respond.html import parse as parse_html

START = f"/enquete/{TOKEN}/"
PAGES = {
    "cijfers": {"OVERALL": "7", "CONTACT": "1"},
    "aspecten": {"ASPECT_SPEED": "4", "ASPECT_CLEAR": "5", "CHANNELS": ["2", "3"]},
    "contact": {"CONTACT_GRADE": "8", "WAIT_DAYS": "12", "CONTACT_DATE": "2026-01-05"},
    "slot": {"MUNICIPALITY": "3", "IMPROVE": "Meer uitleg op de website."},
}


def page_url(key: str, base: str = START) -> str:
    return f"{base}pagina/{key}/"


def post_page(
    client: Client, key: str, data: dict[str, Any], *, action: str = "next", base: str = START
) -> Any:
    """POST a page as the browser would, with the revision and shown codes from its form."""
    form = parse_html(client.get(page_url(key, base)).content)
    hidden = {name: form.find("input", name=name).attrs["value"] for name in ("revision", "shown")}
    return client.post(page_url(key, base), {**hidden, **data, "action": action})


def answers() -> dict[str, object]:
    return {
        a.code: a.choices if a.choices is not None else (a.text or a.number)
        for a in Answer.objects.all()
    }


def test_get_never_creates_a_response(invitee: Invitee) -> None:
    client = Client()
    start = client.get(START)
    assert start.status_code == 200
    page = parse_html(start.content)
    assert page.find("h1").text == "Uw ervaring met de gemeente"
    assert page.find("button", type="submit").text in {"English", "Begin met de vragenlijst"}
    assert page.find("form", action=START).attrs["method"] == "post"
    assert client.get(page_url("cijfers"))["Location"] == START
    assert client.get(f"{START}klaar/")["Location"] == START
    assert client.head(START).status_code == 200
    assert not Response.objects.exists()
    invitee.refresh_from_db()
    assert invitee.status == InviteeStatus.INVITED
    assert start["Cache-Control"] == "no-store"
    assert start["Referrer-Policy"] == "same-origin"  # the token never leaves the site


def test_begin_starts_one_response_and_shows_page_one_with_progress(invitee: Invitee) -> None:
    client = Client()
    reply = client.post(START, {"language": "nl"})
    assert reply.status_code == 302 and reply["Location"] == page_url("cijfers")
    assert client.post(START, {"language": "nl"})["Location"] == page_url("cijfers")
    assert Response.objects.count() == 1
    page = parse_html(client.get(page_url("cijfers")).content)
    progress = page.find("progress")
    assert (progress.attrs["value"], progress.attrs["max"]) == ("1", "3")
    assert page.label_of(progress) == "Pagina 1 van 3"
    assert page.find("h1").text == "Rapportcijfers"
    buttons = [b.text for b in page.find("form", class_="survey__form").find_all("button")]
    assert buttons == ["Volgende"]  # no "Vorige" on the first page; "Volgende" is the default
    # The progress total follows routing: contact adds a page.
    post_page(client, "cijfers", PAGES["cijfers"])
    page = parse_html(client.get(page_url("aspecten")).content)
    assert page.label_of(page.find("progress")) == "Pagina 2 van 4"


def test_leave_after_page_two_and_continue_on_page_three_with_answers_kept(
    invitee: Invitee,
) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    assert post_page(client, "cijfers", PAGES["cijfers"])["Location"] == page_url("aspecten")
    assert post_page(client, "aspecten", PAGES["aspecten"])["Location"] == page_url("contact")

    later = Client()  # another day, another browser: the same link
    assert later.get(START)["Location"] == page_url("contact")
    assert later.post(START, {"language": "nl"})["Location"] == page_url("contact")
    # Earlier pages show the stored answers.
    back = parse_html(later.get(page_url("aspecten")).content)
    assert "checked" in back.find("input", name="ASPECT_SPEED", value="4").attrs
    assert "checked" in back.find("input", name="CHANNELS", value="3").attrs
    # Skipping ahead past a required question is not possible.
    assert later.get(page_url("slot"))["Location"] == page_url("contact")
    assert post_page(later, "contact", PAGES["contact"], base=START)["Location"] == page_url("slot")
    done = post_page(later, "slot", PAGES["slot"])
    assert done["Location"] == f"{START}klaar/"
    thanks = later.get(done["Location"])
    assert "Bedankt voor het invullen!" in thanks.content.decode()
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert answers() == {
        "OVERALL": 7.0,
        "CONTACT": 1.0,
        "ASPECT_SPEED": 4.0,
        "ASPECT_CLEAR": 5.0,
        "CHANNELS": [2, 3],
        "CONTACT_GRADE": 8.0,
        "WAIT_DAYS": 12.0,
        "CONTACT_DATE": "2026-01-05",
        "MUNICIPALITY": 3.0,
        "IMPROVE": "Meer uitleg op de website.",
    }
    invitee.refresh_from_db()
    assert invitee.status == InviteeStatus.COMPLETED and invitee.response is None


def test_the_back_button_keeps_answers_without_insisting_on_required_ones(
    invitee: Invitee,
) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    post_page(client, "cijfers", PAGES["cijfers"])
    reply = post_page(client, "aspecten", {"ASPECT_SPEED": "2"}, action="previous")
    assert reply["Location"] == page_url("cijfers")
    assert answers()["ASPECT_SPEED"] == 2.0
    page = parse_html(client.get(page_url("cijfers")).content)
    assert "checked" in page.find("input", name="OVERALL", value="7").attrs
    response = Response.objects.get()
    assert response.current_page == "cijfers"


def test_a_double_submit_of_a_page_keeps_one_response_and_the_same_answers(
    invitee: Invitee,
) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    form = parse_html(client.get(page_url("cijfers")).content)
    data = {
        "revision": form.find("input", name="revision").attrs["value"],
        "shown": form.find("input", name="shown").attrs["value"],
        **PAGES["cijfers"],
        "action": "next",
    }
    first = client.post(page_url("cijfers"), data)
    second = client.post(page_url("cijfers"), data)  # the same form again (stale revision)
    assert first["Location"] == second["Location"] == page_url("aspecten")
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 2
    assert answers() == {"OVERALL": 7.0, "CONTACT": 1.0}


def test_a_tampered_answer_is_an_error_and_nothing_is_stored(invitee: Invitee) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    for tampered in (
        {"OVERALL": "42", "CONTACT": "1"},
        {"OVERALL": "7", "CONTACT": "1", "IMPROVE": "a code from another page"},
    ):
        reply = post_page(client, "cijfers", tampered)
        assert reply.status_code == 200
        page = parse_html(reply.content)
        summary = page.by_id("form-errors")
        assert summary.attrs["role"] == "alert"
        assert "Fout" in page.find("title").text
    assert not Answer.objects.exists()
    assert Response.objects.get().revision == 0


def test_missing_required_answers_show_errors_that_link_to_the_question(invitee: Invitee) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    page = parse_html(post_page(client, "cijfers", {"CONTACT": "0"}).content)
    link = page.by_id("form-errors").find("a")
    assert link.attrs["href"] == "#id_OVERALL_0"
    assert (
        link.text == "Kies een antwoord bij ‘Welk rapportcijfer geeft u de overheid als geheel?’."
    )
    group = page.by_id("vraag-OVERALL")
    assert group.attrs["aria-describedby"] == "OVERALL-hint OVERALL-error"
    assert "checked" in page.find("input", name="CONTACT", value="0").attrs  # input kept


def test_finishing_with_a_required_answer_gone_missing_goes_back_to_that_page(
    invitee: Invitee,
) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    for key in ("cijfers", "aspecten", "contact"):
        post_page(client, key, PAGES[key])
    form = parse_html(client.get(page_url("slot")).content)
    # Meanwhile, in another tab, the contact grade was taken away again.
    Answer.objects.filter(code="CONTACT_GRADE").delete()
    reply = client.post(
        page_url("slot"),
        {"revision": form.find("input", name="revision").attrs["value"], **PAGES["slot"]},
    )
    assert reply["Location"] == page_url("contact")
    page = parse_html(client.get(reply["Location"]).content)
    assert "niet opgeslagen" in page.find("div", class_="messages").text
    response = Response.objects.get()
    assert response.status == ResponseStatus.IN_PROGRESS
    assert "IMPROVE" not in answers()  # the refused page stored nothing


def test_routing_on_the_same_page_shows_the_new_question_first(amstelstad: Organisation) -> None:
    from tests.surveys.respond.factories import definition

    data = definition()
    data["pages"][0]["questions"][1]["condition"] = {"var": "OVERALL", "op": "lte", "value": 5}
    data["pages"][0]["questions"][1]["required"] = True
    wave = make_wave(amstelstad, definition_json=data)
    make_invitee(wave, "tok-same-page1")
    client = Client()
    base = "/enquete/tok-same-page1/"
    client.post(base, {"language": "nl"})
    page = parse_html(client.get(page_url("cijfers", base)).content)
    assert not page.find_all("fieldset", id="vraag-CHAIN")
    reply = post_page(client, "cijfers", {"OVERALL": "4", "CONTACT": "0"}, base=base)
    assert reply["Location"] == page_url("cijfers", base)
    shown = client.get(reply["Location"])
    page = parse_html(shown.content)
    assert page.find_all("fieldset", id="vraag-CHAIN")
    assert "er een vraag bij" in page.find("div", class_="messages").text
    reply = post_page(client, "cijfers", {"OVERALL": "4", "CONTACT": "0"}, base=base)
    assert reply.status_code == 200  # the new question is required now that it was seen
    reply = post_page(client, "cijfers", {"OVERALL": "4", "CHAIN": "5", "CONTACT": "0"}, base=base)
    assert reply["Location"] == page_url("aspecten", base)


def test_a_token_used_after_completion_gets_a_clear_message(invitee: Invitee) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    for key in ("cijfers", "aspecten", "contact", "slot"):
        post_page(client, key, PAGES[key])
    stored = answers()
    for reply in (
        client.get(START),
        client.post(START, {"language": "nl"}),
        client.post(page_url("slot"), {"revision": "4", "action": "next", **PAGES["slot"]}),
    ):
        assert reply.status_code == 410
        assert "Deze vragenlijst is al ingevuld. Bedankt!" in reply.content.decode()
    assert client.get(page_url("slot")).status_code == 410
    assert answers() == stored and Response.objects.count() == 1


def test_a_closed_wave_and_a_wave_not_yet_open_give_clear_messages(
    invitee: Invitee, wave: Wave
) -> None:
    client = Client()
    client.post(START, {"language": "nl"})
    post_page(client, "cijfers", PAGES["cijfers"])
    Wave.objects.filter(pk=wave.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    for reply in (
        client.get(START),
        client.get(page_url("aspecten")),
        client.post(page_url("aspecten"), {"revision": "1", **PAGES["aspecten"]}),
    ):
        assert reply.status_code == 410
        text = reply.content.decode()
        assert "Deze vragenlijst is gesloten" in text
    assert answers() == {"OVERALL": 7.0, "CONTACT": 1.0}

    future = make_wave(invitee.organisation, opens_in=timedelta(days=3))
    make_invitee(future, "tok-future-01")
    reply = Client().get("/enquete/tok-future-01/")
    assert reply.status_code == 403
    assert "Deze vragenlijst is nog niet geopend." in reply.content.decode()
    assert Client().post("/enquete/tok-future-01/", {}).status_code == 403
    assert not Response.objects.filter(wave=future).exists()


def test_an_unknown_token_is_a_friendly_404(db: None) -> None:
    for path in ("/enquete/no-such-token/", "/enquete/x%00y/", "/enquete/open/nope/"):
        reply = Client().get(path)
        assert reply.status_code == 404
        assert "Deze link werkt niet" in reply.content.decode()


def test_switching_to_english_shows_english_texts_and_is_stored(invitee: Invitee) -> None:
    client = Client()
    start = parse_html(client.get(START).content)
    assert start.find("button", lang="en").text == "English"
    reply = client.post(f"{START}taal/", {"language": "en"})
    assert reply["Location"] == f"{START}?taal=en"
    page = client.get(reply["Location"])
    assert '<html lang="en">' in page.content.decode()
    assert "Your experience with the municipality" in page.content.decode()
    assert not Response.objects.exists()
    form = parse_html(page.content).find("input", name="language")
    client.post(START, {"language": form.attrs["value"]})
    response = Response.objects.get()
    assert response.language == "en"
    page = parse_html(client.get(page_url("cijfers")).content)
    assert page.find("h1").text == "Grades"
    assert (
        page.by_id("vraag-OVERALL")
        .find("legend")
        .text.startswith("What grade do you give the government as a whole?")
    )
    # And back to Dutch in the middle of the questionnaire: stored on the response.
    reply = client.post(f"{START}taal/", {"language": "nl", "page": "cijfers"})
    assert reply["Location"] == page_url("cijfers")
    response.refresh_from_db()
    assert response.language == "nl"
    assert parse_html(client.get(page_url("cijfers")).content).find("h1").text == "Rapportcijfers"


def test_the_invitees_language_is_the_default(wave: Wave) -> None:
    make_invitee(wave, "tok-english-1", language="en")
    page = Client().get("/enquete/tok-english-1/")
    assert "Your experience with the municipality" in page.content.decode()
    assert page["Content-Language"] == "en"


def test_open_link_keeps_one_response_per_resume_key_in_a_cookie(amstelstad: Organisation) -> None:
    wave = make_wave(amstelstad, open_link="panel-2026")
    base = "/enquete/open/panel-2026/"
    visitor = Client()
    start = parse_html(visitor.get(base).content)
    key = start.find("input", name="resume_key").attrs["value"]
    assert not Response.objects.exists()
    first = visitor.post(base, {"language": "nl", "resume_key": key})
    again = Client().post(base, {"language": "nl", "resume_key": key})  # a double click
    assert first["Location"] == again["Location"] == page_url("cijfers", base)
    assert Response.objects.count() == 1
    cookie = first.cookies["burgerlink_enquete"]
    assert cookie.value == key
    assert cookie["path"] == base and cookie["httponly"] and cookie["samesite"] == "Lax"
    # The cookie resumes; somebody else starts their own response.
    assert visitor.get(base)["Location"] == page_url("cijfers", base)
    other = Client()
    assert other.get(page_url("cijfers", base))["Location"] == base
    other_key = parse_html(other.get(base).content).find("input", name="resume_key")
    other.post(base, {"language": "nl", "resume_key": other_key.attrs["value"]})
    assert Response.objects.filter(wave=wave).count() == 2

    for key_ in ("cijfers", "aspecten", "contact", "slot"):
        reply = post_page(visitor, key_, PAGES[key_], base=base)
    assert reply["Location"] == f"{base}klaar/"
    assert reply.cookies["burgerlink_enquete"].value == "klaar"
    assert visitor.get(f"{base}klaar/").status_code == 200
    assert visitor.get(base).status_code == 410
    completed = Response.objects.get(status=ResponseStatus.COMPLETED)
    assert completed.resume_key == ""  # anonymous: no key left to join on


def test_a_wave_without_open_link_cannot_be_reached_by_one(amstelstad: Organisation) -> None:
    make_wave(amstelstad)
    assert Client().get("/enquete/open/x/").status_code == 404


# --- paper entry ----------------------------------------------------------------------------


def paper_url(wave: Wave, slug: str = "amstelstad") -> str:
    return f"/medewerkers/{slug}/onderzoek/metingen/{wave.pk}/papier/"


def test_staff_enter_a_paper_questionnaire(wave: Wave, bram_researcher: User) -> None:
    client = client_for(bram_researcher)
    page = parse_html(client.get(paper_url(wave)).content)
    assert page.find("h1").text == "Papieren vragenlijst invoeren"
    for code in ("OVERALL", "ASPECTS", "CONTACT_GRADE", "IMPROVE"):
        page.by_id(f"vraag-{code}")  # every question, routed or not
    # Nothing is required on paper, so nothing is marked so.
    assert "verplicht" not in page.by_id("vraag-OVERALL").find("legend").text
    key = page.find("input", name="entry_key").attrs["value"]
    data = {
        "entry_key": key,
        "OVERALL": "6",
        "CONTACT": "0",
        "IMPROVE": "Op papier",
        "form_number": "P-1",
    }
    reply = client.post(paper_url(wave), data)
    assert reply.status_code == 302 and reply["Location"] == paper_url(wave)
    follow = client.get(reply["Location"])
    assert "De papieren vragenlijst is opgeslagen" in follow.content.decode()
    fresh = parse_html(follow.content)
    assert fresh.find("input", name="entry_key").attrs["value"] != key  # an empty, new form
    assert "checked" not in fresh.find("input", name="OVERALL", value="6").attrs
    response = Response.objects.get()
    assert (response.channel, response.status, response.entered_by) == (
        "paper",
        ResponseStatus.COMPLETED,
        bram_researcher,
    )
    # The same form again (same number): refused, nothing stored twice.
    again = client.post(paper_url(wave), {**data, "entry_key": "other"})
    assert again.status_code == 200
    assert "P-1 is al ingevoerd" in again.content.decode()
    bad = client.post(paper_url(wave), {"entry_key": "k2", "OVERALL": "0", "WAIT_DAYS": "1000"})
    assert bad.status_code == 200
    errors = parse_html(bad.content).by_id("form-errors").text
    assert "Welk rapportcijfer" in errors and "0 tot en met 365" in errors
    assert Response.objects.count() == 1


def test_paper_entry_needs_the_fieldwork_role(
    wave: Wave, carla_comms: User, henk_heidedorp: User
) -> None:
    assert client_for(carla_comms).get(paper_url(wave)).status_code == 403
    assert client_for(henk_heidedorp).get(paper_url(wave, "heidedorp")).status_code == 404
    assert client_for(henk_heidedorp).post(paper_url(wave, "heidedorp"), {}).status_code == 404


def test_the_dashboard_shows_responses_of_open_waves(
    invitee: Invitee, bram_researcher: User
) -> None:
    Client().post(START, {"language": "nl"})
    text = client_for(bram_researcher).get("/medewerkers/amstelstad/").content.decode()
    assert "Respons in lopende metingen" in text
    assert "0 ingevuld" in text and "1 bezig" in text and "1 genodigde" in text


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(invitee: Invitee, method: str) -> None:
    assert getattr(Client(), method)(START).status_code == 405


def test_completion_refused_for_missing_answers_names_them(
    invitee: Invitee, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind the page checks, completion itself refuses a response with required gaps."""
    from burgerlink.surveys.respond import views

    client = Client()
    client.post(START, {"language": "nl"})
    post_page(client, "cijfers", PAGES["cijfers"])
    monkeypatch.setattr(views.logic, "is_reachable", lambda *args: True)
    reply = client.post(page_url("slot"), {"revision": "1", **PAGES["slot"]})
    assert reply["Location"] == page_url("aspecten")
    message = parse_html(client.get(reply["Location"]).content).find("div", class_="messages")
    assert "Beantwoord eerst deze verplichte vragen: ‘Hoe beoordeelt u deze onderdelen?’" in (
        message.text
    )
    assert Response.objects.get().status == ResponseStatus.IN_PROGRESS


def _complete_open_link(visitor: Client, base: str) -> Any:
    key = parse_html(visitor.get(base).content).find("input", name="resume_key").attrs["value"]
    visitor.post(base, {"language": "nl", "resume_key": key})
    for key_ in ("cijfers", "aspecten", "contact", "slot"):
        reply = post_page(visitor, key_, PAGES[key_], base=base)
    assert reply["Location"] == f"{base}klaar/"
    return reply


@pytest.mark.parametrize("anonymous", [True, False])
def test_open_link_limits_completions_per_browser(
    amstelstad: Organisation, anonymous: bool
) -> None:
    wave = make_wave(amstelstad, open_link="balie-2026", anonymous=anonymous)
    wave.open_link_limit = 2
    wave.save()
    base = "/enquete/open/balie-2026/"
    counter = Client()
    first = _complete_open_link(counter, base)
    assert counter.get(f"{base}klaar/").status_code == 200
    assert first.cookies["burgerlink_enquete_teller"]["httponly"]
    # Below the limit the same browser starts afresh: a new response, not the completed one.
    assert counter.get(base).status_code == 200
    _complete_open_link(counter, base)
    assert Response.objects.filter(wave=wave, status=ResponseStatus.COMPLETED).count() == 2
    # At the limit: refused, on the start page and on a start posted directly.
    assert counter.get(base).status_code == 410
    refused = counter.post(base, {"language": "nl", "resume_key": "x" * 32})
    assert refused.status_code == 410
    assert Response.objects.filter(wave=wave).count() == 2
    assert counter.get(f"{base}klaar/").status_code == 200
    # Another browser has its own count.
    assert Client().get(base).status_code == 200


def test_the_completion_count_cannot_be_forged_or_reused_for_another_wave(
    amstelstad: Organisation,
) -> None:
    wave = make_wave(amstelstad, open_link="eenmaal-2026")
    other = make_wave(amstelstad, open_link="andere-2026")
    assert wave.open_link_limit == 1  # the default: once per browser
    visitor = Client()
    reply = _complete_open_link(visitor, "/enquete/open/eenmaal-2026/")
    assert visitor.get("/enquete/open/eenmaal-2026/").status_code == 410
    signed = reply.cookies["burgerlink_enquete_teller"].value
    # Lowering the count by hand breaks the signature: the count is read as unknown (0), but
    # the resume cookie still marks the browser as done, so the limit holds.
    visitor.cookies["burgerlink_enquete_teller"] = "0"
    assert visitor.get("/enquete/open/eenmaal-2026/").status_code == 410
    # A count signed for one wave means nothing for another.
    fresh = Client()
    fresh.cookies["burgerlink_enquete_teller"] = signed
    assert fresh.get("/enquete/open/andere-2026/").status_code == 200
    assert other.open_link_limit == 1


def test_an_unlimited_open_link_can_be_filled_in_again_and_again(amstelstad: Organisation) -> None:
    wave = make_wave(amstelstad, open_link="tablet-2026")
    wave.open_link_limit = None
    wave.save()
    tablet = Client()
    for _ in range(3):
        _complete_open_link(tablet, "/enquete/open/tablet-2026/")
    assert Response.objects.filter(wave=wave, status=ResponseStatus.COMPLETED).count() == 3
    assert tablet.get("/enquete/open/tablet-2026/").status_code == 200
