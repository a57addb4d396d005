"""The dashboard as a browser sees it: headless Chromium against a real ``streamlit run app.py``.

The AppTest smoke tests run page scripts without a browser, so they cannot see what only the
browser does: the Leaflet map drawn inside streamlit-folium's iframe, the plotly charts, JavaScript
errors, a map click travelling back to Python, the layout at phone width. These tests prove that,
on a fresh server building the sample region on first use:

- every page linked in the sidebar opens from "/" by its link (as users move), shows its title,
  finishes running with no Streamlit exception, no page-boundary error and no console or page
  error in the page or its frames, and every map on it draws; a full-page screenshot of each is
  kept in ``tests/artifacts/screenshots/`` (the path is printed);
- the neighbourhood map draws the sample's tracts and the compare page draws its bar chart;
- ``?district=Eastport`` opens Eastport, and clicking a tract on the map selects its district;
- at phone width (390 px) nothing overflows sideways and the map is visible.

The fixture's first page load (which builds the database) uses up the server's first map draw,
so every map check here sees a later run: a map cached across runs once drew only the first
time (``ReferenceError: geo_json_<hash> is not defined`` in the map iframe afterwards).

Streamlit's own console noise is ignored (listed in ``IGNORED_CONSOLE``). One server and one
browser serve every test. Run with ``pytest -m browser tests/test_browser.py``; skipped
(with the reason) where ``/usr/bin/chromium`` or the playwright package is missing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import appserver

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parent.parent
SCREENSHOTS = PROJECT / "tests" / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 2400}  # tall: Streamlit scrolls inside its main container
PHONE = {"width": 390, "height": 844}
FIRST_LOAD_TIMEOUT_MS = 120_000  # the first page load builds the database
PAGE_TIMEOUT_MS = 30_000
MAP_TIMEOUT_MS = 20_000
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TRACT_PATHS = "path.leaflet-interactive"
PAGE_BOUNDARY_TEXT = "could not be shown because of an unexpected problem"


@dataclass(frozen=True)
class AppPage:
    """A page of the app as the sidebar links it."""

    name: str  #: test id and screenshot file name
    path: str  #: URL path after "/" ("" for the default page)
    nav: str  #: its entry in the navigation (app.py's title)
    title: str | None  #: the page's h1 (None: any h1)
    maps: int = 0  #: st_folium maps the page shows for the sample region


#: Every page the app registers, in sidebar order.
PAGES = (
    AppPage("neighbourhood", "", "My neighbourhood", "My neighbourhood", maps=1),
    AppPage("compare", "compare", "Compare districts", "Compare districts"),
    AppPage("equity", "equity", "Equity gaps", "Equity gaps", maps=1),
    AppPage("portfolio", "portfolio", "Certification portfolio", "Certification portfolio", maps=1),
    AppPage("project", "project", "Project", None),
    AppPage("practitioners", "practitioners", "Accredited Practitioners", "Accredited Practitioners"),
    AppPage("methodology", "methodology", "Methodology", "Methodology"),
    AppPage("learn", "learn", "Learn the Framework", "Learn the Framework"),
    AppPage("data", "data", "Data", "Data and sources"),
)
BY_NAME = {p.name: p for p in PAGES}

#: (pattern in the message text, pattern in the message's source URL) of Streamlit's own noise.
IGNORED_CONSOLE = (
    (re.compile(r"Failed to load resource"), re.compile(r"/[^/]+/_stcore/(health|host-config)")),
    (re.compile(r"Unrecognized feature"), re.compile("")),
    (re.compile(r"allow-scripts and allow-same-origin"), re.compile("")),
)


# --------------------------------------------------------------------------------------------
# Server, browser and page fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_url(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with a fresh data folder; the first page load
    (which builds the sample database) is waited for here, so tests see a warm server."""
    tmp = tmp_path_factory.mktemp("browser")
    (tmp / "data").mkdir()
    with appserver.running(appserver.app_env(tmp / "data"), tmp / "streamlit.log") as server:
        context = browser.new_context(viewport=DESKTOP)
        try:
            page = context.new_page()
            page.goto(f"{server.url}/")
            page.locator("h1").first.wait_for(timeout=FIRST_LOAD_TIMEOUT_MS)
            wait_idle(page)
        finally:
            context.close()
        yield server.url


