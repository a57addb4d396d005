"""Sample City projects' own boundaries: the interim boundaries four fictional projects
declared at Formation, drawn inside (and across the edge of) their districts, so the Project
page and the portfolio map have real outlines to show and profile.

Each boundary is the part of a disc, centred near the district's middle, that lies inside the
city; one (Eastport Rail Yards) spills over into the neighbouring district, as real project
areas do.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import mapping

from indicators.config import EQUAL_AREA_CRS, STORAGE_CRS

#: project id -> (its district, the disc's offset from the district's centre in metres (east,
#: north), its radius in metres, the boundary's name).
BOUNDARIES = {
    "oak-hill-commons": ("oak-hill", (300.0, -200.0), 1_400.0, "Oak Hill Commons interim boundary"),
    "riverside-roots": ("riverside", (-400.0, 300.0), 1_200.0, "Riverside Roots river blocks"),
    "downtown-renewal": ("downtown", (-600.0, -900.0), 1_100.0, "Downtown Renewal corridor blocks"),
    "eastport-rail-yards": ("eastport", (1_800.0, -1_500.0), 1_600.0, "Rail yards and neighbours"),
}


def project_boundaries(districts: gpd.GeoDataFrame) -> dict[str, dict[str, object]]:
    """Project id -> ``{"name", "geometry" (GeoJSON, lon/lat, 5 decimals), "source"}``.

    ``districts`` has ``district_id`` (the slug of its name) and polygons in any CRS.
    """
    projected = districts.to_crs(EQUAL_AREA_CRS).set_index("district_id")
    city = shapely.union_all(projected.geometry.to_numpy())
    out = {}
    for project_id, (district, (dx, dy), radius, name) in BOUNDARIES.items():
        centre = projected.geometry[district].representative_point()
        disc = shapely.Point(centre.x + dx, centre.y + dy).buffer(radius, quad_segs=12)
        shape = gpd.GeoSeries([disc.intersection(city)], crs=EQUAL_AREA_CRS).to_crs(STORAGE_CRS)
        rounded = shapely.set_precision(shape.iloc[0], 1e-5)
        out[project_id] = {"name": name, "geometry": mapping(rounded),
                           "source": "Declaration of Collaboration (fictional sample)"}
    return out
