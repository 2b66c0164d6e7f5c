"""The public counts of a petition, recomputed from the signatures in batches.

Signing and confirming never touch a shared row, so a viral petition does not queue its
signers behind one counter (the 2019 UK petition site fell over on exactly that). The counts
people see (``Petition.signature_count`` and ``PetitionPlaceCount``) come from one aggregate
query over the confirmed, valid signatures (a partial index covers it), stored with the moment
of counting. A confirmation asks for a recount at most once per ``PETITION_RECOUNT_SECONDS`` per
process (a cache key, no database write); the scheduled job ``participation.petition-counts``
recounts every collecting petition each minute, so a burst's last signatures are counted too.
A recount that changes the numbers bumps the organisation's data version: the cached public
petition page shows the new counts at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from burgerlink.core.moderation import ModerationState
from burgerlink.core.pagecache import bump_data_version
from burgerlink.core.tasks import enqueue_after_commit
from burgerlink.participation.models import (
    Petition,
    PetitionPlaceCount,
    Signature,
    Stage,
)

RECOUNT_TASK = "burgerlink.participation.petitions.tasks.recount_petition"


def tally(petition_id: int) -> dict[str, int]:
    """Confirmed, valid signatures per place of residence, straight from the signatures."""
    rows = (
        Signature.objects.filter(
            petition_id=petition_id, confirmed_at__isnull=False, struck_at__isnull=True
        )
        .values_list("place")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {place: n for place, n in rows}


@transaction.atomic
def recount(petition_id: int) -> bool:
    """Store the petition's counts from its signatures; return whether they changed."""
    per_place = tally(petition_id)
    total = sum(per_place.values())
    stored = dict(
        PetitionPlaceCount.objects.filter(petition_id=petition_id).values_list("place", "count")
    )
    now = timezone.now()
    # Locked: two recounts of one petition at once write one after the other.
    current = (
        Petition.objects.select_for_update()
        .filter(pk=petition_id)
        .values_list("signature_count", "organisation_id")
    )
    found = next(iter(current), None)
    if found is None:
        return False
    changed = stored != per_place or found[0] != total
    if not changed:
        Petition.objects.filter(pk=petition_id).update(counted_at=now)
        return False
    Petition.objects.filter(pk=petition_id).update(signature_count=total, counted_at=now)
    PetitionPlaceCount.objects.filter(petition_id=petition_id).exclude(
        place__in=list(per_place)
    ).delete()
    for place, n in per_place.items():
        if stored.get(place) != n:
            PetitionPlaceCount.objects.update_or_create(
                petition_id=petition_id, place=place, defaults={"count": n}
            )
    bump_data_version(organisation_id=found[1])
    return True


def recount_soon(petition_id: int) -> None:
    """Ask for a recount after this transaction commits, at most once per interval per process."""
    seconds = settings.PETITION_RECOUNT_SECONDS
    if seconds and not cache.add(f"petition-recount:{petition_id}", 1, timeout=seconds):
        return  # one is on its way; the scheduled job catches what it misses
    enqueue_after_commit(RECOUNT_TASK, petition_id)


def recount_collecting() -> int:
    """Recount every petition that is still collecting (the scheduled job); return how many changed."""
    ids = Petition.objects.filter(
        moderation_state=ModerationState.PUBLISHED, stage=Stage.COLLECTING
    ).values_list("pk", flat=True)
    return sum(recount(pk) for pk in list(ids))
