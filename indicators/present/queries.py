"""The queries the pages run on the derived database, and nothing else: every SQL text a page
needs is here, parameterised, and each function takes an open (read-only) connection.

The app caches each call per database version (``ui.data.load``); notebooks can call them
directly::

    from indicators.store.database import connect_readonly
    from indicators.present import queries
    with connect_readonly("data/indicators.duckdb") as con:
        queries.values(con, "district")
"""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pandas as pd

from indicators.metrics.registry import INDICATORS, Indicator
from indicators.present import maps
from indicators.store.database import meta as _meta
from indicators.store.database import read_geo

#: The tables offered as downloads on the Data page, with what each holds.
DOWNLOAD_TABLES = {
    "indicator_values": "every indicator for every tract, district and the region",
    "indicator_availability": "which indicators this region has, and why not where not",
    "disparities": "majority people-of-colour vs majority-White areas",
    "segregation": "segregation indices",
    "race_gaps": "Black and White households",
    "layers": "provenance of every file loaded",
}
GEO_KINDS = ("unit", "district", "region")

Connection = duckdb.DuckDBPyConnection


def meta(con: Connection) -> dict[str, str]:
    """The database's ``meta`` table (region name, sample flag, build time...)."""
    return _meta(con)


def place(con: Connection) -> str:
    """How sentences name the whole region ("Across Sample City ...")."""
    info = _meta(con)
    return info.get("place_label") or info.get("region_name") or "the region"


def districts(con: Connection) -> pd.DataFrame:
    """``district_id`` and ``name`` of every district, by name."""
    return con.execute("SELECT district_id, name FROM districts ORDER BY name").df()


def district_names(con: Connection) -> dict[str, str]:
    """district_id -> name, in name order."""
    frame = districts(con)
    return dict(zip(frame["district_id"], frame["name"], strict=True))


def units(con: Connection) -> pd.DataFrame:
    """``geoid`` and ``name`` of every unit."""
    return con.execute("SELECT geoid, name FROM units ORDER BY geoid").df()


def crosswalk(con: Connection) -> pd.DataFrame:
    """The unit -> district weights (``geoid``, ``district_id``, ``weight``, ``area_m2``)."""
    return con.execute("SELECT * FROM crosswalk ORDER BY geoid, district_id").df()


def values(con: Connection, kind: str) -> pd.DataFrame:
    """``indicator_values`` of one geography kind (unit, district or region)."""
    if kind not in GEO_KINDS:
        raise ValueError(f"unknown geography kind {kind!r}; one of {', '.join(GEO_KINDS)}")
    return con.execute("SELECT * FROM indicator_values WHERE geo_kind = ?", [kind]).df()


def geography_values(con: Connection, kind: str, geo_id: str) -> pd.DataFrame:
    """``indicator_values`` of one geography (a district's id, a unit's GEOID, ``"region"``)."""
    return con.execute("SELECT * FROM indicator_values WHERE geo_kind = ? AND geo_id = ?",
                       [kind, geo_id]).df()


def indicator_units(con: Connection, indicator_id: str) -> pd.DataFrame:
    """``indicator_values`` of one indicator for every unit (what its map draws)."""
    return con.execute("SELECT * FROM indicator_values WHERE geo_kind = 'unit' AND indicator_id = ?",
                       [indicator_id]).df()


def availability(con: Connection) -> pd.DataFrame:
    """``indicator_availability`` indexed by indicator id."""
    return con.execute("SELECT * FROM indicator_availability").df().set_index("indicator_id")


def available_indicators(con: Connection) -> list[Indicator]:
    """Registry indicators this region has values for, in registry order."""
    have = availability(con)
    return [i for i in INDICATORS if i.id in have.index and bool(have.loc[i.id, "available"])]


def missing_indicators(con: Connection) -> pd.DataFrame:
    """The indicators this region cannot show, with the reason (``indicator_id`` index)."""
    have = availability(con)
    return have[~have["available"].astype(bool)]


def layers(con: Connection) -> pd.DataFrame:
    """The provenance table, in manifest order."""
    return con.execute("SELECT * FROM layers ORDER BY layer_id").df()


def source_lines(con: Connection) -> dict[int, str]:
    """layer_id -> "Source: title, vintage" for captions (publisher and licence: Data page)."""
    return {int(r.layer_id): f"Source: {r.title}, {r.vintage}" for r in layers(con).itertuples()}


def has_overlay(con: Connection, kind: str) -> bool:
    """Whether the region has any overlay of this kind (``"holc"``)."""
    return con.execute("SELECT count(*) FROM overlays WHERE kind = ?", [kind]).fetchone()[0] > 0


def segregation(con: Connection) -> pd.DataFrame:
    """Segregation indices of the region and each district."""
    return con.execute("SELECT * FROM segregation").df()


def disparities(con: Connection) -> pd.DataFrame:
    """Every indicator in majority-POC vs majority-White units."""
    return con.execute("SELECT * FROM disparities").df()


def race_gaps(con: Connection) -> pd.DataFrame:
    """Black and White householders' homeownership and income, for the region and districts."""
    return con.execute("SELECT * FROM race_gaps WHERE geo_kind IN ('region', 'district')").df()


def unit_burdens(con: Connection) -> pd.DataFrame:
    """Each unit's CEJST-style flag and the burdens behind it."""
    return con.execute("SELECT * FROM unit_burdens").df()


def location_quotients(con: Connection) -> pd.DataFrame:
    """Each group's share of each district against the region."""
    return con.execute("SELECT * FROM location_quotients").df()


def download_table(con: Connection, table: str) -> pd.DataFrame:
    """One of :data:`DOWNLOAD_TABLES`, whole (any other name is refused)."""
    if table not in DOWNLOAD_TABLES:
        raise ValueError(f"{table!r} is not offered for download; one of {', '.join(DOWNLOAD_TABLES)}")
    return con.execute(f"SELECT * FROM {table}").df()  # table: one of the constants above


def districts_geo(con: Connection) -> gpd.GeoDataFrame:
    """District polygons (for exports)."""
    return read_geo(con, "districts", "district_id, name")


def map_data(con: Connection) -> maps.MapData:
    """Light GeoJSON of the units inside the districts, the districts and the HOLC zones, with
    the bounds the maps fit (see :class:`indicators.present.maps.MapData`)."""
    covered = con.execute("SELECT DISTINCT geoid FROM crosswalk").df()["geoid"]
    unit_shapes = read_geo(con, "units", "geoid, name")
    district_shapes = read_geo(con, "districts", "district_id, name")
    holc = read_geo(con, "overlays", "category, label", "WHERE kind = ?", ["holc"])
    return maps.map_data(unit_shapes[unit_shapes["geoid"].isin(covered)], district_shapes, holc)
