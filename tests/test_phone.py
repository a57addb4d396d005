"""Every page on a phone: Chromium emulating a 390 x 844 touch screen (``is_mobile``, ``has_touch``,
2x pixels) against a real ``streamlit run app.py`` serving the sample region.

For every page, in English and in Spanish (``?lang=es``):

- a full-page screenshot is kept in ``tests/artifacts/phone-<page>-<lang>.png`` (git-ignored; the
  path is printed);
- the page does not scroll sideways: neither the document nor Streamlit's main container (the
  element that scrolls the page) is wider than the screen;
- every table (Streamlit's dataframes) is no wider than the screen: a wide table scrolls inside
  itself;
- every visible control of the page (links, buttons, tabs, radio and checkbox labels, fields,
  select boxes, expander headers) offers at least 44 x 44 CSS px to a finger (its bounding box,
  padding included; a radio's or checkbox's is its label's, a select box's its whole box); the
  failure lists every offender. The sidebar's controls are measured with the sidebar open.

The map (``ui/css/phone.css`` and Leaflet.GestureHandling, ``indicators/present/maps.py``): a
one-finger swipe that starts on the map scrolls the page and leaves the map where it was, saying
"use two fingers" in the page's language, and a two-finger drag moves the map. The touches are
real input (Chrome DevTools' ``Input.dispatchTouchEvent``), so the browser's own touch-action and
scrolling decide, as on a phone. A swipe on a chart scrolls the page too. With a mouse, the
wheel over a map scrolls the page.

Run with ``pytest -m browser tests/test_phone.py``; skipped (with the reason) where
``/usr/bin/chromium`` or the playwright package is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import appserver
from tests.test_browser import MAP_IFRAME, Tab, _open_tab, settle_maps, wait_idle

if TYPE_CHECKING:
    from playwright.sync_api import Browser, CDPSession, Frame, Page

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "tests" / "artifacts"
WIDTH, HEIGHT = 390, 844
PHONE = {"viewport": {"width": WIDTH, "height": HEIGHT}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
#: The smallest touch target, in CSS px (WCAG 2.5.5).
MIN_TARGET = 44
FIRST_LOAD_TIMEOUT_MS = 120_000
PAGE_TIMEOUT_MS = 30_000
#: (name in the screenshot's file name, URL path, st_folium maps it shows for the sample)
PAGES = (("neighbourhood", "", 1), ("compare", "compare", 0), ("equity", "equity", 1),
         ("portfolio", "portfolio", 1), ("project", "project", 0), ("practitioners", "practitioners", 0),
         ("methodology", "methodology", 0), ("learn", "learn", 0), ("data", "data", 0))
LANGS = ("en", "es")
#: What the map says to a one-finger swipe, in each language.
TWO_FINGERS = {"en": "Use two fingers to move the map", "es": "Usa dos dedos para mover el mapa"}


# --------------------------------------------------------------------------------------------
# Server and phone
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server_url(browser: Browser, sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` on the sample database, its first page already served."""
    tmp = tmp_path_factory.mktemp("phone")
    (tmp / "data").mkdir()
    with appserver.running(appserver.app_env(tmp / "data", sample_db), tmp / "streamlit.log") as server:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{server.url}/")
            page.locator("h1").first.wait_for(timeout=FIRST_LOAD_TIMEOUT_MS)
            wait_idle(page)
        finally:
            context.close()
        yield server.url


@pytest.fixture
def phone(browser: Browser, server_url: str) -> Iterator[Tab]:
    """A fresh touch-screen phone (a fresh Streamlit session)."""
    yield from _open_tab(browser, server_url, **PHONE)


@pytest.fixture
def desktop(browser: Browser, server_url: str) -> Iterator[Tab]:
    """A fresh desktop browser with a mouse, 1400 px wide."""
    yield from _open_tab(browser, server_url, {"width": 1400, "height": 900})


