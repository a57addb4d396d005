"""Page speed and map weight, as a visitor meets them: Sample City and Atlanta on 2010 tracts.

For each region (Atlanta only where ``../shared/data`` exists; its database is built into a
temporary folder first) this prints, beside its target:

1. **Warm script time per page**: ``streamlit.testing.v1.AppTest`` runs ``app.py`` switched to
   the page, once to warm the caches, then the median of 3 further runs (target <= 1 s).
2. **Map payload of the neighbourhood map**: the bytes of the component arguments Streamlit
   sends to the browser for the ``st_folium`` call, counted exactly as Streamlit serialises
   them (``json.dumps`` of every argument but the ``on_change`` callback, i.e. the map script,
   the feature-group script holding the GeoJSON layers, the HTML/header, links and the
   defaults), captured by wrapping ``streamlit_folium._component_func``. Shown for the first
   run in the process and for a later (warm) run, because they can differ (target <= 400 KB,
   set for Atlanta). The named peer is folium's default GeoJSON of the same tracts without
   simplification or rounding: ``json.dumps(GeoDataFrame.__geo_interface__)`` of the tracts the
   map shows, with the same two properties (geoid, name); the ratio is ours / peer. Ours counts
   everything the map needs (tracts with colour and label, district outlines, scripts), the
   peer only the bare tracts. The map draws only the tracts inside the districts, so the
   tracts drawn and loaded are both printed.
3. **Time until the map is drawn in Chromium**: ``streamlit run app.py`` on a free port with
   that database; headless Chromium opens "/" in a new tab and the time runs from navigation
   start until the map iframe holds at least one ``path.leaflet-interactive``. The first load
   is a warm-up and is excluded; the median of the next 3 is printed (target <= 3 s). A load
   whose map never draws (timeout or uncaught error) is reported with the error.

    /work/venv/bin/python benchmarks/pages.py
"""

from __future__ import annotations

import json
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named pages.py: drop its own folder from the path so that the app's ``pages``
# package (imported by the page scripts) is found, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
from indicators.store import database as store  # noqa: E402
from indicators.store.build import build  # noqa: E402
from tests import appserver  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
REGIONS = {
    "sample": ROOT / "data" / "sample",
    "atlanta_2010": ROOT / "tests" / "regions" / "atlanta_2010",
}
#: (name, page file relative to app.py); files not present are skipped.
PAGES = (
    ("neighbourhood", "pages/neighbourhood.py"),
    ("compare", "pages/compare.py"),
    ("equity", "pages/equity.py"),
    ("portfolio", "pages/portfolio.py"),
    ("project", "pages/project.py"),
    ("methodology", "pages/methodology.py"),
    ("data", "pages/data.py"),
)
TARGET_SCRIPT_S = 1.0
TARGET_PAYLOAD_KB = 400.0
TARGET_DRAWN_S = 3.0
PAGE_BOUNDARY_TEXT = "could not be shown because of an unexpected problem"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
DRAW_TIMEOUT_S = 30.0


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


# --------------------------------------------------------------------------------------------
# 1 and 2: AppTest runs, with the st_folium arguments captured
# --------------------------------------------------------------------------------------------


class PayloadTap:
    """Wraps streamlit_folium's component call and records the serialised size of each call."""

    def __init__(self) -> None:
        import streamlit_folium

        self.module = streamlit_folium
        self.original = streamlit_folium._component_func
        self.sizes: list[int] = []
        self.recording = False

    def __enter__(self) -> PayloadTap:
        def tapped(**kwargs: object) -> object:
            if self.recording:
                sent = {k: v for k, v in kwargs.items() if k != "on_change"}
                self.sizes.append(len(json.dumps(sent).encode()))
            return self.original(**kwargs)

        self.module._component_func = tapped
        return self

    def __exit__(self, *exc: object) -> None:
        self.module._component_func = self.original


def page_failure(at) -> str:  # noqa: ANN001
    if at.exception:
        return "exception: " + at.exception[0].value.splitlines()[0][:80]
    for error in at.error:
        if PAGE_BOUNDARY_TEXT in error.value:
            return "page-boundary error"
    return ""


def warm_script_times(tap: PayloadTap) -> dict[str, tuple[float, str]]:
    """Median warm run time and any failure, per page; the neighbourhood's map payload goes to
    ``tap.sizes``."""
    from streamlit.testing.v1 import AppTest

    results = {}
    for name, file in PAGES:
        if not (ROOT / file).exists():
            continue
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        tap.recording = name == "neighbourhood"
        at.run()  # lands on the default page; switch_page needs one run under st.navigation
        if name != "neighbourhood":
            at.switch_page(file)
            at.run()  # warm-up
        times = []
        for _ in range(3):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
        tap.recording = False
        results[name] = (statistics.median(times), page_failure(at))
    return results


def tracts(db: Path) -> tuple[int, int, int]:
    """(tracts loaded, tracts drawn, bytes of folium's default GeoJSON of the drawn ones)."""
    con = store.connect_readonly(db)
    try:
        covered = con.execute("SELECT DISTINCT geoid FROM crosswalk").df()["geoid"]
        units = store.read_geo(con, "units", "geoid, name")
    finally:
        con.close()
    shown = units[units["geoid"].isin(covered)]
    return len(units), len(shown), len(json.dumps(shown.__geo_interface__).encode())


