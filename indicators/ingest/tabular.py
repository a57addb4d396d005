"""Mapping a GEOID-keyed table onto canonical variables through a :class:`Profile`.

A profile lists, for each canonical variable, one or more *expressions* over the file's
columns; the first whose columns are all present is used. An expression is a sum of terms,
``"B03002_001 - B03002_003"``, where ``B01001_020:025`` stands for the run of cells
``B01001_020 ... B01001_025``. The profile says how a term names its estimate column
(``B03002_001`` -> ``B03002_001E``) and its margin-of-error column (``B03002_001M``); MOEs of a
sum combine in quadrature (:func:`indicators.metrics.moe.sum_moe`).

Column names are matched loosely (case, spaces and punctuation ignored), so the CEJST header
``PM2.5 in the air (percentile)`` and R's ``PM2.5.in.the.air..percentile.`` are the same column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.ingest.columns import Columns
from indicators.ingest.layer import Layer
from indicators.ingest.text import Table
from indicators.ingest.values import (
    GEOID_LENGTH,
    normalise_geoid,
    restore_leading_zero,
)
from indicators.metrics.moe import sum_moe
from indicators.metrics.variables import VARIABLES
from indicators.problems import LayerError, Problems, sample_list

_RANGE = re.compile(r"^(?P<stem>.+_)(?P<start>\d{3}):(?P<end>\d{3})(?P<suffix>[A-Z]?)$")
LEVEL_OF_LENGTH = {length: level for level, length in GEOID_LENGTH.items()}
#: No census or environmental figure of one unit comes near this (a quadrillion); larger values
#: are damage, and summed over districts they overflow to infinity.
MAX_ESTIMATE = 1e15


Compute = Callable[[Columns, Layer], tuple[pd.Series, pd.Series | None] | None]


@dataclass(frozen=True)
class Field:
    """How one canonical variable is read from a source.

    Attributes
    ----------
    variable : str
        The canonical variable.
    alternatives : tuple of str
        Expressions (see the module docstring); the first whose columns exist is used.
    scale : float
        Multiplier applied to the estimate and its MOE (e.g. 0.01 for "percent x 100").
    compute : callable, optional
        For values no expression can state (e.g. a universe derived from a published
        percentage): ``compute(columns, layer) -> (estimate, moe or None)`` or None if absent.
    reads : tuple of str
        The source columns ``compute`` reads (what the "cannot show" list names).
    """

    variable: str
    alternatives: tuple[str, ...] = ()
    scale: float = 1.0
    compute: Compute | None = None
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A named mapping from one kind of source file to canonical variables."""

    name: str
    title: str
    roles: tuple[str, ...]
    key_columns: tuple[str, ...]
    fields: tuple[Field, ...]
    signature: tuple[str, ...] = ()
    estimate_column: Callable[[str], str] = lambda term: term
    moe_column: Callable[[str], str | None] = lambda term: None
    prepare: Callable[[pd.DataFrame, Layer], pd.DataFrame] | None = None
    build_key: Callable[[Columns], pd.Series | None] | None = None


@dataclass
class Extract:
    """Canonical variables read from one tabular layer.

    Attributes
    ----------
    level : str
        "tract" or "block_group", from the GEOID length.
    estimates, moes : pandas.DataFrame
        Indexed by GEOID, one column per canonical variable. MOEs are NaN where the source
        publishes none.
    rows : int
        Data rows in the file.
    no_moe : list of str
        Count variables read without a margin of error.
    notes : list of str
        Things the user should know about this layer (not problems).
    """

    level: str
    estimates: pd.DataFrame
    moes: pd.DataFrame
    rows: int
    no_moe: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def long(self) -> pd.DataFrame:
        """The estimates as a long table: geoid, variable, estimate, moe (missing dropped)."""
        est = self.estimates.rename_axis("geoid").reset_index().melt(
            id_vars="geoid", var_name="variable", value_name="estimate"
        )
        moe = self.moes.rename_axis("geoid").reset_index().melt(
            id_vars="geoid", var_name="variable", value_name="moe"
        )
        out = est.merge(moe, on=["geoid", "variable"], how="left")
        return out.dropna(subset=["estimate"]).reset_index(drop=True)


