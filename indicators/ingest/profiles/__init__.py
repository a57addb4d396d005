"""The named column mappings (profiles) from real public files to canonical variables.

=================  ==========================================================================
profile            files
=================  ==========================================================================
acs                Census Data API JSON or CSV in API variable naming (``B03002_001E``/``M``),
                   as api.census.gov, data.census.gov, tidycensus and censusdis export
cdc_svi_2018       CDC/ATSDR Social Vulnerability Index 2018 tract CSV (``E_*``/``M_*``)
cdc_svi_2022       CDC/ATSDR Social Vulnerability Index 2022 tract CSV
udp_census_2018    Urban Displacement Project census summary (``pop_18``, ``I_10000_18`` ...)
udp_census_2012    the same file's ACS 2008-2012 columns (``mrent_12``, ``mhval_12``)
udp_census         the same file, both periods: one layer per period (:data:`PERIOD_PROFILES`)
ejscreen           EPA EJScreen CSV, versions 2.2 and 2.3 (block group ``ID`` or tract
                   ``GEOID``), and tract subsets using lower-case names (``pm25``, ``diesel_pm``)
cdc_places         CDC PLACES tract CSV, long (``MeasureId``/``Data_Value``) or one measure
cejst              CEJST 1.0 tract CSV (values, national percentiles, disadvantaged flag)
generic            any GEOID-keyed CSV; the manifest maps ``columns = {variable = "column"}``
holc               Mapping Inequality redlining GeoJSON (``holc_grade`` or ``grade`` A-D)
=================  ==========================================================================
"""

from __future__ import annotations

from indicators.ingest.profiles.census import (
    ACS,
    CDC_SVI_2018,
    CDC_SVI_2022,
    UDP_CENSUS_2012,
    UDP_CENSUS_2018,
)
from indicators.ingest.profiles.environment import CDC_PLACES, CEJST, EJSCREEN, GENERIC
from indicators.ingest.tabular import Profile

__all__ = ["GEOMETRY_PROFILES", "PERIOD_PROFILES", "PROFILES", "TABLE_PROFILES", "profiles_for_role"]

#: Profiles for tabular layers, by name.
TABLE_PROFILES: dict[str, Profile] = {
    p.name: p for p in (ACS, CDC_SVI_2018, CDC_SVI_2022, UDP_CENSUS_2018, UDP_CENSUS_2012,
                        EJSCREEN, CDC_PLACES, CEJST, GENERIC)
}
#: Profiles for geometry layers (read by :mod:`indicators.ingest.geography`).
GEOMETRY_PROFILES = {"holc": ("overlay",)}
#: Files that hold several periods in their own columns: a layer naming one of these profiles
#: (and no ``period``) feeds each period, read by that period's profile (period -> profile).
PERIOD_PROFILES: dict[str, dict[str, str]] = {
    "udp_census": {"2008-2012": UDP_CENSUS_2012.name, "2014-2018": UDP_CENSUS_2018.name},
}
PROFILES = {**{n: p.roles for n, p in TABLE_PROFILES.items()}, **GEOMETRY_PROFILES,
            **{n: TABLE_PROFILES[next(iter(by.values()))].roles for n, by in PERIOD_PROFILES.items()}}


def profiles_for_role(role: str) -> list[str]:
    """The profile names a layer of this role may use (empty: the role takes no profile)."""
    return [name for name, roles in PROFILES.items() if role in roles]
