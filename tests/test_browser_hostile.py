"""Output safety as a browser meets it: a region whose district and project are both named
``<img src=x onerror=alert(1)>``, served by a real ``streamlit run app.py`` to headless Chromium.

The region is the Sample City copied into a temporary folder with Oak Hill renamed in its
district file and its first project (and that project's boundary and a review note) renamed in
``certification.json``, built with :func:`indicators.store.build.build`; the records database
is seeded from that copy on first use. Every page is loaded, the neighbourhood page also on the
hostile district (``?district=<name>``: bound widgets put option labels in URLs) and the project
page on the hostile project. On each, after every map shape has been hovered (so that every tooltip has
been drawn, which is when folium turns a property into HTML): no dialog may open
(``onerror=alert(1)`` would open one), no ``img[src="x"]`` element may exist in the page or any
of its frames, no Streamlit exception or page-boundary error may show, no uncaught script error
may happen, and where the page or its maps name the place or project the name reads literally.

Run with ``pytest -m browser tests/test_browser_hostile.py``; skipped (with the reason) where
``/usr/bin/chromium`` or the playwright package is missing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from indicators.present import queries
from indicators.store.build import build
from indicators.store.database import connect_readonly
from tests import appserver
from tests.test_browser import MAP_IFRAME, PAGE_BOUNDARY_TEXT, TRACT_PATHS, wait_idle

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Frame, Page

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parent.parent
HOSTILE = "<img src=x onerror=alert(1)>"
#: A second district's name made of what Markdown acts on: emphasis, a link, an entity, a
#: Streamlit colour directive, maths, an emoji code, autolinks.
MARKDOWN = "*Oak* [win](https://e.example) AT&amp;T :red[x] $5$ :smile: www.x.org a@b.org"
RENAMED_DISTRICT, RENAMED_TOO = "Oak Hill", "Westside"
DESKTOP = {"width": 1280, "height": 2400}
PAGE_TIMEOUT_MS = 60_000
MAP_WAIT_S = 15
#: Time left for an injected handler (an image's onerror) to fire after the page has settled.
GRACE_MS = 1_000

#: Hover every shape of a Leaflet map (so each tooltip is drawn); count injected images seen
#: and whether a tooltip read the name.
HOVER_SHAPES_JS = """name => {
    const found = {shapes: 0, live: 0, shown: false};
    for (const shape of document.querySelectorAll('path.leaflet-interactive')) {
        const r = shape.getBoundingClientRect();
        const at = {bubbles: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2};
        shape.dispatchEvent(new MouseEvent('mouseover', at));
        shape.dispatchEvent(new MouseEvent('mousemove', at));
        found.shapes += 1;
        found.live += document.querySelectorAll('img[src="x"]').length;
        for (const tip of document.querySelectorAll('.leaflet-tooltip')) {
            if (tip.textContent.includes(name)) found.shown = true;
        }
        shape.dispatchEvent(new MouseEvent('mouseout', at));
    }
    return found;
}"""
FOUND_IN_FRAME_JS = """name => {
    const text = document.body ? document.body.textContent : '';
    const inputs = [...document.querySelectorAll('input, textarea')].map(i => i.value);
    return text.includes(name) || inputs.some(v => v.includes(name));
}"""


@dataclass(frozen=True)
class Visit:
    """A page loaded by its URL, the text it must show literally (in the page or a frame), and
    whether a map tooltip on it must read the hostile name."""

    name: str  #: test id
    query: str  #: path and query string after "/"
    shows: str = ""
    map_shows_name: bool = False
    maps: int = 0  #: st_folium maps the page shows


VISITS = (
    Visit("neighbourhood", "", map_shows_name=True, maps=1),  # the district outlines
    Visit("neighbourhood-hostile-district", f"?district={quote(HOSTILE)}", shows=HOSTILE,
          map_shows_name=True, maps=1),
    # The cards' headline ("In <place>, ...") is Markdown: the name must read as written.
    Visit("neighbourhood-markdown-district", f"?district={quote(MARKDOWN)}", shows=f"In {MARKDOWN}, ",
          maps=1),
    Visit("compare", "compare", shows=HOSTILE),  # the ranking names every district
    Visit("equity", "equity", shows=HOSTILE, map_shows_name=True, maps=1),
    Visit("portfolio", "portfolio", map_shows_name=True, maps=1),  # markers and boundaries
    Visit("project", "project", shows=HOSTILE, map_shows_name=True, maps=1),  # its own boundary
    Visit("project-hostile-project", f"project?project={quote(HOSTILE)}", shows=HOSTILE,
          map_shows_name=True, maps=1),
    Visit("practitioners", "practitioners"),
    Visit("methodology", "methodology"),
    Visit("learn", "learn"),
    Visit("data", "data"),
)


def hostile_region(folder: Path) -> tuple[Path, Path]:
    """The Sample City with a district and a project named :data:`HOSTILE` (and a district
    named :data:`MARKDOWN`), built: (region folder, database)."""
    region = folder / "region"
    shutil.copytree(PROJECT / "data" / "sample", region)
    districts_file = region / "districts.geojson"
    districts = json.loads(districts_file.read_text())
    renamed = [f for f in districts["features"] if f["properties"]["DISTRICT"] == RENAMED_DISTRICT]
    assert len(renamed) == 1, f"the sample no longer has a district named {RENAMED_DISTRICT}"
    renamed[0]["properties"]["DISTRICT"] = HOSTILE
    next(f for f in districts["features"]
         if f["properties"]["DISTRICT"] == RENAMED_TOO)["properties"]["DISTRICT"] = MARKDOWN
    districts_file.write_text(json.dumps(districts))
    db = folder / "indicators.duckdb"
    build(region, db)
    with connect_readonly(db) as con:
        names = queries.district_names(con)
    new_id = next(d for d, n in names.items() if n == HOSTILE)
    records_file = region / "certification.json"
    records = json.loads(records_file.read_text())
    old_id = next(p["district_id"] for p in records["projects"]
                  if p["name"].startswith(RENAMED_DISTRICT))
    for project in records["projects"]:
        if project["district_id"] == old_id:
            project["district_id"] = new_id
    first = records["projects"][0]
    assert first["district_id"] == new_id, "the sample's first project is no longer in Oak Hill"
    first["name"] = HOSTILE
    if first.get("boundary"):
        first["boundary"]["name"] = HOSTILE
    first["submissions"][0]["reviews"][0]["notes"] = HOSTILE
    records_file.write_text(json.dumps(records, indent=1))
    return region, db


@pytest.fixture(scope="module")
def hostile_url(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the hostile region (its records seeded from the copy on first use)."""
    tmp = tmp_path_factory.mktemp("hostile")
    region, db = hostile_region(tmp)
    data = tmp / "data"
    data.mkdir()
    env = {**appserver.app_env(data, db), "JC_REGION": str(region)}
    with appserver.running(env, tmp / "streamlit.log") as server:
        yield server.url


