"""How cost grows with the region: synthetic regions of 1,000, 10,000 and 85,000 tracts (the
country), beside Sample City (420 tracts), the named peer every ratio is taken against.

For each size this writes the region (``python -m indicators sample OUT --tracts N
--block-groups 2.8 N --districts N / 42``), then prints:

1. **Build**: wall time and peak memory of ``python -m indicators build`` in its own process
   (``os.wait4``'s ``ru_maxrss``, the resident high-water mark; targets at 85,000 tracts:
   <= 5 min, <= 6 GB; peaks are printed in GiB, 2^30 bytes).
2. **Pages**: each page's warm script time (``streamlit.testing.v1.AppTest``, median of 3 runs
   after a warm-up; target <= 1 s) and the bytes of every map it sends (the ``st_folium``
   arguments, serialised as Streamlit does; target <= 400 KB), in a fresh process per size.
3. **First page after a server start**: ``streamlit run app.py`` on the database, then headless
   Chromium opens "/" and the time runs from navigation start until the map holds a drawn shape
   (target <= 5 s); the seconds until the server answered are printed beside it.

It ends with the least-squares cost per 1,000 tracts of build time, peak memory and each page's
warm time over the synthetic sizes, so that a regression shows as a changed slope rather than a
slower single run.

    .venv/bin/python benchmarks/scale.py                 # 1k, 10k, 85k (about 15 minutes)
    .venv/bin/python benchmarks/scale.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
from tests import appserver  # noqa: E402

PYTHON = sys.executable
SIZES = (1_000, 10_000, 85_000)
BLOCK_GROUPS_PER_TRACT = 240_000 / 85_000
TRACTS_PER_DISTRICT = 42.5
TARGETS = {"build_s": 300.0, "peak_gb": 6.0, "script_s": 1.0, "payload_kb": 400.0, "first_s": 5.0}
#: The pages measured, by file (the landing page first).
PAGES = ("pages/neighbourhood.py", "pages/compare.py", "pages/equity.py", "pages/portfolio.py",
         "pages/project.py", "pages/methodology.py", "pages/data.py")


def page_bench():  # noqa: ANN201
    """benchmarks/pages.py (its payload tap and browser load), imported under another name:
    as ``pages`` it would shadow the app's own ``pages`` package."""
    spec = importlib.util.spec_from_file_location("page_bench", ROOT / "benchmarks" / "pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# Build: a fresh process each, its own peak memory
# --------------------------------------------------------------------------------------------


def run_measured(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident GiB) of one command run to completion."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args[1:4])} failed:\n{process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024 / 1024  # KiB -> GiB


def write_region(tracts: int, out: Path) -> float:
    args = [PYTHON, "-m", "indicators", "sample", str(out), "--tracts", str(tracts),
            "--block-groups", str(round(tracts * BLOCK_GROUPS_PER_TRACT)),
            "--districts", str(max(2, round(tracts / TRACTS_PER_DISTRICT)))]
    return run_measured(args)[0]


# --------------------------------------------------------------------------------------------
# Pages: AppTest in a fresh process per database (``--pages DB`` prints JSON)
# --------------------------------------------------------------------------------------------


def measure_pages(db: Path, region: Path | None, records: Path) -> dict[str, dict[str, object]]:
    """Each page's warm script time and map payloads, measured in this process."""
    import logging

    from streamlit.testing.v1 import AppTest

    warnings.filterwarnings("ignore")
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
    os.environ["JC_DB"] = str(db)
    os.environ["JC_CERT_DB"] = str(records)
    if region is not None:
        os.environ["JC_REGION"] = str(region)
    bench = page_bench()
    results: dict[str, dict[str, object]] = {}
    with bench.PayloadTap() as tap:
        tap.recording = True
        for file in PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            tap.sizes.clear()
            started = time.perf_counter()
            at.run()
            if file != PAGES[0]:
                at.switch_page(file)
                started = time.perf_counter()
                at.run()
            first = time.perf_counter() - started
            times = []
            for _ in range(3):
                tap.sizes.clear()
                started = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - started)
            results[Path(file).stem] = {"first_s": first, "warm_s": statistics.median(times),
                                        "payload_kb": max(tap.sizes, default=0) / 1024,
                                        "failure": bench.page_failure(at)}
    return results


