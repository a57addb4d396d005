"""The synthetic national-size region (``python -m indicators sample OUT --tracts N ...``), at a
small size: it is deterministic, its codes are valid and nested, it passes ``check`` and it
builds, with the counts asked for."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

from indicators.cli import main
from indicators.store.build import build, check

TRACTS, BLOCK_GROUPS, DISTRICTS = 400, 1100, 20
ARGS = ["--tracts", str(TRACTS), "--block-groups", str(BLOCK_GROUPS), "--districts", str(DISTRICTS)]


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-period region, written through the command line."""
    out = tmp_path_factory.mktemp("national") / "region"
    assert main(["sample", str(out), *ARGS, "--periods", "2"]) == 0
    return out


@pytest.fixture(scope="module")
def built(region: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("national_db") / "indicators.duckdb"
    build(region, db)
    return db


def test_two_runs_write_the_same_bytes(region: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert main(["sample", str(again), *ARGS, "--periods", "2"]) == 0
    names = sorted(p.name for p in region.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (region / name).read_bytes() == (again / name).read_bytes(), name


def test_one_period_is_the_current_files_of_two(region: Path, tmp_path: Path):
    """The earlier period draws from its own generator: adding it changes no current file."""
    one = tmp_path / "one"
    assert main(["sample", str(one), *ARGS]) == 0
    for path in one.iterdir():
        if path.name not in ("manifest.toml",):
            assert path.read_bytes() == (region / path.name).read_bytes(), path.name
    assert not (one / "tracts_2010.geojson").exists()


def test_codes_are_valid_and_nested(region: Path):
    tracts = gpd.read_file(region / "tracts.geojson")
    assert len(tracts) == TRACTS and tracts["GEOID"].is_unique
    assert tracts["GEOID"].str.fullmatch(r"9\d{10}").all()
    assert (tracts["GEOID"] == tracts["STATEFP"] + tracts["COUNTYFP"] + tracts["TRACTCE"]).all()
    assert tracts.geometry.is_valid.all() and not tracts.geometry.is_empty.any()
    assert not tracts.geometry.get_coordinates().isna().any().any()
    rows = json.loads((region / "acs_5yr_2019_2023_blockgroups.json").read_text())
    acs = pd.DataFrame(rows[1:], columns=rows[0])
    assert len(acs) == BLOCK_GROUPS
    geoid = acs["state"] + acs["county"] + acs["tract"] + acs["block group"]
    assert geoid.str.fullmatch(r"9\d{11}").all() and geoid.is_unique
    assert set(geoid.str[:11]) == set(tracts["GEOID"])  # every tract has its block groups
    assert acs["block group"].isin(list("123456789")).all()
    ejscreen = pd.read_csv(region / "ejscreen_2_3_blockgroups.csv", dtype={"ID": str})
    assert sorted(ejscreen["ID"]) == sorted(geoid)
    districts = gpd.read_file(region / "districts.geojson")
    assert len(districts) == DISTRICTS and districts.geometry.is_valid.all()


def test_check_passes_and_build_builds(region: Path, built: Path):
    assert not check(region).errors
    with duckdb.connect(str(built), read_only=True) as con:
        units = dict(con.execute("SELECT period, count(*) FROM units GROUP BY period").fetchall())
        districts = con.execute("SELECT count(*) FROM districts").fetchone()[0]
        layers = con.execute("SELECT role, rows, rows_loaded FROM layers ORDER BY layer_id").fetchall()
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    assert units["2019-2023"] == TRACTS
    assert TRACTS < units["2014-2018"] < TRACTS * 1.1  # a few 2020 tracts were two in 2010
    assert districts == DISTRICTS
    assert meta["periods"] == '["2014-2018", "2019-2023"]'
    census = layers[1]
    assert census[0] == "census" and census[1] == BLOCK_GROUPS and census[2] == TRACTS  # rolled up


def test_bad_sizes_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["sample", str(tmp_path / "x"), "--tracts", "10", "--block-groups", "5"]) == 2
    assert main(["sample", str(tmp_path / "y"), "--districts", "20"]) == 2
    assert "--tracts" in capsys.readouterr().err
