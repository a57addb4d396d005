"""Change over time on the two-period toy region and on Sample City: periods read and ordered,
older tracts carried onto newer ones, change, MOE and significance worked out by hand, and the
properties every change must have."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from indicators import periods
from indicators.ingest.manifest import load_manifest
from indicators.ingest.region import read_region
from indicators.metrics import change, dollars
from indicators.problems import InputError
from indicators.sample.manifest import CURRENT_MANIFEST
from indicators.store.build import CHECKS, build
from indicators.store.compare import compare_databases
from tests import toy
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def toy_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    region = toy.write_periods_region(tmp_path_factory.mktemp("toy") / "region")
    out = region.parent / "indicators.duckdb"
    build(region, out)
    return out


def change_row(db: Path, geo_kind: str, geo_id: str, indicator_id: str) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.execute("SELECT * FROM changes WHERE geo_kind = ? AND geo_id = ? AND "
                            "indicator_id = ?", [geo_kind, geo_id, indicator_id]).df()
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


# -- the manifest contract -------------------------------------------------------------------


def test_periods_are_ordered_by_their_last_year(tmp_path: Path):
    region = toy.write_periods_region(tmp_path / "region")
    manifest = load_manifest(region)
    assert manifest.periods == ("2014-2018", "2019-2023")
    assert manifest.units.path.name == "tracts.geojson"  # the latest period's
    assert manifest.units_of("2014-2018").path.name == "tracts_2010.geojson"
    assert [layer.path.name for layer in manifest.of_period("2014-2018")] == [
        "tracts_2010.geojson", "acs_2018.csv", "districts.geojson"]


#: A toy region whose two periods share the 2010 tracts, fed by one UDP-style file holding both
#: periods in its own columns (``_12`` and ``_18``).
UDP_MANIFEST = """
[region]
name = "Toy Town, one file for two periods"

[[layer]]
role = "units"
period = "2008-2012"
path = "tracts_2010.geojson"
key = "GEOID"
level = "tract"

[[layer]]
role = "units"
period = "2014-2018"
path = "tracts_2010.geojson"
key = "GEOID"
level = "tract"

[[layer]]
role = "census"
path = "udp.csv"
profile = "udp_census"
title = "UDP summary"

