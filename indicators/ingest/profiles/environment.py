"""Profiles of environmental and health files: EPA EJScreen, CDC PLACES, CEQ's CEJST, and the
generic GEOID-keyed table whose columns the manifest maps.
"""

from __future__ import annotations

import pandas as pd

from indicators.ingest.columns import Columns
from indicators.ingest.layer import Layer
from indicators.ingest.tabular import Field, Profile
from indicators.problems import LayerError, Problems

# --------------------------------------------------------------------------------------------
# EPA EJScreen (2.2 / 2.3) and tract subsets with lower-case names
# --------------------------------------------------------------------------------------------

EJSCREEN = Profile(
    name="ejscreen",
    title="EPA EJScreen",
    roles=("environment",),
    key_columns=("ID", "GEOID", "census_id", "FIPS", "GEOID20"),
    signature=("ACSTOTPOP", "PM25", "PTSDF", "pm25", "population", "DSLPM", "PTRAF"),
    fields=(
        Field("pop_total", ("ACSTOTPOP", "population")),
        Field("pop_poc", ("PEOPCOLOR",)),
        Field("pov_universe", ("ACSIPOVBAS",)),
        Field("pov_below_200", ("LOWINCOME",)),
        Field("edu_universe", ("ACSEDUCBAS",)),
        Field("edu_less_hs", ("LESSHS",)),
        Field("households", ("ACSTOTHH",)),
        Field("hh_limited_english", ("LINGISO",)),
        Field("pop_under5", ("UNDER5",)),
        Field("pop_over64", ("OVER64",)),
        Field("housing_units", ("ACSTOTHU",)),
        Field("units_pre1960", ("PRE1960",)),
        Field("labor_force", ("ACSUNEMPBAS",)),
        Field("unemployed", ("UNEMPLOYED",)),
        Field("pm25", ("PM25", "pm25")),
        Field("ozone", ("OZONE",)),
        Field("diesel_pm", ("DSLPM", "diesel_pm")),
        Field("no2", ("NO2",)),
        Field("traffic_proximity", ("PTRAF", "traffic_proximity")),
        Field("lead_paint_share", ("PRE1960PCT",)),
        Field("superfund_proximity", ("PNPL",)),
        Field("rmp_proximity", ("PRMP",)),
        Field("hazwaste_proximity", ("PTSDF",)),
        Field("wastewater", ("PWDIS",)),
        Field("ust", ("UST",)),
        Field("air_cancer_risk", ("CANCER",)),
        Field("demographic_index", ("DEMOGIDX_2",)),
        Field("share_poc", ("PEOPCOLORPCT",)),
        Field("share_below_200", ("LOWINCPCT",)),
        Field("share_unemployed", ("UNEMPPCT",)),
        Field("share_limited_english_hh", ("LINGISOPCT",)),
        Field("share_less_hs", ("LESSHSPCT",)),
        Field("share_under5", ("UNDER5PCT",)),
        Field("share_over64", ("OVER64PCT",)),
        *(Field(f"ej_{c[:2].lower()}_{c[3:].lower()}", (c,)) for c in (
            "D2_PTSDF", "D2_UST", "D2_PWDIS", "D5_PTSDF", "D5_UST", "D5_PWDIS")),
    ),
)

# --------------------------------------------------------------------------------------------
# CDC PLACES (model-based BRFSS estimates), long format
# --------------------------------------------------------------------------------------------

PLACES_MEASURES = {
    "CASTHMA": "asthma_prev",
    "DIABETES": "diabetes_prev",
    "CHD": "chd_prev",
    "OBESITY": "obesity_prev",
    "ACCESS2": "uninsured_adults_prev",
}
#: A 95 % confidence half-width times this is a 90 % margin of error.
CI95_TO_MOE90 = 1.645 / 1.96


