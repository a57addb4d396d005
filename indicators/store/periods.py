"""A region's periods computed one by one, then compared.

Each period is computed exactly as a one-period region is (its own units, their crosswalk to
the districts, the census and environment layers of that period, and the layers of every
period), so a manifest that names no period builds as before. Then every pair of periods is
compared (:mod:`indicators.metrics.change`): districts and the region directly, units through
the older period carried onto the newer units, by the relationship file the manifest names
for that pair or else by area.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from indicators.ingest.region import Progress, Region
from indicators.metrics import change
from indicators.metrics.change import Carry
from indicators.metrics.engine import Results, compute_values
from indicators.metrics.equity import equity_tables
from indicators.metrics.inputs import Inputs


@dataclass
class PeriodResult:
    """One period's inputs and everything computed from them."""

    period: str
    inputs: Inputs
    results: Results
    equity: dict[str, pd.DataFrame]


def region_inputs(region: Region, period: str | None = None) -> Inputs:
    """The engine's inputs for one period of a freshly read region (the latest by default;
    the crosswalk is computed here)."""
    period = region.periods[-1] if period is None else period
    units = region.units_of(period).drop(columns="period")
    return Inputs.from_long(units, region.districts, region.overlays, region.estimates_of(period),
                            region.layer_table(period), region.manifest.name)


def compute_periods(region: Region, progress: Progress | None = None) -> list[PeriodResult]:
    """Every period's indicators and equity tables, oldest first."""
    out = []
    for n, period in enumerate(region.periods):
        if progress:
            progress(n / len(region.periods), f"Computing indicators{f' for {period}' if period else ''}")
        inputs = region_inputs(region, period)
        results = compute_values(inputs)
        out.append(PeriodResult(period, inputs, results, equity_tables(inputs, results)))
    return out


def carry_for(region: Region, older: PeriodResult, newer: PeriodResult) -> Carry:
    """How the older period's units are carried onto the newer period's: the manifest's
    relationship file for that pair when it names one, else by area."""
    for relationship in region.relationships:
        if (relationship.older, relationship.newer) == (older.period, newer.period):
            return change.carry_by_pairs(relationship.pairs, older.inputs.geoids,
                                         newer.inputs.geoids, relationship.basis)
    return change.carry_by_area(older.inputs.units, newer.inputs.units)


def compare_periods(region: Region, computed: list[PeriodResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``changes`` and ``gap_changes`` tables between every pair of periods (empty for a
    region with one period)."""
    by_period = {p.period: p for p in computed}
    frames, gaps = [], []
    for period_from, period_to in change.pairs_of(region.periods):
        older, newer = by_period[period_from], by_period[period_to]
        carry = carry_for(region, older, newer)
        carried = change.carry_values(older.inputs, older.results, carry)
        frames.append(change.changes(older.results.values, newer.results.values, period_from,
                                     period_to, carried, carry.basis))
        gaps.append(change.gap_changes(older.equity["race_gaps"], newer.equity["race_gaps"],
                                       period_from, period_to))
    if not frames:
        return (pd.DataFrame(columns=change.CHANGE_COLUMNS),
                pd.DataFrame(columns=change.GAP_COLUMNS))
    return pd.concat(frames, ignore_index=True), pd.concat(gaps, ignore_index=True)


def stacked(computed: list[PeriodResult]) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every derived table of every period, one frame per table with ``period`` first, made one
    table at a time (a national region's stacked tables are each hundreds of MB, so the build
    writes each before the next is made)."""
    def tables_of(result: PeriodResult) -> dict[str, pd.DataFrame]:
        r = result.results
        return {"crosswalk": r.crosswalk, "indicator_values": r.values,
                "indicator_availability": r.availability, "unit_burdens": r.unit_burdens,
                **result.equity}

    for name in tables_of(computed[0]):
        yield name, _period_first(pd.concat(
            [tables_of(result)[name].assign(period=result.period) for result in computed],
            ignore_index=True))


def _period_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["period", *[c for c in frame.columns if c != "period"]]]
