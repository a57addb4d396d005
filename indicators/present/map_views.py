"""What a map sends to the browser for a region or a view of it: the light GeoJSON of its
units, districts and HOLC zones (:class:`MapData`), with the detail the view's size calls for.

:func:`indicators.present.queries.map_data` selects the shapes (all of a small region's, or those
around a district or area of a national one); this module turns them into what the maps draw,
and :class:`FitView` fits a map to its view in the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from folium.map import FitBounds
from folium.template import Template

from indicators.present.maps import COORD_DECIMALS, light_geojson, safe_text


@dataclass(frozen=True)
class MapData:
    """Light GeoJSON of what the maps draw, and the extents they fit.

    Attributes
    ----------
    units, districts : dict
        FeatureCollections (``geoid``, ``name``; ``district_id``, ``name``).
    holc : dict or None
        The HOLC zones (``category``, ``label``, ``grade``), None where the region has none.
    bounds : (minx, miny, maxx, maxy)
        Of all the districts.
    district_bounds : dict
        district_id -> (minx, miny, maxx, maxy).
    district_centres : dict
        district_id -> (lon, lat) of a point inside the district.
    unit_ids : list of str
        The GEOIDs drawn, in order.
    whole : bool
        Whether the units drawn are all of the region's (a small region, or no view asked
        for), so that classes computed over them are the region's; False when the map draws
        only a view's surroundings (a national database), whose classes come from every unit.
    view : (minx, miny, maxx, maxy)
        The extent the map shows (``bounds`` for the whole region).
    """

    units: dict[str, object]
    districts: dict[str, object]
    holc: dict[str, object] | None
    bounds: tuple[float, float, float, float]
    district_bounds: dict[str, tuple[float, float, float, float]]
    district_centres: dict[str, tuple[float, float]]
    unit_ids: list[str]
    whole: bool = True
    view: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


#: Map width in screen pixels that simplification is judged against: a shape's detail finer
#: than the view's width / this many pixels cannot be seen.
VIEW_PIXELS = 1_500


def map_data(units: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, holc: gpd.GeoDataFrame,
             bounds: tuple[float, float, float, float] | None = None,
             view: tuple[float, float, float, float] | None = None, whole: bool = True,
             outlines: bool = False) -> MapData:
    """Simplify and round the units (``geoid``, ``name``), districts (``district_id``, ``name``)
    and HOLC zones (``category``, ``label``) for the browser; see :class:`MapData`.

    ``bounds`` is the whole region's extent (default: the districts'); ``view`` the extent the
    map will show, which sets how much detail is worth sending: 12 m at a city's scale, about
    a pixel's width at a state's or the country's, with coordinates rounded to match. With ``outlines`` the
    districts are sent as one feature of their boundaries (:func:`outlines_geojson`).
    """
    region = tuple(float(b) for b in (bounds if bounds is not None else districts.total_bounds))
    shown = tuple(float(b) for b in view) if view is not None else region
    tolerance_m, decimals = detail_for(shown)
    category = holc["category"].astype(str)
    holc = holc.assign(grade="Grade " + category.where(category != "", "none"))
    return MapData(
        units=light_geojson(units, ["geoid", "name"], tolerance_m=12),
        districts=(outlines_geojson(districts, tolerance_m, decimals) if outlines
                   else light_geojson(districts, ["district_id", "name"], tolerance_m, decimals)),
        holc=light_geojson(holc, ["category", "label", "grade"], tolerance_m=8) if len(holc) else None,
        bounds=region,
        district_bounds={d: tuple(float(b) for b in g.bounds)
                         for d, g in zip(districts["district_id"], districts.geometry, strict=True)},
        district_centres={d: (float(p.x), float(p.y)) for d, p in
                          zip(districts["district_id"], districts.representative_point(), strict=True)},
        unit_ids=units["geoid"].tolist(),
        whole=whole,
        view=shown,
    )


def detail_for(extent: tuple[float, float, float, float]) -> tuple[float, int]:
    """(simplification tolerance in metres, coordinate decimals) for a map showing ``extent``:
    12 m and 5 decimals up to a city's size, then a pixel's width of :data:`VIEW_PIXELS`.

    Examples
    --------
    >>> detail_for((-84.6, 33.6, -84.2, 33.9))        # Atlanta
    (12.0, 5)
    >>> detail_for((-85.6, 30.3, -80.8, 35.0))        # Georgia
    (300.0, 3)
    >>> detail_for((-125.0, 24.0, -66.0, 50.0))       # the contiguous United States
    (3500.0, 3)
    """
    minx, miny, maxx, maxy = extent
    lat = np.radians((miny + maxy) / 2)
    span_m = max((maxx - minx) * 111_320.0 * max(np.cos(lat), 0.2), (maxy - miny) * 110_574.0)
    tolerance_m = max(12.0, float(np.round(span_m / VIEW_PIXELS, -2)))
    if tolerance_m <= 12.0:
        return tolerance_m, COORD_DECIMALS
    decimals = int(np.clip(np.floor(-np.log10(tolerance_m / 111_320.0)) + 1, 3, COORD_DECIMALS))
    return tolerance_m, decimals


def outlines_geojson(frame: gpd.GeoDataFrame, tolerance_m: float, decimals: int,
                     name: str = "District boundaries") -> dict[str, object]:
    """All of ``frame``'s boundaries as one line feature, each shared edge once: how a map of a
    whole country draws 2,000 districts in about 200 KB (as 2,000 polygon features, each
    edge twice and each with its own properties, they are over 500 KB).

    >>> squares = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
    >>> outlines_geojson(squares, 12.0, 3)["features"][0]["geometry"]["type"]
    'MultiLineString'
    """
    lat = float(np.mean(frame.total_bounds[[1, 3]])) if len(frame) else 0.0
    degrees = tolerance_m / (111_320.0 * max(np.cos(np.radians(lat)), 0.2))
    lines = shapely.line_merge(shapely.union_all(shapely.boundary(frame.geometry.to_numpy())))
    lines = shapely.set_precision(shapely.simplify(lines, degrees), 10.0 ** -decimals)
    if lines.geom_type == "LineString":
        lines = shapely.MultiLineString([lines])
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"district_id": "", "name": safe_text(name)},
         "geometry": json.loads(shapely.to_geojson(lines))}]}


class FitView(FitBounds):
    """Fit the map to ``bounds`` whenever the layer holding this element is drawn.

    folium's own ``FitBounds`` belongs to the map, so changing its bounds changes the map's
    script and streamlit-folium draws the whole map again; held by a feature group instead, it
    travels with the layers (``feature_group_to_add``), which the browser swaps in place. Leaflet
    fits to the map's real size in the browser, at any screen width.

    A map drawn while it has no size yet (its frame still being laid out, as when the page is
    redrawn in another language) is fitted once it has one: Leaflet's ``fitBounds`` on a map
    smaller than its padding computes a NaN centre and throws "Invalid LatLng object: (NaN,
    NaN)" (Leaflet/Leaflet#9632), so the script waits for the container's size
    (``ResizeObserver``) and only then fits.

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)
        Longitude/latitude extent.
    padding_px : int, default 8
        Space kept free inside each edge of the map.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (map, bounds, options) {
                const box = map.getContainer();
                const pad = options.padding || [0, 0];
                const sized = () => box.clientWidth > 2 * pad[0] && box.clientHeight > 2 * pad[1];
                const fit = () => { map.invalidateSize(false); map.fitBounds(bounds, options); };
                if (sized()) {
                    fit();
                    return;
                }
                const watch = new ResizeObserver(() => {
                    if (sized()) {
                        watch.disconnect();
                        fit();
                    }
                });
                watch.observe(box);
            })({{ this._parent._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """)

    def __init__(self, bounds: tuple[float, float, float, float], padding_px: int = 8):
        minx, miny, maxx, maxy = bounds
        super().__init__([[miny, minx], [maxy, maxx]], padding=(padding_px, padding_px))
        self._name = "FitView"
