"""Rolling block-group values up to tracts, so that a block-group file (EJScreen) can feed a
tract region.

Counts are summed with their margins of error combined by the Census Bureau's rules; intensive
values and medians become population-weighted means; published percentiles and flags describe a
block group's own rank and cannot be rolled up, so they are dropped (and the layer says so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.ingest.tabular import Extract
from indicators.metrics.variables import VARIABLES
from indicators.problems import LayerError, sample_list


def roll_up(extract: Extract, to_level: str) -> Extract:
    """Aggregate block-group values to tracts (GEOID prefix of 11 digits).

    Counts are summed (MOEs in quadrature, Census zero rule); intensive values are
    population-weighted means using the layer's own ``pop_total`` (plain means where it has
    none); medians become population-weighted means (labelled approximate downstream);
    published percentiles and flags cannot be rolled up and are dropped.
    """
    if extract.level == to_level:
        return extract
    if (extract.level, to_level) != ("block_group", "tract"):
        raise LayerError(
            f"values for {extract.level.replace('_', ' ')}s cannot be split into "
            f"{to_level.replace('_', ' ')}s",
            "use a file at the units' level or coarser-to-finer data the units can hold.",
        )
    est, moe = extract.estimates, extract.moes
    tract = est.index.str[:11]
    weight = est["pop_total"] if "pop_total" in est else pd.Series(1.0, est.index)
    out_est: dict[str, pd.Series] = {}
    out_moe: dict[str, pd.Series] = {}
    dropped = []
    for variable in est.columns:
        kind = VARIABLES[variable].kind
        if kind == "count":
            out_est[variable] = est[variable].groupby(tract).sum(min_count=1)
            out_moe[variable] = _grouped_sum_moe(est[variable], moe[variable], tract)
        elif kind in ("intensive", "median"):
            ok = est[variable].notna() & weight.notna()
            w = weight.where(ok, 0.0)
            num = (est[variable].fillna(0.0) * w).groupby(tract).sum()
            den = w.groupby(tract).sum()
            out_est[variable] = num / den.where(den > 0)
            out_moe[variable] = pd.Series(np.nan, index=out_est[variable].index)
        else:
            dropped.append(variable)
    notes = [*extract.notes, f"{len(est)} block groups rolled up to {len(set(tract))} tracts"]
    if dropped:
        notes.append(f"published percentiles/flags dropped in the roll-up: {sample_list(dropped)}")
    est_frame = pd.DataFrame(out_est).rename_axis("geoid")
    moe_frame = pd.DataFrame(out_moe).reindex(est_frame.index).rename_axis("geoid")
    return Extract(to_level, est_frame, moe_frame, extract.rows, extract.no_moe, notes)


def _grouped_sum_moe(est: pd.Series, moe: pd.Series, groups: pd.Index) -> pd.Series:
    """:func:`indicators.metrics.moe.sum_moe` within groups, vectorised (Census zero rule included)."""
    zero = est == 0
    squares = (moe.where(~zero, 0.0) ** 2).groupby(groups).sum(min_count=1)
    largest_zero = moe.where(zero).groupby(groups).max().fillna(0.0)
    missing = moe.isna().groupby(groups).any()
    return np.sqrt(squares.fillna(0.0) + largest_zero**2).where(~missing)
