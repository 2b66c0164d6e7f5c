"""The survey analysis engine: numpy arrays of answers in, estimates out (no Django, no ORM).

Input conventions
-----------------
* ``answers``: a float matrix, one row per response, one column per variable; NaN means
  missing, "don't know" or "not applicable". Column-major (Fortran-ordered) input is read
  without copies. Each column is described by a ``VariableSpec`` (``grade`` 1-10 with share
  satisfied = share ≥ 7; ``scale`` 1-5 with share ≥ 4; ``binary`` 1 = good / 0 = not good, e.g.
  the ten BurgerServiceCode items; ``numeric``; ``background`` = weighting variable, not
  analysed). Questionnaire types map as grade → ``grade``, scale5 → ``scale``, yesno and
  ``bsc`` items → ``binary``.
* groups: one label per response (life event); ``Grouping`` factorises labels once.
* organisation grades: a long table ``OrganisationGrades(response, organisation, grade)``, one
  row per (response, organisation) grade.
* weights: one non-negative weight per response (None: equal weights); weight 0 = left out.

Entry point
-----------
``analyse_wave(WaveData(...), weighting=Raking(...) | PostStratification(...) | None,
trimming=Trimming(...) | None, settings=WaveSettings(...)) -> WaveResult``;
``WaveResult.to_dict()`` is the JSON body of
``GET /api/v1/surveys/{survey_id}/waves/{wave_id}/results``::

    {"n_responses", "settings", "variables", "weighting",
     "levels": {"government" | "life_event" | "organisation":
                {"groups": [{"group", "variables": {name: {
                    "n", "n_eff", "mean", "se", "df", "ci_low", "ci_high",
                    "share_satisfied", "share_ci_low", "share_ci_high",
                    "suppressed", "flagged", "distribution"}}}]}},
     "drivers": {"outcome", "method", "r_squared", "importance_split", "performance_split",
                 "aspects": [{"variable", "n", "correlation", "beta", "relative_weight",
                              "importance", "performance", "quadrant", "flags"}]}}

The government level has one group ``"all"`` (every analysed variable plus the pooled
organisation grade); the life-event level one group per event; the organisation level one group
per organisation (the organisation grade).

Building blocks
---------------
* ``estimates``: ``weighted_mean_ci`` → ``MeanEstimate``; ``share_ci`` → ``ShareEstimate``;
  ``grade_estimate`` → ``GradeEstimate`` (both); ``distribution`` → ``Distribution``;
  ``wilson_interval``. Result types live in ``results``, ``EstimateSettings`` and
  ``SmallGroupRule`` in ``settings``, the vectorised core (per-group moments from
  ``np.bincount`` tables, ``finalise_many``) in ``moments``.
* ``levels``: ``estimate_groups`` (one variable per group) → ``GroupedEstimates`` (columnar,
  ``.estimate(label)``); ``estimate_levels`` → ``{level: LevelResult}``.
* ``weighting``: ``poststratify``, ``rake`` (with ``Margin``), ``trim_weights``,
  ``kish_effective_n`` → ``WeightingResult`` / ``TrimResult``; ``WeightingError``.
* ``drivers``: ``weighted_correlations``, ``driver_regression`` (standardised coefficients and
  relative weights), ``priority_matrix``, ``derive_importance`` → ``DriverAnalysis``;
  ``Quadrant``.
* ``compare``: ``welch_test``, ``welch_from_estimates``, ``compare_groups``, ``compare_waves``
  → ``WelchResult``.

Estimators (details in each module's docstring)
-----------------------------------------------
* Mean ``ȳ = Σwy/Σw``; default variance by linearisation (the sandwich estimator of a ratio
  mean) ``v = n/(n-1) · Σw²(y-ȳ)² / (Σw)²``, ``df = n - 1``; alternatively
  ``variance="kish"``: ``v = [Σw(y-ȳ)²/Σw] / (n_eff - 1)``, ``df = n_eff - 1``. Both reduce to
  ``s²/n`` with equal weights. Interval ``ȳ ± t(df) · √(v · (1 - n/N))`` (the factor only when
  the population size ``N`` is known).
* Share ≥ threshold with a Wilson interval on ``n_eff / (1 - n/N)``.
* Kish ``n_eff = (Σw)²/Σw²``. Small groups: suppressed below 30 answers, flagged below 100
  (``SmallGroupRule``, per organisation via ``WaveSettings.organisation_rules``).
* Welch test with Welch-Satterthwaite degrees of freedom on those variances, ``alpha`` 0.05.
"""

from burgerlink.surveys.analysis.compare import (
    WaveComparison,
    WelchResult,
    compare_groups,
    compare_waves,
    welch_from_estimates,
    welch_test,
)
from burgerlink.surveys.analysis.drivers import (
    Correlations,
    Driver,
    DriverAnalysis,
    PriorityMatrix,
    PriorityPoint,
    Quadrant,
    RegressionResult,
    derive_importance,
    driver_regression,
    priority_matrix,
    relative_weights_from_correlations,
    weighted_correlations,
)
from burgerlink.surveys.analysis.estimates import (
    GRADE_CATEGORIES,
    NO_SUPPRESSION,
    Distribution,
    EstimateSettings,
    GradeEstimate,
    GroupedDistribution,
    GroupedEstimates,
    MeanEstimate,
    ShareEstimate,
    SmallGroupRule,
    distribution,
    grade_estimate,
    share_ci,
    weighted_mean_ci,
    wilson_interval,
)
from burgerlink.surveys.analysis.levels import (
    GOVERNMENT,
    LIFE_EVENT,
    ORGANISATION,
    Grouping,
    LevelResult,
    OrganisationGrades,
    VariableSpec,
    estimate_groups,
    estimate_levels,
)
from burgerlink.surveys.analysis.wave import (
    DriverSettings,
    WaveData,
    WaveResult,
    WaveSettings,
    analyse_wave,
)
from burgerlink.surveys.analysis.weighting import (
    Margin,
    PostStratification,
    Raking,
    Trimming,
    TrimResult,
    WeightingError,
    WeightingResult,
    kish_effective_n,
    poststratify,
    rake,
    trim_weights,
)

__all__ = [
    "GOVERNMENT",
    "GRADE_CATEGORIES",
    "LIFE_EVENT",
    "NO_SUPPRESSION",
    "ORGANISATION",
    "Correlations",
    "Distribution",
    "Driver",
    "DriverAnalysis",
    "DriverSettings",
    "EstimateSettings",
    "GradeEstimate",
    "GroupedDistribution",
    "GroupedEstimates",
    "Grouping",
    "LevelResult",
    "Margin",
    "MeanEstimate",
    "OrganisationGrades",
    "PostStratification",
    "PriorityMatrix",
    "PriorityPoint",
    "Quadrant",
    "Raking",
    "RegressionResult",
    "ShareEstimate",
    "SmallGroupRule",
    "TrimResult",
    "Trimming",
    "VariableSpec",
    "WaveComparison",
    "WaveData",
    "WaveResult",
    "WaveSettings",
    "WeightingError",
    "WeightingResult",
    "WelchResult",
    "analyse_wave",
    "compare_groups",
    "compare_waves",
    "derive_importance",
    "distribution",
    "driver_regression",
    "estimate_groups",
    "estimate_levels",
    "grade_estimate",
    "kish_effective_n",
    "poststratify",
    "priority_matrix",
    "rake",
    "relative_weights_from_correlations",
    "share_ci",
    "trim_weights",
    "weighted_correlations",
    "weighted_mean_ci",
    "welch_from_estimates",
    "welch_test",
    "wilson_interval",
]
