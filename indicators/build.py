"""Reading a whole region and writing ``indicators.duckdb`` atomically.

``read_region`` reads and checks every layer of a manifest, collecting every problem (so one
run reports every broken file); ``build`` writes the database only when there are no errors,
into a new file renamed over the old one at the very end. ``check`` is ``read_region`` without
writing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from indicators import config, store
from indicators.manifest import Layer, Manifest, load_manifest
from indicators.problems import InputError, LayerError, Problem, Problems, sample_list
from indicators.sources import read_layer
from indicators.sources.files import sha256
from indicators.sources.tabular import Extract, roll_up
from indicators.variables import VARIABLES

Progress = Callable[[float, str], None]

# Census layers win over environmental ones when both publish a variable; within a role, the
# manifest order decides.
ROLE_PRIORITY = {"census": 0, "environment": 1}


@dataclass
class LayerRecord:
    """Provenance of one loaded layer (a row of the ``layers`` table)."""

    layer: Layer
    sha256: str
    bytes: int
    rows: int
    rows_loaded: int = 0
    units_covered: int = 0
    variables: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Region:
    """Everything read from a region's files, validated, ready to store."""

    manifest: Manifest
    units: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    overlays: gpd.GeoDataFrame
    estimates: pd.DataFrame
    records: list[LayerRecord]
    problems: Problems

    @property
    def variable_sources(self) -> pd.DataFrame:
        """For each variable, the one layer it is taken from (so no district mixes vintages)."""
        if self.estimates.empty:
            return pd.DataFrame(columns=["variable", "layer_id", "n_units", "has_moe"])
        order = {
            r.layer.index: (ROLE_PRIORITY.get(r.layer.role, 9), r.layer.index)
            for r in self.records
        }
        stats = (
            self.estimates.groupby(["variable", "layer_id"])
            .agg(n_units=("geoid", "nunique"), has_moe=("moe", lambda m: bool(m.notna().any())))
            .reset_index()
        )
        stats["rank"] = stats["layer_id"].map(order)
        chosen = stats.sort_values(["variable", "rank"]).groupby("variable").head(1)
        return chosen.drop(columns="rank").reset_index(drop=True)


@dataclass
class BuildReport:
    """What ``build`` did."""

    path: Path
    seconds: float
    units: int
    districts: int
    estimates: int
    layers: int
    warnings: list[Problem]
    extra: dict[str, int] = field(default_factory=dict)


def read_region(region_dir: Path, progress: Progress | None = None) -> Region:
    """Read and validate every layer of a region.

    Parameters
    ----------
    region_dir : Path
        Folder with ``manifest.toml`` (or the manifest itself).
    progress : callable, optional
        ``progress(fraction, message)`` as layers are read.

    Returns
    -------
    Region

    Raises
    ------
    InputError
        With every problem found, when any is an error.
    """
    problems = Problems()
    manifest = load_manifest(Path(region_dir), problems)
    step = _stepper(progress, len(manifest.layers) + 1)
    data: dict[int, object] = {}
    records: dict[int, LayerRecord] = {}
    for layer in manifest.layers:
        step(f"Reading {layer.label}")
        try:
            result = read_layer(layer, problems)
            rows = _rows(result, layer) if result is not None else 0
        except LayerError as exc:
            problems.error(layer.rel, exc.message, exc.fix, exc.where)
            continue
        if result is None:
            continue
        data[layer.index] = result
        records[layer.index] = LayerRecord(layer, sha256(layer.path), layer.path.stat().st_size,
                                           rows=rows)
    if problems.errors or not _has(manifest, data, "units") or not _has(manifest, data, "districts"):
        raise InputError(problems.items)
    units: gpd.GeoDataFrame = data[manifest.units.index]  # type: ignore[assignment]
    districts: gpd.GeoDataFrame = data[manifest.of_role("districts")[0].index]  # type: ignore
    _check_overlap(manifest, units, districts, problems)
    estimates = _join_tables(manifest, data, records, units, problems)
    overlays = _overlays(manifest, data)
    for layer in manifest.layers:
        if layer.role in ("units", "districts", "overlay") and layer.index in records:
            records[layer.index].rows_loaded = records[layer.index].rows
    if problems.errors:
        raise InputError(problems.items)
    step("Checked every layer")
    return Region(manifest, units, districts, overlays, estimates,
                  [records[i] for i in sorted(records)], problems)


