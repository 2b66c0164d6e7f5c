"""How a charter reads for people: norms in plain words, grouped per channel or product.

Pure: it formats model instances that were already loaded and runs no queries of its own (a
norm's channel should be loaded with ``select_related``). Used by the public page, the staff
pages, the poster and the assessment, so a promise reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from burgerlink.charters.compliance import DAY_METRICS, Metric
from burgerlink.charters.models import CharterNorm, CompensationKind, ModelNorm
from burgerlink.charters.models.norms import NormFields
from burgerlink.core.calendar import TermUnit
from burgerlink.core.numbers import decimals_for, format_euros, format_number, format_percent

CHANNEL, PRODUCT = "channel", "product"
REVIEW_WARNING_DAYS = 30


def number(value: Decimal | int | float) -> str:
    """Format a number without trailing zeros in the active language (25, 0,995, 1.442)."""
    value = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    return format_number(value, decimals_for([value]))


def money(amount: Decimal | None) -> str:
    """Format an amount in euros: € 23, € 1.442, € 7,50."""
    if amount is None:
        return ""
    return format_euros(amount)


def percentage(share: Decimal | float | None) -> str:
    """Format a share 0–1 as a percentage: 0.8 → 80%, 0.995 → 99,5%."""
    if share is None:
        return "–"
    exact = Decimal(str(share)) * 100
    return format_percent(share, decimals_for([exact]))


def product_label(case_type: str) -> str:
    """A readable name for a product or case-type code: omgevingsvergunning-regulier → …"""
    words = case_type.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _term(amount: Decimal, unit: str) -> str:
    n = int(amount)
    shown = number(amount)
    if unit == TermUnit.WEEKS:
        return ngettext("%(n)s week", "%(n)s weken", n) % {"n": shown}
    if unit == TermUnit.WORKING_DAYS:
        return ngettext("%(n)s werkdag", "%(n)s werkdagen", n) % {"n": shown}
    return ngettext("%(n)s dag", "%(n)s dagen", n) % {"n": shown}


def norm_label(norm: NormFields) -> str:
    """The measurable norm in words: 25 seconden, 2 werkdagen, 8 weken (wettelijke termijn)."""
    threshold = Decimal(norm.threshold)
    n = int(threshold)
    if norm.metric == Metric.ELAPSED_SECONDS:
        return ngettext("%(n)s seconde", "%(n)s seconden", n) % {"n": number(threshold)}
    if norm.metric == Metric.ELAPSED_MINUTES:
        if threshold >= 60 and threshold % 60 == 0:
            hours = threshold / 60
            return ngettext("%(n)s uur", "%(n)s uur", int(hours)) % {"n": number(hours)}
        return ngettext("%(n)s minuut", "%(n)s minuten", n) % {"n": number(threshold)}
    if norm.metric in DAY_METRICS:
        return _term(threshold, DAY_METRICS[norm.metric])
    if norm.metric == Metric.LEGAL_TERM:
        return _("%(term)s (wettelijke termijn)") % {"term": _term(threshold, norm.term_unit)}
    if norm.metric == Metric.COUNT:
        return _("hooguit %(n)s") % {"n": number(threshold)}
    if norm.metric == Metric.AVAILABILITY:
        return _("%(share)s van de tijd") % {"share": percentage(threshold)}
    return number(threshold)


def compensation_detail(norm: CharterNorm) -> str:
    """The money part of a compensation: € 25, or € 23 per dag, hooguit € 1.442."""
    if norm.compensation_kind == CompensationKind.AMOUNT and norm.compensation_amount:
        return money(norm.compensation_amount)
    if norm.compensation_kind == CompensationKind.PENALTY_PER_DAY and norm.compensation_amount:
        per_day = _("%(amount)s per dag") % {"amount": money(norm.compensation_amount)}
        if norm.compensation_cap:
            return _("%(per_day)s, hooguit %(cap)s") % {
                "per_day": per_day,
                "cap": money(norm.compensation_cap),
            }
        return per_day
    return ""


def compensation_label(norm: CharterNorm) -> str:
    """What a citizen gets when the promise is broken, in words ('' when nothing)."""
    text = norm.compensation.strip()
    if norm.compensation_kind == CompensationKind.NONE and not text:
        return ""
    label = text or str(CompensationKind(norm.compensation_kind).label).capitalize()
    detail = compensation_detail(norm)
    if not detail or detail in label:
        return label
    if label.endswith((".", "!", ")")):
        return f"{label} {detail[:1].upper()}{detail[1:]}."
    return f"{label} ({detail})"


def measured_label(norm: CharterNorm) -> str:
    """How the organisation knows whether the promise was kept."""
    kind = norm.record_kind
    if kind == "contact":
        return _("gemeten bij elk klantcontact")
    if kind == "case":
        return _("gemeten bij elke zaak")
    return _("per periode vastgesteld en gerapporteerd")


def calendar_note(norm: NormFields) -> str:
    """Which days count, in words ('' when the norm counts seconds or minutes)."""
    legal = norm.metric == Metric.LEGAL_TERM or getattr(norm, "calendar", "") == "legal"
    if norm.metric == Metric.WORKING_DAYS:
        if legal:
            return _("Weekenden en wettelijke feestdagen tellen niet mee.")
        return _("Alleen dagen waarop wij open zijn tellen mee.")
    if norm.metric in {*DAY_METRICS, Metric.LEGAL_TERM}:
        if legal:
            return _(
                "Valt de laatste dag in een weekend of op een feestdag, dan schuift hij door "
                "(Algemene termijnenwet)."
            )
        return _("Valt de laatste dag op een dag dat wij dicht zijn, dan schuift hij door.")
    return ""


@dataclass(frozen=True)
class NormView:
    """A charter norm with its plain-language labels, ready for a template."""

    norm: CharterNorm
    norm_label: str
    target_label: str
    compensation_label: str
    measured_label: str
    calendar_note: str
    group: str


def view_of(norm: CharterNorm) -> NormView:
    """Return the labels of one norm in the active language."""
    return NormView(
        norm=norm,
        norm_label=norm_label(norm),
        target_label=percentage(norm.target_share),
        compensation_label=compensation_label(norm),
        measured_label=measured_label(norm),
        calendar_note=calendar_note(norm),
        group=group_label(norm),
    )


def group_key(norm: NormFields) -> tuple[str, str]:
    """Return (kind, code) of the channel or product a norm belongs to."""
    if norm.case_type:
        return PRODUCT, norm.case_type
    if norm.channel is not None:
        return CHANNEL, norm.channel.code
    return PRODUCT, ""


def _position(norm: NormFields) -> int:
    """Channels in their catalogue order; products after every channel."""
    if norm.case_type or norm.channel is None:
        return 10_000
    return norm.channel.position


def group_label(norm: NormFields) -> str:
    """The name of the channel or product a norm belongs to, in the active language."""
    if norm.case_type:
        return product_label(norm.case_type)
    if norm.channel is not None:
        return norm.channel.name
    return _("Overig")


@dataclass
class NormGroup:
    """The norms of one channel (phone, counter…) or one product (permit, complaint…)."""

    kind: str
    code: str
    label: str
    position: int
    items: list[NormView] = field(default_factory=list)


def group_norms(norms: list[CharterNorm]) -> list[NormGroup]:
    """Group norms per channel (in channel order) and then per product (alphabetically)."""
    groups: dict[tuple[str, str], NormGroup] = {}
    for norm in norms:
        kind, code = group_key(norm)
        group = groups.get((kind, code))
        if group is None:
            group = NormGroup(kind, code, group_label(norm), _position(norm))
            groups[(kind, code)] = group
        group.items.append(view_of(norm))
    return sorted(groups.values(), key=lambda g: (g.kind != CHANNEL, g.position, g.label))


def library_groups(model_norms: list[ModelNorm]) -> list[tuple[str, list[ModelNorm]]]:
    """Group library norms per channel (in channel order), then per product."""
    groups: dict[tuple[str, str], tuple[int, str, list[ModelNorm]]] = {}
    for model_norm in model_norms:
        kind, code = group_key(model_norm)
        if (kind, code) not in groups:
            groups[(kind, code)] = (_position(model_norm), group_label(model_norm), [])
        groups[(kind, code)][2].append(model_norm)
    ordered = sorted(groups.items(), key=lambda item: (item[0][0] != CHANNEL, *item[1][:2]))
    return [(label, items) for _key, (_position, label, items) in ordered]


@dataclass(frozen=True)
class ReviewState:
    """When the yearly review of the charter falls due, seen from ``today``."""

    due: date | None
    today: date

    @property
    def days_left(self) -> int | None:
        """Days until the review is due (negative once overdue), None without a due date."""
        return None if self.due is None else (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        """True once the due date has passed."""
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        """True when the review is due within the warning period (30 days)."""
        return self.days_left is not None and 0 <= self.days_left <= REVIEW_WARNING_DAYS

    @property
    def warn(self) -> bool:
        """Whether staff should see a warning."""
        return self.overdue or self.due_soon
