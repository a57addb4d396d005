"""The resident's flow by keyboard alone, in the browser, on the sample region.

Only ``page.keyboard`` is used (Tab, arrows, Enter): no mouse, no ``element.click()``, no
``focus()``. From "/", Tab reaches the "Your district" chooser; the arrow keys and Enter choose
another district; Tab goes on, through the map, to the tabs of commitments, whose cards now
name that district; the arrow keys move between the tabs. At every step the focused element
(inside the map's frame too) shows a focus indicator: an outline or a box shadow, on the element
or on the field or label drawn around it (``ui/css/accessibility.css``), on a box big enough to
see, in the window.

A second test checks the map does not hold the keyboard: from the control before it, a few Tab
presses bring the focus out of the map's frame to what follows it.

Run with ``pytest tests/test_keyboard.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from tests import appserver
from tests.test_browser import map_path_counts, wait_idle

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
PAGE_TIMEOUT_MS = 60_000
#: Tab presses allowed to reach the district chooser from the top of the page.
TO_CHOOSER = 40
#: Tab presses allowed from the district chooser to the tabs of commitments, besides the map's.
TO_CARDS = 60
#: Tab presses allowed in all on the way to anything (each of the sample's tracts may be a stop).
ANY_STOPS = 1500
#: Tab stops the map may hold: its own box, the zoom buttons, the attribution links.
MAP_STOPS = 8
CHOOSER = "Your district"

#: The element that has the focus, through same-origin frames: where it is, what it is, and
#: the focus indicator that shows on it or on one of its four nearest ancestors (None: none does).
#: An indicator is an outline or a box shadow that is not transparent; it shows when at least 1 px
#: of its band is left, on three sides of the box or more, by the window and by every ancestor
#: that clips what overflows it (a text field's own box clips an outline drawn around its input).
FOCUSED_JS = """() => {
    let doc = document, el = doc.activeElement; const frames = [];
    while (el && el.tagName === 'IFRAME' && el.contentDocument) {
        frames.push(el.getAttribute('title') || el.src); doc = el.contentDocument; el = doc.activeElement;
    }
    if (!el || el === doc.body) return {frames, tag: el ? 'BODY' : null, indicator: null};
    const win = doc.defaultView, px = v => parseFloat(v) || 0;
    const shown = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return c !== 'transparent';
                         const p = m[1].split(',').map(Number); return p.length < 4 || p[3] > 0; };
    // Each indicator of a box: [offset from the box's edge (negative: inside), width], in px.
    const bands = s => {
        const found = [];
        if (s.outlineStyle !== 'none' && px(s.outlineWidth) > 0 && shown(s.outlineColor)) {
            const auto = s.outlineStyle === 'auto';  // the browser's own ring, about 2 px
            found.push([auto ? 0 : px(s.outlineOffset), auto ? Math.max(2, px(s.outlineWidth))
                                                             : px(s.outlineWidth)]);
        }
        if (s.boxShadow && s.boxShadow !== 'none') {
            for (const one of s.boxShadow.split(/,(?![^(]*\\))/)) {
                const colour = (one.match(/rgba?\\([^)]*\\)/) || ['rgb(0, 0, 0)'])[0];
                const [, , blur = 0, spread = 0] = (one.replace(colour, '').match(/-?[\\d.]+px/g)
                                                    || []).map(px);
                const width = spread + blur / 2;
                if (!shown(colour) || width < 1) continue;
                found.push(/inset/.test(one) ? [-width, width] : [0, width]);
            }
        }
        return found;
    };
    // The rectangle that the window and the clipping ancestors of node leave visible.
    const clipOf = node => {
        const c = {l: 0, t: 0, r: win.innerWidth, b: win.innerHeight};
        for (let a = node.parentElement; a; a = a.parentElement) {
            const s = win.getComputedStyle(a);
            if (px(s.opacity) === 0) return null;
            if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
            const r = a.getBoundingClientRect();
            c.l = Math.max(c.l, r.left); c.t = Math.max(c.t, r.top);
            c.r = Math.min(c.r, r.right); c.b = Math.min(c.b, r.bottom);
        }
        return c;
    };
    let indicator = null, node = el;
    for (let level = 0; level < 5 && node && node.nodeType === 1; level++, node = node.parentElement) {
        const s = win.getComputedStyle(node), r = node.getBoundingClientRect(), c = clipOf(node);
        if (!c || r.width < 6 || r.height < 6 || px(s.opacity) === 0) continue;
        const room = [r.left - c.l, r.top - c.t, c.r - r.right, c.b - r.bottom];
        for (const [offset, width] of bands(s)) {
            const sides = room.filter(d => Math.min(Math.max(d - offset, 0), width) >= 1).length;
            if (sides >= 3) {
                indicator = {level, sides, outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
                             shadow: s.boxShadow};
                break;
            }
        }
        if (indicator) break;
    }
    return {frames, tag: el.tagName, role: el.getAttribute('role') || '',
            label: el.getAttribute('aria-label') || '', text: (el.innerText || '').slice(0, 60),
            value: el.value === undefined ? null : String(el.value), id: el.id || '', indicator,
            tract: el.matches('path.leaflet-interactive'),
            grid: el.closest('canvas[data-testid="data-grid-canvas"]') !== null};
}"""


@dataclass
class Walk:
    """The keyboard's path so far: one description per focus stop."""

    page: Page
    stops: list[dict]

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        self.page.wait_for_timeout(60)
        focused = self.page.evaluate(FOCUSED_JS)
        self.stops.append(focused)
        return focused

    def last(self, n: int = 6) -> str:
        return "\n".join(f"  {describe(s)}" for s in self.stops[-n:])


