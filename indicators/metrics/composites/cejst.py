"""CEJST-style burden flag: a unit is overburdened where pollution, climate or health burden
meets low income, and the indicator is the share of a geography's people living in such units.

Formula
-------
A unit is flagged when **any** burden (:data:`CEJST_BURDENS`, each a percentile among the
region's units, higher = more burdened) is at or above :data:`BURDEN_PERCENTILE` **and** its
low-income share (below 200 % of poverty) is at or above :data:`LOW_INCOME_PERCENTILE`, both
percentiles among the region's units. No evidence is not a flag: a unit missing low income, or
every burden, is not flagged. The indicator for a district (or the region) is the
population-weighted share of its people living in flagged units.

CEJST 1.0 uses national percentiles and more burden categories; this uses the region's.

References
----------
Council on Environmental Quality, *Climate and Economic Justice Screening Tool: Technical
Support Document*, version 1.0 (2022): a tract is disadvantaged when it is at or above the 90th
percentile for a burden and at or above the 65th percentile for low income.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from indicators.metrics.composites.base import CompositeIndex, Context, Unavailable, UnitIndex

#: Burdens of the CEJST-style flag (CEJST 1.0 categories the registry can measure).
CEJST_BURDENS = (
    "pm25", "diesel_pm", "traffic_proximity", "hazwaste_proximity", "superfund_proximity",
    "wastewater", "lead_paint", "asthma", "diabetes", "heart_disease", "life_expectancy",
    "housing_cost_burden", "rent_burden", "redlined_share", "impervious",
)


#: A burden percentile at or above this counts as a high burden (CEJST: 90th percentile).
BURDEN_PERCENTILE = 0.90
#: A low-income percentile at or above this counts as low income (CEJST: 65th percentile).
LOW_INCOME_PERCENTILE = 0.65
#: Indicator id of the low-income share.
LOW_INCOME = "poverty_200"


def cejst_flags(
    percentiles: pd.DataFrame,
    burdens: Sequence[str],
    low_income: str,
    burden_threshold: float = BURDEN_PERCENTILE,
    income_threshold: float = LOW_INCOME_PERCENTILE,
) -> pd.Series:
    """CEJST-style burden flag: any burden percentile at or above ``burden_threshold`` AND low
    income at or above ``income_threshold``.

    Parameters
    ----------
    percentiles : pandas.DataFrame
        Percentiles (0-1), one column per burden plus the low-income column.
    burdens : sequence of str
        Burden columns to test (those absent from the frame are ignored).
    low_income : str
        Low-income percentile column.

    Returns
    -------
    pandas.Series of bool
        False where low income or every burden is missing (no evidence is not a flag).
    """
    present = [b for b in burdens if b in percentiles.columns]
    burdened = (percentiles[present] >= burden_threshold).any(axis=1) if present else False
    low = percentiles[low_income] >= income_threshold
    return (burdened & low).astype(bool)


def unit_burdens(unit_pct: pd.DataFrame, geoids: list[str]) -> pd.DataFrame:
    """Each unit's flag and the burdens that triggered it (the ``unit_burdens`` table, drawn on
    the Equity gaps map).

    Parameters
    ----------
    unit_pct : pandas.DataFrame
        Unit percentiles by indicator id (any columns; those of :data:`CEJST_BURDENS` and
        :data:`LOW_INCOME` are used), rows in the order of ``geoids``.
    geoids : list of str
        The units.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``geoid``: ``flagged`` (missing where the region lacks low income or every
        burden), ``burdens`` (names at or above the threshold, comma-separated), ``n_burdens``,
        ``low_income_percentile``.

    Examples
    --------
    >>> pct = pd.DataFrame({"pm25": [0.95, 0.95, 0.2], "poverty_200": [0.7, 0.5, 0.9]})
    >>> unit_burdens(pct, ["a", "b", "c"])[["flagged", "burdens", "n_burdens"]].values.tolist()
    [[True, 'pm25', 1], [False, 'pm25', 1], [False, '', 0]]
    """
    burdens = [b for b in CEJST_BURDENS if b in unit_pct.columns]
    frame = pd.DataFrame(index=pd.Index(geoids, name="geoid"))
    if not burdens or LOW_INCOME not in unit_pct.columns:
        return frame.assign(flagged=pd.NA, burdens="", n_burdens=0, low_income_percentile=np.nan)
    pct = unit_pct.set_axis(geoids)
    flagged = cejst_flags(pct, burdens, LOW_INCOME)
    high = pct[burdens] >= BURDEN_PERCENTILE
    names = high.apply(lambda row: ", ".join(b for b in burdens if row[b]), axis=1)
    return frame.assign(flagged=flagged.to_numpy(), burdens=names.to_numpy(),
                        n_burdens=high.sum(axis=1).to_numpy(),
                        low_income_percentile=pct[LOW_INCOME].to_numpy())


def _unit_index(context: Context) -> UnitIndex | Unavailable:
    burdens = unit_burdens(context.unit_pct, context.inputs.geoids)
    if burdens["flagged"].isna().all():
        return Unavailable("not available for this region: needs low income (below 200% of poverty) "
                           "and at least one burden")
    used = [b for b in CEJST_BURDENS if b in context.unit_pct.columns]
    return UnitIndex(burdens["flagged"].astype(float).to_numpy(),
                     "CEJST-style: share of people in flagged units", "burdens used: " + ", ".join(used))


INDEX = CompositeIndex(
    name="cejst",
    inputs="regional percentiles of the burdens (" + ", ".join(CEJST_BURDENS) + ") and of the "
           "low-income share",
    reference="CEQ Climate and Economic Justice Screening Tool 1.0 method",
    unit_index=_unit_index,
)
