"""The plain indicator methods: one indicator for every geography of a set of weights.

:func:`compute_outcome` turns a registry entry's inputs into values for units, districts, the
region (or any other rows of weights, such as the majority-POC and majority-White units of the
equity tables), by the entry's ``method``: ``rate``, ``rate_gap``, ``mean``, ``flag_share``,
``median`` (from brackets where they exist) and ``area_share``. The composite indices are in
:mod:`indicators.metrics.composites`. Pure: nothing here reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.metrics import aggregate
from indicators.metrics.aggregate import Weights
from indicators.metrics.area_shares import overlay_shares
from indicators.metrics.inputs import Inputs, Source
from indicators.metrics.moe import cv, reliability
from indicators.metrics.registry import Indicator
from indicators.metrics.variables import INCOME_BRACKET_VARIABLES, INCOME_BRACKETS

#: The geography kind of an older period's values carried onto a newer period's units
#: (:mod:`indicators.metrics.change`).
CARRIED = "carried"


@dataclass
class Outcome:
    """One indicator computed for every geography, or the reason it could not be."""

    indicator: Indicator
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    layer_id: int | None = None
    method: str = ""
    reason: str = ""
    detail: str = ""

    @property
    def available(self) -> bool:
        """Whether the region has what the indicator needs."""
        return bool(self.frames)


def compute_outcome(indicator: Indicator, inputs: Inputs, weights: dict[str, Weights],
                    population: np.ndarray) -> Outcome:
    """One non-composite indicator for every geography of ``weights`` (any kinds: units,
    districts, the region, or groups of units such as majority-POC units)."""
    method = indicator.method
    if method == "area_share":
        return _area_share(indicator, inputs)
    for alternative in indicator.inputs:
        if method == "median" and len(alternative) == len(INCOME_BRACKET_VARIABLES):
            source = inputs.source(alternative)
            if source is not None:
                return _median_brackets(indicator, inputs, source, weights)
            continue
        source = inputs.source(alternative)
        if source is None:
            continue
        out = Outcome(indicator, layer_id=source.layer_id)
        cover_ok = np.all([~np.isnan(source.values(v)) for v in alternative], axis=0)
        if method == "rate":
            num, den = alternative
            out.method = "rate of interpolated counts"
            for kind, w in weights.items():
                out.frames[kind] = aggregate.rate(w, source.values(num), source.values(den),
                                                  source.moes(num), source.moes(den))
        elif method == "rate_gap":
            out.method = "difference of two rates of interpolated counts"
            a_num, a_den, b_num, b_den = alternative
            for kind, w in weights.items():
                a = aggregate.rate(w, source.values(a_num), source.values(a_den),
                                   source.moes(a_num), source.moes(a_den))
                b = aggregate.rate(w, source.values(b_num), source.values(b_den),
                                   source.moes(b_num), source.moes(b_den))
                out.frames[kind] = _difference(a, b)
        elif method in ("mean", "flag_share"):
            (variable,) = alternative
            pop = inputs.population(source.layer_id)
            out.method = "population-weighted mean" if method == "mean" else \
                "population share in flagged units"
            moes = source.moes(variable) if method == "mean" else None
            for kind, w in weights.items():
                out.frames[kind] = aggregate.weighted_mean(w, source.values(variable), pop, moes)
        elif method == "median":
            (variable,) = alternative
            hh, weighted_by = _households(inputs)
            out.method = (f"approximate: {weighted_by} mean of unit medians, with the MOE of that "
                          "mean (sqrt(sum (w MOE)^2) / sum w)")
            for kind, w in weights.items():
                # The MOE of this weighted mean of medians (not of a true median): what tells
                # whether a change of the approximation is larger than its sampling error.
                frame = aggregate.weighted_mean(w, source.values(variable), hh, source.moes(variable))
                if kind == "unit":  # a unit's own median is the published one
                    frame["moe"] = source.moes(variable)
                    frame["cv"] = cv(frame["value"], frame["moe"])
                    frame["reliability"] = reliability(frame["cv"])
                out.frames[kind] = frame
            out.detail = "approximate"
        for kind, frame in out.frames.items():
            frame["coverage"] = aggregate.coverage(weights[kind], cover_ok, population)
        return out
    if indicator.published is not None:
        published = _published_share(indicator, inputs, weights, population)
        if published is not None:
            return published
    needs = " or ".join(" + ".join(alt) for alt in indicator.inputs)
    if indicator.published is not None:
        needs += f" (or a published {indicator.published})"
    return Outcome(indicator, reason=f"not available for this region: it needs {needs}")


def _published_share(indicator: Indicator, inputs: Inputs, weights: dict[str, Weights],
                     population: np.ndarray) -> Outcome | None:
    """A rate no layer has the counts of, from a source's published share: population-weighted
    over the pieces of units, with no margin of error (none is published)."""
    source = inputs.source((indicator.published,))
    if source is None:
        return None
    values = source.values(indicator.published)
    pop = inputs.population(source.layer_id)
    out = Outcome(indicator, layer_id=source.layer_id,
                  method="population-weighted mean of the published percentage (no margin of error)")
    ok = ~np.isnan(values)
    for kind, w in weights.items():
        frame = aggregate.weighted_mean(w, values, pop)
        frame["coverage"] = aggregate.coverage(w, ok, population)
        out.frames[kind] = frame
    return out


def _difference(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    value = a["value"] - b["value"]
    moe = np.sqrt(a["moe"] ** 2 + b["moe"] ** 2)
    # A gap near zero has an undefined CV; judge reliability by the MOE against the larger rate.
    c = cv(np.maximum(a["value"], b["value"]), moe)
    return pd.DataFrame({"value": value, "moe": moe, "cv": c, "reliability": reliability(c),
                         "n_units": np.minimum(a["n_units"], b["n_units"])}, index=a.index)


def _households(inputs: Inputs) -> tuple[np.ndarray, str]:
    """Weights for a mean of unit medians, and what they are: households, else people, else
    none (a period whose only layer publishes medians: each unit counts once)."""
    src = inputs.source(("households",))
    if src is not None:
        return src.values("households"), "households-weighted"
    population = inputs.population()
    if not np.isnan(population).all():
        return population, "households-weighted"
    return np.ones(len(inputs.units)), "unweighted (no household or population counts in this period)"


def _median_brackets(indicator: Indicator, inputs: Inputs, source: Source,
                     weights: dict[str, Weights]) -> Outcome:
    out = Outcome(indicator, layer_id=source.layer_id,
                  method="median of interpolated income brackets (linear interpolation)")
    counts = np.column_stack([source.values(v) for v in INCOME_BRACKET_VARIABLES])
    ok = ~np.isnan(counts).any(axis=1)
    published = inputs.est[source.layer_id].get("median_hh_income")
    published_moe = inputs.moe[source.layer_id].get("median_hh_income")
    population = inputs.population()
    for kind, w in weights.items():
        summed, _ = aggregate.sum_counts(w, np.where(ok[:, None], counts, np.nan),
                                         np.zeros_like(counts))
        frame = aggregate.median_from_brackets(np.nan_to_num(summed), list(INCOME_BRACKETS))
        frame.index = list(w.ids)
        frame["n_units"] = np.asarray((w.matrix > 0) @ ok.astype(float)).ravel().astype(int)
        if kind == "unit" and published is not None and published.notna().any():
            # A unit's own median is the Census Bureau's (from finer data), with its MOE.
            frame["value"] = published.to_numpy(dtype=float)
            frame["moe"] = published_moe.to_numpy(dtype=float)
            frame["cv"] = cv(frame["value"], frame["moe"])
            frame["reliability"] = reliability(frame["cv"])
        frame["coverage"] = aggregate.coverage(w, ok, population)
        out.frames[kind] = frame.drop(columns=["top_coded", "denominator"])
    return out


def _area_share(indicator: Indicator, inputs: Inputs) -> Outcome:
    (spec,) = indicator.inputs[0]
    kind, category = spec.split(":")
    overlays = inputs.overlays
    chosen = overlays[(overlays["kind"] == kind) & (overlays["category"] == category)]
    if chosen.empty:
        return Outcome(indicator, reason="not available for this region: no HOLC (redlining) map "
                       "is loaded")
    shares = overlay_shares(inputs.units, inputs.districts, chosen)
    out = Outcome(indicator, layer_id=int(chosen["layer_id"].iloc[0]),
                  method="share of area inside the overlay (equal-area CRS)")
    for geo_kind, series in shares.items():
        out.frames[geo_kind] = pd.DataFrame({
            "value": series.to_numpy(), "moe": np.nan, "cv": np.nan, "reliability": "",
            "n_units": 0, "coverage": 1.0}, index=series.index)
    return out