def describe(focused: dict) -> str:
    where = " > ".join(focused.get("frames") or []) or "main"
    what = focused.get("label") or focused.get("text") or focused.get("id") or ""
    return f"{focused.get('tag')}[role={focused.get('role', '')!r}] {what!r} in {where}"


def assert_indicator(walk: Walk, focused: dict, in_the_map: bool = False) -> None:
    """The focused element shows a focus indicator. Stops inside the map are
    :func:`test_tab_moves_past_the_map`'s (``in_the_map``); a table's cells are drawn on a
    canvas by Streamlit's data grid, which draws the focused cell's ring there too (no CSS to
    read)."""
    if focused.get("tag") in (None, "BODY"):
        return  # nothing focused (between a rerun and the next Tab)
    if focused.get("grid") or (in_map(focused) and not in_the_map):
        return
    if focused.get("tract"):
        return  # a tract as a tab stop: counted by test_tab_moves_past_the_map
    assert focused["indicator"], (
        f"no visible focus indicator on {describe(focused)} (stop {len(walk.stops)}):\n"
        f"{walk.last()}")


@pytest.fixture(scope="module")
def keyboard_app(browser: Browser, sample_db: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("keyboard")
    (tmp / "data").mkdir()
    with appserver.running(appserver.app_env(tmp / "data", sample_db), tmp / "streamlit.log") as server:
        yield server.url


@pytest.fixture
def walk(browser: Browser, keyboard_app: str) -> Iterator[Walk]:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{keyboard_app}/")
        page.locator("h1").first.wait_for(state="visible", timeout=120_000)
        wait_idle(page, PAGE_TIMEOUT_MS)
        for _ in range(100):  # the map's tracts, so Tab meets the whole map
            if all(map_path_counts(page)) and map_path_counts(page):
                break
            page.wait_for_timeout(200)
        yield Walk(page, [])
    finally:
        context.close()


def in_map(focused: dict) -> bool:
    return any("st_folium" in f for f in focused.get("frames") or [])


def tab_to(walk: Walk, wanted, most: int, what: str) -> dict:  # noqa: ANN001  (a predicate)
    """Press Tab until ``wanted(focused)``, at most ``most`` times outside the map (the stops
    inside it are :func:`test_tab_moves_past_the_map`'s; at most ``ANY_STOPS`` in all); every
    stop on the way shows its focus."""
    outside = 0
    for _ in range(ANY_STOPS):
        focused = walk.press("Tab")
        assert_indicator(walk, focused)
        if wanted(focused):
            return focused
        outside += not in_map(focused)
        if outside >= most:
            break
    raise AssertionError(f"{what} not reached in {len(walk.stops)} Tab presses; the last stops:\n"
                         f"{walk.last(12)}")


def is_chooser(focused: dict) -> bool:
    return focused.get("label") == CHOOSER and not focused.get("frames")


def is_commitment_tab(focused: dict) -> bool:
    return focused.get("role") == "tab" and not focused.get("frames")


def open_panel_text(page: Page) -> str:
    """The text of the tab panel the focused tab controls."""
    return page.evaluate("""() => {
        const tab = document.activeElement, id = tab && tab.getAttribute('aria-controls');
        const panel = id && document.getElementById(id);
        return panel ? panel.innerText : '';
    }""")


def test_a_district_is_chosen_and_its_cards_read_by_keyboard_alone(walk: Walk) -> None:
    page = walk.page
    chooser = tab_to(walk, is_chooser, TO_CHOOSER, f"the {CHOOSER!r} chooser")
    before = chooser["value"]
    assert before, f"the chooser shows no district: {chooser}"

    # Open the list, move to the next district, choose it.
    for key in ("ArrowDown", "ArrowDown", "Enter"):
        assert_indicator(walk, walk.press(key))
    page.wait_for_function(
        "b => { const i = document.querySelector('input[aria-label=\"Your district\"]');"
        " return i !== null && i.value !== '' && i.value !== b; }", arg=before, timeout=20_000)
    wait_idle(page, PAGE_TIMEOUT_MS)
    chosen = page.locator(f'input[aria-label="{CHOOSER}"]').input_value()
    assert chosen and chosen != before
    page.locator("h3", has_text=f"How {chosen} is doing").first.wait_for(state="visible")
    after = page.evaluate(FOCUSED_JS)
    assert is_chooser(after), f"the focus left the chooser after choosing: {describe(after)}"

    # On through the map to the tabs of commitments; the first one's cards name the district.
    tab = tab_to(walk, is_commitment_tab, TO_CARDS, "the tabs of commitments")
    text = open_panel_text(page)
    assert chosen in text and before not in text, (
        f"the cards under {tab['text']!r} do not name {chosen!r}:\n{text[:600]}")

    # The arrow keys move along the tabs, and each one's cards are still the district's.
    seen = {tab["text"]}
    for _ in range(4):
        moved = walk.press("ArrowRight")
        assert_indicator(walk, moved)
        assert is_commitment_tab(moved), f"ArrowRight left the tabs: {describe(moved)}"
        page.wait_for_timeout(150)
        text = open_panel_text(page)
        assert chosen in text or "No measures" in text, (
            f"the cards under {moved['text']!r} do not name {chosen!r}:\n{text[:600]}")
        seen.add(moved["text"])
    assert len(seen) == 5, f"the arrow keys reached {len(seen)} of the five commitments: {seen}"


def test_tab_moves_past_the_map(walk: Walk) -> None:
    """From the control before the map, Tab crosses the map in a few presses (its box, the zoom
    buttons, the attribution), each showing its focus, and lands on what follows it."""
    tab_to(walk, is_chooser, TO_CHOOSER, f"the {CHOOSER!r} chooser")
    tab_to(walk, in_map, 20, "the map")
    inside = [walk.stops[-1]]
    while in_map(walk.stops[-1]) and len(inside) <= ANY_STOPS:
        inside.append(walk.press("Tab"))
    after = inside.pop()
    tracts = [s for s in inside if s.get("tract")]
    unseen = [s for s in tracts if not s["indicator"]]
    unmarked = [describe(s) for s in inside if not s.get("tract") and not s["indicator"]]
    problems = []
    if len(inside) > MAP_STOPS:
        problems.append(
            f"Tab took {len(inside)} presses to cross the map ({MAP_STOPS} allowed): {len(tracts)} "
            f"of its stops are tracts (Leaflet makes every shape with a tooltip focusable), "
            f"{len(unseen)} of them with no focus indicator in view (tracts outside the map's "
            f"view are empty paths)")
    if unmarked:
        problems.append(f"no visible focus indicator on {unmarked} in the map")
    if after.get("tag") in (None, "BODY"):
        problems.append(f"the focus was lost after the map:\n{walk.last()}")
    assert not problems, "\n".join(problems)