# --------------------------------------------------------------------------------------------
# 3: the map drawn in Chromium
# --------------------------------------------------------------------------------------------


def one_load(context, url: str) -> tuple[float | None, str]:  # noqa: ANN001
    """Seconds from navigation start until the map iframe holds a drawn path, or the reason
    it did not draw."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{url}/", wait_until="commit")
        deadline = time.monotonic() + DRAW_TIMEOUT_S
        while time.monotonic() < deadline:
            for handle in page.locator(MAP_IFRAME).element_handles():
                frame = handle.content_frame()
                if frame and frame.locator("path.leaflet-interactive").count():
                    return page.evaluate("performance.now()") / 1000, ""
            if errors:
                page.wait_for_timeout(2_000)  # give a late draw its chance, then give up
                if not any(h.content_frame() and h.content_frame().locator(
                        "path.leaflet-interactive").count()
                        for h in page.locator(MAP_IFRAME).element_handles()):
                    return None, "uncaught error: " + re.sub(r"\b(geo_json|\w+)_[0-9a-f]{32}\b",
                                                              r"\1_<hash>", errors[0])
            page.wait_for_timeout(50)
        return None, f"not drawn within {DRAW_TIMEOUT_S:.0f} s"
    finally:
        page.close()


def map_drawn_times(db: Path, tmp: Path) -> tuple[tuple[float | None, str], list[tuple[float | None, str]]]:
    """(the warm-up load, the 3 measured loads)."""
    from playwright.sync_api import sync_playwright

    with appserver.running(appserver.app_env(tmp, db), tmp / "streamlit-pages.log") as server, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(appserver.CHROMIUM),
                                             args=appserver.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        warm_up = one_load(context, server.url)
        loads = [one_load(context, server.url) for _ in range(3)]
        browser.close()
    return warm_up, loads


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def report(name: str, db: Path, tmp: Path, tap: PayloadTap, build_s: float) -> None:
    os.environ["JC_DB"] = str(db)
    os.environ["JC_CERT_DB"] = str(tmp / f"certification-{name}.duckdb")
    loaded, drawn, peer_bytes = tracts(db)
    print(f"\n== {name} (database built in {build_s:.1f} s): the map draws {drawn} of the {loaded} "
          "tracts loaded (those inside the districts) ==")
    tap.sizes.clear()
    times = warm_script_times(tap)
    print(f"{'page':15} {'warm script (median of 3)':>27}   target")
    for page, (seconds, failure) in times.items():
        print(f"{page:15} {seconds:25.3f} s   <= {TARGET_SCRIPT_S:.0f} s  "
              + (f"FAILED: {failure}" if failure else verdict(seconds, TARGET_SCRIPT_S)))

    if tap.sizes:
        first, later = tap.sizes[0] / 1024, tap.sizes[-1] / 1024
        peer = peer_bytes / 1024
        print(f"map payload, neighbourhood: first run {first:.1f} KB, later runs {later:.1f} KB   "
              f"target <= {TARGET_PAYLOAD_KB:.0f} KB (set for Atlanta)  {verdict(later, TARGET_PAYLOAD_KB)}")
        print(f"  peer: folium default GeoJSON of the same {drawn} tracts, unsimplified and unrounded: "
              f"{peer:.1f} KB; ratio ours/peer {first / peer:.2f} (first run), "
              f"{later / peer:.2f} (later runs)")

    if not appserver.CHROMIUM.exists():
        print(f"map drawn in Chromium: skipped: {appserver.CHROMIUM} not found")
        return
    try:
        warm_up, loads = map_drawn_times(db, tmp)
    except ImportError:
        print("map drawn in Chromium: skipped: the playwright package is not installed")
        return
    drawn_s = [s for s, _ in loads if s is not None]
    shown = ", ".join(f"{s:.2f} s" if s is not None else "not drawn" for s, _ in loads)
    line = f"map drawn in Chromium, loads 2-4: {shown}"
    if len(drawn_s) == len(loads):
        median = statistics.median(drawn_s)
        line += (f"; median {median:.2f} s   target <= {TARGET_DRAWN_S:.0f} s  "
                 f"{verdict(median, TARGET_DRAWN_S)}")
    else:
        reasons = sorted({why for s, why in loads if s is None})
        line += f"   target <= {TARGET_DRAWN_S:.0f} s  NOT MET ({'; '.join(reasons)})"
    print(line)
    first_s, first_why = warm_up
    print("  warm-up load (excluded): " + (f"{first_s:.2f} s" if first_s is not None else first_why))


def main() -> None:
    warnings.filterwarnings("ignore")
    # AppTest() itself warns "missing ScriptRunContext" (it sets session state before any run)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
    with tempfile.TemporaryDirectory() as folder, PayloadTap() as tap:
        tmp = Path(folder)
        for name, region in REGIONS.items():
            if name != "sample" and not (SHARED / "SOURCES.md").exists():
                print(f"\n== {name}: skipped: ../shared/data not found ==")
                continue
            db = tmp / f"{name}.duckdb"
            started = time.perf_counter()
            build(region, db)
            report(name, db, tmp, tap, time.perf_counter() - started)


if __name__ == "__main__":
    main()
