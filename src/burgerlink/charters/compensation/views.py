"""Pages of the compensation area: the public claim form and status page, and the staff pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from burgerlink.charters.charter import selectors as charter_selectors
from burgerlink.charters.charter.display import compensation_label, product_label
from burgerlink.charters.compensation import exports, selectors, services
from burgerlink.charters.compensation.forms import (
    HONEYPOT_FIELD,
    BulkForm,
    ClaimFilterForm,
    ClaimForm,
    DecisionForm,
    IssueCodesForm,
    RegisterExportForm,
    RegisterFilterForm,
)
from burgerlink.charters.compensation.iban import format_iban
from burgerlink.charters.compensation.lateness import format_lateness
from burgerlink.charters.compensation.mail import status_path
from burgerlink.charters.compensation.rules import is_monetary
from burgerlink.charters.compensation.selectors import RegisterFilter
from burgerlink.charters.compensation.services import BulkOutcome, BulkPlan, ClaimOutcome
from burgerlink.charters.models import (
    Claim,
    ClaimStatus,
    CompensationEntry,
    CompensationKind,
    EntryStatus,
)
from burgerlink.core import selectors as core_selectors
from burgerlink.core.exports import selectors as export_selectors
from burgerlink.core.exports.http import download_response, status_context
from burgerlink.core.models import Organisation
from burgerlink.core.numbers import format_euros, format_number
from burgerlink.core.permissions import Perm, acting_user
from burgerlink.web.shell import render_staff, staff_view

PAGE_SIZE = 50
REGISTER_PAGE_SIZE = 50


def _public_organisation(slug: str) -> Organisation:
    organisation = core_selectors.public_organisation(slug)
    if organisation is None:
        raise Http404("Organisation not found")
    return organisation


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _compensated_promises(organisation: Organisation) -> list[Any]:
    """The promises of the charter in force today that come with compensation."""
    version = charter_selectors.version_valid_on(organisation, timezone.localdate())
    if version is None:
        return []
    return list(
        version.norms.exclude(compensation_kind=CompensationKind.NONE).order_by("position", "code")
    )


def money(amount: Any) -> str:
    """An amount in euros as Dutch readers expect it: € 1.234,50 (€ 1,234.50 in English)."""
    return format_euros(amount, cents=True)


def count(n: int) -> str:
    """A whole number with thousands separators in the active language."""
    return format_number(n)


# --- public -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def claim_form(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for compensation for a missed promise with a reference and its claim code, no account.

    GET shows the form; only POST stores anything, and every POST counts towards the rate
    limit. Every reference that cannot be claimed with the code given (unknown, wrong code,
    kept, not compensated, already claimed) gets the same page, so the form tells nobody who
    has a case.
    """
    organisation = _public_organisation(slug)
    form = ClaimForm(request.POST or None)
    notice = ""
    status = 200
    if request.method == "POST":
        reference = str(request.POST.get("reference", ""))[:200]
        if request.POST.get(HONEYPOT_FIELD) or not form.is_valid():
            allowed = services.note_claim_attempt(
                organisation=organisation, client_ip=_client_ip(request), reference=reference
            )
            if not allowed:
                notice, status = ClaimOutcome.RATE_LIMITED, 429
            elif request.POST.get(HONEYPOT_FIELD):
                # A bot filled in the field people never see: the answer of any refusal.
                notice = ClaimOutcome.NOT_CLAIMABLE
                form = ClaimForm(request.POST)
        else:
            data = form.cleaned_data
            result = services.submit_claim(
                organisation=organisation,
                reference=data["reference"],
                claim_code=data["claim_code"],
                email=data["email"],
                name=data["name"],
                iban=data["iban"],
                message=data["message"],
                client_ip=_client_ip(request),
                base_url=_base_url(request),
                language=get_language(),
            )
            if result.outcome == ClaimOutcome.RECEIVED and result.claim is not None:
                return render(
                    request,
                    "charters/compensation/claim_received.html",
                    {
                        "organisation": organisation,
                        "theme_organisation": organisation,
                        "claim": result.claim,
                        "status_url": status_path(organisation, result.claim),
                    },
                )
            if result.outcome == ClaimOutcome.IBAN_REQUIRED:
                form.require_iban()
            else:
                notice = result.outcome
                if result.outcome == ClaimOutcome.RATE_LIMITED:
                    status = 429
    response = render(
        request,
        "charters/compensation/claim_form.html",
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "form": form,
            "notice": notice,
            "honeypot_field": HONEYPOT_FIELD,
            "promises": _compensated_promises(organisation),
            "retention_days": services.retention_days(),
        },
        status=status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@require_safe
