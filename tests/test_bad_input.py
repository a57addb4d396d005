"""Bad input gets a clear error and loses nothing.

Each test breaks one thing in a region that has already been built, runs the real command line
(``python -m indicators build``), and asserts the message (file, place, fix), the exit status
and that the existing database is byte-for-byte unchanged, with no temporary file left behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from indicators.cli import main
from tests import toy


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def built_from(region: Path) -> tuple[Path, Path, str]:
    """Build ``region`` beside itself: (region, database, its sha256)."""
    db = region.parent / "db" / "indicators.duckdb"
    assert main(["build", str(region), "--out", str(db)]) == 0
    return region, db, sha(db)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, str]:
    """A toy region and a database already built from it: (region, database, its sha256)."""
    return built_from(toy.write_region(tmp_path / "region"))


def rebuild(region: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", str(region), "--out", str(db)])
    return code, capsys.readouterr().err


def assert_refused(code: int, err: str, db: Path, digest: str, *fragments: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert sha(db) == digest, "the existing database was changed"
    assert sorted(p.name for p in db.parent.iterdir()) == ["indicators.duckdb"], "temp file left"


def edit_manifest(region: Path, old: str, new: str) -> None:
    path = region / "manifest.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_missing_manifest(built, capsys):
    region, db, digest = built
    (region / "manifest.toml").unlink()
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "no manifest.toml in", "create manifest.toml")


def test_missing_file(built, capsys):
    region, db, digest = built
    (region / "acs.csv").unlink()
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR acs.csv", "file not found", "relative to the manifest")


def test_unknown_role(built, capsys):
    region, db, digest = built
    edit_manifest(region, 'role = "overlay"', 'role = "overlays"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "[layer 4]", "unknown role 'overlays'",
                   "units, census, environment, overlay, districts, certification")


def test_unknown_profile(built, capsys):
    region, db, digest = built
    edit_manifest(region, 'profile = "acs"', 'profile = "acs5"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "[layer 2]", "unknown profile 'acs5'", "cdc_svi_2022")


def test_profile_for_the_wrong_role(built, capsys):
    region, db, digest = built
    edit_manifest(region, 'profile = "acs"', 'profile = "holc"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "profile 'holc' is not for census layers")


def test_unknown_key_is_a_warning_with_a_suggestion(built, capsys):
    region, db, _ = built
    edit_manifest(region, 'vintage = "ACS 2019-2023"', 'vintge = "ACS 2019-2023"')
    code, err = rebuild(region, db, capsys)
    assert code == 0
    assert "unknown key `vintge` is ignored" in err and "did you mean `vintage`?" in err


def test_shapefile_without_prj(built, capsys):
    region, db, digest = built
    gpd.read_file(region / "tracts.geojson").to_file(region / "tracts.shp")
    (region / "tracts.prj").unlink()
    edit_manifest(region, 'path = "tracts.geojson"', 'path = "tracts.shp"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR tracts.shp", "has no tracts.prj",
                   'crs = "EPSG:4269"')


def test_shapefile_without_prj_builds_once_crs_is_given(built, capsys):
    region, db, _ = built
    gpd.read_file(region / "tracts.geojson").to_file(region / "tracts.shp")
    (region / "tracts.prj").unlink()
    edit_manifest(region, 'path = "tracts.geojson"', 'path = "tracts.shp"\ncrs = "EPSG:4326"')
    code, err = rebuild(region, db, capsys)
    assert code == 0, err


def test_empty_geometry_layer(built, capsys):
    region, db, digest = built
    (region / "tracts.geojson").write_text(toy.feature_collection([]))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR tracts.geojson", "the layer has no features")


def test_empty_table(built, capsys):
    region, db, digest = built
    (region / "acs.csv").write_text("GEOID,NAME,B03002_001E,B03002_001M\n")
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR acs.csv", "no data rows")


def test_self_intersecting_polygon_is_repaired_with_a_warning(built, capsys):
    region, db, _ = built
    features = toy.tract_features()
    x, y = toy.X0, toy.Y0
    bowtie = [[[x, y], [x + toy.STEP, y + toy.STEP], [x + toy.STEP, y], [x, y + toy.STEP], [x, y]]]
    features[0]["geometry"] = {"type": "Polygon", "coordinates": bowtie}
    (region / "tracts.geojson").write_text(toy.feature_collection(features))
    code, err = rebuild(region, db, capsys)
    assert code == 0, err
    assert "WARNING tracts.geojson" in err
    assert "1 invalid polygons (e.g. self-intersecting) were repaired: 13121000101" in err


def test_polygon_that_cannot_be_repaired_is_rejected_with_its_geoid(built, capsys):
    region, db, digest = built
    features = toy.tract_features()
    x, y = toy.X0, toy.Y0
    flat = [[[x, y], [x + toy.STEP, y], [x + 2 * toy.STEP, y], [x, y]]]  # no area at all
    features[1]["geometry"] = {"type": "Polygon", "coordinates": flat}
    (region / "tracts.geojson").write_text(toy.feature_collection(features))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "1 polygons are invalid and could not be repaired",
                   "13121000102", "Fix Geometries")


def test_duplicate_geoids_in_units(built, capsys):
    region, db, digest = built
    features = toy.tract_features()
    features[1]["properties"]["GEOID"] = features[0]["properties"]["GEOID"]
    (region / "tracts.geojson").write_text(toy.feature_collection(features))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "1 GEOIDs appear on more than one polygon (13121000101)",
                   "Dissolve")


def test_duplicate_district_names(built, capsys):
    region, db, digest = built
    features = toy.district_features()
    features[1]["properties"]["NAME"] = "West"
    (region / "districts.geojson").write_text(toy.feature_collection(features))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR districts.geojson",
                   "1 district names are used by more than one polygon (West)",
                   "dissolve each district into one (multi)polygon, or name them apart")


def test_duplicate_geoids_in_census_table(built, capsys):
    region, db, digest = built
    text = toy.acs_csv()
    (region / "acs.csv").write_text(text + text.splitlines()[1] + "\n")
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR acs.csv", "1 GEOIDs appear more than once (13121000101)",
                   "rows 2, 8", "keep one row per GEOID")


def test_geoid_of_the_wrong_length(built, capsys):
    region, db, digest = built
    (region / "acs.csv").write_text(toy.acs_csv().replace("13121000102,", "1312100,"))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR acs.csv [rows 3]",
                   "1 GEOIDs are not tract (11-digit) or block-group (12-digit) codes", "'1312100'")


def test_geoid_of_the_wrong_level(built, capsys):
    region, db, digest = built
    edit_manifest(region, 'level = "tract"', 'level = "block_group"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "6 GEOIDs are not 12-digit block group codes",
                   "check `level`")


def test_census_rows_outside_the_units_are_counted_and_skipped(built, capsys):
    region, db, _ = built
    rows = dict(toy.ACS_ROWS, **{"13121999999": (10, 5, 5, 4), "13121999998": (10, 5, 5, 4)})
    (region / "acs.csv").write_text(toy.acs_csv(rows))
    code, err = rebuild(region, db, capsys)
    assert code == 0, err
    assert "WARNING acs.csv: 2 of 8 rows have GEOIDs that match no unit" in err
    assert "13121999999" in err


def test_census_file_matching_no_unit_is_an_error(built, capsys):
    region, db, digest = built
    rows = {g.replace("13121", "13089"): v for g, v in toy.ACS_ROWS.items()}
    (region / "acs.csv").write_text(toy.acs_csv(rows))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "none of its 6 GEOIDs match a unit",
                   "same census geography vintage")


def test_non_numeric_estimates(built, capsys):
    region, db, digest = built
    (region / "acs.csv").write_text(toy.acs_csv().replace(",2000,150,", ",abc,150,"))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "[column B03002_001E, rows 3]",
                   "1 cells are text, not numbers (e.g. 'abc')", "leave them empty")


def test_census_sentinels_are_missing_values_not_numbers(built, capsys):
    region, db, _ = built
    (region / "acs.csv").write_text(toy.acs_csv().replace(",2000,150,", ",-666666666,-222222222,"))
    code, err = rebuild(region, db, capsys)
    assert code == 0, err
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT estimate FROM estimates WHERE geoid = '13121000102' "
                           "AND variable = 'pop_total'").fetchall()
    assert rows == []  # missing, never -666666666


def test_negative_counts(built, capsys):
    region, db, digest = built
    (region / "acs.csv").write_text(toy.acs_csv().replace(",2000,150,", ",-5,150,"))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "negative counts for pop_total (e.g. -5)", "rows 3")


def test_missing_moe_columns_are_allowed_and_reported(built, capsys):
    region, db, _ = built
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i not in (3, 5))
             for line in toy.acs_csv().replace('"', "").replace("; ", " ").splitlines()]
    (region / "acs.csv").write_text("\n".join(lines) + "\n")
    assert "B03002_001M" not in lines[0]
    code, err = rebuild(region, db, capsys)
    assert code == 0, err
    assert "no margin of error" in err and "pop_total" in err
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        notes = con.execute("SELECT notes FROM layers WHERE path = 'acs.csv'").fetchone()[0]
        moes = con.execute("SELECT count(*) FROM estimates WHERE moe IS NOT NULL").fetchone()[0]
    assert "no margin of error" in notes and moes == 0


def test_csv_with_bom_and_semicolons_is_read(built, capsys):
    region, db, _ = built
    text = toy.acs_csv().replace(",", ";")
    (region / "acs.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    code, err = rebuild(region, db, capsys)
    assert code == 0, err
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        total = con.execute("SELECT sum(estimate) FROM estimates WHERE variable = 'pop_total'").fetchone()
        notes = con.execute("SELECT notes FROM layers WHERE path = 'acs.csv'").fetchone()[0]
    assert total[0] == 7000
    assert "byte-order mark" in notes and "semicolons" in notes


def test_semicolon_file_with_decimal_commas(built, capsys):
    region, db, _ = built
    rows = ["GEOID;canopy"] + [f"{g};{12 + i},5" for i, g in enumerate(toy.GEOIDS)]
    (region / "canopy.csv").write_text("\n".join(rows) + "\n")
    (region / "manifest.toml").write_text((region / "manifest.toml").read_text() + """
