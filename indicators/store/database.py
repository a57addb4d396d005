"""Reading the derived database ``indicators.duckdb``: opened read-only (the app never writes
it), with parameterised queries only.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import shapely

from indicators.config import STORAGE_CRS

#: The catalog name the derived database is attached under by :func:`connect_readonly`.
LIVE = "live"


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the derived database read-only (the app never writes it).

    The file is attached to a fresh in-memory DuckDB instance rather than opened with
    ``duckdb.connect(path)``: DuckDB hands back the instance a process already holds for a path,
    so after an editor's load swaps a new file in (``os.replace``) a plain connect would keep
    reading the old one for as long as any connection to it is open. Use :func:`cursor_of` for
    cursors (each needs the catalog chosen again).

    Raises
    ------
    duckdb.IOException
        When there is no database at ``path``.
    """
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH ? AS {LIVE} (READ_ONLY)", [str(path)])
        con.execute(f"USE {LIVE}")
    except duckdb.Error:
        con.close()
        raise
    return con


def cursor_of(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a :func:`connect_readonly` connection (safe to use from another thread)."""
    cursor = con.cursor()
    cursor.execute(f"USE {LIVE}")
    return cursor


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
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_CRS)
