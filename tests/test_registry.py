"""The registry is sound and covers what the framework needs."""

from __future__ import annotations

from pathlib import Path

import duckdb

from indicators.metrics import registry
from indicators.metrics.framework import COMMITMENT_NAMES, LEGACY_PRIORITIES
from indicators.present import formatting


def test_registry_has_no_problems():
    assert registry.check_registry() == []


def test_registry_covers_every_commitment_with_49_indicators():
    assert len(registry.INDICATORS) == 49
    assert [len(v) for v in registry.by_commitment().values()] == [14, 8, 10, 3, 14]
    groups = registry.by_commitment()
    assert set(groups) == set(COMMITMENT_NAMES)
    assert all(groups[c] for c in COMMITMENT_NAMES)
    assert set(LEGACY_PRIORITIES.values()) <= set(COMMITMENT_NAMES)


def test_required_indicators_exist():
    required = {
        "poc_share", "poverty", "median_income", "rent_burden", "severe_rent_burden",
        "homeownership", "homeownership_gap", "bachelors", "less_than_hs", "unemployment",
        "uninsured", "no_vehicle", "no_internet", "limited_english", "pm25", "ozone", "diesel_pm",
        "traffic_proximity", "lead_paint", "hazwaste_proximity", "asthma", "tree_canopy",
        "impervious", "redlined_share", "social_vulnerability", "ej_index", "burdened_share",
    }
    assert required <= set(registry.BY_ID)
    assert {"poverty_200", "poverty_150"} & set(registry.BY_ID)


def test_methodology_table_is_generated_from_the_registry():
    table = registry.methodology_table()
    assert len(table) == len(registry.INDICATORS)
    assert table["formula"].str.len().min() > 20 and table["source"].str.len().min() > 5


def test_sentences_read_plainly():
    rent = registry.get("rent_burden")
    assert rent.sentence(formatting.format_value(rent, 0.41)) == (
        "41% of renters spend 30% or more of their income on rent")
    income = registry.get("median_income")
    assert formatting.format_value(income, 52_345.0) == "$52,300"
    assert formatting.format_value(registry.get("social_vulnerability"), 0.83) == "83rd percentile"
    assert formatting.format_moe(rent, 0.034) == "± 3.4 points"
    assert formatting.reliability_words("low") == "unreliable: a rough guide only"


def test_sample_region_computes_what_it_has_and_explains_what_it_lacks(sample_db: Path):
    with duckdb.connect(str(sample_db), read_only=True) as con:
        availability = con.execute("SELECT indicator_id, available, reason FROM "
                                   "indicator_availability WHERE period = '2019-2023'"
                                   ).df().set_index("indicator_id")
        stored = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM indicator_values "
                                            "WHERE period = '2019-2023'").fetchall()}
    assert set(availability.index) == set(registry.BY_ID)
    missing = availability[~availability["available"]]
    assert not (set(missing.index) & stored)  # never stored as zero
    assert missing["reason"].str.startswith("not available for this region").all()
    # Sample City has no CEJST file (its flag, life expectancy) and no SVI housing-cost burden.
    assert set(missing.index) == {"cejst_disadvantaged_share", "housing_cost_burden", "life_expectancy"}
    assert len(stored) == 46
