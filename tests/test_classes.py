"""The map's quantile classes are mapclassify's (PySAL), bin for bin: the app reproduces
``mapclassify.Quantiles`` in numpy (indicators/present/classes.py) rather than import it."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from indicators.present.classes import class_of, quantile_bins

values = arrays(np.float64, st.integers(1, 300),
                elements=st.one_of(st.floats(-1e6, 1e6, allow_nan=False, width=32),
                                   st.sampled_from([0.0, 0.25, 0.5, 1.0])))


def reference(y: np.ndarray, k: int) -> mapclassify.Quantiles:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not enough unique values": fewer classes, as ours
        return mapclassify.Quantiles(y, k=k)


@settings(max_examples=300, deadline=None)
@given(y=values, k=st.integers(1, 9))
def test_bins_and_classes_equal_mapclassify(y: np.ndarray, k: int):
    scheme = reference(y, k)
    bins = quantile_bins(y, k)
    np.testing.assert_array_equal(bins, scheme.bins)
    np.testing.assert_array_equal(class_of(y, bins), scheme.yb)


@pytest.mark.parametrize("k", [3, 5, 7])
def test_on_a_national_size_column(k: int):
    y = np.random.default_rng(7).lognormal(10, 1, 85_000).round(-2)  # many ties, like incomes
    scheme = reference(y, k)
    np.testing.assert_array_equal(quantile_bins(y, k), scheme.bins)
    np.testing.assert_array_equal(class_of(y, quantile_bins(y, k)), scheme.yb)
