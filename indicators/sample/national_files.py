"""Writers for the national-size synthetic region (:mod:`indicators.sample.national`), in the
formats Sample City's files come in (:mod:`indicators.sample.formats`), vectorised so that
85,000 tracts and 240,000 block groups take seconds rather than the row-by-row writers' hours.

- ``tracts.geojson`` (TIGER/Line attributes) and ``districts.geojson``: written by GDAL
  (pyogrio), RFC 7946 (counter-clockwise rings, longitude/latitude), 5 decimals, snapped to a
  1e-5 degree grid first so that shared edges stay shared;
- ``acs_5yr_2019_2023_blockgroups.json``: Census Data API JSON for block groups (the
  ``state``/``county``/``tract``/``block group`` columns), rolled up to tracts by the build;
- ``ejscreen_2_3_blockgroups.csv``, ``places_2024_tracts.csv``, ``land_cover_tracts.csv``;
- ``certification.json``: Sample City's twelve projects, in the first ten districts (which take
  Sample City's district names);
- with two periods, ``tracts_2010.geojson``, ``acs_5yr_2014_2018_blockgroups.json``,
  ``ejscreen_2_1_blockgroups.csv`` and ``tract_relationship_2020_2010.txt``: the 2010 tracts are
  the 2020 ones except about 2 % of them, which were two 2010 tracts (``.01``, ``.02``, the
  halves either side of a north-south line through the centroid) merged in 2020;
- ``manifest.toml`` naming them all (:func:`manifest_text`).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from indicators.sample.acs import acs_cells, acs_moe
from indicators.sample.earlier import PRICE_LEVEL, RELATIONSHIP_COLUMNS
from indicators.sample.formats import (
    CERTIFICATION_SEED,
    EJ_COLUMNS,
    PLACES_COLUMNS,
    PLACES_MEASURES,
    write_text,
)
from indicators.sample.manifest import FICTIONAL
from indicators.sample.national import SEED, Geography, block_group_table, latent, national_geography
from indicators.sample.records import certification_records

#: Seed of the earlier period's own generator, so that ``--periods 2`` never changes the
#: current period's files.
EARLIER_SEED = 20_181_201
#: Share of the 2020 tracts that were two 2010 tracts.
MERGED_SHARE = 0.02


def write_national(out_dir: Path, n_tracts: int, n_block_groups: int, n_districts: int,
                   periods: int = 1) -> list[Path]:
    """Write the national-size region into ``out_dir``; returns the files written, sorted.
    Deterministic: the same arguments write the same bytes."""
    if periods not in (1, 2):
        raise ValueError("periods must be 1 or 2")
    geo = national_geography(n_tracts, n_block_groups, n_districts)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED + 1)
    written = [geojson(out_dir / "tracts.geojson", geo.tracts, TRACT_FIELDS),
               geojson(out_dir / "districts.geojson", geo.districts, ("DISTRICT", "DIST_NUM"))]
    written += write_period(out_dir, geo, rng, "2019_2023", "2_3")
    written.append(write_text(out_dir / "certification.json", certification_json(geo.districts)))
    if periods == 2:
        rng = np.random.default_rng(EARLIER_SEED)
        tracts_2010, counts, relationship = earlier_tracts(geo, rng)
        written.append(geojson(out_dir / "tracts_2010.geojson", tracts_2010, TRACT_FIELDS))
        earlier = Geography(tracts_2010, counts, geo.districts)
        written += write_period(out_dir, earlier, rng, "2014_2018", "2_1", PRICE_LEVEL)
        written.append(write_text(out_dir / "tract_relationship_2020_2010.txt", relationship))
    written.append(write_text(out_dir / "manifest.toml",
                              manifest_text(periods, n_tracts, n_block_groups, n_districts)))
    return sorted(written)


TRACT_FIELDS = ("STATEFP", "COUNTYFP", "TRACTCE", "GEOID", "NAME", "NAMELSAD", "MTFCC")


def geojson(path: Path, frame: gpd.GeoDataFrame, fields: tuple[str, ...]) -> Path:
    """``frame``'s ``fields`` and polygons as RFC 7946 GeoJSON (lon/lat, 5 decimals)."""
    out = frame.assign(NAMELSAD="Census Tract " + frame["NAME"], MTFCC="G5020") if "NAME" in frame else frame
    out = out[list(fields)].set_geometry(frame.geometry.to_crs("EPSG:4326").set_precision(1e-5))
    path.unlink(missing_ok=True)
    out.to_file(path, driver="GeoJSON", engine="pyogrio", layer=path.stem,
                layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "5"})
    return path


