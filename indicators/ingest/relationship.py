"""Tract relationship files: how an older period's tracts lie on a newer period's tracts, for
carrying older values onto newer tracts (tract boundaries change at each decennial census).

Two formats are read (``role = "relationship"`` in the manifest):

- the Census Bureau's tract relationship file (``tab20_tract20_tract10_natl.txt``,
  pipe-delimited): ``GEOID_TRACT_20``, ``GEOID_TRACT_10``, ``AREALAND_PART`` (the land area the
  two share) and ``AREALAND_TRACT_10``; the weight is the share of the older tract's land in each
  newer tract;
- an IPUMS NHGIS crosswalk CSV: ``tr2010ge``, ``tr2020ge`` and a weight column (``wt_pop`` by
  default, or the one the layer's ``weight`` key names, such as ``wt_hu``): the share of the
  older tract's people (or housing units...) in each newer tract.

Which column is the older period's and which the newer's is decided by the GEOIDs themselves,
matched against each period's units: a file whose GEOIDs match neither is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from indicators.ingest.columns import Columns
from indicators.ingest.files import read_table
from indicators.ingest.layer import Layer
from indicators.ingest.values import normalise_geoid
from indicators.problems import LayerError, Problems, sample_list

#: (older GEOID column, newer GEOID column, weight columns, what the weight measures).
CENSUS_FORMAT = ("GEOID_TRACT_10", "GEOID_TRACT_20", ("AREALAND_PART", "AREALAND_TRACT_10"),
                 "land area (AREALAND_PART of the Census Bureau's tract relationship file)")
NHGIS_WEIGHTS = ("wt_pop", "wt_hu", "wt_hh", "wt_adult", "wt_fam")
#: At least this share of a column's GEOIDs must be a period's units for the column to be that
#: period's (relationship files are national; the region holds part of them).
MATCH_SHARE = 0.5


@dataclass(frozen=True)
class Relationship:
    """Older units onto newer ones: ``pairs`` holds ``older``, ``newer`` (GEOIDs) and
    ``weight``, the share of the older unit inside the newer one (each older unit's weights sum
    to 1 where the file covers it)."""

    layer_id: int
    older: str
    newer: str
    pairs: pd.DataFrame
    basis: str


def read_relationship(layer: Layer) -> tuple[pd.DataFrame, str]:
    """The file's pairs as ``a``, ``b`` (GEOIDs of the two vintages, in the file's order: 2010
    then 2020) and ``weight``, and what the weight measures."""
    table = read_table(layer.path)
    columns = Columns(table.frame, layer.rel, Problems(), decimal_comma=table.delimiter == ";")
    old, new, (part, whole), basis = CENSUS_FORMAT
    if columns.has(old, new, part):
        pairs = pd.DataFrame({"a": columns.text(old), "b": columns.text(new),
                              "weight": columns.number(part)})
        if columns.has(whole):
            pairs["weight"] = pairs["weight"] / columns.number(whole).where(columns.number(whole) > 0)
        else:
            pairs["weight"] = pairs["weight"] / pairs.groupby("a")["weight"].transform("sum")
    elif columns.has("tr2010ge", "tr2020ge"):
        name = layer.measure or next((w for w in NHGIS_WEIGHTS if columns.has(w)), None)
        if name is None or not columns.has(name):
            raise LayerError("this NHGIS crosswalk has no weight column",
                             f"name one with measure = \"wt_pop\" (the file has "
                             f"{sample_list(list(table.frame.columns), 8)}).")
        pairs = pd.DataFrame({"a": columns.text("tr2010ge"), "b": columns.text("tr2020ge"),
                              "weight": columns.number(name)})
        basis = f"{name.removeprefix('wt_')} (the {name} weight of an IPUMS NHGIS crosswalk)"
    else:
        raise LayerError(
            "this is not a tract relationship file: it needs GEOID_TRACT_10, GEOID_TRACT_20 and "
            "AREALAND_PART (Census Bureau) or tr2010ge, tr2020ge and a weight (IPUMS NHGIS)",
            f"the file has {sample_list(list(table.frame.columns), 8)}.")
    pairs["a"], pairs["b"] = normalise_geoid(pairs["a"]), normalise_geoid(pairs["b"])
    return pairs.dropna(subset=["weight"]).reset_index(drop=True), basis


def match_periods(layer: Layer, pairs: pd.DataFrame, basis: str,
                  units: Mapping[str, set[str]], periods: tuple[str, ...]) -> Relationship:
    """Tie each GEOID column of a relationship file to the period whose units it holds.

    Parameters
    ----------
    units : mapping
        Period -> the GEOIDs of its units.
    periods : tuple of str
        The periods, oldest first.

    Raises
    ------
    LayerError
        When the file's GEOIDs match no period's units, or both columns match the same one.
    """
    def period_of(column: str) -> str | None:
        geoids = set(pairs[column])
        shares = {p: len(geoids & units[p]) / max(len(units[p]), 1) for p in periods}
        best = max(shares, key=lambda p: shares[p])
        return best if shares[best] >= MATCH_SHARE else None

    found = {column: period_of(column) for column in ("a", "b")}
    if found["a"] is None or found["b"] is None or found["a"] == found["b"]:
        raise LayerError(
            "its GEOIDs match neither vintage of the region's units (or both columns match the "
            f"same one: {found['a'] or 'none'} / {found['b'] or 'none'})",
            "use the relationship file between the tract vintages of the region's periods "
            f"({', '.join(p for p in periods if p)}), for the same state.")
    older, newer = sorted((found["a"], found["b"]), key=periods.index)
    frame = pairs.rename(columns={"a" if found["a"] == older else "b": "older",
                                  "b" if found["a"] == older else "a": "newer"})
    frame = frame[frame["older"].isin(units[older]) & frame["newer"].isin(units[newer])]
    return Relationship(layer.index, older, newer, frame[["older", "newer", "weight"]]
                        .reset_index(drop=True), basis)
