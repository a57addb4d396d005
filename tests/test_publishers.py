"""Golden tests on the publishers' own files (``../shared/data``): where a region loads CDC's SVI
or CEQ's CEJST file the tract values we show are the publisher's, our SVI method reproduces
CDC's ranks for the file's vintage, our CEJST rule reproduces CEJST's per-criterion flags, and
the race shares CEJST publishes reach districts population-weighted."""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from indicators.ingest.region import read_region
from indicators.metrics.composites import Context, cejst, svi
from indicators.present.profile import profile_rows
from indicators.store.build import CHECKS, region_inputs
from tests.conftest import SHARED, needs_shared, real_region

pytestmark = [needs_shared, pytest.mark.realdata]

CEJST_FILE = SHARED / "cejst_georgia" / "cejst_v1_georgia_tracts2010.csv"
NPU_FILE = SHARED / "atlanta_boundaries" / "Neighborhood_Planning_Units_2015.shp"
TRACTS_2010_FILE = SHARED / "census_tracts_ga_cb2018" / "cb_2018_13_tract_500k.shp"


def cdc(name: str) -> pd.DataFrame:
    frame = pd.read_csv(SHARED / "cdc_svi_georgia" / name, dtype={"FIPS": str}).set_index("FIPS")
    return frame.where(frame != -999)


def unit_values(db: Path, indicator: str) -> pd.Series:
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.execute("SELECT geo_id, value, method, layer_id FROM indicator_values WHERE "
                            "geo_kind = 'unit' AND indicator_id = ?", [indicator]).df()
    return frame.set_index("geo_id")


# --- SVI ----------------------------------------------------------------------------------------


def test_svi_2018_method_reproduces_cdcs_ranks_from_cdcs_inputs():
    published = cdc("SVI2018_Georgia_tract.csv")
    method = svi.method_for(2018)
    inputs = published[[f"EP_{v}" for v in method.variables]].rename(columns=lambda c: c[3:])
    ours = svi.svi(inputs, method.themes, method.descending)
    both = ours["RPL_THEMES"].notna() & published["RPL_THEMES"].notna()
    assert both.sum() == ours["RPL_THEMES"].notna().sum() == published["RPL_THEMES"].notna().sum() == 1952
    diff = (ours.loc[both, "RPL_THEMES"] - published.loc[both, "RPL_THEMES"]).abs()
    assert diff.max() <= 0.005  # 0.0031: CDC's own rounding of EP_ values


@pytest.mark.parametrize(("fixture", "file"), [("atlanta_2010_db", "SVI2018_Georgia_tract.csv"),
                                               ("atlanta_2020_db", "SVI2022_Georgia_tract.csv")])
def test_tracts_show_cdcs_published_ranks(fixture: str, file: str, request: pytest.FixtureRequest):
    db = request.getfixturevalue(fixture)
    published = cdc(file)
    for indicator, column in (("social_vulnerability", "RPL_THEMES"), ("svi_socioeconomic", "RPL_THEME1"),
                              ("svi_household", "RPL_THEME2"), ("svi_minority", "RPL_THEME3"),
                              ("svi_housing_transport", "RPL_THEME4")):
        shown = unit_values(db, indicator)
        expected = published[column].reindex(shown.index)
        assert expected.notna().all() and (shown["value"] == expected).all(), indicator
        assert set(shown["method"]) == {f"CDC/ATSDR, as published ({column}); districts "
                                        "population-weighted"}
        # Tracts CDC does not rank (no population) show nothing, never a zero.
        unranked = published.index[published[column].isna()]
        assert not set(unranked) & set(shown.index)


