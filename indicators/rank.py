"""Percentile ranks and the composite indices built from them.

- :func:`percentile_rank`: the CDC SVI convention, ``(rank - 1) / (N - 1)`` with ties at the
  lowest rank, oriented so that a higher percentile means more burdened.
- :func:`svi`: the CDC/ATSDR Social Vulnerability Index method (themes of percentile ranks).
- :func:`ej_index`: the EPA EJScreen (v2.2) EJ index, environmental percentile x demographic
  index.
- :func:`cejst_flags`: the CEJST 1.0 rule, any burden at or above the 90th percentile and low
  income at or above the 65th.

All functions are pure: DataFrames in, new Series/DataFrames out, inputs untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

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


def percentile_rank(values: pd.Series, direction: str = "higher_worse") -> pd.Series:
    """Percentile rank of each value among the non-missing ones.

    Parameters
    ----------
    values : pandas.Series
        Missing values get a missing rank and do not count in N.
    direction : {"higher_worse", "higher_better", "neutral"}
        ``higher_better`` ranks in descending order, so that a high percentile always means
        more burdened; the others rank in ascending order.

    Returns
    -------
    pandas.Series
        In [0, 1], same index. A single value ranks 0.

    Notes
    -----
    ``(rank - 1) / (N - 1)`` where tied values share the lowest rank among them; this is the
    CDC/ATSDR SVI convention (and Excel's ``PERCENTRANK.INC``).

    Examples
    --------
    >>> percentile_rank(pd.Series([10, 20, 20, 40])).tolist()
    [0.0, 0.3333333333333333, 0.3333333333333333, 1.0]
    >>> percentile_rank(pd.Series([10, 20, 20, 40]), "higher_better").tolist()
    [1.0, 0.3333333333333333, 0.3333333333333333, 0.0]
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if direction == "higher_better":
        v = -v
    ranks = v.rank(method="min", na_option="keep")
    n = int(v.notna().sum())
    if n <= 1:
        return pd.Series(np.where(v.notna(), 0.0, np.nan), index=values.index)
    return (ranks - 1.0) / (n - 1.0)


def svi(
    percentages: pd.DataFrame,
    themes: Mapping[str, Sequence[str]] = SVI_THEMES_2022,
    descending: frozenset[str] = SVI_DESCENDING,
    decimals: int | None = 4,
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


def ej_index(
    env_percentiles: pd.DataFrame, low_income_share: pd.Series, poc_share: pd.Series
) -> pd.DataFrame:
    """EJScreen-style EJ index for each unit.

    Parameters
    ----------
    env_percentiles : pandas.DataFrame
        Regional percentile (0-1) of each environmental burden, one column per burden.
    low_income_share, poc_share : pandas.Series
        Shares (0-1) of people below 200 % of poverty and people of colour.

    Returns
    -------
    pandas.DataFrame
        ``demographic_index`` (mean of the two shares), ``environment`` (mean percentile of the
        available burdens), ``raw`` (their product) and ``percentile`` (rank of ``raw``).

    Notes
    -----
    EJScreen 2.2: EJ index = environmental percentile x demographic index, where the
    demographic index averages the low-income and people-of-colour percentages. EJScreen keeps
    one EJ index per burden; this summary uses the mean burden percentile.
    """
    demographic = (low_income_share + poc_share) / 2.0
    environment = env_percentiles.mean(axis=1, skipna=True)
    raw = environment * demographic
    return pd.DataFrame({"demographic_index": demographic, "environment": environment, "raw": raw,
                         "percentile": percentile_rank(raw)})


def cejst_flags(
    percentiles: pd.DataFrame,
    burdens: Sequence[str],
    low_income: str,
    burden_threshold: float = 0.90,
    income_threshold: float = 0.65,
) -> pd.Series:
    """CEJST-style burden flag: any burden percentile >= 0.90 AND low income >= 0.65.

    Parameters
    ----------
    percentiles : pandas.DataFrame
        Percentiles (0-1), one column per burden plus the low-income column.
    burdens : sequence of str
        Burden columns to test (those absent from the frame are ignored).
    low_income : str
        Low-income percentile column.

    Returns
    -------
    pandas.Series of bool
        False where low income or every burden is missing (no evidence is not a flag).
    """
    present = [b for b in burdens if b in percentiles.columns]
    burdened = (percentiles[present] >= burden_threshold).any(axis=1) if present else False
    low = percentiles[low_income] >= income_threshold
    return (burdened & low).astype(bool)
