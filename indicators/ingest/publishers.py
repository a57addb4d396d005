"""Where each publisher keeps the files ``fetch`` downloads, by year and state.

=====================  =====================================================================
file                   address (``{year}``, state FIPS ``{ss}``, state name ``{State}``)
=====================  =====================================================================
tracts                 ``https://www2.census.gov/geo/tiger/GENZ{year}/shp/cb_{year}_{ss}_tract_500k.zip``
                       (Census Bureau cartographic boundary file, 1:500,000)
ACS 5-year             ``https://api.census.gov/data/{year}/acs/acs5`` (:mod:`indicators.ingest.census_api`)
CDC/ATSDR SVI          ``https://svi.cdc.gov/Documents/Data/2022/csv/states/{State}.csv`` (2022;
                       the 2018 release is under ``2018_SVI_Data/CSV/States/``); CDC publishes SVI
                       every two years, and the years this dashboard has a profile for are read
CDC PLACES             ``https://data.cdc.gov/resource/{dataset}.csv`` (Socrata), the state's
                       tracts and the measures the registry uses; 2020 tracts only
EJScreen               no fixed address since EPA withdrew EJScreen in 2025: any URL given
                       with ``--ejscreen`` (a mirror such as the Public Environmental Data
                       Partners' copy)
=====================  =====================================================================

``JC_FETCH_MIRROR`` (e.g. ``http://127.0.0.1:8800``) replaces the scheme and host of every
address above and keeps the path: a local mirror of the publishers, or the tests' server.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass

from indicators.ingest.profiles.environment import PLACES_MEASURES
from indicators.ingest.states import State

#: The environment variable naming a mirror of the publishers' hosts.
MIRROR_ENV = "JC_FETCH_MIRROR"
#: The environment variable holding a Census Data API key (optional; without one the API
#: allows a few hundred requests a day from one address).
KEY_ENV = "CENSUS_API_KEY"
#: The last ACS 5-year period whose tracts, SVI and PLACES all exist for the same tracts.
DEFAULT_YEAR = 2022
#: Cartographic boundary tract files exist from 2013; the ACS 5-year API from 2009.
FIRST_YEAR = 2013
#: CDC SVI releases this dashboard reads (profile, path under svi.cdc.gov).
SVI_RELEASES = {
    2018: ("cdc_svi_2018", "/Documents/Data/2018_SVI_Data/CSV/States/{State}.csv"),
    2022: ("cdc_svi_2022", "/Documents/Data/2022/csv/states/{State}.csv"),
}
#: The PLACES census-tract dataset on data.cdc.gov (the 2023 release, BRFSS 2021, 2020 tracts).
PLACES_DATASET = "cwsq-ngmh"
PLACES_COLUMNS = ("locationid", "countyfips", "measureid", "data_value_type", "data_value",
                  "low_confidence_limit", "high_confidence_limit", "totalpopulation", "year",
                  "datasource")


@dataclass(frozen=True)
class Source:
    """One publisher's file: where it is, what to call it here, and what it is."""

    url: str
    file_name: str
    title: str
    publisher: str
    vintage: str
    licence: str = "public domain"


def mirrored(url: str, mirror: str | None = None) -> str:
    """``url`` with the mirror's scheme and host (``JC_FETCH_MIRROR`` when ``mirror`` is None).

    >>> mirrored("https://api.census.gov/data/2022/acs/acs5?get=NAME", "http://127.0.0.1:8800")
    'http://127.0.0.1:8800/data/2022/acs/acs5?get=NAME'
    >>> mirrored("https://api.census.gov/data", "")
    'https://api.census.gov/data'
    """
    mirror = os.environ.get(MIRROR_ENV, "") if mirror is None else mirror
    if not mirror:
        return url
    to = urllib.parse.urlsplit(mirror.rstrip("/"))
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((to.scheme, to.netloc, to.path + parts.path, parts.query, ""))


def tracts(year: int, state: State) -> Source:
    """The Census Bureau's cartographic boundary tracts of a state for ``year``."""
    name = f"cb_{year}_{state.fips}_tract_500k.zip"
    tract_year = 2020 if year >= 2020 else 2010
    return Source(f"https://www2.census.gov/geo/tiger/GENZ{year}/shp/{name}", name,
                  f"Census tracts, {state.name} (cartographic boundaries {year}, 1:500,000)",
                  "U.S. Census Bureau, Geography Division", f"{tract_year} tracts ({year} boundary file)")


def svi(year: int, state: State) -> tuple[Source, str] | None:
    """CDC/ATSDR SVI of the state for ``year`` and its profile, or None where CDC has no
    release for that year that this dashboard reads."""
    if year not in SVI_RELEASES:
        return None
    profile, path = SVI_RELEASES[year]
    name = f"SVI{year}_{state.name.replace(' ', '')}_tract.csv"
    return Source(f"https://svi.cdc.gov{path.format(State=state.name.replace(' ', ''))}", name,
                  f"CDC/ATSDR Social Vulnerability Index {year}", "CDC/ATSDR GRASP",
                  f"ACS {year - 4}-{year}"), profile


def places(year: int, state: State, counties: list[str], dataset: str = PLACES_DATASET) -> Source | None:
    """CDC PLACES tract estimates of the chosen counties (the measures the registry uses), or
    None before 2020 (PLACES is published on 2020 tracts)."""
    if year < 2020:
        return None
    measures = ",".join(f"'{m}'" for m in PLACES_MEASURES)
    fips = ",".join(f"'{state.fips}{c}'" for c in counties)
    query = urllib.parse.urlencode({
        "$select": ",".join(PLACES_COLUMNS),
        "$where": f"stateabbr='{state.abbr}' AND countyfips in({fips}) AND measureid in({measures})",
        "$limit": "500000"}, quote_via=urllib.parse.quote)
    return Source(f"https://data.cdc.gov/resource/{dataset}.csv?{query}",
                  f"places_{dataset}_{state.abbr.lower()}.csv", "CDC PLACES: health estimates",
                  "CDC, Division of Population Health", f"PLACES dataset {dataset}")


def named_file(url: str, fallback: str) -> str:
    """A safe local file name for a URL: its last path segment, else ``fallback``.

    >>> named_file("https://x.org/a/EJSCREEN_2023_GA.csv?x=1", "ejscreen.csv")
    'EJSCREEN_2023_GA.csv'
    >>> named_file("https://x.org/", "ejscreen.csv")
    'ejscreen.csv'
    """
    last = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    safe = "".join(ch for ch in last if ch.isalnum() or ch in "._-").lstrip(".")
    return safe or fallback
