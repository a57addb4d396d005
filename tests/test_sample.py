"""Sample City: the generator reproduces the committed files, and the data tell their story."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from indicators.sample import write_sample
from tests.conftest import PROJECT

COMMITTED = PROJECT / "data" / "sample"


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path: Path):
    written = write_sample(tmp_path / "sample")
    names = sorted(p.name for p in written)
    committed = sorted(p.name for p in COMMITTED.iterdir() if p.is_file())
    assert names == committed
    for path in written:
        assert path.read_bytes() == (COMMITTED / path.name).read_bytes(), (
            f"{path.name} differs: run `python -m indicators sample data/sample` and commit"
        )


LATEST = "2019-2023"


def unit_values(db: Path, period: str = LATEST) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        values = con.execute("SELECT geoid, variable, estimate FROM unit_estimates WHERE period = ?",
                             [period]).df()
    return values.pivot(index="geoid", columns="variable", values="estimate")


def test_sample_builds_with_every_layer(sample_db: Path):
    with duckdb.connect(str(sample_db), read_only=True) as con:
        layers = con.execute(
            "SELECT role, profile, rows, rows_loaded FROM layers ORDER BY layer_id").fetchall()
        units = con.execute("SELECT count(*), min(geoid), max(geoid) FROM units WHERE period = ?",
                            [LATEST]).fetchone()
        earlier = con.execute("SELECT count(*) FROM units WHERE period = '2014-2018'").fetchone()[0]
        districts = con.execute("SELECT count(*) FROM districts").fetchone()[0]
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    assert [r[:2] for r in layers] == [
        ("units", ""), ("census", "acs"), ("environment", "ejscreen"),
        ("environment", "cdc_places"), ("environment", "generic"), ("districts", ""),
        ("overlay", "holc"), ("certification", ""), ("units", ""), ("census", "acs"),
        ("environment", "ejscreen"), ("relationship", ""),
    ]
    assert units[0] == 210 and units[1].startswith("99") and len(units[1]) == 11
    assert earlier == units[0]  # one tract split, two merged: as many tracts in each period
    assert meta["periods"] == '["2014-2018", "2019-2023"]'
    assert districts == 10
    assert meta["sample"] == "true"
    ejscreen = layers[2]
    assert ejscreen[2] > ejscreen[3] == units[0]  # block groups rolled up to every tract


def test_sample_tells_its_story(sample_db: Path):
    import geopandas as gpd

    from indicators.store import database as store

    with duckdb.connect(str(sample_db), read_only=True) as con:
        units = store.read_geo(con, "units", "geoid", "WHERE period = ?", [LATEST])
        holc = store.read_geo(con, "overlays", "category")
    values = unit_values(sample_db)
    units = units.to_crs("EPSG:5070")
    holc = holc.to_crs("EPSG:5070")
    d_area = gpd.overlay(units, holc[holc.category == "D"], how="intersection")
    share_d = (d_area.assign(a=d_area.area).groupby("geoid")["a"].sum()
               / units.set_index("geoid").area).fillna(0)
    v = values.assign(share_d=share_d)
    redlined = v[v.share_d > 0.5]
    elsewhere = v[v.share_d == 0]
    assert len(redlined) == 42  # of 210 tracts, more than half inside grade D zones
    poc = lambda f: f.pop_poc.sum() / f.pop_total.sum()  # noqa: E731
    assert poc(redlined) > poc(elsewhere) + 0.2
    assert redlined.tree_canopy_pct.mean() < elsewhere.tree_canopy_pct.mean() - 8
    # Along the interstate the air is worse.
    near_road = v[v.traffic_proximity > v.traffic_proximity.quantile(0.9)]
    assert near_road.diesel_pm.mean() > 1.5 * v.diesel_pm.median()
    # Suppressed medians are missing values, never the sentinel.
    assert v.median_hh_income_black.isna().any()
    assert (v.median_hh_income_black.dropna() > 0).all()


@pytest.mark.parametrize("column", ["pop_total", "households", "edu_universe"])
def test_sample_estimates_carry_margins_of_error(sample_db: Path, column: str):
    with duckdb.connect(str(sample_db), read_only=True) as con:
        n, with_moe = con.execute(
            "SELECT count(*), count(moe) FROM unit_estimates WHERE variable = ?", [column]
        ).fetchone()
    assert n > 0 and with_moe == n


# --------------------------------------------------------------------------------------------
# The earlier period (2014-2018 on the 2010 tracts): file-level facts
# --------------------------------------------------------------------------------------------


def tracts_of(name: str):  # noqa: ANN201 (a GeoDataFrame)
    import geopandas as gpd

    return gpd.read_file(COMMITTED / name).to_crs("EPSG:5070").set_index("GEOID")


def acs_counts(name: str) -> pd.DataFrame:
    """A Census Data API JSON file's cells as numbers, indexed by GEOID."""
    import json

    header, *rows = json.loads((COMMITTED / name).read_text())
    frame = pd.DataFrame(rows, columns=header)
    frame.index = frame["state"] + frame["county"] + frame["tract"]
    return frame.drop(columns=["NAME", "state", "county", "tract"]).astype(float)