def _places_wide(frame: pd.DataFrame, layer: Layer) -> pd.DataFrame:
    """Pivot the long PLACES table to one row per tract: ``<measure>`` and ``<measure>_MOE``."""
    cols = Columns(frame, layer.rel, Problems(), decimal_comma=False)
    key = next((c for c in ("TractFIPS", "LocationID", "LocationName") if cols.has(c)), None)
    value = cols.actual("Data_Value")
    if key is None or value is None:
        raise LayerError(
            "this does not look like a CDC PLACES tract file (needs a tract FIPS column such as "
            "LocationName or TractFIPS, and Data_Value)",
            "download the PLACES 'Census Tract Data' CSV.",
        )
    if cols.has("MeasureId"):
        measure = cols.text("MeasureId").str.upper()
    elif layer.measure:
        measure = pd.Series(layer.measure.upper(), index=frame.index)
    else:
        raise LayerError(
            "the file has no MeasureId column, so the measure is unknown",
            'add measure = "CASTHMA" (or the PLACES measure id of this file) to the layer.',
        )
    keep = measure.isin(PLACES_MEASURES)
    if cols.has("Data_Value_Type"):
        keep &= cols.text("Data_Value_Type").str.contains("Crude", case=False)
    if not keep.any():
        raise LayerError(
            f"no PLACES measure this dashboard uses is in the file "
            f"(it uses {', '.join(PLACES_MEASURES)})",
            "download a PLACES file including those measures.",
        )
    rows = frame.loc[keep]
    out = pd.DataFrame({"GEOID": cols.text(key)[keep], "measure": measure[keep],
                        "value": rows[value]})
    repeated = out.duplicated(["GEOID", "measure"], keep=False)
    if repeated.any():
        raise LayerError(
            f"{out.loc[repeated, 'GEOID'].nunique()} tracts have the same measure more than once "
            f"(e.g. {out.loc[repeated, 'GEOID'].iloc[0]})",
            "keep one release year and the crude prevalence only.",
        )
    low, high = cols.actual("Low_Confidence_Limit"), cols.actual("High_Confidence_Limit")
    if low and high:
        lo = pd.to_numeric(rows[low], errors="coerce")
        hi = pd.to_numeric(rows[high], errors="coerce")
        out["moe"] = ((hi - lo) / 2.0 * CI95_TO_MOE90).round(3).astype("string").fillna("")
    wide = out.pivot(index="GEOID", columns="measure", values=[c for c in ("value", "moe")
                     if c in out])
    wide.columns = [m if kind == "value" else f"{m}_MOE" for kind, m in wide.columns]
    return wide.reset_index().astype("string").fillna("").astype(object)


CDC_PLACES = Profile(
    name="cdc_places",
    title="CDC PLACES",
    roles=("environment", "census"),
    key_columns=("GEOID",),
    fields=tuple(Field(v, (m,)) for m, v in PLACES_MEASURES.items()),
    moe_column=lambda term: term + "_MOE",
    prepare=_places_wide,
)

# --------------------------------------------------------------------------------------------
# CEJST 1.0 tract CSV (official headers or R read.csv's dotted versions)
# --------------------------------------------------------------------------------------------

