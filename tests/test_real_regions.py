"""The real Atlanta regions build from ../shared/data, loading every row they should.

Expected counts are read from the source files themselves (independently of our readers) or
taken from ../shared/data/SOURCES.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

from tests.conftest import SHARED, needs_shared

pytestmark = [needs_shared, pytest.mark.realdata]


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def loaded(db: Path) -> dict[str, tuple[int, int]]:
    return {Path(p).name: (rows, kept) for p, rows, kept in
            query(db, "SELECT path, rows, rows_loaded FROM layers")}


def test_atlanta_2010_loads_every_row(atlanta_2010_db: Path):
    tracts = gpd.read_file(SHARED / "census_tracts_ga_cb2018" / "cb_2018_13_tract_500k.shp")
    svi = pd.read_csv(SHARED / "cdc_svi_georgia" / "SVI2018_Georgia_tract.csv", dtype={"FIPS": str})
    udp = pd.read_csv(SHARED / "udp_atlanta_typology" / "Atlantacensus_summ_2018.csv")
    cejst = pd.read_csv(SHARED / "cejst_georgia" / "cejst_v1_georgia_tracts2010.csv")
    npu = gpd.read_file(SHARED / "atlanta_boundaries" / "Neighborhood_Planning_Units_2015.shp")
    holc = gpd.read_file(SHARED / "atlanta_boundaries" / "GAAtlanta1938_1.geojson")
    layers = loaded(atlanta_2010_db)
    assert query(atlanta_2010_db, "SELECT count(*) FROM units")[0][0] == len(tracts) == 1966
    assert layers["SVI2018_Georgia_tract.csv"] == (len(svi), 1966)
    assert layers["Atlantacensus_summ_2018.csv"] == (len(udp), 738)
    # CEJST: 1,969 rows, of which the 3 water tracts have no polygon (SOURCES.md, section 7).
    assert layers["cejst_v1_georgia_tracts2010.csv"] == (len(cejst), 1966)
    assert query(atlanta_2010_db, "SELECT count(*) FROM districts")[0][0] == len(npu) == 25
    assert query(atlanta_2010_db, "SELECT count(*) FROM overlays")[0][0] == len(holc) == 111
    grades = dict(query(atlanta_2010_db, "SELECT category, count(*) FROM overlays GROUP BY 1"))
    assert grades == {"A": 9, "B": 28, "C": 42, "D": 32}


def test_atlanta_2010_values_match_the_source(atlanta_2010_db: Path):
    svi = pd.read_csv(SHARED / "cdc_svi_georgia" / "SVI2018_Georgia_tract.csv", dtype={"FIPS": str})
    expected = svi.loc[svi.E_TOTPOP >= 0, "E_TOTPOP"].sum()
    got = query(atlanta_2010_db, "SELECT sum(estimate) FROM estimates e JOIN layers l USING (layer_id) "
                "WHERE variable = 'pop_total' AND l.profile = 'cdc_svi_2018'")[0][0]
    assert got == expected
    # UDP marks missing medians with -666666666: they are missing, not numbers.
    minimum = query(atlanta_2010_db, "SELECT min(estimate) FROM estimates e JOIN layers l USING "
                    "(layer_id) WHERE l.profile = 'udp_census_2018'")[0][0]
    assert minimum >= 0
    # CEJST asthma is published x100 (969 = 9.69 %); we store percent.
    low, high = query(atlanta_2010_db, "SELECT min(estimate), max(estimate) FROM estimates "
                      "WHERE variable = 'asthma_prev'")[0]
    assert (low, high) == (pytest.approx(6.4), pytest.approx(15.7))  # CEJST's 640 and 1570
    names = [r[0] for r in query(atlanta_2010_db, "SELECT name FROM districts ORDER BY name")]
    assert names[0] == "NPU A" and "NPU Z" in names and "NPU U" not in names


def test_atlanta_2020_loads_every_row(atlanta_2020_db: Path):
    layers = loaded(atlanta_2020_db)
    assert query(atlanta_2020_db, "SELECT count(*) FROM units")[0][0] == 1006
    assert layers["SVI2022_Georgia_tract.csv"] == (2791, 1006)
    assert layers["acs_median_household_income_2022.csv"] == (530, 530)
    assert layers["acs_total_population_2022.csv"] == (530, 530)
    assert layers["cdc_places_asthma_2023.csv"] == (528, 528)
    assert layers["EJSCREEN_2023_GA_tracts_waste_subset.csv"] == (2784, 1003)
    assert layers["ga_tracts2020_air_traffic_commute.csv"] == (2782, 1002)
    assert query(atlanta_2020_db, "SELECT count(*) FROM districts")[0][0] == 12


def test_atlanta_2020_values_match_sources_md(atlanta_2020_db: Path):
    # "Fulton tract populations sum to 1,061,944" (SOURCES.md, SVI 2022).
    fulton = query(atlanta_2020_db, """
        SELECT sum(estimate) FROM estimates e JOIN layers l USING (layer_id)
        WHERE variable = 'pop_total' AND l.profile = 'cdc_svi_2022' AND geoid LIKE '13121%'""")
    assert fulton[0][0] == 1_061_944
    # "11 tracts carry -666666666; the median over the other 519 tracts is $81,096".
    n, median = query(atlanta_2020_db, """
        SELECT count(*), median(estimate) FROM estimates WHERE variable = 'median_hh_income'""")[0]
    assert (n, median) == (519, 81_096)
    # PLACES asthma: range 6.5-14.9 %, with a 90 % MOE derived from the 95 % interval.
    low, high, moes = query(atlanta_2020_db, """
        SELECT min(estimate), max(estimate), count(moe) FROM estimates WHERE variable = 'asthma_prev'""")[0]
    assert (low, high, moes) == (6.5, 14.9, 528)
    districts = [r[0] for r in query(atlanta_2020_db, "SELECT name FROM districts")]
    assert sorted(districts, key=lambda s: int(s.split()[-1]))[:2] == ["District 1", "District 2"]
