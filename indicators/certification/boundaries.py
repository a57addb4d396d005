"""Projects' own boundaries: the "interim boundary" a Just Communities project declares at
Formation (in its Declaration of Collaboration), kept as GeoJSON in the records database.

Like every record, a boundary is never overwritten: a new boundary is a new row, the current one
is the latest, and the history keeps the earlier ones. A project without one is shown by its
district. Geometry is checked here (polygons only, longitude/latitude, repaired when invalid,
at most :data:`MAX_VERTICES` points) before anything is written.
"""

from __future__ import annotations

import json
from contextlib import closing
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from indicators.certification.backends import Connection, Location, has_table, resolve
from indicators.certification.checks import RecordError
from indicators.certification.database import connect, frame

#: The table, created on demand in records databases made before boundaries existed.
TABLE = """
CREATE TABLE IF NOT EXISTS boundaries (
    boundary_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, name VARCHAR,
    geojson VARCHAR NOT NULL, source VARCHAR, recorded_by VARCHAR, recorded_at TIMESTAMP
);
"""
#: Most points a stored boundary keeps (a neighbourhood outline needs far fewer).
MAX_VERTICES = 20_000
#: Decimal places kept (about 10 cm).
DECIMALS = 6


def check_geometry(value: object) -> str:
    """A boundary as stored: GeoJSON text of a valid (multi)polygon in longitude/latitude.

    ``value`` is a GeoJSON geometry (dict or text), a Feature, or a shapely geometry.

    Examples
    --------
    >>> check_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})
    '{"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}'

    A clockwise ring is turned counter-clockwise, as GeoJSON asks:

    >>> check_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 0]]]})
    '{"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}'

    Raises
    ------
    RecordError
        When it is not an area in longitude/latitude.
    """
    try:
        if isinstance(value, str):
            value = json.loads(value)
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        geometry = value if isinstance(value, shapely.Geometry) else shape(value)  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.GEOSException):
        raise RecordError("the boundary is not a GeoJSON geometry; upload a GeoJSON, shapefile "
                          "or GeoPackage of the project's outline.") from None
    if not shapely.is_valid(geometry):
        geometry = shapely.make_valid(geometry)
    parts = [g for g in getattr(geometry, "geoms", [geometry])
             if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts or sum(p.area for p in parts) == 0:
        raise RecordError("the boundary has no area: it must be a polygon (the project's outline), "
                          "not points or lines.")
    geometry = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    minx, miny, maxx, maxy = geometry.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise RecordError("the boundary's coordinates are not longitude and latitude; upload it "
                          "with its coordinate system (the .prj of a shapefile).")
    tolerance = 1e-6
    while shapely.get_num_coordinates(geometry) > MAX_VERTICES:
        geometry = shapely.simplify(geometry, tolerance, preserve_topology=True)
        tolerance *= 2
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, DECIMALS))
    if not shapely.is_valid(rounded):  # rounding folded a sliver: let GEOS snap it instead
        rounded = shapely.set_precision(geometry, 10 ** -DECIMALS)
    if rounded.is_empty or rounded.geom_type not in ("Polygon", "MultiPolygon"):
        raise RecordError("the boundary is too small to keep (under about 10 cm across); upload "
                          "the project's outline.")
    rounded = _counter_clockwise(rounded)
    return json.dumps(mapping(rounded))


def _counter_clockwise(geometry: shapely.Geometry) -> shapely.Geometry:
    """Outer rings counter-clockwise and holes clockwise, as GeoJSON (RFC 7946) asks."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, 1.0)
    return shapely.MultiPolygon([orient(p, 1.0) for p in geometry.geoms])


def ensure_table(con: Connection) -> None:
    """Create the boundaries table in a records database that lacks it (schema migration 2,
    :mod:`indicators.certification.migrations`)."""
    con.execute(TABLE)


def _has_table(con: Connection) -> bool:
    return has_table(con, "boundaries")


def history(project_id: str, db: Location | None = None) -> pd.DataFrame:
    """Every boundary a project has had, newest first."""
    with closing(connect(resolve(db))) as con:
        if not _has_table(con):
            return pd.DataFrame(columns=["boundary_id", "project_id", "name", "geojson", "source",
                                         "recorded_by", "recorded_at"])
        return frame(con, "SELECT * FROM boundaries WHERE project_id = ? ORDER BY recorded_at DESC, "
                          "boundary_id DESC", [project_id])


def current(db: Location | None = None) -> pd.DataFrame:
    """Each project's current boundary (``project_id``, ``name``, ``geojson``); projects without
    one are absent."""
    with closing(connect(resolve(db))) as con:
        if not _has_table(con):
            return pd.DataFrame(columns=["project_id", "name", "geojson"])
        return frame(con, "SELECT project_id, name, geojson FROM (SELECT project_id, name, geojson, "
                          "row_number() OVER (PARTITION BY project_id ORDER BY recorded_at DESC, "
                          "boundary_id DESC) AS newest FROM boundaries) AS b WHERE newest = 1 "
                          "ORDER BY project_id", [])


def of_project(project_id: str, db: Location | None = None) -> dict[str, Any] | None:
    """A project's current boundary row, or None."""
    found = history(project_id, db)
    return None if found.empty else found.iloc[0].to_dict()