def check(region_dir: Path) -> Problems:
    """Validate a region without writing anything; returns every problem found."""
    try:
        return read_region(region_dir).problems
    except InputError as exc:
        return Problems(list(exc.problems))


def build(region_dir: Path, out: Path | None = None, progress: Progress | None = None) -> BuildReport:
    """Read a region and write its database atomically.

    Parameters
    ----------
    region_dir : Path
        Folder with ``manifest.toml``.
    out : Path, optional
        Database to write (default :func:`indicators.config.indicators_db`).
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    BuildReport

    Raises
    ------
    InputError
        When the inputs have errors; nothing is written and any existing database is
        untouched.
    """
    started = time.perf_counter()
    out = Path(out) if out is not None else config.indicators_db()

    def read_progress(fraction: float, message: str) -> None:
        if progress:
            progress(fraction * 0.6, message)

    region = read_region(region_dir, read_progress)
    if progress:
        progress(0.65, "Writing the database")
    with store.atomic_database(out) as con:
        store.create_schema(con)
        _write(con, region)
        extra = _compute(con, region, progress)
    return BuildReport(
        path=out,
        seconds=time.perf_counter() - started,
        units=len(region.units),
        districts=len(region.districts),
        estimates=len(region.estimates),
        layers=len(region.records),
        warnings=region.problems.warnings,
        extra=extra,
    )


def _compute(con: object, region: Region, progress: Progress | None) -> dict[str, int]:
    """Derived tables: crosswalk, indicator values, equity measures (see engine.py)."""
    from indicators.engine import compute_into

    return compute_into(con, region, progress)


# --------------------------------------------------------------------------------------------


def _stepper(progress: Progress | None, total: int) -> Callable[[str], None]:
    count = {"n": 0}

    def step(message: str) -> None:
        if progress:
            progress(count["n"] / total, message)
        count["n"] += 1

    return step


def _rows(result: object, layer: Layer) -> int:
    if layer.role == "certification":
        return _certification_projects(layer)
    if isinstance(result, Extract):
        return result.rows
    return len(result)  # type: ignore[arg-type]


def _certification_projects(layer: Layer) -> int:
    """Check a certification document and count its projects. The build only checks it: the
    records database is seeded from it by the app (:func:`indicators.records.seed_if_absent`)."""
    from indicators.records_checks import RecordError
    from indicators.records_seed import document_rows
    from indicators.records_store import read_document

    try:
        return len(document_rows(read_document(layer.path))["projects"])
    except RecordError as exc:
        raise LayerError(str(exc), "fix the certification document; the records database is "
                         "created from it.") from None


def _has(manifest: Manifest, data: dict[int, object], role: str) -> bool:
    return all(layer.index in data for layer in manifest.of_role(role))


def _check_overlap(
    manifest: Manifest, units: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, problems: Problems
) -> None:
    ux0, uy0, ux1, uy1 = units.total_bounds
    dx0, dy0, dx1, dy1 = districts.total_bounds
    if dx1 < ux0 or dx0 > ux1 or dy1 < uy0 or dy0 > uy1:
        problems.error(
            manifest.of_role("districts")[0].rel,
            "the districts do not overlap the units at all: one of the two layers has a wrong "
            "coordinate reference system, or they are different places",
            "check both layers' .prj / `crs` in manifest.toml.",
        )


