"""The inputs of the indicator engine, gathered from a freshly read region.

:class:`Inputs` holds the units, districts and overlays, the crosswalk, and every layer's
values as wide tables (units x variables). :meth:`Inputs.source` picks, for one indicator, the
first layer (census before environment, then manifest order) that has *all* of its input
variables, so a rate's numerator and denominator always come from the same source and vintage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from indicators.metrics.aggregate import Weights
from indicators.metrics.crosswalk import build_crosswalk, coverage

#: Census layers win over environmental ones when both publish a variable; within a role, the
#: manifest order decides (layers of other roles hold no estimates).
ROLE_PRIORITY = {"census": 0, "environment": 1}


def data_year(profile: str, vintage: str) -> int | None:
    """The last year of a layer's data: the release a profile names (``cdc_svi_2018``), else
    the last year its vintage gives (``"ACS 2014-2018"``); None where nothing says.

    Examples
    --------
    >>> data_year("cdc_svi_2018", ""), data_year("acs", "ACS 2019-2023"), data_year("acs", "")
    (2018, 2023, None)
    """
    named = re.search(r"_(\d{4})$", profile)
    if named:
        return int(named.group(1))
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", vintage)
    return int(years[-1]) if years else None


@dataclass
class Source:
    """Values of some variables taken from one layer, aligned on the region's units."""

    layer_id: int
    est: pd.DataFrame
    moe: pd.DataFrame

    def values(self, variable: str) -> np.ndarray:
        """Estimates of one variable (NaN where the layer has none)."""
        return self.est[variable].to_numpy(dtype=float)

    def moes(self, variable: str) -> np.ndarray:
        """MOEs of one variable (NaN where none are published)."""
        return self.moe[variable].to_numpy(dtype=float)


@dataclass
class Inputs:
    """Everything the engine reads."""

    units: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    overlays: gpd.GeoDataFrame
    layer_order: list[int]
    layer_titles: dict[int, str]
    est: dict[int, pd.DataFrame]
    moe: dict[int, pd.DataFrame]
    region_name: str = "the region"
    crosswalk: pd.DataFrame = field(default_factory=pd.DataFrame)
    layer_profiles: dict[int, str] = field(default_factory=dict)
    layer_vintages: dict[int, str] = field(default_factory=dict)
    #: :meth:`source`'s answers, kept: the layers' values are not changed once read.
    _sources: dict[tuple[str, ...], Source | None] = field(default_factory=dict, init=False,
                                                           repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.crosswalk.empty:
            self.crosswalk = build_crosswalk(self.units, self.districts)

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_long(cls, units: gpd.GeoDataFrame, districts: gpd.GeoDataFrame,
                  overlays: gpd.GeoDataFrame, estimates: pd.DataFrame, layers: pd.DataFrame,
                  region_name: str, crosswalk: pd.DataFrame | None = None) -> Inputs:
        """From long estimates (geoid, variable, estimate, moe, layer_id) and a layers table
        (layer_id, role, title; optionally profile and vintage) in manifest order."""
        geoids = pd.Index(units["geoid"])
        ordered = layers.assign(p=layers["role"].map(ROLE_PRIORITY)).dropna(subset=["p"])
        order = ordered.sort_values(["p", "layer_id"])["layer_id"].astype(int).tolist()
        est, moe = {}, {}
        for layer_id in order:
            part = estimates[estimates["layer_id"] == layer_id]
            est[layer_id] = part.pivot(index="geoid", columns="variable", values="estimate").reindex(geoids)
            moe[layer_id] = part.pivot(index="geoid", columns="variable", values="moe").reindex(geoids)
        ids = layers["layer_id"].astype(int)

        def by_layer(column: str) -> dict[int, str]:
            values = layers[column] if column in layers else pd.Series("", index=layers.index)
            return dict(zip(ids, values.fillna("").astype(str), strict=True))

        return cls(units.sort_values("geoid").reset_index(drop=True),
                   districts.sort_values("name").reset_index(drop=True), overlays, order,
                   by_layer("title"), est, moe, region_name,
                   crosswalk if crosswalk is not None else pd.DataFrame(),
                   by_layer("profile"), by_layer("vintage"))

    # -- lookups -----------------------------------------------------------------------------

    @property
    def geoids(self) -> list[str]:
        """Unit GEOIDs in order."""
        return self.units["geoid"].tolist()

    def source(self, variables: tuple[str, ...] | list[str]) -> Source | None:
        """The first layer in priority order holding every variable (with any value)."""
        key = tuple(variables)
        if key not in self._sources:
            self._sources[key] = self._find_source(key)
        return self._sources[key]

    def _find_source(self, variables: tuple[str, ...]) -> Source | None:
        for layer_id in self.layer_order:
            frame = self.est[layer_id]
            if all(v in frame.columns and frame[v].notna().any() for v in variables):
                cols = list(variables)
                return Source(layer_id, frame[cols], self.moe[layer_id].reindex(columns=cols))
        return None

    def year(self, layer_id: int) -> int | None:
        """The last year of a layer's data (see :func:`data_year`)."""
        return data_year(self.layer_profiles.get(layer_id, ""), self.layer_vintages.get(layer_id, ""))

    def population(self, prefer_layer: int | None = None) -> np.ndarray:
        """Population for weights: the given layer's own ``pop_total`` when it has one (EJScreen,
        CEJST), else the first layer's that has it; NaN where unknown."""
        if prefer_layer is not None:
            frame = self.est.get(prefer_layer)
            if frame is not None and "pop_total" in frame and frame["pop_total"].notna().any():
                return frame["pop_total"].to_numpy(dtype=float)
        src = self.source(("pop_total",))
        return src.values("pop_total") if src else np.full(len(self.units), np.nan)

    # -- geographies -------------------------------------------------------------------------

    def weights(self) -> dict[str, Weights]:
        """The three kinds of geography: each unit, each district, and the region (the union of
        the districts: units weighted by their coverage)."""
        geoids = self.geoids
        cover = coverage(self.crosswalk).reindex(geoids).fillna(0.0).to_numpy()
        return {
            "unit": Weights.identity(geoids),
            "district": Weights.from_crosswalk(self.crosswalk, geoids,
                                               self.districts["district_id"].tolist()),
            "region": Weights.single("region", geoids, cover),
        }
