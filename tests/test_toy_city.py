"""The indicator engine on a hand-built toy city, with every expected value worked out by hand.

Toy city: six 1 km x 1 km tracts in EPSG:5070 (3 columns x 2 rows), two districts split down
the middle column, so tracts B and E are half in each:

    +---+---+---+          West = A + D + B/2 + E/2
    | D | E | F |          East = C + F + B/2 + E/2
    +---+---+---+
    | A | B | C |
    +---+---+---+
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from indicators.metrics.aggregate import Weights, median_from_brackets, rate, sum_counts, weighted_mean
from indicators.metrics.composites.cejst import criteria_flags
from indicators.metrics.crosswalk import build_crosswalk
from indicators.metrics.rank import percentile_rank
from indicators.metrics.segregation import _segregation_classes
from indicators.store.build import build

KM = 1000.0
X0, Y0 = 1_000_000.0, 1_200_000.0  # somewhere in Georgia, in EPSG:5070 metres
NAMES = ["A", "B", "C", "D", "E", "F"]
GEOIDS = {n: f"1312100{i + 1:02d}00" for i, n in enumerate(NAMES)}
#            pop  pop_moe  poc  poc_moe  black white  pm25
TRACTS = {
    "A": (1000, 100, 600, 90, 500, 400, 10.0),
    "B": (2000, 150, 500, 80, 300, 1500, 12.0),
    "C": (1500, 120, 0, 12, 0, 1500, 8.0),
    "D": (800, 90, 400, 70, 300, 400, 9.0),
    "E": (1200, 110, 1100, 100, 1000, 100, 11.0),
    "F": (500, 60, 250, 40, 200, 250, 7.0),
}


def tract_frame() -> gpd.GeoDataFrame:
    boxes = []
    for i, _ in enumerate(NAMES):
        col, row = i % 3, i // 3
        boxes.append(box(X0 + col * KM, Y0 + row * KM, X0 + (col + 1) * KM, Y0 + (row + 1) * KM))
    return gpd.GeoDataFrame({"geoid": [GEOIDS[n] for n in NAMES]}, geometry=boxes, crs="EPSG:5070")


def district_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"district_id": ["west", "east"], "name": ["West", "East"]},
        geometry=[box(X0, Y0, X0 + 1.5 * KM, Y0 + 2 * KM), box(X0 + 1.5 * KM, Y0, X0 + 3 * KM, Y0 + 2 * KM)],
        crs="EPSG:5070",
    )


def column(i: int) -> np.ndarray:
    return np.array([TRACTS[n][i] for n in NAMES], dtype=float)


@pytest.fixture(scope="module")
def crosswalk() -> pd.DataFrame:
    return build_crosswalk(tract_frame(), district_frame())


@pytest.fixture(scope="module")
def west_east(crosswalk: pd.DataFrame) -> Weights:
    return Weights.from_crosswalk(crosswalk, [GEOIDS[n] for n in NAMES], ["west", "east"])


def test_crosswalk_weights(crosswalk: pd.DataFrame):
    got = {(r.geoid, r.district_id): round(r.weight, 12) for r in crosswalk.itertuples()}
    g = GEOIDS
    assert got == {
        (g["A"], "west"): 1.0, (g["D"], "west"): 1.0, (g["C"], "east"): 1.0, (g["F"], "east"): 1.0,
        (g["B"], "west"): 0.5, (g["B"], "east"): 0.5, (g["E"], "west"): 0.5, (g["E"], "east"): 0.5,
    }
    assert crosswalk["area_m2"].sum() == pytest.approx(6 * KM * KM)


def test_interpolated_counts_and_moes(west_east: Weights):
    est, moe = sum_counts(west_east, np.c_[column(0), column(2)], np.c_[column(1), column(3)])
    # West population: 1000 + 800 + 2000/2 + 1200/2 = 3400; East: 1500 + 500 + 1000 + 600 = 3600.
    assert est[:, 0].tolist() == [3400.0, 3600.0]
    # West POC: 600 + 400 + 500/2 + 1100/2 = 1800; East: 0 + 250 + 250 + 550 = 1050.
    assert est[:, 1].tolist() == [1800.0, 1050.0]
    # MOE = sqrt(sum (w * moe)^2): West pop sqrt(100^2 + 90^2 + 75^2 + 55^2) = sqrt(26750).
    assert moe[0, 0] == pytest.approx(math.sqrt(26750))  # 163.554
    # East POC includes C's zero estimate (MOE 12, the only zero): sqrt(12^2 + 40^2 + 40^2 + 50^2).
    assert moe[1, 1] == pytest.approx(math.sqrt(5844))  # 76.446


def test_zero_estimate_rule_keeps_only_the_largest_zero_moe():
    w = Weights.single("all", ["a", "b", "c"], np.array([1.0, 1.0, 0.5]))
    _, moe = sum_counts(w, np.array([0.0, 0.0, 10.0]), np.array([12.0, 20.0, 8.0]))
    # Zeros: w*MOE = 12 and 20 -> only 20 counts; plus (0.5 * 8)^2.  sqrt(400 + 16).
    assert moe[0, 0] == pytest.approx(math.sqrt(416))


def test_proportion_moe_cv_and_reliability(west_east: Weights):
    frame = rate(west_east, column(2), column(0), column(3), column(1))
    west = frame.loc["west"]
    # p = 1800 / 3400 = 0.529412
    assert west.value == pytest.approx(0.5294117647)
    # MOE_p = sqrt(17100 - 0.529412^2 * 26750) / 3400 = sqrt(9602.595) / 3400 = 0.0288214
    assert west.moe == pytest.approx(0.0288214212)
    # CV = (0.0288214 / 1.645) / 0.529412 = 0.0331 -> high reliability (< 15 %).
    assert west.cv == pytest.approx(0.0330945, rel=1e-4)
    assert west.reliability == "high"
    east = frame.loc["east"]
    # p = 1050 / 3600 = 0.291667; MOE_p = sqrt(5844 - 0.291667^2 * 26650) / 3600 = 0.0166131
    assert east.value == pytest.approx(0.2916666667)
    assert east.moe == pytest.approx(0.0166131068)
    assert frame["n_units"].tolist() == [4, 4]


def test_proportion_moe_falls_back_to_the_ratio_formula():
    w = Weights.identity(["a"])
    # X = 90 (MOE 40) of Y = 100 (MOE 60): 40^2 - 0.81 * 60^2 = -1316 < 0, so use
    # sqrt(40^2 + 0.81 * 60^2) / 100 = sqrt(4516) / 100 = 0.67201.
    frame = rate(w, np.array([90.0]), np.array([100.0]), np.array([40.0]), np.array([60.0]))
    assert frame["moe"].iloc[0] == pytest.approx(math.sqrt(4516) / 100)


def test_zero_denominator_is_missing_not_zero():
    w = Weights.identity(["a", "b"])
    frame = rate(w, np.array([0.0, 5.0]), np.array([0.0, 10.0]), np.array([12.0, 2.0]),
                 np.array([12.0, 3.0]))
    assert math.isnan(frame["value"].iloc[0]) and frame["value"].iloc[1] == 0.5


def test_population_weighted_mean(west_east: Weights):
    frame = weighted_mean(west_east, column(6), column(0))
    # West: (1000*10 + 800*9 + 1000*12 + 600*11) / 3400 = 35800 / 3400 = 10.529412
    assert frame.loc["west", "value"] == pytest.approx(35800 / 3400)
    # East: (1500*8 + 500*7 + 1000*12 + 600*11) / 3600 = 34100 / 3600 = 9.472222
    assert frame.loc["east", "value"] == pytest.approx(34100 / 3600)


def test_percentiles_follow_the_cdc_convention():
    shares = pd.Series(column(2) / column(0), index=NAMES)  # .6 .25 0 .5 .9167 .5
    pct = percentile_rank(shares)
    # Ranks (ties at the lowest): C 1, B 2, D 3, F 3, A 5, E 6 -> (rank - 1) / 5.
    assert pct.to_dict() == {"A": 0.8, "B": 0.2, "C": 0.0, "D": 0.4, "E": 1.0, "F": 0.4}


def test_burden_flags_agree_with_thresholds():
    pct = pd.DataFrame({"pm25": [0.95, 0.95, 0.50, 0.90], "asthma": [0.1, 0.2, 0.99, 0.2],
                        "low_income": [0.70, 0.60, 0.65, 0.65]}, index=list("wxyz"))
    flags = criteria_flags(pct[["pm25", "asthma"]], pct["low_income"], pd.Series(0.0, index=pct.index))
    # w: burdened and low income; x: low income below 0.65; y: asthma >= 0.9 and 0.65; z: both
    # exactly at the thresholds (>=) -> flagged.
    assert flags.any(axis=1).to_dict() == {"w": True, "x": False, "y": True, "z": True}


def test_dissimilarity_by_hand():
    Dissim, _, _ = _segregation_classes()
    data = pd.DataFrame({"black": column(4), "white": column(5)})
    data["bw"] = data.black + data.white
    # D = 1/2 sum |b_i / 2300 - w_i / 4150|
    #   = 1/2 (0.121005 + 0.231011 + 0.361446 + 0.034049 + 0.410687 + 0.026716) = 0.592457
    assert Dissim(data, "black", "bw").statistic == pytest.approx(0.592457, abs=1e-6)


def test_median_from_brackets_by_hand():
    # 100 households: 20 under $10k, 50 in $10-20k, 30 in $20-40k. The 50th household is in
    # $10-20k with 20 below it: 10,000 + (50 - 20) / 50 * 10,000 = 16,000.
    frame = median_from_brackets(np.array([[20.0, 50.0, 30.0]]),
                                 [(0, 10_000), (10_000, 20_000), (20_000, 40_000)])
    assert frame.loc[0, "value"] == pytest.approx(16_000)
    # SE(50%) = 1.5 * sqrt(95 / (5 * 100) * 2500) = 32.692 points: the 17.31st and 82.69th
    # percentiles are 8,654 and 29,135 -> MOE = 1.645 * (29,135 - 8,654) / 2 = 16,846.
    se = 1.5 * math.sqrt(95 / 500 * 2500)
    low = (50 - se) / 20 * 10_000
    high = 20_000 + (50 + se - 70) / 30 * 20_000
    assert frame.loc[0, "moe"] == pytest.approx(1.645 * (high - low) / 2)


def test_open_top_bracket_is_reported_as_its_lower_bound():
    frame = median_from_brackets(np.array([[10.0, 90.0]]), [(0, 200_000), (200_000, math.inf)])
    assert frame.loc[0, "value"] == 200_000 and bool(frame.loc[0, "top_coded"])


# --- the same toy city through the whole build ------------------------------------------------


@pytest.fixture(scope="module")
def toy_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("toycity")
    tract_frame().to_file(folder / "tracts.gpkg")
    district_frame().rename(columns={"name": "NAME"}).drop(columns="district_id").to_file(
        folder / "districts.gpkg")
    rows = ["GEOID,pop,pop_moe,poc,poc_moe,black,white,pm25"]
    for n in NAMES:
        pop, pm, poc, qm, black, white, pm25 = TRACTS[n]
        rows.append(f"{GEOIDS[n]},{pop},{pm},{poc},{qm},{black},{white},{pm25}")
    (folder / "census.csv").write_text("\n".join(rows) + "\n")
    (folder / "manifest.toml").write_text("""
