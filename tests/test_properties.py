"""Invariants of the engine, tested with hypothesis on random inputs."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from indicators.metrics.aggregate import Weights, rate, sum_counts
from indicators.metrics.composites.cejst import criteria_flags
from indicators.metrics.crosswalk import build_crosswalk, coverage
from indicators.metrics.rank import percentile_rank

counts = st.floats(min_value=0, max_value=50_000, allow_nan=False)


@st.composite
def tiled_city(draw):
    """A grid of tracts with random sizes, and districts tiling the same extent by random cuts."""
    cols = draw(st.integers(1, 5))
    rows = draw(st.integers(1, 4))
    xs = np.cumsum([0] + draw(st.lists(st.floats(100, 3000), min_size=cols, max_size=cols)))
    ys = np.cumsum([0] + draw(st.lists(st.floats(100, 3000), min_size=rows, max_size=rows)))
    tracts = [box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(cols) for j in range(rows)]
    cuts = sorted(draw(st.lists(st.floats(0.05, 0.95), min_size=0, max_size=4, unique=True)))
    edges = [xs[0]] + [xs[0] + c * (xs[-1] - xs[0]) for c in cuts] + [xs[-1]]
    districts = [box(edges[k], ys[0], edges[k + 1], ys[-1]) for k in range(len(edges) - 1)]
    values = draw(st.lists(counts, min_size=len(tracts), max_size=len(tracts)))
    return tracts, districts, np.array(values)


@settings(max_examples=60, deadline=None)
@given(tiled_city())
def test_crosswalk_conserves_totals(city):
    tracts, districts, values = city
    units = gpd.GeoDataFrame({"geoid": [f"u{i}" for i in range(len(tracts))]}, geometry=tracts,
                             crs="EPSG:5070")
    dists = gpd.GeoDataFrame({"district_id": [f"d{k}" for k in range(len(districts))]},
                             geometry=districts, crs="EPSG:5070")
    crosswalk = build_crosswalk(units, dists)
    np.testing.assert_allclose(coverage(crosswalk).to_numpy(), 1.0, atol=1e-9)
    w = Weights.from_crosswalk(crosswalk, units["geoid"].tolist(), dists["district_id"].tolist())
    total, _ = sum_counts(w, values, np.zeros_like(values))
    np.testing.assert_allclose(np.nansum(total), values.sum(), rtol=1e-9, atol=1e-6)


values_lists = st.lists(st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(np.nan)),
                        min_size=1, max_size=40)


@given(values_lists, st.randoms(use_true_random=False))
def test_percentiles_in_unit_interval_and_order_invariant(values, rnd):
    series = pd.Series(values, index=[f"k{i}" for i in range(len(values))])
    pct = percentile_rank(series)
    present = pct.dropna()
    assert ((present >= 0) & (present <= 1)).all()
    assert pct.isna().equals(series.isna())
    order = list(series.index)
    rnd.shuffle(order)
    pd.testing.assert_series_equal(percentile_rank(series[order]).sort_index(), pct.sort_index())


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40, unique=True))
def test_direction_flips_ranks(values):
    series = pd.Series(values)
    worse = percentile_rank(series, "higher_worse")
    better = percentile_rank(series, "higher_better")
    np.testing.assert_allclose(better.to_numpy(), 1 - worse.to_numpy(), atol=1e-12)


@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=30))
def test_rates_lie_in_unit_interval(pairs):
    den = np.array([max(a, b) for a, b in pairs])
    num = np.array([min(a, b) for a, b in pairs])
    w = Weights.identity([f"u{i}" for i in range(len(pairs))])
    frame = rate(w, num, den, np.sqrt(num), np.sqrt(den))
    values = frame["value"].dropna()
    assert ((values >= 0) & (values <= 1 + 1e-12)).all()
    assert frame["value"].isna().equals(pd.Series(den == 0, index=frame.index))
    region = rate(Weights.single("r", list(w.units), np.ones(len(pairs))), num, den,
                  np.sqrt(num), np.sqrt(den))
    if den.sum() > 0:
        assert 0 <= region["value"].iloc[0] <= 1 + 1e-12


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1),
                          st.floats(0, 1)), min_size=1, max_size=30))
def test_flags_agree_with_thresholds(rows):
    frame = pd.DataFrame(rows, columns=["pm25", "asthma", "unemployment", "low_income", "less_hs"])
    flags = criteria_flags(frame[["pm25", "asthma", "unemployment"]], frame.low_income, frame.less_hs)
    burdened = ((frame.pm25 >= 0.9) | (frame.asthma >= 0.9)) & (frame.low_income >= 0.65)
    workforce = (frame.unemployment >= 0.9) & (frame.less_hs >= 0.10)
    assert flags.any(axis=1).tolist() == (burdened | workforce).tolist()