def write_period(out_dir: Path, geo: Geography, rng: np.random.Generator, years: str,
                 ejscreen: str, price_level: float = 1.0) -> list[Path]:
    """One period's ACS (block groups), EJScreen (block groups), PLACES and land cover (tracts)."""
    story = latent(geo.tracts, rng)
    if ejscreen == "2_1":  # before the trucks' routes moved, as in Sample City
        story["diesel_pm"] = story["diesel_pm"] + 0.32 * story["highway"]
    bgs = block_group_table(geo.tracts, story, geo.block_groups, rng)
    cells = acs_cells(bgs, rng, price_level)
    tract_pop = np.bincount(np.repeat(np.arange(len(geo.tracts)), geo.block_groups), bgs["population"])
    files = [write_text(out_dir / f"acs_5yr_{years}_blockgroups.json", acs_json(bgs, cells, rng)),
             write_text(out_dir / f"ejscreen_{ejscreen}_blockgroups.csv", ejscreen_csv(bgs, cells, rng))]
    if ejscreen == "2_3":
        files.append(write_text(out_dir / "places_2024_tracts.csv",
                                places_csv(geo.tracts, story, tract_pop, rng)))
        files.append(write_text(out_dir / "land_cover_tracts.csv", land_cover_csv(geo.tracts, story)))
    return files


def acs_json(bgs: pd.DataFrame, cells: dict[str, np.ndarray], rng: np.random.Generator) -> str:
    """Census Data API JSON for block groups: a header row, then one row of strings each.

    The rows are written by the CSV writer, every field quoted and each line closed by ``],``
    and opened by ``[``: the JSON array of strings the API returns, without 50 million Python
    strings in between."""
    names = sorted(cells)
    total = cells["B03002_001"]
    columns = {"NAME": "Block Group " + bgs["BLKGRP"] + "; Census Tract " + bgs["NAME"] + "; County "
               + bgs["COUNTYFP"] + "; Sample State " + bgs["STATEFP"]}
    for name in names:
        columns[f"{name}E"] = cells[name]
        columns[f"{name}M"] = acs_moe(cells[name], total, name, rng)
    columns.update({"state": bgs["STATEFP"], "county": bgs["COUNTYFP"], "tract": bgs["TRACTCE"],
                    "block group": bgs["BLKGRP"]})
    frame = pd.DataFrame(columns)
    close = "],\n["
    body = frame.to_csv(index=False, header=False, quoting=csv.QUOTE_ALL, lineterminator=close)
    header = json.dumps(list(frame.columns), separators=(",", ":"))
    return "[" + header + ",\n[" + body.removesuffix(close) + "]]\n"


#: EJScreen's environmental columns: (column, the story's column, relative jitter).
ENVIRONMENT = (
    ("PM25", "pm25", 0.01), ("OZONE", "ozone", 0.005), ("DSLPM", "diesel_pm", 0.04),
    ("PTRAF", "traffic", 0.1), ("PNPL", "superfund", 0.05), ("PRMP", "rmp", 0.05),
    ("PTSDF", "hazwaste", 0.05), ("UST", "ust", 0.08), ("PWDIS", "wastewater", 0.1),
)