def open_page(tab: Tab, path: str, lang: str, maps: int) -> None:
    """Load the page in ``lang`` and wait until it has run and its maps have drawn."""
    query = "?lang=es" if lang == "es" else ""
    tab.page.goto(f"{tab.url}/{path}{query}")
    tab.page.locator("h1").first.wait_for(state="visible", timeout=2 * PAGE_TIMEOUT_MS)
    wait_idle(tab.page, 2 * PAGE_TIMEOUT_MS)
    if maps:
        settle_maps(tab, maps)
    tab.page.wait_for_timeout(300)  # late layout: tab bars, chart toolbars


# --------------------------------------------------------------------------------------------
# What is measured
# --------------------------------------------------------------------------------------------

#: The page's widths: the document and Streamlit's main container (which scrolls the page).
WIDTHS_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return {inner: window.innerWidth, document: document.scrollingElement.scrollWidth,
            body: document.body.scrollWidth, main: main ? main.scrollWidth : 0};
}"""

#: Each dataframe's box, and whether its grid scrolls sideways inside it.
TABLES_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(frame => {
    const box = frame.getBoundingClientRect();
    const scroller = frame.querySelector('.dvn-scroller');
    const overflow = scroller ? getComputedStyle(scroller).overflowX : 'none';
    // What comes after the table's element must start below it (nothing drawn over its rows).
    const holder = frame.closest('[data-testid="stElementContainer"]');
    const next = holder && holder.nextElementSibling;
    const after = next ? next.getBoundingClientRect().top : Infinity;
    return {left: box.left, right: box.right, width: box.width, bottom: box.bottom, after: after,
            content: scroller ? scroller.scrollWidth : 0, inner: scroller ? scroller.clientWidth : 0,
            scrolls: overflow === 'auto' || overflow === 'scroll'};
})"""

#: Every visible control under ``root`` smaller than ``min`` CSS px either way, described. The
#: box measured is what takes the tap: a radio's or checkbox's label (its input is visually
#: hidden), a select box's whole box (its text field and arrow open the same list), else the
#: element's own border box (padding included). Not measured: what is hidden (display,
#: visibility, a 1 px "visually hidden" clip such as the keyboard's skip link) or off screen
#: sideways (the closed sidebar).
TARGETS_JS = """([rootSelector, min]) => {
    const root = document.querySelector(rootSelector) || document.body;
    const selector = 'a[href], button, [role=button], [role=tab], [role=radio], [role=checkbox], '
        + '[role=switch], input, select, textarea, [role=combobox], summary';
    const hidden = element => {
        for (let e = element; e && e !== document.body; e = e.parentElement) {
            const style = getComputedStyle(e);
            if (style.display === 'none' || style.visibility === 'hidden'
                || style.clipPath === 'inset(50%)') return true;
            const box = e.getBoundingClientRect();
            if (box.width <= 1 && box.height <= 1) return true;
        }
        return false;
    };
    const target = element => {
        if (element.matches('input[type=radio], input[type=checkbox]')) {
            return element.closest('label') || element;
        }
        const control = element.closest('.react-aria-ComboBox > [role=group]');
        const own = element.matches('[aria-label="Clear all"], [aria-label^="Remove "]');
        return control && !own ? control : element;
    };
    const describe = element => {
        const text = (element.getAttribute('aria-label') || element.innerText || element.value || '')
            .replace(/\\s+/g, ' ').trim().slice(0, 50);
        const role = element.getAttribute('role');
        const where = element.closest('[data-testid]');
        return element.tagName.toLowerCase() + (role ? `[role=${role}]` : '') + ` "${text}"`
            + ` in ${where ? where.dataset.testid : 'page'}`;
    };
    const found = new Map();
    for (const element of root.querySelectorAll(selector)) {
        const tap = target(element);
        if (hidden(tap)) continue;
        const box = tap.getBoundingClientRect();
        if (box.right <= 0 || box.left >= window.innerWidth) continue;
        if (box.width + 0.5 >= min && box.height + 0.5 >= min) continue;
        const key = describe(tap);
        if (!found.has(key)) {
            found.set(key, `${key}: ${Math.round(box.width)} x ${Math.round(box.height)}`);
        }
    }
    return [...found.values()];
}"""

