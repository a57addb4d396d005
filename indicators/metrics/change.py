"""Change between two periods, with its margin of error and whether it is real.

For every indicator and geography present in both periods::

    change = value(newer) - value(older)
    MOE    = sqrt(MOE_older^2 + MOE_newer^2)          (ACS handbook, "Understanding and Using
                                                       ACS Data", 2020, ch. 7-8)
    significant (90 %) when |change| > MOE, i.e. |Z| > 1.645

Districts and the region are the fixed geography (each period's units are crosswalked to the
same districts), so their values compare directly. Units change between decennial censuses, so
a unit's change compares the newer unit with the older period carried onto it
(:func:`carry_values`): by the area each older unit shares with it (default), or by the
weights of a relationship file (Census Bureau, IPUMS NHGIS). Where both periods have the same
units, nothing is carried.

Indicators that are percentiles (composite indices, CDC's published SVI ranks) are compared as
ranks: each period's value is a rank among that period's places, so a change says the place
moved relative to the others, and carries no margin of error. Dollar values compare in
nominal dollars and in dollars of the later year (:mod:`indicators.metrics.dollars`).
Overlapping 5-year periods are flagged (:func:`indicators.periods.overlapping`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from indicators.metrics import aggregate, dollars
from indicators.metrics.aggregate import Weights
from indicators.metrics.crosswalk import build_crosswalk
from indicators.metrics.dollars import INCOME_GAP
from indicators.metrics.engine import VALUE_COLUMNS, Results
from indicators.metrics.inputs import Inputs
from indicators.metrics.moe import Z90
from indicators.metrics.outcomes import CARRIED, compute_outcome
from indicators.metrics.registry import BY_ID, INDICATORS
from indicators.periods import last_year, overlapping

CHANGE_COLUMNS = [
    "geo_kind", "geo_id", "indicator_id", "period_from", "period_to", "value_from", "value_to",
    "change", "moe", "significant", "overlapping", "method", "factor", "change_real", "moe_real",
    "significant_real",
]
GAP_COLUMNS = [
    "geo_kind", "geo_id", "measure", "period_from", "period_to", "gap_from", "gap_to", "change",
    "moe", "significant", "widened", "overlapping",
]
#: The method text of a difference of estimates.
DIFFERENCE = ("later minus earlier; MOE = sqrt(MOE1^2 + MOE2^2); significant at 90 % when "
              "|change| > MOE")
RANKS = ("compared as ranks: each period's percentile among that period's places (no margin of "
         "error; a change means the place moved relative to the others)")
#: Indicators not compared over time: the 1938 map is history, the same in every period.
TIMELESS_METHODS = ("area_share",)


@dataclass(frozen=True)
class Carry:
    """How an older period's units lie on a newer period's: ``weights`` has the newer units as
    rows and the older units as columns (the share of each older unit inside each newer one);
    None when both periods have the same units."""

    weights: Weights | None
    basis: str


def compares_as_rank(indicator_id: str) -> bool:
    """Whether an indicator's values are ranks within their period (percentiles)."""
    return BY_ID[indicator_id].fmt == "percentile"


def same_units(older: gpd.GeoDataFrame, newer: gpd.GeoDataFrame) -> bool:
    """Whether two periods' units are the same places (same GEOIDs and same boundaries)."""
    if set(older["geoid"]) != set(newer["geoid"]):
        return False
    a = older.sort_values("geoid").geometry.to_numpy()
    b = newer.to_crs(older.crs).sort_values("geoid").geometry.to_numpy()
    return bool(shapely.equals_exact(a, b, tolerance=1e-7).all())


def carry_by_area(older: gpd.GeoDataFrame, newer: gpd.GeoDataFrame) -> Carry:
    """Older units onto newer ones by the area they share (areal weighting, as for districts).

    Examples
    --------
    A tract split in two halves gives each half half of the old tract:

    >>> from shapely.geometry import box
    >>> old = gpd.GeoDataFrame({"geoid": ["a"]}, geometry=[box(0, 0, 2, 1)], crs="EPSG:5070")
    >>> new = gpd.GeoDataFrame({"geoid": ["a1", "a2"]},
    ...                        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:5070")
    >>> carry_by_area(old, new).weights.matrix.toarray().tolist()
    [[0.5], [0.5]]
    """
    if same_units(older, newer):
        return Carry(None, "the same units in both periods")
    targets = newer[["geoid", "geometry"]].rename(columns={"geoid": "district_id"})
    pairs = build_crosswalk(older, targets)
    weights = Weights.from_crosswalk(pairs, sorted(older["geoid"]), sorted(newer["geoid"]))
    return Carry(weights, "area (the share of each older unit's area inside each newer one)")


