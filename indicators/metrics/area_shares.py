"""Area shares of overlays (e.g. HOLC grade D) in units, districts and the region, measured in
the equal-area CRS directly from the geometry (not interpolated through units)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from indicators.config import EQUAL_AREA_CRS


def overlay_shares(units: gpd.GeoDataFrame, districts: gpd.GeoDataFrame,
                   overlay: gpd.GeoDataFrame) -> dict[str, pd.Series]:
    """Share (0-1) of each unit's, district's and the region's area inside ``overlay``.

    The overlay polygons are dissolved first, so overlapping polygons are not counted twice.
    The region is the union of the districts.

    Returns
    -------
    dict
        ``{"unit": Series by GEOID, "district": Series by district_id, "region": Series}``.
    """
    zone = shapely.union_all(np.asarray(overlay.to_crs(EQUAL_AREA_CRS).geometry.array))
    shapely.prepare(zone)
    out = {}
    for kind, frame, id_col in (("unit", units, "geoid"), ("district", districts, "district_id")):
        geoms = np.asarray(frame.to_crs(EQUAL_AREA_CRS).geometry.array)
        out[kind] = pd.Series(zone_shares(geoms, zone), index=frame[id_col].astype(str).to_numpy())
    region = shapely.union_all(np.asarray(districts.to_crs(EQUAL_AREA_CRS).geometry.array))
    out["region"] = pd.Series(zone_shares(np.array([region]), zone), index=["region"])
    return out


def zone_shares(geoms: np.ndarray, zone: shapely.Geometry) -> np.ndarray:
    """Share (0-1) of each geometry's area inside ``zone`` (both in an equal-area CRS)."""
    area = shapely.area(geoms)
    hits = shapely.intersects(geoms, zone)
    inside = np.zeros(len(geoms))
    if hits.any():
        inside[hits] = shapely.area(shapely.intersection(geoms[hits], zone))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(area > 0, np.minimum(inside / area, 1.0), np.nan)
