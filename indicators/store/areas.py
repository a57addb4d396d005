"""Profiling areas against a built database: the engine's inputs of one period loaded from the
stored units, estimates and layers (never rebuilt, never written), then
:func:`indicators.metrics.areas.profile_areas` for any areas.

Loading is the slow part (every estimate pivoted, every unit projected and indexed), so a
:class:`AreaProfiler` is made once per database build and period and then profiles any number
of areas::

    from indicators.store.areas import AreaProfiler
    from indicators.store.database import connect_readonly
    with connect_readonly("data/indicators.duckdb") as con:
        profiler = AreaProfiler.load(con)
    profile = profiler.profile(areas)        # a GeoDataFrame with ``name`` and polygons
    profile.values                           # one row per area and indicator
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import geopandas as gpd
import pandas as pd

from indicators.ingest.upload import csv_safe
from indicators.metrics import change
from indicators.metrics.areas import AREA, AreaProfile, UnitComposites, UnitIndex, profile_areas
from indicators.metrics.inputs import Inputs
from indicators.metrics.registry import BY_ID, INDICATORS
from indicators.store.database import meta, read_geo


@dataclass(frozen=True)
class AreaProfiler:
    """One period of a built database, ready to profile areas."""

    period: str
    inputs: Inputs
    index: UnitIndex
    region_name: str
    composites: UnitComposites

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, period: str | None = None) -> AreaProfiler:
        """Read one period (the latest by default) from an open, read-only connection."""
        info = meta(con)
        held = tuple(json.loads(info.get("periods", '[""]')))
        period = held[-1] if period is None else period
        if period not in held:
            raise ValueError(f"no period {period!r} here; the periods are {', '.join(held)}")
        units = read_geo(con, "units", "geoid, name, county, area_m2", "WHERE period = ?", [period])
        districts = read_geo(con, "districts", "district_id, name, area_m2")
        overlays = read_geo(con, "overlays", "layer_id, kind, category, label, area_m2")
        estimates = con.execute("SELECT geoid, variable, estimate, moe, layer_id FROM estimates "
                                "WHERE period = ?", [period]).df()
        layers = con.execute("SELECT layer_id, role, title, profile, vintage FROM layers WHERE "
                             "period IN ('', ?) ORDER BY layer_id", [period]).df()
        crosswalk = con.execute("SELECT geoid, district_id, weight, area_m2 FROM crosswalk WHERE "
                                "period = ?", [period]).df()
        composite_ids = [i.id for i in INDICATORS if i.index is not None]
        unit_values = con.execute("SELECT indicator_id, geo_id, value, method, layer_id FROM "
                                  "indicator_values WHERE period = ? AND geo_kind = 'unit' AND "
                                  "list_contains(?, indicator_id)", [period, composite_ids]).df()
        name = info.get("place_label") or info.get("region_name") or "the region"
        inputs = Inputs.from_long(units, districts, overlays, estimates, layers, name, crosswalk)
        return cls(period, inputs, UnitIndex.of(inputs.units), name,
                   UnitComposites.of(unit_values, inputs.geoids))

    def profile(self, areas: gpd.GeoDataFrame, skip_empty: bool = False) -> AreaProfile:
        """Every indicator for each area (``name`` and polygon geometry, any CRS); see
        :func:`indicators.metrics.areas.profile_areas`."""
        return profile_areas(self.inputs, self.composites, self.index, areas, self.region_name,
                             skip_empty)


def area_changes(older: AreaProfiler, newer: AreaProfiler, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """How each area changed between two periods: the area is a fixed geography (like a
    district), profiled in each period from that period's units; the ``changes`` table's
    columns with ``geo_kind = "area"``."""
    before = older.profile(areas).values
    after = newer.profile(areas).values
    return change.changes(before, after, older.period, newer.period, before,
                          "the area's own boundary in both periods")


#: The columns of a profile written for many areas (``python -m indicators profile``).
AREA_COLUMNS = ["area", "period", "indicator_id", "indicator", "value", "moe", "cv", "reliability",
                "coverage", "n_units", "numerator", "denominator", "method", "layer_id"]


def area_table(profile: AreaProfile, period: str) -> pd.DataFrame:
    """A profile as one row per area and indicator, area names made inert for spreadsheets."""
    values = profile.values.rename(columns={"geo_id": "area"})
    values["area"] = values["area"].map(csv_safe)
    values["period"] = period
    values["indicator"] = values["indicator_id"].map(lambda i: BY_ID[i].label)
    return values[AREA_COLUMNS]


__all__ = ["AREA", "AREA_COLUMNS", "AreaProfiler", "area_changes", "area_table"]
