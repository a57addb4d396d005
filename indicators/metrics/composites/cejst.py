"""CEJST-style burden flag: a unit is overburdened where an environmental, climate or health
burden meets low income (or, for workforce criteria, low high-school attainment), by CEQ's
CEJST 1.0 rules; the indicator is the share of a geography's people living in such units.

Formula
-------
Each criterion (:data:`CRITERIA`) is met when its indicator's percentile is at or above
:data:`BURDEN_PERCENTILE` and

- for the burden criteria, the low-income percentile (people below 200 % of poverty) is at or
  above :data:`LOW_INCOME_PERCENTILE`;
- for the workforce criteria, at least :data:`LOW_HS_SHARE` of adults aged 25+ have no
  high-school diploma;
- for lead paint, in addition, the median home value is at or below the 90th percentile.

A unit is flagged when it meets any criterion, or when every neighbouring unit is flagged and
its low-income percentile is at or above :data:`NEIGHBOUR_LOW_INCOME_PERCENTILE` (the
neighbours rule). No evidence is not a flag: a unit missing a criterion's data does not meet it.

In the dashboard the percentiles are ranks among the region's units (CEJST ranks nationally);
fed CEJST's own national percentiles and values, :func:`criteria_flags` and :func:`designation`
reproduce CEJST's published flags (``tests/test_publishers.py``).

References
----------
Council on Environmental Quality, *Climate and Economic Justice Screening Tool: Technical
Support Document*, version 1.0 (2022); the rules as coded in ``usds/justice40-tool``
(``score_narwhal.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from indicators.config import EQUAL_AREA_CRS
from indicators.metrics.composites.base import CompositeIndex, Context, Unavailable, UnitIndex

#: A percentile at or above this counts as a high burden (CEJST: 90th percentile).
BURDEN_PERCENTILE = 0.90
#: A low-income percentile at or above this counts as low income (CEJST: 65th percentile).
LOW_INCOME_PERCENTILE = 0.65
#: The workforce criteria need at least this share of adults 25+ without a high-school diploma.
LOW_HS_SHARE = 0.10
#: Lead paint counts only where the median home value is at or below this percentile.
HOME_VALUE_PERCENTILE = 0.90
#: The neighbours rule: every neighbour flagged, and low income at or above this percentile.
NEIGHBOUR_LOW_INCOME_PERCENTILE = 0.50
NEIGHBOURS_FLAGGED = 1.0
#: Indicator ids of the conditions.
LOW_INCOME = "poverty_200"
LESS_THAN_HS = "less_than_hs"
HOME_VALUE = "median_home_value"

LOW_INCOME_CONDITION = "and is low income"
LOW_HS_CONDITION = "and has low HS attainment"


@dataclass(frozen=True)
class Criterion:
    """One CEJST 1.0 threshold criterion.

    Attributes
    ----------
    indicator : str
        The registry indicator whose percentile is tested (``transport_barriers`` has no
        regional indicator: it is met only where CEJST's own percentile is given).
    name : str
        CEJST's words ("diesel particulate matter").
    category : str
        CEJST's category ("Transportation").
    condition : str
        :data:`LOW_INCOME_CONDITION` or :data:`LOW_HS_CONDITION`.
    """

    indicator: str
    name: str
    category: str
    condition: str = LOW_INCOME_CONDITION


CRITERIA: tuple[Criterion, ...] = (
    Criterion("pm25", "PM2.5 exposure", "Energy"),
    Criterion("diesel_pm", "diesel particulate matter", "Transportation"),
    Criterion("traffic_proximity", "traffic proximity", "Transportation"),
    Criterion("transport_barriers", "DOT transit barriers", "Transportation"),
    Criterion("hazwaste_proximity", "proximity to hazardous waste facilities", "Legacy pollution"),
    Criterion("superfund_proximity", "proximity to Superfund sites", "Legacy pollution"),
    Criterion("wastewater", "wastewater discharge", "Water and wastewater"),
    Criterion("ust", "underground storage tanks", "Water and wastewater"),
    Criterion("asthma", "asthma", "Health"),
    Criterion("diabetes", "diabetes", "Health"),
    Criterion("heart_disease", "heart disease", "Health"),
    Criterion("life_expectancy", "low life expectancy", "Health"),
    Criterion("housing_cost_burden", "housing cost burden", "Housing"),
    Criterion("lead_paint", "lead paint", "Housing"),
    Criterion("redlined_share", "historic underinvestment", "Housing"),
    Criterion("impervious", "lack of green space", "Housing"),
    Criterion("median_income", "low median household income as a percent of area median income",
              "Workforce development", LOW_HS_CONDITION),
    Criterion("limited_english", "households in linguistic isolation", "Workforce development",
              LOW_HS_CONDITION),
    Criterion("unemployment", "unemployment", "Workforce development", LOW_HS_CONDITION),
    Criterion("poverty", "households at or below 100% federal poverty level",
              "Workforce development", LOW_HS_CONDITION),
)
BY_INDICATOR = {c.indicator: c for c in CRITERIA}
#: The burden indicators the criteria test, in order.
CEJST_BURDENS = tuple(c.indicator for c in CRITERIA)


def criteria_flags(pct: pd.DataFrame, low_income_pct: pd.Series, less_than_hs: pd.Series,
                   home_value_pct: pd.Series | None = None) -> pd.DataFrame:
    """Which CEJST criteria each unit meets.

    Parameters
    ----------
    pct : pandas.DataFrame
        Percentiles (0-1, higher = more burdened) by criterion indicator id; criteria whose
        indicator is not a column are left out.
    low_income_pct : pandas.Series
        Percentile of the share of people below 200 % of poverty.
    less_than_hs : pandas.Series
        Share (0-1) of adults 25+ without a high-school diploma.
    home_value_pct : pandas.Series, optional
        Median home value percentile (lead paint counts only at or below the 90th).

    Returns
    -------
    pandas.DataFrame of bool
        One column per criterion tested (named by indicator id), indexed like ``pct``.

    Examples
    --------
    >>> pct = pd.DataFrame({"asthma": [0.95, 0.95], "unemployment": [0.92, 0.92]})
    >>> criteria_flags(pct, pd.Series([0.7, 0.3]), pd.Series([0.05, 0.2])).to_dict("list")
    {'asthma': [True, False], 'unemployment': [False, True]}
    """
    low_income = low_income_pct.reindex(pct.index) >= LOW_INCOME_PERCENTILE
    low_hs = less_than_hs.reindex(pct.index) >= LOW_HS_SHARE
    flags = {}
    for criterion in CRITERIA:
        if criterion.indicator not in pct.columns:
            continue
        high = pct[criterion.indicator] >= BURDEN_PERCENTILE
        if criterion.indicator == "lead_paint" and home_value_pct is not None:
            high &= home_value_pct.reindex(pct.index) <= HOME_VALUE_PERCENTILE
        flags[criterion.indicator] = (high & (low_hs if criterion.condition == LOW_HS_CONDITION
                                              else low_income)).astype(bool)
    return pd.DataFrame(flags, index=pct.index)


def designation(flags: pd.DataFrame, neighbour_share: pd.Series,
                low_income_pct: pd.Series) -> pd.DataFrame:
    """Flagged by a criterion, or by the neighbours rule.

    Parameters
    ----------
    flags : pandas.DataFrame
        :func:`criteria_flags`.
    neighbour_share : pandas.Series
        Share (0-1) of each unit's neighbours flagged (by criteria); missing where unknown.
    low_income_pct : pandas.Series

    Returns
    -------
    pandas.DataFrame
        ``by_criteria``, ``by_neighbours`` (the rule holds; a unit may meet both) and
        ``flagged``, all bool.

    Examples
    --------
    >>> flags = pd.DataFrame({"pm25": [True, False, False]})
    >>> designation(flags, pd.Series([0.0, 1.0, 1.0]), pd.Series([0.7, 0.55, 0.4]))["flagged"].tolist()
    [True, True, False]
    """
    by_criteria = flags.any(axis=1) if len(flags.columns) else pd.Series(False, index=flags.index)
    by_neighbours = ((neighbour_share.reindex(flags.index) >= NEIGHBOURS_FLAGGED)
                     & (low_income_pct.reindex(flags.index) >= NEIGHBOUR_LOW_INCOME_PERCENTILE))
    return pd.DataFrame({"by_criteria": by_criteria.astype(bool),
                         "by_neighbours": by_neighbours.astype(bool),
                         "flagged": (by_criteria | by_neighbours).astype(bool)})


def neighbour_shares(units: gpd.GeoDataFrame, flagged: np.ndarray) -> np.ndarray:
    """Share of each unit's neighbours (units sharing a boundary or a corner) that are flagged;
    NaN for a unit with no neighbour.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> grid = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
    ...                         crs=EQUAL_AREA_CRS)
    >>> neighbour_shares(grid, np.array([True, False, True])).tolist()
    [0.0, 1.0, 0.0]
    """
    geoms = np.asarray(units.to_crs(EQUAL_AREA_CRS).geometry.array)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    total = np.bincount(left, minlength=len(geoms)).astype(float)
    hits = np.bincount(left, weights=np.asarray(flagged, dtype=float)[right], minlength=len(geoms))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, hits / total, np.nan)


def unit_burdens(context: Context) -> pd.DataFrame:
    """Each unit's flag and what flags it (the ``unit_burdens`` table, drawn on the Equity gaps
    map): the criteria met, their categories, and whether the neighbours rule holds.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``geoid``: ``flagged`` (missing where the region lacks low income or every
        burden), ``burdens`` (the criteria met, by indicator id), ``categories``,
        ``n_burdens``, ``by_neighbours``, ``low_income_percentile``.
    """
    geoids = context.inputs.geoids
    pct = context.unit_pct.set_axis(geoids) if len(context.unit_pct) else context.unit_pct
    tested = [c for c in CEJST_BURDENS if c in pct.columns]
    frame = pd.DataFrame(index=pd.Index(geoids, name="geoid"))
    if not tested or LOW_INCOME not in pct.columns:
        return frame.assign(flagged=pd.NA, burdens="", categories="", n_burdens=0,
                            by_neighbours=False, low_income_percentile=np.nan)
    less_hs = context.unit_values.get(LESS_THAN_HS, pd.Series(np.nan, index=geoids)).set_axis(geoids)
    home = pct[HOME_VALUE] if HOME_VALUE in pct.columns else None
    flags = criteria_flags(pct[tested], pct[LOW_INCOME], less_hs, home)
    shares = neighbour_shares(context.inputs.units, flags.any(axis=1).to_numpy())
    result = designation(flags, pd.Series(shares, index=flags.index), pct[LOW_INCOME])
    met = flags.apply(lambda row: [c for c in tested if row[c]], axis=1)
    return frame.assign(
        flagged=result["flagged"].to_numpy(),
        burdens=met.map(", ".join).to_numpy(),
        categories=met.map(lambda m: ", ".join(dict.fromkeys(BY_INDICATOR[c].category for c in m)))
        .to_numpy(),
        n_burdens=flags.sum(axis=1).to_numpy(),
        by_neighbours=result["by_neighbours"].to_numpy(),
        low_income_percentile=pct[LOW_INCOME].to_numpy())


def _unit_index(context: Context) -> UnitIndex | Unavailable:
    burdens = unit_burdens(context)
    if burdens["flagged"].isna().all():
        return Unavailable("not available for this region: needs low income (below 200% of poverty) "
                           "and at least one burden")
    used = [c for c in CEJST_BURDENS if c in context.unit_pct.columns]
    return UnitIndex(burdens["flagged"].astype(float).to_numpy(),
                     "CEJST-style (CEJST 1.0 criteria and neighbours rule, region percentiles): share "
                     "of people in flagged units", "criteria tested: " + ", ".join(used))


INDEX = CompositeIndex(
    name="cejst",
    inputs="regional percentiles of CEJST's criteria the region has (" + ", ".join(CEJST_BURDENS)
           + "), of the low-income share and of median home value; the share of adults without a "
             "high-school diploma; which units touch",
    reference="CEQ Climate and Economic Justice Screening Tool 1.0 method",
    unit_index=_unit_index,
)