@dataclass
class Tab:
    """A browser page and the unexpected console and page errors seen in it and its frames."""

    page: Page
    url: str  #: the server's base URL
    errors: list[str]


def _console(errors: list[str], message: ConsoleMessage) -> None:
    if message.type != "error":
        return
    source = (message.location or {}).get("url", "")
    if any(text.search(message.text) and where.search(source) for text, where in IGNORED_CONSOLE):
        return
    errors.append(f"console error: {message.text} (at {source})")


def _open_tab(browser: Browser, url: str, viewport: dict[str, int] | None = None,
              **options: object) -> Iterator[Tab]:
    """A fresh browser context (``viewport`` and any other Playwright context ``options``, such
    as a phone's touch) whose page records console and page errors."""
    if viewport is not None:
        options["viewport"] = viewport
    context = browser.new_context(**options)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, url, [])
    # Playwright reports console messages and uncaught errors of the page's frames here too.
    page.on("console", lambda message: _console(tab.errors, message))
    page.on("pageerror", lambda error: tab.errors.append(f"uncaught error: {error}"))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(browser: Browser, app_url: str) -> Iterator[Tab]:
    """A fresh browser context (so a fresh Streamlit session) at desktop size."""
    yield from _open_tab(browser, app_url, DESKTOP)


@pytest.fixture
def phone(browser: Browser, app_url: str) -> Iterator[Tab]:
    """A fresh browser context at phone size."""
    yield from _open_tab(browser, app_url, PHONE)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

IDLE_JS = """() => {
    const app = document.querySelector('.stApp');
    const idle = app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && document.querySelector('[data-testid="stStatusWidget"]') === null
        && document.querySelector('[data-stale="true"]') === null;
    if (!idle) { window.__jcIdleSince = null; return false; }
    window.__jcIdleSince = window.__jcIdleSince || performance.now();
    return performance.now() - window.__jcIdleSince >= %d;
}"""
#: How long the app must stay idle to count as idle: a rerun triggered by the frontend (URL
#: bound widgets) can follow the first run closely.
IDLE_FOR_MS = 500


def wait_idle(page: Page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until the script has finished and stayed finished: no "Running..." widget, nothing
    stale on screen."""
    page.evaluate("() => { window.__jcIdleSince = null; }")
    page.wait_for_function(IDLE_JS % IDLE_FOR_MS, timeout=timeout_ms, polling=100)


def map_path_counts(page: Page) -> list[int]:
    """``path.leaflet-interactive`` in each st_folium iframe on the page."""
    counts = []
    for handle in page.locator(MAP_IFRAME).element_handles():
        frame = handle.content_frame()
        counts.append(frame.locator(TRACT_PATHS).count() if frame else 0)
    return counts


def settle_maps(tab: Tab, expected: int) -> list[int]:
    """Wait until the ``expected`` maps are on the page and every map on it has drawn, or an
    error has been seen (so that late errors are blamed on the right page); returns the path
    counts per map. The map iframes appear a moment after the script has finished."""
    deadline = time.monotonic() + MAP_TIMEOUT_MS / 1000
    counts = map_path_counts(tab.page)
    while (time.monotonic() < deadline and not tab.errors
           and (len(counts) < expected or not all(counts))):
        tab.page.wait_for_timeout(200)
        counts = map_path_counts(tab.page)
    return counts


def open_root(tab: Tab, query: str = "") -> list[int]:
    """Load "/" (optionally with a query string), wait until it is drawn, return the map's
    path counts."""
    tab.page.goto(f"{tab.url}/{query}")
    tab.page.locator("h1").first.wait_for(state="visible")
    wait_idle(tab.page)
    return settle_maps(tab, BY_NAME["neighbourhood"].maps)


def go_by_sidebar(tab: Tab, target: AppPage) -> None:
    """Click the sidebar link of ``target`` and wait for its page."""
    base = tab.url
    link = tab.page.locator(f'[data-testid="stSidebar"] a[href="{target.path}"]')
    link.first.wait_for(state="visible")  # page links are drawn just after the rest of a run
    assert link.count() == 1, f"the sidebar has {link.count()} links to /{target.path} ({target.name})"
    before = tab.page.locator("h1").first.inner_text()
    link.click()
    tab.page.wait_for_url(f"{base}/{target.path}")
    if target.title:
        tab.page.locator("h1", has_text=target.title).first.wait_for(state="visible")
    elif target.path:  # any title, but not the one of the page we came from
        tab.page.wait_for_function("t => { const h = document.querySelector('h1'); "
                                   "return h !== null && h.innerText !== t; }", arg=before)
    wait_idle(tab.page)


def screenshot(tab: Tab, name: str, capsys: pytest.CaptureFixture[str]) -> Path:
    """A full-page screenshot, grown to the main container's height; the path is printed."""
    page = tab.page
    needed = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                           " return m ? m.scrollHeight : 0; }")
    viewport = page.viewport_size or DESKTOP
    if needed > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(int(needed) + 40, 12_000)})
        page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    with capsys.disabled():
        print(f"\n  screenshot: {path.relative_to(PROJECT)}")
    return path


