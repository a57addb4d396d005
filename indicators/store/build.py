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
from indicators.metrics.engine import Results, compute_values
from indicators.metrics.equity import equity_tables
from indicators.metrics.inputs import Inputs
from indicators.metrics.variables import VARIABLES
from indicators.problems import InputError, LayerError, Problem, Problems
from indicators.store import schema
from indicators.store.database import connect_readonly


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
    with NewDatabase(out) as con:
        schema.create_schema(con)
        _write_region(con, region)
        if progress:
            progress(0.7, "Computing indicators")
        inputs = region_inputs(region)
        results = compute_values(inputs)
        if progress:
            progress(0.9, "Computing equity measures")
        _write_results(con, results, equity_tables(inputs, results))
    return BuildReport(
        path=out,
        seconds=time.perf_counter() - started,
        units=len(region.units),
        districts=len(region.districts),
        estimates=len(region.estimates),
        layers=len(region.records),
        warnings=region.problems.warnings,
        extra={"indicator values": len(results.values), "crosswalk pairs": len(results.crosswalk)},
    )


def region_inputs(region: Region) -> Inputs:
    """The engine's inputs from a freshly read region (the crosswalk is computed here)."""
    return Inputs.from_long(region.units, region.districts, region.overlays, region.estimates,
                            region.layer_table(), region.manifest.name)


def compute(db_or_region: str | Path) -> pd.DataFrame:
    """Indicator values for a built database, or for a region folder (computed in memory).

    Parameters
    ----------
    db_or_region : str or Path
        An ``indicators.duckdb`` file, or a folder holding ``manifest.toml``.

    Returns
    -------
    pandas.DataFrame
        Columns: geo_kind (unit / district / region), geo_id, indicator_id, value, moe, cv,
        reliability, numerator, denominator, percentile, n_units, coverage, method, layer_id.
    """
    path = Path(db_or_region)
    if path.is_dir():
        return compute_values(region_inputs(read_region(path, checks=CHECKS))).values
    with connect_readonly(path) as con:
        return con.execute("SELECT * FROM indicator_values").df()


def _write_region(con: duckdb.DuckDBPyConnection, region: Region) -> None:
    manifest = region.manifest
    schema.set_meta(con, {
        "region_name": manifest.name,
        "sample": str(manifest.sample).lower(),
        "description": manifest.description,
        "place_label": manifest.place_label or manifest.name.split(",")[0],
        "unit_level": str(region.units["level"].iloc[0]),
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
        }
        for r in region.records
    ]))
    schema.write_frame(con, "variables", pd.DataFrame(
        [{"variable": v.name, "kind": v.kind, "label": v.label, "unit": v.unit}
         for v in VARIABLES.values()]
    ))
    schema.write_frame(con, "units", region.units[
        ["geoid", "level", "name", "county", "area_m2", "geometry"]])
    schema.write_frame(con, "districts", region.districts[
        ["district_id", "name", "area_m2", "geometry"]])
    overlays = region.overlays.reset_index(drop=True)
    overlays.insert(0, "overlay_id", range(1, len(overlays) + 1))
    schema.write_frame(con, "overlays", overlays[
        ["overlay_id", "layer_id", "kind", "category", "label", "area_m2", "geometry"]])
    schema.write_frame(con, "estimates", region.estimates[
        ["geoid", "variable", "estimate", "moe", "layer_id"]])
    schema.write_frame(con, "variable_sources", region.variable_sources)


def _write_results(con: duckdb.DuckDBPyConnection, results: Results,
                   equity: dict[str, pd.DataFrame]) -> None:
    """The derived tables: ``crosswalk``, ``indicator_values``, ``indicator_availability``,
    ``unit_burdens`` and the equity tables."""
    for name, frame in {"crosswalk": results.crosswalk, "indicator_values": results.values,
                        "indicator_availability": results.availability,
                        "unit_burdens": results.unit_burdens, **equity}.items():
        schema.create_table(con, name, frame)