def expand_terms(expression: str) -> list[tuple[int, str]]:
    """Split an expression into signed terms, expanding ``stem_001:005`` runs.

    Examples
    --------
    >>> expand_terms("B01001_003:004 - B01001_001")
    [(1, 'B01001_003'), (1, 'B01001_004'), (-1, 'B01001_001')]
    """
    terms: list[tuple[int, str]] = []
    sign = 1
    for token in expression.replace("+", " + ").replace(" - ", " -- ").split():
        if token == "+":
            sign = 1
            continue
        if token == "--":
            sign = -1
            continue
        match = _RANGE.match(token)
        if match:
            width = len(match["start"])
            for n in range(int(match["start"]), int(match["end"]) + 1):
                terms.append((sign, f"{match['stem']}{n:0{width}d}{match['suffix']}"))
        else:
            terms.append((sign, token))
        sign = 1
    return terms


def extract(table: Table, layer: Layer, profile: Profile, problems: Problems) -> Extract | None:
    """Read a table's canonical variables through a profile, validating as it goes.

    Parameters
    ----------
    table : Table
        The file's cells as text.
    layer : Layer
        The manifest entry (key override, column maps, measure...).
    profile : Profile
        The column mapping.
    problems : Problems
        Every problem found is recorded here.

    Returns
    -------
    Extract or None
        None when the layer has errors (they are in ``problems``).
    """
    file = layer.rel
    before = len(problems.errors)
    frame = profile.prepare(table.frame, layer) if profile.prepare else table.frame
    if frame.empty:
        raise LayerError("the table has a header but no data rows", "download it again.")
    columns = Columns(frame, file, problems, decimal_comma=table.delimiter == ";")
    if profile.signature and not any(columns.has(c) for c in profile.signature):
        raise LayerError(
            f"this does not look like a {profile.title} file: none of the columns "
            f"{sample_list(list(profile.signature), 4)} is present",
            f"check the profile (now {profile.name!r}) or the file; its columns are "
            f"{sample_list(list(frame.columns), 8)}.",
        )
    geoids, level = _geoids(columns, layer, profile, problems)
    estimates: dict[str, pd.Series] = {}
    moes: dict[str, pd.Series] = {}
    no_moe: list[str] = []
    derived: list[str] = []
    for spec in _fields(profile, layer):
        result = _evaluate(spec, columns, layer, profile)
        if result is None:
            continue
        est, moe = result
        estimates[spec.variable] = est * spec.scale
        moes[spec.variable] = (moe * spec.scale) if moe is not None else pd.Series(np.nan, est.index)
        if moe is None and VARIABLES[spec.variable].kind == "count":
            (derived if spec.compute is not None else no_moe).append(spec.variable)
    if not estimates:
        expected = [a for f in profile.fields for a in f.alternatives[:1]] or list(layer.columns)
        raise LayerError(
            f"no column this {profile.title} profile knows was found",
            f"expected columns such as {sample_list(expected, 4)}; the file has "
            f"{sample_list(list(frame.columns), 6)}.",
        )
    est_frame = pd.DataFrame(estimates)
    _check_negative_counts(est_frame, file, problems)
    _check_magnitude(est_frame, file, problems)
    if len(problems.errors) > before or geoids is None:
        return None
    est_frame.index = pd.Index(geoids.to_numpy(), name="geoid")
    moe_frame = pd.DataFrame(moes)
    moe_frame.index = est_frame.index
    notes = list(table.notes)
    if no_moe:
        notes.append(f"no margin of error for {len(no_moe)} count variables "
                     f"({sample_list(no_moe, 4)}): their reliability is shown as unknown")
    if derived:
        notes.append(f"{sample_list(derived, 5)} derived from the published percentages "
                     "(no margin of error)")
    return Extract(level, est_frame, moe_frame, rows=len(frame), no_moe=no_moe, notes=notes)


def _fields(profile: Profile, layer: Layer) -> list[Field]:
    """The profile's fields plus any the manifest maps explicitly (``columns = {...}``)."""
    fields = list(profile.fields)
    for variable, column in layer.columns.items():
        fields = [f for f in fields if f.variable != variable]
        fields.append(Field(variable, (column,)))
    return fields


def _evaluate(
    spec: Field, columns: Columns, layer: Layer, profile: Profile
) -> tuple[pd.Series, pd.Series | None] | None:
    if spec.compute is not None:
        return spec.compute(columns, layer)
    for expression in spec.alternatives:
        terms = expand_terms(expression)
        est_cols = [profile.estimate_column(t) for _, t in terms]
        if not columns.has(*est_cols):
            continue
        kind = VARIABLES[spec.variable].kind
        if kind == "flag":
            return columns.boolean(est_cols[0]), None
        values = np.column_stack([columns.number(c).to_numpy() for c in est_cols])
        signs = np.array([s for s, _ in terms], dtype=float)
        with np.errstate(invalid="ignore"):
            est = pd.Series((values * signs).sum(axis=1), index=columns.frame.index)
        est[np.isnan(values).any(axis=1)] = np.nan
        if kind == "percentile":
            est = _as_fraction(est)
        moe_cols = [
            layer.moe_columns.get(spec.variable) if len(terms) == 1 and spec.variable
            in layer.moe_columns else profile.moe_column(t) for _, t in terms
        ]
        if all(c is not None and columns.has(c) for c in moe_cols):
            moe_values = np.column_stack([columns.number(c).to_numpy() for c in moe_cols])
            moe = pd.Series(sum_moe(values, moe_values, axis=1), index=columns.frame.index)
            return est, moe
        return est, None
    return None