[[layer]]
role = "districts"
path = "districts.geojson"
name = "NAME"
"""


def udp_region(folder: Path, manifest: str = UDP_MANIFEST) -> tuple[Path, pd.DataFrame]:
    """The toy region with :data:`UDP_MANIFEST`, and the rents its file gives each tract."""
    toy.write_periods_region(folder)
    geoids = list(toy.ACS_2018_ROWS)
    rents = pd.DataFrame({"FIPS": geoids, "pop_18": [1000] * len(geoids), "hh_18": [400] * len(geoids),
                          "mrent_12": [800 + 10 * i for i in range(len(geoids))],
                          "mrent_12_se": [50] * len(geoids),
                          "mrent_18": [1000 + 40 * i for i in range(len(geoids))],
                          "mrent_18_se": [60] * len(geoids)})
    rents.to_csv(folder / "udp.csv", index=False)
    (folder / "manifest.toml").write_text(manifest)
    return folder, rents.set_index("FIPS")


def test_one_file_holding_two_periods_feeds_both(tmp_path: Path):
    region, rents = udp_region(tmp_path / "region")
    manifest = load_manifest(region)
    census = manifest.of_role("census")
    assert [(c.index, c.entry, c.period, c.profile, c.title, c.vintage) for c in census] == [
        (3, 3, "2008-2012", "udp_census_2012", "UDP summary (ACS 2008-2012 columns)", "ACS 2008-2012"),
        (5, 3, "2014-2018", "udp_census_2018", "UDP summary (ACS 2014-2018 columns)", "ACS 2014-2018")]
    assert {c.where for c in census} == {"layer 3"}
    out = region / "indicators.duckdb"
    build(region, out)
    with duckdb.connect(str(out), read_only=True) as con:
        got = con.execute("SELECT period, geo_id, value, moe FROM indicator_values WHERE "
                          "geo_kind = 'unit' AND indicator_id = 'median_rent'").df()
        layers = con.execute("SELECT layer_id, title FROM layers WHERE role = 'census' "
                             "ORDER BY layer_id").fetchall()
        rise = con.execute("SELECT count(*) FROM changes WHERE geo_kind = 'unit' AND "
                           "indicator_id = 'median_rent' AND change > 0").fetchone()[0]
    assert layers == [(3, "UDP summary (ACS 2008-2012 columns)"), (5, "UDP summary (ACS 2014-2018 columns)")]
    for period, column in (("2008-2012", "mrent_12"), ("2014-2018", "mrent_18")):
        mine = got[got["period"] == period].set_index("geo_id")
        assert mine["value"].to_dict() == rents[column].astype(float).to_dict()
        assert (mine["moe"] == rents[f"{column}_se"].iloc[0]).all()
    assert rise == len(rents)  # every tract's rent rose 200 dollars or more


@pytest.mark.parametrize(("edit", "problem"), [
    (('profile = "udp_census"', 'profile = "udp_census"\nperiod = "2014-2018"'),
     "profile 'udp_census' feeds the periods 2008-2012, 2014-2018 from one file, so its layer takes "
     "no `period`"),
    (('period = "2008-2012"', 'period = "2019-2023"'), None),
])
def test_a_file_of_two_periods_is_refused_or_feeds_those_named(tmp_path: Path, edit, problem):
    region, _ = udp_region(tmp_path / "region", UDP_MANIFEST.replace(*edit))
    if problem is not None:
        with pytest.raises(InputError) as raised:
            load_manifest(region)
        assert problem in str(raised.value)
        return
    # Only 2014-2018 is named of the file's periods: one layer, read by its _18 columns.
    census = load_manifest(region).of_role("census")
    assert [(c.period, c.profile) for c in census] == [("2014-2018", "udp_census_2018")]


def test_a_file_of_two_periods_in_a_manifest_naming_none(tmp_path: Path):
    one = "\n".join(line for line in UDP_MANIFEST.splitlines() if not line.startswith("period"))
    region, _ = udp_region(tmp_path / "region", one)
    with pytest.raises(InputError) as raised:
        load_manifest(region)
    assert "profile 'udp_census' feeds the periods 2008-2012, 2014-2018 from one file, but this " \
           "manifest names none of them" in str(raised.value)
    assert 'read one period: profile = "udp_census_2012" with period = "2008-2012", or profile = ' \
           '"udp_census_2018" with period = "2014-2018"' in str(raised.value)


def test_a_manifest_naming_no_period_builds_as_one_period_of_a_two_period_one(tmp_path: Path):
    """Sample City's current layers alone (no period named) give exactly the rows its
    two-period build holds for 2019-2023."""
    alone = tmp_path / "current"
    alone.mkdir()
    for path in (PROJECT / "data" / "sample").iterdir():
        (alone / path.name).write_bytes(path.read_bytes())
    (alone / "manifest.toml").write_text(CURRENT_MANIFEST)
    build(alone, tmp_path / "alone.duckdb")
    build(PROJECT / "data" / "sample", tmp_path / "both.duckdb")
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{tmp_path / 'alone.duckdb'}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{tmp_path / 'both.duckdb'}' AS b (READ_ONLY)")
        for table in ("indicator_values", "indicator_availability", "crosswalk", "unit_burdens",
                      "segregation", "disparities", "race_gaps", "location_quotients"):
            assert con.execute(f"SELECT DISTINCT period FROM a.{table}").fetchall() in ([("",)], [])
            differ = con.execute(
                f"SELECT count(*) FROM (SELECT * EXCLUDE (period) FROM a.{table} EXCEPT ALL "
                f"SELECT * EXCLUDE (period) FROM b.{table} WHERE period = '2019-2023')").fetchone()[0]
            total = con.execute(f"SELECT count(*) FROM a.{table}").fetchone()[0]
            assert differ == 0 and total > 0, table
        assert con.execute("SELECT count(*) FROM a.changes").fetchone()[0] == 0
        assert con.execute("SELECT value FROM a.meta WHERE key = 'periods'").fetchone()[0] == '[""]'


def test_compare_reports_an_added_constant_column_and_compares_the_rest(tmp_path: Path):
    for name, extra in (("old", ""), ("new", ", '' AS period")):
        with duckdb.connect(str(tmp_path / f"{name}.duckdb")) as con:
            con.execute(f"CREATE TABLE t AS SELECT 1.5 AS x{extra}")
    (diff,) = compare_databases(tmp_path / "old.duckdb", tmp_path / "new.duckdb")
    assert diff.identical and diff.added == (("period", ""),)
    assert str(diff) == "t: identical (1 rows; added period = '' in every row)"


# -- carrying older tracts onto newer ones, by hand --------------------------------------------


def test_a_split_tract_carries_its_older_value_onto_both_halves(toy_db: Path):
    # 2014-2018: tract 9900 had 2,400 people (MOE 200), 800 non-Hispanic White (MOE 100), so
    # 1,600 people of colour (MOE sqrt(200^2 + 100^2) = 223.61), a share of 2/3. Each 2020 half
    # holds half its area: 1,200 people (MOE 100) and 800 people of colour (MOE 111.80), the same
    # 2/3, with the proportion MOE sqrt(111.80^2 - (2/3)^2 100^2) / 1200 = 0.074794.
    # 2019-2023: 000101 has 1,000 people (MOE 100), 600 White (MOE 90): 400 people of colour
    # (MOE 134.54), 0.4, MOE sqrt(134.54^2 - 0.4^2 100^2) / 1000 = 0.128452.
    row = change_row(toy_db, "unit", "13121000101", "poc_share")
    assert row["value_from"] == pytest.approx(2 / 3, rel=1e-9)
    assert row["value_to"] == pytest.approx(0.4, rel=1e-9)
    assert row["change"] == pytest.approx(0.4 - 2 / 3, rel=1e-9)
    assert row["moe"] == pytest.approx(math.hypot(0.074794, 0.128452), rel=1e-4)  # 0.148641
    assert row["significant"] is True or row["significant"] == True  # noqa: E712 (numpy bool)
    other_half = change_row(toy_db, "unit", "13121000102", "poc_share")
    assert other_half["value_from"] == pytest.approx(2 / 3, rel=1e-9)
    assert "carried onto the 2019-2023 units by area" in row["method"]


def test_two_merged_tracts_are_summed_onto_the_newer_tract(toy_db: Path):
    # 2014-2018: 9801 has 300 (MOE 50) people, 100 people of colour (MOE sqrt(50^2+40^2) = 64.03);
    # 9802 has 300 (MOE 50), 200 people of colour (MOE sqrt(50^2+30^2) = 58.31). Together: 600
    # (MOE 70.71), 300 (MOE 86.60): 0.5, MOE sqrt(7500 - 0.25 * 5000) / 600 = 0.131762.
    # 2019-2023: 000203 has 500 (MOE 60), 250 White (MOE 40): 0.5, MOE sqrt(5200 - 0.25 * 3600)
    # / 500 = 0.131149. No change, within sqrt(0.131762^2 + 0.131149^2) = 0.185906.
    row = change_row(toy_db, "unit", "13121000203", "poc_share")
    assert row["value_from"] == pytest.approx(0.5, rel=1e-9)
    assert row["change"] == pytest.approx(0.0, abs=1e-12)
    assert row["moe"] == pytest.approx(0.185906, rel=1e-4)
    assert row["significant"] == False  # noqa: E712


def test_an_unchanged_tract_is_compared_with_itself(toy_db: Path):
    # 2014-2018: 1,400 (MOE 110), 100 White (MOE 20): 1,300 people of colour (MOE 111.80),
    # 0.928571, MOE sqrt(12500 - 0.928571^2 * 12100) / 1400 = 0.032474. 2019-2023: 1,500 (MOE
    # 120), no White resident (MOE 12): 1.0, MOE sqrt(14544 - 14400) / 1500 = 0.008.
    # (Areas are measured in EPSG:5070, where the toy's straight lon/lat edges bend slightly:
    # neighbours share slivers of 1e-5 of a tract, hence the tolerance.)
    row = change_row(toy_db, "unit", "13121000103", "poc_share")
    assert row["change"] == pytest.approx(1 - 1300 / 1400, rel=1e-4)
    assert row["moe"] == pytest.approx(math.hypot(0.032474, 0.008), rel=1e-4)  # 0.033445
    assert row["significant"] == True  # noqa: E712


def test_districts_compare_directly_each_period_crosswalked_to_them(toy_db: Path):
    """The West district holds the left column and half the middle one in both periods."""
    with duckdb.connect(str(toy_db), read_only=True) as con:
        values = con.execute("SELECT period, value FROM indicator_values WHERE geo_kind = "
                             "'district' AND geo_id = 'west' AND indicator_id = 'poc_share' "
                             "ORDER BY period").fetchall()
    # 2014-2018: 3/4 of tract 9900 (1,800 people, 1,200 of colour), 000201 whole (800, 300),
    # half of 000202 (550, 50): 1,550 / 3,150. 2019-2023: 000101 (1,000, 400), half of 000102
    # (1,000, 250), 000201 (800, 400), half of 000202 (600, 550): 1,600 / 3,400.
    # (Half a square in lon/lat is not exactly half its area in EPSG:5070: rel=1e-5.)
    assert values[0] == ("2014-2018", pytest.approx(1550 / 3150, rel=1e-5))
    assert values[1] == ("2019-2023", pytest.approx(1600 / 3400, rel=1e-5))
    row = change_row(toy_db, "district", "west", "poc_share")
    assert row["change"] == pytest.approx(1600 / 3400 - 1550 / 3150, rel=1e-3)
    assert row["method"].endswith("significant at 90 % when |change| > MOE")


def test_a_relationship_file_replaces_area_weights(tmp_path: Path):
    """The Census Bureau's file gives 2/3 of tract 9900's land to 000101: the carried counts
    follow it, and the method says so."""
    region = toy.write_periods_region(tmp_path / "region")
    header = ("OID_TRACT_20|GEOID_TRACT_20|NAMELSAD_TRACT_20|AREALAND_TRACT_20|AREAWATER_TRACT_20|"
              "MTFCC_TRACT_20|FUNCSTAT_TRACT_20|OID_TRACT_10|GEOID_TRACT_10|NAMELSAD_TRACT_10|"
              "AREALAND_TRACT_10|AREAWATER_TRACT_10|MTFCC_TRACT_10|FUNCSTAT_TRACT_10|AREALAND_PART|"
              "AREAWATER_PART")
    pairs = [("13121000101", toy.SPLIT, 300, 200), ("13121000102", toy.SPLIT, 300, 100),
             ("13121000103", "13121000103", 100, 100), ("13121000201", "13121000201", 100, 100),
             ("13121000202", "13121000202", 100, 100), ("13121000203", toy.MERGED[0], 100, 50),
             ("13121000203", toy.MERGED[1], 100, 50)]
    lines = [header] + [f"1|{new}|Census Tract|{la20}|0|G5020|S|2|{old}|Census Tract|"
                        f"{300 if old == toy.SPLIT else 50 if old in toy.MERGED else 100}|0|G5020|S|"
                        f"{part}|0" for new, old, la20, part in pairs]
    (region / "relationship.txt").write_text("\n".join(lines) + "\n")
    with (region / "manifest.toml").open("a") as f:
        f.write('\n[[layer]]\nrole = "relationship"\npath = "relationship.txt"\n')
    out = tmp_path / "indicators.duckdb"
    build(region, out)
    row = change_row(out, "unit", "13121000101", "poc_share")
    # 2/3 of 9900's 2,400 people and 1,600 people of colour: the same share, 2/3.
    assert row["value_from"] == pytest.approx(2 / 3, rel=1e-9)
    assert "by land area (AREALAND_PART of the Census Bureau's tract relationship file)" in row["method"]
    with duckdb.connect(str(out), read_only=True) as con:
        pop = con.execute("SELECT numerator, denominator FROM indicator_values WHERE period = "
                          "'2014-2018' AND geo_kind = 'unit' AND geo_id = ? AND indicator_id = "
                          "'poc_share'", [toy.SPLIT]).fetchone()
    assert pop == (pytest.approx(1600), pytest.approx(2400))
    region_read = read_region(region, checks=CHECKS)
    (relationship,) = region_read.relationships
    assert (relationship.older, relationship.newer) == ("2014-2018", "2019-2023")
    weights = relationship.pairs.set_index(["older", "newer"])["weight"]
    assert weights[(toy.SPLIT, "13121000101")] == pytest.approx(2 / 3)


# -- the maths of change -----------------------------------------------------------------------


def test_change_moe_and_significance_by_hand():
    older = pd.DataFrame({"geo_kind": ["district"] * 3, "geo_id": ["a", "b", "c"],
                          "indicator_id": ["rent_burden", "rent_burden", "social_vulnerability"],
                          "value": [0.44, 0.30, 0.60], "moe": [0.03, 0.04, np.nan]})
    newer = older.assign(value=[0.51, 0.32, 0.75], moe=[0.04, 0.03, np.nan])
    out = change.changes(older, newer, "2014-2018", "2018-2022", older.iloc[0:0], "area")
    a, b, c = (out.set_index("geo_id").loc[k] for k in "abc")
    assert a["change"] == pytest.approx(0.07) and a["moe"] == pytest.approx(0.05)  # 3-4-5
    assert a["significant"] == True  # noqa: E712 (0.07 > 0.05)
    assert b["moe"] == pytest.approx(0.05) and b["significant"] == False  # noqa: E712
    assert pd.isna(c["moe"]) and pd.isna(c["significant"]) and c["method"].startswith("compared as ranks")
    assert out["overlapping"].all()  # 2014-2018 and 2018-2022 share 2018


def test_dollars_of_the_later_year_by_hand():
    older = pd.DataFrame({"geo_kind": ["unit"], "geo_id": ["x"], "indicator_id": ["median_rent"],
                          "value": [1000.0], "moe": [60.0]})
    newer = older.assign(value=[1300.0], moe=[80.0])
    out = change.changes(older, newer, "2014-2018", "2019-2023", older, "the same units").iloc[0]
    f = 449.3 / 369.8  # R-CPI-U-RS 2023 / 2018
    assert out["factor"] == pytest.approx(f)
    assert out["change"] == 300.0 and out["moe"] == pytest.approx(100.0)
    assert out["change_real"] == pytest.approx(1300 - 1000 * f)  # 85.05
    assert out["moe_real"] == pytest.approx(math.hypot(60 * f, 80))  # 109.7
    assert out["significant"] == True and out["significant_real"] == False  # noqa: E712
    assert dollars.factor(2012, 2018) == pytest.approx(369.8 / 337.5)


def test_overlap_and_baseline_periods():
    assert periods.overlapping("2014-2018", "2018-2022")
    assert not periods.overlapping("2008-2012", "2014-2018")
    assert periods.baseline_period(("2008-2012", "2014-2018", "2018-2022"), 2016) == "2008-2012"
    with pytest.raises(ValueError, match="names no year"):
        periods.years("recent")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(0, 1e6) | st.just(float("nan"))),
                min_size=1, max_size=30))
def test_significance_is_the_formula_for_any_change(pairs):
    changes_ = pd.Series([p[0] for p in pairs])
    moes = pd.Series([p[1] for p in pairs])
    flags = change.significance(changes_, moes)
    for c, m, flag in zip(changes_, moes, flags, strict=True):
        assert (flag is pd.NA) if math.isnan(m) else (bool(flag) == (abs(c) > m))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.05, 3.0), min_size=2, max_size=6), st.floats(0.1, 0.9))
def test_carrying_counts_by_area_conserves_them(widths, cut):
    """Older strips re-cut into newer strips: every older count lands on the newer units, once."""
    edges = np.cumsum([0.0, *widths])
    older = gpd.GeoDataFrame({"geoid": [f"o{i}" for i in range(len(widths))]},
                             geometry=[box(a, 0, b, 1) for a, b in zip(edges, edges[1:], strict=False)],
                             crs="EPSG:5070")
    total = edges[-1]
    cuts = [0.0, cut * total, total]
    newer = gpd.GeoDataFrame({"geoid": ["n0", "n1"]},
                             geometry=[box(a, 0, b, 1) for a, b in zip(cuts, cuts[1:], strict=False)],
                             crs="EPSG:5070")
    carry = change.carry_by_area(older, newer)
    counts = np.arange(1, len(widths) + 1, dtype=float) * 100
    carried = carry.weights.matrix @ counts
    assert carried.sum() == pytest.approx(counts.sum(), rel=1e-9)
    assert carried[0] == pytest.approx(sum(c * max(0.0, min(b, cuts[1]) - a) / (b - a)
                                           for c, a, b in zip(counts, edges, edges[1:], strict=False)),
                                       rel=1e-6)


# -- Sample City's story ------------------------------------------------------------------------


def district_change(db: Path, district: str, indicator: str) -> dict[str, object]:
    return change_row(db, "district", district, indicator)


@pytest.mark.parametrize("district", ["downtown", "westside"])
def test_the_gentrifying_ring_changed_and_it_is_real(sample_db: Path, district: str):
    bachelors = district_change(sample_db, district, "bachelors")
    black = district_change(sample_db, district, "black_share")
    rent = district_change(sample_db, district, "median_rent")
    assert bachelors["change"] > 0.03 and bachelors["significant"] == True  # noqa: E712
    assert black["change"] < -0.02 and black["significant"] == True  # noqa: E712
    assert rent["change_real"] > 50 and rent["significant_real"] == True  # noqa: E712


def test_elsewhere_most_changes_are_within_the_margin_of_error(sample_db: Path):
    with duckdb.connect(str(sample_db), read_only=True) as con:
        frame = con.execute("SELECT geo_id, significant FROM changes WHERE geo_kind = 'district' "
                            "AND indicator_id IN ('bachelors', 'black_share')").df()
    elsewhere = frame[~frame["geo_id"].isin(["downtown", "westside"])]
    assert len(elsewhere) == 16 and not elsewhere["significant"].astype(bool).any()


def test_the_corridor_breathes_easier_after_the_truck_route_change(sample_db: Path):
    with duckdb.connect(str(sample_db), read_only=True) as con:
        frame = con.execute(
            "SELECT c.geo_id, c.change, c.value_from, v.value AS traffic FROM changes c JOIN "
            "indicator_values v ON v.geo_id = c.geo_id AND v.geo_kind = 'unit' AND v.period = "
            "'2019-2023' AND v.indicator_id = 'traffic_proximity' WHERE c.geo_kind = 'unit' AND "
            "c.indicator_id = 'diesel_pm'").df()
    corridor = frame[frame["traffic"] > frame["traffic"].quantile(0.9)]
    quiet = frame[frame["traffic"] < frame["traffic"].median()]
    assert corridor["change"].sum() / corridor["value_from"].sum() < -0.25
    assert abs(quiet["change"].sum() / quiet["value_from"].sum()) < 0.03


def test_sample_boundary_changes_use_its_relationship_file(sample_db: Path):
    with duckdb.connect(str(sample_db), read_only=True) as con:
        units = {p: set(g for (g,) in con.execute("SELECT geoid FROM units WHERE period = ?",
                                                   [p]).fetchall())
                 for p in ("2014-2018", "2019-2023")}
        methods = con.execute("SELECT DISTINCT method FROM changes WHERE geo_kind = 'unit'").fetchall()
    assert len(units["2014-2018"] - units["2019-2023"]) == 3  # the split tract and the merged pair
    assert len(units["2019-2023"] - units["2014-2018"]) == 3  # the two halves and the merger
    assert all("Census Bureau's tract relationship file" in m for (m,) in methods)


def test_an_nhgis_crosswalk_carries_by_its_population_weight(tmp_path: Path):
    """IPUMS NHGIS's tr2010ge/tr2020ge with wt_pop: 3/4 of tract 9900's people went to 000101."""
    region = toy.write_periods_region(tmp_path / "region")
    rows = [(toy.SPLIT, "13121000101", 0.75), (toy.SPLIT, "13121000102", 0.25),
            ("13121000103", "13121000103", 1), ("13121000201", "13121000201", 1),
            ("13121000202", "13121000202", 1), (toy.MERGED[0], "13121000203", 1),
            (toy.MERGED[1], "13121000203", 1)]
    (region / "nhgis_tr2010_tr2020_13.csv").write_text(
        "tr2010gj,tr2010ge,tr2020gj,tr2020ge,wt_pop,wt_hu\n"
        + "".join(f"G0,{old},G0,{new},{w},{w}\n" for old, new, w in rows))
    with (region / "manifest.toml").open("a") as f:
        f.write('\n[[layer]]\nrole = "relationship"\npath = "nhgis_tr2010_tr2020_13.csv"\n')
    out = tmp_path / "indicators.duckdb"
    build(region, out)
    row = change_row(out, "unit", "13121000101", "poc_share")
    assert row["value_from"] == pytest.approx(2 / 3, rel=1e-9)  # 3/4 of both counts: same share
    assert "by pop (the wt_pop weight of an IPUMS NHGIS crosswalk)" in row["method"]
    with duckdb.connect(str(out), read_only=True) as con:
        (moe,) = con.execute("SELECT moe FROM changes WHERE geo_kind = 'unit' AND geo_id = "
                             "'13121000101' AND indicator_id = 'poc_share'").fetchone()
    # 3/4 of 9900: 1,800 people (MOE 150), 1,200 of colour (MOE 167.71): sqrt(28125 - (2/3)^2
    # 22500) / 1800 = 0.074794 (as for the half by area: the proportion MOE scales with both).
    assert moe == pytest.approx(math.hypot(0.074794, 0.128452), rel=1e-4)


def test_an_income_gap_is_compared_in_the_later_periods_dollars():
    """A $10,000 gap in 2014-2018 dollars is $12,150 in 2023 dollars (R-CPI-U-RS 2023/2018), so
    a $11,000 gap in 2019-2023 has narrowed, although it is larger in nominal dollars; a share
    gap is compared as it is."""
    def gaps(income: float, owners: float) -> pd.DataFrame:
        return pd.DataFrame({"geo_kind": ["district", "district"], "geo_id": ["w", "w"],
                             "measure": ["Median household income", "Homeownership rate"],
                             "black_moe": [600.0, 0.03], "white_moe": [800.0, 0.04],
                             "gap": [income, owners]})
    factor = dollars.factor(2018, 2023)
    assert round(factor, 4) == 1.2150
    moved = change.gap_changes(gaps(10_000.0, 0.20), gaps(11_000.0, 0.25), "2014-2018", "2019-2023")
    income, owners = moved.iloc[0], moved.iloc[1]
    assert income["gap_from"] == pytest.approx(10_000 * factor)
    assert income["change"] == pytest.approx(11_000 - 10_000 * factor)  # -1,150
    assert income["moe"] == pytest.approx(np.hypot(1000 * factor, 1000))  # the gap's MOE is 1,000
    assert not income["widened"] and not income["significant"]
    assert owners["gap_from"] == 0.20 and owners["change"] == pytest.approx(0.05)
    assert owners["widened"] and not owners["significant"]  # 0.05 < sqrt(2) * 0.05
