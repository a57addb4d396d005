"""Reading a whole region: every layer of its manifest read, checked and joined into the
canonical tables (units, districts, overlays, long estimates) with each file's provenance.

:func:`read_region` collects every problem before it gives up, so that one run reports every
broken file; it writes nothing. Storing the result is :mod:`indicators.store.build`'s work.

``read_layer`` dispatches one layer on its role and profile:

- ``units``     -> :func:`~indicators.ingest.geography.read_units` (tracts or block groups)
- ``districts`` -> :func:`~indicators.ingest.geography.read_districts`
- ``overlay``   -> :func:`~indicators.ingest.geography.read_holc`
- ``census`` / ``environment`` -> :func:`~indicators.ingest.tabular.extract` through a profile
  of :mod:`indicators.ingest.profiles` (an :class:`~indicators.ingest.tabular.Extract`)
- ``certification`` -> only checked to exist here; its content is checked by
  :mod:`indicators.certification` when the region is built
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from indicators import config
from indicators.ingest.files import check_file, read_table, sha256
from indicators.ingest.geography import read_districts, read_holc, read_units
from indicators.ingest.layer import Layer
from indicators.ingest.manifest import Manifest, load_manifest
from indicators.ingest.profiles import TABLE_PROFILES
from indicators.ingest.rollup import roll_up
from indicators.ingest.tabular import Extract, extract
from indicators.metrics.inputs import ROLE_PRIORITY
from indicators.problems import InputError, LayerError, Problems, sample_list

Progress = Callable[[float, str], None]
#: What one layer reads into: geometry (units, districts, overlays), a table's canonical
#: variables (census, environment), or nothing to keep (certification: checked, not stored).
LayerData = gpd.GeoDataFrame | Extract | None
#: A check of a layer's content beyond this package's readers, returning its row count and
#: raising :class:`~indicators.problems.LayerError` when the content is wrong.
ContentCheck = Callable[[Layer], int]

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

    def layer_table(self) -> pd.DataFrame:
        """``layer_id``, ``role``, ``title``, ``profile``, ``vintage`` of every layer read, in
        manifest order."""
        return pd.DataFrame([{"layer_id": r.layer.index, "role": r.layer.role,
                              "title": r.layer.label, "profile": r.layer.profile or "",
                              "vintage": r.layer.vintage} for r in self.records],
                            columns=["layer_id", "role", "title", "profile", "vintage"])


def read_region(region_dir: Path, progress: Progress | None = None,
                checks: Mapping[str, ContentCheck] | None = None) -> Region:
    """Read and validate every layer of a region.

    Parameters
    ----------
    region_dir : Path
        Folder with ``manifest.toml`` (or the manifest itself).
    progress : callable, optional
        ``progress(fraction, message)`` as layers are read.
    checks : mapping of role to callable, optional
        Content checks for roles this package does not read itself (the builder passes the
        certification document's check); their problems are reported with every other one.

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
    checks = checks or {}
    data: dict[int, LayerData] = {}
    records: dict[int, LayerRecord] = {}
    for layer in manifest.layers:
        step(f"Reading {layer.label}")
        try:
            result = read_layer(layer, problems)
            rows = checks[layer.role](layer) if layer.role in checks else _rows(result)
        except LayerError as exc:
            problems.error(layer.rel, exc.message, exc.fix, exc.where)
            continue
        if result is None and layer.role != "certification":
            continue
        data[layer.index] = result
        records[layer.index] = LayerRecord(layer, sha256(layer.path), layer.path.stat().st_size,
                                           rows=rows)
    if problems.errors or not _has(manifest, data, "units") or not _has(manifest, data, "districts"):
        raise InputError(problems.items)
    units = data[manifest.units.index]
    districts = data[manifest.of_role("districts")[0].index]
    if not isinstance(units, gpd.GeoDataFrame) or not isinstance(districts, gpd.GeoDataFrame):
        raise InputError(problems.items)  # unreachable: both roles read into geometry
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


# --------------------------------------------------------------------------------------------


def _stepper(progress: Progress | None, total: int) -> Callable[[str], None]:
    count = {"n": 0}

    def step(message: str) -> None:
        if progress:
            progress(count["n"] / total, message)
        count["n"] += 1

    return step


def _rows(result: LayerData) -> int:
    if result is None:
        return 0
    if isinstance(result, Extract):
        return result.rows
    return len(result)


def _has(manifest: Manifest, data: dict[int, LayerData], role: str) -> bool:
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
    data: dict[int, LayerData],
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


def _overlays(manifest: Manifest, data: dict[int, LayerData]) -> gpd.GeoDataFrame:
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


def read_layer(layer: Layer, problems: Problems) -> LayerData:
    """Read one layer; problems go to ``problems``, a layer that cannot be read at all raises
    :class:`~indicators.problems.LayerError`. Returns None when the layer has errors (and for a
    certification layer, which is only checked to exist here)."""
    if layer.role == "units":
        return read_units(layer, problems)
    if layer.role == "districts":
        return read_districts(layer, problems)
    if layer.role == "overlay":
        return read_holc(layer, problems)
    if layer.role == "certification":
        check_file(layer.path)
        return None
    profile = TABLE_PROFILES[layer.profile or "generic"]
    return extract(read_table(layer.path), layer, profile, problems)