CEJST = Profile(
    name="cejst",
    title="CEJST 1.0",
    roles=("environment", "census"),
    key_columns=("Census.tract.2010.ID", "Census.tract.2020.ID", "GEOID10_TRACT", "GEOID"),
    signature=("Identified.as.disadvantaged", "Census.tract.2010.ID"),
    fields=(
        Field("pop_total", ("Total.population",)),
        Field("pm25", ("PM2.5.in.the.air",)),
        Field("diesel_pm", ("Diesel.particulate.matter.exposure",)),
        Field("traffic_proximity", ("Traffic.proximity.and.volume",)),
        Field("hazwaste_proximity", ("Proximity.to.hazardous.waste.sites",)),
        # CEJST publishes PLACES prevalences multiplied by 100 (969 = 9.69 %).
        Field("asthma_prev", ("Current.asthma.among.adults.aged.greater.than.or.equal.to.18.years",),
              scale=0.01),
        Field("diabetes_prev",
              ("Diagnosed.diabetes.among.adults.aged.greater.than.or.equal.to.18.years",),
              scale=0.01),
        Field("chd_prev",
              ("Coronary.heart.disease.among.adults.aged.greater.than.or.equal.to.18.years",),
              scale=0.01),
        Field("life_expectancy", ("Life.expectancy..years.",)),
        Field("low_income_share", ("Adjusted.percent.of.individuals.below.200..Federal.Poverty.Line",)),
        Field("not_in_higher_ed_share",
              ("Percent.of.residents.who.are.not.currently.enrolled.in.higher.ed",), scale=0.01),
        Field("pctl_pm25", ("PM2.5.in.the.air..percentile.",)),
        Field("pctl_diesel_pm", ("Diesel.particulate.matter.exposure..percentile.",)),
        Field("pctl_traffic_proximity", ("Traffic.proximity.and.volume..percentile.",)),
        Field("pctl_hazwaste_proximity", ("Proximity.to.hazardous.waste.sites..percentile.",)),
        Field("pctl_transport_barriers", ("DOT.Travel.Barriers.Score..percentile.",)),
        Field("pctl_asthma_prev",
              ("Current.asthma.among.adults.aged.greater.than.or.equal.to.18.years..percentile.",)),
        Field("pctl_diabetes_prev",
              ("Diagnosed.diabetes.among.adults.aged.greater.than.or.equal.to.18.years..percentile.",)),
        Field("pctl_chd_prev",
              ("Coronary.heart.disease.among.adults.aged.greater.than.or.equal.to.18.years..percentile.",)),
        Field("pctl_low_life_expectancy", ("Low.life.expectancy..percentile.",)),
        Field("pctl_low_income",
              ("Adjusted.percent.of.individuals.below.200..Federal.Poverty.Line..percentile.",)),
        Field("pctl_low_median_income",
              ("Low.median.household.income.as.a.percent.of.area.median.income..percentile.",)),
        Field("pctl_linguistic_isolation", ("Linguistic.isolation..percent...percentile.",)),
        Field("pctl_unemployment", ("Unemployment..percent...percentile.",)),
        Field("pctl_poverty_100",
              ("Percent.of.individuals...100..Federal.Poverty.Line..percentile.",)),
        Field("pctl_less_hs",
              ("Percent.individuals.age.25.or.over.with.less.than.high.school.degree..percentile.",)),
        Field("cejst_disadvantaged", ("Identified.as.disadvantaged",)),
        Field("cejst_low_income", ("Is.low.income.",)),
        Field("cejst_disadvantaged_no_neighbours",
              ("Identified.as.disadvantaged.without.considering.neighbors",)),
        Field("cejst_neighbour_share", ("Share.of.neighbors.that.are.identified.as.disadvantaged",),
              scale=0.01),
        Field("cejst_criteria_count", ("Total.threshold.criteria.exceeded",)),
        Field("cejst_categories_count", ("Total.categories.exceeded",)),
        # Race and ethnicity (fractions). CEJST's headers say "alone", but its shares are ACS
        # 2015-2019 table B03002's, one race alone and not Hispanic: with "Percent Hispanic or
        # Latino" its seven race shares sum to 1 (median 0.99 over Georgia's tracts).
        Field("share_nh_black", ("Percent.Black.or.African.American.alone",)),
        Field("share_nh_asian", ("Percent.Asian",)),
        Field("share_nh_white", ("Percent.White",)),
        Field("share_hispanic", ("Percent.Hispanic.or.Latino",)),
        Field("share_over64", ("Percent.age.over.64",)),
        # The workforce criteria's values, published in percent.
        Field("share_below_200", ("Percent.of.individuals.below.200..Federal.Poverty.Line",), scale=0.01),
        Field("share_below_100", ("Percent.of.individuals...100..Federal.Poverty.Line",), scale=0.01),
        Field("share_unemployed", ("Unemployment..percent.",), scale=0.01),
        Field("share_limited_english_hh", ("Linguistic.isolation..percent.",), scale=0.01),
        Field("share_less_hs",
              ("Percent.individuals.age.25.or.over.with.less.than.high.school.degree",), scale=0.01),
        Field("median_income_pct_ami", ("Median.household.income.as.a.percent.of.area.median.income",)),
        Field("pctl_poverty_200",
              ("Percent.of.individuals.below.200..Federal.Poverty.Line..percentile.",)),
    ),
)

# --------------------------------------------------------------------------------------------
# Generic: the manifest maps columns
# --------------------------------------------------------------------------------------------

GENERIC = Profile(
    name="generic",
    title="GEOID-keyed table",
    roles=("census", "environment"),
    key_columns=("GEOID", "GEOID20", "GEOID10", "FIPS", "GEO_ID", "census_id"),
    fields=(),
)
