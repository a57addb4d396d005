"""Your own area: profiles of any polygon from the stored units and estimates, worked by hand on
the toy city, equal to the district values when the area is a district (Sample City and
Atlanta), the same from the command line as on the page, and areas carried in links."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box, mapping, shape

from indicators.certification.boundaries import MAX_VERTICES, check_geometry
from indicators.certification.checks import RecordError
from indicators.cli import main
from indicators.metrics import areas as area_maths
from indicators.metrics.areas import AreaError
from indicators.present import areas
from indicators.store.areas import AreaProfiler, area_changes
from indicators.store.build import build
from indicators.store.database import connect_readonly, read_geo
from tests import toy


@pytest.fixture(scope="module")
def toy_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    region = toy.write_region(tmp_path_factory.mktemp("toy") / "region")
    out = region.parent / "indicators.duckdb"
    build(region, out)
    return out


def profiler_of(db: Path, period: str | None = None) -> AreaProfiler:
    with connect_readonly(db) as con:
        return AreaProfiler.load(con, period)


def lonlat_box(x0: float, y0: float, x1: float, y1: float) -> gpd.GeoDataFrame:
    """An area from grid-cell coordinates of the toy city (cells of toy.STEP degrees)."""
    s = toy.STEP
    return areas.one_area(box(toy.X0 + x0 * s, toy.Y0 + y0 * s, toy.X0 + x1 * s, toy.Y0 + y1 * s),
                          "mine")


def test_an_area_of_one_tract_and_half_another_by_hand(toy_db: Path):
    # Tract 000101 whole (1,000 people, MOE 100; 600 White, MOE 90) and the left half of 000102
    # (2,000, MOE 150; 500 White, MOE 80): 1,000 + 1,000 = 2,000 people (MOE sqrt(100^2 + 75^2)
    # = 125) and 400 + 750 = 1,150 people of colour (MOE sqrt(134.54^2 + 85^2) = 159.14):
    # 0.575, MOE sqrt(159.14^2 - 0.575^2 125^2) / 2000 = 0.070991.
    made = profiler_of(toy_db).profile(lonlat_box(0, 0, 1.5, 1))
    row = made.values.set_index("indicator_id").loc["poc_share"]
    # (Half a lon/lat cell is not exactly half its area in EPSG:5070: rel=1e-4.)
    assert row["numerator"] == pytest.approx(1150, rel=1e-4)
    assert row["denominator"] == pytest.approx(2000, rel=1e-4)
    assert row["value"] == pytest.approx(0.575, rel=1e-4)
    assert row["moe"] == pytest.approx(0.070991, rel=1e-3)
    assert row["geo_kind"] == "area" and row["geo_id"] == "mine"
    shares = made.shares.set_index("geoid")["weight"]
    assert shares["13121000101"] == pytest.approx(1.0, rel=1e-4)
    assert shares["13121000102"] == pytest.approx(0.5, rel=1e-4)
    summary = made.summary.iloc[0]
    # (000101 is 0.99999 inside, and neighbours share slivers: the edges bend in EPSG:5070.)
    assert (summary["units"], summary["whole_units"]) == (2, 1)
    assert summary["partial_population_share"] == pytest.approx(0.5, rel=1e-4)  # 1,000 of 2,000
    assert summary["outside_share"] == pytest.approx(0.0, abs=1e-6)
    note = areas.method_note(summary, "Toy Town")
    assert "It touches 2 census tracts, 1 of them wholly inside" in note
    assert "50% of your area's people live in tracts only partly inside it" in note


def test_an_area_outside_the_region_is_refused_and_one_astride_is_said(toy_db: Path):
    profiler = profiler_of(toy_db)
    with pytest.raises(AreaError, match="covers no census tract of Toy Town"):
        profiler.profile(lonlat_box(10, 10, 11, 11))
    astride = profiler.profile(lonlat_box(2, 1, 4, 2))  # tract 000203 and as much outside
    summary = astride.summary.iloc[0]
    assert summary["outside_share"] == pytest.approx(0.5, rel=1e-3)
    assert "50% of your area lies outside Toy Town's tracts" in areas.method_note(summary, "Toy Town")
    # Larger than the region: every tract, and the part outside said.
    whole = profiler.profile(lonlat_box(-1, -1, 4, 3)).summary.iloc[0]
    assert whole["whole_units"] == 6 and whole["outside_share"] > 0.5


def test_many_areas_skip_the_ones_outside(toy_db: Path):
    frame = pd.concat([lonlat_box(0, 0, 1, 1).assign(name="a"), lonlat_box(9, 9, 10, 10).assign(name="b")])
    made = profiler_of(toy_db).profile(gpd.GeoDataFrame(frame, crs="EPSG:4326"), skip_empty=True)
    assert made.skipped == ("b",) and set(made.values["geo_id"]) == {"a"}


def test_a_district_drawn_as_an_area_has_the_districts_values(sample_db: Path):
    profiler = profiler_of(sample_db)
    with connect_readonly(sample_db) as con:
        shapes = read_geo(con, "districts", "district_id, name")
        stored = con.execute("SELECT * FROM indicator_values WHERE period = '2019-2023' AND "
                             "geo_kind = 'district'").df()
    made = profiler.profile(shapes[["name", "geometry"]])
    names = dict(zip(shapes["name"], shapes["district_id"], strict=True))
    ours = made.values.assign(geo_id=made.values["geo_id"].map(names))
    both = ours.merge(stored, on=["geo_id", "indicator_id"], suffixes=("", "_d"))
    assert len(both) == len(stored)  # every indicator of every district
    for column in ("value", "moe", "numerator", "denominator", "coverage"):
        np.testing.assert_allclose(both[column].astype(float), both[f"{column}_d"].astype(float),
                                   rtol=1e-9, atol=1e-12, err_msg=column)
    assert (both["n_units"] == both["n_units_d"]).all()


def test_an_areas_change_is_worked_like_a_districts(sample_db: Path):
    with connect_readonly(sample_db) as con:
        shapes = read_geo(con, "districts", "district_id, name", "WHERE district_id = 'westside'")
        stored = con.execute("SELECT * FROM changes WHERE geo_kind = 'district' AND geo_id = "
                             "'westside'").df().set_index("indicator_id")
    moved = area_changes(profiler_of(sample_db, "2014-2018"), profiler_of(sample_db),
                         shapes[["name", "geometry"]]).set_index("indicator_id")
    both = moved.join(stored, rsuffix="_d", how="inner")
    assert len(both) == len(stored)
    np.testing.assert_allclose(both["change"], both["change_d"], rtol=1e-9)
    np.testing.assert_allclose(both["moe"].fillna(-1), both["moe_d"].fillna(-1), rtol=1e-9)
    assert moved.loc["bachelors", "significant"] == True  # noqa: E712


def test_the_command_line_profiles_many_areas_as_the_page_does(sample_db: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]):
    with connect_readonly(sample_db) as con:
        shapes = read_geo(con, "districts", "district_id, name")
    path = tmp_path / "areas.geojson"
    path.write_text(shapes.rename(columns={"name": "label"})[["label", "geometry"]].to_json())
    out = tmp_path / "profile.csv"
    code = main(["profile", str(path), "--db", str(sample_db), "--name", "label", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(out)
    assert {"area", "indicator_id", "value", "moe", "reliability", "coverage"} <= set(table.columns)
    assert table["area"].nunique() == 10 and (table["period"] == "2019-2023").all()
    page = profiler_of(sample_db).profile(shapes[["name", "geometry"]]).values
    merged = table.merge(page, left_on=["area", "indicator_id"], right_on=["geo_id", "indicator_id"],
                         suffixes=("", "_page"))
    assert len(merged) == len(page)
    np.testing.assert_allclose(merged["value"], merged["value_page"], rtol=1e-12)
    assert "Profiled 10 areas" in capsys.readouterr().out


def test_the_command_line_refuses_bad_input_plainly(sample_db: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-90, 27]}}]}))
    code = main(["profile", str(path), "--db", str(sample_db), "--out", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "points" in err
    assert not (tmp_path / "x.csv").exists()


# -- areas in links ------------------------------------------------------------------------------


def test_an_area_survives_its_link(sample_db: Path):
    with connect_readonly(sample_db) as con:
        shape = read_geo(con, "districts", "name", "WHERE district_id = 'eastport'").geometry.iloc[0]
    text = areas.encode_area(shape)
    assert len(text) <= areas.MAX_AREA_CHARS
    back = areas.decode_area(text)
    assert back.symmetric_difference(shape).area / shape.area < 0.01  # simplified at most 1%


@settings(max_examples=100, deadline=None)
@given(st.floats(-100, 100), st.floats(-60, 60), st.floats(1e-3, 1.0), st.floats(1e-3, 1.0))
def test_any_rectangle_round_trips_through_a_link(x: float, y: float, w: float, h: float):
    shape = box(x, y, x + w, y + h)
    back = areas.decode_area(areas.encode_area(shape))
    assert back.symmetric_difference(shape).area <= 4 * (w + h) * 1e-5  # 5 decimals


@pytest.mark.parametrize("text", ["", "not a polyline ~~~", "??", "_p~iF~ps|U", "a" * 30_000])
def test_a_damaged_link_says_so(text: str):
    with pytest.raises(AreaError, match="link"):
        areas.decode_area(text)


def test_a_union_of_tracts_is_one_area(sample_db: Path):
    with connect_readonly(sample_db) as con:
        units = read_geo(con, "units", "geoid", "WHERE period = '2019-2023'")
    chosen = list(units["geoid"][:3])
    area = areas.union_of(units, "geoid", chosen, "your area")
    made = profiler_of(sample_db).profile(area)
    assert made.summary.iloc[0]["whole_units"] == 3
    with pytest.raises(AreaError, match="None of the chosen tracts"):
        areas.union_of(units, "geoid", ["99999999999"], "x")
    assert math.isfinite(made.values.set_index("indicator_id").loc["poverty", "value"])


def test_many_areas_in_threads_weigh_the_same_as_one_by_one(sample_db: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    profiler = profiler_of(sample_db)
    rng = np.random.default_rng(4)
    minx, miny, maxx, maxy = profiler.inputs.units.total_bounds
    x, y = rng.uniform(minx, maxx, 450), rng.uniform(miny, maxy, 450)
    size = rng.uniform(0.002, 0.02, 450)
    many = gpd.GeoDataFrame({"name": [f"a{i}" for i in range(450)]},
                            geometry=[box(a, b, a + s, b + s) for a, b, s in zip(x, y, size, strict=True)],
                            crs="EPSG:4326")
    geoms, ids = area_maths.to_equal_area(many), many["name"].tolist()
    monkeypatch.setattr(area_maths.os, "cpu_count", lambda: 4)
    threaded = profiler.index.weights(geoms, ids).matrix
    monkeypatch.setattr(area_maths, "MAX_THREADS", 1)
    serial = profiler.index.weights(geoms, ids).matrix
    assert threaded.nnz > 1000 and (threaded != serial).nnz == 0
    one_by_one = [profiler.index.weights(geoms[i:i + 1], ids[i:i + 1]).matrix for i in range(0, 450, 37)]
    for row, alone in zip(range(0, 450, 37), one_by_one, strict=True):
        assert (threaded[row] != alone).nnz == 0


def test_an_area_touching_only_slivers_lists_no_tract_and_does_not_fail():
    shares = pd.DataFrame({"area": ["mine", "mine"], "geoid": ["99001000101", "99001000102"],
                           "weight": [0.004, 0.002]})
    names = pd.Series({"99001000101": "Tract 1.01"})
    population = pd.Series({"99001000101": 1200.0, "99001000102": 800.0})
    table = areas.share_table(shares, names, population)
    assert table.empty and list(table.columns) == ["Tract", "GEOID", "Share inside", "People counted"]
    kept = areas.share_table(shares.assign(weight=[0.5, 0.002]), names, population)
    assert kept.to_dict("records") == [{"Tract": "Tract 1.01", "GEOID": "99001000101",
                                        "Share inside": "50%", "People counted": "600"}]


def test_a_projects_boundary_is_checked_before_it_is_stored():
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    repaired = shape(json.loads(check_geometry(bowtie)))
    assert repaired.is_valid and repaired.area == pytest.approx(2.0)  # two triangles of 1
    assert all(p.exterior.is_ccw for p in repaired.geoms)
    holed = Polygon([(0, 0), (0, 4), (4, 4), (4, 0)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    kept = shape(json.loads(check_geometry(mapping(holed))))
    assert kept.exterior.is_ccw and not kept.interiors[0].is_ccw and kept.area == 15.0
    feature = {"type": "Feature", "properties": {}, "geometry": mapping(box(1, 1, 2, 2))}
    assert shape(json.loads(check_geometry(json.dumps(feature)))).equals(box(1, 1, 2, 2))
    refusals = {
        "not a GeoJSON geometry": "{not json",
        "no area": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        "not longitude and latitude": mapping(box(500_000, 3_700_000, 501_000, 3_701_000)),
        "too small": mapping(box(0, 0, 1e-8, 1e-8)),
    }
    for said, value in refusals.items():
        with pytest.raises(RecordError, match=said):
            check_geometry(value)


def test_a_boundary_with_too_many_points_is_simplified_to_the_limit():
    ring = [(math.cos(t) * 0.01, math.sin(t) * 0.01)
            for t in np.linspace(0, 2 * math.pi, MAX_VERTICES * 2, endpoint=False)]
    stored = shape(json.loads(check_geometry(mapping(Polygon(ring)))))
    assert len(stored.exterior.coords) <= MAX_VERTICES
    assert stored.area == pytest.approx(math.pi * 0.01 ** 2, rel=1e-3)


@pytest.mark.realdata
def test_an_npus_own_boundary_gives_that_npus_values(atlanta_2010_db: Path):
    """Uploading an NPU's boundary gives the NPU's district values on Atlanta, to 1e-9."""
    with connect_readonly(atlanta_2010_db) as con:
        shapes = read_geo(con, "districts", "district_id, name")
        stored = con.execute("SELECT * FROM indicator_values WHERE geo_kind = 'district'").df()
    upload_bytes = shapes[["name", "geometry"]].to_json().encode()
    from indicators.ingest.upload import read_upload

    made = profiler_of(atlanta_2010_db).profile(read_upload(upload_bytes, "npus.geojson").areas)
    ids = dict(zip(shapes["name"], shapes["district_id"], strict=True))
    both = made.values.assign(geo_id=made.values["geo_id"].map(ids)).merge(
        stored, on=["geo_id", "indicator_id"], suffixes=("", "_d"))
    assert len(both) == len(stored) and both["geo_id"].nunique() == 25
    for column in ("value", "moe"):
        np.testing.assert_allclose(both[column].astype(float), both[f"{column}_d"].astype(float),
                                   rtol=1e-9, atol=1e-12, err_msg=column)
