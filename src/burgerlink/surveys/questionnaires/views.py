"""Staff pages of questionnaires: list, start from a template, versions, the draft editor, preview.

Views only parse, authorise (``staff_view(Perm.MANAGE_SURVEYS)``) and delegate to ``services``;
every change is a POST followed by a redirect, with the service's Dutch message on failure.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.core.models import Organisation
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.surveys.definition import Definition, Question
from burgerlink.surveys.models import QuestionnaireVersion, VersionStatus
from burgerlink.surveys.questionnaires import editing, selectors, services
from burgerlink.surveys.questionnaires.forms import EMPTY, QuestionForm, StartForm
from burgerlink.web.shell import render_staff, staff_view

GET_OR_POST = ["GET", "HEAD", "POST"]


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even when empty), None for a GET: binds forms correctly."""
    return request.POST if request.method == "POST" else None


def _language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _to_version(
    organisation: Organisation, version: QuestionnaireVersion, anchor: str = ""
) -> HttpResponse:
    response = redirect("surveys:questionnaire-version", slug=organisation.slug, pk=version.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@staff_view(Perm.MANAGE_SURVEYS)
@require_safe
def questionnaire_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The organisation's questionnaires and the platform templates it can start from."""
    return render_staff(
        request,
        organisation,
        "surveys/questionnaires/list.html",
        {
            "questionnaires": selectors.questionnaires_of(organisation),
            "templates": selectors.platform_templates(),
        },
    )


@staff_view(Perm.MANAGE_SURVEYS)
@require_http_methods(GET_OR_POST)
def questionnaire_start(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Start a questionnaire from a template (life events chosen by theme) or empty."""
    initial = {"template": request.GET.get("sjabloon", "")}
    form = StartForm(_posted(request), initial=initial, language=_language())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["template"] == EMPTY:
                    questionnaire = services.start_empty(
                        organisation,
                        title=data["title"],
                        title_en=data["title_en"],
                        by=acting_user(request),
                    )
                else:
                    questionnaire = services.start_from_template(
                        organisation,
                        form.versions[data["template"]],
                        title=data["title"],
                        title_en=data["title_en"],
                        life_events=data["life_events"] or None,
                        by=acting_user(request),
                    )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("De vragenlijst is aangemaakt als concept: voeg nu uw eigen vragen toe."),
                )
                return _to_version(organisation, questionnaire.versions.get(number=1))
        status = 400
    response = render_staff(
        request,
        organisation,
        "surveys/questionnaires/start.html",
        {"form": form, "groups": form.groups},
    )
    response.status_code = status
    return response


@staff_view(Perm.MANAGE_SURVEYS)
@require_safe
def questionnaire_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """A questionnaire with its versions and their status."""
    questionnaire = selectors.questionnaire_of(organisation, pk)
    versions = list(questionnaire.versions.all())
    return render_staff(
        request,
        organisation,
        "surveys/questionnaires/detail.html",
        {
            "questionnaire": questionnaire,
            "versions": versions,
            "draft": next((v for v in versions if v.status == VersionStatus.DRAFT), None),
        },
    )


@staff_view(Perm.MANAGE_SURVEYS)
@require_POST
def version_new(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Copy the latest version into a new draft."""
    questionnaire = selectors.questionnaire_of(organisation, pk)
    if questionnaire.is_template:
        messages.error(
            request, _("Een sjabloon verandert niet; begin er een eigen vragenlijst mee.")
        )
        return redirect("surveys:questionnaire-detail", slug=organisation.slug, pk=pk)
    try:
        version = services.new_version(questionnaire, by=acting_user(request))
    except ValidationError as error:
        _errors(request, error)
        return redirect("surveys:questionnaire-detail", slug=organisation.slug, pk=pk)
    messages.success(
        request, _("Versie %(number)s staat klaar als concept.") % {"number": version.number}
    )
    return _to_version(organisation, version)


def _question_rows(definition: Definition, language: str) -> list[dict[str, Any]]:
    """Pages with their questions as the editor lists them."""
    return [
        {
            "page": page,
            "title": page.title.get(language),
            "routing": editing.describe(page.condition, definition, language),
            "questions": [
                {
                    "question": question,
                    "text": question.text.get(language),
                    "type": editing.TYPE_LABELS.get(question.type, question.type),
                    "role": editing.ROLE_LABELS.get(question.role, question.role)
                    if question.role
                    else "",
                    "routing": editing.describe(question.condition, definition, language),
                    "variables": question.variables() if question.type == "matrix" else [],
                }
                for question in page.questions
            ],
        }
        for page in definition.pages
    ]


def _render_version(
    request: HttpRequest,
    organisation: Organisation,
    version: QuestionnaireVersion,
    *,
    form: QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    definition = selectors.definition_of(version)
    editable = version.is_editable and version.questionnaire.organisation_id == organisation.pk
    language = _language()
    problems = services.code_history_problems(version.questionnaire, definition) if editable else []
    response = render_staff(
        request,
        organisation,
        "surveys/questionnaires/version.html",
        {
            "version": version,
            "questionnaire": version.questionnaire,
            "definition": definition,
            "title": definition.title.get(language),
            "pages": _question_rows(definition, language),
            "editable": editable,
            "form": form or (QuestionForm(definition=definition) if editable else None),
            "problems": problems,
            "variable_count": len(editing.all_codes(version.definition)),
        },
    )
    response.status_code = status
    return response


@staff_view(Perm.MANAGE_SURVEYS)
@require_safe
def version_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """A version: the editor for a draft, a read-only overview for a fielded version."""
    return _render_version(request, organisation, selectors.version_of(organisation, pk))


@staff_view(Perm.MANAGE_SURVEYS)
@require_http_methods(GET_OR_POST)
def question_add(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Add a question to a draft (the form sits on the version page)."""
    version = selectors.own_version(organisation, pk)
    if request.method != "POST":
        return _to_version(organisation, version, "nieuwe-vraag")
    if not version.is_editable:
        messages.error(request, _("Deze versie is in gebruik en verandert niet meer."))
        return _to_version(organisation, version)
    form = QuestionForm(request.POST, definition=selectors.definition_of(version))
    if form.is_valid():
        page_key, page_title = form.placement()
        try:
            services.add_question(
                version,
                form.question,
                page_key=page_key,
                page_title=page_title,
                by=acting_user(request),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("De vraag %(code)s is toegevoegd.") % {"code": form.question["code"]}
            )
            return _to_version(organisation, version, f"vraag-{form.question['code']}")
    return _render_version(request, organisation, version, form=form, status=400)


def _existing(definition: Definition, code: str) -> Question | None:
    return next((q for q in definition.questions() if q.code == code), None)


@staff_view(Perm.MANAGE_SURVEYS)
@require_http_methods(GET_OR_POST)
def question_edit(
    request: HttpRequest, organisation: Organisation, pk: int, code: str
) -> HttpResponse:
    """Change a question of a draft: texts, options, answers, routing."""
    version = selectors.own_version(organisation, pk)
    definition = selectors.definition_of(version)
    existing = _existing(definition, code)
    if existing is None:
        messages.error(request, _("De vraag %(code)s staat niet in deze versie.") % {"code": code})
        return _to_version(organisation, version)
    if not version.is_editable:
        messages.error(request, _("Deze versie is in gebruik en verandert niet meer."))
        return _to_version(organisation, version)
    form = QuestionForm(_posted(request), definition=definition, existing=existing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_question(version, code, form.question, by=acting_user(request))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("De vraag %(code)s is bewaard.") % {"code": code})
                return _to_version(organisation, version, f"vraag-{code}")
        status = 400
    response = render_staff(
        request,
        organisation,
        "surveys/questionnaires/question.html",
        {
            "version": version,
            "questionnaire": version.questionnaire,
            "question": existing,
            "form": form,
            "routing": editing.describe(existing.condition, definition, _language()),
        },
    )
    response.status_code = status
    return response


@staff_view(Perm.MANAGE_SURVEYS)
@require_POST
def question_remove(
    request: HttpRequest, organisation: Organisation, pk: int, code: str
) -> HttpResponse:
    """Remove a question from a draft."""
    version = selectors.own_version(organisation, pk)
    try:
        services.remove_question(version, code, by=acting_user(request))
    except ValidationError as error:
        _errors(request, error)
        return _to_version(organisation, version, f"vraag-{code}")
    messages.success(request, _("De vraag %(code)s is verwijderd.") % {"code": code})
    return _to_version(organisation, version)


def _direction(request: HttpRequest) -> str:
    return "up" if request.POST.get("richting") == "omhoog" else "down"


@staff_view(Perm.MANAGE_SURVEYS)
@require_POST
def question_move(
    request: HttpRequest, organisation: Organisation, pk: int, code: str
) -> HttpResponse:
    """Move a question of a draft one place up or down."""
    version = selectors.own_version(organisation, pk)
    try:
        services.move_question(
            version,
            code,
            "up" if _direction(request) == "up" else "down",
            by=acting_user(request),
        )
    except ValidationError as error:
        _errors(request, error)
    return _to_version(organisation, version, f"vraag-{code}")


@staff_view(Perm.MANAGE_SURVEYS)
@require_POST
def page_move(request: HttpRequest, organisation: Organisation, pk: int, key: str) -> HttpResponse:
    """Move a page of a draft one place up or down."""
    version = selectors.own_version(organisation, pk)
    try:
        services.move_page(
            version,
            key,
            "up" if _direction(request) == "up" else "down",
            by=acting_user(request),
        )
    except ValidationError as error:
        _errors(request, error)
    return _to_version(organisation, version, f"pagina-{key}")


@staff_view(Perm.MANAGE_SURVEYS)
@require_POST
def version_discard(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Throw a draft away."""
    version = selectors.own_version(organisation, pk)
    try:
        questionnaire = services.discard_draft(version, by=acting_user(request))
    except ValidationError as error:
        _errors(request, error)
        return _to_version(organisation, version)
    messages.success(request, _("Het concept is weggegooid."))
    if questionnaire is None:
        return redirect("surveys:questionnaire-list", slug=organisation.slug)
    return redirect("surveys:questionnaire-detail", slug=organisation.slug, pk=questionnaire.pk)


@staff_view(Perm.MANAGE_SURVEYS)
@require_safe
def version_preview(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """Every page and question as a respondent sees it (read-only), in Dutch or English."""
    version = selectors.version_of(organisation, pk)
    definition = selectors.definition_of(version)
    language = "en" if request.GET.get("taal") == "en" else "nl"
    return render_staff(
        request,
        organisation,
        "surveys/questionnaires/preview.html",
        {
            "version": version,
            "questionnaire": version.questionnaire,
            "language": language,
            "title": definition.title.get(language),
            "intro": definition.intro.get(language) if definition.intro else "",
            "pages": preview_pages(definition, language),
        },
    )


def preview_pages(definition: Definition, language: str) -> list[dict[str, Any]]:
    """The definition as plain data for the read-only preview template."""
    pages = []
    for number, page in enumerate(definition.pages, start=1):
        questions = []
        for question in page.questions:
            answers = _answers(question, language)
            questions.append(
                {
                    "code": question.code,
                    "type": question.type,
                    "text": question.text.get(language),
                    "help": question.help.get(language) if question.help else "",
                    "required": question.required,
                    "answers": answers,
                    "rows": [
                        {"code": row.code, "label": row.label.get(language)}
                        for row in question.rows
                    ],
                    "routing": editing.describe(question.condition, definition, language),
                    "minimum": question.minimum,
                    "maximum": question.maximum,
                }
            )
        pages.append(
            {
                "number": number,
                "key": page.key,
                "title": page.title.get(language),
                "intro": page.intro.get(language) if page.intro else "",
                "routing": editing.describe(page.condition, definition, language),
                "questions": questions,
            }
        )
    return pages


def _answers(question: Question, language: str) -> list[tuple[int, str]]:
    """The answer codes with their labels as a respondent would see them."""
    english = language == "en"
    labels: dict[int, str] = {
        option.code: option.label.get(language) for option in question.options
    }
    if question.type == "yesno":
        labels = {1: "Yes" if english else "Ja", 0: "No" if english else "Nee"}
    elif question.type == "grade":
        labels = {code: str(code) for code in range(1, 11)}
    elif question.type == "scale5":
        labels = {code: labels.get(code, str(code)) for code in range(1, 6)}
    answers = [(code, labels[code]) for code in labels]
    if question.dont_know:
        answers.append((98, "Don't know" if english else "Weet niet"))
    if question.not_applicable:
        answers.append((99, "Not applicable" if english else "Niet van toepassing"))
    return answers