def carry_by_pairs(pairs: pd.DataFrame, older: list[str], newer: list[str], basis: str) -> Carry:
    """Older units onto newer ones by a relationship file's ``older``, ``newer``, ``weight``."""
    table = pairs.rename(columns={"older": "geoid", "newer": "district_id"})
    return Carry(Weights.from_crosswalk(table, sorted(older), sorted(newer)), basis)


def carry_values(inputs: Inputs, results: Results, carry: Carry) -> pd.DataFrame:
    """The older period's indicators on the newer period's units (``geo_kind = 'unit'``),
    computed from the older units' counts by the same aggregation as districts (so rates keep
    their margins of error), composites as population-weighted means of the older unit
    values."""
    if carry.weights is None:
        return results.values
    if carry.weights.units != tuple(inputs.geoids):
        raise ValueError("the carry weights' columns must be the older period's units, in order")
    weights = {CARRIED: carry.weights}
    population = inputs.population()
    units = results.values[results.values["geo_kind"] == "unit"]
    frames = []
    for indicator in INDICATORS:
        if indicator.method in TIMELESS_METHODS:
            continue
        if indicator.index is None:
            outcome = compute_outcome(indicator, inputs, weights, population)
            if not outcome.available:
                continue
            frame = outcome.frames[CARRIED]
        else:
            mine = units[units["indicator_id"] == indicator.id].set_index("geo_id")["value"]
            if mine.empty:
                continue
            values = mine.reindex(inputs.geoids).to_numpy(dtype=float)
            frame = aggregate.weighted_mean(carry.weights, values, population)
        frame = frame.assign(geo_kind="unit", geo_id=[str(i) for i in frame.index],
                             indicator_id=indicator.id)
        frames.append(frame.reindex(columns=VALUE_COLUMNS))
    if not frames:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out[out["value"].notna()].reset_index(drop=True)


def changes(older: pd.DataFrame, newer: pd.DataFrame, period_from: str, period_to: str,
            carried: pd.DataFrame, basis: str) -> pd.DataFrame:
    """Every change between two periods' indicator values.

    Parameters
    ----------
    older, newer : pandas.DataFrame
        Indicator values (the engine's ``values``) of each period.
    carried : pandas.DataFrame
        The older period's unit values on the newer units (:func:`carry_values`); ``older``
        itself when both periods have the same units.
    basis : str
        How they were carried (said in ``method`` of the unit rows).

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_COLUMNS`; ``significant`` is missing (NA) where no margin of error is
        known (ranks, published shares, most medians of districts).
    """
    keys = ["geo_kind", "geo_id", "indicator_id"]
    before = older if carried is older else pd.concat(
        [older[older["geo_kind"] != "unit"], carried], ignore_index=True)
    # Per indicator, not per row, and before the merge: a national change table is millions of
    # rows, and each copy of it a few hundred MB.
    timeless = {i for i in newer["indicator_id"].unique() if BY_ID[i].method in TIMELESS_METHODS}
    before = before.loc[~before["indicator_id"].isin(timeless), keys + ["value", "moe"]]
    after = newer.loc[~newer["indicator_id"].isin(timeless), keys + ["value", "moe"]]
    frame = before.merge(after, on=keys, suffixes=("_from", "_to"))
    del before, after
    ids = frame["indicator_id"].unique()
    ranks = frame["indicator_id"].map({i: compares_as_rank(i) for i in ids}).to_numpy(dtype=bool)
    frame["change"] = frame["value_to"] - frame["value_from"]
    moe = np.sqrt(frame["moe_from"] ** 2 + frame["moe_to"] ** 2)
    frame["moe"] = np.where(ranks, np.nan, moe)
    frame["significant"] = significance(frame["change"], frame["moe"])
    frame["period_from"], frame["period_to"] = period_from, period_to
    frame["overlapping"] = bool(period_from and period_to and overlapping(period_from, period_to))
    carried_note = (f"; {period_from} units carried onto the {period_to} units by {basis}"
                    if carried is not older else f"; {basis}")
    # Four texts in all, held once each (as a category) rather than once per row.
    unit = (frame["geo_kind"] == "unit").to_numpy()
    frame["method"] = pd.Categorical.from_codes(
        ranks.astype(int) + 2 * unit, [DIFFERENCE, RANKS, DIFFERENCE + carried_note, RANKS + carried_note])
    _in_later_dollars(frame, period_from, period_to)
    return frame[CHANGE_COLUMNS].reset_index(drop=True)


