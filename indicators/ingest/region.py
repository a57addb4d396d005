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
- ``relationship`` -> :func:`~indicators.ingest.relationship.read_relationship`, then tied to
  the two periods whose units its GEOIDs are (:func:`~indicators.ingest.relationship.match_periods`)

A region may hold several periods (see :mod:`indicators.ingest.manifest`): each period's
units are read from its own layer, each census or environment layer is matched to its own
period's units, and the districts, overlays and certification belong to every period. The
canonical tables carry a ``period`` column (``""`` where the manifest names none).
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
from indicators.ingest.manifest import Manifest, check_census_each_period, load_manifest
from indicators.ingest.profiles import TABLE_PROFILES
from indicators.ingest.relationship import Relationship, match_periods, read_relationship
from indicators.ingest.rollup import roll_up
from indicators.ingest.tabular import Extract, extract
from indicators.metrics.inputs import ROLE_PRIORITY
from indicators.problems import InputError, LayerError, Problems, sample_list

Progress = Callable[[float, str], None]
#: What one layer reads into: geometry (units, districts, overlays), a table's canonical
#: variables (census, environment), a relationship file's pairs, or nothing to keep
#: (certification: checked, not stored).
LayerData = gpd.GeoDataFrame | Extract | tuple[pd.DataFrame, str] | None
#: A layer's GEOIDs belong to another period's units when they cover at least this much more of
#: that period's units than of their own period's.
OTHER_PERIOD_MARGIN = 0.25
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
    #: Every period's units, with a ``period`` column.
    units: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    overlays: gpd.GeoDataFrame
    #: Long estimates (geoid, variable, estimate, moe, layer_id, period).
    estimates: pd.DataFrame
    records: list[LayerRecord]
    problems: Problems
    relationships: list[Relationship] = field(default_factory=list)

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods, oldest first (``("",)`` where the manifest names none)."""
        return self.manifest.periods

    def units_of(self, period: str) -> gpd.GeoDataFrame:
        """One period's units."""
        return self.units[self.units["period"] == period].reset_index(drop=True)

    def estimates_of(self, period: str) -> pd.DataFrame:
        """One period's long estimates."""
        return self.estimates[self.estimates["period"] == period].reset_index(drop=True)

    @property
    def variable_sources(self) -> pd.DataFrame:
        """For each period and variable, the one layer it is taken from (so no district mixes
        vintages)."""
        columns = ["period", "variable", "layer_id", "n_units", "has_moe"]
        if self.estimates.empty:
            return pd.DataFrame(columns=columns)
        order = {
            r.layer.index: (ROLE_PRIORITY.get(r.layer.role, 9), r.layer.index)
            for r in self.records
        }
        stats = (
            self.estimates.groupby(["period", "variable", "layer_id"])
            .agg(n_units=("geoid", "nunique"), has_moe=("moe", lambda m: bool(m.notna().any())))
            .reset_index()
        )
        stats["rank"] = stats["layer_id"].map(order)
        chosen = stats.sort_values(["period", "variable", "rank"]).groupby(["period", "variable"]).head(1)
        return chosen[columns].reset_index(drop=True)

    def layer_table(self, period: str | None = None) -> pd.DataFrame:
        """``layer_id``, ``role``, ``title``, ``profile``, ``vintage``, ``period`` of every layer
        read (of one period and those of every period, when ``period`` is given), in manifest
        order."""
        records = [r for r in self.records
                   if period is None or r.layer.period in ("", period)]
        return pd.DataFrame([{"layer_id": r.layer.index, "role": r.layer.role,
                              "title": r.layer.label, "profile": r.layer.profile or "",
                              "vintage": r.layer.vintage, "period": r.layer.period}
                             for r in records],
                            columns=["layer_id", "role", "title", "profile", "vintage", "period"])


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
        records[layer.index] = record = LayerRecord(layer, sha256(layer.path), layer.path.stat().st_size,
                                                    rows=rows)
        if layer.sha256 and layer.sha256 != record.sha256:
            problems.warning(layer.rel, f"the file has changed since it was downloaded on "
                             f"{layer.downloaded or 'the date the manifest gives'} (its SHA-256 differs "
                             "from the manifest's)", "run `python -m indicators fetch` again to "
                             "download it afresh, or remove the manifest's sha256 line if the change "
                             "was made on purpose.")
            record.notes.append("changed since it was downloaded")
    if problems.errors or not _has(manifest, data, "units") or not _has(manifest, data, "districts"):
        raise InputError(problems.items)
    units = _units(manifest, data)
    districts = data[manifest.of_role("districts")[0].index]
    if not isinstance(districts, gpd.GeoDataFrame):
        raise InputError(problems.items)  # unreachable: districts read into geometry
    for period in manifest.periods:
        _check_overlap(manifest, period, units[units["period"] == period], districts, problems)
    estimates = _join_tables(manifest, data, records, units, problems)
    relationships = _relationships(manifest, data, units, problems)
    overlays = _overlays(manifest, data)
    for layer in manifest.layers:
        if layer.role in ("units", "districts", "overlay") and layer.index in records:
            records[layer.index].rows_loaded = records[layer.index].rows
    if problems.errors:
        raise InputError(problems.items)
    step("Checked every layer")
    return Region(manifest, units, districts, overlays, estimates,
                  [records[i] for i in sorted(records)], problems, relationships)


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
    if isinstance(result, tuple):
        return len(result[0])
    return len(result)