def ejscreen_csv(bgs: pd.DataFrame, cells: dict[str, np.ndarray], rng: np.random.Generator) -> str:
    """EJScreen's block-group CSV: the block group's ACS counts, jittered percentages and its
    tract's environment, jittered."""
    n = len(bgs)

    def jitter(scale: float, value: object) -> np.ndarray:
        return np.clip(np.asarray(value, dtype=float) * (1 + scale * rng.normal(size=n)), 0, None)

    pop, pov, edu = cells["B03002_001"], cells["C17002_001"], cells["B15003_001"]
    hh, hu, lf = cells["B11001_001"], cells["B25001_001"], cells["B23025_003"]
    pct = (  # count column, its percentage column, base, share
        ("PEOPCOLOR", "PEOPCOLORPCT", pop, jitter(0.06, bgs["poc_share"])),
        ("LOWINCOME", "LOWINCPCT", pov, jitter(0.08, bgs["poverty_100"] * 1.45 + 0.07)),
        ("UNEMPLOYED", "UNEMPPCT", lf, jitter(0.1, bgs["unemployment"])),
        ("LINGISO", "LINGISOPCT", hh,
         jitter(0.1, cells["C16002_004"] / np.maximum(cells["C16002_001"], 1) * 1.4)),
        ("LESSHS", "LESSHSPCT", edu, jitter(0.08, bgs["less_hs"])),
        ("UNDER5", "UNDER5PCT", pop, jitter(0.1, 0.06 + 0.02 * bgs["disadvantage"])),
        ("OVER64", "OVER64PCT", pop, jitter(0.1, np.full(n, 0.14))),
        ("PRE1960", "PRE1960PCT", hu, jitter(0.08, bgs["pre1960"])),
    )
    out = pd.DataFrame({
        "ID": bgs["GEOID"], "STATE_NAME": "Sample State " + bgs["STATEFP"],
        "ST_ABBREV": "S" + bgs["STATEFP"].str[1], "CNTY_NAME": "County " + bgs["COUNTYFP"], "REGION": "6",
        "ACSTOTPOP": pop, "ACSIPOVBAS": pov, "ACSEDUCBAS": edu, "ACSTOTHH": hh, "ACSTOTHU": hu,
        "ACSUNEMPBAS": lf,
    })
    for count, percent, base, share in pct:
        share = np.minimum(share, 1.0)
        out[count], out[percent] = np.round(base * share).astype(np.int64), share
    out["DEMOGIDX_2"] = (out["PEOPCOLORPCT"] + out["LOWINCPCT"]) / 2
    out["DEMOGIDX_5"] = (out["LOWINCPCT"] + out["UNEMPPCT"] + out["LINGISOPCT"] + out["LESSHSPCT"] + 0.2) / 5
    for name, column, scale in ENVIRONMENT:
        out[name] = jitter(scale, bgs[column])
    return out[list(EJ_COLUMNS)].to_csv(index=False, lineterminator="\n", float_format="%.6g")


def places_csv(tracts: pd.DataFrame, story: pd.DataFrame, population: np.ndarray,
               rng: np.random.Generator) -> str:
    """CDC PLACES' long tract CSV: one row per tract and measure."""
    frames = []
    county = tracts["STATEFP"] + tracts["COUNTYFP"]
    for measure, column, category, category_id, text, short in PLACES_MEASURES:
        value = story[column].round(1)
        half = (0.6 + 0.08 * value * (1.2 + 0.4 * rng.random(len(value)))).round(1)
        frames.append(pd.DataFrame({
            "Year": "2022", "StateAbbr": "S" + tracts["STATEFP"].str[1],
            "StateDesc": "Sample State " + tracts["STATEFP"], "CountyName": "County " + tracts["COUNTYFP"],
            "CountyFIPS": county, "LocationName": tracts["GEOID"], "DataSource": "BRFSS",
            "Category": category, "Measure": text, "Data_Value_Unit": "%",
            "Data_Value_Type": "Crude prevalence", "Data_Value": value,
            "Low_Confidence_Limit": (value - half).clip(lower=0), "High_Confidence_Limit": value + half,
            "TotalPopulation": population.astype(np.int64), "LocationID": tracts["GEOID"],
            "CategoryID": category_id, "MeasureId": measure, "DataValueTypeID": "CrdPrv",
            "Short_Question_Text": short,
        }))
    out = pd.concat(frames, ignore_index=True)[list(PLACES_COLUMNS)]
    return out.to_csv(index=False, lineterminator="\n", float_format="%.1f")


