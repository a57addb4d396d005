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


def unit_values(db: Path) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        values = con.execute("SELECT geoid, variable, estimate FROM unit_estimates").df()
    return values.pivot(index="geoid", columns="variable", values="estimate")


def test_sample_builds_with_every_layer(sample_db: Path):
    with duckdb.connect(str(sample_db), read_only=True) as con:
        layers = con.execute(
            "SELECT role, profile, rows, rows_loaded FROM layers ORDER BY layer_id").fetchall()
        units = con.execute("SELECT count(*), min(geoid), max(geoid) FROM units").fetchone()
        districts = con.execute("SELECT count(*) FROM districts").fetchone()[0]
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    assert [r[:2] for r in layers] == [
        ("units", ""), ("census", "acs"), ("environment", "ejscreen"),
        ("environment", "cdc_places"), ("environment", "generic"), ("districts", ""),
        ("overlay", "holc"), ("certification", ""),
    ]
    assert 150 <= units[0] <= 300 and units[1].startswith("99") and len(units[1]) == 11
    assert 8 <= districts <= 12
    assert meta["sample"] == "true"
    ejscreen = layers[2]
    assert ejscreen[2] > ejscreen[3] == units[0]  # block groups rolled up to every tract


def test_sample_tells_its_story(sample_db: Path):
    import geopandas as gpd

    from indicators.store import database as store

    with duckdb.connect(str(sample_db), read_only=True) as con:
        units = store.read_geo(con, "units", "geoid")
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
