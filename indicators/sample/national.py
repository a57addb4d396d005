"""A synthetic national-size region in Sample City's formats, for measuring the build at scale:
its geography and the story behind its numbers.

``python -m indicators sample OUT --tracts 85000 --block-groups 240000 --districts 2000``
(:func:`indicators.sample.national_files.write_national`) writes as many tracts, block groups
and districts as the United States has, in the same real formats and manifest layout as
Sample City (:mod:`indicators.sample`):
tracts and districts as GeoJSON, the ACS as Census Data API JSON **for block groups** (the
build rolls them up to tracts, :mod:`indicators.ingest.rollup`), EJScreen's block-group CSV,
CDC PLACES and a land-cover CSV for tracts, certification records and, with ``--periods 2``, an
earlier period on 2010 tracts tied by a Census tract relationship file
(:mod:`indicators.sample.national_files`).

The geography is fast rather than faithful: Voronoi cells of a jittered square grid of points,
2 km apart, in EPSG:5070 (CONUS Albers), over the Gulf of Mexico so that it can never be taken
for a real place. Tracts are numbered in counties of :data:`COUNTY_TRACTS` and states of
fictional codes (:data:`STATES`), so every GEOID is a valid 11-digit tract code and every block
group (1 to 9 per tract, each tract's codes ``1``, ``2``...) a valid 12-digit one nested in its
tract. Values follow a smooth "disadvantage" field plus noise, drawn by seeded vectorised
generators, and go through Sample City's ACS cell model (:func:`indicators.sample.acs.acs_cells`)
so that tables add up and margins of error look like the ACS's.

>>> geo = national_geography(30, 70, 3)
>>> len(geo.tracts), len(geo.districts), int(geo.block_groups.sum())
(30, 3, 70)
>>> geo.tracts["GEOID"].str.len().unique().tolist()
[11]
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

SEED = 20_261_201
#: Fictional state codes (the Census Bureau uses none of them for a state).
STATES = ("90", "91", "92", "93", "94", "96", "97", "98", "99")
#: Tracts per county (a county's codes run 0101.00, 0102.00...).
COUNTY_TRACTS = 100
SPACING_M = 2_000.0
CENTRE_LONLAT = (-89.0, 25.5)
EQUAL_AREA_CRS = "EPSG:5070"


@dataclass(frozen=True)
class Geography:
    """Tracts (``GEOID``, ``STATEFP``, ``COUNTYFP``, ``TRACTCE``, ``NAME``, ``x_km``, ``y_km``,
    polygons in EPSG:5070, sorted by GEOID), block groups per tract (aligned with ``tracts``)
    and districts (``DISTRICT``, ``DIST_NUM``, polygons in EPSG:5070)."""

    tracts: gpd.GeoDataFrame
    block_groups: np.ndarray
    districts: gpd.GeoDataFrame


def national_geography(n_tracts: int, n_block_groups: int, n_districts: int,
                       seed: int = SEED) -> Geography:
    """Voronoi tracts of a jittered grid, districts of random seeds, block-group counts.

    Raises
    ------
    ValueError
        If there are fewer block groups than tracts, more than 9 a tract, or no district.
    """
    if not n_tracts <= n_block_groups <= 9 * n_tracts:
        raise ValueError("block groups must number between 1 and 9 times the tracts")
    if n_districts < 1:
        raise ValueError("a region needs at least one district")
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_tracts)))
    x0, y0 = Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True).transform(*CENTRE_LONLAT)
    x0, y0 = round(x0 - side * SPACING_M / 2, -3), round(y0 - side * SPACING_M / 2, -3)
    col, row = np.arange(n_tracts) % side, np.arange(n_tracts) // side
    points = np.c_[x0 + col * SPACING_M, y0 + row * SPACING_M] + rng.uniform(-600, 600, (n_tracts, 2))
    top = y0 + (row.max() + 1) * SPACING_M
    extent = shapely.box(x0 - SPACING_M, y0 - SPACING_M, x0 + side * SPACING_M, top)
    cells = _voronoi(points, extent)
    state_of = np.minimum(col * len(STATES) // side, len(STATES) - 1)
    order = np.lexsort((col, row, state_of))  # numbered west to east, south to north, by state
    rank = np.empty(n_tracts, dtype=np.int64)
    starts = np.searchsorted(state_of[order], np.arange(len(STATES)))
    rank[order] = np.arange(n_tracts) - starts[state_of[order]]
    county = 2 * (rank // COUNTY_TRACTS) + 1
    number = 101 + rank % COUNTY_TRACTS
    statefp = np.array(STATES)[state_of]
    countyfp = pd.Series(county).astype(str).str.zfill(3).to_numpy()
    tractce = pd.Series(number * 100).astype(str).str.zfill(6).to_numpy()
    tracts = gpd.GeoDataFrame({
        "GEOID": pd.Series(statefp) + countyfp + tractce, "STATEFP": statefp, "COUNTYFP": countyfp,
        "TRACTCE": tractce, "NAME": pd.Series(number).astype(str),
        "x_km": (points[:, 0] - x0) / 1000.0, "y_km": (points[:, 1] - y0) / 1000.0,
    }, geometry=cells, crs=EQUAL_AREA_CRS).sort_values("GEOID").reset_index(drop=True)
    extra = rng.multinomial(n_block_groups - n_tracts, np.full(n_tracts, 1.0 / n_tracts))
    block_groups = np.minimum(1 + extra, 9)
    short = n_block_groups - int(block_groups.sum())  # the few draws over 9 go to the smallest
    if short:
        room = np.argsort(block_groups, kind="stable")[:short]
        block_groups[room] += 1
    seeds = np.c_[rng.uniform(extent.bounds[0], extent.bounds[2], n_districts),
                  rng.uniform(extent.bounds[1], extent.bounds[3], n_districts)]
    districts = gpd.GeoDataFrame({
        "DISTRICT": district_names(n_districts), "DIST_NUM": np.arange(1, n_districts + 1),
    }, geometry=_voronoi(seeds, extent), crs=EQUAL_AREA_CRS)
    return Geography(tracts, block_groups, districts)


def district_names(n: int) -> list[str]:
    """Sample City's ten district names first (its certification records sit in them), then
    ``District 0011``...

    >>> district_names(12)[-3:]
    ['Cedar Park', 'District 0011', 'District 0012']
    """
    first = ("Downtown", "Westside", "Northgate", "Riverside", "Eastport", "Southview", "Mill Creek",
             "Oak Hill", "Lakeshore", "Cedar Park")
    return [*first[:n], *(f"District {i:04d}" for i in range(len(first) + 1, n + 1))]


def _voronoi(points: np.ndarray, extent: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of ``points`` in their order, clipped to ``extent`` (vectorised)."""
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=extent, ordered=True)
    return shapely.intersection(shapely.get_parts(cells), extent)


