"""Drawing an area on a map with no internet: Leaflet.draw fetched by setup from the npm registry
(``indicators/present/vendor.py``), copied into ``static/`` at start-up
(``maps.install_static_assets``) and loaded by ``maps.draw_plugin()`` from ``/app/static/vendor``.

- setup put an intact, pinned copy in the virtualenv (skipped with the reason where it did not);
- the fetch refuses a tarball that does not match its integrity, or that has an absolute or
  ``..`` member, and writes nothing then (small tarballs built here; no network);
- start-up copies the files (the stylesheet's sprites where it looks for them), idempotently;
- a map with the plugin loads scripts and stylesheets only from ``/app/static/vendor``;
- in headless Chromium, a page built from ``offline_map`` + a GeoJSON layer + ``draw_plugin()``,
  served by a local ``http.server`` at the app's own asset paths with every other request
  refused, shows the drawing toolbar with no console error, and a polygon drawn by mouse
  becomes a new shape on the map (``-m browser``; skipped where Chromium or playwright is
  missing).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import io
import re
import sys
import tarfile
import threading
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import folium.elements
import pytest

from indicators.present import map_layers, map_views, maps, vendor

if TYPE_CHECKING:
    from playwright.sync_api import Browser

INSTALLED = vendor.install_dir()
SHARE = Path(sys.prefix) / "share" / vendor.DRAW.name
needs_fetched = pytest.mark.skipif(
    not SHARE.exists(),
    reason=f"{SHARE} not found: run `sh setup.sh` (it fetches Leaflet.draw from registry.npmjs.org)")
BOUNDS = (-84.40, 33.74, -84.36, 33.77)
#: A tiny stand-in for the npm package: what the plugin needs, plus files it must leave behind.
FAKE_PACKAGE = {
    "package/package.json": b'{"name": "leaflet-draw"}',
    "package/dist/leaflet.draw.js": b"/* Leaflet.draw test */",
    "package/dist/leaflet.draw-src.js": b"/* not wanted */",
    "package/dist/leaflet.draw.css": b".leaflet-draw a { background: url('images/spritesheet.svg'); }",
    "package/dist/images/spritesheet.png": b"png",
    "package/dist/images/spritesheet-2x.png": b"png2x",
    "package/dist/images/spritesheet.svg": b"<svg/>",
    "package/docs/index.html": b"<p>not wanted</p>",
}


def tgz(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    """A gzipped tarball with these files (and symbolic links name -> target), the same bytes
    every time (gzip's header would otherwise hold the second it was made in, and a test that
    builds the tarball twice across a second boundary would see two integrities)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
    return gzip.compress(buffer.getvalue(), mtime=0)


def fake_install(destination: Path) -> Path:
    data = tgz(FAKE_PACKAGE)
    vendor.install(data, destination, vendor.integrity_of(data))
    return destination


# --- what setup fetched --------------------------------------------------------------------------


def test_the_pin_is_a_sha512_of_the_npm_tarball():
    algorithm, digest = vendor.parse_integrity(vendor.DRAW.integrity)
    assert algorithm == "sha512" and len(digest) == 64
    assert vendor.DRAW.tarball_url == "https://registry.npmjs.org/leaflet-draw/-/leaflet-draw-1.0.4.tgz"


@needs_fetched
def test_setup_fetched_an_intact_pinned_copy():
    assert vendor.installed(INSTALLED), f"{INSTALLED} is incomplete or altered: run sh setup.sh"
    names = vendor.files(INSTALLED)
    assert set(vendor.DRAW.required) <= set(names)
    assert all(n in {"leaflet.draw.js", "leaflet.draw.css"} or n.startswith("images/") for n in names)
    assert "Leaflet.draw 1.0.4" in (INSTALLED / "leaflet.draw.js").read_text()[:300]


# --- the fetch refuses what it cannot trust ------------------------------------------------------


def test_install_unpacks_only_what_the_plugin_needs(tmp_path: Path):
    destination = fake_install(tmp_path / "share" / "leaflet-draw" / "1.0.4")
    found = sorted(p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file())
    assert found == [vendor.MANIFEST, "images/spritesheet-2x.png", "images/spritesheet.png",
                     "images/spritesheet.svg", "leaflet.draw.css", "leaflet.draw.js"]
    assert vendor.files(destination) == found[1:]
    assert not vendor.installed(destination)  # not the pinned tarball
    assert vendor.installed(destination, vendor.integrity_of(tgz(FAKE_PACKAGE)))


