"""The queries the pages run on the derived database, and nothing else: every SQL text a page
needs is here, parameterised, and each function takes an open (read-only) connection.

The app caches each call per database version (``ui.data.load``); notebooks can call them
directly::

    from indicators.store.database import connect_readonly
    from indicators.present import queries
    with connect_readonly("data/indicators.duckdb") as con:
        queries.values(con, "district")                  # the latest period
        queries.values(con, "district", "2014-2018")     # an earlier one
        queries.changes(con, "district", "2014-2018", "2018-2022")

Every query of one period's tables takes ``period`` (None: the latest); a period the database
does not hold is refused with the list of those it does.
"""

from __future__ import annotations

import json

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from indicators.certification.standard import default_version, load_standards
from indicators.metrics.registry import INDICATORS, Indicator
from indicators.present import learn, map_views, maps, reading
from indicators.store.database import meta as _meta
from indicators.store.database import read_geo

#: The tables offered as downloads on the Data page, with what each holds.
DOWNLOAD_TABLES = {
    "indicator_values": "every indicator for every tract, district and the region",
    "indicator_availability": "which indicators this region has, and why not where not",
    "disparities": "majority people-of-colour vs majority-White areas",
    "segregation": "segregation indices",
    "race_gaps": "Black and White households",
    "changes": "every indicator's change between periods, with its margin of error",
    "gap_changes": "whether each Black-White gap widened or narrowed between periods",
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


def periods(con: Connection) -> tuple[str, ...]:
    """The periods the database holds, oldest first (``("",)`` for a region that names none)."""
    listed = _meta(con).get("periods")
    return tuple(json.loads(listed)) if listed else ("",)


def period_of(con: Connection, period: str | None) -> str:
    """``period`` checked against the database's, or the latest when None.

    Raises
    ------
    ValueError
        For a period the database does not hold.
    """
    held = periods(con)
    if period is None:
        return held[-1]
    if period not in held:
        raise ValueError(f"no period {period!r} here; the periods are {', '.join(held)}")
    return period


def districts(con: Connection) -> pd.DataFrame:
    """``district_id`` and ``name`` of every district, by name."""
    return con.execute("SELECT district_id, name FROM districts ORDER BY name").df()


def district_names(con: Connection) -> dict[str, str]:
    """district_id -> name, in name order."""
    frame = districts(con)
    return dict(zip(frame["district_id"], frame["name"], strict=True))


def units(con: Connection, period: str | None = None) -> pd.DataFrame:
    """``geoid`` and ``name`` of every unit of a period."""
    return con.execute("SELECT geoid, name FROM units WHERE period = ? ORDER BY geoid",
                       [period_of(con, period)]).df()


def crosswalk(con: Connection, period: str | None = None) -> pd.DataFrame:
    """A period's unit -> district weights (``geoid``, ``district_id``, ``weight``, ``area_m2``)."""
    return con.execute("SELECT * EXCLUDE (period) FROM crosswalk WHERE period = ? "
                       "ORDER BY geoid, district_id", [period_of(con, period)]).df()


def values(con: Connection, kind: str, period: str | None = None) -> pd.DataFrame:
    """``indicator_values`` of one geography kind (unit, district or region) in a period."""
    return con.execute("SELECT * FROM indicator_values WHERE geo_kind = ? AND period = ?",
                       [_kind(kind), period_of(con, period)]).df()


def geography_values(con: Connection, kind: str, geo_id: str,
                     period: str | None = None) -> pd.DataFrame:
    """``indicator_values`` of one geography (a district's id, a unit's GEOID, ``"region"``)."""
    return con.execute("SELECT * FROM indicator_values WHERE geo_kind = ? AND geo_id = ? "
                       "AND period = ?", [_kind(kind), geo_id, period_of(con, period)]).df()


def indicator_units(con: Connection, indicator_id: str, period: str | None = None) -> pd.DataFrame:
    """``indicator_values`` of one indicator for every unit (what its map draws)."""
    return con.execute("SELECT * FROM indicator_values WHERE geo_kind = 'unit' AND indicator_id = ? "
                       "AND period = ?", [indicator_id, period_of(con, period)]).df()


def trend(con: Connection, kind: str, indicator_id: str) -> pd.DataFrame:
    """One indicator's values for every geography of a kind in every period (what a trend
    chart draws), oldest period first."""
    frame = con.execute("SELECT * FROM indicator_values WHERE geo_kind = ? AND indicator_id = ?",
                        [_kind(kind), indicator_id]).df()
    order = {p: n for n, p in enumerate(periods(con))}
    return frame.sort_values("period", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def changes(con: Connection, kind: str, period_from: str | None = None,
            period_to: str | None = None) -> pd.DataFrame:
    """Every change of a geography kind between two periods (default: the two latest; empty for
    a region with one period)."""
    period_from, period_to = change_pair(con, period_from, period_to)
    return con.execute("SELECT * FROM changes WHERE geo_kind = ? AND period_from = ? AND "
                       "period_to = ?", [_kind(kind), period_from, period_to]).df()


def all_changes(con: Connection, kind: str) -> pd.DataFrame:
    """Every change of a geography kind between every pair of periods (the portfolio's "is
    the area improving" for projects registered in different years)."""
    return con.execute("SELECT * FROM changes WHERE geo_kind = ?", [_kind(kind)]).df()


def geography_changes(con: Connection, kind: str, geo_id: str, period_from: str | None = None,
                      period_to: str | None = None) -> pd.DataFrame:
    """One geography's changes between two periods, indexed by indicator id."""
    period_from, period_to = change_pair(con, period_from, period_to)
    return con.execute("SELECT * FROM changes WHERE geo_kind = ? AND geo_id = ? AND period_from = ? "
                       "AND period_to = ?", [_kind(kind), geo_id, period_from, period_to]
                       ).df().set_index("indicator_id")


def indicator_changes(con: Connection, indicator_id: str, kind: str = "unit",
                      period_from: str | None = None, period_to: str | None = None) -> pd.DataFrame:
    """One indicator's changes for every geography of a kind (what a change map draws)."""
    period_from, period_to = change_pair(con, period_from, period_to)
    return con.execute("SELECT * FROM changes WHERE geo_kind = ? AND indicator_id = ? AND "
                       "period_from = ? AND period_to = ?",
                       [_kind(kind), indicator_id, period_from, period_to]).df()


def gap_changes(con: Connection, period_from: str | None = None,
                period_to: str | None = None) -> pd.DataFrame:
    """Whether each Black-White gap widened or narrowed, for the region and districts."""
    period_from, period_to = change_pair(con, period_from, period_to)
    return con.execute("SELECT * FROM gap_changes WHERE period_from = ? AND period_to = ?",
                       [period_from, period_to]).df()


def change_pair(con: Connection, period_from: str | None,
                period_to: str | None) -> tuple[str, str]:
    """Two periods to compare, checked: the latest for ``period_to`` by default, and the one
    before it for ``period_from`` (a region with one period compares it with itself, which
    no table holds)."""
    held = periods(con)
    period_to = period_of(con, period_to)
    if period_from is None:
        before = [p for p in held if held.index(p) < held.index(period_to)]
        period_from = before[-1] if before else period_to
    period_from = period_of(con, period_from)
    if held.index(period_from) > held.index(period_to):
        raise ValueError(f"{period_from} is later than {period_to}: compare an earlier period "
                         "with a later one")
    return period_from, period_to


def learn_content(con: Connection) -> learn.Content:
    """The Learn page (:mod:`indicators.present.learn`): the framework and the standards with
    this database's region-level figures of the latest period, and the lessons' examples."""
    info, held = meta(con), periods(con)
    region = info.get("region_name", "")
    region_values = values(con, "region")
    (title, stages), *others = learn.standard_sections(load_standards(), default_version())
    return learn.Content(learn.intro(region, held[-1], info.get("sample") == "true"), (
        learn.Part("The two Pillars", "", learn.pillar_sections()),
        learn.Part("The five Commitments", "", learn.commitment_sections(region_values, region)),
        learn.Part("The certification stages", f"*{title}.* {learn.STAGES_INTRO}", stages),
        learn.Part("How to read a number", "", reading.lessons(
            region_values, values(con, "district"), changes(con, "region"), district_names(con),
            held, region)),
    ), tuple(others))


def availability(con: Connection, period: str | None = None) -> pd.DataFrame:
    """``indicator_availability`` of a period, indexed by indicator id."""
    return con.execute("SELECT * EXCLUDE (period) FROM indicator_availability WHERE period = ?",
                       [period_of(con, period)]).df().set_index("indicator_id")


def available_indicators(con: Connection, period: str | None = None) -> list[Indicator]:
    """Registry indicators this region has values for in a period, in registry order."""
    have = availability(con, period)
    return [i for i in INDICATORS if i.id in have.index and bool(have.loc[i.id, "available"])]


def missing_indicators(con: Connection, period: str | None = None) -> pd.DataFrame:
    """The indicators this region cannot show in a period, with the reason."""
    have = availability(con, period)
    return have[~have["available"].astype(bool)]


def layers(con: Connection) -> pd.DataFrame:
    """The provenance table (every period's layers), in manifest order."""
    return con.execute("SELECT * FROM layers ORDER BY layer_id").df()


def source_lines(con: Connection) -> dict[int, str]:
    """layer_id -> "title, vintage" for captions (publisher and licence: Data page)."""
    return {int(r.layer_id): f"{r.title}, {r.vintage}" for r in layers(con).itertuples()}


def has_overlay(con: Connection, kind: str) -> bool:
    """Whether the region has any overlay of this kind (``"holc"``)."""
    return con.execute("SELECT count(*) FROM overlays WHERE kind = ?", [kind]).fetchone()[0] > 0


def segregation(con: Connection, period: str | None = None) -> pd.DataFrame:
    """Segregation indices of the region and each district."""
    return _of_period(con, "segregation", period)


def disparities(con: Connection, period: str | None = None) -> pd.DataFrame:
    """Every indicator in majority-POC vs majority-White units."""
    return _of_period(con, "disparities", period)


def race_gaps(con: Connection, period: str | None = None) -> pd.DataFrame:
    """Black and White householders' homeownership and income, for the region and districts."""
    frame = _of_period(con, "race_gaps", period)
    return frame[frame["geo_kind"].isin(["region", "district"])].reset_index(drop=True)


def unit_burdens(con: Connection, period: str | None = None) -> pd.DataFrame:
    """Each unit's CEJST-style flag and the burdens behind it."""
    return _of_period(con, "unit_burdens", period)


def location_quotients(con: Connection, period: str | None = None) -> pd.DataFrame:
    """Each group's share of each district against the region."""
    return _of_period(con, "location_quotients", period)


#: The derived tables that hold one row set per period.
PERIOD_TABLES = ("segregation", "disparities", "race_gaps", "unit_burdens", "location_quotients")


def _of_period(con: Connection, table: str, period: str | None) -> pd.DataFrame:
    if table not in PERIOD_TABLES:
        raise ValueError(f"{table!r} is not a per-period table")
    return con.execute(f"SELECT * EXCLUDE (period) FROM {table} WHERE period = ?",  # a constant
                       [period_of(con, period)]).df()


def _kind(kind: str) -> str:
    if kind not in GEO_KINDS:
        raise ValueError(f"unknown geography kind {kind!r}; one of {', '.join(GEO_KINDS)}")
    return kind


def download_sizes(con: Connection) -> dict[str, int]:
    """The rows of each of :data:`DOWNLOAD_TABLES` (counted, not read)."""
    return {table: int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # a constant
            for table in DOWNLOAD_TABLES}


def download_table(con: Connection, table: str) -> pd.DataFrame:
    """One of :data:`DOWNLOAD_TABLES`, whole (any other name is refused)."""
    if table not in DOWNLOAD_TABLES:
        raise ValueError(f"{table!r} is not offered for download; one of {', '.join(DOWNLOAD_TABLES)}")
    return con.execute(f"SELECT * FROM {table}").df()  # table: one of the constants above


def unit_shapes(con: Connection, period: str | None = None) -> gpd.GeoDataFrame:
    """A period's unit polygons at full precision (``geoid``, ``name``), for combining units
    into an area."""
    return read_geo(con, "units", "geoid, name", "WHERE period = ?", [period_of(con, period)])


def unit_population(con: Connection, period: str | None = None) -> pd.Series:
    """Each unit's population (``pop_total`` of the layer it is taken from), by GEOID."""
    frame = con.execute("SELECT geoid, estimate FROM unit_estimates WHERE period = ? AND variable = "
                        "'pop_total'", [period_of(con, period)]).df()
    return frame.set_index("geoid")["estimate"]


def districts_geo(con: Connection) -> gpd.GeoDataFrame:
    """District polygons (for exports)."""
    return read_geo(con, "districts", "district_id, name")


#: Most bytes of unit shapes (their WKB, the stored geometry) a map of the whole region draws.
#: The light GeoJSON a map sends is 2.4 times its units' WKB before simplification, about 3.3
#: times with the districts, colours and labels, so this keeps a map under 400 KB. Sample City
#: (27 KB in a period) and Atlanta (45-77 KB) draw every unit; a region with more (1,000
#: synthetic tracts are 123 KB, a state or the country far more) draws its units only around a
#: chosen district or area, and a map of the whole region draws its districts alone.
MAP_SHAPE_BYTES = 110_000

View = tuple[float, float, float, float]


def map_data(con: Connection, period: str | None = None,
             around: str | View | None = None) -> map_views.MapData:
    """Light GeoJSON of what a map draws, with the bounds it fits (see
    :class:`indicators.present.map_views.MapData`): a period's units inside the districts, the
    districts and the HOLC zones.

    A region whose units' shapes are up to :data:`MAP_SHAPE_BYTES` sends them all, whatever
    ``around`` says. A larger one sends, ``around`` a district (its id) or an extent (lon/lat),
    the units, districts and zones within that district's or extent's surroundings
    (:func:`~indicators.present.maps.view_bounds`); with no ``around``, the districts alone,
    as one feature of their boundaries simplified to the width of a pixel. Shapes are selected
    by their extent columns in SQL, so a page never reads more than it draws.
    """
    period = period_of(con, period)
    covered = "geoid IN (SELECT geoid FROM crosswalk WHERE period = ?)"
    shape_bytes = con.execute(f"SELECT coalesce(sum(octet_length(ST_AsWKB(geometry))), 0) FROM units "
                              f"WHERE period = ? AND {covered}", [period, period]).fetchone()[0]
    bounds = region_bounds(con)
    large = shape_bytes > MAP_SHAPE_BYTES
    view = _view(con, around) if large else None
    near, near_params = _near(view)
    whole_of_large = large and view is None  # the whole of a large region: its districts alone
    units = read_geo(con, "units", "geoid, name", "WHERE false" if whole_of_large else
                     f"WHERE period = ? AND {covered} AND {near}", [] if whole_of_large
                     else [period, period, *near_params])
    districts = read_geo(con, "districts", "district_id, name", f"WHERE {near}", near_params)
    holc = read_geo(con, "overlays", "category, label", "WHERE kind = ?", ["holc"])
    if view is not None:
        holc = holc[holc.intersects(shapely.box(*view))]
    return map_views.map_data(units, districts, holc, bounds, view or bounds, whole=not large,
                              outlines=whole_of_large)


def region_bounds(con: Connection) -> View:
    """The extent of all the districts (lon/lat), which every map starts from."""
    return tuple(float(v) for v in con.execute(
        "SELECT min(min_lon), min(min_lat), max(max_lon), max(max_lat) FROM districts").fetchone())


def _view(con: Connection, around: str | View | None) -> View | None:
    """The extent a map of a large region shows around a district or an extent."""
    if around is None:
        return None
    if isinstance(around, str):
        row = con.execute("SELECT min_lon, min_lat, max_lon, max_lat FROM districts "
                          "WHERE district_id = ?", [around]).fetchone()
        if row is None:
            raise ValueError(f"no district {around!r} here")
        around = tuple(float(v) for v in row)
    return maps.view_bounds(tuple(float(v) for v in around))


def _near(view: View | None) -> tuple[str, list[object]]:
    """The SQL condition (and its parameters) of shapes whose extent meets ``view``."""
    if view is None:
        return "true", []
    minx, miny, maxx, maxy = view
    return ("max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?",
            [minx, maxx, miny, maxy])
