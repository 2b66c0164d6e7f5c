"""Pages of the respondent's questionnaire (public, by token or open link) and paper entry (staff).

GET never changes anything: a mail scanner that follows an invitation link sees the start page,
and only the "Begin" button (a POST) starts a response. Every page renders in the respondent's
language (stored on the response; before the start, the invitee's or the one chosen with the
language buttons), with the wave's organisation as theme.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.surveys.definition import Definition, parse
from burgerlink.surveys.models import (
    Invitee,
    InviteeStatus,
    Response,
    ResponseStatus,
    Wave,
)
from burgerlink.surveys.respond import forms, logic, selectors, services
from burgerlink.surveys.respond.services import RespondError
from burgerlink.web.shell import render_staff, staff_view

OPEN_COOKIE = "burgerlink_enquete"
DONE_MARK = "klaar"
# How often this browser completed the wave through its open link; signed per wave, so it
# cannot be forged or carried over to another wave (clearing cookies resets it, of course).
COUNT_COOKIE = "burgerlink_enquete_teller"

Kind = Literal["token", "open"]


@dataclass
class Respondent:
    """Who is answering: by token (an invitee) or by open link (a cookie), and their response."""

    kind: Kind
    key: str  # the token or the open-link code
    wave: Wave
    definition: Definition
    invitee: Invitee | None = None
    response: Response | None = None
    finished: bool = False  # an open-link respondent in an anonymous wave who completed
    completions: int = 0  # open link: how often this browser completed the wave before

    def url(self, name: str, **kwargs: str) -> str:
        """A URL of this respondent's questionnaire (start, page, language, done)."""
        prefix = "respond-open" if self.kind == "open" else "respond"
        arg = "code" if self.kind == "open" else "token"
        return reverse(f"surveys:{prefix}-{name}", kwargs={arg: self.key, **kwargs})

    def page_url(self, page_key: str) -> str:
        """The URL of one page."""
        return self.url("page", page_key=page_key)

    @property
    def completed(self) -> bool:
        """Whether this respondent completed the questionnaire already."""
        if self.finished:
            return True
        if self.invitee is not None and self.invitee.status == InviteeStatus.COMPLETED:
            return True
        return self.response is not None and self.response.status == ResponseStatus.COMPLETED

    def language(self, request: HttpRequest) -> str:
        """The language to show: the response's, else a choice on the start page, else the
        invitee's (or, for an open link, the browser's)."""
        chosen = request.GET.get("taal", "")
        if self.response is not None and self.response.status == ResponseStatus.IN_PROGRESS:
            return services.language_for(self.definition, self.response.language)
        if chosen in self.definition.languages:
            return chosen
        if self.response is not None:
            return services.language_for(self.definition, self.response.language)
        if self.invitee is not None:
            return services.language_for(self.definition, self.invitee.language)
        return services.language_for(self.definition, translation.get_language() or "nl")


def _by_token(token: str) -> Respondent | None:
    invitee = selectors.invitee_for_token(token)
    if invitee is None:
        return None
    wave = invitee.wave
    return Respondent(
        kind="token",
        key=token,
        wave=wave,
        definition=parse(wave.version.definition),
        invitee=invitee,
        response=invitee.response,
    )


def _count_salt(wave: Wave) -> str:
    return f"burgerlink.surveys.open-link.{wave.pk}"


def _completions(request: HttpRequest, wave: Wave) -> int:
    """How often this browser completed the wave via its open link (0 when unknown or forged)."""
    value = request.get_signed_cookie(COUNT_COOKIE, default="0", salt=_count_salt(wave)) or ""
    return int(value) if value.isdigit() else 0


def _by_open_link(request: HttpRequest, code: str) -> Respondent | None:
    wave = selectors.wave_for_open_link(code)
    if wave is None:
        return None
    cookie = request.COOKIES.get(OPEN_COOKIE, "")
    response = selectors.open_link_response(wave, cookie)
    completions = _completions(request, wave)
    limit = wave.open_link_limit
    finished = cookie == DONE_MARK or (
        response is not None and response.status == ResponseStatus.COMPLETED
    )
    if finished:  # a browser marked done completed at least once, whatever its count says
        completions = max(completions, 1)
    if limit is not None and completions >= limit:
        finished = True
    elif finished:
        # Below the wave's limit this browser may fill the questionnaire in once more.
        response, finished = None, False
    return Respondent(
        kind="open",
        key=code,
        wave=wave,
        definition=parse(wave.version.definition),
        response=response,
        finished=finished,
        completions=completions,
    )


# --- rendering ----------------------------------------------------------------------------


