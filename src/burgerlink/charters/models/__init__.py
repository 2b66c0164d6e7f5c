"""Models of the charters app."""

from burgerlink.charters.compliance import RECORD_METRICS, Metric, Verdict
from burgerlink.charters.models.aggregates import ComplianceMonth, ReportedResult
from burgerlink.charters.models.compensation import (
    BulkAction,
    Claim,
    ClaimAttempt,
    ClaimCode,
    ClaimStatus,
    CodeOrigin,
    CompensationEntry,
    EntryStatus,
    LatenessUnit,
)
from burgerlink.charters.models.norms import (
    CalendarKind,
    Charter,
    CharterNorm,
    CharterVersion,
    CompensationKind,
    ModelNorm,
    VersionStatus,
)
from burgerlink.charters.models.records import (
    BatchKind,
    BatchStatus,
    Case,
    Contact,
    Extension,
    ImportBatch,
    Suspension,
)

__all__ = [
    "RECORD_METRICS",
    "BatchKind",
    "BatchStatus",
    "BulkAction",
    "CalendarKind",
    "Case",
    "Charter",
    "CharterNorm",
    "CharterVersion",
    "Claim",
    "ClaimAttempt",
    "ClaimCode",
    "ClaimStatus",
    "CodeOrigin",
    "CompensationEntry",
    "CompensationKind",
    "ComplianceMonth",
    "Contact",
    "EntryStatus",
    "Extension",
    "ImportBatch",
    "LatenessUnit",
    "Metric",
    "ModelNorm",
    "ReportedResult",
    "Suspension",
    "Verdict",
    "VersionStatus",
]
