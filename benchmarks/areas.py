"""Profiles of "your own area" (any polygon) against tobler.area_interpolate, on a national-size
synthetic region and on real Atlanta.

The national region is ``benchmarks/crosswalk.py``'s 85,000 Voronoi tracts (EPSG:5070), stored
in EPSG:4326 as a built database holds them. Each tract takes every layer's estimates and MOEs,
and its unit rows of ``indicator_values`` (the composites), from a randomly chosen tract of
Sample City's freshly built database (seeded), plus a synthetic CEJST-like layer and the SVI
housing-cost-burden count, so that every registry indicator is computed (with an MOE wherever
the inputs publish one). Sample City's HOLC map is moved to the middle of the region. Prints,
from one run:

1. building the :class:`UnitIndex` (one-off per database build and period), and one hand-drawn
   polygon (a buffered random walk about 6 km across, 24 km2: the synthetic tracts are 4 km2,
   so it touches 10-30 of them) profiled with every indicator, median of 5 runs (target
   <= 0.3 s);
2. 1,000 random polygons (jittered circles of radius 0.5-3 km inside the region) profiled in
   one call with every indicator (target <= 10 s);
3. the peer: ``tobler.area_weighted.area_interpolate`` of two count variables
   (``allocate_total=False``) for the same 1,000 polygons and tracts (EPSG:5070), beside ours
   for the same two variables only (``UnitIndex.weights`` + ``aggregate.sum_counts``, with
   MOEs), median of 3 runs each (target: ours <= 0.5x tobler's); and the full profile's time
   over tobler's two variables;
4. Atlanta on 2010 tracts (real data; skipped with the reason where ``../shared/data`` is
   absent): its database built into a temporary folder, ``AreaProfiler.load`` timed, one
   NPU-sized drawn polygon (median of 5) and 1,000 random polygons (radius 0.5-2 km, centres
   inside the NPUs);
5. peak memory of the process, and the agreement of our two-variable totals with tobler's.

    .venv/bin/python benchmarks/areas.py [--tracts 85000] [--areas 1000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
from benchmarks.crosswalk import synthetic  # noqa: E402
from indicators.config import EQUAL_AREA_CRS  # noqa: E402
from indicators.metrics import aggregate  # noqa: E402
from indicators.metrics.areas import UnitComposites, UnitIndex, profile_areas, to_equal_area  # noqa: E402
from indicators.metrics.inputs import Inputs  # noqa: E402
from indicators.metrics.registry import INDICATORS  # noqa: E402
from indicators.store.areas import AreaProfiler  # noqa: E402
from indicators.store.build import build  # noqa: E402
from indicators.store.database import connect_readonly  # noqa: E402

TARGET_DRAWN_S = 0.3
TARGET_MANY_S = 10.0
TARGET_RATIO = 0.5
#: The two count variables of the peer comparison (ACS layer of the tiled sample).
TWO = ("pop_total", "pov_below_100")
#: The synthetic CEJST-like layer added to the sample's layers (its id is unused there).
CEJST_LAYER = 90


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def timed(fn):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def median_of(n: int, fn):  # noqa: ANN001, ANN201
    """Median of n runs, the fastest and slowest, and the last result."""
    times, result = [], None
    for _ in range(n):
        seconds, result = timed(fn)
        times.append(seconds)
    return statistics.median(times), min(times), max(times), result


# --------------------------------------------------------------------------------------------
# Polygons
# --------------------------------------------------------------------------------------------


def blob(rng: np.random.Generator, x: float, y: float, radius: float) -> shapely.Polygon:
    """An irregular, star-shaped polygon: a circle of ``radius`` with jittered vertices."""
    n = int(rng.integers(12, 48))
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = radius * rng.uniform(0.65, 1.15, n)
    return shapely.Polygon(np.c_[x + radii * np.cos(angles), y + radii * np.sin(angles)])


def random_areas(rng: np.random.Generator, count: int, bounds: tuple[float, float, float, float],
                 r_min: float, r_max: float, inside: shapely.Geometry | None = None) -> gpd.GeoDataFrame:
    """``count`` blobs of radius r_min..r_max (EPSG:5070), centres inside ``bounds`` (and
    inside ``inside`` where given)."""
    xmin, ymin, xmax, ymax = bounds
    if inside is not None:
        shapely.prepare(inside)
    polygons: list[shapely.Polygon] = []
    while len(polygons) < count:
        r = rng.uniform(r_min, r_max)
        x, y = rng.uniform(xmin + r, xmax - r), rng.uniform(ymin + r, ymax - r)
        if inside is not None and not shapely.contains_xy(inside, x, y):
            continue
        polygons.append(blob(rng, x, y, r))
    return gpd.GeoDataFrame({"name": [f"area {i}" for i in range(count)]}, geometry=polygons,
                            crs=EQUAL_AREA_CRS)


def drawn(rng: np.random.Generator, x: float, y: float, steps: int = 14, step: float = 800.0,
          width: float = 1_300.0) -> shapely.Polygon:
    """A hand-drawn-looking polygon: a buffered random walk from (x, y), simplified to the few
    dozen vertices a mouse gives."""
    walk = np.cumsum(np.r_[[[x, y]], rng.normal(0, step, (steps, 2))], axis=0)
    return shapely.LineString(walk).buffer(width, quad_segs=4).simplify(40)


def one(polygon: shapely.Geometry, name: str = "my area") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [name]}, geometry=[polygon], crs=EQUAL_AREA_CRS)


def across_km(polygon: shapely.Geometry) -> float:
    xmin, ymin, xmax, ymax = polygon.bounds
    return max(xmax - xmin, ymax - ymin) / 1000


# --------------------------------------------------------------------------------------------
# The national region: synthetic tracts carrying Sample City's estimates
# --------------------------------------------------------------------------------------------


def full_set(inputs: Inputs, rng: np.random.Generator) -> tuple[dict, dict, list[int], dict, dict, dict]:
    """The sample's layers plus what its period lacks for the rest of the registry: the SVI
    housing-cost-burden count (with an MOE) on the ACS layer and a CEJST-like layer (race
    "alone" shares, life expectancy, the disadvantaged flag; CEJST publishes no MOEs)."""
    est = {k: v.copy() for k, v in inputs.est.items()}
    moe = {k: v.copy() for k, v in inputs.moe.items()}
    acs = inputs.source(("households", "pov_below_100", "pov_universe", "pop_total")).layer_id
    a = est[acs]
    n = len(a)
    under_75k = a[[f"hh_inc_{k:02d}" for k in range(1, 13)]].sum(axis=1)
    burden = np.round(under_75k * rng.uniform(0.35, 0.6, n))
    est[acs]["hh_cost_burden_lt75k"] = burden
    moe[acs]["hh_cost_burden_lt75k"] = np.round(2.2 * np.sqrt(np.maximum(burden, 4.0)))
    pop = a["pop_total"]
    poverty = a["pov_below_100"] / a["pov_universe"]
    cejst = pd.DataFrame({
        "pop_total": pop,
        "share_nh_black": a["pop_nh_black"] / pop,
        "share_nh_asian": a["pop_nh_asian"] / pop,
        "share_nh_white": a["pop_nh_white"] / pop,
        "life_expectancy": np.round(81.0 - 22.0 * poverty + rng.normal(0, 1.2, n), 1),
        "cejst_disadvantaged": ((a["pov_below_200"] / a["pov_universe"]) >= 0.35).astype(float),
    }, index=a.index)
    cejst.columns.name = a.columns.name
    est[CEJST_LAYER] = cejst
    moe[CEJST_LAYER] = pd.DataFrame(np.nan, index=cejst.index, columns=cejst.columns)
    order = [*inputs.layer_order, CEJST_LAYER]
    titles = {**inputs.layer_titles, CEJST_LAYER: "CEJST-like screening values (synthetic)"}
    profiles = {**inputs.layer_profiles, CEJST_LAYER: "cejst"}
    vintages = {**inputs.layer_vintages, CEJST_LAYER: "CEJST 1.0 (2022, synthetic)"}
    return est, moe, order, titles, profiles, vintages


def tile_composites(composites: UnitComposites, pick: np.ndarray) -> UnitComposites:
    """The sample's composite unit values carried onto the synthetic tracts by the same choice
    of sample tract."""
    return UnitComposites({k: (values[pick], method, layer)
                           for k, (values, method, layer) in composites.values.items()})


def national(sample: AreaProfiler, n_tracts: int,
             seed: int = 7) -> tuple[Inputs, UnitComposites, shapely.Polygon]:
    """The synthetic national region's inputs, composite unit values and extent (EPSG:5070)."""
    rng = np.random.default_rng(seed)
    tracts, districts = synthetic(n_tracts, 2_000)
    tracts = tracts[["geoid", "geometry"]]
    geoids = tracts["geoid"].astype(str).to_numpy()
    src = sample.inputs
    pick = rng.integers(0, len(src.units), len(tracts))
    est, moe, order, titles, profiles, vintages = full_set(src, rng)
    index = pd.Index(geoids, name="geoid")
    est = {k: v.iloc[pick].set_axis(index) for k, v in est.items()}
    moe = {k: v.iloc[pick].set_axis(index) for k, v in moe.items()}
    units = gpd.GeoDataFrame({
        "geoid": geoids, "name": [f"Tract {g[-6:]}" for g in geoids],
        "county": [f"County {g[-5:-2]}" for g in geoids], "area_m2": tracts.area.to_numpy(),
    }, geometry=tracts.geometry.to_crs("EPSG:4326").to_numpy(), crs="EPSG:4326")
    districts = districts.assign(name=districts["district_id"], area_m2=districts.area)
    crosswalk = pd.DataFrame({"geoid": [geoids[0]], "district_id": [districts["district_id"].iloc[0]],
                              "weight": [1.0], "area_m2": [units["area_m2"].iloc[0]]})
    # Sample City's HOLC map, moved (in the equal-area CRS) to the middle of the region.
    extent = shapely.box(*tracts.total_bounds)
    overlays = src.overlays.to_crs(EQUAL_AREA_CRS)
    ox, oy = shapely.box(*overlays.total_bounds).centroid.coords[0]
    cx, cy = extent.centroid.coords[0]
    overlays = overlays.set_geometry(overlays.geometry.translate(cx - ox, cy - oy)).to_crs("EPSG:4326")
    inputs = Inputs(units, districts, overlays, order, titles, est, moe, "the nation (synthetic)",
                    crosswalk, profiles, vintages)
    return inputs, tile_composites(sample.composites, pick), extent


