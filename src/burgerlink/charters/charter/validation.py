"""The rules a charter norm must meet before it can stand in a version: pure, no queries.

The services call ``validate_norm`` with the other norms of the same version, so the whole check
is one function of plain objects; the messages are what staff read on the form, in Dutch.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from burgerlink.charters.compliance import RECORD_METRICS, WHOLE_NUMBER_METRICS
from burgerlink.charters.models import (
    CalendarKind,
    CharterNorm,
    CompensationKind,
    Metric,
)

# Compensation kinds that mean nothing without an amount.
AMOUNT_KINDS = {CompensationKind.AMOUNT, CompensationKind.PENALTY_PER_DAY}
BSC_NUMBERS = range(1, 11)


def _is_record_norm(norm: CharterNorm) -> bool:
    return norm.metric in RECORD_METRICS


def _product_label(case_type: str) -> str:
    return case_type.replace("-", " ").replace("_", " ")


def normalise_norm(norm: CharterNorm) -> None:
    """Fill what follows from other fields, before validation.

    A statutory term always runs on the legal calendar (Algemene termijnenwet), whatever the
    organisation chose, so the display and the engine agree.
    """
    if norm.metric == Metric.LEGAL_TERM:
        norm.calendar = CalendarKind.LEGAL
    else:
        norm.term_unit = ""  # only a statutory term has a unit of its own
    if norm.compensation_kind not in AMOUNT_KINDS:
        norm.compensation_amount = None
        norm.compensation_cap = None
    norm.case_type = (norm.case_type or "").strip()
    numbers = norm.bsc_norms or []
    if all(isinstance(n, int) or (isinstance(n, str) and n.isdigit()) for n in numbers):
        norm.bsc_norms = sorted({int(n) for n in numbers})


def validate_norm(norm: CharterNorm, others: Iterable[CharterNorm]) -> None:
    """Raise ``ValidationError`` (messages per field) when ``norm`` may not stand next to ``others``.

    ``others`` are the other norms of the same version. The rules: a channel or a product (not
    both; legal terms only on products), a threshold above 0 (whole days and weeks for day
    norms), a target share from 0 to 1, a unit for a legal term, an amount for money
    compensation, a unique code, and at most one record-measured norm per channel and per case
    type, because the engine measures each record against exactly one norm.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    has_channel = norm.channel_id is not None
    has_product = bool(norm.case_type)
    if not has_channel and not has_product:
        add("channel", _("Kies een kanaal of een product of zaaktype."))
    elif has_channel and has_product:
        add("case_type", _("Kies een kanaal óf een product of zaaktype, niet allebei."))
    elif norm.metric == Metric.LEGAL_TERM and has_channel:
        add("metric", _("Een wettelijke termijn geldt voor zaken: kies een product of zaaktype."))

    threshold = norm.threshold
    if threshold is None or Decimal(threshold) <= 0:
        add("threshold", _("De norm moet groter zijn dan 0."))
    elif norm.metric in WHOLE_NUMBER_METRICS and Decimal(threshold) % 1 != 0:
        add("threshold", _("Een termijn in dagen of weken is een heel getal."))
    elif norm.metric == Metric.AVAILABILITY and Decimal(threshold) > 1:
        add("threshold", _("Beschikbaarheid is een deel van 0 tot 1 (0,995 is 99,5%)."))

    share = norm.target_share
    if share is None or not Decimal(0) <= Decimal(share) <= Decimal(1):
        add("target_share", _("Het streefpercentage ligt tussen 0 en 1 (0,80 is 80%)."))

    if norm.metric == Metric.LEGAL_TERM and not norm.term_unit:
        add(
            "term_unit",
            _("Een wettelijke termijn heeft een eenheid nodig: weken, kalenderdagen of werkdagen."),
        )

    if norm.compensation_kind in AMOUNT_KINDS:
        # A penalty per day without an amount of its own follows the statutory Wet dwangsom
        # schedule (Awb 4:17); a fixed amount always needs the amount.
        statutory = norm.compensation_kind == CompensationKind.PENALTY_PER_DAY
        if (
            norm.compensation_amount is None
            and not statutory
            or (norm.compensation_amount is not None and norm.compensation_amount <= 0)
        ):
            add(
                "compensation_amount",
                _("Vul het bedrag in: bij een vast bedrag hoort een bedrag groter dan nul."),
            )
        elif (
            norm.compensation_amount is not None
            and norm.compensation_cap is not None
            and norm.compensation_cap < norm.compensation_amount
        ):
            add("compensation_cap", _("Het maximum mag niet lager zijn dan het bedrag."))

    if not (norm.promise_nl or "").strip():
        add("promise_nl", _("Schrijf de belofte in gewone taal; zo staat zij op de poster."))

    if any(not isinstance(n, int) or n not in BSC_NUMBERS for n in norm.bsc_norms or []):
        add("bsc_norms", _("Gebruik de nummers 1 tot en met 10 van de BurgerServiceCode."))

    for other in others:
        if other.pk is not None and other.pk == norm.pk:
            continue
        if other.code == norm.code:
            add(
                "code",
                _("De code „%(code)s” komt al voor in deze versie; elke norm heeft een eigen code.")
                % {"code": norm.code},
            )
        if not (_is_record_norm(norm) and _is_record_norm(other)):
            continue
        if has_channel and not has_product and other.channel_id == norm.channel_id:
            if not other.case_type:
                add(
                    "channel",
                    _(
                        "Deze versie meet het kanaal %(channel)s al met de norm „%(title)s”. "
                        "Elk contact wordt tegen één norm gemeten: pas die norm aan of "
                        "verwijder hem eerst."
                    )
                    % {
                        "channel": norm.channel.name_nl if norm.channel else "",
                        "title": other.title_nl,
                    },
                )
        elif has_product and other.case_type == norm.case_type:
            add(
                "case_type",
                _(
                    "Deze versie meet het product %(case_type)s al met de norm „%(title)s”. "
                    "Elke zaak wordt tegen één norm gemeten: pas die norm aan of verwijder "
                    "hem eerst."
                )
                % {"case_type": _product_label(norm.case_type), "title": other.title_nl},
            )

    if errors:
        raise ValidationError(errors)


def not_editable_error(number: int) -> ValidationError:
    """The error every service raises when asked to change a published version."""
    return ValidationError(
        {
            NON_FIELD_ERRORS: [
                _(
                    "Versie %(number)s is gepubliceerd en verandert niet meer. Maak een nieuwe "
                    "versie op basis van deze versie om iets te wijzigen."
                )
                % {"number": number}
            ]
        }
    )
