"""Just Communities Dashboard: racial-equity and regeneration indicators for districts.

A plain Python package (no Streamlit): readers of public data formats (``sources``), the
DuckDB store (``store``), the build (``build``) and the indicator engine (``engine``,
``aggregate``, ``rank``, ``equity``), all described by one registry (``registry``).

Command line: ``python -m indicators build|check|sample``. In a notebook::

    import indicators
    values = indicators.compute("data/indicators.duckdb")   # or a region folder
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__version__ = "0.1.0"
__all__ = ["compute"]


def compute(db_or_region: str | Path) -> pd.DataFrame:
    """Indicator values of a built database or of a region folder; see
    :func:`indicators.engine.compute`."""
    from indicators.engine import compute as _compute

    return _compute(db_or_region)
