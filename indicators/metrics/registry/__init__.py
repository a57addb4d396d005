"""Every indicator the dashboard computes, in one place.

Pages, the methodology text, selectors, legends and tests are all driven from :data:`INDICATORS`;
adding an indicator means adding one entry here (and, for a new kind of input, a canonical
variable and a profile mapping).

Methods (how ``compute`` turns inputs into values):

``rate``        X / Y from counts summed over the pieces of units in a geography (never an
                average of percentages); ACS proportion MOE.
``rate_gap``    difference of two rates (percentage points), e.g. White minus Black
                homeownership; MOE sqrt(MOE_a^2 + MOE_b^2).
``median``      re-derived from the income brackets by linear interpolation where brackets
                exist; otherwise the households-weighted mean of unit medians, labelled approximate
                (its MOE is that of the weighted mean).
``mean``        intensive value (concentration, prevalence): population-weighted mean over the
                pieces of units in a geography (EJScreen's report convention).
``area_share``  share of a geography's area inside overlay polygons (e.g. HOLC grade D).
``composite``   an index built from percentile ranks (SVI-style, EJ index, CEJST-style burden):
                the entry's ``index`` names its module in :mod:`indicators.metrics.composites`.
``flag_share``  share of people living in units a source flags (e.g. CEJST "disadvantaged").
"""

from __future__ import annotations

import pandas as pd

from indicators.metrics.framework import COMMITMENT_NAMES, PILLARS
from indicators.metrics.registry import belonging, environment, mobility, opportunity, wellbeing
from indicators.metrics.registry.indicator import Direction, Indicator, Method, Texts
from indicators.metrics.variables import VARIABLES

__all__ = ["BY_ID", "INDICATORS", "PERCENTILE_CONVENTION", "Direction", "Indicator", "Method", "Texts",
           "by_commitment", "check_registry", "get", "methodology_table"]

PERCENTILE_CONVENTION = (
    "Percentile rank among the region's units (or districts): (rank - 1) / (N - 1), ties share "
    "the lowest rank (the CDC SVI convention). Ranks are taken so that a higher percentile always "
    "means more burdened: indicators where higher is better are ranked in descending order; "
    "neutral indicators (population shares) are ranked in ascending order."
)

#: Every indicator, Commitment by Commitment in the framework's order.
INDICATORS: tuple[Indicator, ...] = (*belonging.INDICATORS, *opportunity.INDICATORS,
                                     *wellbeing.INDICATORS, *mobility.INDICATORS,
                                     *environment.INDICATORS)

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get(indicator_id: str) -> Indicator:
    """The indicator with this id (KeyError names the known ids)."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise KeyError(f"unknown indicator {indicator_id!r}; known: {', '.join(BY_ID)}") from None


def by_commitment() -> dict[str, list[Indicator]]:
    """Indicators grouped by Commitment, in the framework's order."""
    return {c: [i for i in INDICATORS if i.commitment == c] for c in COMMITMENT_NAMES}


def methodology_table() -> pd.DataFrame:
    """One row per indicator: the text of the Methodology page and of downloads."""
    return pd.DataFrame([
        {
            "id": i.id, "indicator": i.label, "question": i.question, "pillar": i.pillar,
            "commitment": i.commitment, "unit": i.unit, "direction": i.direction.replace("_", " "),
            "method": i.method, "formula": i.formula, "inputs": _inputs_text(i),
            "source": i.source, "percentile convention": PERCENTILE_CONVENTION,
            "caveats": i.caveats,
        }
        for i in INDICATORS
    ])


def _inputs_text(indicator: Indicator) -> str:
    if indicator.index is not None:
        return indicator.index.inputs
    if indicator.method == "median":
        return "income brackets B19001 (16), else median_hh_income"
    if indicator.method == "area_share":
        return indicator.inputs[0][0]
    return " | ".join(" / ".join(alternative) for alternative in indicator.inputs)


def check_registry() -> list[str]:
    """Problems with the registry itself (empty when sound); a test asserts it is empty."""
    problems = []
    if len(BY_ID) != len(INDICATORS):
        problems.append("duplicate indicator ids")
    for i in INDICATORS:
        if i.pillar not in PILLARS:
            problems.append(f"{i.id}: unknown pillar {i.pillar!r}")
        if i.commitment not in COMMITMENT_NAMES:
            problems.append(f"{i.id}: unknown commitment {i.commitment!r}")
        if "{value}" not in i.statement:
            problems.append(f"{i.id}: statement has no {{value}}")
        if (i.method == "composite") != (i.index is not None):
            problems.append(f"{i.id}: a composite names its index, and only a composite does")
        for alternative in i.inputs:
            for name in alternative:
                if ":" not in name and name not in VARIABLES:
                    problems.append(f"{i.id}: unknown input variable {name!r}")
    return problems