def latent(tracts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Each tract's story: a smooth disadvantage field (waves across the map) with noise, and
    the rates and environment that follow it, in the columns Sample City's ACS model reads."""
    x, y = tracts["x_km"].to_numpy(), tracts["y_km"].to_numpy()
    n = len(x)
    e = rng.normal(0, 1, (n, 16))
    field = 0.5 + 0.18 * np.sin(x / 37.0) * np.cos(y / 53.0) + 0.12 * np.sin((x + y) / 19.0)
    d = np.clip(field + 0.10 * e[:, 0], 0.0, 1.0)
    urban = np.clip(0.5 + 0.5 * np.cos(x / 23.0) * np.cos(y / 29.0), 0, 1)
    affluent = np.clip(1 - d - 0.2 + 0.1 * e[:, 1], 0, 1)
    return pd.DataFrame({
        "disadvantage": d, "affluent": affluent, "ring": np.clip(0.2 * e[:, 2], 0, 1),
        "d_centre": 8.0 * (1 - urban), "highway": np.clip(0.3 * urban + 0.2 * e[:, 3], 0, 1),
        "industrial": np.clip(0.2 * d + 0.15 * e[:, 4], 0, 1),
        "poc_share": np.clip(0.10 + 0.75 * d + 0.06 * e[:, 5], 0.03, 0.97),
        "black_of_poc": np.clip(0.45 + 0.2 * e[:, 6], 0.05, 0.95),
        "hispanic_of_poc": np.clip(0.3 + 0.15 * e[:, 7], 0.03, 0.8),
        "poverty_100": np.clip(0.04 + 0.30 * d + 0.03 * e[:, 8], 0.01, 0.6),
        "median_income": np.round(np.clip((22_000 + 110_000 * (1 - d) ** 1.5) * np.exp(0.1 * e[:, 9]),
                                          14_000, 240_000), -2),
        "renter_share": np.clip(0.22 + 0.42 * d + 0.2 * urban + 0.05 * e[:, 10], 0.05, 0.95),
        "burden30": np.clip(0.34 + 0.26 * d + 0.04 * e[:, 11], 0.12, 0.8),
        "bachelors": np.clip(0.10 + 0.62 * (1 - d) + 0.04 * e[:, 12], 0.04, 0.9),
        "less_hs": np.clip(0.03 + 0.24 * d + 0.03 * e[:, 13], 0.005, 0.45),
        "unemployment": np.clip(0.025 + 0.11 * d + 0.015 * e[:, 14], 0.01, 0.3),
        "no_vehicle": np.clip(0.02 + 0.22 * d * urban, 0.0, 0.6),
        "no_internet": np.clip(0.04 + 0.24 * d + 0.02 * e[:, 15], 0.01, 0.5),
        "uninsured": np.clip(0.04 + 0.15 * d, 0.02, 0.4),
        "pre1960": np.clip(0.06 + 0.5 * urban + 0.05 * e[:, 0], 0.0, 0.9),
        "canopy": np.clip(16 + 40 * affluent - 10 * urban + 3 * e[:, 1], 3, 78),
        "impervious": np.clip(15 + 50 * urban + 3 * e[:, 2], 4, 95),
        "pm25": 7.4 + 1.6 * urban + 0.5 * d + 0.1 * e[:, 3],
        "ozone": 61.0 + 0.4 * e[:, 4],
        "diesel_pm": np.clip(0.12 + 0.3 * urban + 0.02 * e[:, 5], 0.03, 1.5),
        "traffic": np.clip(40 + 900 * urban + 30 * e[:, 6], 2, None),
        "hazwaste": np.clip(0.08 + 2 * d * urban + 0.05 * e[:, 7], 0.0, None),
        "superfund": np.clip(0.03 + 0.1 * d + 0.02 * e[:, 8], 0, None),
        "rmp": np.clip(0.15 + 0.8 * d + 0.05 * e[:, 9], 0.0, None),
        "wastewater": np.round(np.exp(-3 + 0.6 * e[:, 10]), 4),
        "ust": np.clip(0.8 + 5 * urban + 0.5 * e[:, 11], 0.0, None),
        "asthma": 8.2 + 3.4 * d + 0.3 * e[:, 12], "diabetes": 7.5 + 9.0 * d + 0.4 * e[:, 13],
        "chd": 4.0 + 3.6 * d + 0.3 * e[:, 14], "obesity": 27.0 + 14.0 * d + 0.8 * e[:, 15],
        "uninsured_adults": 125 * np.clip(0.04 + 0.15 * d, 0.02, 0.4),
    })


def block_group_table(tracts: pd.DataFrame, story: pd.DataFrame, counts: np.ndarray,
                      rng: np.random.Generator) -> pd.DataFrame:
    """One row per block group (``counts`` a tract, in tract order): its GEOID and codes, the
    tract's story jittered, and its share of the tract's people (tracts hold 1,200 to 8,000)."""
    tract = np.repeat(np.arange(len(tracts)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    bg = np.arange(len(tract)) - first + 1
    share = rng.gamma(5.0, size=len(tract))
    share = share / np.bincount(tract, share)[tract]
    people = rng.uniform(1_200, 8_000, len(tracts))[tract]
    table = story.iloc[tract].reset_index(drop=True)
    for column in ("disadvantage", "poc_share", "poverty_100", "bachelors", "renter_share"):
        table[column] = np.clip(table[column] * np.exp(0.05 * rng.normal(size=len(tract))), 0.005, 0.97)
    table["disadvantage"] = table["disadvantage"].clip(upper=1.0)
    table["population"] = np.maximum(np.round(people * share), 0)
    codes = tracts[["GEOID", "STATEFP", "COUNTYFP", "TRACTCE", "NAME"]].iloc[tract].reset_index(drop=True)
    table["BLKGRP"] = pd.Series(bg).astype(str)
    table["TRACT_GEOID"] = codes["GEOID"]
    table["GEOID"] = codes["GEOID"] + table["BLKGRP"]
    for column in ("STATEFP", "COUNTYFP", "TRACTCE", "NAME"):
        table[column] = codes[column]
    return table