def _has(manifest: Manifest, data: dict[int, LayerData], role: str) -> bool:
    return all(layer.index in data for layer in manifest.of_role(role))


def _units(manifest: Manifest, data: dict[int, LayerData]) -> gpd.GeoDataFrame:
    """Every period's units in one frame, with their ``period``."""
    frames = []
    for period in manifest.periods:
        frame = data[manifest.units_of(period).index]
        if isinstance(frame, gpd.GeoDataFrame):
            frames.append(frame.assign(period=period))
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frames[0].crs)


def _check_overlap(manifest: Manifest, period: str, units: gpd.GeoDataFrame,
                   districts: gpd.GeoDataFrame, problems: Problems) -> None:
    ux0, uy0, ux1, uy1 = units.total_bounds
    dx0, dy0, dx1, dy1 = districts.total_bounds
    if dx1 < ux0 or dx0 > ux1 or dy1 < uy0 or dy0 > uy1:
        what = f"the units of {period}" if period else "the units"
        problems.error(
            manifest.of_role("districts")[0].rel,
            f"the districts do not overlap {what} at all: one of the two layers has a wrong "
            "coordinate reference system, or they are different places",
            "check both layers' .prj / `crs` in manifest.toml.",
        )


def _relationships(manifest: Manifest, data: dict[int, LayerData], units: gpd.GeoDataFrame,
                   problems: Problems) -> list[Relationship]:
    """Each relationship file tied to the two periods whose units its GEOIDs are."""
    by_period = {p: set(units.loc[units["period"] == p, "geoid"]) for p in manifest.periods}
    out = []
    for layer in manifest.of_role("relationship"):
        result = data.get(layer.index)
        if not isinstance(result, tuple):
            continue
        if len(manifest.periods) < 2:
            problems.warning(layer.rel, "a relationship file is only used between two periods, "
                             "and this manifest names fewer", "remove the layer, or add periods.")
            continue
        try:
            out.append(match_periods(layer, *result, by_period, manifest.periods))
        except LayerError as exc:
            problems.error(layer.rel, exc.message, exc.fix, exc.where)
    return out


def _join_tables(
    manifest: Manifest,
    data: dict[int, LayerData],
    records: dict[int, LayerRecord],
    units: gpd.GeoDataFrame,
    problems: Problems,
) -> pd.DataFrame:
    by_period = {p: pd.Index(units.loc[units["period"] == p, "geoid"]) for p in manifest.periods}
    frames = []
    for layer in manifest.layers:
        result = data.get(layer.index)
        if not isinstance(result, Extract):
            continue
        period = layer.period if layer.period in by_period else manifest.periods[-1]
        known = by_period[period]
        level = str(units.loc[units["period"] == period, "level"].iloc[0])
        try:
            result = roll_up(result, level)
        except LayerError as exc:
            problems.error(layer.rel, exc.message, exc.fix, exc.where)
            continue
        matched = result.estimates.index.isin(known)
        record = records[layer.index]
        record.notes.extend(result.notes)
        other = _other_period(result.estimates.index, period, by_period)
        if other is not None:
            problems.error(
                layer.rel,
                f"its GEOIDs are the units of {other[0]}, not of {period}: they cover "
                f"{other[1]:.0%} of the {other[0]} units and {other[2]:.0%} of the {period} units "
                "(tract boundaries and codes change between censuses)",
                f'set period = "{other[0]}" on this layer, or use the file published on the '
                f"units of {period}.", f"period {period}")
            continue
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
        chosen = manifest.units_of(period).counties
        if len(unmatched) and chosen and not unmatched.str[:5].isin(chosen).any():
            # A state's file and a region of some of its counties (``fetch``): expected.
            record.notes.append(f"{len(unmatched):,} rows outside the region's counties were not loaded")
        elif len(unmatched):
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
        long["period"] = period
        record.rows_loaded = int(matched.sum())
        record.units_covered = int(matched.sum())
        record.variables = long["variable"].nunique()
        frames.append(long)
    check_census_each_period(manifest, problems)
    if not frames:
        return pd.DataFrame(columns=["geoid", "variable", "estimate", "moe", "layer_id", "period"])
    return pd.concat(frames, ignore_index=True)


def _other_period(geoids: pd.Index, period: str,
                  by_period: dict[str, pd.Index]) -> tuple[str, float, float] | None:
    """The period whose units a layer's GEOIDs clearly are, when it is not the layer's own:
    (that period, the share of its units the layer covers, the share of its own period's)."""
    def share(units: pd.Index) -> float:
        return float(units.isin(geoids).mean()) if len(units) else 0.0

    own = share(by_period[period])
    best = max((p for p in by_period if p != period), key=lambda p: share(by_period[p]), default=None)
    if best is None or share(by_period[best]) < own + OTHER_PERIOD_MARGIN:
        return None
    return best, share(by_period[best]), own


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
    if layer.role == "relationship":
        return read_relationship(layer)
    profile = TABLE_PROFILES[layer.profile or "generic"]
    return extract(read_table(layer.path), layer, profile, problems)
