"""Reads of the petitions area, always scoped to one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from burgerlink.core.models import Organisation
from burgerlink.core.moderation import ModerationState
from burgerlink.participation.models import (
    Petition,
    PetitionEvent,
    PetitionPlaceCount,
    Signature,
    Stage,
)
from burgerlink.participation.petitions import addresses, similarity

SHOWN_NAMES = 50
# A cluster worth a moderator's look: this many signatures from one small mail domain, or from
# one connection, within the window.
CLUSTER_DOMAIN = 10
CLUSTER_CLIENT = 10
CLUSTER_WINDOW = timedelta(hours=24)


def public_petitions(organisation: Organisation) -> QuerySet[Petition]:
    """The organisation's published petitions, collecting ones first, newest first."""
    return (
        Petition.objects.filter(
            organisation=organisation, moderation_state=ModerationState.PUBLISHED
        )
        .select_related("organisation")
        .order_by("stage", "-published_at", "-pk")
    )


def public_petition(organisation: Organisation, pk: int) -> Petition | None:
    """One published petition of the organisation, or None."""
    return public_petitions(organisation).filter(pk=pk).first()


def place_counts(petition: Petition) -> list[PetitionPlaceCount]:
    """Counts per place of residence at the last count, largest first."""
    return list(petition.place_counts.order_by("-count", "place"))


def shown_names(petition: Petition, limit: int = SHOWN_NAMES) -> list[tuple[str, str]]:
    """Names and places of the latest confirmed signers who chose to be shown."""
    rows = (
        Signature.objects.filter(
            petition=petition,
            confirmed_at__isnull=False,
            struck_at__isnull=True,
            show_name=True,
        )
        .exclude(name="")
        .order_by("-confirmed_at", "-pk")
        .values_list("name", "place")[:limit]
    )
    return list(rows)


@dataclass(frozen=True)
class Progress:
    """How far a petition is towards a threshold (a share from 0 to 1; 0 thresholds: none)."""

    count: int
    threshold: int

    @property
    def share(self) -> float:
        """The share of the threshold reached, at most 1."""
        return min(1.0, self.count / self.threshold) if self.threshold else 0.0

    @property
    def percent(self) -> int:
        """The share as a whole percentage (rounded down: 99.9% is not yet there)."""
        return int(self.share * 100)

    @property
    def reached(self) -> bool:
        """Whether the threshold is reached."""
        return bool(self.threshold) and self.count >= self.threshold


def progress(petition: Petition) -> list[tuple[str, Progress]]:
    """Progress towards each threshold the petition has (``initiative``, ``response``)."""
    found = []
    if petition.response_threshold:
        found.append(("response", Progress(petition.signature_count, petition.response_threshold)))
    if petition.initiative_threshold:
        found.append(
            ("initiative", Progress(petition.signature_count, petition.initiative_threshold))
        )
    return found


def similar_petitions(
    organisation: Organisation, title: str, text: str, *, exclude: int | None = None
) -> list[tuple[Petition, float]]:
    """Published petitions of the organisation worded like this title and text."""
    candidates = {
        p.pk: p
        for p in public_petitions(organisation).only(
            "pk", "title", "text", "stage", "signature_count", "organisation"
        )
        if p.pk != exclude
    }
    matches = similarity.similar(
        f"{title}\n{title}\n{text}",  # the title weighs twice: it says what the petition is
        [(pk, f"{p.title}\n{p.title}\n{p.text}") for pk, p in candidates.items()],
    )
    return [(candidates[m.key], m.score) for m in matches]


# --- staff ---------------------------------------------------------------------------------


DESK_TABS = ("moderation", "collecting", "desk", "answered", "refused")


def desk_petitions(organisation: Organisation, tab: str) -> QuerySet[Petition]:
    """The organisation's petitions on one tab of the petition desk."""
    rows = Petition.objects.filter(organisation=organisation).order_by("-created_at", "-pk")
    if tab == "moderation":
        return rows.filter(moderation_state=ModerationState.PENDING)
    if tab == "refused":
        return rows.filter(moderation_state__in=[ModerationState.REJECTED, ModerationState.HIDDEN])
    published = rows.filter(moderation_state=ModerationState.PUBLISHED)
    if tab == "collecting":
        return published.filter(stage=Stage.COLLECTING)
    if tab == "answered":
        return published.filter(stage=Stage.ANSWERED)
    return published.filter(stage__in=[Stage.RECEIVED, Stage.ON_AGENDA, Stage.DEBATED])


def desk_counts(organisation: Organisation) -> dict[str, int]:
    """How many petitions each tab of the desk holds."""
    return {tab: desk_petitions(organisation, tab).count() for tab in DESK_TABS}


def desk_petition(organisation: Organisation, pk: int) -> Petition | None:
    """Any petition of the organisation (whatever its state), for staff."""
    return Petition.objects.filter(organisation=organisation, pk=pk).first()


def events(petition: Petition) -> QuerySet[PetitionEvent]:
    """The petition's history, oldest first."""
    return petition.events.select_related("by").order_by("at", "pk")


@dataclass(frozen=True)
class SignatureTotals:
    """A petition's signatures by state, counted now (for staff)."""

    confirmed: int
    unconfirmed: int
    struck: int


def signature_totals(petition: Petition) -> SignatureTotals:
    """Confirmed, unconfirmed and struck signatures of a petition, in one query."""
    from django.db.models import Q

    found = Signature.objects.filter(petition=petition).aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False, struck_at__isnull=True)),
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True, struck_at__isnull=True)),
        struck=Count("pk", filter=Q(struck_at__isnull=False)),
    )
    return SignatureTotals(found["confirmed"], found["unconfirmed"], found["struck"])


@dataclass(frozen=True)
class Cluster:
    """Signatures from one mail domain or one connection in the window."""

    kind: str  # "domain" or "client"
    key: str
    count: int
    first: datetime
    last: datetime
    suspicious: bool


def clusters(petition: Petition, now: datetime | None = None) -> list[Cluster]:
    """The largest groups of recent signatures by mail domain and by connection."""
    since = (now or timezone.now()) - CLUSTER_WINDOW
    recent = Signature.objects.filter(
        petition=petition, struck_at__isnull=True, created_at__gte=since
    )
    found: list[Cluster] = []
    for field, kind, limit in (
        ("email_domain", "domain", CLUSTER_DOMAIN),
        ("client", "client", CLUSTER_CLIENT),
    ):
        rows = (
            recent.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at"))
            .order_by("-n")[:10]
        )
        for row in rows:
            key = str(row[field])
            large = kind == "domain" and addresses.is_large_provider(key)
            found.append(
                Cluster(
                    kind, key, row["n"], row["first"], row["last"], row["n"] >= limit and not large
                )
            )
    found.sort(key=lambda c: (not c.suspicious, -c.count))
    return found


def signatures_for_export(petition: Petition) -> QuerySet[Signature]:
    """The confirmed, valid signatures of a petition, in order of confirmation."""
    return Signature.objects.filter(
        petition=petition, confirmed_at__isnull=False, struck_at__isnull=True
    ).order_by("confirmed_at", "pk")


def clusters_since(now: datetime | None = None) -> datetime:
    """The start of the window clusters are taken from."""
    return (now or timezone.now()) - CLUSTER_WINDOW
