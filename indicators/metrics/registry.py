"""Every indicator the dashboard computes, in one place.

Pages, the methodology text, selectors, legends and tests are all driven from :data:`INDICATORS`;
adding an indicator means adding one entry here (and, for a new kind of input, a canonical
variable and a profile mapping).

Methods (how ``compute`` turns inputs into values):

``rate``        X / Y from counts summed over the pieces of units in a geography (never an
                average of percentages); ACS proportion MOE.
``rate_gap``    difference of two rates (percentage points), e.g. White minus Black
                homeownership; MOE sqrt(MOE_a^2 + MOE_b^2).
``median``      re-derived from the income brackets by linear interpolation where brackets
                exist; otherwise the households-weighted mean of unit medians, labelled approximate.
``mean``        intensive value (concentration, prevalence): population-weighted mean over the
                pieces of units in a geography (EJScreen's report convention).
``area_share``  share of a geography's area inside overlay polygons (e.g. HOLC grade D).
``composite``   an index built from percentile ranks (SVI-style, EJ index, CEJST-style burden):
                the entry's ``index`` names its module in :mod:`indicators.metrics.composites`.
``flag_share``  share of people living in units a source flags (e.g. CEJST "disadvantaged").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from indicators.metrics.composites import CompositeIndex, cejst, ej, svi
from indicators.metrics.framework import COMMITMENT_NAMES, PILLARS
from indicators.metrics.variables import INCOME_BRACKET_VARIABLES, VARIABLES

Direction = Literal["higher_worse", "higher_better", "neutral"]
Method = Literal["rate", "rate_gap", "median", "mean", "area_share", "composite", "flag_share"]

PERCENTILE_CONVENTION = (
    "Percentile rank among the region's units (or districts): (rank - 1) / (N - 1), ties share "
    "the lowest rank (the CDC SVI convention). Ranks are taken so that a higher percentile always "
    "means more burdened: indicators where higher is better are ranked in descending order; "
    "neutral indicators (population shares) are ranked in ascending order."
)


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it means to a resident, how it is computed, where it comes from."""

    id: str
    label: str
    question: str
    statement: str
    unit: str
    fmt: str
    direction: Direction
    pillar: str
    commitment: str
    method: Method
    inputs: tuple[tuple[str, ...], ...]
    formula: str
    source: str
    caveats: str = ""
    percentile: str = "cdc_svi"
    index: CompositeIndex | None = None

    def sentence(self, value_text: str) -> str:
        """The plain-language statement with the formatted value filled in."""
        return self.statement.format(value=value_text)

    @property
    def variables(self) -> set[str]:
        """Every canonical variable any input alternative uses."""
        return {v for alternative in self.inputs for v in alternative if v in VARIABLES}


def _rate(id: str, label: str, question: str, statement: str, commitment: str,
          direction: Direction, inputs: tuple[tuple[str, str], ...], source: str,
          pillar: str = "Racial Equity", caveats: str = "") -> Indicator:
    num, den = inputs[0]
    formula = (f"{VARIABLES[num].label} / {VARIABLES[den].label}, each summed over the area-weighted "
               "pieces of the units in the geography")
    return Indicator(id, label, question, statement, "%", "percent", direction, pillar, commitment,
                     "rate", inputs, formula, source, caveats)


def _mean(id: str, label: str, question: str, statement: str, variable: str, unit: str, fmt: str,
          direction: Direction, source: str, commitment: str = "Environment",
          pillar: str = "Climate Resilience", caveats: str = "") -> Indicator:
    formula = (f"population-weighted mean of {VARIABLES[variable].label} ({unit}) over the "
               "area-weighted pieces of the units in the geography")
    return Indicator(id, label, question, statement, unit, fmt, direction, pillar, commitment,
                     "mean", ((variable,),), formula, source, caveats)


ACS = "U.S. Census Bureau, American Community Survey 5-year"
EJSCREEN = "U.S. EPA EJScreen"
PLACES = "CDC PLACES (model-based estimates from BRFSS)"
CEJST = "CEQ Climate and Economic Justice Screening Tool 1.0"
SVI_NOTE = ("Where the census layer is CDC SVI, its universes (poverty, labour force, adults 25+) are "
            "recovered from CDC's published percentages and carry no margin of error.")