def selected_district(page: Page) -> str:
    return page.locator('input[aria-label="Your district"]').input_value()


def failures(tab: Tab) -> list[str]:
    """Streamlit exceptions, page-boundary errors and unexpected console/page errors."""
    page = tab.page
    found = [f"Streamlit exception: {text}"
             for text in page.locator('[data-testid="stException"]').all_inner_texts()]
    found += [f"page-boundary error: {text}"
              for text in page.get_by_text(PAGE_BOUNDARY_TEXT).all_inner_texts()]
    return found + tab.errors


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", PAGES, ids=[p.name for p in PAGES])
def test_page_opens_from_sidebar_without_errors(tab: Tab, target: AppPage,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    open_root(tab)
    if target.path:
        tab.errors.clear()  # the landing page's own errors are the neighbourhood case's
    go_by_sidebar(tab, target)
    counts = settle_maps(tab, target.maps)
    screenshot(tab, target.name, capsys)
    assert failures(tab) == []
    assert len(counts) >= target.maps and all(counts), (
        f"{target.name}: expected {target.maps} drawn map(s), paths per map: {counts}")


def test_neighbourhood_map_draws_the_tracts(tab: Tab) -> None:
    counts = open_root(tab)
    assert counts, "no map iframe on the neighbourhood page"
    assert counts[0] > 50, f"map drew {counts[0]} paths (errors: {tab.errors})"


def test_compare_page_draws_a_bar_chart(tab: Tab) -> None:
    open_root(tab)
    go_by_sidebar(tab, BY_NAME["compare"])
    chart = tab.page.locator(".js-plotly-plot .main-svg").first
    chart.wait_for(state="visible")
    bars = tab.page.locator(".js-plotly-plot g.trace.bars g.point path")
    assert bars.count() > 0, "the compare chart has no bars"


def test_query_parameter_opens_the_district(tab: Tab) -> None:
    open_root(tab, "?district=Eastport")
    assert selected_district(tab.page) == "Eastport"
    assert tab.page.locator("h3", has_text="How Eastport is doing").is_visible()


CLICKABLE_TRACTS_JS = """() => {
    // Filled tract paths whose bounding-box centre is on the path itself and inside the map,
    // farthest from the map's centre first (so most likely in another district).
    const w = window.innerWidth, h = window.innerHeight, margin = 25;
    const spots = [];
    for (const p of document.querySelectorAll('path.leaflet-interactive')) {
        const fill = p.getAttribute('fill');
        if (!fill || fill === 'none') continue;
        const r = p.getBoundingClientRect();
        const x = r.x + r.width / 2, y = r.y + r.height / 2;
        if (x < margin || y < margin || x > w - margin || y > h - margin) continue;
        if (document.elementFromPoint(x, y) !== p) continue;
        spots.push([x, y, Math.hypot(x - w / 2, y - h / 2)]);
    }
    return spots.sort((a, b) => b[2] - a[2]).map(s => [s[0], s[1]]);
}"""


def still_spots(frame: object, tries: int = 25) -> list[list[float]]:
    """The clickable tract spots once two readings 300 ms apart agree (Leaflet has finished
    fitting the view, so a click lands on the tract it was aimed at)."""
    before = frame.evaluate(CLICKABLE_TRACTS_JS)  # type: ignore[attr-defined]
    for _ in range(tries):
        frame.wait_for_timeout(300)  # type: ignore[attr-defined]
        now = frame.evaluate(CLICKABLE_TRACTS_JS)  # type: ignore[attr-defined]
        if now == before and now:
            return now
        before = now
    return before


def test_clicking_a_tract_selects_its_district(tab: Tab) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = tab.page
    open_root(tab, "?district=Westside")
    assert selected_district(page) == "Westside"
    iframe = page.locator(MAP_IFRAME).first
    frame = iframe.element_handle().content_frame()
    assert frame is not None and frame.locator(TRACT_PATHS).count() > 0, (
        f"the map drew no tracts to click (errors: {tab.errors})")
    box = iframe.bounding_box()
    assert box is not None
    chosen, tried = "Westside", []
    for attempt in range(8):
        spots = still_spots(frame)  # fresh each time: the map may still be fitting its view
        if attempt >= len(spots):
            break
        x, y = spots[attempt]
        tried.append((round(x), round(y), len(spots)))
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.wait_for_function(
                "() => document.querySelector('input[aria-label=\"Your district\"]').value "
                "!== 'Westside'", timeout=12_000)  # a rerun on a busy machine
        except PlaywrightTimeout:  # that tract is in Westside: try the next one
            continue
        wait_idle(page)
        chosen = selected_district(page)
        break
    if chosen == "Westside":
        page.screenshot(path=str(SCREENSHOTS / "map-click-failed.png"))
    assert chosen != "Westside", (f"no click on the map changed the selected district (clicked at "
                                  f"(x, y, spots seen): {tried}; errors: {tab.errors})")
    assert page.locator("h3", has_text=f"How {chosen} is doing").is_visible()
    counts = settle_maps(tab, 1)
    assert tab.errors == []
    assert counts and counts[0] > 50, f"the map did not draw again after the click: {counts}"


WIDTHS_JS = """() => ({
    body: document.body.scrollWidth,
    document: document.documentElement.scrollWidth,
    main: (document.querySelector('[data-testid="stMain"]') || document.body).scrollWidth,
})"""


def test_phone_width_fits_and_shows_the_map(phone: Tab, capsys: pytest.CaptureFixture[str]) -> None:
    open_root(phone)
    widths = phone.page.evaluate(WIDTHS_JS)
    iframe = phone.page.locator(MAP_IFRAME).first
    box = iframe.bounding_box()
    visible = iframe.is_visible()
    screenshot(phone, "neighbourhood-phone", capsys)
    assert max(widths.values()) <= PHONE["width"] + 2, f"wider than the phone: {widths}"
    assert visible and box is not None and box["height"] > 100, (
        f"map iframe not visible (box {box}, errors: {phone.errors})")
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 2


# --------------------------------------------------------------------------------------------
# A fresh server's very first request
# --------------------------------------------------------------------------------------------

#: Records, from the first byte of the page, every navigation entry ever drawn and whether a
#: "Page not found" dialog ever appeared (a flash counts).
WATCH_JS = """
window.__jcSeen = {nav: new Set(), notFound: false};
new MutationObserver(() => {
    const selector = '[data-testid="stSidebarNav"] a, [data-testid="stSidebar"] a, '
        + '[data-testid="stTopNavLink"]';
    for (const a of document.querySelectorAll(selector)) {
        // The label is the link's last line (a material icon's name comes first).
        const text = a.innerText.trim().split('\\n').pop().trim();
        if (text) window.__jcSeen.nav.add(text);
    }
    if (document.body && document.body.innerText.includes('Page not found')) {
        window.__jcSeen.notFound = true;
    }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


@pytest.mark.parametrize("target", PAGES, ids=[p.name for p in PAGES])
def test_a_fresh_server_opens_any_page_url_first(browser: Browser, sample_db: Path, target: AppPage,
                                                 tmp_path: Path) -> None:
    """A shared link opened as the first request a freshly started server ever gets: the right
    page, no "Page not found", and no navigation entry but the registered pages (Streamlit's
    legacy ``pages/`` listing never shows, not even for a moment)."""
    (tmp_path / "data").mkdir()
    with appserver.running(appserver.app_env(tmp_path / "data", sample_db),
                           tmp_path / "streamlit.log") as server:
        context = browser.new_context(viewport=DESKTOP)
        context.add_init_script(WATCH_JS)
        try:
            page = context.new_page()
            page.goto(f"{server.url}/{target.path}")
            heading = page.locator("h1", has_text=target.title) if target.title else page.locator("h1")
            heading.first.wait_for(timeout=FIRST_LOAD_TIMEOUT_MS)
            wait_idle(page)
            # Page links are drawn a moment after the rest of the run (once the browser has the
            # app's pages); wait for all of them before reading what was seen.
            page.wait_for_function(f"() => document.querySelectorAll("
                                   f"'[data-testid=\"stSidebar\"] a').length >= {len(PAGES)}")
            seen = page.evaluate("() => ({nav: [...window.__jcSeen.nav], "
                                 "notFound: window.__jcSeen.notFound})")
            current = page.evaluate("() => location.pathname")
        finally:
            context.close()
    assert not seen["notFound"], f"/{target.path}: a 'Page not found' dialog appeared"
    assert set(seen["nav"]) == {p.nav for p in PAGES}, (
        f"/{target.path}: navigation entries seen {sorted(seen['nav'])}")
    assert current == f"/{target.path}"


# --------------------------------------------------------------------------------------------
# The neighbourhood map shows the chosen district whole
# --------------------------------------------------------------------------------------------

#: Districts of Sample City at the edges of the region (west, north-east, south-west, south-east, east).
EDGE_DISTRICTS = ("Oak Hill", "Lakeshore", "Cedar Park", "Mill Creek", "Eastport")
OUTLINE_JS = """colour => {
    const outline = document.querySelector(`path[stroke="${colour}"]`);
    const map = document.querySelector('.leaflet-container');
    if (!outline || !map) return null;
    const o = outline.getBoundingClientRect(), m = map.getBoundingClientRect();
    return {outline: [o.left, o.top, o.right, o.bottom], map: [m.left, m.top, m.right, m.bottom]};
}"""


def outline_and_map(tab: Tab) -> dict[str, list[float]] | None:
    """The chosen district's outline and the map, in the map frame's pixels, once the map has
    stopped moving."""
    from indicators.present.map_layers import SELECTED_COLOUR

    frame = tab.page.locator(MAP_IFRAME).first.element_handle().content_frame()
    previous, deadline = None, time.monotonic() + MAP_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        current = frame.evaluate(OUTLINE_JS, SELECTED_COLOUR)
        if current is not None and current == previous:
            return current
        previous = current
        tab.page.wait_for_timeout(400)
    return previous


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_map_fits_the_chosen_district(browser: Browser, app_url: str,
                                          viewport: dict[str, int]) -> None:
    for district in EDGE_DISTRICTS:
        for tab in _open_tab(browser, app_url, viewport):
            open_root(tab, f"?district={district.replace(' ', '+')}")
            assert selected_district(tab.page) == district
            box = outline_and_map(tab)
            assert box is not None, f"{district}: no outline of the chosen district on the map"
            (left, top, right, bottom), (m_left, m_top, m_right, m_bottom) = box["outline"], box["map"]
            assert m_left <= left and right <= m_right and m_top <= top and bottom <= m_bottom, (
                f"{district} at {viewport['width']} px: outline {box['outline']} leaves the map "
                f"{box['map']}")
            # Fitted, not merely inside: the district fills at least a third of one dimension.
            assert max((right - left) / (m_right - m_left), (bottom - top) / (m_bottom - m_top)) > 1 / 3


#: Views of change over time, by URL: (name, path and query, maps, text that must show).
CHANGE_VIEWS = (
    ("neighbourhood-change", "?district=Downtown&change=true", 1,
     "Black residents (not Hispanic) fell from 32% to 28% since 2014-2018: a real change."),
    ("neighbourhood-earlier", "?district=Downtown&period=2014-2018", 1,
     "How Downtown is doing in 2014-2018"),
    ("compare-over-time", "compare?districts=Downtown&districts=Westside&dollars=true", 0,
     "The largest changes"),
    ("equity-gaps-over-time", "equity", 1, "Did the gaps narrow since 2014-2018?"),
    ("project-since-registered", "project?project=Downtown+Renewal+Alliance", 0,
     "Since the project registered"),
)


@pytest.mark.parametrize(("name", "path", "maps", "text"), CHANGE_VIEWS,
                         ids=[v[0] for v in CHANGE_VIEWS])
def test_change_views_open_from_their_urls(tab: Tab, name: str, path: str, maps: int, text: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    tab.page.goto(f"{tab.url}/{path}")
    tab.page.locator("h1").first.wait_for(state="visible")
    wait_idle(tab.page)
    tab.page.get_by_text(text, exact=False).first.wait_for(state="visible")
    counts = settle_maps(tab, maps)
    if name == "neighbourhood-change":
        legend = tab.page.get_by_text("pale: within the margin of error, not a real change")
        assert legend.first.is_visible()
    if name == "compare-over-time":  # the trend chart's lines with their error bars
        tab.page.locator(".js-plotly-plot g.scatterlayer g.trace").first.wait_for(state="attached")
        assert tab.page.locator(".js-plotly-plot g.errorbars").count() > 0
    screenshot(tab, name, capsys)
    assert failures(tab) == []
    assert len(counts) >= maps and all(counts), f"{name}: paths per map {counts}"


def first_card(page: Page) -> str:
    """The first indicator card's headline (bold text) under "How ... is doing"."""
    page.locator("h3", has_text="How your area is doing").first.wait_for(state="visible")
    return page.locator("strong", has_text="In your area, ").first.inner_text()


def test_drawing_an_area_by_mouse_shows_its_cards_and_its_link_reopens_it(tab: Tab) -> None:
    page = tab.page
    page.goto(f"{tab.url}/?show=Your+own+area&how=Draw+it+on+the+map")
    page.locator("h1").first.wait_for(state="visible")
    wait_idle(page)
    settle_maps(tab, 1)
    draw_polygon(page, [(0.40, 0.35), (0.62, 0.35), (0.62, 0.62), (0.40, 0.62)])
    headline = first_card(page)
    assert headline.startswith("In your area, "), headline
    wait_idle(page)
    assert "area=" in page.url, page.url
    assert failures(tab) == []
    link = page.url
    page.goto(link)  # the shared link: the same area, the same numbers
    page.locator("h1").first.wait_for(state="visible")
    wait_idle(page)
    assert first_card(page) == headline
    assert failures(tab) == []


def draw_polygon(page: Page, corners: list[tuple[float, float]]) -> None:
    """Draw a polygon on the page's map with Leaflet.draw's polygon tool, by mouse (corners as
    fractions of the map's width and height)."""
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    assert frame is not None
    still_spots(frame)  # Leaflet has finished fitting the view: each corner lands where aimed
    tool = frame.locator(".leaflet-draw-draw-polygon")
    tool.wait_for(state="visible")
    tool.click()
    box = frame.locator(".leaflet-container").first.bounding_box()  # in the page's coordinates
    assert box is not None
    points = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in corners]
    drawn = "() => document.querySelectorAll('path.leaflet-interactive[stroke=\"#0b3d33\"]').length"
    before = frame.evaluate(drawn)
    for x, y in [*points, points[0]]:  # the first point again closes the polygon
        page.mouse.click(x, y)
        page.wait_for_timeout(300)  # Leaflet.draw ignores clicks just after a vertex
    for _ in range(3):  # a loaded machine may take the closing click for a double click
        if frame.evaluate(drawn) > before and not frame.locator(".leaflet-draw-tooltip").is_visible():
            return
        page.mouse.click(*points[0])
        page.wait_for_timeout(600)


