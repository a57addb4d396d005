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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
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
        zoom_start=zoom_for_bounds(bounds),
        tiles=None,
        zoom_control=True,
        control_scale=True,
        prefer_canvas=False,
        zoomSnap=0.25,
        **kwargs,
    )
    fmap.default_js = list(OFFLINE_JS)
    fmap.default_css = list(OFFLINE_CSS)
    fmap.get_root().header.add_child(folium.Element(
        "<style>.leaflet-container { background: #f4f4f1; }</style>"))
    return fmap


def zoom_for_bounds(bounds: tuple[float, float, float, float], width_px: int = 640,
                    height_px: int = 420) -> float:
    """The Web Mercator zoom (in quarter steps) at which ``bounds`` fit a map of that size."""
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 1e-6)
    y0, y1 = (np.log(np.tan(np.pi / 4 + np.radians(v) / 2)) for v in (miny, maxy))
    lat_span = max(abs(y1 - y0), 1e-9)
    zx = np.log2(width_px * 360.0 / (256.0 * lon_span))
    zy = np.log2(height_px * 2 * np.pi / (256.0 * lat_span))
    return float(np.floor(min(zx, zy) * 4) / 4)


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
    """District (or other) outlines with a hover label; no fill, so clicks reach what is under."""
    return folium.GeoJson(
        geojson,
        name=name,
        style_function=lambda _f: {"color": colour, "weight": weight, "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=[label_field], labels=False),
    )


# --------------------------------------------------------------------------------------------
# Choropleths
# --------------------------------------------------------------------------------------------

#: Colour-blind-safe sequential palettes (ColorBrewer), light to dark.
BURDEN_COLOURS = ("#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026")  # YlOrRd: dark = worse
NEUTRAL_COLOURS = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")  # PuBu: dark = more
NO_DATA_COLOUR = "#d9d9d9"
HOLC_COLOURS = {"A": "#76a865", "B": "#7cb5bd", "C": "#ffff00", "D": "#d9838d"}


@dataclass(frozen=True)
class Legend:
    """Classes of a choropleth: colour and the range of values it stands for (formatted)."""

    title: str
    entries: tuple[tuple[str, str], ...]


def classify(values: pd.Series, direction: str, fmt: Callable[[float], str],
             k: int = 5) -> tuple[pd.Series, Legend]:
    """Quantile classes (mapclassify) and a colour per value; darker always means more burdened
    (for indicators where higher is better, low values are dark), neutral shares in blue.

    Returns
    -------
    (colours, legend)
        ``colours`` aligned with ``values`` (grey where missing).
    """
    present = values.dropna()
    palette = NEUTRAL_COLOURS if direction == "neutral" else BURDEN_COLOURS
    colours = pd.Series(NO_DATA_COLOUR, index=values.index, dtype=object)
    if present.empty:
        return colours, Legend("", (("no data", NO_DATA_COLOUR),))
    k = max(1, min(k, present.nunique()))
    scheme = mapclassify.Quantiles(present.to_numpy(dtype=float), k=k)
    shades = palette if k == len(palette) else tuple(
        palette[int(round(i * (len(palette) - 1) / max(k - 1, 1)))] for i in range(k))
    if direction == "higher_better":
        shades = shades[::-1]
    colours[present.index] = [shades[c] for c in scheme.yb]
    lows = [present.min(), *scheme.bins[:-1]]
    entries = tuple((f"{fmt(lo)} to {fmt(hi)}", shades[i])
                    for i, (lo, hi) in enumerate(zip(lows, scheme.bins, strict=True)))
    if values.isna().any():
        entries += (("no data", NO_DATA_COLOUR),)
    return colours, Legend("", entries)


def choropleth_layer(base: dict[str, object], colours: dict[str, str], labels: dict[str, str],
                     name: str) -> folium.FeatureGroup:
    """Units filled by class colour, each with a hover label; the geometry comes from a cached
    light GeoJSON (``base``) and only colours and labels are added per indicator."""
    features = []
    for feature in base["features"]:  # type: ignore[index]
        geoid = feature["properties"]["geoid"]
        properties = {**feature["properties"], "fill": colours.get(geoid, NO_DATA_COLOUR),
                      "label": labels.get(geoid, "no data")}
        features.append({**feature, "properties": properties})
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#ffffff",
                                  "weight": 0.6, "fillOpacity": 0.85},
        highlight_function=lambda _f: {"weight": 2.5, "color": "#1b1b1b"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "label"], labels=False),
    ).add_to(group)
    return group


def districts_layer(base: dict[str, object], selected: str | None) -> folium.FeatureGroup:
    """Every district outlined; the selected one thick and dark."""
    group = folium.FeatureGroup(name="Districts")
    folium.GeoJson(
        base,
        style_function=lambda f: {
            "color": "#0b3d33" if f["properties"]["district_id"] == selected else "#4d4d4d",
            "weight": 4.5 if f["properties"]["district_id"] == selected else 1.4,
            "fill": False, "dashArray": None if f["properties"]["district_id"] == selected else "4 3",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    return group


def holc_layer(base: dict[str, object]) -> folium.FeatureGroup:
    """The 1938 HOLC grades in their conventional colours, lightly filled, labelled."""
    group = folium.FeatureGroup(name="Redlining map, 1938")
    folium.GeoJson(
        base,
        style_function=lambda f: {"color": "#5a5a5a", "weight": 1.0, "dashArray": "2 2",
                                  "fillColor": HOLC_COLOURS.get(f["properties"]["category"], "#999"),
                                  "fillOpacity": 0.45},
        tooltip=folium.GeoJsonTooltip(fields=["label", "grade"], labels=False),
    ).add_to(group)
    return group


def payload_bytes(*layers: dict[str, object]) -> int:
    """Bytes of GeoJSON as sent to the browser (compact JSON), for benchmarks and budgets."""
    return sum(len(json.dumps(layer, separators=(",", ":"))) for layer in layers)


def project_markers(projects: pd.DataFrame, colours: dict[str, str]) -> folium.FeatureGroup:
    """One circle per project at its district, coloured by stage, ringed red when behind.

    ``projects`` needs ``lat``, ``lon``, ``name``, ``stage_title`` and ``behind`` (bool).
    Circles are plain Leaflet vectors: no icon images to fetch.
    """
    group = folium.FeatureGroup(name="Projects")
    for row in projects.itertuples():
        folium.CircleMarker(
            location=[row.lat, row.lon], radius=11,
            color="#d62728" if row.behind else "#ffffff", weight=4 if row.behind else 2,
            fill=True, fill_color=colours.get(row.stage_title, "#777777"), fill_opacity=0.95,
            tooltip=f"{row.name}: {row.stage_title}" + (" (behind schedule)" if row.behind else ""),
        ).add_to(group)
    return group
