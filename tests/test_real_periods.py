"""Change over time on real Atlanta data (``tests/regions/atlanta_periods``): UDP's ACS
2008-2012 and 2014-2018 columns and CDC SVI 2018 on 2010 tracts, CDC SVI 2022 on 2020 tracts,
the 25 NPUs as the fixed geography.

Every expected value is computed here again from the published files with geopandas and
tobler, never read back from our own tables.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from tests.conftest import SHARED, needs_shared

pytestmark = [needs_shared, pytest.mark.realdata]

TRACTS_2010 = "census_tracts_ga_cb2018/cb_2018_13_tract_500k.shp"
TRACTS_2020 = "census_tracts_2020_atl5county/atl_5county_tracts2020_simplified.geojson"
SVI = {"2014-2018": ("SVI2018_Georgia_tract.csv", TRACTS_2010),
       "2018-2022": ("SVI2022_Georgia_tract.csv", TRACTS_2020)}


def query(db: Path, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).df()


def tracts(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(SHARED / name)[["GEOID", "geometry"]].to_crs("EPSG:5070")


def svi_counts(period: str) -> gpd.GeoDataFrame:
    """A period's tracts with CDC's E_TOTPOP and E_MINRTY (people of colour: everyone but
    non-Hispanic White)."""
    csv, shapes = SVI[period]
    frame = pd.read_csv(SHARED / "cdc_svi_georgia" / csv, dtype={"FIPS": str})
    frame = frame[(frame["E_TOTPOP"] >= 0) & (frame["E_MINRTY"] >= 0)]
    return tracts(shapes).merge(frame[["FIPS", "E_TOTPOP", "E_MINRTY"]], left_on="GEOID",
                                right_on="FIPS")


def npus() -> gpd.GeoDataFrame:
    frame = gpd.read_file(SHARED / "atlanta_boundaries" / "Neighborhood_Planning_Units_2015.shp")
    frame["district_id"] = "npu-" + frame["NPU"].str.lower()
    return frame.to_crs("EPSG:5070")


def test_every_npu_has_both_periods_and_their_change(atlanta_periods_db: Path):
    values = query(atlanta_periods_db, "SELECT period, geo_id FROM indicator_values WHERE "
                   "geo_kind = 'district' AND indicator_id = 'poc_share'")
    by_period = values.groupby("period")["geo_id"].nunique().to_dict()
    assert by_period == {"2014-2018": 25, "2018-2022": 25}
    changes = query(atlanta_periods_db, "SELECT * FROM changes WHERE geo_kind = 'district' AND "
                    "indicator_id = 'poc_share'")
    assert len(changes) == 25 and changes["moe"].notna().all()
    assert (changes["period_from"] == "2014-2018").all() and changes["overlapping"].all()
    meta = query(atlanta_periods_db, "SELECT value FROM meta WHERE key = 'periods'")["value"][0]
    assert meta == '["2008-2012", "2014-2018", "2018-2022"]'


@pytest.mark.parametrize("period", ["2014-2018", "2018-2022"])
def test_npu_poc_share_equals_tobler_on_that_periods_files(atlanta_periods_db: Path, period: str):
    from tobler.area_weighted import area_interpolate

    source = svi_counts(period)
    targets = npus()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = area_interpolate(source, targets, extensive_variables=["E_TOTPOP", "E_MINRTY"],
                                allocate_total=False)
    peer["geo_id"] = targets["district_id"].to_numpy()
    ours = query(atlanta_periods_db, "SELECT geo_id, value, numerator, denominator FROM "
                 "indicator_values WHERE period = ? AND geo_kind = 'district' AND indicator_id = "
                 "'poc_share'", [period])
    merged = ours.merge(peer, on="geo_id")
    assert len(merged) == 25
    np.testing.assert_allclose(merged["denominator"], merged["E_TOTPOP"], rtol=1e-6)
    np.testing.assert_allclose(merged["value"], merged["E_MINRTY"] / merged["E_TOTPOP"], rtol=1e-6)


def test_every_change_is_the_difference_and_its_flag_the_formula(atlanta_periods_db: Path):
    rows = query(atlanta_periods_db, """
        SELECT c.*, a.moe AS moe_a, b.moe AS moe_b FROM changes c
        JOIN indicator_values a ON a.period = c.period_from AND a.geo_kind = c.geo_kind
             AND a.geo_id = c.geo_id AND a.indicator_id = c.indicator_id
        JOIN indicator_values b ON b.period = c.period_to AND b.geo_kind = c.geo_kind
             AND b.geo_id = c.geo_id AND b.indicator_id = c.indicator_id
        WHERE c.geo_kind IN ('district', 'region')""")
    everything = query(atlanta_periods_db, "SELECT change, value_from, value_to, moe, significant "
                       "FROM changes")
    assert len(everything) > 10_000
    np.testing.assert_allclose(everything["change"], everything["value_to"] - everything["value_from"])
    known = everything["moe"].notna()
    assert everything.loc[~known, "significant"].isna().all()
    expected = everything.loc[known, "change"].abs() > everything.loc[known, "moe"]
    assert (everything.loc[known, "significant"].astype(bool) == expected).all()
    ranks = rows["method"].str.startswith("compared as ranks")
    assert rows.loc[ranks, "moe"].isna().all()
    direct = rows[~ranks & rows["moe_a"].notna() & rows["moe_b"].notna()]
    assert len(direct) > 100
    np.testing.assert_allclose(direct["moe"], np.hypot(direct["moe_a"], direct["moe_b"]), rtol=1e-12)


def test_older_tracts_are_carried_onto_2020_tracts_by_area(atlanta_periods_db: Path):
    """Each 2020 tract's 2014-2018 POC share is the areal interpolation of the 2010 tracts'
    counts (weights: the share of each 2010 tract's area inside the 2020 tract), and a 2010
    tract split in two gives both halves its own share."""
    older, newer = svi_counts("2014-2018"), tracts(TRACTS_2020)
    pieces = gpd.overlay(older, newer.rename(columns={"GEOID": "new"}), how="intersection")
    weight = pieces.area / pieces["GEOID"].map(older.set_index("GEOID").area)
    carried = (pieces.assign(poc=pieces["E_MINRTY"] * weight, pop=pieces["E_TOTPOP"] * weight)
               .groupby("new")[["poc", "pop"]].sum())
    expected = carried["poc"] / carried["pop"]
    ours = query(atlanta_periods_db, "SELECT geo_id, value_from, method FROM changes WHERE "
                 "geo_kind = 'unit' AND indicator_id = 'poc_share' AND period_from = '2014-2018'"
                 ).set_index("geo_id")
    both = ours.join(expected.rename("expected"), how="inner")
    assert len(both) > 990
    np.testing.assert_allclose(both["value_from"], both["expected"], rtol=1e-6)
    assert ours["method"].str.contains("carried onto the 2018-2022 units by area").all()
    # Splits: 2020 tracts lying at least 97% in one 2010 tract that became two or more.
    share_of_new = pieces.area / pieces["new"].map(newer.set_index("GEOID").area)
    main = pieces.assign(share=share_of_new).sort_values("share").groupby("new").tail(1)
    main = main[main["share"] > 0.97]
    split = main.groupby("GEOID").filter(lambda g: len(g) >= 2)
    assert split["GEOID"].nunique() > 50
    old_share = (older.set_index("GEOID")["E_MINRTY"] / older.set_index("GEOID")["E_TOTPOP"])
    halves = ours.loc[ours.index.intersection(split["new"])]
    origin = split.set_index("new")["GEOID"]
    gap = (halves["value_from"] - origin.reindex(halves.index).map(old_share)).abs()
    assert gap.max() < 0.02 and gap.median() < 0.001


def test_rents_2012_to_2018_on_the_same_tracts_use_the_published_moes(atlanta_periods_db: Path):
    udp = pd.read_csv(SHARED / "udp_atlanta_typology" / "Atlantacensus_summ_2018.csv",
                      dtype={"FIPS": str}).set_index("FIPS")
    ok = (udp[["mrent_12", "mrent_18", "mrent_12_se", "mrent_18_se"]] > 0).all(axis=1)
    udp = udp[ok]
    ours = query(atlanta_periods_db, "SELECT * FROM changes WHERE geo_kind = 'unit' AND "
                 "indicator_id = 'median_rent' AND period_from = '2008-2012' AND period_to = "
                 "'2014-2018'").set_index("geo_id")
    both = ours.join(udp, how="inner")
    assert len(both) > 650
    np.testing.assert_array_equal(both["value_from"], both["mrent_12"])
    np.testing.assert_array_equal(both["change"], both["mrent_18"] - both["mrent_12"])
    np.testing.assert_allclose(both["moe"], np.hypot(both["mrent_12_se"], both["mrent_18_se"]))
    np.testing.assert_allclose(both["factor"], 369.8 / 337.5)
    assert not both["overlapping"].any()
    assert both["method"].str.endswith("the same units in both periods").all()


def test_three_npus_poc_share_change(atlanta_periods_db: Path):
    """The figures of the closing note, printed: NPU, 2014-2018, 2018-2022, change, MOE."""
    rows = query(atlanta_periods_db, "SELECT geo_id, value_from, value_to, change, moe, "
                 "significant FROM changes WHERE geo_kind = 'district' AND indicator_id = "
                 "'poc_share' AND geo_id IN ('npu-n', 'npu-t', 'npu-v') ORDER BY geo_id")
    print("\nPOC share, ACS 2014-2018 (SVI 2018) to 2018-2022 (SVI 2022):")
    for r in rows.itertuples():
        print(f"  {r.geo_id}: {r.value_from:.1%} -> {r.value_to:.1%}, {r.change * 100:+.1f} "
              f"± {r.moe * 100:.1f} points, {'significant' if r.significant else 'not significant'}")
    assert rows.set_index("geo_id")["significant"].astype(bool).to_dict() == {
        "npu-n": True, "npu-t": True, "npu-v": False}