def load_profiler(region: Path, out: Path) -> tuple[float, float, AreaProfiler]:
    """Build a region into ``out``; the seconds to build and to load its latest period."""
    t_build, _ = timed(lambda: build(region, out))
    with connect_readonly(out) as con:
        t_load, profiler = timed(lambda: AreaProfiler.load(con))
    return t_build, t_load, profiler


def computed(profile: object) -> tuple[int, int]:
    """Indicators with a value for the first area, and of them those with an MOE."""
    values = profile.values  # type: ignore[attr-defined]
    first = values[values["geo_id"] == values["geo_id"].iloc[0]]
    return first["indicator_id"].nunique(), int(first.loc[first["moe"].notna(), "indicator_id"].nunique())


def row(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:58} {seconds:9.3f} s  {note}")


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracts", type=int, default=85_000)
    parser.add_argument("--areas", type=int, default=1_000)
    args = parser.parse_args()
    from tobler.area_weighted import area_interpolate

    rng = np.random.default_rng(11)
    with tempfile.TemporaryDirectory() as tmp:
        t_sample, t_sample_load, sample = load_profiler(ROOT / "data" / "sample",
                                                        Path(tmp) / "sample.duckdb")
        print(f"Sample City built in {t_sample:.1f} s, its AreaProfiler loaded in {t_sample_load:.2f} s "
              f"({len(sample.inputs.units)} tracts, period {sample.period})")

        # 1. The national region -------------------------------------------------------------
        t_gen, (inputs, composites, extent) = timed(lambda: national(sample, args.tracts))
        print(f"national synthetic region: {len(inputs.units):,} tracts, {len(composites.values)} "
              f"composites' unit values, {sum(f.shape[1] for f in inputs.est.values())} variables in "
              f"{len(inputs.est)} layers ({t_gen:.1f} s to generate)")
        t_index, index = timed(lambda: UnitIndex.of(inputs.units))
        cx, cy = extent.centroid.coords[0]
        mine = one(drawn(np.random.default_rng(3), cx, cy))
        t_drawn, t_lo, t_hi, profile = median_of(
            5, lambda: profile_areas(inputs, composites, index, mine, inputs.region_name))
        n_ind, n_moe = computed(profile)
        summary = profile.summary.iloc[0]
        areas = random_areas(rng, args.areas, extent.bounds, 500.0, 3_000.0)
        t_many, many = timed(lambda: profile_areas(inputs, composites, index, areas, inputs.region_name,
                                                   skip_empty=True))

        # 3. The peer ------------------------------------------------------------------------
        ace = inputs.source(TWO)
        values, moes = np.column_stack([ace.values(v) for v in TWO]), np.column_stack(
            [ace.moes(v) for v in TWO])
        ids = areas["name"].tolist()

        def ours_two() -> np.ndarray:
            weights = index.weights(to_equal_area(areas), ids)
            return aggregate.sum_counts(weights, values, moes)[0]

        source = gpd.GeoDataFrame(dict(zip(TWO, values.T, strict=True)), geometry=index.geometry,
                                  crs=EQUAL_AREA_CRS)

        def peer_two() -> gpd.GeoDataFrame:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return area_interpolate(source, areas, extensive_variables=list(TWO), allocate_total=False)

        t_ours2, *_, totals = median_of(3, ours_two)
        t_peer2, *_, peer = median_of(3, peer_two)
        peer_totals = peer[list(TWO)].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.abs(totals / peer_totals - 1)
        agree = float(np.nanmax(np.where(peer_totals > 0, relative, np.nan)))
        touched = many.summary["units"]

        print(f"\n{'measurement':60} {'seconds':>11}  target")
        print(f"1. national region, {len(inputs.units):,} tracts")
        row("UnitIndex.of (one-off per database build and period)", t_index)
        row(f"one drawn polygon, full profile (median of 5; {t_lo:.3f}-{t_hi:.3f})", t_drawn,
            f"<= {TARGET_DRAWN_S} s  {verdict(t_drawn, TARGET_DRAWN_S)}")
        print(f"     ({across_km(mine.geometry.iloc[0]):.1f} km across, {summary['area_km2']:.1f} km2, "
              f"{len(mine.geometry.iloc[0].exterior.coords) - 1} vertices, touches {summary['units']} "
              f"tracts ({summary['whole_units']} whole); {n_ind} of {len(INDICATORS)} registry "
              f"indicators computed, {n_moe} with an MOE)")
        print(f"2. {args.areas:,} random polygons (radius 0.5-3 km)")
        row("full profile, one call", t_many, f"<= {TARGET_MANY_S:g} s  {verdict(t_many, TARGET_MANY_S)}")
        print(f"     ({len(many.values):,} values; tracts touched per area: median {touched.median():.0f}, "
              f"max {touched.max()}; {len(many.skipped)} skipped as empty)")
        print(f"3. the peer, the same {args.areas:,} polygons, 2 count variables ({', '.join(TWO)})")
        row("ours: UnitIndex.weights + aggregate.sum_counts (median of 3)", t_ours2)
        row("tobler.area_interpolate, allocate_total=False (median of 3)", t_peer2,
            "(geopandas keeps its tree on the tracts between calls)")
        print(f"  {'ratio ours / tobler, 2 variables':58} {t_ours2 / t_peer2:9.2f} x  "
              f"<= {TARGET_RATIO}  {verdict(t_ours2 / t_peer2, TARGET_RATIO)}")
        print(f"  {'ratio ours full profile / tobler 2 variables':58} {t_many / t_peer2:9.2f} x")
        del many, profile

        # 4. Atlanta -------------------------------------------------------------------------
        print("4. Atlanta, 2010 tracts (real data)")
        region = ROOT / "tests" / "regions" / "atlanta_2010"
        if not SHARED.exists() or not (region / "manifest.toml").exists():
            print("  skipped: ../shared/data not found (the real public files sit beside the checkout)")
        else:
            t_build, t_load, atlanta = load_profiler(region, Path(tmp) / "atlanta_2010.duckdb")
            row(f"build the database ({len(atlanta.inputs.units):,} tracts; not a target)", t_build)
            row("AreaProfiler.load (one-off per database build and period)", t_load)
            npus = atlanta.inputs.districts.to_crs(EQUAL_AREA_CRS)
            middle = npus.iloc[(npus.area - npus.area.median()).abs().argsort().iloc[0]]
            shape = drawn(np.random.default_rng(5), *middle.geometry.representative_point().coords[0])
            shape = affinity.scale(shape, *(2 * [np.sqrt(npus.area.median() / shape.area)]))
            npu_area = one(shape)
            t_a1, a_lo, a_hi, a_profile = median_of(5, lambda: atlanta.profile(npu_area))
            a_ind, a_moe = computed(a_profile)
            a_summary = a_profile.summary.iloc[0]
            row(f"one NPU-sized drawn polygon, full profile (median of 5; {a_lo:.3f}-{a_hi:.3f})", t_a1,
                f"<= {TARGET_DRAWN_S} s  {verdict(t_a1, TARGET_DRAWN_S)}")
            print(f"     ({a_summary['area_km2']:.1f} km2 like {middle['name']}, touches "
                  f"{a_summary['units']} tracts; {a_ind} of {len(INDICATORS)} indicators computed, "
                  f"{a_moe} with an MOE)")
            union = shapely.union_all(np.asarray(npus.geometry.array))
            a_areas = random_areas(rng, args.areas, union.bounds, 500.0, 2_000.0, inside=union)
            t_a_many, a_many = timed(lambda: atlanta.profile(a_areas, skip_empty=True))
            row(f"{args.areas:,} random polygons (radius 0.5-2 km in the NPUs), one call", t_a_many,
                f"<= {TARGET_MANY_S:g} s  {verdict(t_a_many, TARGET_MANY_S)}")
            print(f"     (tracts touched per area: median {a_many.summary['units'].median():.0f}, "
                  f"max {a_many.summary['units'].max()})")

    # 5. -------------------------------------------------------------------------------------
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"5. peak memory {peak:,.0f} MB; our 2-variable totals against tobler's: max relative "
          f"difference {agree:.1e} (tobler keeps its areas in float32)")


if __name__ == "__main__":
    main()
