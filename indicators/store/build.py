"""The build pipeline: a region's files -> ``ingest`` -> ``metrics`` -> ``indicators.duckdb``.

``build`` reads and checks every layer (:func:`indicators.ingest.region.read_region`, with the
certification document checked by :mod:`indicators.certification`), writes the database only
when there are no errors, into a new file renamed over the old one at the very end
(:class:`indicators.atomic.NewDatabase`), so a failed build leaves the previous database serving.
``check`` is the same reading without writing. ``compute`` is the notebook API::

    import indicators
    values = indicators.compute("data/indicators.duckdb")   # or a region folder
    values.query("geo_kind == 'district' and indicator_id == 'rent_burden'")
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from indicators import config
from indicators.atomic import NewDatabase
from indicators.certification.checks import RecordError
from indicators.certification.seed import count_projects
from indicators.ingest.layer import Layer
from indicators.ingest.region import Progress, Region, read_region
from indicators.metrics.variables import VARIABLES
from indicators.problems import InputError, LayerError, Problem, Problems
from indicators.store import schema
from indicators.store.database import connect_readonly
from indicators.store.periods import compare_periods, compute_periods, region_inputs, stacked


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


def _certification_rows(layer: Layer) -> int:
    """Check a certification document and count its projects. The build only checks it: the
    records database is created from it by the app
    (:func:`indicators.certification.seed.seed_if_absent`)."""
    try:
        return count_projects(layer.path)
    except RecordError as exc:
        raise LayerError(str(exc), "fix the certification document; the records database is "
                         "created from it.") from None


#: Content checks :func:`read_region` runs for the roles it does not read itself.
CHECKS = {"certification": _certification_rows}


def check(region_dir: Path) -> Problems:
    """Validate a region without writing anything; returns every problem found."""
    try:
        return read_region(region_dir, checks=CHECKS).problems
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

    region = read_region(region_dir, read_progress, checks=CHECKS)
    if progress:
        progress(0.65, "Writing the database")
    def compute_progress(fraction: float, message: str) -> None:
        if progress:
            progress(0.7 + fraction * 0.2, message)

    with NewDatabase(out) as con:
        schema.create_schema(con)
        _write_region(con, region)
        computed = compute_periods(region, compute_progress)
        # Written, and turned into each period's inputs: the long estimates (16 million rows for
        # a two-period national region) are let go before the periods are compared.
        n_estimates = len(region.estimates)
        region.estimates = region.estimates.iloc[:0]
        if progress:
            progress(0.9, "Comparing periods" if len(computed) > 1 else "Writing the results")
        # Each period's tables are written (and let go) before the periods are compared: a
        # national region's stacked tables and its change table are each over a gigabyte.
        rows: dict[str, int] = {}
        for name, frame in stacked(computed):
            schema.create_table(con, name, frame)
            rows[name] = len(frame)
        for name, frame in zip(("changes", "gap_changes"), compare_periods(region, computed),
                               strict=True):
            schema.create_table(con, name, frame)
            rows[name] = len(frame)
    return BuildReport(
        path=out,
        seconds=time.perf_counter() - started,
        units=len(region.units),
        districts=len(region.districts),
        estimates=n_estimates,
        layers=len(region.records),
        warnings=region.problems.warnings,
        extra={"indicator values": rows["indicator_values"],
               "crosswalk pairs": rows["crosswalk"],
               **({"periods": len(computed), "changes": rows["changes"]}
                  if len(computed) > 1 else {})},
    )


__all__ = ["BuildReport", "CHECKS", "build", "check", "compute", "region_inputs"]


def compute(db_or_region: str | Path) -> pd.DataFrame:
    """Indicator values for a built database, or for a region folder (computed in memory).

    Parameters
    ----------
    db_or_region : str or Path
        An ``indicators.duckdb`` file, or a folder holding ``manifest.toml``.

    Returns
    -------
    pandas.DataFrame
        Columns: period ("" where the region names none), geo_kind (unit / district / region),
        geo_id, indicator_id, value, moe, cv, reliability, numerator, denominator, percentile,
        n_units, coverage, method, layer_id.
    """
    path = Path(db_or_region)
    if path.is_dir():
        return dict(stacked(compute_periods(read_region(path, checks=CHECKS))))["indicator_values"]
    with connect_readonly(path) as con:
        return con.execute("SELECT * FROM indicator_values").df()


def _write_region(con: duckdb.DuckDBPyConnection, region: Region) -> None:
    manifest = region.manifest
    schema.set_meta(con, {
        "region_name": manifest.name,
        "sample": str(manifest.sample).lower(),
        "description": manifest.description,
        "place_label": manifest.place_label or manifest.name.split(",")[0],
        "unit_level": str(region.units["level"].iloc[-1]),
        "periods": json.dumps(list(region.periods)),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": schema.SCHEMA_VERSION,
        "manifest_path": str(manifest.path),
    })
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    schema.write_frame(con, "layers", pd.DataFrame([
        {
            "layer_id": r.layer.index, "role": r.layer.role, "title": r.layer.label,
            "path": r.layer.rel, "profile": r.layer.profile or "", "level": r.layer.level or "",
            "vintage": r.layer.vintage, "publisher": r.layer.publisher,
            "licence": r.layer.licence, "source_url": r.layer.source_url, "rows": r.rows,
            "rows_loaded": r.rows_loaded, "units_covered": r.units_covered,
            "variables": r.variables, "sha256": r.sha256, "bytes": r.bytes,
            "loaded_at": loaded_at, "notes": "; ".join(dict.fromkeys(r.notes)),
            "period": r.layer.period, "downloaded_at": r.layer.downloaded,
        }
        for r in region.records
    ]))
    schema.write_frame(con, "variables", pd.DataFrame(
        [{"variable": v.name, "kind": v.kind, "label": v.label, "unit": v.unit}
         for v in VARIABLES.values()]
    ))
    extent = ["min_lon", "min_lat", "max_lon", "max_lat"]
    schema.write_frame(con, "units", schema.with_extent(region.units)[
        ["period", "geoid", "level", "name", "county", "area_m2", *extent, "geometry"]])
    schema.write_frame(con, "districts", schema.with_extent(region.districts)[
        ["district_id", "name", "area_m2", *extent, "geometry"]])
    overlays = region.overlays.reset_index(drop=True)
    overlays.insert(0, "overlay_id", range(1, len(overlays) + 1))
    schema.write_frame(con, "overlays", overlays[
        ["overlay_id", "layer_id", "kind", "category", "label", "area_m2", "geometry"]])
    schema.write_frame(con, "estimates", region.estimates[
        ["period", "geoid", "variable", "estimate", "moe", "layer_id"]])
    schema.write_frame(con, "variable_sources", region.variable_sources)