INDICATORS: tuple[Indicator, ...] = (
    # ---- Belonging -----------------------------------------------------------------------
    _rate("poc_share", "People of colour", "How many residents are people of colour?",
          "{value} of residents are people of colour", "Belonging", "neutral",
          (("pop_poc", "pop_total"),), f"{ACS}, table B03002 (or CDC SVI E_MINRTY)",
          caveats="Everyone except non-Hispanic White residents. A description of who lives here, "
                  "not a burden: it is ranked but never judged better or worse."),
    _rate("black_share", "Black residents", "How many residents are Black?",
          "{value} of residents are Black or African American (not Hispanic)", "Belonging",
          "neutral", (("pop_nh_black", "pop_total"),), f"{ACS}, table B03002"),
    _rate("hispanic_share", "Hispanic or Latino residents", "How many residents are Hispanic or Latino?",
          "{value} of residents are Hispanic or Latino", "Belonging", "neutral",
          (("pop_hispanic", "pop_total"),), f"{ACS}, table B03002"),
    _rate("asian_share", "Asian residents", "How many residents are Asian?",
          "{value} of residents are Asian (not Hispanic)", "Belonging", "neutral",
          (("pop_nh_asian", "pop_total"),), f"{ACS}, table B03002"),
    _rate("white_share", "White residents", "How many residents are White?",
          "{value} of residents are White (not Hispanic)", "Belonging", "neutral",
          (("pop_nh_white", "pop_total"),), f"{ACS}, table B03002"),
    _rate("homeownership", "Homeownership", "How many homes are lived in by their owners?",
          "{value} of occupied homes are lived in by their owners", "Belonging", "higher_better",
          (("owner_units", "occupied_units"),), f"{ACS}, table B25003"),
    Indicator(
        "homeownership_gap", "Black-White homeownership gap",
        "How much less often do Black households own their homes than White households?",
        "White households own their homes {value} more often than Black households",
        "percentage points", "points", "higher_worse", "Racial Equity", "Belonging", "rate_gap",
        (("owner_units_white", "occupied_units_white", "owner_units_black", "occupied_units_black"),),
        "owner-occupancy rate of non-Hispanic White householders minus that of Black householders "
        "(each a rate of summed counts); MOE sqrt(MOE_a^2 + MOE_b^2)",
        f"{ACS}, race-iterated tables B25003B and B25003H",
        "Only where the census layer publishes tenure by race of householder. Small groups make "
        "this gap unreliable in many tracts: read the reliability."),
    _rate("rent_burden", "Rent burden", "How many renters spend 30% or more of their income on rent?",
          "{value} of renters spend 30% or more of their income on rent", "Belonging",
          "higher_worse", (("renter_hh_burden30", "renter_hh_computed"),), f"{ACS}, table B25070",
          caveats="Renters whose burden cannot be computed (no income or no cash rent) are left out."),
    _rate("severe_rent_burden", "Severe rent burden",
          "How many renters spend half or more of their income on rent?",
          "{value} of renters spend half or more of their income on rent", "Belonging",
          "higher_worse", (("renter_hh_burden50", "renter_hh_computed"),), f"{ACS}, table B25070"),
    _rate("housing_cost_burden", "Housing cost burden (incomes under $75k)",
          "How many households earning under $75,000 spend over 30% of income on housing?",
          "{value} of households are low- or middle-income and spend over 30% of income on housing",
          "Belonging", "higher_worse", (("hh_cost_burden_lt75k", "households"),),
          "CDC/ATSDR SVI 2022 (E_HBURD, from ACS table S2503)",
          caveats="Owners and renters together; the share is of all households."),
    _rate("limited_english", "Limited English", "How many households have limited English?",
          "{value} of households speak limited English", "Belonging", "higher_worse",
          (("hh_limited_english", "households"), ("pop_limited_english", "pop_5plus")),
          f"{ACS}, table C16002 (or CDC SVI E_LIMENG: people 5+ who speak English less than well)",
          caveats="From CDC SVI the share is of people aged 5+, not households. " + SVI_NOTE),
    Indicator(
        "redlined_share", "Redlined in 1938", "How much of the area was redlined in 1938?",
        "{value} of the land was graded 'hazardous' (redlined, grade D) on the 1938 HOLC map",
        "%", "percent", "higher_worse", "Racial Equity", "Belonging", "area_share",
        (("holc:D",),),
        "area inside HOLC grade D polygons / area of the geography (equal-area CRS EPSG:5070)",
        "Mapping Inequality (University of Richmond), digitised HOLC residential security maps",
        "HOLC graded only the city of 1938: land outside its survey counts as not redlined. "
        "Present-day boundaries rarely follow 1938 zones."),
    # ---- Opportunity ---------------------------------------------------------------------
    _rate("poverty", "Poverty", "How many people live below the poverty line?",
          "{value} of people live below the federal poverty line", "Opportunity", "higher_worse",
          (("pov_below_100", "pov_universe"),), f"{ACS}, table C17002 (or CDC SVI 2018 E_POV)",
          caveats=SVI_NOTE),
    _rate("poverty_150", "Below 150% of poverty", "How many people live below 150% of the poverty line?",
          "{value} of people live below 150% of the federal poverty line", "Opportunity",
          "higher_worse", (("pov_below_150", "pov_universe"),),
          f"{ACS}, table C17002 (or CDC SVI 2022 E_POV150)", caveats=SVI_NOTE),
    _rate("poverty_200", "Low income (below 200% of poverty)",
          "How many people live below twice the poverty line?",
          "{value} of people live below twice the federal poverty line", "Opportunity",
          "higher_worse", (("pov_below_200", "pov_universe"),),
          f"{ACS}, table C17002 (or EJScreen LOWINCOME)"),
    Indicator(
        "median_income", "Median household income", "What does the typical household earn?",
        "the typical (median) household earns {value} a year", "dollars", "dollars",
        "higher_better", "Racial Equity", "Opportunity", "median",
        (INCOME_BRACKET_VARIABLES, ("median_hh_income",)),
        "median re-derived from the household income brackets (B19001) summed over the area-weighted "
        "pieces of the units, by linear interpolation within the bracket holding the middle "
        "household; MOE by the Census Bureau's method for medians (design factor 1.5)",
        f"{ACS}, tables B19001 and B19013",
        "Where a layer publishes only tract medians, districts get the households-weighted mean of "
        "tract medians, labelled approximate. An open top bracket ($200,000+) is reported as "
        "'$200,000 or more'."),
    _mean("per_capita_income", "Income per person", "What is the average income per person?",
          "income averages {value} per person a year", "per_capita_income", "dollars", "dollars",
          "higher_better", f"{ACS}, table B19301 (or CDC SVI 2018 E_PCI)", commitment="Opportunity",
          pillar="Racial Equity",
          caveats="Per-capita income times population is aggregate income, so the population-weighted "
                  "mean is exact."),
    _rate("bachelors", "Bachelor's degree or higher", "How many adults have a bachelor's degree?",
          "{value} of adults aged 25 and over have a bachelor's degree or higher", "Opportunity",
          "higher_better", (("edu_bachelors_plus", "edu_universe"),), f"{ACS}, table B15003"),
    _rate("less_than_hs", "No high-school diploma", "How many adults did not finish high school?",
          "{value} of adults aged 25 and over have no high-school diploma", "Opportunity",
          "higher_worse", (("edu_less_hs", "edu_universe"),),
          f"{ACS}, table B15003 (or CDC SVI E_NOHSDP)", caveats=SVI_NOTE),
    _rate("unemployment", "Unemployment", "How many people who want work cannot find it?",
          "{value} of the labour force is unemployed", "Opportunity", "higher_worse",
          (("unemployed", "labor_force"),), f"{ACS}, table B23025 (or CDC SVI E_UNEMP)",
          caveats=SVI_NOTE),
    # ---- Wellbeing -----------------------------------------------------------------------
    _rate("uninsured", "No health insurance", "How many people have no health insurance?",
          "{value} of people have no health insurance", "Wellbeing", "higher_worse",
          (("pop_uninsured", "insurance_universe"),), f"{ACS}, table B27010 (or CDC SVI E_UNINSUR)",
          caveats=SVI_NOTE),
    _mean("asthma", "Asthma", "How many adults have asthma?",
          "{value} of adults have asthma", "asthma_prev", "%", "percent_points", "higher_worse",
          PLACES, commitment="Wellbeing",
          caveats="Model-based small-area estimates, not counts of diagnoses."),
    _mean("diabetes", "Diabetes", "How many adults have diabetes?",
          "{value} of adults have been diagnosed with diabetes", "diabetes_prev", "%",
          "percent_points", "higher_worse", PLACES, commitment="Wellbeing", pillar="Racial Equity"),
    _mean("heart_disease", "Heart disease", "How many adults have heart disease?",
          "{value} of adults have coronary heart disease", "chd_prev", "%", "percent_points",
          "higher_worse", PLACES, commitment="Wellbeing", pillar="Racial Equity"),
    _mean("life_expectancy", "Life expectancy", "How long can a baby born here expect to live?",
          "a baby born here can expect to live {value}", "life_expectancy", "years", "years",
          "higher_better", f"{CEJST} (from CDC USALEEP 2010-2015)", commitment="Wellbeing",
          pillar="Racial Equity"),
    Indicator(
        "social_vulnerability", "Social vulnerability (SVI-style)",
        "How vulnerable are residents to disasters and disease outbreaks?",
        "the average resident lives in a tract at the {value} of social vulnerability in the region",
        "percentile", "percentile", "higher_worse", "Climate Resilience", "Wellbeing", "composite",
        (),
        "CDC SVI method on the region's units: each variable's percentile rank, summed within the "
        "four themes, theme sums ranked, themes summed and ranked again (RPL_THEMES). A district's "
        "value is the population-weighted mean of its units' ranks.",
        "CDC/ATSDR Social Vulnerability Index method, applied to the region's own data",
        "Uses whichever of CDC's 16 variables the region's census layer provides (listed in the "
        "Methodology page). Ranked within this region, not the state or nation.",
        index=svi.INDEX),
    # ---- Mobility ------------------------------------------------------------------------
    _rate("no_vehicle", "No car", "How many households have no car?",
          "{value} of households have no vehicle", "Mobility", "higher_worse",
          (("hh_no_vehicle", "households"),), f"{ACS}, table B25044 (or CDC SVI E_NOVEH)"),
    _rate("no_internet", "No internet", "How many households have no internet at home?",
          "{value} of households have no internet subscription", "Mobility", "higher_worse",
          (("hh_no_internet", "households"),), f"{ACS}, table B28002 (or CDC SVI 2022 E_NOINT)"),
    _mean("traffic_proximity", "Traffic", "How much heavy traffic passes close by?",
          "traffic nearby scores {value} (daily vehicles divided by distance)", "traffic_proximity",
          "vehicles/day/m", "decimal0", "higher_worse", f"{EJSCREEN} (PTRAF)", commitment="Mobility",
          caveats="EJScreen's proximity score: count of vehicles at major roads within 500 m, "
                  "divided by distance."),
    # ---- Environment ---------------------------------------------------------------------
    _mean("pm25", "Fine particles (PM2.5)", "How much fine-particle pollution is in the air?",
          "the air carries {value} of fine particles (PM2.5) on average", "pm25", "µg/m³",
          "decimal1_ugm3", "higher_worse", f"{EJSCREEN} (PM25; or CEJST)",
          caveats="EPA's national standard for the annual mean is 9 µg/m³ (2024)."),
    _mean("ozone", "Ozone", "How much ozone is in the summer air?",
          "summer ozone averages {value}", "ozone", "ppb", "decimal1_ppb", "higher_worse",
          f"{EJSCREEN} (OZONE)"),
    _mean("diesel_pm", "Diesel exhaust", "How much diesel exhaust is in the air?",
          "the air carries {value} of diesel particles", "diesel_pm", "µg/m³", "decimal2_ugm3",
          "higher_worse", f"{EJSCREEN} (DSLPM; or CEJST)"),
    _rate("lead_paint", "Older homes (lead paint risk)", "How many homes were built before 1960?",
          "{value} of homes were built before 1960, when lead paint was common", "Environment",
          "higher_worse", (("units_pre1960", "housing_units"),),
          f"{ACS}, table B25034 (or EJScreen PRE1960)", pillar="Climate Resilience"),
    _mean("hazwaste_proximity", "Hazardous waste sites", "How close are hazardous-waste facilities?",
          "hazardous-waste facilities nearby score {value} (facilities per km of distance)",
          "hazwaste_proximity", "facilities/km", "decimal2", "higher_worse", f"{EJSCREEN} (PTSDF)"),
    _mean("superfund_proximity", "Superfund sites", "How close are Superfund sites?",
          "Superfund sites nearby score {value} (sites per km of distance)", "superfund_proximity",
          "sites/km", "decimal2", "higher_worse", f"{EJSCREEN} (PNPL)"),
    _mean("wastewater", "Wastewater discharge", "How much toxic wastewater flows into nearby streams?",
          "wastewater discharge scores {value} (toxicity-weighted)", "wastewater", "toxicity/m",
          "decimal3", "higher_worse", f"{EJSCREEN} (PWDIS)"),
    _mean("tree_canopy", "Tree canopy", "How much of the area is shaded by trees?",
          "trees shade {value} of the land", "tree_canopy_pct", "%", "percent_points",
          "higher_better", "USFS / NLCD tree canopy cover (or the region's land-cover layer)",
          caveats="Population-weighted: the canopy where people live."),
    _mean("impervious", "Paved surfaces", "How much of the land is paved or built over?",
          "{value} of the land is paved or built over", "impervious_pct", "%", "percent_points",
          "higher_worse", "NLCD impervious surface (or the region's land-cover layer)"),
    _mean("heat", "Summer heat", "How much hotter than average is it in summer?",
          "summer ground temperatures run {value} compared with the region's average",
          "heat_anomaly", "°C", "signed1_c", "higher_worse",
          "Landsat land-surface temperature (or the region's heat layer)"),
    Indicator(
        "ej_index", "Environmental justice index (EJScreen-style)",
        "Where do pollution and social disadvantage fall on the same people?",
        "the average resident lives in a tract at the {value} of combined pollution and "
        "disadvantage in the region",
        "percentile", "percentile", "higher_worse", "Climate Resilience", "Environment", "composite",
        (),
        "for each unit: mean regional percentile of the available environmental burdens x the "
        "demographic index (mean of the low-income and people-of-colour shares), ranked among the "
        "region's units; a district's value is the population-weighted mean of its units' ranks",
        "EPA EJScreen EJ index method (version 2.2), applied to the region's own data",
        "EJScreen computes one EJ index per environmental indicator against national percentiles; "
        "this summary combines the burdens the region has data for, ranked within the region.",
        index=ej.INDEX),
    Indicator(
        "burdened_share", "People in overburdened areas (CEJST-style)",
        "How many people live where pollution or poor health meets low income?",
        "{value} of residents live in tracts that are both low-income and highly burdened",
        "%", "percent", "higher_worse", "Climate Resilience", "Environment", "composite",
        (),
        f"a unit is flagged when any burden percentile is at or above {cejst.BURDEN_PERCENTILE:.2f} "
        "and the low-income (below 200% of poverty) percentile is at or above "
        f"{cejst.LOW_INCOME_PERCENTILE:.2f}, percentiles among the region's units; share of the "
        "geography's people living in flagged units",
        "CEQ Climate and Economic Justice Screening Tool 1.0 method, applied to the region's data",
        "CEJST uses national percentiles and more burden categories; this uses the region's.",
        index=cejst.INDEX),
    Indicator(
        "cejst_disadvantaged_share", "People in CEJST disadvantaged tracts",
        "How many people live in tracts the federal screening tool calls disadvantaged?",
        "{value} of residents live in tracts CEJST identifies as disadvantaged",
        "%", "percent", "higher_worse", "Climate Resilience", "Environment", "flag_share",
        (("cejst_disadvantaged",),),
        "population living in units CEJST flags as disadvantaged / population",
        CEJST, "CEJST's own designation, national thresholds; 2010 tract geography."),
)

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get(indicator_id: str) -> Indicator:
    """The indicator with this id (KeyError names the known ids)."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise KeyError(f"unknown indicator {indicator_id!r}; known: {', '.join(BY_ID)}") from None


def by_commitment() -> dict[str, list[Indicator]]:
    """Indicators grouped by Commitment, in the framework's order."""
    return {c: [i for i in INDICATORS if i.commitment == c] for c in COMMITMENT_NAMES}