def land_cover_csv(tracts: pd.DataFrame, story: pd.DataFrame) -> str:
    """Tree canopy, impervious surface and summer heat per tract (a generic GEOID-keyed CSV)."""
    heat = (story["impervious"] - 40) / 11 - (story["canopy"] - 30) / 18
    out = pd.DataFrame({"GEOID": tracts["GEOID"], "canopy_pct": story["canopy"],
                        "impervious_pct": story["impervious"], "lst_anomaly_c": heat})
    return out.to_csv(index=False, lineterminator="\n", float_format="%.2f")


def certification_json(districts: pd.DataFrame) -> str:
    """Sample City's certification records, in the districts that carry its district names."""
    names = list(districts["DISTRICT"])
    ids = [re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") for name in names]
    document = certification_records(list(zip(ids, names, strict=True)),
                                     np.random.default_rng(CERTIFICATION_SEED))
    document["region"] = "Sample Nation"
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def earlier_tracts(geo: Geography, rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, np.ndarray, str]:
    """The 2010 tracts (sorted by GEOID), their block-group counts and the relationship file."""
    tracts = geo.tracts
    merged = rng.random(len(tracts)) < MERGED_SHARE
    merged[0] = True  # at least one, however small the region
    keep = tracts[~merged]
    parents = tracts[merged]
    cx = parents.geometry.centroid.x.to_numpy()
    minx, miny, maxx, maxy = parents.geometry.bounds.to_numpy().T
    halves = []
    for suffix, box in (("01", shapely.box(minx - 1, miny - 1, cx, maxy + 1)),
                        ("02", shapely.box(cx, miny - 1, maxx + 1, maxy + 1))):
        half = parents.copy()
        half["geometry"] = shapely.intersection(parents.geometry.to_numpy(), box)
        half["GEOID"] = parents["GEOID"].str[:-2] + suffix
        half["TRACTCE"] = parents["TRACTCE"].str[:-2] + suffix
        half["NAME"] = parents["NAME"] + "." + suffix
        half["PARENT"] = parents["GEOID"]
        half["x_km"] = parents["x_km"] + (half.geometry.centroid.x.to_numpy() - cx) / 1000.0
        half["BG"] = np.maximum(geo.block_groups[merged] // 2 if suffix == "01"
                                else geo.block_groups[merged] - geo.block_groups[merged] // 2, 1)
        halves.append(half)
    kept = keep.assign(PARENT=keep["GEOID"], BG=geo.block_groups[~merged])
    earlier = pd.concat([kept, *halves]).sort_values("GEOID").reset_index(drop=True)
    earlier = gpd.GeoDataFrame(earlier, geometry="geometry", crs=tracts.crs)
    area_20 = dict(zip(tracts["GEOID"], np.round(tracts.geometry.area).astype(np.int64), strict=True))
    area_10 = np.round(earlier.geometry.area).astype(np.int64)
    rows = pd.DataFrame({
        "OID_TRACT_20": "20" + earlier["PARENT"], "GEOID_TRACT_20": earlier["PARENT"],
        "NAMELSAD_TRACT_20": "Census Tract " + earlier["PARENT"].map(dict(zip(tracts["GEOID"], tracts["NAME"],
                                                                              strict=True))),
        "AREALAND_TRACT_20": earlier["PARENT"].map(area_20), "AREAWATER_TRACT_20": 0,
        "MTFCC_TRACT_20": "G5020", "FUNCSTAT_TRACT_20": "S",
        "OID_TRACT_10": "10" + earlier["GEOID"], "GEOID_TRACT_10": earlier["GEOID"],
        "NAMELSAD_TRACT_10": "Census Tract " + earlier["NAME"], "AREALAND_TRACT_10": area_10,
        "AREAWATER_TRACT_10": 0, "MTFCC_TRACT_10": "G5020", "FUNCSTAT_TRACT_10": "S",
        "AREALAND_PART": area_10, "AREAWATER_PART": 0,
    }).sort_values(["GEOID_TRACT_20", "GEOID_TRACT_10"])
    relationship = rows[list(RELATIONSHIP_COLUMNS)].to_csv(index=False, sep="|", lineterminator="\n")
    counts = earlier["BG"].to_numpy()
    return earlier.drop(columns=["PARENT", "BG"]), counts, relationship


def manifest_text(periods: int, n_tracts: int, n_block_groups: int, n_districts: int) -> str:
    """The region's ``manifest.toml``: Sample City's layout (units, census, environment,
    districts, certification, then the earlier period's layers), without the 1938 map."""
    current = '\nperiod = "2019-2023"' if periods == 2 else ""
    licence = f'publisher = "{FICTIONAL}"\nlicence = "CC0"\n'
    text = f'''# Sample Nation: a synthetic national-size region in the real public formats ({FICTIONAL}).
# Written by `python -m indicators sample OUT --tracts {n_tracts} --block-groups {n_block_groups} \
--districts {n_districts} --periods {periods}`; do not edit by hand.

[region]
name = "Sample Nation"
sample = true
place_label = "Sample Nation"
description = "A fictional nation-size region for measuring the dashboard at scale."
'''
    layers = [
        ("units", current, "tracts.geojson", 'key = "GEOID"\nlevel = "tract"\n', "Census tracts",
         "2020 tract definitions (fictional)"),
        ("census", current, "acs_5yr_2019_2023_blockgroups.json", 'profile = "acs"\n',
         "American Community Survey 5-year estimates (block groups)", "ACS 2019-2023 (fictional)"),
        ("environment", current, "ejscreen_2_3_blockgroups.csv", 'profile = "ejscreen"\n',
         "EJScreen 2.3 environmental indicators (block groups)", "EJScreen 2.3, 2024 (fictional)"),
        ("environment", current, "places_2024_tracts.csv", 'profile = "cdc_places"\n',
         "CDC PLACES health estimates", "PLACES 2024 release, BRFSS 2022 (fictional)"),
        ("environment", current, "land_cover_tracts.csv", 'profile = "generic"\nkey = "GEOID"\n',
         "Tree canopy, impervious surface and summer heat", "2021 land cover (fictional)"),
        ("districts", "", "districts.geojson", 'name = "DISTRICT"\n', "Just Communities districts",
         "2024 (fictional)"),
        ("certification", "", "certification.json", "",
         "Certification records: projects, reviews, targets and practitioners",
         "Records to 1 November 2026 (fictional)"),
    ]
    if periods == 2:
        earlier = '\nperiod = "2014-2018"'
        layers += [
            ("units", earlier, "tracts_2010.geojson", 'key = "GEOID"\nlevel = "tract"\n',
             "Census tracts (2010 definitions)", "2010 tract definitions (fictional)"),
            ("census", earlier, "acs_5yr_2014_2018_blockgroups.json", 'profile = "acs"\n',
             "American Community Survey 5-year estimates (block groups)", "ACS 2014-2018 (fictional)"),
            ("environment", earlier, "ejscreen_2_1_blockgroups.csv", 'profile = "ejscreen"\n',
             "EJScreen 2.1 environmental indicators (block groups)", "EJScreen 2.1, 2022 (fictional)"),
            ("relationship", "", "tract_relationship_2020_2010.txt", "",
             "Census tract relationship file, 2020 to 2010 tracts",
             "2020 tract relationship file (fictional)"),
        ]
    for role, period, path, keys, title, vintage in layers:
        text += (f'\n[[layer]]\nrole = "{role}"{period}\npath = "{path}"\n{keys}title = "{title}"\n'
                 f'vintage = "{vintage}"\n{licence}')
        if path == "land_cover_tracts.csv":
            text += ('\n[layer.columns]\ntree_canopy_pct = "canopy_pct"\nimpervious_pct = "impervious_pct"\n'
                     'heat_anomaly = "lst_anomaly_c"\n')
    return text

