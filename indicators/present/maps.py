"""Folium maps built from data, light and offline (no Streamlit here).

Maps draw with no internet: Leaflet and jQuery come from the ``xstatic-leaflet`` and
``xstatic-jquery`` packages, copied into the app's ``static/`` folder by
:func:`install_static_assets` and served by Streamlit (``server.enableStaticServing``). No
basemap tiles are requested (there is no tile server to reach, and the sample city must not sit
on a real map), so the layers carry their own context: district outlines, labels, a legend.
Drawing an area (folium's ``Draw`` plugin, :func:`draw_plugin`) uses Leaflet.draw, which setup
fetches from the npm registry into the virtualenv (:mod:`.vendor`) and
:func:`install_static_assets` copies beside Leaflet when it is there
(:func:`drawing_available`). Every map lets a one-finger swipe (or a mouse wheel) scroll the
page past it and moves with two fingers (or ctrl + wheel), saying so over the map in the page's
language: Leaflet.GestureHandling, vendored the same way (:func:`gesture_options`,
:func:`gestures_available`); without it a map still works, and takes every gesture itself.

Payload matters more than server time: geometry is simplified and rounded before it becomes
GeoJSON (:func:`light_geojson`), and properties are trimmed to what the map shows.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import shapely
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from folium.template import Template

from indicators.config import PROJECT_ROOT
from indicators.present import vendor
from indicators.present.language import language

STATIC_PREFIX = "/app/static/vendor"
#: The packages the map assets are copied from.
PACKAGES = {"xstatic.pkg.leaflet": xstatic.pkg.leaflet, "xstatic.pkg.jquery": xstatic.pkg.jquery}
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
#: Leaflet.draw's folder under static/vendor (its stylesheet finds its sprites in ``images/``).
DRAW_FOLDER = "leaflet-draw"
DRAW_JS = [("leaflet_draw_js", f"{STATIC_PREFIX}/{DRAW_FOLDER}/leaflet.draw.js")]
DRAW_CSS = [("leaflet_draw_css", f"{STATIC_PREFIX}/{DRAW_FOLDER}/leaflet.draw.css")]
#: The app's static folder (``server.enableStaticServing`` serves it at ``/app/static``).
STATIC_DIR = PROJECT_ROOT / "static"
#: Leaflet.GestureHandling's folder under static/vendor, and its script and stylesheet (loaded
#: after Leaflet: the script registers the ``gestureHandling`` option as a map handler).
GESTURES_FOLDER = vendor.GESTURES.name
GESTURES_JS = [("leaflet_gesture_handling_js",
                f"{STATIC_PREFIX}/{GESTURES_FOLDER}/dist/leaflet-gesture-handling.min.js")]
GESTURES_CSS = [("leaflet_gesture_handling_css",
                 f"{STATIC_PREFIX}/{GESTURES_FOLDER}/dist/leaflet-gesture-handling.min.css")]
#: What the map says when a gesture is left to the page: ``touch`` over a one-finger swipe,
#: ``scroll`` (``scrollMac`` on a Mac) over a mouse wheel without ctrl (the plugin's own
#: Spanish differs; these match the dashboard's informal "tú").
GESTURE_TEXTS = {
    "en": {"touch": "Use two fingers to move the map",
           "scroll": "Use ctrl + scroll to zoom the map",
           "scrollMac": "Use \u2318 + scroll to zoom the map"},
    "es": {"touch": "Usa dos dedos para mover el mapa",
           "scroll": "Usa ctrl + la rueda del ratón para acercar o alejar el mapa",
           "scrollMac": "Usa \u2318 + la rueda del ratón para acercar o alejar el mapa"},
}
#: How long (ms) the wheel message stays after the wheel stops.
GESTURE_MESSAGE_MS = 1200
#: Outline of a drawn area: map_layers.SELECTED_COLOUR, the chosen district's outline (not
#: imported: map_layers imports this module).
DRAW_COLOUR = "#0b3d33"
#: Decimal places kept in map coordinates: 5 is about 1 m, far below what a screen shows.
COORD_DECIMALS = 5


def install_static_assets(static_dir: Path, draw_source: Path | None = None,
                          gestures_source: Path | None = None) -> list[Path]:
    """Copy Leaflet and jQuery from their installed packages into ``static_dir/vendor``, and
    Leaflet.draw and Leaflet.GestureHandling into ``static_dir/vendor/<name>`` when setup
    fetched them.

    Idempotent: files already there with the same size are left alone. Returns the files
    copied.

    Parameters
    ----------
    static_dir : Path
        The app's ``static/`` folder.
    draw_source : Path, optional
        Where Leaflet.draw was unpacked (:func:`.vendor.install_dir` by default). Its files are
        copied only when they are intact (:func:`.vendor.files`); otherwise drawing is simply
        unavailable (:func:`drawing_available`).
    gestures_source : Path, optional
        The same for Leaflet.GestureHandling (:func:`gestures_available`).
    """
    pairs = [(Path(PACKAGES[package].BASE_DIR) / name, static_dir / "vendor" / target)
             for package, name, target in ASSETS]
    for package, source in ((vendor.DRAW, draw_source), (vendor.GESTURES, gestures_source)):
        source_dir = vendor.install_dir(package=package) if source is None else source
        pairs += [(source_dir / name, static_dir / "vendor" / package.name / name)
                  for name in vendor.files(source_dir, package)]
    copied = []
    for source, destination in pairs:
        if destination.exists() and destination.stat().st_size == source.stat().st_size:
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        copied.append(destination)
    return copied


def drawing_available(static_dir: Path) -> bool:
    """Whether ``static_dir`` holds Leaflet.draw's script, stylesheet and sprites, so a map
    may carry :func:`draw_plugin` (without them its script fails to load and the whole map
    script stops)."""
    folder = static_dir / "vendor" / DRAW_FOLDER
    return all((folder / name).is_file() for name in vendor.DRAW.required)


def gestures_available(static_dir: Path = STATIC_DIR) -> bool:
    """Whether ``static_dir`` holds Leaflet.GestureHandling's script and stylesheet, so a map
    may ask for it (a script that fails to load stops streamlit-folium drawing the map)."""
    folder = static_dir / "vendor" / GESTURES_FOLDER
    return all((folder / name).is_file() for name in vendor.GESTURES.required)


def gesture_options(lang: str = "en") -> dict[str, object]:
    """The map options that switch Leaflet.GestureHandling on, with its messages in ``lang``.

    On a touch screen one finger scrolls the page, also when the swipe starts on the map, and
    two fingers move (and pinch) the map; on a computer the mouse wheel scrolls the page and
    ctrl + wheel zooms the map, while dragging with the mouse still moves it. A page is mostly
    a map at phone width, so without this a visitor could not scroll past it.

    Examples
    --------
    >>> gesture_options("es-MX")["gestureHandlingOptions"]["text"]["touch"]
    'Usa dos dedos para mover el mapa'
    """
    return {"gestureHandling": True,
            "gestureHandlingOptions": {"text": dict(GESTURE_TEXTS[language(lang)]),
                                       "duration": GESTURE_MESSAGE_MS}}


def offline_map(bounds: tuple[float, float, float, float], lang: str = "en",
                static_dir: Path = STATIC_DIR, **kwargs: object) -> folium.Map:
    """A folium map with no tiles whose Leaflet comes from the app's own static folder, with
    gesture handling (:func:`gesture_options`, messages in ``lang``) when ``static_dir`` has
    the plugin (:func:`gestures_available`).

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)
        Longitude/latitude extent to fit.
    lang : str, default "en"
        The page's language ("en" or "es"), for the map's gesture messages.
    static_dir : Path, default STATIC_DIR
        The static folder the app serves (where :func:`install_static_assets` copied to).
    **kwargs
        Passed to :class:`folium.Map`.
    """
    gestures = gestures_available(static_dir)
    if gestures:
        kwargs = {**gesture_options(lang), **kwargs}
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
    fmap.default_js = list(OFFLINE_JS) + (list(GESTURES_JS) if gestures else [])
    fmap.default_css = list(OFFLINE_CSS) + (list(GESTURES_CSS) if gestures else [])
    # On a touch screen the zoom buttons are a finger's size (44 px; Leaflet's touch size is 30).
    fmap.get_root().header.add_child(folium.Element(
        "<style>.leaflet-container { background: #f4f4f1; }"
        " .leaflet-container:focus-visible { outline: 3px solid #1f6f5c; outline-offset: -3px; }"
        " .leaflet-touch .leaflet-control-zoom a { width: 44px; height: 44px; line-height: 44px;"
        " font-size: 26px; }</style>"))
    KeyboardStops().add_to(fmap)
    return fmap


def draw_plugin() -> folium.plugins.Draw:
    """The drawing tools (folium's ``Draw`` plugin), loading Leaflet.draw from the app; add it
    to a map only when :func:`drawing_available`.

    The toolbar draws a polygon or a rectangle, nothing else (no line, marker, circle or
    circle marker: an area is what a page asks for), and lets the user edit and delete what
    they drew. Polygons may not cross themselves, while drawing or editing, so every shape
    is a valid simple polygon. Shapes are outlined in :data:`DRAW_COLOUR` (the chosen
    district's outline colour) with a light fill of it. No export button, and no alert with
    the geometry on clicking a shape (folium's default).

    folium declares the plugin's assets as the class attributes ``default_js`` and
    ``default_css`` (cdnjs, Leaflet.draw 1.0.2); this instance overrides them with
    :data:`DRAW_JS` and :data:`DRAW_CSS` (Leaflet.draw 1.0.4 under ``/app/static/vendor``),
    as :func:`offline_map` does for Leaflet. ``streamlit_folium.st_folium`` reads the same
    attributes from each element, so the override holds there too.

    With ``st_folium(...)``, ``all_drawings`` is the list of GeoJSON Features on the map now
    (after creating, and after an edit or a deletion is saved), ``None`` before the first;
    ``last_active_drawing`` is the Feature last *created* (an edit or a deletion does not
    change it, so read ``all_drawings``). A polygon or rectangle is ``{"type": "Feature",
    "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], ...,
    [lon, lat]]]}}``: one ring, closed (first position repeated last), longitude first, six
    decimals.
    """
    shape = {"color": DRAW_COLOUR, "weight": 3, "opacity": 1.0, "fill": True,
             "fillColor": DRAW_COLOUR, "fillOpacity": 0.15}
    plugin = folium.plugins.Draw(
        export=False,
        position="topleft",
        show_geometry_on_click=False,
        draw_options={
            "polyline": False, "marker": False, "circle": False, "circlemarker": False,
            "polygon": {"allowIntersection": False, "showArea": False, "shapeOptions": shape},
            # Leaflet.draw 1.0.4's area text assigns an undeclared variable (a ReferenceError
            # wherever scripts run strict), so no area in the rectangle's tooltip either.
            "rectangle": {"showArea": False, "shapeOptions": shape},
        },
        edit_options={"poly": {"allowIntersection": False},
                      "edit": {"selectedPathOptions": {"maintainColor": True}}},
    )
    plugin.default_js = list(DRAW_JS)
    plugin.default_css = list(DRAW_CSS)
    return plugin


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
    frame: gpd.GeoDataFrame, properties: list[str], tolerance_m: float = 15.0,
    decimals: int = COORD_DECIMALS,
) -> dict[str, object]:
    """GeoJSON for the browser: simplified (topology kept within each shape), coordinates
    rounded to ``decimals`` (:data:`COORD_DECIMALS` by default), only the named properties,
    text escaped (:func:`safe_text`).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        In EPSG:4326.
    properties : list of str
        Columns to keep as feature properties.
    tolerance_m : float, default 15
        Simplification tolerance in metres (converted to degrees at the frame's latitude).
    decimals : int, default COORD_DECIMALS
        Decimal places kept in coordinates.
    """
    lat = float(np.mean(frame.total_bounds[[1, 3]])) if len(frame) else 0.0
    degrees = tolerance_m / (111_320.0 * max(np.cos(np.radians(lat)), 0.2))
    geometry = shapely.simplify(frame.geometry.to_numpy(), degrees, preserve_topology=True)
    geometry = shapely.set_precision(geometry, 10.0 ** -decimals)
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
    if isinstance(value, str):
        return safe_text(value)
    return value


def safe_text(value: object) -> str:
    """Text made safe to show in a map: folium writes tooltips into the page as HTML (and marker
    tooltips inside JavaScript template literals), so every name and label is escaped for both.

    Examples
    --------
    >>> safe_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> safe_text("`${document.cookie}` & O'Neil")
    '&#96;&#36;{document.cookie}&#96; &amp; O&#x27;Neil'
    """
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


# --------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------


#: How much of a chosen district's surroundings a map shows, as a share of its width and
#: height on each side (enough to see the neighbouring districts' edges).
SURROUNDINGS = 0.15


def view_bounds(bounds: tuple[float, float, float, float],
                margin: float = SURROUNDINGS) -> tuple[float, float, float, float]:
    """``bounds`` grown by ``margin`` of its width and height on every side.

    Examples
    --------
    >>> view_bounds((0.0, 0.0, 10.0, 4.0), 0.25)
    (-2.5, -1.0, 12.5, 5.0)
    """
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    return (minx - dx, miny - dy, maxx + dx, maxy + dy)


class KeyboardStops(folium.MacroElement):
    """Take the map's shapes out of the Tab order (now and as layers are swapped in): Leaflet 1.9
    makes every shape with a tooltip a Tab stop (Leaflet/Leaflet#8247), so a keyboard crossed
    hundreds of tracts, most out of view, to get past the map. The map itself stays a stop (the
    arrow keys pan it), and its numbers are in the table beside it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (box) {
                const skip = () => box.querySelectorAll("path.leaflet-interactive:not([tabindex])")
                    .forEach((shape) => shape.setAttribute("tabindex", "-1"));
                skip();
                new MutationObserver(skip).observe(box, {childList: true, subtree: true});
            })({{ this._parent.get_name() }}.getContainer());
        {% endmacro %}
        """)
