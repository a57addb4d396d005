"""Sample City's earlier period, 2014-2018: the same city on its 2010 tracts, a little before
the changes a user can follow on the dashboard.

What is written (:func:`write_earlier`), each in the format of its real counterpart:

- ``tracts_2010.geojson``: the 2010 tracts. Most are the 2020 tracts unchanged (same GEOID,
  same boundary), with two changes between the censuses: one 2010 tract in the gentrifying ring
  (:data:`SPLIT_TRACT_2010`) grew and was **split** into two 2020 tracts
  (:data:`SPLIT_HALVES_2020`), and two 2010 tracts near the industrial edge
  (:data:`MERGED_HALVES_2010`) lost people and were **merged** into one 2020 tract
  (:data:`MERGED_TRACT_2020`);
- ``acs_5yr_2014_2018_tracts.json``: ACS 2014-2018 on those tracts, in 2018 dollars, where
  the **ring had not yet gentrified**: lower incomes, rents and home values (net of inflation),
  fewer bachelor's degrees, more poverty and a clearly larger Black (and people-of-colour)
  share than in 2019-2023; elsewhere the city was much as it is now, a few per cent smaller;
- ``ejscreen_2_1_blockgroups.csv``: EJScreen 2.1 block groups of the 2010 tracts, from before
  the truck route moved off the interstate: diesel particulate matter was higher along the
  corridor (in proportion to ``highway``), other indicators about as now;
- ``tract_relationship_2020_2010.txt``: the Census Bureau's 2020-to-2010 tract relationship
  file, from the intersections of the two sets of tracts in an equal-area projection
  (EPSG:5070, CONUS Albers).

Everything is drawn from this module's own generator (:data:`EARLIER_SEED`), after and apart
from the main one, so that the current period's files never change because of this one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon

from indicators.sample.acs import acs_cells, census_api_json
from indicators.sample.city import City
from indicators.sample.formats import (
    assign_geoids,
    csv_text,
    ejscreen_csv,
    geojson,
    projector,
    tract_properties,
    write_text,
)

#: Seed of the earlier period's own generator (the main one is never touched here).
EARLIER_SEED = 20_180_601
#: The 2010 tract that the 2020 census split in two: the ring's densest corner, north-west of
#: downtown. Its two 2020 halves keep the numbers the 2020 numbering gave them, so the 2010
#: tract takes a code just past Central County's 2020 range (0101-0258), a retired number.
SPLIT_TRACT_2010 = "99001026000"
SPLIT_HALVES_2020 = ("99001014400", "99001014500")
#: The 2020 tract made of two 2010 tracts near the industrial edge (Census convention: the
#: merged tract takes the base code ``.00`` of its parts ``.01`` and ``.02``).
MERGED_TRACT_2020 = "99003052800"
MERGED_HALVES_2010 = ("99003052801", "99003052802")
#: The 2014-2018 file's dollars are 2018 dollars: R-CPI-U-RS 2018 over 2023 (the annual averages
#: :mod:`indicators.metrics.dollars` converts back with), so that, net of inflation, incomes and
#: rents change only where the story says.
PRICE_LEVEL = 369.8 / 449.3
#: How much bigger the city is in 2019-2023 than in 2014-2018.
GROWTH = 1.04
#: How many more people the merged tract's two halves had, together, in 2014-2018 than the
#: city's growth alone would give: the industrial edge was losing homes, hence the merge.
MERGED_DECLINE = 1.2
#: Diesel PM (ug/m3) the trucks added along the corridor before the route moved, per unit of
#: ``highway`` (1 on the interstate, falling off over about 700 m).
TRUCK_DIESEL_PM = 0.32
#: How much lower (income: relatively; shares: in points) the ring's rates were in 2014-2018
#: where the ring is strongest, and how much larger its people-of-colour and Black shares.
RING_CHANGE = {"income": 0.32, "bachelors": 0.19, "poc": 0.18, "black_of_poc": 0.17}

EQUAL_AREA_CRS = "EPSG:5070"
RELATIONSHIP_COLUMNS = (
    "OID_TRACT_20", "GEOID_TRACT_20", "NAMELSAD_TRACT_20", "AREALAND_TRACT_20",
    "AREAWATER_TRACT_20", "MTFCC_TRACT_20", "FUNCSTAT_TRACT_20", "OID_TRACT_10",
    "GEOID_TRACT_10", "NAMELSAD_TRACT_10", "AREALAND_TRACT_10", "AREAWATER_TRACT_10",
    "MTFCC_TRACT_10", "FUNCSTAT_TRACT_10", "AREALAND_PART", "AREAWATER_PART",
)
Shapes = dict[str, shapely.Geometry]


def write_earlier(out_dir: Path, city: City, tracts: pd.DataFrame, to_lonlat: Transformer) -> list[Path]:
    """Write the 2014-2018 files (see the module docstring) into ``out_dir``; returns their paths.

    Parameters
    ----------
    city, tracts : City, pandas.DataFrame
        The city and its :func:`~indicators.sample.city.tract_table`, as the current period's
        files were written from.
    to_lonlat : pyproj.Transformer
        Local metres to longitude/latitude, as for the current files.
    """
    rng = np.random.default_rng(EARLIER_SEED)
    current = assign_geoids(tracts)
    project = projector(to_lonlat)
    shapes = {row.GEOID: project(city.tracts[row.Index]) for row in current.itertuples()}
    table, earlier_shapes = earlier_tracts(current, shapes, to_lonlat, rng)
    table = story_of_change(table, rng)
    cells = acs_cells(table, rng, PRICE_LEVEL)
    return [
        geojson(out_dir / "tracts_2010.geojson", "tracts_2010",
                [(tract_properties(row), earlier_shapes[row.GEOID]) for row in table.itertuples()]),
        write_text(out_dir / "acs_5yr_2014_2018_tracts.json", census_api_json(table, cells)),
        write_text(out_dir / "ejscreen_2_1_blockgroups.csv",
                   ejscreen_csv(earlier_environment(table, rng), cells, rng)),
        write_text(out_dir / "tract_relationship_2020_2010.txt",
                   relationship_text(current, shapes, table, earlier_shapes)),
    ]


# --------------------------------------------------------------------------------------------
# The 2010 tracts
# --------------------------------------------------------------------------------------------


def earlier_tracts(current: pd.DataFrame, shapes: Shapes, to_lonlat: Transformer,
                   rng: np.random.Generator) -> tuple[pd.DataFrame, Shapes]:
    """The 2010 tracts' attribute table (sorted by GEOID) and lon/lat shapes, before the story.

    Unchanged tracts copy their 2020 row. The split tract combines its two halves (population
    summed, everything else population-weighted); each merged half takes the 2020 tract's row
    with its share of the area (and :data:`MERGED_DECLINE`) of the people, give or take a few
    per cent.
    """
    by_geoid = current.set_index("GEOID")
    changed = {*SPLIT_HALVES_2020, MERGED_TRACT_2020}
    rows = {g: row for g, row in by_geoid.iterrows() if g not in changed}
    out = {g: shapes[g] for g in rows}

    halves = by_geoid.loc[list(SPLIT_HALVES_2020)]
    union = shapely.union(*(shapes[g] for g in SPLIT_HALVES_2020), grid_size=1e-5)
    if union.geom_type != "Polygon":
        raise ValueError(f"the split tract's 2020 halves {SPLIT_HALVES_2020} are not adjacent")
    numeric = halves.select_dtypes("number").columns
    weights = halves["population"]
    split = halves.iloc[0].copy()
    split[numeric] = halves[numeric].mul(weights, axis=0).sum() / weights.sum()
    split["population"] = weights.sum()
    split["median_income"] = round(split["median_income"], -2)
    rows[SPLIT_TRACT_2010], out[SPLIT_TRACT_2010] = _placed(split, union, to_lonlat), union

    merged = by_geoid.loc[MERGED_TRACT_2020]
    area = _equal_area(shapes[MERGED_TRACT_2020]).area
    for geoid, half in zip(MERGED_HALVES_2010, halve(shapes[MERGED_TRACT_2020]), strict=True):
        row = merged.copy()
        share = _equal_area(half).area / area
        row["population"] = round(merged["population"] * MERGED_DECLINE * share
                                  * np.exp(0.03 * rng.normal()))
        rows[geoid], out[geoid] = _placed(row, half, to_lonlat), half

    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("GEOID").reset_index()
    table["county"] = table["GEOID"].str[2:5]
    table["TRACTCE"] = table["GEOID"].str[5:]
    table["NAME"] = table["TRACTCE"].map(tract_name)
    return table.sort_values("GEOID").reset_index(drop=True), out


def halve(polygon: Polygon) -> tuple[Polygon, Polygon]:
    """Cut a (convex) tract in two along the chord between two of its vertices that shares its
    area most evenly, roughly a line through its centroid. Cutting at vertices adds none: both
    halves' outer edges are the tract's own, exactly, so they meet its neighbours exactly."""
    ring = list(polygon.exterior.coords)[:-1]
    n = len(ring)
    best: tuple[float, int, int] | None = None
    for i in range(n):
        for j in range(i + 2, n - (i == 0)):
            imbalance = abs(Polygon(ring[i:j + 1]).area - polygon.area / 2)
            if best is None or imbalance < best[0]:
                best = (imbalance, i, j)
    if best is None:
        raise ValueError("a triangle cannot be cut along a chord")
    _, i, j = best
    return Polygon(ring[i:j + 1]), Polygon(ring[j:] + ring[:i + 1])


def tract_name(tractce: str) -> str:
    """The tract's name from its six-digit code, as the Census writes it: ``052801`` is
    ``528.01``, ``014400`` is ``144``."""
    base, suffix = str(int(tractce[:4])), tractce[4:]
    return base if suffix == "00" else f"{base}.{suffix}"


def _placed(row: pd.Series, shape: shapely.Geometry, to_lonlat: Transformer) -> pd.Series:
    """``row`` moved to the centroid of ``shape`` (lon/lat) in the local kilometres."""
    row = row.copy()
    x, y = to_lonlat.transform(shape.centroid.x, shape.centroid.y, direction="INVERSE")
    row["x_km"], row["y_km"] = x / 1000.0, y / 1000.0
    row["d_centre"] = float(np.hypot(row["x_km"], row["y_km"]))
    return row


# --------------------------------------------------------------------------------------------
# The story of change
# --------------------------------------------------------------------------------------------


def story_of_change(table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The 2014-2018 rates: the 2020 story, a few per cent fewer people everywhere, small noise,
    and the gentrifying ring as it was before it gentrified: poorer, less schooled, more Black,
    cheaper. The change follows ``ring`` squared (near 1 about 2.8 km west and north-east of
    downtown, fading within a kilometre), so that it stays in the districts the ring dominates
    rather than spreading thinly along its fringe."""
    t = table.copy()
    n = len(t)
    ring = t["ring"].to_numpy()
    g = ring**2
    e = rng.normal(0, 1, (n, 10))
    t["population"] = np.maximum(np.round(t["population"] / GROWTH * np.exp(0.02 * e[:, 0])), 0)
    t["median_income"] = np.round(np.clip(
        t["median_income"] * (1 - RING_CHANGE["income"] * g) * np.exp(0.03 * e[:, 1]), 14_000, 240_000), -2)
    t["bachelors"] = np.clip(t["bachelors"] - RING_CHANGE["bachelors"] * g + 0.008 * e[:, 2], 0.04, 0.9)
    t["poc_share"] = np.clip(t["poc_share"] + RING_CHANGE["poc"] * g + 0.008 * e[:, 3], 0.03, 0.97)
    t["black_of_poc"] = np.clip(t["black_of_poc"] + RING_CHANGE["black_of_poc"] * g + 0.015 * e[:, 4],
                                0.1, 0.95)
    t["poverty_100"] = np.clip(t["poverty_100"] + 0.05 * g + 0.005 * e[:, 5], 0.01, 0.6)
    t["less_hs"] = np.clip(t["less_hs"] + 0.02 * g + 0.004 * e[:, 6], 0.005, 0.45)
    t["unemployment"] = np.clip(t["unemployment"] + 0.012 * g + 0.003 * e[:, 7], 0.01, 0.3)
    t["renter_share"] = np.clip(t["renter_share"] + 0.008 * e[:, 8], 0.05, 0.95)
    t["burden30"] = np.clip(t["burden30"] + 0.008 * e[:, 9], 0.12, 0.8)
    t["disadvantage"] = np.clip(t["disadvantage"] + 0.08 * g, 0.0, 1.0)
    # Rents and home values had not yet taken on most of the ring's premium (acs_cells adds it).
    t["ring"] = ring - 0.6 * g
    return t