[region]
name = "Toy City"

[[layer]]
role = "units"
path = "tracts.gpkg"
key = "geoid"

[[layer]]
role = "census"
path = "census.csv"
profile = "generic"
moe_columns = { pop_total = "pop_moe", pop_poc = "poc_moe" }

[layer.columns]
pop_total = "pop"
pop_poc = "poc"
pop_nh_black = "black"
pop_nh_white = "white"
pm25 = "pm25"

[[layer]]
role = "districts"
path = "districts.gpkg"
name = "NAME"
""")
    out = folder / "indicators.duckdb"
    build(folder, out)
    return out


def value(db: Path, kind: str, geo: str, indicator: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.execute("SELECT * FROM indicator_values WHERE geo_kind = ? AND geo_id = ? "
                            "AND indicator_id = ?", [kind, geo, indicator]).df()
    assert len(frame) == 1, frame
    return frame.iloc[0].to_dict()


def test_build_stores_hand_checked_values(toy_db: Path):
    west = value(toy_db, "district", "west", "poc_share")
    assert west["value"] == pytest.approx(1800 / 3400, rel=1e-6)
    assert west["moe"] == pytest.approx(0.0288214212, rel=1e-5)
    assert west["numerator"] == pytest.approx(1800, rel=1e-6)
    assert west["reliability"] == "high" and west["n_units"] == 4
    region = value(toy_db, "region", "region", "poc_share")
    assert region["value"] == pytest.approx(2850 / 7000, rel=1e-6)
    pm = value(toy_db, "district", "east", "pm25")
    assert pm["value"] == pytest.approx(34100 / 3600, rel=1e-6)
    unit_c = value(toy_db, "unit", GEOIDS["C"], "poc_share")
    assert unit_c["value"] == 0 and unit_c["percentile"] == 0
    assert value(toy_db, "unit", GEOIDS["E"], "poc_share")["percentile"] == 1.0


def test_missing_inputs_are_not_available_never_zero(toy_db: Path):
    with duckdb.connect(str(toy_db), read_only=True) as con:
        rent = con.execute(
            "SELECT count(*) FROM indicator_values WHERE indicator_id = 'rent_burden'").fetchone()
        reason = con.execute("SELECT available, reason FROM indicator_availability "
                             "WHERE indicator_id = 'rent_burden'").fetchone()
    assert rent[0] == 0
    assert reason == (False, "not available for this region: it needs renter_hh_burden30 + "
                      "renter_hh_computed")


def test_build_stores_region_and_district_segregation(toy_db: Path):
    with duckdb.connect(str(toy_db), read_only=True) as con:
        seg = con.execute("SELECT value FROM segregation WHERE geo_kind = 'region' AND "
                          "\"index\" = 'Dissimilarity' AND groups = 'Black / White'").fetchone()
    assert seg[0] == pytest.approx(0.592457, abs=1e-5)


# --- a published percentage without its counts -------------------------------------------------


def test_published_shares_are_population_weighted_without_a_margin_of_error():
    """CEJST publishes the Hispanic share of each tract but not the counts: the district's share
    is the population-weighted mean of the tract shares, and it has no MOE to show."""
    from indicators.metrics.engine import compute_values
    from indicators.metrics.inputs import Inputs

    share = {"A": 0.10, "B": 0.20, "C": 0.30, "D": 0.40, "E": 0.50, "F": 0.60}
    rows = [(GEOIDS[n], "pop_total", float(TRACTS[n][0])) for n in NAMES]
    rows += [(GEOIDS[n], "share_hispanic", share[n]) for n in NAMES]
    estimates = pd.DataFrame(rows, columns=["geoid", "variable", "estimate"]).assign(moe=np.nan,
                                                                                      layer_id=1)
    units = tract_frame().assign(level="tract", name=NAMES, county="121", area_m2=1e6)
    overlays = units.iloc[:0][["geometry"]].assign(layer_id=[], kind=[], category=[], label=[])
    layers = pd.DataFrame({"layer_id": [1], "role": ["environment"], "title": ["toy CEJST"]})
    inputs = Inputs.from_long(units, district_frame().assign(area_m2=3e6), overlays, estimates,
                              layers, "Toy City")
    values = compute_values(inputs).values.query("indicator_id == 'hispanic_share'").set_index(
        ["geo_kind", "geo_id"])
    # West: (1000 x .1 + 800 x .4 + 1000 x .2 + 600 x .5) / 3400 = 920 / 3400
    # East: (1500 x .3 + 500 x .6 + 1000 x .2 + 600 x .5) / 3600 = 1250 / 3600
    assert values.loc[("district", "west"), "value"] == pytest.approx(920 / 3400)
    assert values.loc[("district", "east"), "value"] == pytest.approx(1250 / 3600)
    assert values.loc[("region", "region"), "value"] == pytest.approx(2170 / 7000)
    assert values.loc[("unit", GEOIDS["E"]), "value"] == 0.5  # a tract shows the published share
    assert values["moe"].isna().all() and set(values["reliability"]) == {""}
    assert set(values["method"]) == {"population-weighted mean of the published percentage "
                                     "(no margin of error)"}