def test_a_corrupted_tarball_is_refused_and_nothing_is_written(tmp_path: Path):
    data = tgz(FAKE_PACKAGE)
    integrity = vendor.integrity_of(data)
    corrupted = bytearray(data)
    corrupted[len(data) // 2] ^= 0xFF
    with pytest.raises(vendor.VendorError, match="does not match its pinned integrity"):
        vendor.install(bytes(corrupted), tmp_path / "out", integrity)
    with pytest.raises(vendor.VendorError, match="does not match"):
        vendor.install(data, tmp_path / "out")  # right tarball shape, not the pinned one
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad_name", ["package/../../evil.txt", "../evil.txt", "/tmp/evil.txt",
                                      "package/dist/images/../../../evil.txt"])
def test_a_tarball_leaving_its_folder_is_refused(tmp_path: Path, bad_name: str):
    data = tgz({**FAKE_PACKAGE, bad_name: b"owned"})
    (tmp_path / "deep" / "er").mkdir(parents=True)
    destination = tmp_path / "deep" / "er" / "out"
    # Its integrity is right: the path check alone refuses it.
    with pytest.raises(vendor.VendorError, match="absolute|leaves the package"):
        vendor.install(data, destination, vendor.integrity_of(data))
    assert not destination.exists()
    assert not list(tmp_path.rglob("evil.txt")) and not Path("/tmp/evil.txt").exists()


def test_a_link_or_a_missing_sprite_is_refused(tmp_path: Path):
    files = {k: v for k, v in FAKE_PACKAGE.items() if not k.endswith("spritesheet.svg")}
    linked = tgz(files, links={"package/dist/images/spritesheet.svg": "/etc/passwd"})
    with pytest.raises(vendor.VendorError, match="not a regular file"):
        vendor.install(linked, tmp_path / "out", vendor.integrity_of(linked))
    missing = tgz(files)
    with pytest.raises(vendor.VendorError, match="lacks images/spritesheet.svg"):
        vendor.install(missing, tmp_path / "out", vendor.integrity_of(missing))
    with pytest.raises(vendor.VendorError, match="not a readable"):
        vendor.install(b"not a tarball", tmp_path / "out", vendor.integrity_of(b"not a tarball"))
    assert not (tmp_path / "out").exists()


def test_fetch_is_idempotent_and_repairs_an_altered_copy(tmp_path: Path):
    data = tgz(FAKE_PACKAGE)
    (tmp_path / "pkg.tgz").write_bytes(data)
    url, integrity, destination = (tmp_path / "pkg.tgz").as_uri(), vendor.integrity_of(data), tmp_path / "d"
    assert vendor.fetch(destination, url, integrity) is True
    # Present and verified: not downloaded again (this URL does not exist).
    assert vendor.fetch(destination, (tmp_path / "gone.tgz").as_uri(), integrity) is False
    (destination / "leaflet.draw.js").write_text("altered")
    assert not vendor.installed(destination, integrity)
    assert vendor.fetch(destination, url, integrity) is True
    assert (destination / "leaflet.draw.js").read_bytes() == FAKE_PACKAGE["package/dist/leaflet.draw.js"]


def test_main_reports_a_failed_download_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(vendor, "install_dir",
                        lambda prefix=None, package=vendor.DRAW: tmp_path / package.name)

    def offline(url: str, timeout_s: float = 0) -> bytes:
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(vendor, "download", offline)
    assert vendor.main() == 1
    err = capsys.readouterr().err
    assert "Leaflet.draw 1.0.4 could not be installed" in err
    assert "Leaflet.GestureHandling 1.2.2 could not be installed" in err
    assert not list(tmp_path.iterdir())


# --- start-up copies it into static/ -------------------------------------------------------------


