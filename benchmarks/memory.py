"""Server memory over many page views: does the app's memory stay flat once its caches are warm?

Builds the Sample City database into a temporary folder (or serves ``--db PATH``, e.g. an
Atlanta build), starts ``streamlit run app.py`` on it (:mod:`tests.appserver`) and has headless
Chromium open ``--views`` page URLs (500 by default) in turn: every page, every district
(``?district=<name>``), own areas drawn as random boxes inside the region (``area=`` encoded by
:func:`indicators.present.areas.encode_area`) and combined districts (``parts=``). Each view is
a fresh browser session, as a visitor following a link makes one. The server process's resident
memory (VmRSS of the streamlit process) is read before the first view and every 50 views.

It prints a table of views and RSS, the warm-up (the change over the first 50 views) and the
least-squares slope over the second half in MB per 100 views, with the verdict "flat" when the
slope is under ``FLAT_MB_PER_100`` (the caches are bounded, so after warm-up memory should only
wobble with the allocator; a leak of one cached entry or session per view would show as a steady
climb).

    .venv/bin/python benchmarks/memory.py [--views N] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts benchmarks/ first on the path; drop it so the project's own
# package (imported by the page scripts) is found, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
import shapely  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from indicators.present import queries  # noqa: E402
from indicators.present.areas import encode_area  # noqa: E402
from indicators.store.build import build  # noqa: E402
from indicators.store.database import connect_readonly  # noqa: E402
from tests import appserver  # noqa: E402

SAMPLE_EVERY = 50
FLAT_MB_PER_100 = 2.0
PAGES = ("", "compare", "equity", "portfolio", "project", "methodology", "data")
FIRST_LOAD_TIMEOUT_MS = 180_000
VIEW_TIMEOUT_MS = 60_000
#: The script has finished and stayed finished for this long (as tests/test_browser.py waits).
IDLE_FOR_MS = 300
IDLE_JS = """ms => {
    const app = document.querySelector('.stApp');
    const idle = app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && document.querySelector('[data-testid="stStatusWidget"]') === null;
    if (!idle) { window.__jcIdleSince = null; return false; }
    if (window.__jcIdleSince == null) { window.__jcIdleSince = performance.now(); }
    return performance.now() - window.__jcIdleSince >= ms;
}"""


def rss_mb(pid: int) -> float:
    """The resident memory of a process in MB (VmRSS from /proc; psutil is not installed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def region_facts(db: Path) -> tuple[list[str], tuple[float, float, float, float]]:
    """The district names and the districts' bounds (lon/lat) of a built database."""
    con = connect_readonly(db)
    try:
        districts = queries.districts_geo(con)
    finally:
        con.close()
    west, south, east, north = (float(b) for b in districts.total_bounds)
    return sorted(districts["name"]), (west, south, east, north)


def random_box(rng: random.Random, bounds: tuple[float, float, float, float]) -> str:
    """An encoded box of 5-25 % of the region's width and height, somewhere inside it."""
    west, south, east, north = bounds
    width, height = (east - west) * rng.uniform(0.05, 0.25), (north - south) * rng.uniform(0.05, 0.25)
    x, y = rng.uniform(west, east - width), rng.uniform(south, north - height)
    return encode_area(shapely.box(x, y, x + width, y + height))


def view_urls(names: list[str], bounds: tuple[float, float, float, float], seed: int = 1) -> Iterator[str]:
    """Page URLs (paths with query strings) in an endless, reproducible round: each page, each
    district on the neighbourhood page, a drawn box and a combination of two districts."""
    rng = random.Random(seed)
    quote = urllib.parse.quote_plus
    while True:
        yield from (f"/{page}" for page in PAGES)
        for name in names:
            yield f"/?district={quote(name)}"
            yield (f"/?show=Your+own+area&how=Draw+it+on+the+map&area={quote(random_box(rng, bounds))}"
                   "&name=Box")
        for name, other in zip(names, names[1:] + names[:1], strict=True):
            yield (f"/?show=Your+own+area&how=Combine+tracts+or+districts&parts={quote(name)}"
                   f"&parts={quote(other)}")


def open_view(page: Page, url: str, timeout_ms: int = VIEW_TIMEOUT_MS) -> None:
    """Open a URL and wait until its script has run and the app is idle."""
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=timeout_ms)
    page.wait_for_function(IDLE_JS, arg=IDLE_FOR_MS, timeout=timeout_ms, polling=100)


def slope_per_100(samples: list[tuple[int, float]]) -> float:
    """The least-squares slope of RSS against views, in MB per 100 views."""
    return statistics.linear_regression([v for v, _ in samples], [m for _, m in samples]).slope * 100


def measure(db: Path, views: int, tmp: Path) -> list[tuple[int, float]]:
    """(views, RSS MB) before the first view and every ``SAMPLE_EVERY`` views."""
    names, bounds = region_facts(db)
    urls = view_urls(names, bounds)
    samples: list[tuple[int, float]] = []
    with appserver.running(appserver.app_env(tmp / "data", db), tmp / "streamlit.log") as server, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(appserver.CHROMIUM), args=appserver.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        open_view(page, f"{server.url}/", FIRST_LOAD_TIMEOUT_MS)  # the first run sets up the server
        samples.append((0, rss_mb(server.process.pid)))
        started = time.monotonic()
        for done in range(1, views + 1):
            open_view(page, server.url + next(urls))
            if done % SAMPLE_EVERY == 0 or done == views:
                samples.append((done, rss_mb(server.process.pid)))
                print(f"  {done:4d} views  {samples[-1][1]:7.1f} MB  ({time.monotonic() - started:.0f} s)",
                      flush=True)
        browser.close()
    return samples


def report(samples: list[tuple[int, float]]) -> None:
    """The table, the warm-up and the slope over the second half with its verdict."""
    print(f"\n{'views':>6}  {'RSS MB':>8}")
    for done, mb in samples:
        print(f"{done:6d}  {mb:8.1f}")
    views = samples[-1][0]
    first = [s for s in samples if s[0] <= SAMPLE_EVERY]
    print(f"\nwarm-up (views 0-{first[-1][0]}): {first[-1][1] - first[0][1]:+.1f} MB")
    second = [s for s in samples if s[0] >= views / 2]
    if len(second) < 2:
        print("too few samples for a slope; run more views")
        return
    slope = slope_per_100(second)
    verdict = "flat" if slope < FLAT_MB_PER_100 else "GROWING"
    print(f"second half (views {second[0][0]}-{views}): {slope:+.2f} MB per 100 views -> {verdict} "
          f"(flat means under {FLAT_MB_PER_100:g} MB per 100 views)")
    print(f"start {samples[0][1]:.1f} MB, end {samples[-1][1]:.1f} MB")


def main() -> None:
    """Parse the flags, build Sample City unless ``--db`` is given, measure and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=500, help="page views to make (default 500)")
    parser.add_argument("--db", type=Path, help="a built database to serve (default: build Sample City)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jc-memory-") as folder:
        tmp = Path(folder)
        db = args.db
        if db is None:
            db = tmp / "indicators.duckdb"
            print("building Sample City ...", flush=True)
            build(ROOT / "data" / "sample", db)
        print(f"serving {db}; {args.views} page views, RSS every {SAMPLE_EVERY}", flush=True)
        report(measure(db.resolve(), args.views, tmp))


if __name__ == "__main__":
    main()
