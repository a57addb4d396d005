"""Percentile ranks: the CDC SVI convention, ``(rank - 1) / (N - 1)`` with ties at the lowest
rank, oriented so that a higher percentile means more burdened. Pure: Series in, new Series out.

The composite indices built from these ranks are one module each in
:mod:`indicators.metrics.composites`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def percentile_rank(values: pd.Series, direction: str = "higher_worse") -> pd.Series:
    """Percentile rank of each value among the non-missing ones.

    Parameters
    ----------
    values : pandas.Series
        Missing values get a missing rank and do not count in N.
    direction : {"higher_worse", "higher_better", "neutral"}
        ``higher_better`` ranks in descending order, so that a high percentile always means
        more burdened; the others rank in ascending order.

    Returns
    -------
    pandas.Series
        In [0, 1], same index. A single value ranks 0.

    Notes
    -----
    ``(rank - 1) / (N - 1)`` where tied values share the lowest rank among them; this is the
    CDC/ATSDR SVI convention (and Excel's ``PERCENTRANK.INC``).

    Examples
    --------
    >>> percentile_rank(pd.Series([10, 20, 20, 40])).tolist()
    [0.0, 0.3333333333333333, 0.3333333333333333, 1.0]
    >>> percentile_rank(pd.Series([10, 20, 20, 40]), "higher_better").tolist()
    [1.0, 0.3333333333333333, 0.3333333333333333, 0.0]
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if direction == "higher_better":
        v = -v
    ranks = v.rank(method="min", na_option="keep")
    n = int(v.notna().sum())
    if n <= 1:
        return pd.Series(np.where(v.notna(), 0.0, np.nan), index=values.index)
    return (ranks - 1.0) / (n - 1.0)