#: The page's vertical scroll: Streamlit scrolls its main container, a browser the document.
SCROLL_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return (main ? main.scrollTop : 0) + document.scrollingElement.scrollTop;
}"""

#: The Leaflet map (streamlit-folium keeps it as ``window.map`` in its frame).
MAP_JS = """() => {
    const map = window.map, center = map.getCenter(), box = map.getContainer();
    return {lat: center.lat, lng: center.lng, zoom: map.getZoom(),
            touch: box.getAttribute('data-gesture-handling-touch-content'),
            scroll: box.getAttribute('data-gesture-handling-scroll-content'),
            warned: box.classList.contains('leaflet-gesture-handling-touch-warning'),
            gestures: Boolean(map.gestureHandling && map.gestureHandling.enabled())};
}"""


def full_page_screenshot(page: Page, name: str, capsys: pytest.CaptureFixture[str]) -> Path:
    """The whole page: the window grown to the main container's height (Streamlit scrolls inside
    it, so a plain full-page screenshot shows one screen), then back to the phone's height."""
    viewport = page.viewport_size or PHONE["viewport"]
    needed = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                           " return m ? m.scrollHeight : 0; }")
    if needed > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(int(needed) + 40, 16_000)})
        page.wait_for_timeout(400)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    page.wait_for_timeout(200)
    with capsys.disabled():
        print(f"\n  screenshot: {path.relative_to(PROJECT)}")
    return path


def small_targets(page: Page, root: str = "body") -> list[str]:
    """Visible controls under ``root`` smaller than :data:`MIN_TARGET` (see :data:`TARGETS_JS`)."""
    return page.evaluate(TARGETS_JS, [root, MIN_TARGET])


