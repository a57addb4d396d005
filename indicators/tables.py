"""Tables the pages show and export, built from ``indicator_values`` (pure functions)."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from indicators.formatting import format_moe, format_value, reliability_words
from indicators.registry import BY_ID, Indicator


def comparison_long(values: pd.DataFrame, region: pd.DataFrame, names: dict[str, str],
                    district_ids: list[str], indicators: list[Indicator]) -> pd.DataFrame:
    """One row per (district, indicator) with raw numbers and the region's value: the export
    behind the Compare page's table."""
    ids = [i.id for i in indicators]
    part = values[values["geo_id"].isin(district_ids) & values["indicator_id"].isin(ids)]
    regional = region.set_index("indicator_id")["value"]
    out = pd.DataFrame({
        "district": part["geo_id"].map(names),
        "district_id": part["geo_id"],
        "indicator_id": part["indicator_id"],
        "indicator": part["indicator_id"].map(lambda i: BY_ID[i].label),
        "value": part["value"], "moe_90": part["moe"], "cv": part["cv"],
        "reliability": part["reliability"], "percentile_among_districts": part["percentile"],
        "region_value": part["indicator_id"].map(regional),
    })
    order = {i: n for n, i in enumerate(ids)}
    return out.sort_values(["indicator_id", "district"], key=lambda s: s.map(order)
                           if s.name == "indicator_id" else s).reset_index(drop=True)


def comparison_wide(long: pd.DataFrame, region_name: str, district_order: list[str]) -> pd.DataFrame:
    """The Compare table as people read it: indicators down, districts across, each cell
    "value ± MOE (reliability)", and the region last."""
    rows = []
    for indicator_id, part in long.groupby("indicator_id", sort=False):
        indicator = BY_ID[indicator_id]
        row = {"Indicator": indicator.label}
        by_name = part.set_index("district")
        for name in district_order:
            if name in by_name.index:
                r = by_name.loc[name]
                cell = format_value(indicator, r["value"])
                moe = format_moe(indicator, r["moe_90"])
                if moe:
                    cell += f" {moe}"
                if r["reliability"] and r["reliability"] != "high":
                    cell += f" ({reliability_words(r['reliability'])})"
                row[name] = cell
            else:
                row[name] = "not available"
        row[region_name] = format_value(indicator, part["region_value"].iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)


def ranking(values: pd.DataFrame, names: dict[str, str], indicator: Indicator) -> pd.DataFrame:
    """Every district on one indicator, most burdened first (rank 1)."""
    part = values[values["indicator_id"] == indicator.id].copy()
    part["name"] = part["geo_id"].map(names)
    part = part.sort_values("percentile", ascending=False, kind="stable").reset_index(drop=True)
    part.insert(0, "rank", range(1, len(part) + 1))
    part["shown"] = [format_value(indicator, v) for v in part["value"]]
    part["± MOE"] = [format_moe(indicator, m) for m in part["moe"]]
    part["reliability"] = part["reliability"].map(reliability_words)
    return part[["rank", "name", "shown", "± MOE", "reliability", "value", "moe", "geo_id"]]


def districts_geojson(districts: gpd.GeoDataFrame, long: pd.DataFrame) -> str:
    """GeoJSON of the chosen districts with their indicator values as properties (what the
    Compare page shows), for GIS users."""
    wide = long.pivot(index="district_id", columns="indicator_id", values="value")
    chosen = districts[districts["district_id"].isin(wide.index)].merge(
        wide, left_on="district_id", right_index=True)
    return json.dumps(json.loads(chosen.to_json(na="null", drop_id=True)), separators=(",", ":"))
