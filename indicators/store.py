"""The DuckDB side of the derived database ``indicators.duckdb``: schema, atomic writes and
read-only queries. All SQL here is parameterised; table names are constants of this module.

The schema is a public interface (notebooks and BI tools read it) and is documented in the
README. Geometry is stored as DuckDB's core ``GEOMETRY`` type in EPSG:4326; read it back with
``ST_AsWKB(geometry)``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE layers (
    layer_id INTEGER PRIMARY KEY, role VARCHAR, title VARCHAR, path VARCHAR, profile VARCHAR,
    level VARCHAR, vintage VARCHAR, publisher VARCHAR, licence VARCHAR, source_url VARCHAR,
    rows INTEGER, rows_loaded INTEGER, units_covered INTEGER, variables INTEGER,
    sha256 VARCHAR, bytes BIGINT, loaded_at TIMESTAMP, notes VARCHAR
);
CREATE TABLE variables (
    variable VARCHAR PRIMARY KEY, kind VARCHAR, label VARCHAR, unit VARCHAR
);
CREATE TABLE units (
    geoid VARCHAR PRIMARY KEY, level VARCHAR, name VARCHAR, county VARCHAR, area_m2 DOUBLE,
    geometry GEOMETRY
);
CREATE TABLE estimates (
    geoid VARCHAR, variable VARCHAR, estimate DOUBLE, moe DOUBLE, layer_id INTEGER
);
CREATE TABLE variable_sources (
    variable VARCHAR PRIMARY KEY, layer_id INTEGER, n_units INTEGER, has_moe BOOLEAN
);
CREATE TABLE districts (
    district_id VARCHAR PRIMARY KEY, name VARCHAR, area_m2 DOUBLE, geometry GEOMETRY
);
CREATE TABLE overlays (
    overlay_id INTEGER PRIMARY KEY, layer_id INTEGER, kind VARCHAR, category VARCHAR,
    label VARCHAR, area_m2 DOUBLE, geometry GEOMETRY
);
CREATE VIEW unit_estimates AS
    SELECT e.geoid, e.variable, e.estimate, e.moe, e.layer_id
    FROM estimates e JOIN variable_sources s USING (variable, layer_id);
"""


def temporary_path(target: Path) -> Path:
    """Where a build writes before it renames into ``target`` (same folder, so the rename is
    atomic)."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")


@contextmanager
def atomic_database(target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a new database file next to ``target``; rename it over ``target`` only when the
    ``with`` block finishes without error. On error the new file is removed and ``target`` is
    untouched, so the previous database keeps serving."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(target)
    con = duckdb.connect(str(tmp))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, target)
    except BaseException:
        con.close()
        _remove(tmp)
        raise


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()


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


def set_meta(con: duckdb.DuckDBPyConnection, values: dict[str, str]) -> None:
    """Write key/value pairs into ``meta``."""
    con.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()]
    )


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the derived database read-only (the app never writes it)."""
    return duckdb.connect(str(path), read_only=True)


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The ``meta`` table as a dict."""
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def read_geo(
    con: duckdb.DuckDBPyConnection, table: str, columns: str = "*", where: str = "",
    params: list[object] | None = None,
) -> gpd.GeoDataFrame:
    """Read a table with a ``geometry`` column as a GeoDataFrame (EPSG:4326).

    ``table``, ``columns`` and ``where`` are code constants, never user text; user values go in
    ``params``.
    """
    sql = f"SELECT {columns}, ST_AsWKB(geometry) AS _wkb FROM {table} {where}"
    frame = con.execute(sql, params or []).df()
    frame = frame.drop(columns=[c for c in ("geometry",) if c in frame.columns])
    geometry = shapely.from_wkb(frame.pop("_wkb").map(bytes).to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
