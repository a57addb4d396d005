"""SVI-style social vulnerability: the CDC/ATSDR Social Vulnerability Index, by its publisher's
method for the vintage of the data, and the four theme ranks.

Formula
-------
For each unit and each SVI variable, the variable's percentage (``EP_*``) is percentile-ranked
among the region's units, ``EPL = (rank - 1) / (N - 1)`` with ties at the lowest rank
(per-capita income, in the 2018 method, in descending order). Within each theme the ranks are
summed (``SPL``) and the sums ranked (``RPL_THEME1``-``4``); the theme sums are summed
(``SPL_THEMES``) and ranked again: ``RPL_THEMES`` is the index. As CDC does, percentages are
taken to one decimal and every rank and sum to four (:data:`EP_DECIMALS`, :data:`CDC_DECIMALS`).
A district's value is the population-weighted mean of its units' values.

The method follows the data's vintage (:func:`method_for`): CDC changed the variables for the
2020 release (:data:`METHOD_2018`, 15 variables with poverty below 100 %, per-capita income and
English in the minority theme; :data:`METHOD_2020`, 16 variables with poverty below 150 %, housing
cost burden and no insurance, used for 2020 and 2022). A variable the region lacks is left out,
never replaced by another; the index needs :data:`MIN_VARIABLES` of the method's variables.

Where the region loads CDC's own SVI file, units show CDC's published ranks
(``RPL_THEMES``, ``RPL_THEME1``-``4``), labelled as published; the computation above is what a
region without CDC's file gets. Either way districts are population-weighted means of the units.

References
----------
CDC/ATSDR Social Vulnerability Index documentation, 2018 and 2022 (Agency for Toxic Substances
and Disease Registry, Geospatial Research, Analysis, and Services Program).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.metrics.composites.base import CompositeIndex, Context, Unavailable, UnitIndex
from indicators.metrics.inputs import Inputs
from indicators.metrics.rank import percentile_rank

#: CDC SVI 2020 and 2022 themes (variable suffixes of the ``EP_*`` columns).
SVI_THEMES_2020: dict[str, tuple[str, ...]] = {
    "THEME1": ("POV150", "UNEMP", "HBURD", "NOHSDP", "UNINSUR"),
    "THEME2": ("AGE65", "AGE17", "DISABL", "SNGPNT", "LIMENG"),
    "THEME3": ("MINRTY",),
    "THEME4": ("MUNIT", "MOBILE", "CROWD", "NOVEH", "GROUPQ"),
}
SVI_THEMES_2022 = SVI_THEMES_2020
#: CDC SVI 2018 themes (per-capita income is ranked in descending order).
SVI_THEMES_2018: dict[str, tuple[str, ...]] = {
    "THEME1": ("POV", "UNEMP", "PCI", "NOHSDP"),
    "THEME2": ("AGE65", "AGE17", "DISABL", "SNGPNT"),
    "THEME3": ("MINRTY", "LIMENG"),
    "THEME4": ("MUNIT", "MOBILE", "CROWD", "NOVEH", "GROUPQ"),
}
SVI_DESCENDING = frozenset({"PCI"})
#: What each theme measures, in CDC's words.
THEME_TITLES = {"THEME1": "socioeconomic status", "THEME2": "household characteristics",
                "THEME3": "racial and ethnic minority status",
                "THEME4": "housing type and transportation"}

#: CDC SVI variable -> its percentage among canonical variables: (numerator, denominator)
#: alternatives, or (value, None) for a value ranked as it is (per-capita income).
SVI_RATES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "POV": (("pov_below_100", "pov_universe"),),
    "POV150": (("pov_below_150", "pov_universe"),),
    "UNEMP": (("unemployed", "labor_force"),),
    "PCI": (("per_capita_income", None),),
    "HBURD": (("hh_cost_burden_lt75k", "households"),),
    "NOHSDP": (("edu_less_hs", "edu_universe"),),
    "UNINSUR": (("pop_uninsured", "insurance_universe"),),
    "AGE65": (("pop_over64", "pop_total"),),
    "AGE17": (("pop_under18", "pop_total"),),
    "DISABL": (("pop_disabled", "disability_universe"), ("pop_disabled", "pop_total")),
    "SNGPNT": (("hh_single_parent", "households"),),
    "LIMENG": (("pop_limited_english", "pop_5plus"), ("hh_limited_english", "households")),
    "MINRTY": (("pop_poc", "pop_total"),),
    "MUNIT": (("units_multiunit", "housing_units"),),
    "MOBILE": (("units_mobile", "housing_units"),),
    "CROWD": (("units_crowded", "occupied_units"),),
    "NOVEH": (("hh_no_vehicle", "households"),),
    "GROUPQ": (("pop_group_quarters", "pop_total"),),
}

#: Fewer of the method's variables than this and the region gets no SVI-style index.
MIN_VARIABLES = 4
#: CDC rounds every published rank to this many decimals (theme sums use the rounded ranks).
CDC_DECIMALS = 4
#: CDC publishes every ``EP_*`` percentage to one decimal and ranks those rounded values.
EP_DECIMALS = 1
#: Data whose last year is this or earlier follow the 2018 method; later data the 2020 one.
LAST_2018_METHOD_YEAR = 2019


@dataclass(frozen=True)
class Method:
    """One vintage of CDC's method: its themes and the variables ranked in descending order."""

    name: str
    themes: Mapping[str, tuple[str, ...]]
    descending: frozenset[str]

    @property
    def variables(self) -> tuple[str, ...]:
        """Every variable of the method, theme by theme."""
        return tuple(v for vs in self.themes.values() for v in vs)


