"""Racial equity measures: segregation, location quotients, disparity ratios, race-iterated gaps.

- Segregation indices: :mod:`indicators.metrics.segregation` (PySAL's ``segregation``).
- Location quotients compare each group's share in a district with its share in the region.
- Disparities: every indicator computed over majority-people-of-colour units and over
  majority-White units (population-weighted; rates from summed counts), and their ratio.
- Race-iterated gaps (ACS B25003B/H tenure, B19013B/H income) where the source has them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.metrics import aggregate
from indicators.metrics.aggregate import Weights
from indicators.metrics.dollars import INCOME_GAP
from indicators.metrics.engine import Results
from indicators.metrics.inputs import Inputs
from indicators.metrics.outcomes import compute_outcome
from indicators.metrics.registry import BY_ID
from indicators.metrics.segregation import GROUPS, segregation_table

#: A unit is majority people of colour above this share of its people, majority White below it.
MAJORITY = 0.5

def group_counts(inputs: Inputs) -> pd.DataFrame:
    """Unit counts of the racial/ethnic groups, ``pop_poc`` and ``pop_total``, all from one
    layer (the first with the most groups); empty when no layer has White and POC counts."""
    for names in (("pop_total", "pop_poc", *GROUPS.values()),
                  ("pop_total", "pop_poc", "pop_nh_white", "pop_nh_black"),
                  ("pop_total", "pop_poc", "pop_nh_white")):
        source = inputs.source(names)
        if source is not None:
            return pd.DataFrame({v: source.values(v) for v in names}, index=inputs.geoids)
    return pd.DataFrame(index=inputs.geoids)


def location_quotients(counts: pd.DataFrame, weights: dict[str, Weights]) -> pd.DataFrame:
    """LQ of each group in each district: (group share in district) / (group share in region)."""
    if counts.empty:
        return pd.DataFrame(columns=["district_id", "group", "share", "region_share", "lq"])
    groups = {k: v for k, v in {**GROUPS, "People of colour": "pop_poc"}.items() if v in counts}
    filled = counts.fillna(0.0)
    district = pd.DataFrame(weights["district"].matrix @ filled.to_numpy(),
                            index=list(weights["district"].ids), columns=filled.columns)
    region = pd.Series(np.asarray(weights["region"].matrix @ filled.to_numpy()).ravel(),
                       index=filled.columns)
    rows = []
    for name, var in groups.items():
        region_share = region[var] / region["pop_total"] if region["pop_total"] > 0 else np.nan
        for geo_id, row in district.iterrows():
            share = row[var] / row["pop_total"] if row["pop_total"] > 0 else np.nan
            rows.append({"district_id": geo_id, "group": name, "share": share,
                         "region_share": region_share,
                         "lq": share / region_share if region_share else np.nan})
    return pd.DataFrame(rows)


def majority_weights(inputs: Inputs, counts: pd.DataFrame,
                     weights: dict[str, Weights]) -> dict[str, Weights] | None:
    """Two geographies: the region's majority-people-of-colour units and its majority-White
    units (each unit weighted by its coverage of the region)."""
    if counts.empty:
        return None
    poc_share = counts["pop_poc"] / counts["pop_total"].where(counts["pop_total"] > 0)
    # A unit exactly half people of colour is in neither group.
    cover = np.asarray(weights["region"].matrix.todense()).ravel()
    geoids = inputs.geoids
    return {
        "poc": Weights.single("poc", geoids, np.where(poc_share > MAJORITY, cover, 0.0)),
        "white": Weights.single("white", geoids, np.where(poc_share < MAJORITY, cover, 0.0)),
    }


def disparity_table(inputs: Inputs, results: Results, counts: pd.DataFrame,
                    weights: dict[str, Weights]) -> pd.DataFrame:
    """Every available indicator in majority-POC vs majority-White units, and their ratio."""
    columns = ["indicator_id", "poc_value", "white_value", "ratio", "difference", "poc_units",
               "white_units", "poc_population", "white_population"]
    split = majority_weights(inputs, counts, weights)
    if split is None:
        return pd.DataFrame(columns=columns)
    population = inputs.population()
    units = results.values[results.values["geo_kind"] == "unit"]
    rows = []
    for indicator_id in results.availability.query("available")["indicator_id"]:
        indicator = BY_ID[indicator_id]
        if indicator.method in ("composite", "area_share"):
            unit_values = units[units["indicator_id"] == indicator_id].set_index("geo_id")["value"]
            v = unit_values.reindex(inputs.geoids).to_numpy(dtype=float)
            base = population if indicator.method == "composite" else \
                inputs.units["area_m2"].to_numpy(dtype=float)
            frames = {k: aggregate.weighted_mean(w, v, base) for k, w in split.items()}
        else:
            frames = compute_outcome(indicator, inputs, split, population).frames
        poc, white = frames["poc"]["value"].iloc[0], frames["white"]["value"].iloc[0]
        rows.append({
            "indicator_id": indicator_id, "poc_value": poc, "white_value": white,
            "ratio": poc / white if pd.notna(white) and white != 0 else np.nan,
            "difference": poc - white,
            "poc_units": int((split["poc"].matrix > 0).sum()),
            "white_units": int((split["white"].matrix > 0).sum()),
            "poc_population": float((split["poc"].matrix @ np.nan_to_num(population))[0]),
            "white_population": float((split["white"].matrix @ np.nan_to_num(population))[0]),
        })
    return pd.DataFrame(rows, columns=columns)


def race_gaps(inputs: Inputs, weights: dict[str, Weights]) -> pd.DataFrame:
    """Black and White householders' homeownership rates and median incomes, by geography."""
    rows = []
    tenure = inputs.source(("owner_units_black", "occupied_units_black", "owner_units_white",
                            "occupied_units_white"))
    income = inputs.source(("median_hh_income_black", "median_hh_income_white",
                            "occupied_units_black", "occupied_units_white"))
    for kind in ("region", "district", "unit"):
        w = weights[kind]
        if tenure is not None:
            black = aggregate.rate(w, tenure.values("owner_units_black"),
                                   tenure.values("occupied_units_black"),
                                   tenure.moes("owner_units_black"), tenure.moes("occupied_units_black"))
            white = aggregate.rate(w, tenure.values("owner_units_white"),
                                   tenure.values("occupied_units_white"),
                                   tenure.moes("owner_units_white"), tenure.moes("occupied_units_white"))
            rows.append(_gap_rows(kind, "Homeownership rate", black, white))
        if income is not None:
            black = aggregate.weighted_mean(w, income.values("median_hh_income_black"),
                                            income.values("occupied_units_black"))
            white = aggregate.weighted_mean(w, income.values("median_hh_income_white"),
                                            income.values("occupied_units_white"))
            if kind == "unit":
                black["moe"] = income.moes("median_hh_income_black")
                white["moe"] = income.moes("median_hh_income_white")
            rows.append(_gap_rows(kind, INCOME_GAP, black, white))
    if not rows:
        return pd.DataFrame(columns=["geo_kind", "geo_id", "measure", "black", "black_moe", "white",
                                     "white_moe", "gap", "ratio"])
    return pd.concat(rows, ignore_index=True)


def _gap_rows(kind: str, measure: str, black: pd.DataFrame, white: pd.DataFrame) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(white["value"] > 0, black["value"] / white["value"], np.nan)
    return pd.DataFrame({
        "geo_kind": kind, "geo_id": [str(i) for i in black.index], "measure": measure,
        "black": black["value"].to_numpy(), "black_moe": black["moe"].to_numpy(),
        "white": white["value"].to_numpy(), "white_moe": white["moe"].to_numpy(),
        "gap": (white["value"] - black["value"]).to_numpy(), "ratio": ratio,
    })


def equity_tables(inputs: Inputs, results: Results) -> dict[str, pd.DataFrame]:
    """Every equity table, keyed by its name in the database."""
    weights = inputs.weights()
    counts = group_counts(inputs)
    return {
        "segregation": segregation_table(counts, weights),
        "location_quotients": location_quotients(counts, weights),
        "disparities": disparity_table(inputs, results, counts, weights),
        "race_gaps": race_gaps(inputs, weights),
    }