def test_install_static_assets_copies_the_draw_files_idempotently(tmp_path: Path):
    source = fake_install(tmp_path / "src")
    static = tmp_path / "static"
    assert not maps.drawing_available(static)
    copied = maps.install_static_assets(static, draw_source=source)
    folder = static / "vendor" / "leaflet-draw"
    draw_copied = {p.relative_to(folder).as_posix() for p in copied if folder in p.parents}
    assert draw_copied == set(vendor.DRAW.required)
    assert (static / "vendor" / "leaflet" / "leaflet.js").exists()
    assert maps.drawing_available(static)
    assert maps.install_static_assets(static, draw_source=source) == []
    # No (or an altered) copy in the virtualenv: nothing of it is copied, drawing unavailable.
    bare = tmp_path / "bare"
    maps.install_static_assets(bare, draw_source=tmp_path / "absent")
    assert not maps.drawing_available(bare) and not (bare / "vendor" / "leaflet-draw").exists()
    (source / "leaflet.draw.css").write_text("altered")
    maps.install_static_assets(bare, draw_source=source)
    assert not maps.drawing_available(bare)


@needs_fetched
def test_the_stylesheet_finds_its_sprites_in_static(tmp_path: Path):
    static = tmp_path / "static"
    maps.install_static_assets(static)
    folder = static / "vendor" / "leaflet-draw"
    css = (folder / "leaflet.draw.css").read_text()
    urls = set(re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", css))
    assert urls == {"images/spritesheet.png", "images/spritesheet-2x.png", "images/spritesheet.svg"}
    assert all((folder / url).is_file() for url in urls)
    assert maps.drawing_available(static)
    assert hashlib.sha256((folder / "leaflet.draw.js").read_bytes()).hexdigest() == \
        hashlib.sha256((INSTALLED / "leaflet.draw.js").read_bytes()).hexdigest()


# --- Leaflet.GestureHandling, vendored the same way ----------------------------------------------

GESTURES_INSTALLED = vendor.install_dir(package=vendor.GESTURES)
FAKE_GESTURES = {
    "package/package.json": b'{"name": "leaflet-gesture-handling"}',
    "package/LICENSE": b"MIT License",
    "package/README.md": b"not wanted",
    "package/dist/leaflet-gesture-handling.min.js": b"/* gestures */",
    "package/dist/leaflet-gesture-handling.min.css": b".leaflet-container:after {}",
    "package/dist/leaflet-gesture-handling.js": b"/* not wanted */",
}


def test_the_gesture_pin_is_a_sha512_of_the_npm_tarball():
    algorithm, digest = vendor.parse_integrity(vendor.GESTURES.integrity)
    assert algorithm == "sha512" and len(digest) == 64
    assert vendor.GESTURES.tarball_url == ("https://registry.npmjs.org/leaflet-gesture-handling/-/"
                                           "leaflet-gesture-handling-1.2.2.tgz")
    assert vendor.PACKAGES == (vendor.DRAW, vendor.GESTURES)


@pytest.mark.skipif(not GESTURES_INSTALLED.parent.exists(),
                    reason=f"{GESTURES_INSTALLED} not found: run `sh setup.sh`")
def test_setup_fetched_an_intact_pinned_gesture_handling():
    assert vendor.installed(GESTURES_INSTALLED, package=vendor.GESTURES)
    assert vendor.files(GESTURES_INSTALLED, vendor.GESTURES) == [
        "LICENSE", "dist/leaflet-gesture-handling.min.css", "dist/leaflet-gesture-handling.min.js"]
    script = (GESTURES_INSTALLED / "dist" / "leaflet-gesture-handling.min.js").read_text()
    assert '"addHandler","gestureHandling"' in script


def test_gesture_handling_is_copied_and_asked_for_only_when_there(tmp_path: Path):
    data = tgz(FAKE_GESTURES)
    source = tmp_path / "src"
    vendor.install(data, source, vendor.integrity_of(data), vendor.GESTURES)
    assert not vendor.installed(source, package=vendor.GESTURES)  # not the pinned tarball
    static = tmp_path / "static"
    assert not maps.gestures_available(static)
    bare = maps.offline_map(BOUNDS, static_dir=static)
    assert "gestureHandling" not in bare.options and "gesture" not in bare.get_root().render()

    maps.install_static_assets(static, draw_source=tmp_path / "absent", gestures_source=source)
    folder = static / "vendor" / "leaflet-gesture-handling"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "LICENSE", "dist/leaflet-gesture-handling.min.css", "dist/leaflet-gesture-handling.min.js"]
    assert maps.gestures_available(static)
    for lang, touch in (("en", "Use two fingers to move the map"),
                        ("es", "Usa dos dedos para mover el mapa")):
        fmap = maps.offline_map(BOUNDS, lang, static_dir=static)
        assert fmap.options["gestureHandling"] is True
        text = fmap.options["gestureHandlingOptions"]["text"]
        assert text["touch"] == touch and {"scroll", "scrollMac"} <= set(text)
        links = asset_links(fmap)
        # After Leaflet: the script registers its handler on L.Map.
        assert links.index(maps.GESTURES_JS[0][1]) > links.index(maps.OFFLINE_JS[0][1])
        assert maps.GESTURES_CSS[0][1] in links
        assert [url for url in links if not url.startswith(f"{maps.STATIC_PREFIX}/")] == []