METHOD_2018 = Method("CDC/ATSDR SVI 2018 method (15 variables)", SVI_THEMES_2018, SVI_DESCENDING)
METHOD_2020 = Method("CDC/ATSDR SVI 2020 and 2022 method (16 variables)", SVI_THEMES_2020, frozenset())

#: The published ranks a CDC SVI file carries: canonical variable of each.
PUBLISHED = {"RPL_THEMES": "svi_rpl_themes", **{f"RPL_{t}": f"svi_rpl_{t.lower()}" for t in THEME_TITLES}}


def method_for(year: int | None) -> Method:
    """CDC's method for data ending in ``year`` (the latest method when the year is unknown).

    Examples
    --------
    >>> method_for(2018).name, method_for(2022).name, method_for(None) is METHOD_2020
    ('CDC/ATSDR SVI 2018 method (15 variables)', 'CDC/ATSDR SVI 2020 and 2022 method (16 variables)', True)
    """
    return METHOD_2018 if year is not None and year <= LAST_2018_METHOD_YEAR else METHOD_2020


def svi(
    percentages: pd.DataFrame,
    themes: Mapping[str, Sequence[str]] = SVI_THEMES_2020,
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
    (SPL_THEMES) and ranked (RPL_THEMES). CDC/ATSDR SVI documentation 2018, 2020 and 2022.
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


def svi_inputs(inputs: Inputs, method: Method) -> tuple[pd.DataFrame, list[str]]:
    """Unit-level percentages of the method's variables the region has (each from one layer).

    Returns the table (columns named like CDC's, e.g. ``POV150``) and the variables used.
    A zero denominator gives a missing value, so the unit is left unranked for that variable.
    """
    columns: dict[str, np.ndarray] = {}
    for name in method.variables:
        for num, den in SVI_RATES[name]:
            source = inputs.source((num,) if den is None else (num, den))
            if source is None:
                continue
            x = source.values(num)
            if den is None:
                columns[name] = x
                break
            y = source.values(den)
            with np.errstate(divide="ignore", invalid="ignore"):
                columns[name] = np.where(y > 0, 100.0 * x / y, np.nan)
            break
    return pd.DataFrame(columns), list(columns)


def _vintage(inputs: Inputs) -> tuple[Method, str]:
    """The method for the region's census data: the year of the first census layer that has
    any SVI variable (census before environment, then manifest order)."""
    wanted = {v for alternatives in SVI_RATES.values() for pair in alternatives for v in pair if v}
    for layer_id in inputs.layer_order:
        if wanted & set(inputs.est[layer_id].columns):
            year = inputs.year(layer_id)
            return method_for(year), inputs.layer_titles.get(layer_id, "")
    return METHOD_2020, ""


def _published(context: Context, column: str) -> UnitIndex | None:
    """CDC's published rank ``column`` where a layer carries it."""
    source = context.inputs.source((PUBLISHED[column],))
    if source is None:
        return None
    title = context.inputs.layer_titles.get(source.layer_id, "CDC/ATSDR SVI")
    return UnitIndex(source.values(PUBLISHED[column]),
                     f"CDC/ATSDR, as published ({column}); districts population-weighted",
                     f"published by CDC/ATSDR in {title}", source.layer_id)


def computed(context: Context, column: str) -> UnitIndex | Unavailable:
    """``column`` (``RPL_THEMES`` or ``RPL_THEME1``-``4``) computed by CDC's method for the
    region's data vintage from its own counts, whatever CDC publishes."""
    method, _ = _vintage(context.inputs)
    table, used = svi_inputs(context.inputs, method)
    if len(used) < MIN_VARIABLES:
        return Unavailable(f"not available for this region: fewer than {MIN_VARIABLES} of CDC's "
                           "SVI variables")
    # CDC's method as published: percentages to one decimal, every rank and sum to four.
    ranks = svi(table.round(EP_DECIMALS), method.themes, method.descending)
    if column not in ranks:
        return Unavailable(f"not available for this region: none of the variables of SVI "
                           f"{THEME_TITLES[column[4:]]} ({', '.join(method.themes[column[4:]])})")
    return UnitIndex(ranks[column].to_numpy(), f"SVI-style: {method.name} on the region's units; "
                     "districts population-weighted", "variables used: " + ", ".join(used))


@dataclass(frozen=True)
class _Ranks:
    """A published rank where CDC's file is loaded, else :func:`computed` (a class rather than
    a closure, so that an indicator can be cached and sent between processes)."""

    column: str

    def __call__(self, context: Context) -> UnitIndex | Unavailable:
        return _published(context, self.column) or computed(context, self.column)


def _index(column: str) -> CompositeIndex:
    theme = THEME_TITLES.get(column[4:], "")
    return CompositeIndex(
        name="svi" if column == "RPL_THEMES" else f"svi_{column[4:].lower()}",
        inputs=("CDC's own ranks where the region loads a CDC SVI file; else CDC SVI variables as "
                "the region's rates (15 in the 2018 method, 16 in the 2020 method)")
        + (f", the {theme} theme" if theme else ""),
        reference="CDC/ATSDR Social Vulnerability Index method (2018, 2020 and 2022 documentation)",
        unit_index=_Ranks(column),
    )


INDEX = _index("RPL_THEMES")
#: The four theme ranks, by theme.
THEME_INDEXES = {theme: _index(f"RPL_{theme}") for theme in THEME_TITLES}
