"""Unit-to-district weights by intersection area in an equal-area CRS.

The crosswalk is the slow, geometric part of areal interpolation, so it is computed once per
build and stored (table ``crosswalk``); every variable is then aggregated from it by a sparse
matrix product (:mod:`indicators.metrics.aggregate`). The peer it must match is
``tobler.area_interpolate`` (extensive variables, ``allocate_total=False``: a unit's people
outside every district are not pushed into the districts).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from indicators.config import EQUAL_AREA_CRS

#: Pieces smaller than this share of their unit are sliver noise from boundary mismatch.
MIN_WEIGHT = 1e-9


def build_crosswalk(
    units: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    unit_id: str = "geoid",
    district_id: str = "district_id",
    crs: str = EQUAL_AREA_CRS,
) -> pd.DataFrame:
    """Area weights of every (unit, district) pair that overlaps.

    Parameters
    ----------
    units, districts : geopandas.GeoDataFrame
        Polygons with an id column each, in any CRS (both are projected to ``crs``).
    unit_id, district_id : str
        Id columns.
    crs : str, default EPSG:5070
        Equal-area CRS in which areas are measured.

    Returns
    -------
    pandas.DataFrame
        Columns ``geoid``, ``district_id``, ``weight`` (intersection area / unit area, in
        (0, 1]) and ``area_m2`` (intersection area), one row per overlapping pair.

    Notes
    -----
    ``weight`` is the share of the unit inside the district: interpolating a count X gives
    the district sum(weight * X), which assumes people are spread evenly within each unit (the
    areal-weighting assumption of Goodchild & Lam 1980; tobler's ``area_interpolate``). Units
    lying wholly inside one district get weight 1 without computing an intersection.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> u = gpd.GeoDataFrame({"geoid": ["a"]}, geometry=[box(0, 0, 2, 1)], crs="EPSG:5070")
    >>> d = gpd.GeoDataFrame({"district_id": ["w", "e"]},
    ...                      geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:5070")
    >>> build_crosswalk(u, d)[["geoid", "district_id", "weight"]].to_dict("records")
    [{'geoid': 'a', 'district_id': 'e', 'weight': 0.5}, {'geoid': 'a', 'district_id': 'w', 'weight': 0.5}]
    """
    if units.crs is None or districts.crs is None:
        raise ValueError("units and districts need a CRS to measure areas in")
    u_geom = np.asarray(units.to_crs(crs).geometry.array)
    d_geom = np.asarray(districts.to_crs(crs).geometry.array)
    shapely.prepare(d_geom)
    tree = shapely.STRtree(d_geom)
    ui, di = tree.query(u_geom, predicate="intersects")
    unit_area = shapely.area(u_geom)
    inside = shapely.contains_properly(d_geom[di], u_geom[ui])
    area = unit_area[ui].copy()
    partial = ~inside
    if partial.any():
        area[partial] = shapely.area(shapely.intersection(u_geom[ui[partial]], d_geom[di[partial]]))
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(unit_area[ui] > 0, area / unit_area[ui], 0.0)
    keep = weight > MIN_WEIGHT
    out = pd.DataFrame({
        "geoid": units[unit_id].to_numpy()[ui[keep]],
        "district_id": districts[district_id].to_numpy()[di[keep]],
        "weight": np.minimum(weight[keep], 1.0),
        "area_m2": area[keep],
    })
    return out.sort_values(["geoid", "district_id"]).reset_index(drop=True)


def coverage(crosswalk: pd.DataFrame) -> pd.Series:
    """Share of each unit inside the districts taken together (0 to 1), by GEOID.

    The region a dashboard reports on is the union of its districts, so a unit's weight in the
    region total is its coverage. Where districts overlap each other, coverage is capped at 1.
    """
    return crosswalk.groupby("geoid")["weight"].sum().clip(upper=1.0)