# --- the plugin loads only the app's own files ---------------------------------------------------


def drawing_map() -> tuple[folium.Map, dict[str, object]]:
    fmap = maps.offline_map(BOUNDS)
    minx, miny, maxx, maxy = -84.395, 33.745, -84.385, 33.755
    square = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Tract"},
        "geometry": {"type": "Polygon", "coordinates": [[[minx, miny], [maxx, miny], [maxx, maxy],
                                                          [minx, maxy], [minx, miny]]]}}]}
    folium.GeoJson(square, name="tracts").add_to(fmap)
    maps.draw_plugin().add_to(fmap)
    return fmap, square


def asset_links(fmap: folium.Map) -> list[str]:
    """Every script and stylesheet URL: in the page folium writes, and those st_folium collects
    from the elements' ``default_js``/``default_css``."""
    html = fmap.get_root().render()
    links = re.findall(r"<script\b[^>]*\bsrc=[\"']([^\"']+)", html)
    links += re.findall(r"<link\b[^>]*\bhref=[\"']([^\"']+)", html)

    def walk(element: object) -> Iterator[object]:
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fmap):
        if isinstance(element, folium.elements.JSCSSMixin):
            links += [url for _, url in element.default_js + element.default_css]
    return links


def test_a_drawing_map_loads_only_the_apps_own_assets():
    fmap, _ = drawing_map()
    links = asset_links(fmap)
    assert f"{maps.STATIC_PREFIX}/leaflet-draw/leaflet.draw.js" in links
    assert f"{maps.STATIC_PREFIX}/leaflet-draw/leaflet.draw.css" in links
    assert [url for url in links if not url.startswith(f"{maps.STATIC_PREFIX}/")] == []
    assert not [url for url in links if re.match(r"(https?:)?//", url)]
    assert "cdnjs" not in fmap.get_root().render()


def test_the_draw_plugin_draws_areas_only_in_the_selected_colour():
    plugin = maps.draw_plugin()
    assert isinstance(plugin, folium.plugins.Draw) and plugin.export is False
    assert type(plugin).default_js != plugin.default_js  # folium's class keeps its CDN default
    options = plugin.draw_options
    assert all(options[shape] is False for shape in ("polyline", "marker", "circle", "circlemarker"))
    for shape in ("polygon", "rectangle"):
        assert options[shape]["shapeOptions"]["color"] == map_layers.SELECTED_COLOUR
    assert maps.DRAW_COLOUR == map_layers.SELECTED_COLOUR
    assert options["polygon"]["allowIntersection"] is False
    assert plugin.edit_options["poly"] == {"allowIntersection": False}  # editing stays on
    assert plugin.show_geometry_on_click is False


