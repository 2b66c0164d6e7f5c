"""Export kinds: how an app tells the export kit what it can export.

An app registers an ``ExportKind`` in its ``AppConfig.ready`` (like dashboard panels and
scorecard sources), so ``core`` runs, audits and serves every app's exports without importing
any app. A kind says which permission it needs, how many rows a request will give (``count``,
asked before queueing) and how to produce the file's columns and row chunks (``prepare``, in
the background job). Both receive the ``Export`` row itself: its ``organisation``, ``subject``
(what the export is of, as text, for example a wave's id) and ``params`` (filters, options).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from burgerlink.core.audit import register_actions
from burgerlink.core.exports.columns import Column
from burgerlink.core.exports.writers import FORMATS, Chunk

if TYPE_CHECKING:
    from burgerlink.core.models import Export
    from burgerlink.core.permissions import Perm


@dataclass(frozen=True)
class PreparedExport:
    """What a kind hands the writer: the columns, the chunks (lazily) and the row count.

    ``chunks`` is iterated once, while the file is written; read the data a chunk at a time
    (for example by id ranges) so that memory stays bounded. ``title`` becomes the .sav file
    label and the workbook's title; ``sheet`` names the Excel data sheet.
    """

    columns: Sequence[Column]
    chunks: Iterable[Chunk]
    rows: int
    title: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class ExportKind:
    """One kind of export an app offers.

    * ``name``: unique, ``<app>.<what>`` (stored on every export);
    * ``permission``: what the requester and the downloader need in the organisation;
    * ``count(export)``: the rows the export will have (0 refuses the request with
      ``empty_message``);
    * ``prepare(export)``: the columns and chunks (runs in the background job);
    * ``describe(export)``: a short name of the subject for the audit log ("Meting 3");
    * ``file_stem(export)``: the start of the file's name, without extension ("meting-3");
    * ``audit_action``: prefix of the audit actions (``.request`` and ``.download`` follow);
    * ``rows_word``: what a row is, in the audit log's summary ("responsen", "claims").
    """

    name: str
    permission: Perm
    count: Callable[[Export], int]
    prepare: Callable[[Export], PreparedExport]
    describe: Callable[[Export], str]
    file_stem: Callable[[Export], str]
    formats: tuple[str, ...] = FORMATS
    audit_action: str = ""
    rows_word: str = "rijen"
    empty_message: str | Promise = field(default=_("Er is niets om te exporteren."))

    def __post_init__(self) -> None:
        """Refuse formats the kit cannot write."""
        unknown = set(self.formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"{self.name}: unknown formats {sorted(unknown)}")

    @property
    def audit_prefix(self) -> str:
        """The audit action's prefix: ``audit_action`` or ``export.<name>``."""
        return self.audit_action or f"export.{self.name}"


_KINDS: dict[str, ExportKind] = {}


def register_kind(kind: ExportKind) -> None:
    """Add (or replace, by name) an export kind, with labels for its audit actions."""
    _KINDS[kind.name] = kind
    register_actions(
        {
            f"{kind.audit_prefix}.request": _("Export aangevraagd"),
            f"{kind.audit_prefix}.download": _("Export gedownload"),
        }
    )


def get_kind(name: str) -> ExportKind:
    """The registered kind ``name``; ``LookupError`` when no app registered it."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no export kind {name!r} is registered") from None


def kinds() -> list[ExportKind]:
    """Every registered kind, in registration order."""
    return list(_KINDS.values())