def test_our_svi_on_the_regions_own_counts_follows_the_2018_method(tmp_path: Path, capsys):
    """The live path (``svi.computed``: percentages to one decimal, ranks to four, as CDC) on the
    region's own counts, not CDC's percentages: every tract CDC ranks, within 0.005."""
    region = read_region(real_region("atlanta_2010", tmp_path), checks=CHECKS)
    inputs = region_inputs(region)
    context = Context(inputs, {}, pd.DataFrame())
    result = svi.computed(context, "RPL_THEMES")
    assert result.method.startswith("SVI-style: CDC/ATSDR SVI 2018 method (15 variables)")
    assert result.detail == ("variables used: POV, UNEMP, PCI, NOHSDP, AGE65, AGE17, DISABL, SNGPNT, "
                             "MINRTY, LIMENG, MUNIT, MOBILE, CROWD, NOVEH, GROUPQ")
    published = cdc("SVI2018_Georgia_tract.csv")
    lines = []
    for column in ("RPL_THEMES", "RPL_THEME1", "RPL_THEME2", "RPL_THEME3", "RPL_THEME4"):
        ours = pd.Series(svi.computed(context, column).values, index=inputs.geoids)
        theirs = published[column].reindex(ours.index)
        both = ours.notna() & theirs.notna()
        diff = (ours[both] - theirs[both]).abs()
        cdc_only = int(theirs.notna().sum() - both.sum())
        lines.append(f"  {column:11} {both.sum():5} tracts ranked by both, {cdc_only} by CDC only; "
                     f"largest difference {diff.max():.4f}, {(diff <= 0.005).mean():.2%} within 0.005")
        if column == "RPL_THEMES":
            assert (ours.notna() == theirs.notna()).all()  # the same 1,952 tracts ranked
            assert both.sum() == 1952 and diff.max() <= 0.005
    with capsys.disabled():
        print("\nSVI 2018 from the region's own counts (CDC's E_ columns), against CDC's ranks:")
        print("\n".join(lines))


# --- CEJST --------------------------------------------------------------------------------------

#: The criteria CEJST's Georgia file carries: indicator id -> CEJST's flag column.
AT_90 = "Greater.than.or.equal.to.the.90th.percentile.for."
CEJST_FLAGS = {
    "pm25": AT_90 + "PM2.5.exposure.and.is.low.income.",
    "diesel_pm": AT_90 + "diesel.particulate.matter.and.is.low.income.",
    "traffic_proximity": AT_90 + "traffic.proximity.and.is.low.income.",
    "transport_barriers": AT_90 + "DOT.transit.barriers.and.is.low.income.",
    "hazwaste_proximity": AT_90 + "proximity.to.hazardous.waste."
                          "facilities.and.is.low.income.",
    "asthma": AT_90 + "asthma.and.is.low.income.",
    "diabetes": AT_90 + "diabetes.and.is.low.income.",
    "heart_disease": AT_90 + "heart.disease.and.is.low.income.",
    "life_expectancy": AT_90 + "low.life.expectancy.and.is.low.income.",
    "median_income": AT_90 + "low.median.household.income.as.a."
                     "percent.of.area.median.income.and.has.low.HS.attainment.",
    "limited_english": AT_90 + "households.in.linguistic.isolation."
                       "and.has.low.HS.attainment.",
    "unemployment": AT_90 + "unemployment.and.has.low.HS.attainment.",
    "poverty": AT_90 + "households.at.or.below.100..federal."
               "poverty.level.and.has.low.HS.attainment.",
}
#: Each criterion's percentile as our CEJST profile reads it (canonical variables).
CEJST_PERCENTILES = {
    "pm25": "pctl_pm25", "diesel_pm": "pctl_diesel_pm", "traffic_proximity": "pctl_traffic_proximity",
    "transport_barriers": "pctl_transport_barriers", "hazwaste_proximity": "pctl_hazwaste_proximity",
    "asthma": "pctl_asthma_prev", "diabetes": "pctl_diabetes_prev", "heart_disease": "pctl_chd_prev",
    "life_expectancy": "pctl_low_life_expectancy", "median_income": "pctl_low_median_income",
    "limited_english": "pctl_linguistic_isolation", "unemployment": "pctl_unemployment",
    "poverty": "pctl_poverty_100",
}


def truth(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].map({True: True, False: False, "True": True, "False": False}).fillna(False)


@pytest.fixture(scope="module")
def cejst_as_read(atlanta_2010_db: Path) -> pd.DataFrame:
    """CEJST's values and percentiles as our profile loaded them (wide, by GEOID)."""
    with duckdb.connect(str(atlanta_2010_db), read_only=True) as con:
        long = con.execute("SELECT e.geoid, e.variable, e.estimate FROM estimates e JOIN layers l "
                           "USING (layer_id) WHERE l.profile = 'cejst'").df()
    return long.pivot(index="geoid", columns="variable", values="estimate")


def test_cejst_rule_reproduces_every_criterion_cejst_publishes(cejst_as_read: pd.DataFrame):
    ours = criteria_from(cejst_as_read)
    file = pd.read_csv(CEJST_FILE, dtype={"Census.tract.2010.ID": str}).set_index("Census.tract.2010.ID")
    file = file.reindex(ours.index)
    for indicator, column in CEJST_FLAGS.items():
        disagree = (ours[indicator] != truth(file, column)).sum()
        assert disagree == 0, (indicator, disagree)
    assert set(CEJST_FLAGS) == {c.indicator for c in cejst.CRITERIA} - {
        "superfund_proximity", "wastewater", "ust", "housing_cost_burden", "lead_paint",
        "redlined_share", "impervious"}  # the criteria whose columns the Georgia file lacks


