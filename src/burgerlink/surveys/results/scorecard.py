"""The results area's evidence for the BurgerServiceCode scorecard.

For an organisation's most recently closed wave of a life-event survey: per norm (the ``bsc``
items, key = norm number) the weighted share of respondents who judged it good, with n. Groups
too small to show (below the organisation's ``hide_below``) give no evidence.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from burgerlink.core.models import Organisation
from burgerlink.core.numbers import format_number, format_percent
from burgerlink.core.scorecard import Evidence


class SurveyEvidenceSource:
    """Evidence from the latest closed life-event survey: the share 'good' per norm."""

    code = "life_event_survey"
    label = gettext_lazy("Tevredenheidsonderzoek levensgebeurtenissen")

    def evidence(self, organisation: Organisation) -> list[Evidence]:
        """One item per BurgerServiceCode norm asked in the latest closed wave."""
        from burgerlink.surveys.results import dataset, selectors

        wave = selectors.latest_closed_life_event_wave(organisation)
        if wave is None:
            return []
        analysis = dataset.wave_analysis(wave)
        as_of = wave.closes_at.date()
        items = []
        for code, norm in analysis.catalogue.bsc:
            estimate = analysis.government(code)
            if estimate is None or estimate.suppressed or estimate.n == 0:
                continue
            share = estimate.share.share
            if share != share:  # NaN: nothing to say
                continue
            items.append(
                Evidence(
                    norm_number=norm,
                    source=self.code,
                    label=str(self.label),
                    score=float(share),
                    detail=_("%(share)s van de respondenten vond dit goed (n = %(n)s, %(wave)s)")
                    % {
                        "share": format_percent(share),
                        "n": format_number(estimate.n),
                        "wave": f"{wave.survey.title}, {wave.name}",
                    },
                    as_of=as_of,
                )
            )
        return items
