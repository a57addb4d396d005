"""Profiles of any area (drawn, uploaded, or a union of units or districts), computed from the
stored units and estimates with the same aggregation as districts.

An area is one more row of weights over the units: ``W[a, u]`` = the share of unit ``u``'s
area inside area ``a`` (intersection in the equal-area CRS, through an STRtree of the units
built once per region), so counts are interpolated as sum(W x count), rates come from those
summed counts with the ACS proportion MOE, medians are re-derived from brackets, intensive
values are population-weighted and composites are population-weighted means of the unit
values, exactly as for districts (:mod:`indicators.metrics.outcomes`). This assumes people are
spread evenly within each unit (areal weighting), and each profile says how much of its
population comes from units only partly inside.

Pure: nothing here reads or writes a database (:mod:`indicators.store.areas` loads the
inputs; nothing a visitor draws is stored).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from indicators.config import EQUAL_AREA_CRS
from indicators.metrics import aggregate
from indicators.metrics.aggregate import Weights
from indicators.metrics.area_shares import zone_shares
from indicators.metrics.crosswalk import MIN_WEIGHT
from indicators.metrics.engine import VALUE_COLUMNS
from indicators.metrics.inputs import Inputs
from indicators.metrics.outcomes import compute_outcome
from indicators.metrics.registry import INDICATORS, Indicator

#: The geography kind of an area's values.
AREA = "area"
#: A unit counts as wholly inside an area from this share of its area on.
WHOLE = 0.999
#: A unit counts as touched (in the area's summary) from this share on; smaller pieces are the
#: slivers of boundaries drawn or digitised apart (they still count, by their weight).
TOUCHED = 0.01
#: Areas per thread from which many areas are profiled in threads, and at most how many.
PARALLEL_AREAS = 100
MAX_THREADS = 8


class Message(str):
    """A sentence in English that keeps its template and values, so a page can say it in the
    reader's language (:func:`indicators.present.areas.said`); as text it is the English.

    A value may itself be a :class:`Message` (a part of the sentence, translated with it).

    >>> said = Message("The file has {points:,} points.", points=1200)
    >>> said, said.template, said.values
    ('The file has 1,200 points.', 'The file has {points:,} points.', {'points': 1200})
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Message:
        """The English: ``template`` with ``values`` filled in (as :meth:`str.format`)."""
        message = super().__new__(cls, template.format(**values) if values else template)
        message.template, message.values = template, values
        return message


class AreaError(ValueError):
    """An area that cannot be profiled; ``str()`` is one plain sentence with the fix, and
    ``message`` the same as a :class:`Message` (its template and values, for a translation)."""

    def __init__(self, template: str, /, **values: object) -> None:
        self.message = Message(template, **values)
        super().__init__(str(self.message))