def criteria_from(wide: pd.DataFrame) -> pd.DataFrame:
    pct = pd.DataFrame({i: wide[v] for i, v in CEJST_PERCENTILES.items()})
    return cejst.criteria_flags(pct, wide["pctl_low_income"], wide["share_less_hs"])


def test_cejst_designation_is_reproduced_where_the_file_explains_it(cejst_as_read: pd.DataFrame,
                                                                    capsys):
    flags = criteria_from(cejst_as_read)
    ours = cejst.designation(flags, cejst_as_read["cejst_neighbour_share"],
                             cejst_as_read["pctl_low_income"])
    theirs = cejst_as_read["cejst_disadvantaged"] == 1.0
    total_criteria = cejst_as_read["cejst_criteria_count"]
    # Flagged by CEJST through criteria the Georgia file does not carry (climate, energy cost,
    # housing, legacy pollution, water): CEJST counts more criteria than the file shows.
    hidden = theirs & ~ours["flagged"] & (total_criteria > flags.sum(axis=1))
    assert (ours["flagged"] & ~theirs).sum() == 0  # never a tract CEJST did not flag
    assert (theirs & ~ours["flagged"] & ~hidden).sum() == 0  # every explained tract reproduced
    recall = (ours["flagged"] & theirs).sum() / theirs.sum()
    with capsys.disabled():
        print(f"\nCEJST 1.0 on CEJST's own percentiles (Georgia, {len(ours)} tracts): every criterion "
              f"the file carries reproduced for every tract; {int(ours['flagged'].sum())} of CEJST's "
              f"{int(theirs.sum())} disadvantaged tracts reproduced (recall {recall:.1%}, "
              f"{int((ours['by_neighbours'] & ~ours['by_criteria']).sum())} by the neighbours rule); "
              f"the other {int(hidden.sum())} are flagged by criteria the file does not carry")
    assert (int(ours["flagged"].sum()), int(theirs.sum()), int(hidden.sum())) == (754, 830, 76)


# --- race shares and what Atlanta 2010 can show -------------------------------------------------


def test_atlanta_2010_shows_race_shares_low_income_and_the_composites(atlanta_2010_db: Path):
    with duckdb.connect(str(atlanta_2010_db), read_only=True) as con:
        available = {r[0] for r in con.execute(
            "SELECT indicator_id FROM indicator_availability WHERE available").fetchall()}
        methods = dict(con.execute("SELECT indicator_id, method FROM indicator_availability").fetchall())
    assert {"black_share", "hispanic_share", "asian_share", "white_share",
            "poverty_200", "ej_index", "burdened_share"} <= available
    assert len(available) == 35
    # No loaded file counts Black, Asian or Hispanic residents, so those shares are CEJST's
    # published B03002 percentages: weighted means that say so, with no margin of error to show.
    for race in RACE_COLUMNS:
        assert methods[race] == "population-weighted mean of the published percentage (no margin of error)"
    # Counts come first where a file has them: SVI 2018 and UDP count non-Hispanic White residents.
    assert methods["white_share"] == "rate of interpolated counts"


RACE_COLUMNS = {"black_share": "Percent.Black.or.African.American.alone", "asian_share": "Percent.Asian",
                "hispanic_share": "Percent.Hispanic.or.Latino"}


def test_cejsts_race_shares_are_not_hispanic_ones():
    """CEJST's headers say "alone"; its shares are B03002's, not Hispanic: with the Hispanic share
    its seven race shares sum to 1, which shares of any ethnicity could not (they would sum to 1
    without it)."""
    file = pd.read_csv(CEJST_FILE)
    races = [c for c in file.columns if c.startswith("Percent.") and any(
        k in c for k in ("Black", "American.Indian", "Asian", "Hawaiian", "White", "two.or.more",
                         "other.races"))]
    assert len(races) == 7
    total = (file[races].sum(axis=1) + file["Percent.Hispanic.or.Latino"]).dropna()
    assert abs(total.median() - 1) < 0.02
    assert file[races].sum(axis=1).median() < 0.95