def _as_fraction(values: pd.Series) -> pd.Series:
    """Percentiles published on a 0-100 scale become 0-1 (detected per column)."""
    return values / 100.0 if values.max(skipna=True) > 1.0 else values


def _geoids(
    columns: Columns, layer: Layer, profile: Profile, problems: Problems
) -> tuple[pd.Series | None, str]:
    file = layer.rel
    key = layer.key
    raw = None
    if key is not None:
        if not columns.has(key):
            raise LayerError(
                f"the key column {key!r} is not in the file",
                f"set `key` to the GEOID column; the file has {sample_list(list(columns.frame.columns), 8)}.",
            )
        raw = columns.text(key)
    else:
        for candidate in profile.key_columns:
            if columns.has(candidate):
                raw = columns.text(candidate)
                break
        if raw is None and profile.build_key is not None:
            raw = profile.build_key(columns)
    if raw is None:
        raise LayerError(
            f"no GEOID column found (looked for {sample_list(list(profile.key_columns), 6)})",
            f"add `key = \"...\"` naming the GEOID column; the file has "
            f"{sample_list(list(columns.frame.columns), 8)}.",
        )
    geoids = normalise_geoid(raw)
    lengths = geoids.str.len()
    common = int(lengths.mode().iloc[0]) if len(lengths) else 0
    if common == 10:  # a spreadsheet dropped the leading zero of states 01-09
        geoids, padded = restore_leading_zero(geoids, 11)
        if padded:
            common = 11
    level = LEVEL_OF_LENGTH.get(common, "")
    bad = ~geoids.str.fullmatch(r"\d+") | (geoids.str.len() != common) | (level not in (
        "tract", "block_group"))
    if bad.any():
        rows = columns.frame.index[bad]
        examples = sample_list([repr(g) for g in geoids[bad].head(3)], 3)
        problems.error(
            file,
            f"{int(bad.sum())} GEOIDs are not tract (11-digit) or block-group (12-digit) codes "
            f"of the same length as the rest (e.g. {examples})",
            "each row needs a full GEOID: state (2) + county (3) + tract (6) [+ block group (1)] "
            "digits.",
            f"rows {sample_list([str(r + 2) for r in rows])}",
        )
        return None, level
    dupes = geoids[geoids.duplicated(keep=False)]
    if not dupes.empty:
        problems.error(
            file,
            f"{dupes.nunique()} GEOIDs appear more than once "
            f"({sample_list(sorted(dupes.unique()), 5)})",
            "keep one row per GEOID (a file joined twice, or several years stacked, does this).",
            f"rows {sample_list([str(r + 2) for r in dupes.index])}",
        )
        return None, level
    return geoids, level


def _check_negative_counts(frame: pd.DataFrame, file: str, problems: Problems) -> None:
    for variable in frame.columns:
        if VARIABLES[variable].kind != "count":
            continue
        negative = frame[variable] < 0
        if negative.any():
            rows = frame.index[negative]
            problems.error(
                file,
                f"{int(negative.sum())} negative counts for {variable} "
                f"(e.g. {frame.loc[rows[0], variable]:g}); a count cannot be below zero",
                "check the column mapping; Census 'no estimate' codes such as -666666666 are "
                "understood, other negative numbers are not.",
                f"{variable}, rows {sample_list([str(r + 2) for r in rows])}",
            )


def _check_magnitude(frame: pd.DataFrame, file: str, problems: Problems) -> None:
    for variable in frame.columns:
        huge = frame[variable].abs() > MAX_ESTIMATE
        if huge.any():
            rows = frame.index[huge]
            problems.error(
                file,
                f"{int(huge.sum())} values of {variable} are larger than any census figure can be "
                f"(e.g. {frame.loc[rows[0], variable]:.3g})",
                "check the column mapping and the cells; a damaged export or a misplaced exponent "
                "does this.",
                f"{variable}, rows {sample_list([str(r + 2) for r in rows])}",
            )
