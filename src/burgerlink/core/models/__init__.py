"""Models of the core app, split by topic; import them from here."""

from burgerlink.core.models.bsc import (
    Answer,
    AssessmentAnswer,
    AssessmentStatus,
    ChecklistItem,
    Norm,
    NormCategory,
    NormSet,
    NormSetStatus,
    SelfAssessment,
)
from burgerlink.core.models.calendars import ClosingDay, DecreeHoliday, OpeningHours
from burgerlink.core.models.catalogue import Agency, ChainLink, Channel, LifeEvent, Theme
from burgerlink.core.models.exports import Export, ExportFormat, ExportStatus
from burgerlink.core.models.operations import MailClaim, ScheduledRun, TaskOrigin, WorkerHeartbeat
from burgerlink.core.models.organisations import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SizeClass,
    User,
    normalise_username,
    size_class_for,
)
from burgerlink.core.models.security import ApiToken, AuditEvent, LoginFailure
from burgerlink.core.models.versions import DataVersion

__all__ = [
    "Agency",
    "Answer",
    "ApiToken",
    "AssessmentAnswer",
    "AssessmentStatus",
    "AuditEvent",
    "ChainLink",
    "Channel",
    "ChecklistItem",
    "ClosingDay",
    "DataVersion",
    "DecreeHoliday",
    "Export",
    "ExportFormat",
    "ExportStatus",
    "Invitation",
    "LifeEvent",
    "LoginFailure",
    "MailClaim",
    "Membership",
    "Norm",
    "NormCategory",
    "NormSet",
    "NormSetStatus",
    "OpeningHours",
    "Organisation",
    "OrganisationKind",
    "Role",
    "ScheduledRun",
    "SelfAssessment",
    "SizeClass",
    "TaskOrigin",
    "Theme",
    "User",
    "WorkerHeartbeat",
    "normalise_username",
    "size_class_for",
]