def relationship() -> pd.DataFrame:
    from indicators.ingest.files import read_table

    frame = read_table(COMMITTED / "tract_relationship_2020_2010.txt").frame
    for column in ("AREALAND_PART", "AREALAND_TRACT_10", "AREALAND_TRACT_20"):
        frame[column] = frame[column].astype(int)
    return frame


def test_the_split_tract_is_the_union_of_its_two_2020_halves():
    from indicators.sample.earlier import SPLIT_HALVES_2020, SPLIT_TRACT_2010

    now, then = tracts_of("tracts.geojson"), tracts_of("tracts_2010.geojson")
    union = now.loc[list(SPLIT_HALVES_2020)].union_all()
    split = then.loc[SPLIT_TRACT_2010].geometry
    assert SPLIT_TRACT_2010 not in now.index and not set(SPLIT_HALVES_2020) & set(then.index)
    assert split.area == pytest.approx(union.area, rel=1e-3)
    assert union.symmetric_difference(split).area < 1e-3 * split.area


def test_the_merged_pair_is_the_2020_tract():
    from indicators.sample.earlier import MERGED_HALVES_2010, MERGED_TRACT_2020

    now, then = tracts_of("tracts.geojson"), tracts_of("tracts_2010.geojson")
    union = then.loc[list(MERGED_HALVES_2010)].union_all()
    merged = now.loc[MERGED_TRACT_2020].geometry
    assert MERGED_TRACT_2020 not in then.index and not set(MERGED_HALVES_2010) & set(now.index)
    assert union.area == pytest.approx(merged.area, rel=1e-3)
    assert union.symmetric_difference(merged).area < 1e-3 * merged.area
    assert then.loc[list(MERGED_HALVES_2010), "NAMELSAD"].str.fullmatch(r"Census Tract 528\.0[12]").all()


def test_the_relationship_file_accounts_for_every_2010_tract():
    pairs = relationship()
    then = tracts_of("tracts_2010.geojson")
    now = tracts_of("tracts.geojson")
    assert set(pairs["GEOID_TRACT_10"]) == set(then.index)
    assert set(pairs["GEOID_TRACT_20"]) == set(now.index)
    by_old = pairs.groupby("GEOID_TRACT_10").agg(part=("AREALAND_PART", "sum"),
                                                 whole=("AREALAND_TRACT_10", "first"))
    assert ((by_old["part"] - by_old["whole"]).abs() <= 0.005 * by_old["whole"]).all()
    keys = list(zip(pairs["GEOID_TRACT_20"], pairs["GEOID_TRACT_10"], strict=True))
    assert keys == sorted(keys)
    assert (pairs[["AREAWATER_PART", "MTFCC_TRACT_10", "FUNCSTAT_TRACT_20"]].values
            == ["0", "G5020", "S"]).all()


