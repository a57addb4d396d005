"""Profiles of census files: the ACS in Census Data API naming, CDC/ATSDR SVI 2018 and 2022,
and the Urban Displacement Project's census summary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.ingest.columns import Columns
from indicators.ingest.layer import Layer
from indicators.ingest.tabular import Compute, Field, Profile
from indicators.metrics.variables import INCOME_BRACKET_VARIABLES

# --------------------------------------------------------------------------------------------
# American Community Survey, Census Data API naming
# --------------------------------------------------------------------------------------------

_ACS = {
    "pop_total": ("B03002_001", "B01003_001"),
    "pop_nh_white": ("B03002_003",),
    "pop_nh_black": ("B03002_004",),
    "pop_nh_asian": ("B03002_006",),
    "pop_hispanic": ("B03002_012",),
    "pop_nh_other": ("B03002_005 + B03002_007:009",),
    "pop_poc": ("B03002_001 - B03002_003",),
    "households": ("B11001_001", "B19001_001", "B25003_001"),
    "pov_universe": ("C17002_001", "B17001_001"),
    "pov_below_100": ("C17002_002:003", "B17001_002"),
    "pov_below_150": ("C17002_002:005",),
    "pov_below_200": ("C17002_002:007",),
    "renter_hh_computed": ("B25070_001 - B25070_011",),
    "renter_hh_burden30": ("B25070_007:010",),
    "renter_hh_burden50": ("B25070_010",),
    "occupied_units": ("B25003_001",),
    "owner_units": ("B25003_002",),
    "renter_units": ("B25003_003",),
    "occupied_units_black": ("B25003B_001",),
    "owner_units_black": ("B25003B_002",),
    "occupied_units_white": ("B25003H_001",),
    "owner_units_white": ("B25003H_002",),
    "edu_universe": ("B15003_001",),
    "edu_less_hs": ("B15003_002:016",),
    "edu_bachelors_plus": ("B15003_022:025",),
    "labor_force": ("B23025_003",),
    "unemployed": ("B23025_005",),
    "hh_no_vehicle": ("B25044_003 + B25044_010", "B08201_002"),
    "hh_no_internet": ("B28002_013",),
    "hh_limited_english": ("C16002_004 + C16002_007 + C16002_010 + C16002_013",),
    "insurance_universe": ("B27010_001",),
    "pop_uninsured": ("B27010_017 + B27010_033 + B27010_050 + B27010_066",),
    "pop_under5": ("B01001_003 + B01001_027",),
    "pop_under18": ("B01001_003:006 + B01001_027:030",),
    "pop_over64": ("B01001_020:025 + B01001_044:049",),
    "housing_units": ("B25001_001", "B25034_001"),
    "units_pre1960": ("B25034_009:011",),
    "median_hh_income": ("B19013_001",),
    "median_hh_income_black": ("B19013B_001",),
    "median_hh_income_white": ("B19013H_001",),
    "median_gross_rent": ("B25064_001",),
    "median_home_value": ("B25077_001",),
    "per_capita_income": ("B19301_001",),
}
_ACS.update({v: (f"B19001_{i + 2:03d}",) for i, v in enumerate(INCOME_BRACKET_VARIABLES)})


def _acs_key(columns: Columns) -> pd.Series | None:
    """GEOID from the Census API's geography columns (state, county, tract[, block group])."""
    parts = ["state", "county", "tract"]
    if not columns.has(*parts):
        return None
    key = columns.text("state").str.zfill(2) + columns.text("county").str.zfill(3)
    key = key + columns.text("tract").str.zfill(6)
    if columns.has("block group"):
        key = key + columns.text("block group")
    return key


ACS = Profile(
    name="acs",
    title="American Community Survey (Census Data API naming)",
    roles=("census",),
    key_columns=("GEOID", "GEO_ID", "GEOID20", "GEOID10", "FIPS"),
    fields=tuple(Field(variable, alts) for variable, alts in _ACS.items()),
    estimate_column=lambda term: term + "E",
    moe_column=lambda term: term + "M",
    build_key=_acs_key,
)

