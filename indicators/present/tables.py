"""Tables the pages show and export, built from ``indicator_values`` (pure functions); every CSV
a page offers is written by :func:`csv_text`, so no cell can act as a spreadsheet formula."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from indicators.ingest.upload import csv_safe
from indicators.metrics.composites import cejst
from indicators.metrics.registry import BY_ID, Indicator
from indicators.present.formatting import format_moe, format_value, ordinal, reliability_words
from indicators.present.language import t
from indicators.present.map_layers import burden_label


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


def unit_table(unit_values: pd.DataFrame, unit_names: pd.Series, indicator: Indicator,
               unit_ids: list[str], lang: str = "en") -> pd.DataFrame:
    """The map's numbers as a table: each unit drawn that has a value, as people read it (in
    ``lang``).

    Parameters
    ----------
    unit_values : pandas.DataFrame
        ``indicator_values`` rows of one indicator's units (``geo_id``, ``value``, ``moe``,
        ``reliability``).
    unit_names : pandas.Series
        Unit names by GEOID.
    unit_ids : list of str
        The units the map draws, in order.
    """
    shown = unit_values.set_index("geo_id").reindex(unit_ids).dropna(subset=["value"])
    return pd.DataFrame({
        t("Tract", lang): unit_names.reindex(shown.index).to_numpy(), "GEOID": shown.index,
        indicator.label_in(lang): [format_value(indicator, v, lang) for v in shown["value"]],
        "±": [format_moe(indicator, m, lang) for m in shown["moe"]],
        t("Reliability", lang): [reliability_words(r, lang) for r in shown["reliability"]],
    })


def scatter_points(values: pd.DataFrame, names: dict[str, str], x: Indicator,
                   y: Indicator) -> pd.DataFrame:
    """Districts with both indicators: ``geo_id``, ``name``, ``x``, ``y`` (empty when either is
    missing for the region)."""
    pivot = values[values["indicator_id"].isin([x.id, y.id])].pivot(
        index="geo_id", columns="indicator_id", values="value")
    if x.id not in pivot or y.id not in pivot:
        return pd.DataFrame(columns=["geo_id", "x", "y", "name"])
    points = pivot[[x.id, y.id]].set_axis(["x", "y"], axis=1).reset_index()
    points["name"] = points["geo_id"].map(names)
    return points


def segregation_wide(table: pd.DataFrame, names: dict[str, str], region: str) -> pd.DataFrame:
    """Segregation indices with places down (the region first) and measures across."""
    where = [region if k == "region" else names.get(g, g)
             for k, g in zip(table["geo_kind"], table["geo_id"], strict=True)]
    measure = table["index"] + " · " + table["groups"]
    wide = table.assign(where=where, measure=measure).pivot_table(
        index="where", columns="measure", values="value", sort=False).round(3)
    return wide.reindex([region] + sorted(i for i in wide.index if i != region))


HIGHER_IS = {"higher_worse": "worse", "higher_better": "better", "neutral": "neither"}


def disparity_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The disparities of registry indicators with their ``label`` and ``direction``."""
    known = table[table["indicator_id"].isin(BY_ID)].copy()
    known["label"] = known["indicator_id"].map(lambda i: BY_ID[i].label)
    known["direction"] = known["indicator_id"].map(lambda i: BY_ID[i].direction)
    return known


def disparity_view(table: pd.DataFrame) -> pd.DataFrame:
    """The disparities as people read them, largest ratio first (``table`` from
    :func:`disparity_frame`)."""
    def shown(column: str) -> list[str]:
        return [format_value(BY_ID[i], v) for i, v in zip(table["indicator_id"], table[column],
                                                          strict=True)]

    return pd.DataFrame({
        "Indicator": table["label"],
        "Majority people of colour": shown("poc_value"),
        "Majority White": shown("white_value"),
        "Ratio": table["ratio"].round(2),
        "Higher is": table["direction"].map(HIGHER_IS),
    }).sort_values("Ratio", ascending=False)