def methodology_table() -> pd.DataFrame:
    """One row per indicator: the text of the Methodology page and of downloads."""
    return pd.DataFrame([
        {
            "id": i.id, "indicator": i.label, "question": i.question, "pillar": i.pillar,
            "commitment": i.commitment, "unit": i.unit, "direction": i.direction.replace("_", " "),
            "method": i.method, "formula": i.formula, "inputs": _inputs_text(i),
            "source": i.source, "percentile convention": PERCENTILE_CONVENTION,
            "caveats": i.caveats,
        }
        for i in INDICATORS
    ])


def _inputs_text(indicator: Indicator) -> str:
    if indicator.index is not None:
        return indicator.index.inputs
    if indicator.method == "median":
        return "income brackets B19001 (16), else median_hh_income"
    if indicator.method == "area_share":
        return indicator.inputs[0][0]
    return " | ".join(" / ".join(alternative) for alternative in indicator.inputs)


def check_registry() -> list[str]:
    """Problems with the registry itself (empty when sound); a test asserts it is empty."""
    problems = []
    if len(BY_ID) != len(INDICATORS):
        problems.append("duplicate indicator ids")
    for i in INDICATORS:
        if i.pillar not in PILLARS:
            problems.append(f"{i.id}: unknown pillar {i.pillar!r}")
        if i.commitment not in COMMITMENT_NAMES:
            problems.append(f"{i.id}: unknown commitment {i.commitment!r}")
        if "{value}" not in i.statement:
            problems.append(f"{i.id}: statement has no {{value}}")
        if (i.method == "composite") != (i.index is not None):
            problems.append(f"{i.id}: a composite names its index, and only a composite does")
        for alternative in i.inputs:
            for name in alternative:
                if ":" not in name and name not in VARIABLES:
                    problems.append(f"{i.id}: unknown input variable {name!r}")
    return problems