def earlier_environment(table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """EJScreen 2.1's environment: diesel PM higher along the corridor, where the trucks ran
    before their route moved; every other indicator within a few per cent of today's."""
    t = table.copy()
    e = rng.normal(0, 1, (len(t), 9))
    t["diesel_pm"] = np.clip(t["diesel_pm"] + TRUCK_DIESEL_PM * t["highway"] + 0.01 * e[:, 0], 0.03, 2.0)
    for k, column in enumerate(("pm25", "ozone", "traffic", "hazwaste", "superfund", "rmp",
                                "wastewater", "ust"), start=1):
        t[column] = t[column] * np.exp(0.02 * e[:, k])
    return t


# --------------------------------------------------------------------------------------------
# The relationship file
# --------------------------------------------------------------------------------------------


def relationship_text(current: pd.DataFrame, shapes: Shapes, earlier: pd.DataFrame,
                      earlier_shapes: Shapes) -> str:
    """The Census Bureau's 2020-to-2010 tract relationship file (pipe-delimited): one row per
    2020 tract and 2010 tract sharing at least 1 m2 of land, areas in whole square metres in
    EPSG:5070, sorted by the 2020 then the 2010 GEOID. Sample City has no water."""
    names = dict(zip(current["GEOID"], current["NAME"], strict=True))
    names_10 = dict(zip(earlier["GEOID"], earlier["NAME"], strict=True))
    new = {g: _equal_area(shapes[g]) for g in sorted(shapes)}
    old = {g: _equal_area(earlier_shapes[g]) for g in sorted(earlier_shapes)}
    old_ids = list(old)
    tree = shapely.STRtree([old[g] for g in old_ids])
    rows = []
    for g20, shape in new.items():
        for k in sorted(tree.query(shape, predicate="intersects")):
            g10 = old_ids[k]
            part = round(shape.intersection(old[g10]).area)
            if part < 1:
                continue
            rows.append({
                "OID_TRACT_20": f"20{g20}", "GEOID_TRACT_20": g20,
                "NAMELSAD_TRACT_20": f"Census Tract {names[g20]}",
                "AREALAND_TRACT_20": str(round(shape.area)), "AREAWATER_TRACT_20": "0",
                "MTFCC_TRACT_20": "G5020", "FUNCSTAT_TRACT_20": "S",
                "OID_TRACT_10": f"10{g10}", "GEOID_TRACT_10": g10,
                "NAMELSAD_TRACT_10": f"Census Tract {names_10[g10]}",
                "AREALAND_TRACT_10": str(round(old[g10].area)), "AREAWATER_TRACT_10": "0",
                "MTFCC_TRACT_10": "G5020", "FUNCSTAT_TRACT_10": "S",
                "AREALAND_PART": str(part), "AREAWATER_PART": "0",
            })
    rows.sort(key=lambda r: (r["GEOID_TRACT_20"], r["GEOID_TRACT_10"]))
    return csv_text(RELATIONSHIP_COLUMNS, rows, delimiter="|")


_TO_EQUAL_AREA = Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def _equal_area(shape: shapely.Geometry) -> shapely.Geometry:
    """A lon/lat shape in metres of the equal-area projection."""
    return shapely.transform(shape, lambda xy: np.column_stack(_TO_EQUAL_AREA.transform(*xy.T)))