def _context(respondent: Respondent, language: str, **extra: Any) -> dict[str, Any]:
    organisation: Organisation = respondent.wave.organisation
    return {
        "theme_organisation": organisation if organisation.is_active else None,
        "respondent": respondent,
        "wave": respondent.wave,
        "organisation": organisation,
        "survey_title": respondent.definition.title.get(language),
        "language": language,
        "other_languages": [code for code in respondent.definition.languages if code != language],
        "language_url": respondent.url("language"),
        "start_url": respondent.url("start"),
        **extra,
    }


def _render(
    request: HttpRequest,
    respondent: Respondent,
    language: str,
    template: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    with translation.override(language):
        response = render(request, template, _context(respondent, language, **extra), status=status)
    response.headers["Content-Language"] = language
    response.headers["Cache-Control"] = "no-store"
    return response


def _refusal(
    request: HttpRequest, respondent: Respondent, language: str, error: RespondError
) -> HttpResponse:
    """A clear page for a refused request (completed, closed, not yet open); nothing changed."""
    with translation.override(language):
        title, message = str(error.title), str(error.message)
    return _render(
        request,
        respondent,
        language,
        "surveys/respond/message.html",
        status=error.status,
        title=title,
        message=message,
        kind=type(error).__name__,
    )


def _not_found(request: HttpRequest) -> HttpResponse:
    response = render(request, "surveys/respond/not_found.html", status=404)
    response.headers["Cache-Control"] = "no-store"
    return response


def _state_error(respondent: Respondent) -> RespondError | None:
    """Why this respondent cannot answer now (None when they can)."""
    if respondent.completed:
        return services.AlreadyCompletedError()
    state = services.wave_state(respondent.wave)
    if state == "closed":
        return services.WaveClosedError()
    if state == "not_open":
        return services.WaveNotOpenError()
    return None


def _resume_redirect(respondent: Respondent, response: Response) -> HttpResponseRedirect:
    answers = services.stored_answers(response, respondent.definition)
    page = logic.resume_page(respondent.definition, answers, response.current_page)
    return redirect(respondent.page_url(page.key))


def _set_open_cookie(
    respondent: Respondent,
    reply: HttpResponse,
    value: str,
    *,
    name: str = OPEN_COOKIE,
    salt: str = "",
) -> None:
    """Keep an open-link respondent's resume key, or (signed, with ``salt``) their count of
    completions (HttpOnly, SameSite=Lax, this survey only)."""
    closes = respondent.wave.closes_at
    max_age = max(int((closes - timezone.now() + timedelta(days=1)).total_seconds()), 60)
    if salt:  # what set_signed_cookie does, read back with request.get_signed_cookie
        value = signing.get_cookie_signer(salt=name + salt).sign(value)
    reply.set_cookie(
        name,
        value,
        max_age=max_age,
        path=reverse("surveys:respond-open-start", kwargs={"code": respondent.key}),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# --- the pages, shared by both kinds of respondent ------------------------------------------


def _start(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """The start page (GET, changes nothing) and "Begin" (POST: start or resume a response)."""
    language = respondent.language(request)
    if request.method == "POST":
        language = services.language_for(
            respondent.definition, request.POST.get("language", language)
        )
        try:
            if respondent.kind == "open":
                if respondent.completed:
                    raise services.AlreadyCompletedError()
                response = respondent.response or services.start_open_link(
                    respondent.wave,
                    language=language,
                    resume_key=request.POST.get("resume_key", ""),
                )
            else:
                assert respondent.invitee is not None  # noqa: S101 - a token has an invitee
                response = services.start_or_resume(respondent.invitee, language=language)
        except RespondError as error:
            return _refusal(request, respondent, language, error)
        reply = _resume_redirect(respondent, response)
        if respondent.kind == "open":
            _set_open_cookie(respondent, reply, response.resume_key)
        return reply
    problem = _state_error(respondent)
    if problem is not None:
        return _refusal(request, respondent, language, problem)
    if respondent.response is not None:
        return _resume_redirect(respondent, respondent.response)
    definition = respondent.definition
    return _render(
        request,
        respondent,
        language,
        "surveys/respond/start.html",
        intro=definition.intro.get(language) if definition.intro else "",
        page_count=len(logic.visible_page_list(definition, {})),
        resume_key=secrets.token_urlsafe(24) if respondent.kind == "open" else "",
    )


def _page(request: HttpRequest, respondent: Respondent, page_key: str) -> HttpResponse:
    """One page of questions (GET); POST saves it and goes to the next or previous page, or
    completes the questionnaire after the last one."""
    response = respondent.response
    language = respondent.language(request)
    problem = _state_error(respondent)
    if problem is not None:
        return _refusal(request, respondent, language, problem)
    if response is None:
        return redirect(respondent.url("start"))
    definition = respondent.definition
    stored = services.stored_answers(response, definition)
    if not logic.is_reachable(definition, stored, page_key):
        if request.method == "POST":
            messages.error(
                request,
                _(
                    "Uw antwoorden op die pagina zijn niet opgeslagen: eerst zijn de vragen "
                    "hieronder aan de beurt."
                ),
            )
        return _resume_redirect(respondent, response)
    if request.method != "POST":
        form = forms.page_form(
            None, definition=definition, page_key=page_key, language=language, stored=stored
        )
        return _page_response(request, respondent, language, page_key, form, stored, response)

    action: services.Direction = "previous" if request.POST.get("action") == "previous" else "next"
    # The codes the page showed; without them (not our form) every question counts as seen.
    seen = (
        {code for code in request.POST["shown"].split(",") if code}
        if "shown" in request.POST
        else None
    )
    try:
        revision: int | None = int(request.POST.get("revision", ""))
    except ValueError:
        revision = None
    form = forms.page_form(
        request.POST,
        definition=definition,
        page_key=page_key,
        language=language,
        stored=stored,
        enforce=action == "next",
        seen=seen,
    )
    valid = form.is_valid()
    revealed = form.revealed() if valid else []
    if not valid:
        return _page_response(request, respondent, language, page_key, form, stored, response)
    direction: services.Direction = "stay" if revealed and action == "next" else action
    try:
        outcome = services.save_page(
            response, page_key, form.answers(), expected_revision=revision, direction=direction
        )
    except services.InvalidAnswersError as error:
        for code, problem_text in error.problems.items():
            form.add_error(code if code in form.fields else None, str(problem_text))
        return _page_response(request, respondent, language, page_key, form, stored, response)
    except RespondError as error:
        return _refusal(request, respondent, language, error)
    if direction == "stay":
        messages.info(
            request,
            _(
                "Door uw antwoord staat er een vraag bij op deze pagina. Wilt u die ook "
                "beantwoorden?"
            ),
        )
        return redirect(respondent.page_url(page_key))
    if outcome.target is not None:
        return redirect(respondent.page_url(outcome.target))
    return _complete(request, respondent, response, language)


def _complete(
    request: HttpRequest, respondent: Respondent, response: Response, language: str
) -> HttpResponse:
    try:
        services.complete(response)
    except services.IncompleteError as error:
        questions = ", ".join(
            f"‘{forms.short(missing.question.text.get(language), 60)}’" for missing in error.missing
        )
        messages.error(
            request,
            _("Beantwoord eerst deze verplichte vragen: %(questions)s.") % {"questions": questions},
        )
        return redirect(respondent.page_url(error.missing[0].page.key))
    except RespondError as error:
        return _refusal(request, respondent, language, error)
    reply = redirect(respondent.url("done"))
    if respondent.kind == "open":
        _set_open_cookie(
            respondent, reply, DONE_MARK if respondent.wave.anonymous else response.resume_key
        )
        _set_open_cookie(
            respondent,
            reply,
            str(respondent.completions + 1),
            name=COUNT_COOKIE,
            salt=_count_salt(respondent.wave),
        )
    return reply


def _page_response(
    request: HttpRequest,
    respondent: Respondent,
    language: str,
    page_key: str,
    form: forms.AnswerForm,
    stored: logic.Answers,
    response: Response,
) -> HttpResponse:
    definition = respondent.definition
    page = logic.find_page(definition, page_key)
    assert page is not None  # noqa: S101 - reachable pages exist
    blocks = form.blocks()
    progress = logic.progress(definition, stored, page_key)
    return _render(
        request,
        respondent,
        language,
        "surveys/respond/page.html",
        page=page,
        page_title=page.title.get(language),
        form_action=respondent.page_url(page_key),
        page_intro=page.intro.get(language) if page.intro else "",
        form=form,
        blocks=blocks,
        shown=",".join(block.code for block in blocks),
        error_count=len(form.non_field_errors()) + sum(1 for block in blocks if block.errors),
        revision=response.revision,
        progress=progress,
        has_previous=logic.previous_page(definition, stored, page_key) is not None,
    )


def _language(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """Switch the questionnaire's language (POST); stored on the response once it exists."""
    chosen = services.language_for(respondent.definition, request.POST.get("language", ""))
    page_key = request.POST.get("page", "")
    response = respondent.response
    if response is None or response.status == ResponseStatus.COMPLETED:
        return redirect(f"{respondent.url('start')}?taal={chosen}")
    try:
        services.set_language(response, chosen)
    except RespondError as error:
        return _refusal(request, respondent, chosen, error)
    stored = services.stored_answers(response, respondent.definition)
    if page_key and logic.is_reachable(respondent.definition, stored, page_key):
        return redirect(respondent.page_url(page_key))
    return _resume_redirect(respondent, response)


def _done(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """The thank-you page after completion."""
    if not respondent.completed and not respondent.completions:
        return redirect(respondent.url("start"))
    language = respondent.language(request)
    return _render(request, respondent, language, "surveys/respond/done.html")


def _with_token(
    handler: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, token: str, **kwargs: str) -> HttpResponse:
        """Find the invitee by token (a friendly 404 otherwise), in their language."""
        respondent = _by_token(token)
        if respondent is None:
            return _not_found(request)
        with translation.override(respondent.language(request)):
            return handler(request, respondent, **kwargs)

    view.__doc__ = handler.__doc__
    return view


def _with_open_link(
    handler: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, code: str, **kwargs: str) -> HttpResponse:
        """Find the wave by open-link code and the respondent by cookie, in their language."""
        respondent = _by_open_link(request, code)
        if respondent is None:
            return _not_found(request)
        with translation.override(respondent.language(request)):
            return handler(request, respondent, **kwargs)

    view.__doc__ = handler.__doc__
    return view


start = require_http_methods(["GET", "HEAD", "POST"])(_with_token(_start))
page = require_http_methods(["GET", "HEAD", "POST"])(_with_token(_page))
language = require_POST(_with_token(_language))
done = require_safe(_with_token(_done))
open_start = require_http_methods(["GET", "HEAD", "POST"])(_with_open_link(_start))
open_page = require_http_methods(["GET", "HEAD", "POST"])(_with_open_link(_page))
open_language = require_POST(_with_open_link(_language))
open_done = require_safe(_with_open_link(_done))


# --- paper entry (staff) ------------------------------------------------------------------


@staff_view(Perm.MANAGE_FIELDWORK)
@require_http_methods(["GET", "HEAD", "POST"])
def paper_entry(request: HttpRequest, organisation: Organisation, wave_id: int) -> HttpResponse:
    """Type in a paper questionnaire: all questions on one form, a completed response."""
    wave = selectors.staff_wave(organisation, wave_id)
    if wave is None:
        raise Http404("Wave not found")
    definition = parse(wave.version.definition)
    entry_key = secrets.token_urlsafe(18)
    form = forms.PaperEntryForm(
        request.POST if request.method == "POST" else None,
        definition=definition,
        entry_key=entry_key,
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.enter_paper_response(
                wave,
                form.answers(),
                entered_by=acting_user(request),
                form_number=form.cleaned_data.get("form_number", ""),
                entry_key=form.cleaned_data.get("entry_key", ""),
                token=form.cleaned_data.get("token", ""),
            )
        except services.InvalidAnswersError as error:
            for code, problem in error.problems.items():
                form.add_error(code if code in form.fields else None, str(problem))
        except RespondError as error:
            form.add_error(None, str(error.message))
        else:
            if outcome.duplicate:
                messages.info(
                    request, _("Dit formulier was al ingevoerd; er is niets dubbel opgeslagen.")
                )
            else:
                text = _("De papieren vragenlijst is opgeslagen (respons %(id)s).") % {
                    "id": outcome.response.pk
                }
                if outcome.notes:
                    text += " " + _("De genodigde staat nu op ‘ingevuld’.")
                messages.success(request, text)
            return redirect("surveys:respond-paper", slug=organisation.slug, wave_id=wave.pk)
    blocks = form.blocks()
    extra_fields = [form["form_number"], form["token"]]
    return render_staff(
        request,
        organisation,
        "surveys/respond/paper.html",
        {
            "wave": wave,
            "form": form,
            "pages": _paper_pages(blocks, definition),
            "all_blocks": blocks,
            "extra_fields": extra_fields,
            "error_count": len(form.non_field_errors())
            + sum(1 for block in blocks if block.errors)
            + sum(1 for bound in extra_fields if bound.errors),
            "state": services.wave_state(wave),
            "entered": wave.responses.filter(channel="paper").count(),
        },
    )


def _paper_pages(blocks: list[forms.Block], definition: Definition) -> list[dict[str, Any]]:
    by_code = {block.code: block for block in blocks}
    return [
        {
            "title": page.title.nl,
            "blocks": [by_code[question.code] for question in page.questions],
        }
        for page in definition.pages
    ]
