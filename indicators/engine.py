"""The indicator engine: every registry indicator for every unit, district and the region.

``compute_values(inputs)`` is pure (Inputs in, DataFrames out). ``compute_into`` is what
``build`` calls to write the derived tables; ``compute`` is the notebook API:

>>> import indicators
>>> values = indicators.compute("data/indicators.duckdb")      # doctest: +SKIP
>>> values.query("geo_kind == 'district' and indicator_id == 'rent_burden'")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators import aggregate, rank
from indicators.aggregate import Weights
from indicators.composites import (
    CEJST_BURDENS,
    EJ_BURDENS,
    svi_inputs,
)
from indicators.geometry_shares import overlay_shares
from indicators.moe import cv, reliability
from indicators.registry import INDICATORS, Indicator
from indicators.variables import INCOME_BRACKET_VARIABLES, INCOME_BRACKETS

KINDS = ("unit", "district", "region")
VALUE_COLUMNS = ["geo_kind", "geo_id", "indicator_id", "value", "moe", "cv", "reliability",
                 "numerator", "denominator", "percentile", "n_units", "coverage", "method", "layer_id"]


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


@dataclass
class Results:
    """Everything the engine computes."""

    values: pd.DataFrame
    availability: pd.DataFrame
    unit_burdens: pd.DataFrame
    crosswalk: pd.DataFrame


def compute_values(inputs: object, progress: Callable[[float, str], None] | None = None) -> Results:
    """Compute every indicator of the registry.

    Parameters
    ----------
    inputs : indicators.inputs.Inputs
    progress : callable, optional

    Returns
    -------
    Results
        ``values`` has one row per (geography, indicator) with value, MOE, CV, reliability,
        percentile (among units, or among districts), units used, coverage, method, source layer.
    """
    weights = inputs.weights()
    population = inputs.population()
    outcomes: dict[str, Outcome] = {}
    plain = [i for i in INDICATORS if i.method != "composite"]
    for n, indicator in enumerate(plain):
        if progress:
            progress(n / len(INDICATORS), f"Computing {indicator.label}")
        outcomes[indicator.id] = compute_outcome(indicator, inputs, weights, population)
    unit_pct = _unit_percentiles(outcomes)
    burdens = _unit_burdens(unit_pct, inputs)
    for indicator in (i for i in INDICATORS if i.method == "composite"):
        outcomes[indicator.id] = _composite(indicator, inputs, weights, population, outcomes,
                                            unit_pct, burdens)
    values = _rows(outcomes, inputs)
    availability = pd.DataFrame([
        {"indicator_id": o.indicator.id, "available": o.available, "layer_id": o.layer_id,
         "method": o.method, "reason": o.reason, "detail": o.detail}
        for o in outcomes.values()
    ])
    return Results(values, availability, burdens.reset_index(), inputs.crosswalk)


# --------------------------------------------------------------------------------------------
# Plain methods
# --------------------------------------------------------------------------------------------


def compute_outcome(indicator: Indicator, inputs: object, weights: dict[str, Weights],
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
            out.method = "approximate: households-weighted mean of unit medians"
            hh = _households(inputs)
            for kind, w in weights.items():
                frame = aggregate.weighted_mean(w, source.values(variable), hh)
                if kind == "unit":  # a unit's own median is the published one
                    frame["moe"] = source.moes(variable)
                    frame["cv"] = cv(frame["value"], frame["moe"])
                    frame["reliability"] = reliability(frame["cv"])
                out.frames[kind] = frame
            out.detail = "approximate"
        for kind, frame in out.frames.items():
            frame["coverage"] = aggregate.coverage(weights[kind], cover_ok, population)
        return out
    needs = " or ".join(" + ".join(alt) for alt in indicator.inputs)
    return Outcome(indicator, reason=f"not available for this region: it needs {needs}")


def _difference(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    value = a["value"] - b["value"]
    moe = np.sqrt(a["moe"] ** 2 + b["moe"] ** 2)
    # A gap near zero has an undefined CV; judge reliability by the MOE against the larger rate.
    c = cv(np.maximum(a["value"], b["value"]), moe)
    return pd.DataFrame({"value": value, "moe": moe, "cv": c, "reliability": reliability(c),
                         "n_units": np.minimum(a["n_units"], b["n_units"])}, index=a.index)


def _households(inputs: object) -> np.ndarray:
    src = inputs.source(("households",))
    return src.values("households") if src else inputs.population()


def _median_brackets(indicator: Indicator, inputs: object, source: object,
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


def _area_share(indicator: Indicator, inputs: object) -> Outcome:
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


# --------------------------------------------------------------------------------------------
# Composites
# --------------------------------------------------------------------------------------------


def _unit_percentiles(outcomes: dict[str, Outcome]) -> pd.DataFrame:
    columns = {}
    for indicator_id, outcome in outcomes.items():
        if outcome.available:
            unit = outcome.frames["unit"]["value"]
            columns[indicator_id] = rank.percentile_rank(unit, outcome.indicator.direction)
    return pd.DataFrame(columns)


def _unit_burdens(unit_pct: pd.DataFrame, inputs: object) -> pd.DataFrame:
    """CEJST-style flags per unit, with the burdens that triggered them (for maps)."""
    burdens = [b for b in CEJST_BURDENS if b in unit_pct.columns]
    frame = pd.DataFrame(index=pd.Index(inputs.geoids, name="geoid"))
    if not burdens or "poverty_200" not in unit_pct.columns:
        return frame.assign(flagged=pd.NA, burdens="", n_burdens=0, low_income_percentile=np.nan)
    pct = unit_pct.set_axis(inputs.geoids)
    flagged = rank.cejst_flags(pct, burdens, "poverty_200")
    high = pct[burdens] >= 0.90
    names = high.apply(lambda row: ", ".join(b for b in burdens if row[b]), axis=1)
    return frame.assign(flagged=flagged.to_numpy(), burdens=names.to_numpy(),
                        n_burdens=high.sum(axis=1).to_numpy(),
                        low_income_percentile=pct["poverty_200"].to_numpy())


def _composite(indicator: Indicator, inputs: object, weights: dict[str, Weights],
               population: np.ndarray, outcomes: dict[str, Outcome], unit_pct: pd.DataFrame,
               burdens: pd.DataFrame) -> Outcome:
    (name,) = indicator.inputs[0]
    out = Outcome(indicator)
    if name == "svi":
        table, used = svi_inputs(inputs)
        if len(used) < 4:
            out.reason = "not available for this region: fewer than 4 of CDC's SVI variables"
            return out
        unit_value = rank.svi(table, decimals=None)["RPL_THEMES"].to_numpy()
        out.method = "SVI-style: CDC method on the region's units; districts population-weighted"
        out.detail = "variables used: " + ", ".join(used)
    elif name == "ej":
        env = [b for b in EJ_BURDENS if b in unit_pct.columns]
        if not env or "poverty_200" not in outcomes or not outcomes["poverty_200"].available \
                or not outcomes["poc_share"].available:
            out.reason = ("not available for this region: needs at least one environmental burden, "
                          "low income (below 200% of poverty) and people of colour")
            return out
        ej = rank.ej_index(unit_pct[env], outcomes["poverty_200"].frames["unit"]["value"],
                           outcomes["poc_share"].frames["unit"]["value"])
        unit_value = ej["percentile"].to_numpy()
        out.method = "EJScreen-style: mean burden percentile x demographic index, ranked"
        out.detail = "burdens used: " + ", ".join(env)
    else:  # cejst
        if burdens["flagged"].isna().all():
            out.reason = ("not available for this region: needs low income (below 200% of poverty) "
                          "and at least one burden")
            return out
        unit_value = burdens["flagged"].astype(float).to_numpy()
        out.method = "CEJST-style: share of people in flagged units"
        used = [b for b in CEJST_BURDENS if b in unit_pct.columns]
        out.detail = "burdens used: " + ", ".join(used)
    ok = ~np.isnan(unit_value)
    for kind, w in weights.items():
        frame = aggregate.weighted_mean(w, unit_value, population)
        frame["coverage"] = aggregate.coverage(w, ok, population)
        out.frames[kind] = frame
    return out


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _rows(outcomes: dict[str, Outcome], inputs: object) -> pd.DataFrame:
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


def compute_into(con: duckdb.DuckDBPyConnection, region: object,
                 progress: Callable[[float, str], None] | None = None) -> dict[str, int]:
    """Compute everything for a region being built and write the derived tables."""
    from indicators.equity import equity_tables
    from indicators.inputs import Inputs

    layers = pd.DataFrame([{"layer_id": r.layer.index, "role": r.layer.role, "title": r.layer.label}
                           for r in region.records])
    inputs = Inputs.from_long(region.units, region.districts, region.overlays, region.estimates,
                              layers, region.manifest.name)
    if progress:
        progress(0.7, "Computing indicators")
    results = compute_values(inputs)
    if progress:
        progress(0.9, "Computing equity measures")
    equity = equity_tables(inputs, results)
    write_results(con, results, equity)
    return {"indicator values": len(results.values), "crosswalk pairs": len(results.crosswalk)}


def write_results(con: duckdb.DuckDBPyConnection, results: Results,
                  equity: dict[str, pd.DataFrame]) -> None:
    """Create and fill the derived tables (``crosswalk``, ``indicator_values`` ...)."""
    for name, frame in {"crosswalk": results.crosswalk, "indicator_values": results.values,
                        "indicator_availability": results.availability,
                        "unit_burdens": results.unit_burdens, **equity}.items():
        con.register("_frame", frame)
        try:
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")
        finally:
            con.unregister("_frame")


def compute(db_or_region: str | Path) -> pd.DataFrame:
    """Indicator values for a built database, or for a region folder (computed in memory).

    Parameters
    ----------
    db_or_region : str or Path
        An ``indicators.duckdb`` file, or a folder holding ``manifest.toml``.

    Returns
    -------
    pandas.DataFrame
        Columns: geo_kind (unit / district / region), geo_id, indicator_id, value, moe, cv,
        reliability, percentile, n_units, coverage, method, layer_id.
    """
    from indicators.build import read_region
    from indicators.inputs import Inputs

    path = Path(db_or_region)
    if path.is_dir():
        region = read_region(path)
        layers = pd.DataFrame([{"layer_id": r.layer.index, "role": r.layer.role,
                                "title": r.layer.label} for r in region.records])
        inputs = Inputs.from_long(region.units, region.districts, region.overlays,
                                  region.estimates, layers, region.manifest.name)
        return compute_values(inputs).values
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * FROM indicator_values").df()
