"""Readers of each real format map onto canonical variables, with expected values worked out
by hand in each test."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.ingest.files import read_table
from indicators.ingest.layer import Layer
from indicators.ingest.profiles import TABLE_PROFILES
from indicators.ingest.rollup import roll_up
from indicators.ingest.tabular import expand_terms, extract
from indicators.ingest.values import normalise_geoid, to_bool, to_number
from indicators.metrics.moe import sum_moe
from indicators.problems import LayerError, Problems


def read(path: Path, profile: str, **layer_keys) -> tuple[object, Problems]:
    layer = Layer(index=1, role="census", path=path, rel=path.name, profile=profile, **layer_keys)
    problems = Problems()
    result = extract(read_table(path), layer, TABLE_PROFILES[profile], problems)
    return result, problems


# --- values ---------------------------------------------------------------------------------


def test_to_number_understands_census_conventions():
    cells = pd.Series(["12", " 7 ", "-666666666", "-999", "(X)", "N", "**", "", "1,234", "250,000+",
                       "2,500-", "abc"])
    values, bad = to_number(cells)
    expected = [12, 7, None, None, None, None, None, None, 1234, 250000, 2500, None]
    assert [None if math.isnan(v) else v for v in values] == expected
    assert bad.tolist() == [False] * 11 + [True]


def test_to_number_reads_decimal_commas_when_asked():
    values, bad = to_number(pd.Series(["12,5", "3", "-0,25"]), decimal_comma=True)
    assert values.tolist() == [12.5, 3.0, -0.25] and not bad.any()


def test_to_bool_and_geoid_normalisation():
    values, bad = to_bool(pd.Series(["True", "false", "1", "0", "", "maybe"]))
    assert values.tolist()[:4] == [1.0, 0.0, 1.0, 0.0] and bad.tolist() == [False] * 5 + [True]
    geoids = normalise_geoid(pd.Series(["1400000US13121001100", " 13121001200 ", "13121001300.0"]))
    assert geoids.tolist() == ["13121001100", "13121001200", "13121001300"]


def test_expand_terms():
    assert expand_terms("B15003_022:025") == [(1, "B15003_022"), (1, "B15003_023"),
                                              (1, "B15003_024"), (1, "B15003_025")]
    assert expand_terms("pop_18 - white_18") == [(1, "pop_18"), (-1, "white_18")]


def test_sum_moe_zero_estimate_rule():
    # Two zero estimates with MOEs 12 and 15: only the larger counts. sqrt(3^2 + 4^2 + 15^2).
    got = sum_moe(np.array([[10.0, 20.0, 0.0, 0.0]]), np.array([[3.0, 4.0, 12.0, 15.0]]), axis=1)
    assert got[0] == pytest.approx(math.sqrt(9 + 16 + 225))


# --- ACS --------------------------------------------------------------------------------------


def test_census_api_json_builds_geoids_and_derives_sums(tmp_path: Path):
    header = ["NAME", "B03002_001E", "B03002_001M", "B03002_003E", "B03002_003M",
              "B25070_001E", "B25070_001M", "B25070_007E", "B25070_007M", "B25070_008E",
              "B25070_008M", "B25070_009E", "B25070_009M", "B25070_010E", "B25070_010M",
              "B25070_011E", "B25070_011M", "B19013_001E", "B19013_001M",
              "state", "county", "tract"]
    rows = [
        ["Census Tract 1; X; Georgia", "1000", "100", "400", "60", "300", "40", "20", "10",
         "30", "12", "10", "8", "40", "15", "0", "12", "52000", "6000", "13", "121", "000100"],
        ["Census Tract 2; X; Georgia", "500", "50", "500", "50", "100", "20", "0", "12", "0",
         "12", "5", "5", "0", "12", "10", "9", "-666666666", "-222222222", "13", "121", "000200"],
    ]
    path = tmp_path / "acs.json"
    path.write_text(json.dumps([header, *rows]))
    result, problems = read(path, "acs")
    assert not problems.errors
    est, moe = result.estimates, result.moes
    assert list(est.index) == ["13121000100", "13121000200"]
    # pop_poc = 001 - 003; its MOE sqrt(100^2 + 60^2).
    assert est.loc["13121000100", "pop_poc"] == 600
    assert moe.loc["13121000100", "pop_poc"] == pytest.approx(math.sqrt(100**2 + 60**2))
    # renters with burden computed = 001 - 011 = 300; burden30 = 007..010 = 100.
    assert est.loc["13121000100", "renter_hh_computed"] == 300
    assert est.loc["13121000100", "renter_hh_burden30"] == 100
    assert moe.loc["13121000100", "renter_hh_burden30"] == pytest.approx(
        math.sqrt(10**2 + 12**2 + 8**2 + 15**2))
    # Tract 2: cells 007, 008 and 010 are zero (MOE 12 each): only one 12 counts, with 009's 5.
    assert est.loc["13121000200", "renter_hh_burden30"] == 5
    assert moe.loc["13121000200", "renter_hh_burden30"] == pytest.approx(math.sqrt(5**2 + 12**2))
    # Suppressed median: missing, and so is its MOE.
    assert math.isnan(est.loc["13121000200", "median_hh_income"])
    assert est.loc["13121000100", "median_hh_income"] == 52000


def test_acs_csv_in_tidycensus_naming_without_moes(tmp_path: Path):
    path = tmp_path / "acs.csv"
    path.write_text("GEOID,NAME,B01003_001E\n13121000100,x,1200\n13121000200,y,800\n")
    result, problems = read(path, "acs")
    assert result.estimates["pop_total"].tolist() == [1200, 800]
    assert result.no_moe == ["pop_total"]


def test_acs_block_groups_roll_up_to_tracts(tmp_path: Path):
    path = tmp_path / "acs.csv"
    path.write_text(
        "GEO_ID,B03002_001E,B03002_001M,B19013_001E\n"
        "1500000US131210001001,100,30,40000\n"
        "1500000US131210001002,300,40,80000\n"
        "1500000US131210002001,50,0,\n")
    result, _ = read(path, "acs")
    assert result.level == "block_group"
    tracts = roll_up(result, "tract")
    assert tracts.estimates.loc["13121000100", "pop_total"] == 400
    assert tracts.moes.loc["13121000100", "pop_total"] == pytest.approx(50.0)  # sqrt(30^2+40^2)
    # A median cannot be summed: population-weighted mean (100*40k + 300*80k) / 400 = 70k.
    assert tracts.estimates.loc["13121000100", "median_hh_income"] == pytest.approx(70_000)


# --- CDC SVI ----------------------------------------------------------------------------------


def test_svi_universes_are_recovered_from_published_percentages(tmp_path: Path):
    path = tmp_path / "svi.csv"
    path.write_text(
        "ST,FIPS,E_TOTPOP,M_TOTPOP,E_POV150,M_POV150,EP_POV150,E_UNEMP,M_UNEMP,EP_UNEMP,"
        "E_MINRTY,M_MINRTY,E_NOINT,M_NOINT\n"
        "13,13121000100,4000,200,1000,150,25.0,50,20,2.5,3000,250,100,40\n"
        "13,13121000200,2000,100,0,12,0.0,0,12,0.0,500,90,0,12\n"
        "13,13121000300,1000,100,-999,-999,-999,20,10,4.0,100,50,10,8\n")
    result, problems = read(path, "cdc_svi_2022")
    assert not problems.errors
    est = result.estimates
    # labour force = E_UNEMP / (EP_UNEMP / 100): 50 / 0.025 = 2000 and 20 / 0.04 = 500.
    assert est.loc["13121000100", "labor_force"] == 2000
    assert est.loc["13121000300", "labor_force"] == 500
    # 0 %: population x file-wide ratio (2000 + 500) / (4000 + 1000) = 0.5 -> 1000.
    assert est.loc["13121000200", "labor_force"] == 1000
    assert est.loc["13121000100", "pop_nh_white"] == 1000
    assert result.moes.loc["13121000100", "pop_nh_white"] == pytest.approx(math.sqrt(200**2 + 250**2))
    assert math.isnan(est.loc["13121000300", "pov_below_150"])  # -999 is CDC's "no value"


def test_svi_profile_refuses_a_file_of_the_other_year(tmp_path: Path):
    path = tmp_path / "svi.csv"
    path.write_text("FIPS,E_TOTPOP,E_POV,E_PCI\n13121000100,10,1,2\n")
    with pytest.raises(LayerError, match="does not look like a CDC/ATSDR SVI 2022 file"):
        read(path, "cdc_svi_2022")


# --- UDP --------------------------------------------------------------------------------------


def test_udp_census_summary(tmp_path: Path):
    path = tmp_path / "udp.csv"
    cols = ["", "pop_18", "white_18", "hinc_18", "mrent_18", "FIPS",
            *[f"I_{b}_18" for b in ("10000", "15000", "201000")]]
    path.write_text(",".join(cols) + "\n0,5000,1000,40000,-666666666,13121000100,100,50,25\n")
    result, _ = read(path, "udp_census_2018")
    row = result.estimates.loc["13121000100"]
    assert row.pop_poc == 4000 and row.hh_inc_01 == 100 and row.hh_inc_16 == 25
    assert math.isnan(row.median_gross_rent)


# --- EJScreen ---------------------------------------------------------------------------------


def test_ejscreen_block_groups_roll_up_with_population_weights(tmp_path: Path):
    path = tmp_path / "ej.csv"
    path.write_text(
        "ID,ACSTOTPOP,PEOPCOLOR,PM25,DSLPM,P_PM25\n"
        "131210001001,100,20,8.0,0.2,50\n"
        "131210001002,300,150,12.0,0.6,90\n")
    result, _ = read(path, "ejscreen")
    tract = roll_up(result, "tract")
    row = tract.estimates.loc["13121000100"]
    assert row.pop_total == 400 and row.pop_poc == 170
    assert row.pm25 == pytest.approx((100 * 8 + 300 * 12) / 400)  # 11.0
    assert row.diesel_pm == pytest.approx((100 * 0.2 + 300 * 0.6) / 400)  # 0.5


def test_ejscreen_lower_case_tract_subset(tmp_path: Path):
    path = tmp_path / "air.csv"
    path.write_text('"","census_id","population","pm25","diesel_pm","traffic_proximity"\n'
                    '"1",13001950100,3421,8.87,0.07,3.27\n')
    result, _ = read(path, "ejscreen")
    row = result.estimates.loc["13001950100"]
    assert (row.pop_total, row.pm25, row.diesel_pm, row.traffic_proximity) == (3421, 8.87, 0.07, 3.27)


# --- PLACES -----------------------------------------------------------------------------------


def test_places_long_format(tmp_path: Path):
    path = tmp_path / "places.csv"
    path.write_text(
        "Year,LocationName,MeasureId,Data_Value_Type,Data_Value,Low_Confidence_Limit,"
        "High_Confidence_Limit\n"
        "2022,13121000100,CASTHMA,Crude prevalence,10.0,9.0,11.0\n"
        "2022,13121000100,DIABETES,Crude prevalence,12.5,11.5,13.7\n"
        "2022,13121000100,SLEEP,Crude prevalence,40.0,39.0,41.0\n"
        "2022,13121000200,CASTHMA,Crude prevalence,8.0,7.0,9.0\n")
    result, problems = read(path, "cdc_places")
    assert not problems.errors
    assert result.estimates.loc["13121000100", "asthma_prev"] == 10.0
    assert result.estimates.loc["13121000100", "diabetes_prev"] == 12.5
    # 95 % interval half-width 1.0 -> 90 % MOE 1.0 * 1.645 / 1.96 = 0.839.
    assert result.moes.loc["13121000100", "asthma_prev"] == pytest.approx(0.839, abs=1e-3)
    assert "SLEEP" not in result.estimates.columns


def test_places_single_measure_file_needs_its_measure(tmp_path: Path):
    path = tmp_path / "asthma.csv"
    path.write_text("locationid,countyname,data_value,low_confidence_limit,high_confidence_limit\n"
                    "13089020100,DeKalb,8.9,7.8,10.0\n")
    with pytest.raises(LayerError, match="no MeasureId column") as info:
        read(path, "cdc_places")
    assert 'measure = "CASTHMA"' in info.value.fix
    result, _ = read(path, "cdc_places", measure="CASTHMA")
    assert result.estimates.loc["13089020100", "asthma_prev"] == 8.9


# --- CEJST ------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["official", "r_read_csv"])
def test_cejst_official_and_r_headers_read_the_same(tmp_path: Path, style: str):
    official = ["Census tract 2010 ID", "Identified as disadvantaged", "Total population",
                "PM2.5 in the air", "PM2.5 in the air (percentile)",
                "Current asthma among adults aged greater than or equal to 18 years",
                "Is low income?"]
    header = official if style == "official" else [
        "Census.tract.2010.ID", "Identified.as.disadvantaged", "Total.population",
        "PM2.5.in.the.air", "PM2.5.in.the.air..percentile.",
        "Current.asthma.among.adults.aged.greater.than.or.equal.to.18.years", "Is.low.income."]
    path = tmp_path / "cejst.csv"
    rows = ["13121000100,True,4000,9.1,85,969,True", "13121000200,False,3000,8.0,40,800,False"]
    path.write_text(",".join(f'"{h}"' for h in header) + "\n" + "\n".join(rows) + "\n")
    result, problems = read(path, "cejst")
    assert not problems.errors
    row = result.estimates.loc["13121000100"]
    assert row.cejst_disadvantaged == 1.0 and row.cejst_low_income == 1.0
    assert row.pctl_pm25 == 0.85  # 0-100 percentiles become 0-1
    assert row.asthma_prev == pytest.approx(9.69)  # published x100
    assert result.estimates.loc["13121000200", "cejst_disadvantaged"] == 0.0
