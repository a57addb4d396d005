"""Margins of error for derived ACS estimates (Census Bureau, *Understanding and Using American
Community Survey Data*, 2020, chapter 8).

All margins are at the ACS's 90 % confidence level. Functions are vectorised over pandas or
numpy inputs, never mutate them, and return ``NaN`` where a value is undefined (a zero or
missing denominator), explained in each docstring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z90 = 1.645  #: z-score of the ACS's 90 % margins of error.
CV_HIGH = 0.15  #: CV below this is "high" reliability.
CV_MEDIUM = 0.30  #: CV below this (and at least CV_HIGH) is "medium"; at or above, "low".


def sum_moe(estimates: np.ndarray, moes: np.ndarray, axis: int = -1) -> np.ndarray:
    """MOE of a sum (or difference) of estimates: ``sqrt(sum(moe**2))``.

    Parameters
    ----------
    estimates, moes : array-like
        Component estimates and their MOEs, components along ``axis``.
    axis : int, default -1
        The axis holding the components.

    Returns
    -------
    numpy.ndarray
        The combined MOE; NaN where any component MOE is missing.

    Notes
    -----
    Census zero-estimate rule: when several components are estimates of zero, only the largest
    of their MOEs is included (their published MOEs are model-based and would otherwise be
    counted many times). Covariance between components is ignored, as in the handbook.

    Examples
    --------
    >>> float(sum_moe(np.array([10.0, 0.0, 0.0]), np.array([3.0, 12.0, 12.0])))
    12.36931687685298
    """
    est = np.asarray(estimates, dtype=float)
    moe = np.asarray(moes, dtype=float)
    zero = est == 0
    squares = np.where(zero, 0.0, moe**2)
    nonzero_sum = squares.sum(axis=axis)
    largest_zero = np.where(zero, moe, -np.inf).max(axis=axis)
    total = nonzero_sum + np.where(np.isfinite(largest_zero), largest_zero, 0.0) ** 2
    any_missing = np.isnan(moe).any(axis=axis)
    return np.where(any_missing, np.nan, np.sqrt(total))


def proportion_moe(num: ArrayLike, den: ArrayLike, moe_num: ArrayLike, moe_den: ArrayLike) -> Array:
    """MOE of a proportion p = X / Y where X is a subset of Y.

    ``MOE_p = sqrt(MOE_X**2 - p**2 * MOE_Y**2) / Y``; when the term under the root is negative
    the ratio formula (``+``) is used instead, as the handbook directs.

    Returns NaN where Y is zero or missing.

    Examples
    --------
    p = 25 / 100 = 0.25; sqrt(5**2 - 0.25**2 * 10**2) / 100 = sqrt(18.75) / 100:

    >>> round(float(proportion_moe(25.0, 100.0, 5.0, 10.0)), 6)
    0.043301

    Where the term is negative (a small numerator MOE), the ratio formula:
    sqrt(1**2 + 0.25**2 * 10**2) / 100 = sqrt(7.25) / 100:

    >>> round(float(proportion_moe(25.0, 100.0, 1.0, 10.0)), 6)
    0.026926
    """
    x, y, mx, my = (np.asarray(a, dtype=float) for a in (num, den, moe_num, moe_den))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(y > 0, x / y, np.nan)
        under = mx**2 - p**2 * my**2
        under = np.where(under < 0, mx**2 + p**2 * my**2, under)
        return np.where(y > 0, np.sqrt(under) / y, np.nan)


def cv(estimate: ArrayLike, moe: ArrayLike) -> Array:
    """Coefficient of variation ``(MOE / 1.645) / estimate``. NaN for a zero estimate (the CV is
    undefined there; reliability is then judged from the MOE alone, see :func:`reliability`)."""
    est, m = np.asarray(estimate, dtype=float), np.asarray(moe, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(est != 0, (m / Z90) / np.abs(est), np.nan)


def reliability(cv_values: ArrayLike) -> np.ndarray:
    """Reliability class of each CV: ``high`` below 15 %, ``medium`` below 30 %, else ``low``.

    A missing CV (no MOE published, or a zero estimate) gives ``""`` (unknown), never "high".
    """
    c = np.asarray(cv_values, dtype=float)
    out = np.full(c.shape, "", dtype=object)
    out[c < CV_HIGH] = "high"
    out[(c >= CV_HIGH) & (c < CV_MEDIUM)] = "medium"
    out[c >= CV_MEDIUM] = "low"
    return out


ArrayLike = np.ndarray | pd.Series | float
Array = np.ndarray