@dataclass(frozen=True)
class UnitIndex:
    """The units in the equal-area CRS with their areas and an STRtree, built once per region
    and period (the slow, geometric part), so each area costs one tree query."""

    geoids: tuple[str, ...]
    geometry: np.ndarray
    area: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def of(cls, units: gpd.GeoDataFrame) -> UnitIndex:
        """From units with ``geoid`` and geometry in any CRS, in the order given."""
        geometry = np.asarray(units.to_crs(EQUAL_AREA_CRS).geometry.array)
        shapely.prepare(geometry)
        return cls(tuple(units["geoid"].astype(str)), geometry, shapely.area(geometry),
                   shapely.STRtree(geometry))

    def weights(self, areas: np.ndarray, ids: list[str]) -> Weights:
        """Rows ``ids``: the share of each unit inside each area (areas in the equal-area CRS).

        Examples
        --------
        >>> from shapely.geometry import box
        >>> units = gpd.GeoDataFrame({"geoid": ["a", "b"]}, geometry=[box(0, 0, 1, 1),
        ...                          box(1, 0, 2, 1)], crs=EQUAL_AREA_CRS)
        >>> index = UnitIndex.of(units)
        >>> index.weights(np.array([box(0, 0, 1.5, 1)]), ["mine"]).matrix.toarray().tolist()
        [[1.0, 0.5]]
        """
        area_i, unit_i, weight = _in_threads(self._shares, areas)
        keep = weight > MIN_WEIGHT
        matrix = sparse.csr_matrix((weight[keep], (area_i[keep], unit_i[keep])),
                                   shape=(len(ids), len(self.geoids)))
        return Weights(tuple(ids), self.geoids, matrix)


    def _shares(self, areas: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(area, unit, share of the unit inside the area) for every area and unit that meet;
        the areas are numbered from ``first``."""
        area_i, unit_i = self.tree.query(areas, predicate="intersects")
        inside = shapely.contains_properly(areas[area_i], self.geometry[unit_i])
        shared = self.area[unit_i].copy()
        partial = ~inside
        if partial.any():
            shared[partial] = shapely.area(shapely.intersection(self.geometry[unit_i[partial]],
                                                                areas[area_i[partial]]))
        with np.errstate(divide="ignore", invalid="ignore"):
            weight = np.where(self.area[unit_i] > 0, np.minimum(shared / self.area[unit_i], 1.0), 0.0)
        return area_i + first, unit_i, weight


@dataclass(frozen=True)
class UnitComposites:
    """The composite indexes' unit values (from ``indicator_values``) as arrays in the units'
    order, with each one's method and layer: made once per period, so an area's composite is
    one weighted mean, however large the region."""

    values: dict[str, tuple[np.ndarray, str, int]]

    @classmethod
    def of(cls, unit_values: pd.DataFrame, geoids: list[str] | tuple[str, ...]) -> UnitComposites:
        """From a period's unit rows of ``indicator_values`` (``indicator_id``, ``geo_id``,
        ``value``, ``method``, ``layer_id``)."""
        composites = {i.id for i in INDICATORS if i.index is not None}
        mine = unit_values[unit_values["indicator_id"].isin(composites)]
        order = pd.Index(list(geoids))
        values = {}
        for indicator_id, rows in mine.groupby("indicator_id", sort=False):
            array = np.full(len(order), np.nan)
            at = order.get_indexer(rows["geo_id"])
            array[at[at >= 0]] = rows["value"].to_numpy(dtype=float)[at >= 0]
            values[str(indicator_id)] = (array, str(rows["method"].iloc[0]), rows["layer_id"].iloc[0])
        return cls(values)


@dataclass(frozen=True)
class AreaProfile:
    """Every indicator for some areas, and how each area was made of units.

    Attributes
    ----------
    values : pandas.DataFrame
        The engine's value columns with ``geo_kind = "area"`` and ``geo_id`` the area's name.
    shares : pandas.DataFrame
        ``area``, ``geoid``, ``weight`` (the share of the unit inside the area).
    summary : pandas.DataFrame
        Per area: ``units`` touched, ``whole_units``, ``population`` (interpolated),
        ``partial_population_share`` (of it, living in units only partly inside),
        ``outside_share`` (of the area's own surface outside every unit), ``area_km2``.
    """

    values: pd.DataFrame
    shares: pd.DataFrame
    summary: pd.DataFrame
    #: Areas left out because they cover no unit (with ``skip_empty``).
    skipped: tuple[str, ...] = ()


def to_equal_area(areas: gpd.GeoDataFrame) -> np.ndarray:
    """Area polygons in the equal-area CRS (repaired if invalid), as an array."""
    geoms = np.asarray(areas.to_crs(EQUAL_AREA_CRS).geometry.array)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    return geoms


def profile_areas(inputs: Inputs, composites: UnitComposites, index: UnitIndex,
                  areas: gpd.GeoDataFrame, region_name: str = "the region",
                  skip_empty: bool = False) -> AreaProfile:
    """Every registry indicator for each area of ``areas`` (columns ``name``, geometry).

    Parameters
    ----------
    inputs : Inputs
        The period's units and layers' values, in the order of ``index``.
    composites : UnitComposites
        That period's composite unit values (from its unit rows of ``indicator_values``).
    index : UnitIndex
        The same units, indexed.
    skip_empty : bool
        Leave out areas that cover no unit (listed in ``AreaProfile.skipped``) instead of
        raising: for many areas at once, where one stray area must not stop the rest.

    Raises
    ------
    AreaError
        When an area covers no unit of the region (and ``skip_empty`` is false), or none does.
    """
    if tuple(inputs.geoids) != index.geoids:
        raise ValueError("the unit index and the inputs must hold the same units, in order")
    ids = [str(n) for n in areas["name"]]
    geoms = to_equal_area(areas)
    weights = index.weights(geoms, ids)
    empty = np.asarray(weights.matrix.sum(axis=1)).ravel() <= 0
    skipped: tuple[str, ...] = ()
    if empty.any() and (not skip_empty or empty.all()):
        chosen = [ids[i] for i in np.flatnonzero(empty)]
        if len(chosen) == 1:
            raise AreaError("The area {name!r} covers no census tract of {region}: draw or upload "
                            "an area inside the region.", name=chosen[0], region=region_name)
        raise AreaError("{count} areas ({names}) covers no census tract of {region}: draw or "
                        "upload an area inside the region.", count=len(chosen),
                        names=", ".join(repr(c) for c in chosen[:3]), region=region_name)
    if empty.any():
        skipped = tuple(ids[i] for i in np.flatnonzero(empty))
        keep = ~empty
        ids, geoms = [i for i, k in zip(ids, keep, strict=True) if k], geoms[keep]
        weights = index.weights(geoms, ids)
    population = inputs.population()
    frames = []
    for indicator in INDICATORS:
        if indicator.method == "area_share":
            frame = _overlay_share(indicator, inputs, geoms, ids)
        elif indicator.index is None:
            outcome = compute_outcome(indicator, inputs, {AREA: weights}, population)
            frame = outcome.frames.get(AREA)
            if frame is not None:
                frame = frame.assign(method=outcome.method, layer_id=outcome.layer_id)
        else:
            frame = _composite(composites.values.get(indicator.id), weights, population)
        if frame is None:
            continue
        frames.append(frame.assign(geo_kind=AREA, geo_id=ids, indicator_id=indicator.id,
                                   percentile=np.nan).reindex(columns=VALUE_COLUMNS))
    values = pd.concat(frames, ignore_index=True)
    values = values[values["value"].notna()].reset_index(drop=True)
    values["reliability"] = values["reliability"].fillna("").astype(str)
    values["n_units"] = values["n_units"].fillna(0).astype(int)
    values["layer_id"] = values["layer_id"].astype("Int64")
    return AreaProfile(values, _shares(weights), _summary(weights, geoms, index, population),
                       skipped)


def _composite(found: tuple[np.ndarray, str, int] | None, weights: Weights,
               population: np.ndarray) -> pd.DataFrame | None:
    if found is None:
        return None
    values, method, layer_id = found
    frame = aggregate.weighted_mean(weights, values, population)
    frame["coverage"] = aggregate.coverage(weights, ~np.isnan(values), population)
    return frame.assign(method=method, layer_id=layer_id)


def _overlay_share(indicator: Indicator, inputs: Inputs, geoms: np.ndarray,
                   ids: list[str]) -> pd.DataFrame | None:
    """The share of each area inside the overlay category (HOLC grade D), from geometry."""
    (spec,) = indicator.inputs[0]
    kind, category = spec.split(":")
    overlays = inputs.overlays
    chosen = overlays[(overlays["kind"] == kind) & (overlays["category"] == category)]
    if chosen.empty:
        return None
    zone = shapely.union_all(np.asarray(chosen.to_crs(EQUAL_AREA_CRS).geometry.array))
    shares = zone_shares(geoms, zone)
    return pd.DataFrame({"value": shares, "moe": np.nan, "cv": np.nan, "reliability": "",
                         "n_units": 0, "coverage": 1.0,
                         "method": "share of area inside the overlay (equal-area CRS)",
                         "layer_id": int(chosen["layer_id"].iloc[0])}, index=ids)


def _shares(weights: Weights) -> pd.DataFrame:
    coo = weights.matrix.tocoo()
    frame = pd.DataFrame({"area": np.asarray(weights.ids)[coo.row],
                          "geoid": np.asarray(weights.units)[coo.col], "weight": coo.data})
    return frame.sort_values(["area", "weight", "geoid"], ascending=[True, False, True],
                             ignore_index=True)


def _summary(weights: Weights, geoms: np.ndarray, index: UnitIndex,
             population: np.ndarray) -> pd.DataFrame:
    p = np.nan_to_num(population, nan=0.0)
    matrix = weights.matrix
    whole = matrix.copy()
    whole.data = (whole.data >= WHOLE).astype(float)
    touched = matrix.copy()
    touched.data = (touched.data >= TOUCHED).astype(float)
    partial = matrix.copy()
    partial.data = np.where(partial.data < WHOLE, partial.data, 0.0)
    total = matrix @ p
    inside = matrix @ index.area  # the units do not overlap, so their pieces add up
    with np.errstate(divide="ignore", invalid="ignore"):
        partial_share = np.where(total > 0, (partial @ p) / total, np.nan)
        outside = np.where(shapely.area(geoms) > 0, 1 - inside / shapely.area(geoms), np.nan)
    return pd.DataFrame({
        "area": list(weights.ids),
        "units": np.asarray(touched.sum(axis=1)).ravel().astype(int),
        "whole_units": np.asarray(whole.sum(axis=1)).ravel().astype(int),
        "population": total, "partial_population_share": partial_share,
        "outside_share": np.clip(outside, 0.0, 1.0), "area_km2": shapely.area(geoms) / 1e6,
    })


def _in_threads(shares: Callable[[np.ndarray, int], tuple[np.ndarray, ...]],
                areas: np.ndarray) -> tuple[np.ndarray, ...]:
    """``shares`` of all the areas, the areas shared among threads when there are many (GEOS
    releases the GIL, and the tree queries and intersections are most of an area's cost).

    Safe because each thread reads the shared units only through the built tree and plain
    (not prepared) geometry: GEOS builds a prepared geometry's index lazily, so two threads
    must never use the same prepared geometry."""
    workers = min(os.cpu_count() or 1, MAX_THREADS, len(areas) // PARALLEL_AREAS)
    if workers <= 1:
        return shares(areas, 0)
    starts = np.linspace(0, len(areas), workers + 1).astype(int)
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(lambda i: shares(areas[starts[i]:starts[i + 1]], starts[i]),
                              range(workers)))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))
