"""Reading the derived database ``indicators.duckdb``: opened read-only (the app never writes
it), with parameterised queries only.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import shapely

from indicators.config import STORAGE_CRS


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
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_CRS)
