"""The indicator engine: every registry indicator for every unit, district and the region.

``compute_values(inputs)`` is pure (:class:`~indicators.metrics.inputs.Inputs` in, DataFrames
out). Storing the results is :mod:`indicators.store.build`'s work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.metrics import aggregate, rank
from indicators.metrics.aggregate import Weights
from indicators.metrics.composites import Context, Unavailable, cejst
from indicators.metrics.inputs import Inputs
from indicators.metrics.outcomes import Outcome, compute_outcome
from indicators.metrics.registry import INDICATORS, Indicator

KINDS = ("unit", "district", "region")
VALUE_COLUMNS = ["geo_kind", "geo_id", "indicator_id", "value", "moe", "cv", "reliability",
                 "numerator", "denominator", "percentile", "n_units", "coverage", "method", "layer_id"]


@dataclass
class Results:
    """Everything the engine computes."""

    values: pd.DataFrame
    availability: pd.DataFrame
    unit_burdens: pd.DataFrame
    crosswalk: pd.DataFrame


def compute_values(inputs: Inputs, progress: Callable[[float, str], None] | None = None) -> Results:
    """Compute every indicator of the registry.

    Parameters
    ----------
    inputs : Inputs
        The region's units, districts, overlays, crosswalk and every layer's values.
    progress : callable, optional
        ``progress(fraction, message)`` as indicators are computed.

    Returns
    -------
    Results
        ``values`` has one row per (geography, indicator) with value, MOE, CV, reliability,
        percentile (among units, or among districts), units used, coverage, method, source layer.

    Notes
    -----
    Plain indicators first, in registry order; then each composite from their unit values and
    percentiles (:class:`~indicators.metrics.composites.Context`), in registry order.
    """
    weights = inputs.weights()
    population = inputs.population()
    outcomes: dict[str, Outcome] = {}
    plain = [i for i in INDICATORS if i.index is None]
    for n, indicator in enumerate(plain):
        if progress:
            progress(n / len(INDICATORS), f"Computing {indicator.label}")
        outcomes[indicator.id] = compute_outcome(indicator, inputs, weights, population)
    unit_pct = _unit_percentiles(outcomes)
    context = Context(inputs, {i: o.frames["unit"]["value"] for i, o in outcomes.items() if o.available},
                      unit_pct)
    for indicator in (i for i in INDICATORS if i.index is not None):
        outcomes[indicator.id] = composite_outcome(indicator, context, weights, population)
    availability = pd.DataFrame([
        {"indicator_id": o.indicator.id, "available": o.available, "layer_id": o.layer_id,
         "method": o.method, "reason": o.reason, "detail": o.detail}
        for o in outcomes.values()
    ])
    burdens = cejst.unit_burdens(context)
    return Results(_rows(outcomes), availability, burdens.reset_index(), inputs.crosswalk)


def _unit_percentiles(outcomes: dict[str, Outcome]) -> pd.DataFrame:
    columns = {}
    for indicator_id, outcome in outcomes.items():
        if outcome.available:
            unit = outcome.frames["unit"]["value"]
            columns[indicator_id] = rank.percentile_rank(unit, outcome.indicator.direction)
    return pd.DataFrame(columns)


def composite_outcome(indicator: Indicator, context: Context, weights: dict[str, Weights],
                      population: np.ndarray) -> Outcome:
    """A composite index (named by the registry entry) for every geography: its unit values,
    then districts and the region as population-weighted means of them."""
    if indicator.index is None:
        raise ValueError(f"{indicator.id} is not a composite indicator")
    result = indicator.index.unit_index(context)
    if isinstance(result, Unavailable):
        return Outcome(indicator, reason=result.reason)
    out = Outcome(indicator, layer_id=result.layer_id, method=result.method, detail=result.detail)
    ok = ~np.isnan(result.values)
    for kind, w in weights.items():
        frame = aggregate.weighted_mean(w, result.values, population)
        frame["coverage"] = aggregate.coverage(w, ok, population)
        out.frames[kind] = frame
    return out


def _rows(outcomes: dict[str, Outcome]) -> pd.DataFrame:
    frames = []
    for outcome in outcomes.values():
        if not outcome.available:
            continue
        direction = outcome.indicator.direction
        for kind in KINDS:
            frame = outcome.frames[kind].copy()
            if kind in ("unit", "district"):
                frame["percentile"] = rank.percentile_rank(frame["value"], direction).to_numpy()
            else:
                frame["percentile"] = np.nan
            frame["geo_kind"] = kind
            frame["geo_id"] = [str(i) for i in frame.index]
            frame["indicator_id"] = outcome.indicator.id
            frame["method"] = outcome.method
            frame["layer_id"] = outcome.layer_id
            frames.append(frame.reindex(columns=VALUE_COLUMNS))
    values = pd.concat(frames, ignore_index=True)
    values = values[values["value"].notna()].reset_index(drop=True)
    values["reliability"] = values["reliability"].fillna("").astype(str)
    values["n_units"] = values["n_units"].fillna(0).astype(int)
    values["layer_id"] = values["layer_id"].astype("Int64")
    return values