# --------------------------------------------------------------------------------------------
# CDC/ATSDR Social Vulnerability Index
# --------------------------------------------------------------------------------------------


def _universe(count: str, percent: str) -> Compute:
    """A universe (denominator) CDC does not publish, recovered as ``E_X / (EP_X / 100)``.

    Where CDC reports 0 % the count is 0 and the universe cannot be recovered; it is then
    estimated as population times the file-wide universe/population ratio, so those tracts
    still count in district rates (their numerator is zero either way). No MOE is published
    for the result.
    """

    def compute(columns: Columns, layer: Layer) -> tuple[pd.Series, None] | None:
        if not columns.has(f"E_{count}", f"EP_{percent}", "E_TOTPOP"):
            return None
        num = columns.number(f"E_{count}")
        pct = columns.number(f"EP_{percent}")
        pop = columns.number("E_TOTPOP")
        derived = num / (pct / 100.0).where(pct > 0)
        ok = derived.notna() & pop.notna() & (pop > 0)
        ratio = derived[ok].sum() / pop[ok].sum() if ok.any() else np.nan
        fill = (pct == 0) & pop.notna()
        universe = derived.where(~fill, pop * ratio)
        return universe.round(0), None

    return compute


_SVI_COMMON = {
    "pop_total": ("TOTPOP",),
    "housing_units": ("HU",),
    "households": ("HH",),
    "occupied_units": ("HH",),
    "unemployed": ("UNEMP",),
    "edu_less_hs": ("NOHSDP",),
    "pop_uninsured": ("UNINSUR",),
    "pop_over64": ("AGE65",),
    "pop_under18": ("AGE17",),
    "pop_disabled": ("DISABL",),
    "hh_single_parent": ("SNGPNT",),
    "pop_limited_english": ("LIMENG",),
    "pop_poc": ("MINRTY",),
    "pop_nh_white": ("TOTPOP - MINRTY",),
    "units_multiunit": ("MUNIT",),
    "units_mobile": ("MOBILE",),
    "units_crowded": ("CROWD",),
    "hh_no_vehicle": ("NOVEH",),
    "pop_group_quarters": ("GROUPQ",),
}
_SVI_UNIVERSES = {
    "disability_universe": ("DISABL", "DISABL"),
    "labor_force": ("UNEMP", "UNEMP"),
    "edu_universe": ("NOHSDP", "NOHSDP"),
    "insurance_universe": ("UNINSUR", "UNINSUR"),
    "pop_5plus": ("LIMENG", "LIMENG"),
}


def _published(column: str) -> Compute:
    """A column CDC publishes as it is (a percentile rank such as ``RPL_THEMES``), with no MOE;
    CDC's -999 marks a tract it does not rank and becomes missing."""

    def compute(columns: Columns, layer: Layer) -> tuple[pd.Series, None] | None:
        return (columns.number(column), None) if columns.has(column) else None

    return compute


#: CDC's published ranks: the overall SVI and its four themes.
_SVI_RANKS = {"svi_rpl_themes": "RPL_THEMES", **{f"svi_rpl_theme{n}": f"RPL_THEME{n}" for n in range(1, 5)}}


def _svi_profile(name: str, year: int, extra: dict[str, tuple[str, ...]],
                 universes: dict[str, tuple[str, str]], signature: tuple[str, ...]) -> Profile:
    fields = [Field(v, alts) for v, alts in {**_SVI_COMMON, **extra}.items()]
    fields += [Field(v, compute=_universe(c, p), reads=(f"E_{c}", f"EP_{p}")) for v, (c, p) in {
        **_SVI_UNIVERSES, **universes}.items()]
    fields.append(Field("per_capita_income", ("PCI",)))
    fields += [Field(v, compute=_published(c), reads=(c,)) for v, c in _SVI_RANKS.items()]
    return Profile(
        name=name,
        title=f"CDC/ATSDR SVI {year}",
        roles=("census",),
        key_columns=("FIPS", "GEOID"),
        fields=tuple(fields),
        signature=signature,
        estimate_column=lambda term: "E_" + term,
        moe_column=lambda term: "M_" + term,
    )


