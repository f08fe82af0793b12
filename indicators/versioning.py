"""The indicators' data sets (``coopdx.versions``): the tables whose rows their answers show, so
that a write to any of them, by any path, renews their ETags and cached answers."""

from coopdx import versions

# The figures with their round, province, ward and sector. Not the computations
# (``AggregationRun``): their rows are not shown, and a run in progress writes its progress often;
# its figures and its success are written in one transaction.
INDICATORS = versions.data_set(
    "indicators",
    "indicators.IndicatorSnapshot",
    "surveys.SurveyRound",
    "cooperatives.Province",
    "cooperatives.Ward",
    "cooperatives.Sector",
)
# Completeness and timeliness, read live: the registry's cooperatives (the expected ones), the
# responses (their status and dates) and the rounds (their closing day), by province.
TIMELINESS = versions.data_set(
    "timeliness",
    "surveys.Response",
    "surveys.SurveyRound",
    "cooperatives.Cooperative",
    "cooperatives.Province",
)