def significance(change: pd.Series, moe: pd.Series) -> pd.Series:
    """Whether each change is statistically significant at 90 % (|change| > MOE, MOEs being
    1.645 standard errors); NA where the MOE is unknown.

    Examples
    --------
    >>> significance(pd.Series([0.05, 0.01, 0.02]), pd.Series([0.03, 0.03, np.nan])).tolist()
    [True, False, <NA>]
    """
    out = pd.Series(np.abs(change.to_numpy()) > moe.to_numpy(), index=change.index, dtype="boolean")
    out[moe.isna().to_numpy()] = pd.NA
    return out


def z_score(change: float, moe: float) -> float:
    """The change in standard errors (``change / (MOE / 1.645)``), for the methodology text.

    >>> round(z_score(0.05, 0.03), 2)
    2.74
    """
    return change / (moe / Z90)


def _in_later_dollars(frame: pd.DataFrame, period_from: str, period_to: str) -> None:
    """Add ``factor`` (CPI-U-RS, later year / earlier year) and the change in dollars of the
    later year, for dollar indicators; NaN for every other one."""
    is_dollars = frame["indicator_id"].map(
        {i: BY_ID[i].fmt == "dollars" for i in frame["indicator_id"].unique()}).to_numpy(dtype=bool)
    factor = (dollars.factor(last_year(period_from), last_year(period_to))
              if period_from and period_to else None)
    f = np.where(is_dollars, np.nan if factor is None else factor, np.nan)
    frame["factor"] = f
    frame["change_real"] = frame["value_to"] - frame["value_from"] * f
    frame["moe_real"] = np.sqrt((frame["moe_from"] * f) ** 2 + frame["moe_to"] ** 2)
    frame["significant_real"] = significance(frame["change_real"], frame["moe_real"])


def gap_changes(older: pd.DataFrame, newer: pd.DataFrame, period_from: str,
                period_to: str) -> pd.DataFrame:
    """Whether each Black-White gap (the ``race_gaps`` table: White minus Black) widened or
    narrowed between two periods, for districts and the region, with the gap's MOE
    (``sqrt(MOE_black^2 + MOE_white^2)`` in each period) and the change's significance.

    The income gap of the earlier period (and its MOE) is put in the later period's dollars
    (CPI-U-RS), so that prices rising alone never make a gap look wider."""
    keys = ["geo_kind", "geo_id", "measure"]
    if older.empty or newer.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)

    def gaps(table: pd.DataFrame) -> pd.DataFrame:
        table = table[table["geo_kind"] != "unit"]
        return table.assign(gap_moe=np.sqrt(table["black_moe"] ** 2 + table["white_moe"] ** 2))[
            keys + ["gap", "gap_moe"]]

    frame = gaps(older).merge(gaps(newer), on=keys, suffixes=("_from", "_to"))
    if period_from and period_to:
        factor = np.where(frame["measure"] == INCOME_GAP,
                          dollars.factor(last_year(period_from), last_year(period_to)), 1.0)
        frame["gap_from"] = frame["gap_from"] * factor
        frame["gap_moe_from"] = frame["gap_moe_from"] * factor
    frame["change"] = frame["gap_to"] - frame["gap_from"]
    frame["moe"] = np.sqrt(frame["gap_moe_from"] ** 2 + frame["gap_moe_to"] ** 2)
    frame["significant"] = significance(frame["change"], frame["moe"])
    frame["widened"] = frame["gap_to"].abs() > frame["gap_from"].abs()
    frame["period_from"], frame["period_to"] = period_from, period_to
    frame["overlapping"] = overlapping(period_from, period_to)
    return frame[GAP_COLUMNS].reset_index(drop=True)


def pairs_of(periods: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (older, newer) pair of periods, oldest pairs first.

    >>> pairs_of(("2008-2012", "2014-2018", "2018-2022"))
    [('2008-2012', '2014-2018'), ('2008-2012', '2018-2022'), ('2014-2018', '2018-2022')]
    """
    return [(a, b) for i, a in enumerate(periods) for b in periods[i + 1:]]
