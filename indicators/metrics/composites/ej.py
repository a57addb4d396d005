"""EJScreen-style environmental justice index: where pollution and social disadvantage fall on
the same people.

Formula
-------
For each unit: ``EJ = E x D`` where ``E`` is the mean regional percentile of the available
environmental burdens (:data:`EJ_BURDENS`, ranked so that higher is more burdened) and ``D`` the
demographic index, the mean of the low-income share (below 200 % of poverty) and the
people-of-colour share; ``EJ`` is then percentile-ranked among the region's units. A district's
value is the population-weighted mean of its units' ranks.

EJScreen keeps one EJ index per environmental indicator against national percentiles; this
summary combines the burdens the region has data for, ranked within the region.

References
----------
U.S. EPA, *EJScreen Technical Documentation*, version 2.2 (2023): EJ index = environmental
percentile x demographic index.
"""

from __future__ import annotations

import pandas as pd

from indicators.metrics.composites.base import CompositeIndex, Context, Unavailable, UnitIndex
from indicators.metrics.rank import percentile_rank

#: Environmental burdens of the EJScreen-style index (EJScreen's environmental indicators).
EJ_BURDENS = (
    "pm25", "ozone", "diesel_pm", "traffic_proximity", "lead_paint", "hazwaste_proximity",
    "superfund_proximity", "wastewater",
)
#: Indicator ids of the two halves of the demographic index.
LOW_INCOME = "poverty_200"
PEOPLE_OF_COLOUR = "poc_share"


def ej_index(
    env_percentiles: pd.DataFrame, low_income_share: pd.Series, poc_share: pd.Series
) -> pd.DataFrame:
    """EJScreen-style EJ index for each unit.

    Parameters
    ----------
    env_percentiles : pandas.DataFrame
        Regional percentile (0-1) of each environmental burden, one column per burden.
    low_income_share, poc_share : pandas.Series
        Shares (0-1) of people below 200 % of poverty and people of colour.

    Returns
    -------
    pandas.DataFrame
        ``demographic_index`` (mean of the two shares), ``environment`` (mean percentile of the
        available burdens), ``raw`` (their product) and ``percentile`` (rank of ``raw``).

    Notes
    -----
    EJScreen 2.2: EJ index = environmental percentile x demographic index, where the
    demographic index averages the low-income and people-of-colour percentages. EJScreen keeps
    one EJ index per burden; this summary uses the mean burden percentile.
    """
    demographic = (low_income_share + poc_share) / 2.0
    environment = env_percentiles.mean(axis=1, skipna=True)
    raw = environment * demographic
    return pd.DataFrame({"demographic_index": demographic, "environment": environment, "raw": raw,
                         "percentile": percentile_rank(raw)})


def _unit_index(context: Context) -> UnitIndex | Unavailable:
    env = [b for b in EJ_BURDENS if b in context.unit_pct.columns]
    if not env or LOW_INCOME not in context.unit_values or PEOPLE_OF_COLOUR not in context.unit_values:
        return Unavailable("not available for this region: needs at least one environmental burden, "
                           "low income (below 200% of poverty) and people of colour")
    ej = ej_index(context.unit_pct[env], context.unit_values[LOW_INCOME],
                  context.unit_values[PEOPLE_OF_COLOUR])
    return UnitIndex(ej["percentile"].to_numpy(),
                     "EJScreen-style: mean burden percentile x demographic index, ranked",
                     "burdens used: " + ", ".join(env))


INDEX = CompositeIndex(
    name="ej",
    inputs="regional percentiles of the environmental burdens (" + ", ".join(EJ_BURDENS) + "), "
           "the low-income share and the people-of-colour share",
    reference="U.S. EPA EJScreen EJ index method (version 2.2)",
    unit_index=_unit_index,
)