def claim_status(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where a claim stands, for whoever holds its status code; shows and changes nothing else."""
    organisation = _public_organisation(slug)
    claim = selectors.claim_by_token(organisation, token)
    if claim is None:
        raise Http404("Claim not found")
    entry = claim.entry
    response = render(
        request,
        "charters/compensation/claim_status.html",
        {
            "organisation": organisation,
            "theme_organisation": organisation,
            "claim": claim,
            "lateness": format_lateness(entry.lateness, entry.lateness_unit) if entry else "",
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- staff: claims ------------------------------------------------------------------------


@staff_view(Perm.HANDLE_CLAIMS)
@require_safe
def claim_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Claims of citizens, newest first, filtered by status."""
    filters = ClaimFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(selectors.claims(organisation, status or None), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_claims.html",
        {
            "filters": filters,
            "status": status,
            "page": page,
            "counts": selectors.claim_counts(organisation),
            "statuses": ClaimStatus.choices,
            "query": urlencode({"status": status}) if status else "",
        },
    )


@staff_view(Perm.HANDLE_CLAIMS)
@require_http_methods(["GET", "HEAD", "POST"])
def claim_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    """One claim with its ledger entry; POST grants or rejects it (a rejection needs a note)."""
    claim = get_object_or_404(
        Claim.objects.select_related("entry__norm", "decided_by"), organisation=organisation, pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.grant_claim
            if form.cleaned_data["decision"] == "grant"
            else services.reject_claim
        )
        try:
            decide(
                claim=claim,
                note=form.cleaned_data["note"],
                by=acting_user(request),
                base_url=_base_url(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("De claim is toegekend.")
                if form.cleaned_data["decision"] == "grant"
                else _("De claim is afgewezen."),
            )
        return redirect("charters:compensation-claim", slug=organisation.slug, pk=claim.pk)
    entry = claim.entry
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_claim.html",
        {
            "claim": claim,
            "entry": entry,
            "lateness": format_lateness(entry.lateness, entry.lateness_unit) if entry else "",
            "iban": format_iban(claim.iban) if claim.iban else "",
            "monetary": bool(entry and is_monetary(entry.norm.compensation_kind)),
            "form": form,
        },
    )


@staff_view(Perm.HANDLE_CLAIMS)
@require_http_methods(["GET", "HEAD", "POST"])
def claim_codes(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Issue claim codes for references, or new references with codes; each shown only once."""
    form = IssueCodesForm(request.POST if request.method == "POST" else None)
    issued: list[services.IssuedCode] = []
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["references"]:
                issued = services.issue_claim_codes(
                    organisation=organisation,
                    references=form.cleaned_data["references"],
                    by=acting_user(request),
                )
            else:
                issued = services.issue_references(
                    organisation=organisation,
                    count=form.cleaned_data["nieuw"],
                    by=acting_user(request),
                )
        except ValidationError as error:
            form.add_error(None, error)
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_claim_codes.html",
        {"form": form, "issued": issued, "issued_count": count(len(issued))},
    )


# --- staff: the register ------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One entry of the register with everything a row shows, formatted for the reader."""

    entry: CompensationEntry
    claim_id: int | None
    claim_status: str
    selected: bool

    @property
    def norm_title(self) -> str:
        """The norm's title in the active language."""
        return self.entry.norm.title

    @property
    def group(self) -> str:
        """The channel or product of the norm, in words."""
        norm = self.entry.norm
        if norm.case_type:
            return product_label(norm.case_type)
        return norm.channel.name if norm.channel is not None else ""

    @property
    def received(self) -> str:
        """The date of the contact or case in words (3 maart 2025)."""
        if self.entry.received_at is None:
            return "–"
        return date_format(timezone.localtime(self.entry.received_at), "j F Y")

    @property
    def lateness(self) -> str:
        """How late, in the unit of the norm."""
        return format_lateness(self.entry.lateness, self.entry.lateness_unit)

    @property
    def compensation(self) -> str:
        """The amount, or what the citizen gets when it is not money."""
        if self.entry.amount is not None:
            return money(self.entry.amount)
        return compensation_label(self.entry.norm)

    @property
    def status(self) -> str:
        """The status in words."""
        return str(self.entry.get_status_display()).capitalize()

    @property
    def claim(self) -> str:
        """The claim's status in words, or '' without a claim."""
        return str(ClaimStatus(self.claim_status).label).capitalize() if self.claim_status else ""


class CountedPaginator(Paginator[Any]):
    """A paginator given its count, so the count query that also sums amounts runs once."""

    def __init__(self, object_list: Any, per_page: int, *, total: int) -> None:
        super().__init__(object_list, per_page)
        self._total = total

    @cached_property
    def count(self) -> int:
        """The number of objects, as given."""
        return self._total


SORT_COLUMNS = [
    ("kenmerk", "Kenmerk"),
    ("norm", "Norm"),
    ("ontvangen", "Ontvangen"),
    ("te-laat", "Te laat"),
    ("bedrag", "Compensatie"),
    ("status", "Status"),
    ("claim", "Claim"),
]
NEWEST_FIRST = {"ontvangen", "te-laat", "bedrag"}


def _filter_query(filters: RegisterFilter) -> str:
    """The address query of a filter (without the page), as the filter form writes it."""
    params: list[tuple[str, str]] = []
    for name, value in (
        ("zoek", filters.reference),
        ("norm", filters.norm),
        ("kanaal", filters.group),
        ("status", filters.status),
        ("van", filters.received_from.isoformat() if filters.received_from else ""),
        ("tot", filters.received_to.isoformat() if filters.received_to else ""),
        ("min", _decimal_param(filters.amount_min)),
        ("max", _decimal_param(filters.amount_max)),
    ):
        if value:
            params.append((name, value))
    if filters.sort != selectors.DEFAULT_SORT:
        params.append(("sorteer", filters.sort))
    return urlencode(params)


def _decimal_param(value: Any) -> str:
    # The form reads both 12,50 and 12.50; the address keeps the plain form.
    return "" if value is None else str(value)


def _register_filters(
    organisation: Organisation, data: QueryDict | None
) -> tuple[RegisterFilterForm, RegisterFilter]:
    form = RegisterFilterForm(data, choices=selectors.register_choices(organisation))
    return form, form.register_filter()


def _sort_headers(filters: RegisterFilter) -> list[dict[str, str]]:
    """The column headers: each a link that sorts by it (again: the other way round)."""
    column, descending = selectors.sort_key(filters.sort)
    headers = []
    for key, label in SORT_COLUMNS:
        current = key == column
        if current:
            next_sort = key if descending else f"-{key}"
        else:
            # Dates and numbers start with the newest or largest, words with A.
            next_sort = f"-{key}" if key in NEWEST_FIRST else key
        query = _filter_query(replace(filters, sort=next_sort))
        headers.append(
            {
                "key": key,
                "label": _(label),
                "href": f"?{query}" if query else "?",
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "next": _("aflopend") if next_sort.startswith("-") else _("oplopend"),
            }
        )
    return headers


def _register_rows(page: Page[CompensationEntry], selected: set[int]) -> list[RegisterRow]:
    return [
        RegisterRow(
            entry=entry,
            claim_id=getattr(entry, "claim_id", None),
            claim_status=getattr(entry, "claim_status", None) or "",
            selected=entry.pk in selected,
        )
        for entry in page
    ]


@staff_view(Perm.HANDLE_CLAIMS)
@require_safe
def ledger(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The register of missed promises with compensation: search, filters, sort, bulk actions."""
    form, filters = _register_filters(organisation, request.GET or None)
    entries = selectors.register_entries(organisation, filters)
    selection = selectors.selection_summary(entries)
    paginator = CountedPaginator(
        selectors.register_rows(entries, filters.sort), REGISTER_PAGE_SIZE, total=selection.count
    )
    page = paginator.get_page(request.GET.get("pagina"))
    select_page = request.GET.get("selecteer") == "pagina"
    rows = _register_rows(page, {entry.pk for entry in page} if select_page else set())
    query = _filter_query(filters)
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_ledger.html",
        {
            "filters": form,
            "filter": filters,
            "page": page,
            "rows": rows,
            "headers": _sort_headers(filters),
            "query": query,
            "page_query": f"{query}&pagina={page.number}" if query else f"pagina={page.number}",
            "selection": selection,
            "selection_count": count(selection.count),
            "selection_amount": money(selection.amount),
            "selection_label": ngettext("%(n)s compensatie", "%(n)s compensaties", selection.count)
            % {"n": count(selection.count)},
            "select_page": select_page,
            "totals": selectors.ledger_totals(organisation),
            "statuses": EntryStatus.choices,
            "bulk": BulkForm(initial={"filter": query}),
            "export_form": RegisterExportForm(initial={"filter": query}),
            **_export_status(organisation, query),
        },
    )


# --- staff: the register's export -------------------------------------------------------------


def _export_status(organisation: Organisation, query: str) -> dict[str, Any]:
    """The register's ten latest exports for the status list (``web/includes/export_status``)."""
    slug = organisation.slug
    return status_context(
        export_selectors.exports_of(organisation, exports.REGISTER)[:10],
        download_url=lambda export: reverse(
            "charters:compensation-export-download", args=[slug, export.pk]
        ),
        status_url=reverse("charters:compensation-export-status", args=[slug])
        + (f"?{query}" if query else ""),
        refresh_url=_register_url(organisation, query) + "#exports",
        caption=_("Exports van het register"),
        nouns=(_("compensatie"), _("compensaties")),
    )


@staff_view(Perm.HANDLE_CLAIMS)
@require_POST
def export_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Export what the register shows with the filter of the page; made in the background."""
    form = RegisterExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een bestandsformaat."))
        return redirect(_register_url(organisation, "") + "#exports")
    query = form.cleaned_data["filter"] or ""
    _form, filters = _register_filters(organisation, QueryDict(query))
    # The address as the filter form writes it: what the export holds, also in the audit log.
    query = _filter_query(filters)
    target = _register_url(organisation, query) + "#exports"
    try:
        services.request_register_export(
            organisation=organisation,
            filters=filters,
            query=query,
            file_format=form.cleaned_data["formaat"],
            by=acting_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    messages.success(
        request,
        _(
            "De export wordt gemaakt. De voortgang staat hieronder; daarna kunt u het bestand "
            "downloaden."
        ),
    )
    return redirect(target)


@staff_view(Perm.HANDLE_CLAIMS)
@require_safe
def export_status(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The status list of the register's exports alone: what the page asks for while one runs."""
    query = _filter_query(_register_filters(organisation, request.GET or None)[1])
    response = render(
        request, "web/includes/export_status.html", _export_status(organisation, query)
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view(Perm.HANDLE_CLAIMS)
@require_safe
def export_download(
    request: HttpRequest, organisation: Organisation, export_id: int
) -> HttpResponse:
    """Download a finished export of the register (audited, never cached)."""
    export = export_selectors.export_of(organisation, export_id, kind=exports.REGISTER)
    if export is None:
        raise Http404("Export not found")
    # staff_view types its views as returning HttpResponse; a streamed file is just as good
    return cast(HttpResponse, download_response(export, by=acting_user(request)))


def _bulk_entries(
    organisation: Organisation, form: BulkForm
) -> tuple[RegisterFilter, QuerySet[CompensationEntry], str]:
    """The entries a bulk action names, the filter it came from, and a description of them."""
    _form, filters = _register_filters(
        organisation, QueryDict(form.cleaned_data.get("filter") or "")
    )
    entries = selectors.register_entries(organisation, filters)
    if form.cleaned_data["bereik"] == BulkForm.SELECTION:
        ids = sorted(set(form.cleaned_data["entry"]))
        entries = entries.filter(pk__in=ids)
        description = _("selectie van %(n)s compensatie(s)") % {"n": count(len(ids))}
    else:
        query = _filter_query(filters)
        description = (
            _("alles in het filter %(query)s") % {"query": query}
            if query
            else _("het hele register")
        )
    return filters, entries, description


def _confirm(
    request: HttpRequest,
    organisation: Organisation,
    form: BulkForm,
    plan: BulkPlan,
    *,
    changed_since: bool = False,
) -> HttpResponse:
    """The confirmation step: how many entries will change, and a form that changes them."""
    status_label = EntryStatus(plan.status).label
    return render_staff(
        request,
        organisation,
        "charters/compensation/staff_bulk_confirm.html",
        {
            "plan": plan,
            "status_label": status_label,
            "question": ngettext(
                "%(n)s compensatie krijgt de status '%(status)s'.",
                "%(n)s compensaties krijgen de status '%(status)s'.",
                plan.count,
            )
            % {"n": count(plan.count), "status": status_label},
            "unchanged": ngettext(
                "%(n)s compensatie blijft zoals hij is (die status kan niet of is er al).",
                "%(n)s compensaties blijven zoals ze zijn (die status kan niet of is er al).",
                plan.unchanged,
            )
            % {"n": count(plan.unchanged)},
            "data": form.cleaned_data,
            "key": uuid.uuid4(),
            "changed_since": changed_since,
            "back": _register_url(organisation, form.cleaned_data.get("filter") or ""),
        },
    )


def _register_url(organisation: Organisation, query: str) -> str:
    url = reverse("charters:compensation-ledger", kwargs={"slug": organisation.slug})
    return f"{url}?{query}" if query else url


@staff_view(Perm.HANDLE_CLAIMS)
@require_POST
def bulk(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """A bulk action on the register: first a confirmation that says how many change, then do it.

    Both steps are POSTs. The confirmation carries a one-time key (sending it twice changes
    nothing more) and a fingerprint of the entries that will change: when they changed in the
    meantime, the member confirms the new number instead.
    """
    form = BulkForm(request.POST)
    if not form.is_valid():
        for error in [*form.non_field_errors(), *form.errors.get("reden", [])]:
            messages.error(request, error)
        if not form.errors.keys() - {"__all__", "reden"}:
            return redirect(_register_url(organisation, request.POST.get("filter", "")))
        messages.error(request, _("Deze actie kon niet worden uitgevoerd; probeer het opnieuw."))
        return redirect(_register_url(organisation, ""))
    _filters, entries, description = _bulk_entries(organisation, form)
    status = form.cleaned_data["actie"]
    key = form.cleaned_data.get("sleutel")
    if key is None:
        return _confirm(request, organisation, form, services.plan_bulk_change(entries, status))
    try:
        result = services.apply_bulk_change(
            organisation=organisation,
            entries=entries,
            status=status,
            reason=form.cleaned_data["reden"],
            key=key,
            digest=form.cleaned_data.get("controle") or "",
            description=description,
            by=acting_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_register_url(organisation, form.cleaned_data.get("filter") or ""))
    if result.outcome == BulkOutcome.CHANGED and result.plan is not None:
        return _confirm(request, organisation, form, result.plan, changed_since=True)
    if result.outcome == BulkOutcome.ALREADY_DONE:
        messages.info(request, _("Deze actie was al uitgevoerd; er is niets opnieuw gewijzigd."))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s compensatie staat nu op '%(status)s'.",
                "%(n)s compensaties staan nu op '%(status)s'.",
                result.changed,
            )
            % {"n": count(result.changed), "status": EntryStatus(status).label},
        )
    return redirect(_register_url(organisation, form.cleaned_data.get("filter") or ""))