def _join_tables(
    manifest: Manifest,
    data: dict[int, object],
    records: dict[int, LayerRecord],
    units: gpd.GeoDataFrame,
    problems: Problems,
) -> pd.DataFrame:
    level = str(units["level"].iloc[0])
    known = pd.Index(units["geoid"])
    frames = []
    for layer in manifest.layers:
        result = data.get(layer.index)
        if not isinstance(result, Extract):
            continue
        try:
            result = roll_up(result, level)
        except LayerError as exc:
            problems.error(layer.rel, exc.message, exc.fix, exc.where)
            continue
        matched = result.estimates.index.isin(known)
        record = records[layer.index]
        record.notes.extend(result.notes)
        if not matched.any():
            problems.error(
                layer.rel,
                f"none of its {len(matched):,} GEOIDs match a unit (e.g. "
                f"{sample_list(list(result.estimates.index[:3]), 3)} vs units such as "
                f"{sample_list(list(known[:3]), 3)})",
                "check that the file and the units use the same census geography vintage "
                "(2010 and 2020 tracts differ) and the same state.",
            )
            continue
        unmatched = result.estimates.index[~matched]
        if len(unmatched):
            problems.warning(
                layer.rel,
                f"{len(unmatched):,} of {len(matched):,} rows have GEOIDs that match no unit "
                f"(e.g. {sample_list(list(unmatched[:3]), 3)}); they are not loaded",
                "nothing to do if the file covers a larger area than the units.",
            )
            record.notes.append(f"{len(unmatched):,} rows outside the units were not loaded")
        if result.no_moe:
            problems.warning(
                layer.rel,
                f"no margin of error for {len(result.no_moe)} count variables "
                f"({sample_list(result.no_moe, 4)}): their reliability will show as unknown",
                "nothing to do if the source publishes none; otherwise include the MOE columns.",
            )
        kept = Extract(result.level, result.estimates[matched], result.moes[matched], result.rows)
        long = kept.long()
        long["layer_id"] = layer.index
        record.rows_loaded = int(matched.sum())
        record.units_covered = int(matched.sum())
        record.variables = long["variable"].nunique()
        frames.append(long)
    if not frames:
        return pd.DataFrame(columns=["geoid", "variable", "estimate", "moe", "layer_id"])
    return pd.concat(frames, ignore_index=True)


def _overlays(manifest: Manifest, data: dict[int, object]) -> gpd.GeoDataFrame:
    frames = []
    for layer in manifest.of_role("overlay"):
        frame = data.get(layer.index)
        if isinstance(frame, gpd.GeoDataFrame):
            frames.append(frame.assign(layer_id=layer.index))
    if not frames:
        return gpd.GeoDataFrame(
            {"layer_id": [], "kind": [], "category": [], "label": [], "area_m2": []},
            geometry=[], crs=config.STORAGE_CRS,
        )
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=config.STORAGE_CRS)


def _write(con: object, region: Region) -> None:
    manifest = region.manifest
    store.set_meta(con, {
        "region_name": manifest.name,
        "sample": str(manifest.sample).lower(),
        "description": manifest.description,
        "place_label": manifest.place_label or manifest.name.split(",")[0],
        "unit_level": str(region.units["level"].iloc[0]),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": store.SCHEMA_VERSION,
        "manifest_path": str(manifest.path),
    })
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    store.write_frame(con, "layers", pd.DataFrame([
        {
            "layer_id": r.layer.index, "role": r.layer.role, "title": r.layer.label,
            "path": r.layer.rel, "profile": r.layer.profile or "", "level": r.layer.level or "",
            "vintage": r.layer.vintage, "publisher": r.layer.publisher,
            "licence": r.layer.licence, "source_url": r.layer.source_url, "rows": r.rows,
            "rows_loaded": r.rows_loaded, "units_covered": r.units_covered,
            "variables": r.variables, "sha256": r.sha256, "bytes": r.bytes,
            "loaded_at": loaded_at, "notes": "; ".join(dict.fromkeys(r.notes)),
        }
        for r in region.records
    ]))
    store.write_frame(con, "variables", pd.DataFrame(
        [{"variable": v.name, "kind": v.kind, "label": v.label, "unit": v.unit}
         for v in VARIABLES.values()]
    ))
    store.write_frame(con, "units", region.units[
        ["geoid", "level", "name", "county", "area_m2", "geometry"]])
    store.write_frame(con, "districts", region.districts[
        ["district_id", "name", "area_m2", "geometry"]])
    overlays = region.overlays.reset_index(drop=True)
    overlays.insert(0, "overlay_id", range(1, len(overlays) + 1))
    store.write_frame(con, "overlays", overlays[
        ["overlay_id", "layer_id", "kind", "category", "label", "area_m2", "geometry"]])
    store.write_frame(con, "estimates", region.estimates[
        ["geoid", "variable", "estimate", "moe", "layer_id"]])
    store.write_frame(con, "variable_sources", region.variable_sources)
