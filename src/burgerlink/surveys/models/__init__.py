"""Models of the surveys app."""

from burgerlink.surveys.models.fieldwork import (
    AnalysisSettings,
    Answer,
    Invitee,
    InviteeStatus,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
    Wave,
)
from burgerlink.surveys.models.questionnaires import (
    Questionnaire,
    QuestionnaireVersion,
    TemplateKind,
    VersionStatus,
)

__all__ = [
    "AnalysisSettings",
    "Answer",
    "Invitee",
    "InviteeStatus",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "ResponseChannel",
    "ResponseStatus",
    "Survey",
    "TemplateKind",
    "VersionStatus",
    "Wave",
]
