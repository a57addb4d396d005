"""What every composite index shares: the context it is computed from and what it returns.

A composite index (SVI-style, EJScreen-style, CEJST-style) is computed for each *unit* from the
region's own data and the other indicators' unit values; the engine then carries it to districts
and the region as a population-weighted mean, like any intensive value. Each index lives in one
module of this package with its inputs, thresholds, algorithm and reference, and exposes one
:class:`CompositeIndex` that the registry entry names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.metrics.inputs import Inputs


@dataclass(frozen=True)
class Context:
    """What a composite index may use.

    Attributes
    ----------
    inputs : Inputs
        The region's units and every layer's values.
    unit_values : dict of str to pandas.Series
        Unit values (indexed by GEOID) of every plain indicator the region has, by indicator id.
    unit_pct : pandas.DataFrame
        Their percentile ranks among the units (higher = more burdened), one column per
        indicator id, indexed by GEOID.
    """

    inputs: Inputs
    unit_values: dict[str, pd.Series]
    unit_pct: pd.DataFrame


@dataclass(frozen=True)
class UnitIndex:
    """A composite's value for every unit (NaN where it cannot be computed), how it was
    computed and what it used (both shown on the Methodology page), and the layer it was read
    from where a publisher's own values are shown."""

    values: np.ndarray
    method: str
    detail: str
    layer_id: int | None = None


@dataclass(frozen=True)
class Unavailable:
    """Why a composite cannot be computed for this region (shown to users as is)."""

    reason: str


@dataclass(frozen=True)
class CompositeIndex:
    """One composite index, as the registry names it.

    Attributes
    ----------
    name : str
        Short name (``"svi"``, ``"ej"``, ``"cejst"``).
    inputs : str
        What it is built from, in words (the Methodology table's "inputs").
    reference : str
        The published method it follows.
    unit_index : callable
        ``unit_index(context) -> UnitIndex | Unavailable``.
    """

    name: str
    inputs: str
    reference: str
    unit_index: Callable[[Context], UnitIndex | Unavailable]