def test_unchanged_tracts_map_one_to_one():
    pairs = relationship()
    unchanged = pairs[pairs["GEOID_TRACT_20"] == pairs["GEOID_TRACT_10"]]
    assert len(unchanged) == len(pairs) - 4  # the split's two rows and the merge's two
    assert not unchanged["GEOID_TRACT_10"].duplicated().any()
    assert pairs["GEOID_TRACT_10"].isin(unchanged["GEOID_TRACT_10"]).sum() == len(unchanged)
    assert pairs["GEOID_TRACT_20"].isin(unchanged["GEOID_TRACT_20"]).sum() == len(unchanged)
    weight = unchanged["AREALAND_PART"] / unchanged["AREALAND_TRACT_10"]
    assert weight.between(0.999, 1.0).all()


def test_every_earlier_acs_row_is_an_earlier_tract():
    then = tracts_of("tracts_2010.geojson")
    acs = acs_counts("acs_5yr_2014_2018_tracts.json")
    assert not acs.index.duplicated().any()
    assert set(acs.index) == set(then.index)
    assert sorted(acs.columns) == sorted(acs_counts("acs_5yr_2019_2023_tracts.json").columns)
    # The same population scale: the city grew a few per cent.
    growth = acs_counts("acs_5yr_2019_2023_tracts.json")["B03002_001E"].sum() / acs["B03002_001E"].sum()
    assert 1.0 < growth < 1.1


def ring_tracts() -> list[str]:
    """The unchanged tracts of the gentrifying ring, from the 2020 tracts' centroids (the ring
    of :func:`indicators.sample.city.tract_table`: about 2.8 km west and north-east of downtown)."""
    import numpy as np

    from indicators.sample.city import LOCAL_CRS

    centres = tracts_of("tracts.geojson").to_crs(LOCAL_CRS).centroid
    x, y = centres.x / 1000, centres.y / 1000
    ring = np.exp(-(((np.hypot(x, y) - 2.8) / 1.0) ** 2)) * ((x < -0.5) | (y > 1.0))
    then = tracts_of("tracts_2010.geojson")
    return [g for g in centres.index[ring > 0.5] if g in then.index]


def test_the_ring_gentrified_between_the_periods():
    ring = ring_tracts()
    assert len(ring) == 21
    shares = {}
    for period, name in (("then", "acs_5yr_2014_2018_tracts.json"), ("now", "acs_5yr_2019_2023_tracts.json")):
        acs = acs_counts(name).loc[ring]
        bachelors = sum(acs[f"B15003_{k:03d}E"] for k in (22, 23, 24, 25)).sum() / acs["B15003_001E"].sum()
        black = acs["B03002_004E"].sum() / acs["B03002_001E"].sum()
        shares[period] = bachelors, black
    assert shares["now"][0] > shares["then"][0] + 0.05
    assert shares["now"][1] < shares["then"][1] - 0.05


def ejscreen_diesel(name: str) -> pd.DataFrame:
    """Population-weighted DSLPM and mean PTRAF of each tract's block groups."""
    frame = pd.read_csv(COMMITTED / name, dtype={"ID": str})
    frame["GEOID"] = frame["ID"].str[:11]
    frame["weighted"] = frame["DSLPM"] * frame["ACSTOTPOP"]
    tracts = frame.groupby("GEOID")[["weighted", "ACSTOTPOP", "PTRAF"]].agg(
        {"weighted": "sum", "ACSTOTPOP": "sum", "PTRAF": "mean"})
    return tracts.assign(diesel=tracts["weighted"] / tracts["ACSTOTPOP"])


def test_the_corridors_diesel_fell_when_the_truck_route_moved():
    then = ejscreen_diesel("ejscreen_2_1_blockgroups.csv")
    now = ejscreen_diesel("ejscreen_2_3_blockgroups.csv")
    assert set(then.index) == set(tracts_of("tracts_2010.geojson").index)  # block groups of 2010 tracts
    both = now.index.intersection(then.index)
    traffic = now.loc[both, "PTRAF"]
    corridor = both[traffic > traffic.quantile(0.9)]
    away = both[traffic < traffic.median()]
    assert now.loc[corridor, "diesel"].mean() < 0.75 * then.loc[corridor, "diesel"].mean()
    assert now.loc[away, "diesel"].mean() == pytest.approx(then.loc[away, "diesel"].mean(), rel=0.05)
