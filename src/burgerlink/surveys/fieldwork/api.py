"""API endpoints of the surveys app's fieldwork area: the progress of an organisation's waves.

Only counts: the API never returns invitees, addresses or tokens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from burgerlink.core.api_support import TOKEN_OR_STAFF, authorised_organisation, error_responses
from burgerlink.core.permissions import Perm
from burgerlink.surveys.fieldwork import selectors
from burgerlink.surveys.models import Wave

router = Router(tags=["surveys"])
READ_ERRORS = error_responses(401, 403, 404, 422)


class WaveProgressOut(Schema):
    """One wave's fieldwork in numbers."""

    id: int
    survey_id: int
    survey_title: str
    name: str
    opens_at: datetime
    closes_at: datetime
    state: Literal["planned", "open", "closed"] = Field(description="Where the wave stands now.")
    anonymous: bool
    invitees: int = Field(description="Everyone in the sample.")
    invitees_by_status: dict[str, int] = Field(
        description="pending, invited, bounced, started and completed."
    )
    response_rate: float | None = Field(
        description="Completed invitees / (invitees − bounced); empty without a reachable sample."
    )
    completed_responses_by_channel: dict[str, int] = Field(
        description="web, open_link, paper and import."
    )
    responses_in_progress: int
    sample_erased: bool


@router.get(
    "/organisations/{slug}/survey-waves",
    response={200: list[WaveProgressOut], **READ_ERRORS},
    auth=TOKEN_OR_STAFF,
)
def list_wave_progress(request: HttpRequest, slug: str) -> list[WaveProgressOut]:
    """Every wave of the organisation's surveys with counts per invitee status and channel."""
    organisation = authorised_organisation(request, slug, Perm.MANAGE_FIELDWORK)
    waves = Wave.objects.filter(organisation=organisation).select_related("survey")
    return [
        WaveProgressOut(
            id=item.wave.pk,
            survey_id=item.wave.survey_id,
            survey_title=item.wave.survey.title,
            name=item.wave.name,
            opens_at=item.wave.opens_at,
            closes_at=item.wave.closes_at,
            state=item.state.value,
            anonymous=item.wave.anonymous,
            invitees=item.invitees,
            invitees_by_status={status: count for status, _label, count in item.status_rows},
            response_rate=item.rate,
            completed_responses_by_channel={
                channel: count for channel, _label, count in item.channel_rows
            },
            responses_in_progress=item.in_progress,
            sample_erased=item.wave.sample_erased_at is not None,
        )
        for item in selectors.summaries(waves)
    ]
