"""The canonical variables every source is mapped onto (DESIGN 3.2).

A variable's *kind* says how it may be combined across units and districts:

``count``       extensive: summed with area weights; margins of error combine in quadrature.
``median``      never summed: re-derived from brackets, or averaged and labelled approximate.
``intensive``   a concentration or rate published per unit (PM2.5, asthma %): population-weighted
                mean when aggregated.
``percentile``  a rank published by the source (0-1); only meaningful for the unit itself.
``flag``        1/0 published by the source (e.g. CEJST "disadvantaged").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "median", "intensive", "percentile", "flag"]


@dataclass(frozen=True)
class Variable:
    """One canonical variable.

    Attributes
    ----------
    name : str
        Identifier used in the ``estimates`` table.
    kind : Kind
        How it aggregates (see the module docstring).
    label : str
        What it counts or measures, in plain words.
    unit : str
        "people", "households", "housing units", "dollars", "µg/m³", "%", "share" ...
    """

    name: str
    kind: Kind
    label: str
    unit: str = ""


#: Household income brackets of ACS table B19001 (lower bound, upper bound), dollars.
INCOME_BRACKETS: tuple[tuple[float, float], ...] = (
    (0, 10_000), (10_000, 15_000), (15_000, 20_000), (20_000, 25_000), (25_000, 30_000),
    (30_000, 35_000), (35_000, 40_000), (40_000, 45_000), (45_000, 50_000), (50_000, 60_000),
    (60_000, 75_000), (75_000, 100_000), (100_000, 125_000), (125_000, 150_000),
    (150_000, 200_000), (200_000, float("inf")),
)
INCOME_BRACKET_VARIABLES = tuple(f"hh_inc_{i + 1:02d}" for i in range(len(INCOME_BRACKETS)))


def _bracket_label(low: float, high: float) -> str:
    if high == float("inf"):
        return f"households with income ${low:,.0f} or more"
    return f"households with income ${low:,.0f} to ${high - 1:,.0f}"


_COUNTS = [
    ("pop_total", "total population", "people"),
    ("pop_nh_white", "White alone, not Hispanic or Latino", "people"),
    ("pop_nh_black", "Black or African American alone, not Hispanic or Latino", "people"),
    ("pop_hispanic", "Hispanic or Latino (of any race)", "people"),
    ("pop_nh_asian", "Asian alone, not Hispanic or Latino", "people"),
    ("pop_nh_other", "other races and two or more races, not Hispanic or Latino", "people"),
    ("pop_poc", "people of colour (everyone except non-Hispanic White)", "people"),
    ("households", "households (occupied housing units)", "households"),
    ("pov_universe", "people whose poverty status is determined", "people"),
    ("pov_below_100", "people below 100% of the federal poverty line", "people"),
    ("pov_below_150", "people below 150% of the federal poverty line", "people"),
    ("pov_below_200", "people below 200% of the federal poverty line", "people"),
    ("renter_hh_computed", "renter households for whom rent burden is computed", "households"),
    ("renter_hh_burden30", "renter households paying 30% or more of income in rent", "households"),
    ("renter_hh_burden50", "renter households paying 50% or more of income in rent", "households"),
    ("hh_cost_burden_lt75k", "households earning under $75,000 paying over 30% of income for "
     "housing (owners and renters)", "households"),
    ("occupied_units", "occupied housing units", "housing units"),
    ("owner_units", "owner-occupied housing units", "housing units"),
    ("renter_units", "renter-occupied housing units", "housing units"),
    ("occupied_units_black", "occupied housing units with a Black householder", "housing units"),
    ("owner_units_black", "owner-occupied units with a Black householder", "housing units"),
    ("occupied_units_white", "occupied housing units with a non-Hispanic White householder",
     "housing units"),
    ("owner_units_white", "owner-occupied units with a non-Hispanic White householder",
     "housing units"),
    ("edu_universe", "people aged 25 and over", "people"),
    ("edu_less_hs", "people aged 25+ without a high-school diploma", "people"),
    ("edu_bachelors_plus", "people aged 25+ with a bachelor's degree or higher", "people"),
    ("labor_force", "people in the civilian labour force", "people"),
    ("unemployed", "unemployed people in the civilian labour force", "people"),
    ("hh_no_vehicle", "households with no vehicle", "households"),
    ("hh_no_internet", "households with no internet subscription", "households"),
    ("hh_limited_english", "limited-English-speaking households", "households"),
    ("pop_limited_english", "people aged 5+ who speak English less than 'well'", "people"),
    ("pop_5plus", "people aged 5 and over", "people"),
    ("insurance_universe", "civilian non-institutionalised population", "people"),
    ("pop_uninsured", "people with no health insurance", "people"),
    ("pop_under5", "children under 5", "people"),
    ("pop_under18", "children under 18", "people"),
    ("pop_over64", "people aged 65 and over", "people"),
    ("pop_disabled", "people with a disability", "people"),
    ("disability_universe", "civilian non-institutionalised population (the disability universe)",
     "people"),
    ("hh_single_parent", "single-parent households", "households"),
    ("units_multiunit", "housing units in structures with 10 or more units", "housing units"),
    ("units_mobile", "mobile homes", "housing units"),
    ("units_crowded", "occupied units with more than one person per room", "housing units"),
    ("pop_group_quarters", "people living in group quarters", "people"),
    ("housing_units", "housing units", "housing units"),
    ("units_pre1960", "housing units built before 1960", "housing units"),
]

_MEDIANS = [
    ("median_hh_income", "median household income", "dollars"),
    ("median_hh_income_black", "median household income, Black householders", "dollars"),
    ("median_hh_income_white", "median household income, non-Hispanic White householders",
     "dollars"),
    ("median_gross_rent", "median gross rent", "dollars per month"),
    ("median_home_value", "median home value", "dollars"),
    ("per_capita_income", "per-capita income", "dollars"),
]

_INTENSIVE = [
    ("pm25", "fine particulate matter (PM2.5), annual mean", "µg/m³"),
    ("ozone", "ozone, summer seasonal average of daily maximum 8-hour concentration", "ppb"),
    ("diesel_pm", "diesel particulate matter in air", "µg/m³"),
    ("no2", "nitrogen dioxide, annual average", "ppbv"),
    ("traffic_proximity", "traffic proximity: daily vehicles divided by distance", "vehicles/day/m"),
    ("lead_paint_share", "share of housing built before 1960 (lead-paint indicator)", "share"),
    ("superfund_proximity", "proximity to Superfund (NPL) sites: count divided by distance",
     "sites/km"),
    ("rmp_proximity", "proximity to Risk Management Plan facilities", "facilities/km"),
    ("hazwaste_proximity", "proximity to hazardous-waste facilities (TSDFs)", "facilities/km"),
    ("wastewater", "toxicity-weighted wastewater discharge", "toxicity/m"),
    ("ust", "underground storage tanks per km²", "tanks/km²"),
    ("air_cancer_risk", "air-toxics lifetime cancer risk", "per million"),
    ("demographic_index", "EJScreen demographic index (mean of low-income and POC shares)",
     "share"),
    ("asthma_prev", "current asthma among adults", "%"),
    ("diabetes_prev", "diagnosed diabetes among adults", "%"),
    ("chd_prev", "coronary heart disease among adults", "%"),
    ("obesity_prev", "obesity among adults", "%"),
    ("uninsured_adults_prev", "adults 18-64 without health insurance", "%"),
    ("life_expectancy", "life expectancy at birth", "years"),
    ("tree_canopy_pct", "tree canopy cover", "%"),
    ("impervious_pct", "impervious surface cover", "%"),
    ("heat_anomaly", "summer land-surface temperature above the regional mean", "°C"),
    ("energy_burden", "average share of household income spent on energy", "%"),
    ("low_income_share", "share of people below 200% of the poverty line (source-adjusted)",
     "share"),
    ("not_in_higher_ed_share", "share of residents not enrolled in higher education", "share"),
    # Percentages a source publishes without the counts behind them (CEJST, EJScreen).
    ("share_poc", "people of colour, published share", "share"),
    ("share_hispanic", "Hispanic or Latino (of any race), published share", "share"),
    # CEJST's race shares are ACS 2015-2019 table B03002's: one race alone, not Hispanic.
    ("share_nh_black", "Black or African American alone, not Hispanic, published share", "share"),
    ("share_nh_asian", "Asian alone, not Hispanic, published share", "share"),
    ("share_nh_white", "White alone, not Hispanic, published share", "share"),
    ("share_below_100", "people below 100% of the federal poverty line, published share", "share"),
    ("share_below_200", "people below 200% of the federal poverty line, published share", "share"),
    ("share_unemployed", "unemployed share of the labour force, published", "share"),
    ("share_less_hs", "people aged 25+ without a high-school diploma, published share", "share"),
    ("share_limited_english_hh", "limited-English-speaking households, published share", "share"),
    ("share_under5", "children under 5, published share", "share"),
    ("share_over64", "people aged 65 and over, published share", "share"),
    ("median_income_pct_ami", "median household income as a percent of area median income", "%"),
    ("cejst_neighbour_share", "share of neighbouring tracts CEJST identifies as disadvantaged", "share"),
    ("cejst_criteria_count", "number of CEJST criteria the tract meets (all categories)", "criteria"),
    ("cejst_categories_count", "number of CEJST categories the tract meets", "categories"),
    # EJScreen's own EJ and supplemental indexes, raw values (D2_*, D5_*).
    *((f"ej_{index.lower()}_{burden.lower()}", f"EJScreen {kind} index for {what}, raw value", "index")
      for index, kind in (("D2", "EJ"), ("D5", "supplemental"))
      for burden, what in (("PTSDF", "hazardous-waste proximity"), ("UST", "underground storage "
                           "tanks"), ("PWDIS", "wastewater discharge"))),
]

_PERCENTILES = [
    (f"pctl_{name}", f"{label}: national percentile published by the source", "percentile")
    for name, label in [
        ("pm25", "PM2.5"), ("diesel_pm", "diesel PM"), ("traffic_proximity", "traffic proximity"),
        ("hazwaste_proximity", "hazardous-waste proximity"),
        ("transport_barriers", "DOT transportation barriers"), ("asthma_prev", "asthma"),
        ("diabetes_prev", "diabetes"), ("chd_prev", "heart disease"),
        ("low_life_expectancy", "low life expectancy"), ("low_income", "low income"),
        ("low_median_income", "low median income (% of area median)"),
        ("linguistic_isolation", "linguistic isolation"), ("unemployment", "unemployment"),
        ("poverty_100", "poverty (below 100% FPL)"), ("less_hs", "less than high school"),
        ("poverty_200", "people below 200% FPL (unadjusted)"),
    ]
]

_PERCENTILES += [
    ("svi_rpl_themes", "CDC/ATSDR Social Vulnerability Index, overall percentile rank "
     "(RPL_THEMES), as published", "percentile"),
    ("svi_rpl_theme1", "CDC/ATSDR SVI socioeconomic status theme rank (RPL_THEME1), as published",
     "percentile"),
    ("svi_rpl_theme2", "CDC/ATSDR SVI household characteristics theme rank (RPL_THEME2), as "
     "published", "percentile"),
    ("svi_rpl_theme3", "CDC/ATSDR SVI racial and ethnic minority status theme rank (RPL_THEME3), "
     "as published", "percentile"),
    ("svi_rpl_theme4", "CDC/ATSDR SVI housing type and transportation theme rank (RPL_THEME4), as "
     "published", "percentile"),
]

_FLAGS = [
    ("cejst_disadvantaged", "identified as disadvantaged by CEJST", "flag"),
    ("cejst_low_income", "meets CEJST's low-income threshold", "flag"),
    ("cejst_disadvantaged_no_neighbours", "identified as disadvantaged by CEJST without considering "
     "neighbours", "flag"),
]

VARIABLES: dict[str, Variable] = {}
for _kind, _rows in (
    ("count", _COUNTS), ("median", _MEDIANS), ("intensive", _INTENSIVE),
    ("percentile", _PERCENTILES), ("flag", _FLAGS),
):
    for _name, _label, _unit in _rows:
        VARIABLES[_name] = Variable(_name, _kind, _label, _unit)  # type: ignore[arg-type]
for _name, (_low, _high) in zip(INCOME_BRACKET_VARIABLES, INCOME_BRACKETS, strict=True):
    VARIABLES[_name] = Variable(_name, "count", _bracket_label(_low, _high), "households")