# --- in a browser, with nothing but the local server ---------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local ``http.server`` (in a thread) of a folder laid out as Streamlit serves the app:
    ``/app/static/vendor/...``, so the map's asset URLs reach it unchanged."""
    root = tmp_path / "site"
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.browser
@needs_fetched
def test_a_polygon_is_drawn_by_mouse_offline(served: tuple[str, Path], browser: Browser):
    base, root = served
    maps.install_static_assets(root / "app" / "static")
    fmap, _ = drawing_map()
    (root / "map.html").write_text(fmap.get_root().render())
    map_var = fmap.get_name()

    errors: list[str] = []
    refused: list[str] = []
    responses: dict[str, int] = {}
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        context.set_default_timeout(15_000)

        def only_local(route: object) -> None:
            if route.request.url.startswith(f"{base}/"):
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"uncaught error: {e}"))
        page.on("response", lambda r: responses.__setitem__(r.url, r.status))
        page.goto(f"{base}/map.html")

        tool = page.locator(".leaflet-draw-draw-polygon")
        tool.wait_for(state="visible")
        assert page.locator(".leaflet-draw-draw-rectangle").is_visible()
        for absent in ("polyline", "marker", "circle", "circlemarker"):
            assert page.locator(f".leaflet-draw-draw-{absent}").count() == 0
        assert page.locator(".leaflet-draw-edit-edit").is_visible()
        # The toolbar's icons come from the sprite its stylesheet names, served locally.
        sprite = f"{base}/app/static/vendor/leaflet-draw/images/spritesheet.svg"
        page.wait_for_function("() => performance.getEntriesByType('resource')"
                               ".some(e => e.name.endsWith('/images/spritesheet.svg'))")
        assert "spritesheet" in tool.evaluate("a => getComputedStyle(a).backgroundImage")
        paths = page.locator("path.leaflet-interactive")
        before = paths.count()
        assert before == 1  # the GeoJSON square

        page.evaluate(f"""() => {{ window.__drawn = null;
            {map_var}.on('draw:created', e => {{ window.__drawn = e.layer.toGeoJSON(); }}); }}""")
        tool.click()
        box = page.locator(f"#{map_var}").bounding_box()
        corners = [(0.35, 0.35), (0.65, 0.35), (0.65, 0.65), (0.35, 0.65)]
        points = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in corners]
        for x, y in [*points, points[0]]:  # the first point again closes the polygon
            page.mouse.click(x, y)
            page.wait_for_timeout(200)  # Leaflet.draw ignores clicks 50 ms after a vertex
        page.wait_for_function("() => window.__drawn !== null")
        drawn = page.evaluate("() => window.__drawn")
        assert paths.count() == before + 1
        assert paths.last.get_attribute("stroke") == maps.DRAW_COLOUR
    finally:
        context.close()

    assert responses.get(sprite) == 200
    assert not [url for url, status in responses.items() if status >= 400]
    assert refused == [], f"requests outside the local server: {refused}"
    assert errors == []
    # What st_folium hands back as last_active_drawing (and in all_drawings): a closed ring.
    assert drawn["type"] == "Feature" and drawn["geometry"]["type"] == "Polygon"
    ring = drawn["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    minx, miny, maxx, maxy = BOUNDS
    assert all(minx < lon < maxx and miny < lat < maxy for lon, lat in ring)


@pytest.mark.browser
@needs_fetched
def test_a_map_drawn_before_it_has_a_size_is_fitted_once_it_has_one(served: tuple[str, Path],
                                                                    browser: Browser):
    """Leaflet's fitBounds on a map smaller than its padding throws "Invalid LatLng object: (NaN,
    NaN)" (seen when the page was redrawn in another language while the map's frame was still
    being laid out): the view waits for the map's size, then fits."""
    base, root = served
    maps.install_static_assets(root / "app" / "static")
    fmap = maps.offline_map((-84.60, 33.60, -84.20, 33.90))  # the region: 0.4 degrees wide
    group = folium.FeatureGroup(name="view")
    view = (-84.40, 33.74, -84.38, 33.76)  # the district: 0.02 degrees
    map_views.FitView(view).add_to(group)
    group.add_to(fmap)
    map_var = fmap.get_name()
    html = fmap.get_root().render()
    # The map's box has no size when its script runs, as in a frame not laid out yet.
    html = html.replace("</head>", f"<style>#{map_var} {{ width: 0 !important; height: 0 !important; }}"
                                   "</style></head>", 1)
    (root / "map.html").write_text(html)
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(f"uncaught error: {e}"))
        page.goto(f"{base}/map.html")
        page.wait_for_function(f"() => typeof {map_var} !== 'undefined'")
        page.wait_for_timeout(300)
        assert errors == []
        page.evaluate(f"() => {{ const box = {map_var}.getContainer();"
                      "box.style.setProperty('width', '600px', 'important');"
                      "box.style.setProperty('height', '400px', 'important'); }")
        page.wait_for_function(f"() => {map_var}.getBounds().contains([[{view[1]}, {view[0]}], "
                               f"[{view[3]}, {view[2]}]]) && {map_var}.getZoom() >= 13")
        assert errors == []
        shown = page.evaluate(f"() => {map_var}.getBounds().toBBoxString()").split(",")
        west, south, east, north = (float(v) for v in shown)
        assert east - west < 0.1  # fitted to the district, not showing the whole region
    finally:
        context.close()
