"""Aggregating unit values to geographies (districts, the region) from crosswalk weights, with
margins of error by the Census Bureau's rules (*Understanding and Using ACS Data*, 2020, ch. 8).

A geography is a row of a sparse weight matrix ``W`` (geographies x units): ``W[g, u]`` is the
share of unit ``u`` inside geography ``g``. Inputs are 2-D arrays (units x variables) with NaN
for "no value"; a unit without a value simply does not contribute, and the share of the
geography's population that did contribute is reported as ``coverage``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from indicators.metrics.moe import Z90, cv, proportion_moe, reliability

#: ACS generalized design factor for household income distributions (B19001) at tract level,
#: used for the standard error of a median re-derived from brackets.
INCOME_DESIGN_FACTOR = 1.5


@dataclass(frozen=True)
class Weights:
    """Geographies as rows of a sparse weight matrix over the units."""

    ids: tuple[str, ...]
    units: tuple[str, ...]
    matrix: sparse.csr_matrix
    #: Each geography is one whole unit (so a unit's own value is kept as it is, bit for bit).
    is_identity: bool = False

    @property
    def squared(self) -> sparse.csr_matrix:
        """``W`` with every weight squared (for sums of squared MOEs), computed once."""
        cached = self.__dict__.get("_squared")
        if cached is None:
            cached = self.matrix.multiply(self.matrix).tocsr()
            object.__setattr__(self, "_squared", cached)
        return cached

    @classmethod
    def from_crosswalk(cls, crosswalk: pd.DataFrame, units: list[str], ids: list[str],
                       id_column: str = "district_id") -> Weights:
        """Rows ``ids`` from a crosswalk table (geoid, <id_column>, weight)."""
        col = pd.Index(units).get_indexer(crosswalk["geoid"])
        row = pd.Index(ids).get_indexer(crosswalk[id_column])
        ok = (col >= 0) & (row >= 0)
        matrix = sparse.csr_matrix(
            (crosswalk["weight"].to_numpy()[ok], (row[ok], col[ok])), shape=(len(ids), len(units)))
        return cls(tuple(ids), tuple(units), matrix)

    @classmethod
    def identity(cls, units: list[str]) -> Weights:
        """Each unit as its own geography."""
        return cls(tuple(units), tuple(units), sparse.identity(len(units), format="csr"), True)

    @classmethod
    def single(cls, name: str, units: list[str], weights: np.ndarray) -> Weights:
        """One geography covering each unit by ``weights`` (e.g. the region's coverage)."""
        matrix = sparse.csr_matrix(np.asarray(weights, dtype=float)[None, :])
        return cls((name,), tuple(units), matrix)


def _as2d(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a[:, None] if a.ndim == 1 else a


def sum_counts(w: Weights, est: np.ndarray, moe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Interpolated counts and their MOEs.

    ``X_g = sum_u W[g,u] X_u``; ``MOE_g = sqrt(sum_u (W[g,u] MOE_u)^2)``, where among units whose
    estimate is zero only the largest ``W[g,u] MOE_u`` is counted (Census zero-estimate rule).
    Units with a missing estimate are skipped; a missing MOE makes the geography's MOE missing.

    Parameters
    ----------
    w : Weights
    est, moe : numpy.ndarray
        Units x variables (1-D is taken as one variable).

    Returns
    -------
    (estimates, moes) : numpy.ndarray
        Geographies x variables.
    """
    est, moe = _as2d(est), _as2d(moe)
    present = ~np.isnan(est)
    all_present = bool(present.all())
    total = w.matrix @ (est if all_present else np.where(present, est, 0.0))
    moe_nan = np.isnan(moe)
    any_moe_nan = bool(moe_nan.any())
    moe0 = np.where(moe_nan, 0.0, moe) if any_moe_nan else moe
    zero = (est == 0) if all_present else present & (est == 0)
    sq = np.where(zero if all_present else zero | ~present, 0.0, moe0 * moe0)
    sum_sq = w.squared @ sq
    rows = np.flatnonzero(zero.any(axis=1))  # usually few units have a zero estimate
    largest_zero = _max_weighted(w.matrix[:, rows], np.where(zero[rows], moe0[rows], 0.0))
    out_moe = np.sqrt(sum_sq + largest_zero**2)
    if any_moe_nan:
        out_moe[(w.matrix @ (present & moe_nan).astype(float)) > 0] = np.nan
    if not all_present:
        no_data = (w.matrix @ present.astype(float)) == 0
        total[no_data] = np.nan
        out_moe[no_data] = np.nan
    return total, out_moe


def _max_weighted(matrix: sparse.spmatrix, values: np.ndarray) -> np.ndarray:
    """``max_u W[g,u] * values[u, k]`` for every geography g and column k (0 where g has no
    units), as a segmented maximum over the rows of the CSR matrix."""
    m = sparse.csr_matrix(matrix)
    m.sort_indices()
    out = np.zeros((m.shape[0], values.shape[1]))
    if m.nnz == 0:
        return out
    products = m.data[:, None] * values[m.indices]
    starts = m.indptr[:-1]
    filled = np.diff(m.indptr) > 0
    out[filled] = np.maximum.reduceat(products, starts[filled], axis=0)
    return out


def rate(w: Weights, num: np.ndarray, den: np.ndarray, num_moe: np.ndarray,
         den_moe: np.ndarray) -> pd.DataFrame:
    """A proportion X / Y from interpolated counts, with the ACS proportion MOE, CV and
    reliability. Only units with both X and Y contribute to either.

    Returns
    -------
    pandas.DataFrame
        Indexed by geography: ``value``, ``moe``, ``cv``, ``reliability``, ``numerator``,
        ``denominator``, ``n_units``. ``value`` is NaN where the denominator is zero.
    """
    num, den = np.asarray(num, float), np.asarray(den, float)
    both = ~np.isnan(num) & ~np.isnan(den)
    x, mx = sum_counts(w, np.where(both, num, np.nan), np.where(both, num_moe, np.nan))
    y, my = sum_counts(w, np.where(both, den, np.nan), np.where(both, den_moe, np.nan))
    x, mx, y, my = x[:, 0], mx[:, 0], y[:, 0], my[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(y > 0, x / y, np.nan)
    moe = proportion_moe(x, y, mx, my)
    c = cv(value, moe)
    return pd.DataFrame({
        "value": value, "moe": moe, "cv": c, "reliability": reliability(c),
        "numerator": x, "denominator": y, "n_units": _n_units(w, both),
    }, index=list(w.ids))


def weighted_mean(w: Weights, values: np.ndarray, weights: np.ndarray,
                  moes: np.ndarray | None = None) -> pd.DataFrame:
    """Population-weighted mean of an intensive value over the pieces of units.

    ``v_g = sum W p v / sum W p`` over units with both ``v`` and ``p``; where unit MOEs exist,
    ``MOE_g = sqrt(sum (W p MOE)^2) / sum W p`` (independent errors assumed). For units as their
    own geographies (:meth:`Weights.identity`) the unit's value and MOE are returned exactly as
    given (a publisher's number stays the publisher's), where its weight is positive.
    """
    v, p = np.asarray(values, float), np.asarray(weights, float)
    ok = ~np.isnan(v) & ~np.isnan(p)
    wp = np.where(ok, p, 0.0)
    den = w.matrix @ wp
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, (w.matrix @ np.where(ok, v * p, 0.0)) / den, np.nan)
        if moes is not None and not np.all(np.isnan(moes)):
            m = np.where(ok, np.nan_to_num(np.asarray(moes, float), nan=0.0) * p, 0.0)
            moe = np.where(den > 0, np.sqrt(w.squared @ (m**2)) / den, np.nan)
        else:
            moe = np.full(len(value), np.nan)
    if w.is_identity:  # the same numbers, without the rounding of v * p / p
        value = np.where(den > 0, v, np.nan)
        if moes is not None:
            moe = np.where(den > 0, np.asarray(moes, float), np.nan)
    c = cv(value, moe)
    return pd.DataFrame({"value": value, "moe": moe, "cv": c, "reliability": reliability(c),
                         "n_units": _n_units(w, ok)}, index=list(w.ids))


def _n_units(w: Weights, ok: np.ndarray) -> np.ndarray:
    indicator = sparse.csr_matrix(w.matrix, copy=True)
    indicator.data = (indicator.data > 0).astype(float)
    return (indicator @ ok.astype(float)).astype(int)


def coverage(w: Weights, ok: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Share of each geography's population living in units that have the value."""
    p = np.nan_to_num(np.asarray(population, float), nan=0.0)
    total = w.matrix @ p
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (w.matrix @ np.where(ok, p, 0.0)) / total, np.nan)


# --------------------------------------------------------------------------------------------
# Medians from brackets
# --------------------------------------------------------------------------------------------


def median_from_brackets(counts: np.ndarray, bounds: list[tuple[float, float]],
                         design_factor: float = INCOME_DESIGN_FACTOR) -> pd.DataFrame:
    """Medians re-derived from bracket counts by linear interpolation, with the Census method
    for their margins of error.

    Parameters
    ----------
    counts : numpy.ndarray
        Geographies x brackets (e.g. households in each B19001 income bracket).
    bounds : list of (low, high)
        Bracket limits; the last may be open (``high = inf``).
    design_factor : float, default 1.5
        ACS design factor for the distribution.

    Returns
    -------
    pandas.DataFrame
        ``value``, ``moe``, ``cv``, ``reliability``, ``top_coded`` (the median lies in the open
        top bracket, so the value is that bracket's lower bound), ``denominator`` (the base).

    Notes
    -----
    The median is ``L + (B/2 - C) / f * (U - L)`` in the bracket [L, U) holding the middle
    household, where C counts those below it and f those in it. Its standard error follows
    the ACS *Accuracy of the Data* (5-year): ``SE(50%) = DF * sqrt(95 / (5 B) * 50^2)``; the
    percentiles ``50 -/+ SE`` are interpolated the same way and ``MOE = 1.645 * (upper -
    lower) / 2``.

    Examples
    --------
    >>> frame = median_from_brackets(np.array([[10.0, 30.0, 60.0]]), [(0, 10), (10, 20), (20, 40)])
    >>> float(frame.loc[0, "value"])  # 50th of 100: 10 below, 30 in [10, 20) -> 10 + 40/30*10
    23.333333333333332
    """
    counts = _as2d(counts)
    base = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_pct = design_factor * np.sqrt(95.0 / (5.0 * base) * 50.0**2)
    value, top = _quantile(counts, bounds, np.full(len(base), 50.0))
    low, _ = _quantile(counts, bounds, np.clip(50.0 - se_pct, 0, 100))
    high, top_high = _quantile(counts, bounds, np.clip(50.0 + se_pct, 0, 100))
    moe = Z90 * (high - low) / 2.0
    moe[top | top_high] = np.nan
    c = cv(value, moe)
    value[base <= 0] = np.nan
    return pd.DataFrame({"value": value, "moe": moe, "cv": c, "reliability": reliability(c),
                         "top_coded": top, "denominator": base})


def _quantile(counts: np.ndarray, bounds: list[tuple[float, float]],
              pct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lows = np.array([lo for lo, _ in bounds])
    highs = np.array([hi for _, hi in bounds])
    cum = np.cumsum(counts, axis=1)
    base = cum[:, -1]
    target = base * pct / 100.0
    out = np.full(len(base), np.nan)
    top = np.zeros(len(base), dtype=bool)
    for g in range(len(base)):
        if base[g] <= 0:
            continue
        k = int(np.searchsorted(cum[g], target[g], side="left"))
        k = min(k, counts.shape[1] - 1)
        while k < counts.shape[1] - 1 and counts[g, k] == 0:
            k += 1
        below = cum[g, k] - counts[g, k]
        if not np.isfinite(highs[k]):
            out[g], top[g] = lows[k], True
            continue
        share = (target[g] - below) / counts[g, k] if counts[g, k] > 0 else 0.0
        out[g] = lows[k] + share * (highs[k] - lows[k])
    return out, top
