"""A table's columns looked up loosely by name, read as numbers, flags or text, with every bad
cell reported once per column (the first step of every profile's reading)."""

from __future__ import annotations

import pandas as pd

from indicators.ingest.values import normalise_name, to_bool, to_number
from indicators.problems import Problems, sample_list


class Columns:
    """The numeric, boolean and text columns of one table, looked up loosely by name.

    Bad cells are reported once per column into ``problems``; the values returned then hold
    NaN in those cells, so the caller can go on checking the rest of the file.
    """

    def __init__(self, frame: pd.DataFrame, file: str, problems: Problems, decimal_comma: bool):
        self.frame = frame
        self.file = file
        self.problems = problems
        self.decimal_comma = decimal_comma
        self._lookup: dict[str, str] = {}
        for column in frame.columns:
            self._lookup.setdefault(normalise_name(column), column)
        self._cache: dict[str, pd.Series] = {}

    def actual(self, name: str) -> str | None:
        """The file's own spelling of a column, or None when absent."""
        return self._lookup.get(normalise_name(name))

    def has(self, *names: str) -> bool:
        """Whether every named column is present."""
        return all(self.actual(n) is not None for n in names)

    def text(self, name: str) -> pd.Series:
        """A column's cells as text."""
        return self.frame[self.actual(name)].astype("string").fillna("")

    def number(self, name: str) -> pd.Series:
        """A column as floats; sentinels and annotations are missing, bad text is reported."""
        column = self.actual(name)
        if column in self._cache:
            return self._cache[column]
        values, bad = to_number(self.frame[column], decimal_comma=self.decimal_comma)
        if bad.any():
            rows = self.frame.index[bad]
            examples = sample_list([repr(v) for v in self.frame.loc[rows[:3], column]], 3)
            self.problems.error(
                self.file,
                f"{int(bad.sum())} cells are text, not numbers (e.g. {examples})",
                "replace them with numbers, or leave them empty for 'no estimate'.",
                f"column {column}, rows {sample_list([str(r + 2) for r in rows])}",
            )
        self._cache[column] = values
        return values

    def boolean(self, name: str) -> pd.Series:
        """A True/False column as 1.0/0.0; other text is reported."""
        column = self.actual(name)
        values, bad = to_bool(self.frame[column])
        if bad.any():
            rows = self.frame.index[bad]
            self.problems.error(
                self.file, f"{int(bad.sum())} cells are neither True nor False",
                "use True/False (or 1/0).",
                f"column {column}, rows {sample_list([str(r + 2) for r in rows])}",
            )
        return values
