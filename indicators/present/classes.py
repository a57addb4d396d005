"""Quantile classes for the choropleths: mapclassify's ``Quantiles``, bin for bin, in numpy.

PySAL's mapclassify is the field's classifier and the reference these classes follow
(``tests/test_classes.py`` checks them against ``mapclassify.Quantiles`` on random, tied and
national-size data). The app does not import it: importing mapclassify compiles one numba
function eagerly and loads scipy.stats, scikit-learn and matplotlib, 1.8 of the 3 seconds a
server's first page spends starting, for what is a percentile and a sorted search.

The method (mapclassify 2.x ``quantile`` and ``bin1d``): the upper bounds are the values at
the 100/k, 2*100/k ... 100th percentiles (linear interpolation, as
``scipy.stats.scoreatpercentile``), repeated bounds collapsed (fewer classes where values tie);
a value is in class ``j`` when ``bins[j-1] < value <= bins[j]``.
"""

from __future__ import annotations

import numpy as np


def quantile_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` quantile classes (fewer when values tie).

    >>> quantile_bins(np.arange(1000.0), 4).tolist()
    [249.75, 499.5, 749.25, 999.0]
    >>> quantile_bins(np.array([1.0, 1.0, 1.0, 2.0]), 4).tolist()
    [1.0, 1.25, 2.0]
    """
    width = 100.0 / k
    percents = np.arange(width, 100 + width, width)
    if percents[-1] > 100.0:
        percents[-1] = 100.0
    ordered = np.sort(np.asarray(values, dtype=float).ravel())
    return np.unique([_score_at(ordered, p) for p in percents])


def _score_at(ordered: np.ndarray, percent: float) -> float:
    """The value at ``percent`` of sorted values, interpolated as
    ``scipy.stats.scoreatpercentile`` does (its arithmetic, so that bounds match to the last
    bit: ``numpy.percentile`` differs in the last place)."""
    idx = percent / 100.0 * (len(ordered) - 1)
    i = int(idx)
    if i == idx:
        return float(ordered[i])
    weights = np.array([(i + 1 - idx), (idx - i)], float)
    return float(np.add.reduce(ordered[i:i + 2] * weights) / weights.sum())


def class_of(values: np.ndarray, bins: np.ndarray) -> np.ndarray:
    """The class of each value: ``j`` where ``bins[j-1] < value <= bins[j]``.

    >>> class_of(np.array([0.0, 25.0, 26.0, 99.0]), np.array([25.0, 74.0, 100.0])).tolist()
    [0, 0, 1, 2]
    """
    return np.searchsorted(bins, np.asarray(values, dtype=float), side="left")
