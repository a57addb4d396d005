"""SVI-style social vulnerability: the CDC/ATSDR Social Vulnerability Index method applied to
the region's own units.

Formula
-------
For each unit and each SVI variable, the variable's percentage (``EP_*``) is percentile-ranked
among the region's units, ``EPL = (rank - 1) / (N - 1)`` with ties at the lowest rank
(per-capita income in descending order). Within each theme the ranks are summed (``SPL``) and
the sums ranked (``RPL``); the four theme sums are summed (``SPL_THEMES``) and ranked again:
``RPL_THEMES`` is the index. A district's value is the population-weighted mean of its units'
``RPL_THEMES``.

The region's rates come from canonical variables (:data:`SVI_RATES`), each from one layer; the
index is computed when at least :data:`MIN_VARIABLES` of CDC's variables are available.

References
----------
CDC/ATSDR Social Vulnerability Index documentation, 2018 and 2022 (Agency for Toxic Substances
and Disease Registry, Geospatial Research, Analysis, and Services Program).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from indicators.metrics.composites.base import CompositeIndex, Context, Unavailable, UnitIndex
from indicators.metrics.inputs import Inputs
from indicators.metrics.rank import percentile_rank

#: CDC SVI 2022 themes (variable suffixes of the ``EP_*`` columns).
SVI_THEMES_2022: dict[str, tuple[str, ...]] = {
    "THEME1": ("POV150", "UNEMP", "HBURD", "NOHSDP", "UNINSUR"),
    "THEME2": ("AGE65", "AGE17", "DISABL", "SNGPNT", "LIMENG"),
    "THEME3": ("MINRTY",),
    "THEME4": ("MUNIT", "MOBILE", "CROWD", "NOVEH", "GROUPQ"),
}
#: CDC SVI 2018 themes (per-capita income is ranked in descending order).
SVI_THEMES_2018: dict[str, tuple[str, ...]] = {
    "THEME1": ("POV", "UNEMP", "PCI", "NOHSDP"),
    "THEME2": ("AGE65", "AGE17", "DISABL", "SNGPNT"),
    "THEME3": ("MINRTY", "LIMENG"),
    "THEME4": ("MUNIT", "MOBILE", "CROWD", "NOVEH", "GROUPQ"),
}
SVI_DESCENDING = frozenset({"PCI"})


#: CDC SVI variable -> (numerator, denominator) alternatives among canonical variables.
SVI_RATES: dict[str, tuple[tuple[str, str], ...]] = {
    "POV150": (("pov_below_150", "pov_universe"), ("pov_below_100", "pov_universe")),
    "UNEMP": (("unemployed", "labor_force"),),
    "HBURD": (("hh_cost_burden_lt75k", "households"),),
    "NOHSDP": (("edu_less_hs", "edu_universe"),),
    "UNINSUR": (("pop_uninsured", "insurance_universe"),),
    "AGE65": (("pop_over64", "pop_total"),),
    "AGE17": (("pop_under18", "pop_total"),),
    "DISABL": (("pop_disabled", "pop_total"),),
    "SNGPNT": (("hh_single_parent", "households"),),
    "LIMENG": (("pop_limited_english", "pop_5plus"), ("hh_limited_english", "households")),
    "MINRTY": (("pop_poc", "pop_total"),),
    "MUNIT": (("units_multiunit", "housing_units"),),
    "MOBILE": (("units_mobile", "housing_units"),),
    "CROWD": (("units_crowded", "occupied_units"),),
    "NOVEH": (("hh_no_vehicle", "households"),),
    "GROUPQ": (("pop_group_quarters", "pop_total"),),
}

#: Fewer of CDC's variables than this and the region gets no SVI-style index.
MIN_VARIABLES = 4
#: CDC rounds every published rank to this many decimals (theme sums use the rounded ranks).
CDC_DECIMALS = 4


def svi(
    percentages: pd.DataFrame,
    themes: Mapping[str, Sequence[str]] = SVI_THEMES_2022,
    descending: frozenset[str] = SVI_DESCENDING,
    decimals: int | None = CDC_DECIMALS,
) -> pd.DataFrame:
    """Social Vulnerability Index by the CDC/ATSDR method.

    Parameters
    ----------
    percentages : pandas.DataFrame
        One row per unit, one column per variable named by its suffix (``POV150``, ``UNEMP``...):
        CDC's ``EP_*`` percentages or the region's own rates. Rows with any missing variable are
        left unranked (CDC excludes tracts with no population the same way).
    themes : mapping
        Theme name -> variables; themes whose variables are all absent are skipped, absent
        variables within a theme are skipped (the result records which were used).
    descending : set of str
        Variables where a higher value means less vulnerable (per-capita income).
    decimals : int or None, default 4
        CDC rounds every published rank to 4 decimals; theme sums use the rounded ranks.

    Returns
    -------
    pandas.DataFrame
        ``EPL_<var>`` for each variable, ``SPL_<theme>``, ``RPL_<theme>``, ``SPL_THEMES``,
        ``RPL_THEMES``; ``attrs["variables"]`` lists the variables used.

    Notes
    -----
    Each variable is percentile-ranked ((rank - 1)/(N - 1), ties at the lowest); ranks are
    summed within each theme (SPL) and the sums ranked (RPL); the theme sums are summed
    (SPL_THEMES) and ranked (RPL_THEMES). CDC/ATSDR SVI documentation 2018 and 2022.
    """
    used = {t: [v for v in vs if v in percentages.columns] for t, vs in themes.items()}
    used = {t: vs for t, vs in used.items() if vs}

    def rounded(s: pd.Series) -> pd.Series:
        return s.round(decimals) if decimals is not None else s

    out = pd.DataFrame(index=percentages.index)
    for variables in used.values():
        for var in variables:  # each variable is ranked among the units that have it
            direction = "higher_better" if var in descending else "higher_worse"
            out[f"EPL_{var}"] = rounded(percentile_rank(percentages[var], direction))
    theme_sums = []
    for theme, variables in used.items():  # sums only where every rank of the theme exists
        spl = rounded(out[[f"EPL_{v}" for v in variables]].sum(axis=1, min_count=len(variables)))
        out[f"SPL_{theme}"] = spl
        out[f"RPL_{theme}"] = rounded(percentile_rank(spl))
        theme_sums.append(spl)
    total = pd.concat(theme_sums, axis=1).sum(axis=1, min_count=len(theme_sums)) if theme_sums \
        else pd.Series(np.nan, index=percentages.index)
    out["SPL_THEMES"] = rounded(total)
    out["RPL_THEMES"] = rounded(percentile_rank(out["SPL_THEMES"]))
    out.attrs["variables"] = [v for vs in used.values() for v in vs]
    return out


def svi_inputs(inputs: Inputs) -> tuple[pd.DataFrame, list[str]]:
    """Unit-level percentages of the SVI variables the region has (each from one layer).

    Returns the table (columns named like CDC's, e.g. ``POV150``) and the variables used.
    A zero denominator gives a missing value, so the unit is left unranked for that variable.
    """
    columns: dict[str, np.ndarray] = {}
    for name, alternatives in SVI_RATES.items():
        for num, den in alternatives:
            source = inputs.source((num, den))
            if source is None:
                continue
            x, y = source.values(num), source.values(den)
            with np.errstate(divide="ignore", invalid="ignore"):
                columns[name] = np.where(y > 0, 100.0 * x / y, np.nan)
            break
    return pd.DataFrame(columns), list(columns)


def _unit_index(context: Context) -> UnitIndex | Unavailable:
    table, used = svi_inputs(context.inputs)
    if len(used) < MIN_VARIABLES:
        return Unavailable("not available for this region: fewer than 4 of CDC's SVI variables")
    values = svi(table, decimals=None)["RPL_THEMES"].to_numpy()
    return UnitIndex(values, "SVI-style: CDC method on the region's units; districts population-weighted",
                     "variables used: " + ", ".join(used))


INDEX = CompositeIndex(
    name="svi",
    inputs="CDC SVI variables as the region's rates (up to 16: poverty, unemployment, housing cost "
           "burden, education, insurance, age, disability, single parents, English, minority status, "
           "housing type, crowding, vehicles, group quarters)",
    reference="CDC/ATSDR Social Vulnerability Index method (2018 and 2022 documentation)",
    unit_index=_unit_index,
)