def settle_maps(page: Page, expected: int) -> list[Frame]:
    """Wait (a while) until the ``expected`` map iframes are on the page (they appear a moment
    after the script has finished) and every map has drawn its shapes; the drawn map frames."""
    deadline = page.evaluate("() => performance.now()") + MAP_WAIT_S * 1000
    while True:
        frames = [h.content_frame() for h in page.locator(MAP_IFRAME).element_handles()]
        drawn = [f for f in frames if f is not None and f.locator(TRACT_PATHS).count()]
        done = len(frames) >= expected and len(drawn) == len(frames)
        if done or page.evaluate("() => performance.now()") > deadline:
            return drawn
        page.wait_for_timeout(200)


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_hostile_names_stay_text_on_every_page(browser: Browser, hostile_url: str, visit: Visit) -> None:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{hostile_url}/{visit.query}")
        page.locator("h1").first.wait_for(state="visible")
        wait_idle(page, PAGE_TIMEOUT_MS)
        hovered = [frame.evaluate(HOVER_SHAPES_JS, HOSTILE) for frame in settle_maps(page, visit.maps)]
        page.wait_for_timeout(GRACE_MS)

        assert dialogs == [], f"{visit.name}: a dialog opened: {dialogs}"
        live = {frame.url or frame.name: frame.locator('img[src="x"]').count() for frame in page.frames}
        assert not any(live.values()), f"{visit.name}: live injected images per frame: {live}"
        assert page.locator('[data-testid="stException"]').count() == 0, \
            page.locator('[data-testid="stException"]').all_inner_texts()
        assert page.get_by_text(PAGE_BOUNDARY_TEXT).count() == 0, f"{visit.name}: page-boundary error"
        assert errors == [], f"{visit.name}: uncaught script errors: {errors}"
        assert not sum(h["live"] for h in hovered), f"{visit.name}: a tooltip drew an image: {hovered}"
        assert len(hovered) >= visit.maps, f"{visit.name}: {len(hovered)} of {visit.maps} maps drew"
        if visit.map_shows_name:
            assert any(h["shown"] for h in hovered), f"{visit.name}: no tooltip read the name: {hovered}"
        if visit.shows:
            found = [frame.url for frame in page.frames if frame.evaluate(FOUND_IN_FRAME_JS, visit.shows)]
            assert found, f"{visit.name}: {visit.shows!r} is not shown as text"
    finally:
        context.close()
