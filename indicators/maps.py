"""Folium maps built from data, light and offline (no Streamlit here).

Maps draw with no internet: Leaflet and jQuery come from the ``xstatic-leaflet`` and
``xstatic-jquery`` packages, copied into the app's ``static/`` folder by
:func:`install_static_assets` and served by Streamlit (``server.enableStaticServing``). No
basemap tiles are requested (there is no tile server to reach, and the sample city must not sit
on a real map), so the layers carry their own context: district outlines, labels, a legend.

Payload matters more than server time: geometry is simplified and rounded before it becomes
GeoJSON (:func:`light_geojson`), and properties are trimmed to what the map shows.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely

STATIC_PREFIX = "/app/static/vendor"
#: (package, file inside the package's data folder, path under static/vendor)
ASSETS = (
    ("xstatic.pkg.leaflet", "leaflet.js", "leaflet/leaflet.js"),
    ("xstatic.pkg.leaflet", "leaflet.css", "leaflet/leaflet.css"),
    ("xstatic.pkg.leaflet", "images/layers.png", "leaflet/images/layers.png"),
    ("xstatic.pkg.leaflet", "images/layers-2x.png", "leaflet/images/layers-2x.png"),
    ("xstatic.pkg.leaflet", "images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("xstatic.pkg.leaflet", "images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("xstatic.pkg.leaflet", "images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("xstatic.pkg.jquery", "jquery.min.js", "jquery/jquery.min.js"),
)
OFFLINE_JS = [
    ("leaflet", f"{STATIC_PREFIX}/leaflet/leaflet.js"),
    ("jquery", f"{STATIC_PREFIX}/jquery/jquery.min.js"),
]
OFFLINE_CSS = [("leaflet_css", f"{STATIC_PREFIX}/leaflet/leaflet.css")]
#: Decimal places kept in map coordinates: 5 is about 1 m, far below what a screen shows.
COORD_DECIMALS = 5


def install_static_assets(static_dir: Path) -> list[Path]:
    """Copy Leaflet and jQuery from their installed packages into ``static_dir/vendor``.

    Idempotent: files already there with the same size are left alone. Returns the files
    copied.
    """
    import importlib

    copied = []
    for package, name, target in ASSETS:
        source = Path(importlib.import_module(package).BASE_DIR) / name
        destination = static_dir / "vendor" / target
        if destination.exists() and destination.stat().st_size == source.stat().st_size:
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        copied.append(destination)
    return copied


def offline_map(bounds: tuple[float, float, float, float], **kwargs: object) -> folium.Map:
    """A folium map with no tiles whose Leaflet comes from the app's own static folder.

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)
        Longitude/latitude extent to fit.
    **kwargs
        Passed to :class:`folium.Map`.
    """
    minx, miny, maxx, maxy = bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        tiles=None,
        zoom_control=True,
        control_scale=True,
        prefer_canvas=False,
        **kwargs,
    )
    fmap.default_js = list(OFFLINE_JS)
    fmap.default_css = list(OFFLINE_CSS)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def light_geojson(
    frame: gpd.GeoDataFrame, properties: list[str], tolerance_m: float = 15.0
) -> dict[str, object]:
    """GeoJSON for the browser: simplified (topology kept within each shape), coordinates
    rounded to :data:`COORD_DECIMALS`, only the named properties.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        In EPSG:4326.
    properties : list of str
        Columns to keep as feature properties.
    tolerance_m : float, default 15
        Simplification tolerance in metres (converted to degrees at the frame's latitude).
    """
    lat = float(np.mean(frame.total_bounds[[1, 3]])) if len(frame) else 0.0
    degrees = tolerance_m / (111_320.0 * max(np.cos(np.radians(lat)), 0.2))
    geometry = shapely.simplify(frame.geometry.to_numpy(), degrees, preserve_topology=True)
    geometry = shapely.set_precision(geometry, 10 ** -COORD_DECIMALS)
    features = []
    for values, geom in zip(frame[properties].itertuples(index=False), geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        props = {k: _jsonable(v) for k, v in zip(properties, values, strict=True)}
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(shapely.to_geojson(geom))})
    return {"type": "FeatureCollection", "features": features}


def _jsonable(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def outline_layer(geojson: dict[str, object], name: str, label_field: str,
                  colour: str = "#1b1b1b", weight: float = 2.0) -> folium.GeoJson:
    """District (or other) outlines with a hover label; no fill, so what is under shows."""
    return folium.GeoJson(
        geojson,
        name=name,
        style_function=lambda _f: {"color": colour, "weight": weight, "fillOpacity": 0.0},
        highlight_function=lambda _f: {"weight": weight + 2},
        tooltip=folium.GeoJsonTooltip(fields=[label_field], labels=False),
    )
