"""The schema of the derived database ``indicators.duckdb`` and the functions that write it.

The schema is a public interface (notebooks and BI tools read it) and is documented in the
README. Geometry is stored as DuckDB's core ``GEOMETRY`` type in EPSG:4326; read it back with
``ST_AsWKB(geometry)``. Only :mod:`indicators.store.build` writes, always into a new file (see
:mod:`indicators.atomic`). Table and column names here are constants of the code, never user
text; values travel as registered frames or parameters.
"""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

SCHEMA_VERSION = "4"

SCHEMA = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE layers (
    layer_id INTEGER PRIMARY KEY, role VARCHAR, title VARCHAR, path VARCHAR, profile VARCHAR,
    level VARCHAR, vintage VARCHAR, publisher VARCHAR, licence VARCHAR, source_url VARCHAR,
    rows INTEGER, rows_loaded INTEGER, units_covered INTEGER, variables INTEGER,
    sha256 VARCHAR, bytes BIGINT, loaded_at TIMESTAMP, notes VARCHAR, period VARCHAR,
    downloaded_at VARCHAR
);
CREATE TABLE variables (
    variable VARCHAR PRIMARY KEY, kind VARCHAR, label VARCHAR, unit VARCHAR
);
CREATE TABLE units (
    period VARCHAR, geoid VARCHAR, level VARCHAR, name VARCHAR, county VARCHAR, area_m2 DOUBLE,
    min_lon DOUBLE, min_lat DOUBLE, max_lon DOUBLE, max_lat DOUBLE,
    geometry GEOMETRY, PRIMARY KEY (period, geoid)
);
CREATE TABLE estimates (
    period VARCHAR, geoid VARCHAR, variable VARCHAR, estimate DOUBLE, moe DOUBLE, layer_id INTEGER
);
CREATE TABLE variable_sources (
    period VARCHAR, variable VARCHAR, layer_id INTEGER, n_units INTEGER, has_moe BOOLEAN,
    PRIMARY KEY (period, variable)
);
CREATE TABLE districts (
    district_id VARCHAR PRIMARY KEY, name VARCHAR, area_m2 DOUBLE,
    min_lon DOUBLE, min_lat DOUBLE, max_lon DOUBLE, max_lat DOUBLE, geometry GEOMETRY
);
CREATE TABLE overlays (
    overlay_id INTEGER PRIMARY KEY, layer_id INTEGER, kind VARCHAR, category VARCHAR,
    label VARCHAR, area_m2 DOUBLE, geometry GEOMETRY
);
CREATE VIEW unit_estimates AS
    SELECT e.period, e.geoid, e.variable, e.estimate, e.moe, e.layer_id
    FROM estimates e JOIN variable_sources s USING (period, variable, layer_id);
"""


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of the derived database (on an empty database)."""
    con.execute(SCHEMA)


def write_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append a DataFrame to a table, matching columns by name. Geometry columns
    (``shapely`` objects) are written as GEOMETRY."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    columns = list(frame.columns)
    frame = pd.DataFrame(frame).copy()
    select = []
    for column in columns:
        if column == geometry:
            frame[column] = shapely.to_wkb(frame[column].to_numpy())
            select.append(f'ST_GeomFromWKB("{column}") AS "{column}"')
        else:
            select.append(f'"{column}"')
    con.register("_incoming", frame)
    try:
        names = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {', '.join(select)} FROM _incoming")
    finally:
        con.unregister("_incoming")


def with_extent(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` with each shape's bounding box as ``min_lon, min_lat, max_lon, max_lat``: the
    maps select what they draw by extent in SQL (the core GEOMETRY type has no spatial
    functions), so a national database hands a page the hundred tracts around a district, not
    85,000."""
    box = shapely.bounds(frame.geometry.to_numpy())
    return frame.assign(min_lon=box[:, 0], min_lat=box[:, 1], max_lon=box[:, 2], max_lat=box[:, 3])


def set_meta(con: duckdb.DuckDBPyConnection, values: dict[str, str]) -> None:
    """Write key/value pairs into ``meta``."""
    con.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()]
    )


def create_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Create ``table`` holding ``frame`` as it is (the derived tables: their columns follow
    the frame, see the README's schema). Categorical columns (texts held once, as the change
    table's ``method``) are stored as VARCHAR like every other text."""
    columns = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' if isinstance(frame[c].dtype, pd.CategoricalDtype)
                        else f'"{c}"' for c in frame.columns)
    con.register("_frame", frame)
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM _frame")
    finally:
        con.unregister("_frame")
