"""Build time and peak memory: Sample City, the real Atlanta regions, and what a second period
costs.

Each build runs in a fresh process (so peak RSS is its own). The peer is the bare cost of
reading the same files with geopandas/pandas and nothing else (no validation, no DuckDB): the
ratio says what validation, mapping and the atomic DuckDB write add on top of plain reading.

Periods: the two-period Atlanta region (ACS 2014-2018 on 2010 tracts, 2018-2022 on 2020
tracts: ``atlanta_periods`` without its 2008-2012 layers) is built beside each of its periods
alone. The second period's cost is the two-period build minus the first period's build; it
should be no more than the first's (it adds the carrying of 2010 tracts onto 2020 tracts and
the changes, and reads a smaller tract file).

    .venv/bin/python benchmarks/build.py

Expected on a 2-core machine: sample < 10 s, Atlanta 2010 (1,966 tracts) < 30 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from indicators.ingest.profiles import PERIOD_PROFILES  # noqa: E402 (after the path is set)

REGIONS = {
    "sample": ROOT / "data" / "sample",
    "atlanta_2010": ROOT / "tests" / "regions" / "atlanta_2010",
    "atlanta_2020": ROOT / "tests" / "regions" / "atlanta_2020",
    "atlanta_periods": ROOT / "tests" / "regions" / "atlanta_periods",
}
#: The two periods of the periods benchmark, and the manifest they are cut from.
TWO_PERIODS = ("2014-2018", "2018-2022")

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, region, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
import geopandas, pandas, duckdb  # imports are not timed
from indicators.ingest.manifest import load_manifest
started = time.perf_counter()
if mode == "ours":
    from indicators.store.build import build
    build(region, out)
else:
    import geopandas as gpd, pandas as pd
    for layer in load_manifest(region).layers:
        if layer.path.suffix.lower() in (".csv", ".json", ".txt") and layer.role != "overlay" \
                and not layer.path.name.endswith("geojson"):
            if layer.path.suffix == ".json":
                json.loads(layer.path.read_text())
            else:
                pd.read_csv(layer.path, dtype=str, encoding="utf-8-sig",
                            sep="|" if layer.path.suffix == ".txt" else ",")
        else:
            gpd.read_file(layer.path)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, region: Path, out: Path) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", CHILD, mode, str(region), str(out)],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def cut_manifest(source: Path, periods: tuple[str, ...], out: Path) -> Path:
    """A copy of a manifest keeping only the layers of ``periods`` (and those of every period),
    with absolute paths; a single period loses its ``period`` keys (a one-period region), and a
    file of several periods is read by that period's profile."""
    raw = tomllib.loads((source / "manifest.toml").read_text())
    lines = ["[region]", *(f"{k} = {json.dumps(v)}" for k, v in raw["region"].items())]
    for layer in raw["layer"]:
        if layer.get("period", "") not in ("", *periods):
            continue
        by_period = PERIOD_PROFILES.get(layer.get("profile", ""))
        if by_period is not None:  # one file of several periods: keep the periods kept
            kept = [p for p in periods if p in by_period]
            if not kept:
                continue
            if len(periods) == 1:
                layer = {**layer, "profile": by_period[kept[0]]}
        lines.append("\n[[layer]]")
        for key, value in layer.items():
            if key == "period" and len(periods) == 1:
                continue
            if key == "path":
                value = str((source / value).resolve())
            lines.append(f"{key} = {json.dumps(value)}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.toml").write_text("\n".join(lines) + "\n")
    return out


def periods_benchmark(tmp: Path) -> None:
    """Each period alone, then both: the second period's time and memory against the first's."""
    source = REGIONS["atlanta_periods"]
    runs = {}
    for label, periods in (("first alone", TWO_PERIODS[:1]), ("second alone", TWO_PERIODS[1:]),
                           ("both", TWO_PERIODS)):
        region = cut_manifest(source, periods, tmp / label.replace(" ", "_"))
        runs[label] = run("ours", region, tmp / f"{label.replace(' ', '_')}.duckdb")
    first, both = runs["first alone"], runs["both"]
    second = both["seconds"] - first["seconds"]
    print(f"\nTwo periods of Atlanta ({TWO_PERIODS[0]} on 2010 tracts, {TWO_PERIODS[1]} on 2020 tracts):")
    for label, figures in runs.items():
        print(f"  {label:13} {figures['seconds']:6.2f} s  {figures['peak_mb']:6.0f} MB peak")
    print(f"  the second period adds {second:.2f} s ({second / first['seconds']:.2f}x the first "
          f"period's build) and {both['peak_mb'] - first['peak_mb']:+.0f} MB of peak memory")


def main() -> None:
    print(f"{'region':16} {'build s':>8} {'peak MB':>8} {'read-only peer s':>17} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, region in REGIONS.items():
            if not (region / "manifest.toml").exists() or (
                name != "sample" and not (ROOT.parent / "shared" / "data").exists()):
                print(f"{name:16} skipped: ../shared/data not found")
                continue
            ours = run("ours", region, Path(tmp) / f"{name}.duckdb")
            peer = run("peer", region, Path(tmp) / "unused")
            print(f"{name:16} {ours['seconds']:8.2f} {ours['peak_mb']:8.0f} "
                  f"{peer['seconds']:17.2f} {ours['seconds'] / peer['seconds']:6.1f}x")
        if (ROOT.parent / "shared" / "data").exists():
            periods_benchmark(Path(tmp))


if __name__ == "__main__":
    main()
