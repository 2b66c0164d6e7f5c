"""API endpoints of the surveys app's questionnaires area: templates and codebooks (read-only).

A fieldwork bureau or an organisation's own tools read here which variable codes, answer codes
and routing a questionnaire version has, so that imported answers use the same codes.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.params import functions as params

from burgerlink.core.api_support import TOKEN_OR_STAFF, authorised_organisation, error_responses
from burgerlink.core.permissions import Perm
from burgerlink.surveys.definition import Definition, parse
from burgerlink.surveys.models import Questionnaire, QuestionnaireVersion
from burgerlink.surveys.questionnaires import editing, selectors

router = Router(tags=["surveys"])
MAX_ID = 2_147_483_647  # ids beyond this name no row (and would overflow the database)


class VersionOut(Schema):
    """One version of a questionnaire."""

    id: int
    number: int
    status: str = Field(description="draft, fielded (in use, immutable) or retired (replaced).")
    fielded_at: datetime | None = Field(description="When the version became immutable.")
    variables: list[str] = Field(
        description="Variable codes in questionnaire order (a matrix adds one per row)."
    )


class QuestionnaireOut(Schema):
    """A questionnaire of an organisation, or a platform template."""

    id: int
    code: str
    title_nl: str
    title_en: str
    kind: str = Field(description="life_event, contact, burgerpeiling or custom.")
    template: bool = Field(description="True for a platform template (no organisation).")
    based_on: int | None = Field(description="Id of the template version it started from.")
    versions: list[VersionOut] = Field(description="Newest first.")


class VersionDetailOut(VersionOut):
    """A version with its whole definition: pages, questions, options, routing, roles."""

    questionnaire: int
    definition: Definition


def _version_out(version: QuestionnaireVersion) -> VersionOut:
    return VersionOut(
        id=version.pk,
        number=version.number,
        status=version.status,
        fielded_at=version.fielded_at,
        variables=editing.all_codes(version.definition),
    )


def _questionnaire_out(questionnaire: Questionnaire) -> QuestionnaireOut:
    return QuestionnaireOut(
        id=questionnaire.pk,
        code=questionnaire.code,
        title_nl=questionnaire.title_nl,
        title_en=questionnaire.title_en,
        kind=questionnaire.kind,
        template=questionnaire.is_template,
        based_on=questionnaire.based_on_id,
        versions=[_version_out(version) for version in questionnaire.versions.all()],
    )


@router.get("/survey-templates", response={200: list[QuestionnaireOut]})
def list_survey_templates(request: HttpRequest) -> list[QuestionnaireOut]:
    """The questionnaire templates of the platform (life events, after a contact, Burgerpeiling)."""
    return [_questionnaire_out(template) for template in selectors.platform_templates()]


@router.get(
    "/organisations/{slug}/questionnaires",
    response={200: list[QuestionnaireOut], **error_responses(401, 403, 404)},
    auth=TOKEN_OR_STAFF,
)
def list_questionnaires(request: HttpRequest, slug: str) -> list[QuestionnaireOut]:
    """An organisation's own questionnaires with their versions and variable codes."""
    organisation = authorised_organisation(request, slug, Perm.MANAGE_SURVEYS)
    return [
        _questionnaire_out(questionnaire)
        for questionnaire in selectors.questionnaires_of(organisation)
    ]


@router.get(
    "/organisations/{slug}/questionnaire-versions/{version_id}",
    response={200: VersionDetailOut, **error_responses(401, 403, 404, 422)},
    auth=TOKEN_OR_STAFF,
)
def get_questionnaire_version(
    request: HttpRequest, slug: str, version_id: int = params.Path(..., ge=1, le=MAX_ID)
) -> VersionDetailOut:
    """One version's codebook: the definition of an own questionnaire or a platform template."""
    organisation = authorised_organisation(request, slug, Perm.MANAGE_SURVEYS)
    version = QuestionnaireVersion.objects.filter(
        Q(questionnaire__organisation=organisation) | Q(questionnaire__organisation__isnull=True),
        pk=version_id,
    ).first()
    if version is None:
        raise Http404(_("Deze versie bestaat niet bij deze organisatie."))
    out = _version_out(version)
    return VersionDetailOut(
        **out.model_dump(),
        questionnaire=version.questionnaire_id,
        definition=parse(version.definition),
    )
