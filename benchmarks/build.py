"""Build time and peak memory: Sample City and the two real Atlanta regions.

Each build runs in a fresh process (so peak RSS is its own). The peer is the bare cost of
reading the same files with geopandas/pandas and nothing else (no validation, no DuckDB): the
ratio says what validation, mapping and the atomic DuckDB write add on top of plain reading.

    .venv/bin/python benchmarks/build.py

Expected on a 2-core machine: sample < 10 s, Atlanta 2010 (1,966 tracts) < 30 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS = {
    "sample": ROOT / "data" / "sample",
    "atlanta_2010": ROOT / "tests" / "regions" / "atlanta_2010",
    "atlanta_2020": ROOT / "tests" / "regions" / "atlanta_2020",
}

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
        if layer.path.suffix.lower() in (".csv", ".json") and layer.role != "overlay" \
                and not layer.path.name.endswith("geojson"):
            if layer.path.suffix == ".json":
                json.loads(layer.path.read_text())
            else:
                pd.read_csv(layer.path, dtype=str, encoding="utf-8-sig")
        else:
            gpd.read_file(layer.path)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, region: Path, out: Path) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", CHILD, mode, str(region), str(out)],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    print(f"{'region':14} {'build s':>8} {'peak MB':>8} {'read-only peer s':>17} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, region in REGIONS.items():
            if not (region / "manifest.toml").exists() or (
                name != "sample" and not (ROOT.parent / "shared" / "data").exists()):
                print(f"{name:14} skipped: ../shared/data not found")
                continue
            ours = run("ours", region, Path(tmp) / f"{name}.duckdb")
            peer = run("peer", region, Path(tmp) / "unused")
            print(f"{name:14} {ours['seconds']:8.2f} {ours['peak_mb']:8.0f} "
                  f"{peer['seconds']:17.2f} {ours['seconds'] / peer['seconds']:6.1f}x")


if __name__ == "__main__":
    main()
