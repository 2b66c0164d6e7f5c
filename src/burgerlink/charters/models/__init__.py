"""Models of the charters app."""

from burgerlink.charters.models.aggregates import ComplianceMonth, ReportedResult
from burgerlink.charters.models.compensation import (
    Claim,
    ClaimStatus,
    CompensationEntry,
    EntryStatus,
)
from burgerlink.charters.models.norms import (
    RECORD_METRICS,
    CalendarKind,
    Charter,
    CharterNorm,
    CharterVersion,
    CompensationKind,
    Metric,
    ModelNorm,
    TermUnit,
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
    Verdict,
)

__all__ = [
    "RECORD_METRICS",
    "BatchKind",
    "BatchStatus",
    "CalendarKind",
    "Case",
    "Charter",
    "CharterNorm",
    "CharterVersion",
    "Claim",
    "ClaimStatus",
    "CompensationEntry",
    "CompensationKind",
    "ComplianceMonth",
    "Contact",
    "EntryStatus",
    "Extension",
    "ImportBatch",
    "Metric",
    "ModelNorm",
    "ReportedResult",
    "Suspension",
    "TermUnit",
    "Verdict",
    "VersionStatus",
]