[[layer]]
role = "environment"
path = "canopy.csv"
profile = "generic"
columns = { tree_canopy_pct = "canopy" }
""")
    code, err = rebuild(region, db, capsys)
    assert code == 0, err
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        values = con.execute("SELECT estimate FROM estimates WHERE variable = 'tree_canopy_pct' "
                             "ORDER BY geoid").fetchall()
    assert [v[0] for v in values] == [12.5, 13.5, 14.5, 15.5, 16.5, 17.5]


def test_truncated_geojson(built, capsys):
    region, db, digest = built
    text = (region / "tracts.geojson").read_text()
    (region / "tracts.geojson").write_text(text[: len(text) // 2])
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR tracts.geojson",
                   "the JSON ends before it is complete", "cut off while downloading")


def test_zero_byte_file(built, capsys):
    region, db, digest = built
    (region / "acs.csv").write_bytes(b"")
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR acs.csv", "the file is empty (0 bytes)")


def test_zip_with_two_shapefiles(built, capsys, tmp_path):
    region, db, digest = built
    frame = gpd.read_file(region / "tracts.geojson")
    work = tmp_path / "shp"
    work.mkdir()
    frame.to_file(work / "tracts_a.shp")
    frame.to_file(work / "tracts_b.shp")
    with zipfile.ZipFile(region / "tracts.zip", "w") as archive:
        for path in sorted(work.iterdir()):
            archive.write(path, path.name)
    edit_manifest(region, 'path = "tracts.geojson"', 'path = "tracts.zip"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "the .zip holds 2 shapefiles (tracts_a.shp, tracts_b.shp)",
                   'member = "tracts_a.shp"')
    edit_manifest(region, 'path = "tracts.zip"', 'path = "tracts.zip"\nmember = "tracts_b.shp"')
    code, err = rebuild(region, db, capsys)
    assert code == 0, err


def test_wrong_crs_is_caught(built, capsys):
    region, db, digest = built
    features = toy.tract_features()
    for feature in features:  # metres (as in a State Plane file) under a lon/lat declaration
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"] = [[[x * 10_000, y * 10_000] for x, y in ring]]
    (region / "tracts.geojson").write_text(toy.feature_collection(features))
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "the declared CRS is wrong", "set `crs`")


def test_every_broken_layer_is_reported_in_one_run(built, capsys):
    region, db, digest = built
    (region / "acs.csv").write_bytes(b"")
    (region / "holc.geojson").write_text('{"type": "FeatureCollection", "features": [')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR acs.csv", "ERROR holc.geojson")


def test_check_validates_without_writing(tmp_path, capsys):
    region = toy.write_region(tmp_path / "region")
    assert main(["check", str(region)]) == 0
    assert "can be built" in capsys.readouterr().out
    (region / "acs.csv").write_bytes(b"")
    assert main(["check", str(region)]) == 2
    assert "the file is empty" in capsys.readouterr().err
    assert not any(p.suffix == ".duckdb" for p in tmp_path.rglob("*"))


def test_toy_geojson_fixture_is_valid_json(tmp_path):
    region = toy.write_region(tmp_path / "region")
    assert json.loads((region / "tracts.geojson").read_text())["features"]


# -- periods ------------------------------------------------------------------------------------


@pytest.fixture
def built_periods(tmp_path: Path) -> tuple[Path, Path, str]:
    """The two-period toy region, already built: (region, database, its sha256)."""
    return built_from(toy.write_periods_region(tmp_path / "region"))


def test_two_units_layers_in_one_period(built_periods, capsys):
    region, db, digest = built_periods
    edit_manifest(region, 'period = "2019-2023"\npath = "tracts.geojson"',
                  'period = "2014-2018"\npath = "tracts.geojson"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR manifest.toml", "[period 2014-2018]",
                   "the period '2014-2018' has 2 units layers; it needs exactly one",
                   "give each period one units layer")


def test_a_census_layer_on_another_periods_tracts(built_periods, capsys):
    region, db, digest = built_periods
    edit_manifest(region, 'period = "2014-2018"\npath = "acs_2018.csv"',
                  'period = "2019-2023"\npath = "acs_2018.csv"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR acs_2018.csv",
                   "its GEOIDs are the units of 2014-2018, not of 2019-2023",
                   "they cover 100% of the 2014-2018 units and 50% of the 2019-2023 units",
                   'set period = "2014-2018" on this layer')


def test_sample_citys_older_census_file_labelled_with_the_newer_period(tmp_path: Path, capsys):
    """Sample City's 2014-2018 ACS file labelled 2019-2023: only 3 of its 210 tracts changed, so
    its GEOIDs fit either period, and the mistake shows as a period with no census layer."""
    shutil.copytree(Path(__file__).parents[1] / "data" / "sample", tmp_path / "sample")
    region, db, digest = built_from(tmp_path / "sample")
    edit_manifest(region, 'period = "2014-2018"\npath = "acs_5yr_2014_2018_tracts.json"',
                  'period = "2019-2023"\npath = "acs_5yr_2014_2018_tracts.json"')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR manifest.toml [period 2014-2018]",
                   "the period '2014-2018' has no census layer; every period needs at least one",
                   "check each census layer's `period`")


def test_a_relationship_file_of_another_place(built_periods, capsys):
    region, db, digest = built_periods
    (region / "tract_rel.txt").write_text(
        "GEOID_TRACT_20|GEOID_TRACT_10|AREALAND_PART|AREALAND_TRACT_10\n"
        "13089020100|13089020100|1000|1000\n13089020200|13089020200|1000|1000\n")
    with (region / "manifest.toml").open("a") as f:
        f.write('\n[[layer]]\nrole = "relationship"\npath = "tract_rel.txt"\n')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR tract_rel.txt",
                   "its GEOIDs match neither vintage of the region's units",
                   "use the relationship file between the tract vintages of the region's periods "
                   "(2014-2018, 2019-2023), for the same state")


@pytest.mark.parametrize(("label", "message"), [
    ("recent", "the period 'recent' cannot be ordered: it names no year"),
    ("2016-2018", "the periods '2014-2018' and '2016-2018' cannot be ordered: both end in 2018"),
])
def test_periods_that_cannot_be_ordered(built_periods, capsys, label: str, message: str):
    region, db, digest = built_periods
    text = (region / "manifest.toml").read_text().replace('"2019-2023"', f'"{label}"')
    (region / "manifest.toml").write_text(text)
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "ERROR manifest.toml", message)


def test_a_census_layer_without_its_period(built_periods, capsys):
    region, db, digest = built_periods
    edit_manifest(region, 'period = "2019-2023"\npath = "acs.csv"\n', 'path = "acs.csv"\n')
    code, err = rebuild(region, db, capsys)
    assert_refused(code, err, db, digest, "this census layer has no period, while the manifest "
                   "names periods (2014-2018, 2019-2023)", 'add period = "..."')