# --------------------------------------------------------------------------------------------
# Every page
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "path", "maps"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_fits_a_phone(phone: Tab, name: str, path: str, maps: int, lang: str,
                               capsys: pytest.CaptureFixture[str]) -> None:
    open_page(phone, path, lang, maps)
    page = phone.page
    widths = page.evaluate(WIDTHS_JS)
    tables = page.evaluate(TABLES_JS)
    small = small_targets(page)
    full_page_screenshot(page, f"phone-{name}-{lang}", capsys)

    assert widths["inner"] == WIDTH, f"the phone's window is not {WIDTH} px wide: {widths}"
    assert max(widths["document"], widths["body"], widths["main"]) <= WIDTH, (
        f"the page scrolls sideways: {widths}")
    for table in tables:
        assert table["left"] >= 0 and table["right"] <= WIDTH + 0.5, (
            f"a table is wider than the phone: {table}")
        if table["content"] > table["inner"] + 1:
            assert table["scrolls"], f"a wide table does not scroll inside itself: {table}"
        assert table["bottom"] <= table["after"] + 0.5, f"what follows a table covers its rows: {table}"
    assert not small, (f"{len(small)} controls smaller than {MIN_TARGET} x {MIN_TARGET} px on "
                       f"/{path} ({lang}):\n  " + "\n  ".join(small))
    assert phone.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_sidebar_fits_a_phone(phone: Tab, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Opened with its button, the sidebar (page links, language) has only big enough targets."""
    open_page(phone, "", lang, 1)
    page = phone.page
    page.locator('[data-testid="stExpandSidebarButton"]').tap()
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.wait_for_function("() => { const s = document.querySelector('[data-testid=\"stSidebar\"]');"
                           " const b = s && s.getBoundingClientRect(); return b && b.left >= 0"
                           " && b.width > 200; }")
    page.wait_for_timeout(400)  # the slide-in animation
    links = sidebar.locator('a[data-testid="stPageLink-NavLink"]').count()
    small = small_targets(page, '[data-testid="stSidebar"]')
    widths = page.evaluate(WIDTHS_JS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"phone-sidebar-{lang}.png"
    page.screenshot(path=str(shot))
    with capsys.disabled():
        print(f"\n  screenshot: {shot.relative_to(PROJECT)}")
    assert links >= 7, f"the sidebar shows {links} page links"
    assert max(widths["document"], widths["body"]) <= WIDTH, f"the page scrolls sideways: {widths}"
    assert not small, (f"{len(small)} sidebar controls smaller than {MIN_TARGET} px ({lang}):\n  "
                       + "\n  ".join(small))


# --------------------------------------------------------------------------------------------
# The map does not trap the page's scroll
# --------------------------------------------------------------------------------------------


def _touch(cdp: CDPSession, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": i, "radiusX": 4, "radiusY": 4, "force": 1}
                                      for i, (x, y) in enumerate(points)]})


def swipe(page: Page, cdp: CDPSession, starts: list[tuple[float, float]], dx: float, dy: float,
          steps: int = 12) -> None:
    """Fingers put down at ``starts``, moved together by (``dx``, ``dy``) CSS px, lifted."""
    _touch(cdp, "touchStart", starts)
    for step in range(1, steps + 1):
        page.wait_for_timeout(16)
        _touch(cdp, "touchMove", [(x + dx * step / steps, y + dy * step / steps) for x, y in starts])
    page.wait_for_timeout(16)
    _touch(cdp, "touchEnd", [])
    page.wait_for_timeout(600)  # momentum and Leaflet's pan end


def map_frame(page: Page) -> Frame:
    handle = page.locator(MAP_IFRAME).first.element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None, "no map frame"
    frame.wait_for_function("() => window.map && window.map.getContainer()")
    return frame


def in_view(page: Page, selector: str) -> dict[str, float]:
    """Scroll the page so that the first ``selector``'s top is 150 px below the window's top;
    its box."""
    settle_scroll(page)  # a swipe's momentum may still be scrolling (slow under load)
    page.evaluate("""s => { const element = document.querySelector(s);
        const main = document.querySelector('[data-testid="stMain"]');
        main.scrollBy(0, element.getBoundingClientRect().top - 150); }""", selector)
    page.wait_for_timeout(300)
    settle_scroll(page)
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["height"] > 200, f"{selector} is not shown: {box}"
    return box


def settle_scroll(page: Page, timeout_ms: int = 5000) -> None:
    """Wait until the page has stopped scrolling (the same position 200 ms apart)."""
    last = page.evaluate(SCROLL_JS)
    for _ in range(timeout_ms // 200):
        page.wait_for_timeout(200)
        now = page.evaluate(SCROLL_JS)
        if now == last:
            return
        last = now


def map_in_view(page: Page) -> dict[str, float]:
    """The map's box, scrolled to 150 px below the window's top."""
    return in_view(page, MAP_IFRAME)


@pytest.mark.parametrize("lang", LANGS)
def test_one_finger_scrolls_past_the_map_and_two_move_it(phone: Tab, lang: str) -> None:
    open_page(phone, "", lang, 1)
    page = phone.page
    frame = map_frame(page)
    before = frame.evaluate(MAP_JS)
    assert before["gestures"], "the map has no gesture handling (run sh setup.sh: it fetches it)"
    cdp = page.context.new_cdp_session(page)

    # One finger, from the middle of the map, upwards: the page scrolls, the map stays.
    box = map_in_view(page)
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6)
    scrolled = page.evaluate(SCROLL_JS)
    _touch(cdp, "touchStart", [middle])
    _touch(cdp, "touchMove", [(middle[0], middle[1] - 20)])
    page.wait_for_timeout(50)
    warned = frame.evaluate(MAP_JS)["warned"]
    _touch(cdp, "touchEnd", [])
    page.wait_for_timeout(300)
    swipe(page, cdp, [middle], 0, -220)
    after_one = frame.evaluate(MAP_JS)
    moved_page = page.evaluate(SCROLL_JS) - scrolled
    assert moved_page > 100, f"a one-finger swipe on the map scrolled the page by {moved_page} px"
    assert (after_one["lat"], after_one["lng"], after_one["zoom"]) == (
        before["lat"], before["lng"], before["zoom"]), "a one-finger swipe moved the map"
    assert warned, f"no '{TWO_FINGERS[lang]}' over the map during a one-finger swipe"

    # Two fingers, sideways: the map moves, the page does not scroll.
    box = map_in_view(page)
    y = box["y"] + box["height"] / 2
    left = box["x"] + box["width"] * 0.3
    scrolled = page.evaluate(SCROLL_JS)
    swipe(page, cdp, [(left, y), (left + 80, y)], 120, 0)
    after_two = frame.evaluate(MAP_JS)
    assert after_two["lng"] < after_one["lng"] - 1e-6, (
        f"a two-finger drag to the right did not move the map east: {after_one} -> {after_two}")
    assert abs(page.evaluate(SCROLL_JS) - scrolled) < 5, "a two-finger drag on the map scrolled the page"

    # And one finger scrolls the page again straight after.
    scrolled = page.evaluate(SCROLL_JS)
    swipe(page, cdp, [(box["x"] + box["width"] / 2, y + 60)], 0, -200)
    assert page.evaluate(SCROLL_JS) - scrolled > 100, (
        "after a two-finger drag, a one-finger swipe on the map no longer scrolls the page")
    after_again = frame.evaluate(MAP_JS)
    assert (after_again["lat"], after_again["lng"]) == (after_two["lat"], after_two["lng"])
    assert phone.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_map_says_how_to_move_it_in_the_page_language(phone: Tab, lang: str) -> None:
    """The map's "use two fingers" (and "ctrl + scroll") message is in the page's language."""
    open_page(phone, "", lang, 1)
    shown = map_frame(phone.page).evaluate(MAP_JS)
    assert shown["touch"] == TWO_FINGERS[lang], (
        "the map's message is not in the page's language (ui/data.py base_map must pass the "
        f"page's language to maps.offline_map): {shown['touch']!r}")
    assert ("rueda" in shown["scroll"]) == (lang == "es")


def test_one_finger_scrolls_past_a_chart(phone: Tab) -> None:
    """A chart is as wide as the phone: a swipe that starts on it scrolls the page."""
    open_page(phone, "compare", "en", 0)
    page = phone.page
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for(state="visible")
    page.wait_for_timeout(500)
    box = in_view(page, '[data-testid="stPlotlyChart"]')
    scrolled = page.evaluate(SCROLL_JS)
    swipe(page, page.context.new_cdp_session(page),
          [(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)], 0, -200)
    moved = page.evaluate(SCROLL_JS) - scrolled
    assert moved > 100, f"a one-finger swipe on a chart scrolled the page by {moved} px"


def test_the_mouse_wheel_scrolls_past_the_map_on_a_desktop(desktop: Tab) -> None:
    """With a mouse the wheel scrolls the page over the map too (ctrl + wheel zooms it)."""
    open_page(desktop, "", "en", 1)
    page = desktop.page
    frame = map_frame(page)
    before = frame.evaluate(MAP_JS)
    box = map_in_view(page)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scrolled = page.evaluate(SCROLL_JS)
    for _ in range(3):
        page.mouse.wheel(0, 120)
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    after = frame.evaluate(MAP_JS)
    assert page.evaluate(SCROLL_JS) - scrolled > 100, "the wheel over the map did not scroll the page"
    assert after["zoom"] == before["zoom"], "the wheel over the map zoomed it"
    assert after["scroll"] == "Use ctrl + scroll to zoom the map"
    assert desktop.errors == []