@pytest.mark.parametrize("indicator", sorted(RACE_COLUMNS))
def test_npu_race_shares_match_an_independent_computation(atlanta_2010_db: Path, indicator: str):
    """Each NPU's share, population-weighted from CEJST's tract percentages, against an overlay
    of the raw files (the NPU boundaries and the tracts as published, not as stored)."""
    column = RACE_COLUMNS[indicator]
    with duckdb.connect(str(atlanta_2010_db), read_only=True) as con:
        ours = con.execute("SELECT d.name, v.value, v.moe FROM indicator_values v JOIN districts d "
                           "ON d.district_id = v.geo_id WHERE v.geo_kind = 'district' AND "
                           "v.indicator_id = ?", [indicator]).df().set_index("name")
    npus = gpd.read_file(NPU_FILE).to_crs("EPSG:5070")
    npus["name"] = "NPU " + npus["NPU"].astype(str)
    tracts = gpd.read_file(TRACTS_2010_FILE).to_crs("EPSG:5070")
    file = pd.read_csv(CEJST_FILE, dtype={"Census.tract.2010.ID": str}).set_index("Census.tract.2010.ID")
    tracts = tracts.join(file[["Total.population", column]], on=tracts["GEOID"].astype(str))
    tracts["tract_area"] = tracts.area
    pieces = gpd.overlay(tracts, npus[["name", "geometry"]], how="intersection", keep_geom_type=True)
    pieces = pieces.dropna(subset=[column, "Total.population"])
    people = pieces["Total.population"] * pieces.area / pieces["tract_area"]
    expected = (people * pieces[column]).groupby(pieces["name"]).sum() / people.groupby(
        pieces["name"]).sum()
    assert len(expected) == 25
    np.testing.assert_allclose(ours["value"].reindex(expected.index), expected, atol=1e-6)
    assert ours["moe"].isna().all()


def test_every_column_the_registry_can_use_is_read(cejst_as_read: pd.DataFrame, atlanta_2020_db: Path):
    file = pd.read_csv(CEJST_FILE, dtype={"Census.tract.2010.ID": str}).set_index("Census.tract.2010.ID")
    file = file.reindex(cejst_as_read.index)
    pairs = {"share_nh_black": ("Percent.Black.or.African.American.alone", 1),
             "share_nh_asian": ("Percent.Asian", 1), "share_nh_white": ("Percent.White", 1),
             "share_hispanic": ("Percent.Hispanic.or.Latino", 1),
             "share_below_200": ("Percent.of.individuals.below.200..Federal.Poverty.Line", 100),
             "share_unemployed": ("Unemployment..percent.", 100),
             "share_less_hs": ("Percent.individuals.age.25.or.over.with.less.than.high.school.degree", 100),
             "median_income_pct_ami": ("Median.household.income.as.a.percent.of.area.median.income", 1)}
    for variable, (column, scale) in pairs.items():
        np.testing.assert_allclose(cejst_as_read[variable], file[column] / scale, err_msg=variable)
    with duckdb.connect(str(atlanta_2020_db), read_only=True) as con:
        read = {r[0] for r in con.execute("SELECT DISTINCT variable FROM estimates e JOIN layers l "
                                          "USING (layer_id) WHERE l.profile = 'ejscreen'").fetchall()}
    assert {"share_poc", "share_below_200", "share_less_hs", "share_limited_english_hh",
            "share_under5", "share_over64", "demographic_index", "ej_d2_ptsdf", "ej_d5_pwdis",
            "ust"} <= read


def test_cards_say_which_numbers_are_the_publishers(atlanta_2010_db: Path):
    """An NPU's cards name the publisher's own numbers as such: CDC's ranks "as published", CEJST's
    shares as published percentages without a margin of error; a count-based rate says neither."""
    with duckdb.connect(str(atlanta_2010_db), read_only=True) as con:
        npu = con.execute("SELECT district_id FROM districts WHERE name = 'NPU V'").fetchone()[0]
        values = con.execute("SELECT * FROM indicator_values WHERE geo_kind = 'district' AND "
                             "geo_id = ?", [npu]).df()
        region = con.execute("SELECT * FROM indicator_values WHERE geo_kind = 'region'").df()
    rows = {r.indicator_id: r for r in profile_rows(values, region, {})}
    assert rows["social_vulnerability"].source.endswith(
        "(CDC/ATSDR, as published; districts population-weighted)")
    assert rows["black_share"].source.endswith(
        "(the published percentage, population-weighted; none has a margin of error)")
    assert "population-weighted" not in rows["white_share"].source