def test_uploading_a_boundary_shows_its_cards(tab: Tab, tmp_path: Path) -> None:
    from shapely.geometry import box, mapping

    page = tab.page
    path = tmp_path / "my-blocks.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "My blocks"},
         "geometry": mapping(box(-90.04, 26.99, -90.01, 27.02))}]}))
    page.goto(f"{tab.url}/?show=Your+own+area&how=Upload+a+boundary")
    page.locator("h1").first.wait_for(state="visible")
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.locator("strong", has_text="In My blocks, ").first.wait_for(state="visible")
    wait_idle(page)
    assert page.locator("h3", has_text="How My blocks is doing").first.is_visible()
    assert failures(tab) == []


@pytest.mark.realdata
def test_all_three_ways_work_on_atlanta(browser: Browser, atlanta_2010_db: Path,
                                        tmp_path: Path) -> None:
    """Atlanta's NPUs: an area drawn by mouse, an uploaded NPU boundary, and NPUs combined."""
    (tmp_path / "data").mkdir()
    opened = contextmanager(_open_tab)
    with appserver.running(appserver.app_env(tmp_path / "data", atlanta_2010_db),
                           tmp_path / "streamlit.log") as server, opened(browser, server.url, DESKTOP) as t:
        page = t.page
        page.goto(f"{server.url}/?show=Your+own+area")
        page.locator("h1").first.wait_for(state="visible", timeout=FIRST_LOAD_TIMEOUT_MS)
        wait_idle(page)
        settle_maps(t, 1)
        draw_polygon(page, [(0.45, 0.40), (0.58, 0.40), (0.58, 0.58), (0.45, 0.58)])
        page.locator("strong", has_text="In your area, ").first.wait_for(state="visible")
        upload = tmp_path / "npu.geojson"
        from indicators.store.database import connect_readonly, read_geo

        with connect_readonly(atlanta_2010_db) as con:
            npu = read_geo(con, "districts", "name", "WHERE name = 'NPU M'")
        upload.write_text(npu.to_json())
        page.goto(f"{server.url}/?show=Your+own+area&how=Upload+a+boundary")
        page.locator("h1").first.wait_for(state="visible")
        wait_idle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
        page.locator("strong", has_text="In NPU M, ").first.wait_for(state="visible")
        page.goto(f"{server.url}/?show=Your+own+area&how=Combine+tracts+or+districts"
                  "&parts=NPU+M&parts=NPU+N")
        page.locator("strong", has_text="In your area, ").first.wait_for(state="visible")
        wait_idle(page)
        assert failures(t) == []


def test_a_data_page_download_is_made_when_asked_and_arrives_whole(tab: Tab) -> None:
    """The Data page counts its tables and builds a table's CSV only when its button is pressed
    (a national table is hundreds of MB): the file arrives with every row the page announced."""
    page = tab.page
    page.goto(f"{tab.url}/data")
    page.locator("h1").first.wait_for(state="visible")
    wait_idle(page)
    row = page.locator('[data-testid="stHorizontalBlock"]', has_text="indicator_values (").first
    announced = int(re.search(r"\((\d[\d,]*) rows\)", row.inner_text()).group(1).replace(",", ""))
    with page.expect_download() as info:
        row.get_by_role("button", name="CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header[:4] == ["period", "geo_kind", "geo_id", "indicator_id"]
    assert len(rows) == announced > 1000
    assert failures(tab) == []
