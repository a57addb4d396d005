"""Readers of real public formats, turning each layer of a region into canonical tables.

``read_layer`` dispatches on the layer's role and profile:

- ``units``     -> :func:`geography.read_units` (GeoDataFrame of tracts or block groups)
- ``districts`` -> :func:`geography.read_districts`
- ``overlay``   -> :func:`geography.read_holc`
- ``census`` / ``environment`` -> :func:`tabular.extract` through a profile of
  :mod:`profiles` (an :class:`~indicators.sources.tabular.Extract`)
- ``certification`` -> checked for existence here; read by :mod:`indicators.certification`
"""

from __future__ import annotations

from indicators.manifest import Layer
from indicators.problems import Problems
from indicators.sources.files import check_file, read_table
from indicators.sources.geography import read_districts, read_holc, read_units
from indicators.sources.profiles import TABLE_PROFILES
from indicators.sources.tabular import Extract, extract

__all__ = ["read_layer"]


def read_layer(layer: Layer, problems: Problems) -> object | None:
    """Read one layer; problems go to ``problems``, a layer that cannot be read at all raises
    :class:`~indicators.problems.LayerError`. Returns None when the layer has errors."""
    if layer.role == "units":
        return read_units(layer, problems)
    if layer.role == "districts":
        return read_districts(layer, problems)
    if layer.role == "overlay":
        return read_holc(layer, problems)
    if layer.role == "certification":
        check_file(layer.path)
        return []
    profile = TABLE_PROFILES[layer.profile or "generic"]
    return _table(layer, profile, problems)


def _table(layer: Layer, profile: object, problems: Problems) -> Extract | None:
    table = read_table(layer.path)
    return extract(table, layer, profile, problems)  # type: ignore[arg-type]