def location_quotient_table(lq: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Location quotients with districts down and groups across."""
    return lq.assign(district=lq["district_id"].map(names)).pivot_table(
        index="district", columns="group", values="lq").round(2)


#: The race-iterated measures, and whether each is in dollars (else a rate).
RACE_GAP_MEASURES = (("Homeownership rate", False), ("Median household income", True))


def race_gap_charts(gaps: pd.DataFrame, names: dict[str, str],
                    region: str) -> list[tuple[str, bool, pd.DataFrame]]:
    """(measure, in dollars, rows) for each race-iterated measure the region has, each row with
    the place's ``name`` (the region, or the district's)."""
    named = gaps.assign(name=[region if k == "region" else names.get(g, g)
                              for k, g in zip(gaps["geo_kind"], gaps["geo_id"], strict=True)])
    out = []
    for measure, money in RACE_GAP_MEASURES:
        part = named[named["measure"] == measure].dropna(subset=["black", "white"], how="all")
        if not part.empty:
            out.append((measure, money, part))
    return out


def indicator_bars(long: pd.DataFrame, region: pd.DataFrame,
                   indicator: Indicator) -> tuple[pd.DataFrame, float | None]:
    """The chosen districts' bars for one indicator (``name``, ``value``, ``moe``) from
    :func:`comparison_long`, and the region's value (None where it has none)."""
    part = long[long["indicator_id"] == indicator.id].rename(columns={"district": "name",
                                                                       "moe_90": "moe"})
    return part, region.set_index("indicator_id")["value"].get(indicator.id)


def layers_view(layers: pd.DataFrame) -> pd.DataFrame:
    """The provenance table as the Data page shows it."""
    return pd.DataFrame({
        "Layer": layers["title"], "Role": layers["role"], "Format": layers["profile"],
        "Vintage": layers["vintage"], "Publisher": layers["publisher"], "Licence": layers["licence"],
        "Rows in file": layers["rows"], "Rows loaded": layers["rows_loaded"], "File": layers["path"],
        "Bytes": layers["bytes"], "SHA-256": layers["sha256"].str[:12] + "…",
        "Downloaded from": layers["source_url"],
        "Downloaded": layers.get("downloaded_at", pd.Series("", index=layers.index)),
        "Notes": layers["notes"],
    })


def flagged_units(burdens: pd.DataFrame, units: pd.DataFrame, unit_ids: list[str]) -> pd.DataFrame:
    """The overburdened units drawn on the map, with what flags each (CEJST's criteria or the
    neighbours rule)."""
    flags = burdens.set_index("geoid").reindex(unit_ids)
    flagged = flags[flags["flagged"].astype("boolean").fillna(False)]
    names = units.set_index("geoid")["name"]
    return pd.DataFrame({
        "Tract": names.reindex(flagged.index).to_numpy(), "GEOID": flagged.index,
        f"At or above the {ordinal(round(cejst.BURDEN_PERCENTILE * 100))} percentile":
            [burden_label(row) for _, row in flagged.iterrows()],
        "Categories": flagged["categories"].to_numpy(),
        "Low-income percentile": (flagged["low_income_percentile"] * 100).round().to_numpy(),
    })


def csv_text(frame: pd.DataFrame) -> str:
    r"""``frame`` as CSV text (no index) with every text cell and column name made inert in a
    spreadsheet (:func:`~indicators.ingest.upload.csv_safe`: a leading ``=``, ``+``, ``-``,
    ``@``, tab or carriage return gets an apostrophe); numbers, dates and missing values are
    written as they are. Rows end in CRLF (RFC 4180), so a carriage return inside a cell is
    quoted too and cannot start a row of its own (a row starting ``=1``).

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ['=HYPERLINK("http://x","y")', "Oak\r=1"], "change": [-0.5, 1.0]})
    >>> csv_text(frame).split("\r\n")
    ['name,change', '"\'=HYPERLINK(""http://x"",""y"")",-0.5', '"Oak\r=1",1.0', '']
    """
    safe = frame.copy(deep=False)
    for position in range(safe.shape[1]):  # by position: column names may repeat
        values = safe.iloc[:, position]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values) \
                or isinstance(values.dtype, pd.CategoricalDtype):
            safe.isetitem(position, values.astype(object).map(
                lambda v: csv_safe(v) if isinstance(v, str) else v))
    safe.columns = [csv_safe(c) if isinstance(c, str) else c for c in safe.columns]
    return safe.to_csv(index=False, lineterminator="\r\n")
