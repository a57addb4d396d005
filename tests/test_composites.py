"""Each composite index on the toy city of ``test_toy_city`` (six 1 km tracts A-F, West = A + D +
B/2 + E/2, East = C + F + B/2 + E/2), every expected value worked out by hand in the comments.

    +---+---+---+       population  A 1000  B 2000  C 1500
    | D | E | F |                   D  800  E 1200  F  500
    +---+---+---+
    | A | B | C |
    +---+---+---+
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.metrics.composites import Context, Unavailable, UnitIndex, cejst, ej, svi
from indicators.metrics.engine import composite_outcome
from indicators.metrics.inputs import Inputs
from indicators.metrics.registry import BY_ID
from tests.test_toy_city import GEOIDS, NAMES, district_frame, tract_frame

POPULATION = {"A": 1000, "B": 2000, "C": 1500, "D": 800, "E": 1200, "F": 500}


def toy_inputs(percent: dict[str, dict[str, float]]) -> Inputs:
    """Inputs whose census layer gives each unit ``percent[variable][unit]`` of its people, as
    counts of a population (``pop_total``); variables are (numerator, denominator) pairs over
    the population."""
    rows = []
    for name in NAMES:
        geoid, pop = GEOIDS[name], POPULATION[name]
        rows.append((geoid, "pop_total", float(pop)))
        for variable, by_unit in percent.items():
            rows.append((geoid, variable, pop * by_unit[name] / 100.0))
    estimates = pd.DataFrame(rows, columns=["geoid", "variable", "estimate"]).assign(moe=np.nan,
                                                                                      layer_id=1)
    layers = pd.DataFrame({"layer_id": [1], "role": ["census"], "title": ["toy census"]})
    units = tract_frame().assign(level="tract", name=NAMES, county="121", area_m2=1e6)
    districts = district_frame().assign(area_m2=3e6)
    overlays = units.iloc[:0][["geometry"]].assign(layer_id=[], kind=[], category=[], label=[])
    return Inputs.from_long(units, districts, overlays, estimates, layers, "Toy City")


def by_unit(values: dict[str, float]) -> pd.Series:
    return pd.Series([values[n] for n in NAMES], index=[GEOIDS[n] for n in NAMES])


def districts(index_id: str, context: Context) -> dict[str, float]:
    inputs = context.inputs
    outcome = composite_outcome(BY_ID[index_id], context, inputs.weights(), inputs.population())
    return outcome.frames["district"]["value"].to_dict()


# --- SVI-style ----------------------------------------------------------------------------------

#: One SVI variable in each theme (percent of people); no two units tie except D and F on MINRTY.
SVI_PERCENT = {
    "POV150": {"A": 10, "B": 20, "C": 30, "D": 40, "E": 50, "F": 60},
    "AGE65": {"A": 30, "B": 25, "C": 20, "D": 15, "E": 10, "F": 5},
    "MINRTY": {"A": 60, "B": 25, "C": 0, "D": 50, "E": 91.67, "F": 50},
    "NOVEH": {"A": 5, "B": 15, "C": 10, "D": 20, "E": 30, "F": 25},
}
#: EPL of each variable, (rank - 1) / 5 with ties at the lowest rank:
#:   POV150  A 0   B .2  C .4  D .6  E .8  F 1
#:   AGE65   A 1   B .8  C .6  D .4  E .2  F 0
#:   MINRTY  C 0   B .2  D .4  F .4 (tie)    A .8  E 1
#:   NOVEH   A 0   C .2  B .4  D .6  F .8  E 1
#: One variable a theme, so SPL_THEMES = the sum of the four EPL:
#:   A 1.8  B 1.6  C 1.2  D 2.0  E 3.0  F 2.2  ->  ranked: C 0, B .2, A .4, D .6, F .8, E 1.
SVI_EXPECTED = {"A": 0.4, "B": 0.2, "C": 0.0, "D": 0.6, "E": 1.0, "F": 0.8}


def test_svi_ranks_themes_by_hand():
    table = pd.DataFrame(SVI_PERCENT, index=NAMES)
    out = svi.svi(table, decimals=None)
    assert out["EPL_MINRTY"].to_dict() == {"A": 0.8, "B": 0.2, "C": 0.0, "D": 0.4, "E": 1.0, "F": 0.4}
    assert out["SPL_THEMES"].round(10).to_dict() == {"A": 1.8, "B": 1.6, "C": 1.2, "D": 2.0,
                                                      "E": 3.0, "F": 2.2}
    assert out["RPL_THEMES"].to_dict() == SVI_EXPECTED
    assert out.attrs["variables"] == ["POV150", "AGE65", "MINRTY", "NOVEH"]


def test_svi_reverses_per_capita_income():
    table = pd.DataFrame({"PCI": [10_000, 30_000, 20_000]}, index=list("xyz"))
    out = svi.svi(table, themes={"THEME1": ("PCI",)})
    # Higher income is less vulnerable: y (30k) ranks 0, x (10k) ranks 1.
    assert out["EPL_PCI"].to_dict() == {"x": 1.0, "y": 0.0, "z": 0.5}


def svi_context(percent: dict[str, dict[str, float]]) -> Context:
    variables = {"POV150": ("pov_below_150", "pov_universe"), "UNEMP": ("unemployed", "labor_force"),
                 "AGE65": ("pop_over64", None),
                 "MINRTY": ("pop_poc", None), "NOVEH": ("hh_no_vehicle", "households")}
    counts: dict[str, dict[str, float]] = {}
    for name, (num, den) in variables.items():
        if name not in percent:
            continue
        counts[num] = percent[name]
        if den is not None:
            counts[den] = dict.fromkeys(NAMES, 100.0)  # the universe is everyone
    return Context(toy_inputs(counts), {}, pd.DataFrame())


def test_svi_composite_from_the_regions_counts():
    result = svi.INDEX.unit_index(svi_context(SVI_PERCENT))
    assert isinstance(result, UnitIndex)
    assert result.values.tolist() == [SVI_EXPECTED[n] for n in NAMES]
    assert result.detail == "variables used: POV150, AGE65, MINRTY, NOVEH"


def test_svi_districts_are_population_weighted():
    # West: (1000 x .4 + 800 x .6 + 1000 x .2 + 600 x 1) / 3400 = 1680 / 3400
    # East: (1500 x 0 + 500 x .8 + 1000 x .2 + 600 x 1) / 3600 = 1200 / 3600
    got = districts("social_vulnerability", svi_context(SVI_PERCENT))
    assert got == {"west": pytest.approx(1680 / 3400), "east": pytest.approx(1200 / 3600)}


def test_svi_needs_four_of_cdcs_variables():
    three = {k: v for k, v in SVI_PERCENT.items() if k != "NOVEH"}
    result = svi.INDEX.unit_index(svi_context(three))
    assert result == Unavailable("not available for this region: fewer than 4 of CDC's SVI variables")
    assert svi.MIN_VARIABLES == 4


#: The same city with a second socioeconomic variable, so that a theme sums two ranks:
#:   UNEMP   A 8   B 2   C 6   D 4   E 12  F 10  ->  EPL  B 0  D .2  C .4  A .6  F .8  E 1
SVI_THEMES_PERCENT = {**SVI_PERCENT, "UNEMP": {"A": 8, "B": 2, "C": 6, "D": 4, "E": 12, "F": 10}}
#: Each theme's sum of ranks (SPL) ranked among the units (ties share the lowest rank):
#:   THEME1 = POV150 + UNEMP:  A .6  B .2  C .8  D .8  E 1.8  F 1.8  ->  B 0, A .2, C D .4, E F .8
#:   THEME2 = AGE65, THEME3 = MINRTY, THEME4 = NOVEH: one variable each, so the EPL above.
#: SPL_THEMES = the sum of the five EPL:  A 2.4  B 1.6  C 1.6  D 2.2  E 4.0  F 3.0
#:   -> B C 0, D .4, A .6, F .8, E 1.
SVI_THEMES_EXPECTED = {
    "THEME1": {"A": 0.2, "B": 0.0, "C": 0.4, "D": 0.4, "E": 0.8, "F": 0.8},
    "THEME2": {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.0},
    "THEME3": {"A": 0.8, "B": 0.2, "C": 0.0, "D": 0.4, "E": 1.0, "F": 0.4},
    "THEME4": {"A": 0.0, "B": 0.4, "C": 0.2, "D": 0.6, "E": 1.0, "F": 0.8},
}
#: West: (A 1000 x RPL + D 800 x RPL + B/2 1000 x RPL + E/2 600 x RPL) / 3400;
#: East: (C 1500 x RPL + F 500 x RPL + B/2 1000 x RPL + E/2 600 x RPL) / 3600.
SVI_THEME_DISTRICTS = {
    "svi_socioeconomic": (1000 * .2 + 800 * .4 + 1000 * 0 + 600 * .8, 1500 * .4 + 500 * .8 + 0 + 600 * .8),
    "svi_household": (1000 * 1 + 800 * .4 + 1000 * .8 + 600 * .2, 1500 * .6 + 0 + 1000 * .8 + 600 * .2),
    "svi_minority": (1000 * .8 + 800 * .4 + 1000 * .2 + 600 * 1, 0 + 500 * .4 + 1000 * .2 + 600 * 1),
    "svi_housing_transport": (0 + 800 * .6 + 1000 * .4 + 600 * 1, 1500 * .2 + 500 * .8 + 1000 * .4 + 600 * 1),
}


def test_svi_theme_ranks_by_hand():
    out = svi.svi(pd.DataFrame(SVI_THEMES_PERCENT, index=NAMES))
    for theme, expected in SVI_THEMES_EXPECTED.items():
        assert out[f"RPL_{theme}"].to_dict() == expected, theme
    assert out["SPL_THEME1"].to_dict() == {"A": 0.6, "B": 0.2, "C": 0.8, "D": 0.8, "E": 1.8, "F": 1.8}
    assert out["RPL_THEMES"].to_dict() == {"A": 0.6, "B": 0.0, "C": 0.0, "D": 0.4, "E": 1.0, "F": 0.8}


@pytest.mark.parametrize("theme", sorted(SVI_THEMES_EXPECTED))
def test_each_svi_theme_composite_and_its_districts(theme: str):
    context = svi_context(SVI_THEMES_PERCENT)
    result = svi.THEME_INDEXES[theme].unit_index(context)
    assert isinstance(result, UnitIndex)
    assert result.values.tolist() == [SVI_THEMES_EXPECTED[theme][n] for n in NAMES]
    assert result.detail == "variables used: POV150, UNEMP, AGE65, MINRTY, NOVEH"
    indicator = next(i for i in BY_ID.values() if i.index is svi.THEME_INDEXES[theme])
    west, east = SVI_THEME_DISTRICTS[indicator.id]
    assert districts(indicator.id, context) == {"west": pytest.approx(west / 3400),
                                                "east": pytest.approx(east / 3600)}


# --- EJScreen-style -----------------------------------------------------------------------------

#: Environmental percentiles (higher = more burdened), low-income and people-of-colour shares.
EJ_PCT = {"pm25": {"A": 0.6, "B": 1.0, "C": 0.2, "D": 0.4, "E": 0.8, "F": 0.0},
          "diesel_pm": {"A": 0.4, "B": 0.0, "C": 0.8, "D": 0.2, "E": 1.0, "F": 0.6}}
LOW_INCOME = {"A": 0.5, "B": 0.2, "C": 0.1, "D": 0.4, "E": 0.7, "F": 0.3}
POC = {"A": 0.6, "B": 0.25, "C": 0.0, "D": 0.5, "E": 1100 / 1200, "F": 0.5}
#: E = mean burden percentile: A .5  B .5  C .5  D .3  E .9  F .3
#: D = (low income + POC) / 2: A .55  B .225  C .05  D .45  E .808333  F .4
#: E x D: A .275  B .1125  C .025  D .135  E .7275  F .12
#:   -> ranked: C 0, B .2, F .4, D .6, A .8, E 1.
EJ_EXPECTED = {"A": 0.8, "B": 0.2, "C": 0.0, "D": 0.6, "E": 1.0, "F": 0.4}


def ej_context(pct: dict[str, dict[str, float]]) -> Context:
    return Context(toy_inputs({}), {"poverty_200": by_unit(LOW_INCOME), "poc_share": by_unit(POC)},
                   pd.DataFrame({k: by_unit(v) for k, v in pct.items()}))


def test_ej_index_by_hand():
    out = ej.ej_index(pd.DataFrame(EJ_PCT, index=NAMES), pd.Series(LOW_INCOME), pd.Series(POC))
    assert out["environment"].round(10).to_dict() == {"A": 0.5, "B": 0.5, "C": 0.5, "D": 0.3,
                                                       "E": 0.9, "F": 0.3}
    assert out["raw"].round(10).to_dict() == {"A": 0.275, "B": 0.1125, "C": 0.025, "D": 0.135,
                                              "E": round(0.9 * (0.7 + 1100 / 1200) / 2, 10), "F": 0.12}
    assert out["percentile"].to_dict() == EJ_EXPECTED


def test_ej_composite_and_its_districts():
    result = ej.INDEX.unit_index(ej_context(EJ_PCT))
    assert isinstance(result, UnitIndex)
    assert result.values.tolist() == [EJ_EXPECTED[n] for n in NAMES]
    assert result.detail == "burdens used: pm25, diesel_pm"
    # West: (1000 x .8 + 800 x .6 + 1000 x .2 + 600 x 1) / 3400 = 2080 / 3400
    # East: (1500 x 0 + 500 x .4 + 1000 x .2 + 600 x 1) / 3600 = 1000 / 3600
    got = districts("ej_index", ej_context(EJ_PCT))
    assert got == {"west": pytest.approx(2080 / 3400), "east": pytest.approx(1000 / 3600)}


def test_ej_needs_a_burden_and_both_demographics():
    assert isinstance(ej.INDEX.unit_index(ej_context({})), Unavailable)
    context = Context(toy_inputs({}), {"poverty_200": by_unit(LOW_INCOME)},
                      pd.DataFrame({"pm25": by_unit(EJ_PCT["pm25"])}))
    assert isinstance(ej.INDEX.unit_index(context), Unavailable)


# --- CEJST-style --------------------------------------------------------------------------------

#: Percentiles among the units. Flagged: any burden >= .90 and low income >= .65.
#:   A: pm25 .95, low income .70 -> flagged        B: pm25 .95, low income .60 -> not
#:   C: nothing high, low income .99 -> not         D: asthma .90 (at the threshold), .64 -> not
#:   E: asthma .92, low income .65 (at the threshold) -> flagged      F: nothing -> not
CEJST_PCT = {"pm25": {"A": 0.95, "B": 0.95, "C": 0.5, "D": 0.1, "E": 0.2, "F": 0.3},
             "asthma": {"A": 0.1, "B": 0.2, "C": 0.3, "D": 0.90, "E": 0.92, "F": 0.4},
             "poverty_200": {"A": 0.70, "B": 0.60, "C": 0.99, "D": 0.64, "E": 0.65, "F": 0.1}}


def cejst_context(pct: dict[str, dict[str, float]]) -> Context:
    return Context(toy_inputs({}), {}, pd.DataFrame({k: by_unit(v) for k, v in pct.items()}))


def test_cejst_flags_and_the_burdens_behind_them():
    context = cejst_context(CEJST_PCT)
    table = cejst.unit_burdens(context)
    assert table["flagged"].tolist() == [True, False, False, False, True, False]
    # The criteria met (high burden and low income): B and D have a high burden but not the
    # low income, so they meet none.
    assert table["burdens"].tolist() == ["pm25", "", "", "", "asthma", ""]
    assert table["categories"].tolist() == ["Energy", "", "", "", "Health", ""]
    assert table["n_burdens"].tolist() == [1, 0, 0, 0, 1, 0]
    # Nobody is surrounded by flagged tracts (each touches at least one that is not).
    assert not table["by_neighbours"].any()
    assert (cejst.BURDEN_PERCENTILE, cejst.LOW_INCOME_PERCENTILE) == (0.90, 0.65)


def test_cejst_share_of_people_in_flagged_units():
    result = cejst.INDEX.unit_index(cejst_context(CEJST_PCT))
    assert isinstance(result, UnitIndex)
    assert result.detail == "criteria tested: pm25, asthma"
    # West: (1000 x 1 + 600 x 1) / 3400 (A whole, half of E); East: 600 / 3600 (half of E).
    got = districts("burdened_share", cejst_context(CEJST_PCT))
    assert got == {"west": pytest.approx(1600 / 3400), "east": pytest.approx(600 / 3600)}


def test_cejst_needs_low_income():
    no_income = {k: v for k, v in CEJST_PCT.items() if k != "poverty_200"}
    result = cejst.INDEX.unit_index(cejst_context(no_income))
    assert isinstance(result, Unavailable) and "low income" in result.reason


#: The workforce criteria need a high burden and low high-school attainment, not low income:
#:   unemployment  A .1   B .95  C .1   D .93  E .91  F .95     (percentiles)
#:   less than HS  A .05  B .12  C .30  D .10  E .20  F .08     (shares; the bar is .10)
#:   low income    A .55  B .10  C .90  D .20  E .30  F .90     (percentiles)
#: -> B, D (at the bar) and E meet it; F has too few adults without a diploma; C and A are not
#: burdened. A's neighbours (B, D, E) are all flagged and its low income .55 >= .50, so the
#: neighbours rule flags A; C's and F's neighbours include an unflagged tract (F, C).
WORKFORCE_PCT = {"unemployment": {"A": 0.1, "B": 0.95, "C": 0.1, "D": 0.93, "E": 0.91, "F": 0.95},
                 "poverty_200": {"A": 0.55, "B": 0.10, "C": 0.90, "D": 0.20, "E": 0.30, "F": 0.90}}
LESS_HS = {"A": 0.05, "B": 0.12, "C": 0.30, "D": 0.10, "E": 0.20, "F": 0.08}


def workforce_context() -> Context:
    return Context(toy_inputs({}), {"less_than_hs": by_unit(LESS_HS)},
                   pd.DataFrame({k: by_unit(v) for k, v in WORKFORCE_PCT.items()}))


def test_cejst_workforce_criterion_and_the_neighbours_rule():
    table = cejst.unit_burdens(workforce_context())
    assert table["burdens"].tolist() == ["", "unemployment", "", "unemployment", "unemployment", ""]
    assert table["categories"].tolist() == ["", "Workforce development", "",
                                            "Workforce development", "Workforce development", ""]
    assert table["by_neighbours"].tolist() == [True, False, False, False, False, False]
    assert table["flagged"].tolist() == [True, True, False, True, True, False]
    assert cejst.BY_INDICATOR["unemployment"].condition == cejst.LOW_HS_CONDITION
    assert (cejst.LOW_HS_SHARE, cejst.NEIGHBOUR_LOW_INCOME_PERCENTILE) == (0.10, 0.50)
    # West: A, D, B/2 and E/2 are all flagged: 3400 / 3400; East: B/2 and E/2, 1600 / 3600.
    got = districts("burdened_share", workforce_context())
    assert got == {"west": pytest.approx(1.0), "east": pytest.approx(1600 / 3600)}


def test_the_neighbours_rule_needs_low_income_too():
    # A as above but with low income .49: surrounded by flagged tracts, yet not flagged.
    pct = {**WORKFORCE_PCT, "poverty_200": {**WORKFORCE_PCT["poverty_200"], "A": 0.49}}
    context = Context(toy_inputs({}), {"less_than_hs": by_unit(LESS_HS)},
                      pd.DataFrame({k: by_unit(v) for k, v in pct.items()}))
    assert cejst.unit_burdens(context)["flagged"].tolist() == [False, True, False, True, True, False]


#: Lead paint counts only where homes are not expensive (median home value at or below .90):
#:   lead paint   A .95  B .95  C .95  others .1
#:   low income   A .70  B .70  C .50  others .9
#:   home value   A .50  B .95  C .50  others .5
#: -> A meets it; B's homes are too valuable; C is not low income. No one is surrounded.
LEAD_PCT = {"lead_paint": {"A": 0.95, "B": 0.95, "C": 0.95, "D": 0.1, "E": 0.1, "F": 0.1},
            "poverty_200": {"A": 0.70, "B": 0.70, "C": 0.50, "D": 0.9, "E": 0.9, "F": 0.9},
            "median_home_value": {"A": 0.50, "B": 0.95, "C": 0.50, "D": 0.5, "E": 0.5, "F": 0.5}}


def test_cejst_lead_paint_needs_modest_home_values():
    table = cejst.unit_burdens(cejst_context(LEAD_PCT))
    assert table["burdens"].tolist() == ["lead_paint", "", "", "", "", ""]
    assert table["categories"].tolist() == ["Housing", "", "", "", "", ""]
    assert table["flagged"].tolist() == [True, False, False, False, False, False]
    assert cejst.HOME_VALUE_PERCENTILE == 0.90


def test_every_composite_is_named_in_its_registry_entry():
    named = {i.id: i.index.name for i in BY_ID.values() if i.index is not None}
    assert named == {"social_vulnerability": "svi", "svi_socioeconomic": "svi_theme1",
                     "svi_household": "svi_theme2", "svi_minority": "svi_theme3",
                     "svi_housing_transport": "svi_theme4", "ej_index": "ej", "burdened_share": "cejst"}
    assert all(BY_ID[i].method == "composite" for i in named)