def pages_in_subprocess(db: Path, region: Path | None, tmp: Path) -> dict[str, dict[str, object]]:
    args = [PYTHON, str(Path(__file__).resolve()), "--pages", str(db),
            "--records", str(tmp / f"records-{db.stem}.duckdb")]
    if region is not None:
        args += ["--region", str(region)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"page measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def first_page(db: Path, region: Path | None, tmp: Path) -> tuple[float, float | None, str]:
    """(seconds until the server answered, seconds until "/" drew its map, why it did not)."""
    from playwright.sync_api import sync_playwright

    bench = page_bench()
    env = appserver.app_env(tmp / f"server-{db.stem}", db)
    (tmp / f"server-{db.stem}").mkdir(exist_ok=True)
    if region is not None:
        env["JC_REGION"] = str(region)
    started = time.perf_counter()
    with appserver.running(env, tmp / f"streamlit-{db.stem}.log") as server, \
            sync_playwright() as playwright:
        ready = time.perf_counter() - started
        browser = playwright.chromium.launch(executable_path=str(appserver.CHROMIUM),
                                             args=appserver.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        seconds, why = bench.one_load(context, server.url)
        browser.close()
    return ready, seconds, why


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def ok(value: float | None, target: float) -> str:
    return "not measured" if value is None else ("ok" if value <= target else "OVER TARGET")


def slope(sizes: list[int], values: list[float]) -> float:
    """Least-squares cost per 1,000 tracts."""
    if len(sizes) < 2:
        return float("nan")
    return float(np.polyfit(np.asarray(sizes) / 1000, values, 1)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--pages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--region", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--records", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pages:
        print(json.dumps(measure_pages(args.pages, args.region, args.records)))
        return
    print(f"machine: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"peer: Sample City ({ROOT / 'data' / 'sample'})")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        regions: list[tuple[str, int, Path]] = [("Sample City", 420, ROOT / "data" / "sample")]
        for n in args.sizes:
            out = tmp / f"tracts-{n}"
            seconds = write_region(n, out)
            print(f"wrote {n:,} tracts in {seconds:.1f} s")
            regions.append((f"{n:,} tracts", n, out))
        for name, n, region in regions:
            db = tmp / f"{n}.duckdb"
            build_s, peak_gb = run_measured([PYTHON, "-m", "indicators", "build", str(region),
                                             "--out", str(db)])
            print(f"\n== {name}: build {build_s:.1f} s, peak {peak_gb:.2f} GiB ==", flush=True)
            pages = pages_in_subprocess(db, region, tmp)
            for page, got in pages.items():
                print(f"  {page:13} warm {got['warm_s']:6.3f} s ({ok(got['warm_s'], TARGETS['script_s'])})"
                      f"   first run {got['first_s']:6.2f} s   map {got['payload_kb']:7.1f} KB "
                      f"({ok(got['payload_kb'], TARGETS['payload_kb']) if got['payload_kb'] else 'no map'})"
                      + (f"   FAILED: {got['failure']}" if got["failure"] else ""), flush=True)
            ready, first, why = (first_page(db, region, tmp) if appserver.CHROMIUM.exists()
                                 else (float("nan"), None, "no chromium"))
            print(f"  first page after a server start: {first:.2f} s ({ok(first, TARGETS['first_s'])}); "
                  f"server answered after {ready:.1f} s" if first is not None
                  else f"  first page after a server start: not drawn ({why})", flush=True)
            rows.append({"name": name, "n": n, "build_s": build_s, "peak_gb": peak_gb,
                         "first_s": first, "pages": pages})
    peer = rows[0]
    print("\n== summary (ratio = this size / Sample City) ==")
    print(f"{'region':14} {'build s':>8} {'ratio':>6} {'peak GiB':>8} {'ratio':>6} "
          f"{'worst warm page s':>18} {'largest map KB':>15} {'first page s':>13}")
    for row in rows:
        worst = max(p["warm_s"] for p in row["pages"].values())
        largest = max(p["payload_kb"] for p in row["pages"].values())
        print(f"{row['name']:14} {row['build_s']:8.1f} {row['build_s'] / peer['build_s']:6.1f} "
              f"{row['peak_gb']:8.2f} {row['peak_gb'] / peer['peak_gb']:6.1f} {worst:18.3f} "
              f"{largest:15.1f} {row['first_s'] if row['first_s'] is not None else float('nan'):13.2f}")
    synthetic = rows[1:]
    sizes = [r["n"] for r in synthetic]
    print("\n== cost per 1,000 tracts (least squares over the synthetic sizes) ==")
    print(f"build time   {slope(sizes, [r['build_s'] for r in synthetic]):8.2f} s")
    print(f"peak memory  {slope(sizes, [r['peak_gb'] * 1024 for r in synthetic]):8.1f} MB")
    for page in synthetic[0]["pages"] if synthetic else ():
        per = slope(sizes, [r["pages"][page]["warm_s"] * 1000 for r in synthetic])
        print(f"{page:12} {per:8.2f} ms warm")
    if synthetic:
        largest = synthetic[-1]
        print(f"\nat {largest['name']}: build {ok(largest['build_s'], TARGETS['build_s'])} "
              f"(<= 5 min), peak memory {ok(largest['peak_gb'], TARGETS['peak_gb'])} (<= 6 GB)")


if __name__ == "__main__":
    main()
