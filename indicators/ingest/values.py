"""Turning text cells into numbers and GEOIDs, the way the Census Bureau and its users write them.

Census files mark "no estimate" with sentinel numbers (``-666666666`` and friends, ``-999`` in
CDC SVI) and data.census.gov exports use annotation symbols (``(X)``, ``N``, ``-``, ``**``...).
Those become missing values, never numbers. Anything else that is not a number is an error the
user must fix.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Census Bureau and CDC sentinel values meaning "no estimate".
SENTINELS = frozenset(
    {-666666666, -999999999, -888888888, -555555555, -333333333, -222222222, -999, -99999}
)
#: Text that means "no value" in the files people download.
MISSING_TEXT = frozenset(
    {"", "na", "n/a", "nan", "null", "none", "(x)", "n", "-", "**", "***", "*****", "+", "."}
)
#: Summary levels: GEOID length of each unit level.
GEOID_LENGTH = {"state": 2, "county": 5, "tract": 11, "block_group": 12}

_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_GEOID_PREFIX = re.compile(r"^\d{3,7}US")


def to_number(cells: pd.Series, *, decimal_comma: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse text cells as floats.

    Parameters
    ----------
    cells : pandas.Series
        Text cells (numbers already parsed are accepted too).
    decimal_comma : bool, default False
        Read ``12,5`` as 12.5 (files separated by semicolons); otherwise ``1,234`` is 1234.

    Returns
    -------
    values : pandas.Series of float
        Missing where the cell was empty, an annotation or a sentinel.
    bad : pandas.Series of bool
        True where the cell was text that is not a number (the caller reports these).

    Notes
    -----
    Top- and bottom-coded medians as exported by data.census.gov (``250,000+``, ``2,500-``)
    are read as their bound.

    Examples
    --------
    >>> values, bad = to_number(pd.Series(["12", "-666666666", "(X)", "abc", "250,000+"]))
    >>> values.tolist()[:3], bad.tolist()
    ([12.0, nan, nan], [False, False, False, True, False])
    """
    text = cells.astype("string").str.strip().fillna("")
    missing = text.str.lower().isin(MISSING_TEXT)
    cleaned = text.str.replace(r"(?<=\d)[+-]$", "", regex=True)
    if decimal_comma:
        cleaned = cleaned.where(~cleaned.str.match(_DECIMAL_COMMA), cleaned.str.replace(",", "."))
    else:
        cleaned = cleaned.where(~cleaned.str.match(_THOUSANDS), cleaned.str.replace(",", ""))
    values = pd.to_numeric(cleaned.where(~missing, None), errors="coerce").astype(float)
    bad = values.isna() & ~missing
    values = values.where(~values.isin(SENTINELS))
    values = values.where(np.isfinite(values))
    return values, bad


def to_bool(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse True/False, yes/no and 1/0 cells as 1.0 / 0.0 (missing stays missing)."""
    text = cells.astype("string").str.strip().str.lower().fillna("")
    mapping = {"true": 1.0, "t": 1.0, "yes": 1.0, "1": 1.0, "1.0": 1.0,
               "false": 0.0, "f": 0.0, "no": 0.0, "0": 0.0, "0.0": 0.0}
    values = text.map(mapping).astype(float)
    bad = values.isna() & ~text.isin(MISSING_TEXT)
    return values, bad


def normalise_geoid(cells: pd.Series) -> pd.Series:
    """Clean GEOID text: strip summary-level prefixes (``1400000US``), spaces and a trailing
    ``.0`` left by spreadsheets. Leading zeros lost by spreadsheets are restored by
    :func:`restore_leading_zero`, which needs the expected length."""
    text = cells.astype("string").str.strip().fillna("")
    text = text.str.replace(_GEOID_PREFIX, "", regex=True)
    return text.str.replace(r"\.0$", "", regex=True)


def restore_leading_zero(geoids: pd.Series, length: int) -> tuple[pd.Series, bool]:
    """Pad GEOIDs that are all digits and exactly one short (a spreadsheet dropped the leading
    zero of states 01-09). Returns the GEOIDs and whether any were padded."""
    short = geoids.str.fullmatch(r"\d+") & (geoids.str.len() == length - 1)
    if not short.any():
        return geoids, False
    return geoids.where(~short, "0" + geoids), True


def normalise_name(name: str) -> str:
    """Column name reduced to lower-case letters and digits, for loose matching."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())