CDC_SVI_2018 = _svi_profile(
    "cdc_svi_2018", 2018,
    extra={"pov_below_100": ("POV",)},
    universes={"pov_universe": ("POV", "POV")},
    signature=("E_POV", "E_PCI"),
)
CDC_SVI_2022 = _svi_profile(
    "cdc_svi_2022", 2022,
    extra={
        "pov_below_150": ("POV150",),
        "hh_cost_burden_lt75k": ("HBURD",),
        "hh_no_internet": ("NOINT",),
        "pop_nh_black": ("AFAM",),
        "pop_hispanic": ("HISP",),
        "pop_nh_asian": ("ASIAN",),
        "pop_nh_other": ("AIAN + NHPI + TWOMORE + OTHERRACE",),
    },
    universes={"pov_universe": ("POV150", "POV150")},
    signature=("E_POV150", "E_NOINT"),
)

# --------------------------------------------------------------------------------------------
# Urban Displacement Project census summary (SPARCC typologies)
# --------------------------------------------------------------------------------------------

_UDP_BRACKETS = (
    "I_10000_18", "I_15000_18", "I_20000_18", "I_25000_18", "I_30000_18", "I_35000_18",
    "I_40000_18", "I_45000_18", "I_50000_18", "I_60000_18", "I_75000_18", "I_100000_18",
    "I_125000_18", "I_150000_18", "I_200000_18", "I_201000_18",
)
#: UDP's ``_se`` columns of the medians are the ACS margins of error (90 %) as the Census API
#: returns them, despite the name: whole dollars, with the API's MOE sentinels (-222222222,
#: -333333333) where none is published.
_UDP_MEDIAN_MOES = frozenset({"mrent_18", "mhval_18", "mrent_12", "mhval_12"})


def _udp_moe(term: str) -> str | None:
    return f"{term}_se" if term in _UDP_MEDIAN_MOES else None


UDP_CENSUS_2018 = Profile(
    name="udp_census_2018",
    title="Urban Displacement Project census summary (ACS 2014-2018)",
    roles=("census",),
    key_columns=("FIPS", "GEOID"),
    signature=("pop_18", "hinc_18"),
    moe_column=_udp_moe,
    fields=(
        Field("pop_total", ("pop_18",)),
        Field("pop_nh_white", ("white_18",)),
        Field("pop_poc", ("pop_18 - white_18",)),
        Field("households", ("hh_18",)),
        Field("median_hh_income", ("hinc_18",)),
        Field("median_home_value", ("mhval_18",)),
        Field("median_gross_rent", ("mrent_18",)),
        Field("edu_universe", ("total_25_18",)),
        Field("edu_bachelors_plus", (
            "total_25_col_bd_18 + total_25_col_md_18 + total_25_col_pd_18 + total_25_col_phd_18",
        )),
        Field("housing_units", ("tot_units_built_18",)),
        Field("owner_units", ("ohu_18",)),
        Field("renter_units", ("rhu_18",)),
        Field("occupied_units", ("ohu_18 + rhu_18",)),
        *(Field(v, (c,)) for v, c in zip(INCOME_BRACKET_VARIABLES, _UDP_BRACKETS, strict=True)),
    ),
)

#: The same file's ACS 2008-2012 columns (``_12``): the file holds two periods, and a manifest
#: layer with the ``udp_census`` profile feeds both (``profiles.PERIOD_PROFILES``).
UDP_CENSUS_2012 = Profile(
    name="udp_census_2012",
    title="Urban Displacement Project census summary (ACS 2008-2012 columns)",
    roles=("census",),
    key_columns=("FIPS", "GEOID"),
    signature=("mrent_12", "mhval_12"),
    moe_column=_udp_moe,
    fields=(
        Field("median_home_value", ("mhval_12",)),
        Field("median_gross_rent", ("mrent_12",)),
    ),
)
