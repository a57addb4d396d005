"""Comparing two built databases table by table, exactly: the proof that a change to the code
changed no number (or the list of what it changed).

Every table and view of either file is compared on its columns (names and types) and on its
rows *in order* (DuckDB keeps insertion order; ``rowid`` is compared with the values), with
DuckDB's own equality (NULLs equal, doubles bit for bit). Only what records the build itself is
left out: the build time (``meta.built_at``), the manifest's path (``meta.manifest_path``) and
when each file was loaded (``layers.loaded_at``). A column only the new database has, holding one
value in every row (such as ``period = ''`` when a schema gains periods and the region names
none), is reported as added and the other columns are compared.

``python -m indicators compare OLD.duckdb NEW.duckdb`` prints one line per table and exits 0
when every table is identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

#: Columns that record the build rather than the data.
VOLATILE_COLUMNS = {"layers": ("loaded_at",)}
#: ``meta`` keys that record the build rather than the data.
VOLATILE_META = ("built_at", "manifest_path")


@dataclass(frozen=True)
class TableDiff:
    """How one table compares."""

    table: str
    rows_old: int
    rows_new: int
    only_old: int
    only_new: int
    note: str = ""
    #: Columns only the new table has, each with the one value it holds: ``(name, value)``.
    added: tuple[tuple[str, str], ...] = ()

    @property
    def identical(self) -> bool:
        """Same columns, same rows in the same order."""
        return not self.note and self.only_old == 0 and self.only_new == 0

    def __str__(self) -> str:
        added = "".join(f"; added {c} = {v!r} in every row" for c, v in self.added)
        if self.identical:
            return f"{self.table}: identical ({self.rows_new:,} rows{added})"
        detail = self.note or (f"{self.only_old:,} rows only in the old, {self.only_new:,} only in "
                               "the new")
        return f"{self.table}: DIFFERENT ({self.rows_old:,} -> {self.rows_new:,} rows; {detail})"


def compare_databases(old: Path, new: Path) -> list[TableDiff]:
    """Every table of either database, compared.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, value in (("a", 1.0), ("b", 1.0), ("c", 2.0)):
    ...     with duckdb.connect(str(folder / f"{name}.duckdb")) as con:
    ...         _ = con.execute(f"CREATE TABLE t AS SELECT {value} AS x")
    >>> [d.identical for d in compare_databases(folder / "a.duckdb", folder / "b.duckdb")]
    [True]
    >>> print(compare_databases(folder / "a.duckdb", folder / "c.duckdb")[0])
    t: DIFFERENT (1 -> 1 rows; 1 rows only in the old, 1 only in the new)
    """
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS old (READ_ONLY)", [str(old)])
        con.execute("ATTACH ? AS new (READ_ONLY)", [str(new)])
        tables = {db: dict(con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = ?",
            [db]).fetchall()) for db in ("old", "new")}
        return [_compare(con, name, tables["old"], tables["new"])
                for name in sorted(set(tables["old"]) | set(tables["new"]))]


def _compare(con: duckdb.DuckDBPyConnection, name: str, old: dict[str, str],
             new: dict[str, str]) -> TableDiff:
    if name not in old or name not in new:
        return TableDiff(name, 0, 0, 0, 0, "only in the " + ("new" if name not in old else "old"))
    columns = {db: con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? "
        "AND table_name = ? ORDER BY ordinal_position", [db, name]).fetchall() for db in ("old", "new")}
    table = _ident(name)
    counts = [con.execute(f"SELECT count(*) FROM {db}.{table}").fetchone()[0] for db in ("old", "new")]
    table_ref = f"new.{table}"
    added = tuple((c, con.execute(f"SELECT any_value({_ident(c)}) FROM {table_ref}").fetchone()[0])
                  for c, t in columns["new"] if (c, t) not in columns["old"] and _constant(con, table_ref, c))
    common = [ct for ct in columns["new"] if ct[0] not in dict(added)]
    if columns["old"] != common:
        return TableDiff(name, *counts, 0, 0, "the columns differ")
    keep = [c for c, _ in common if c not in VOLATILE_COLUMNS.get(name, ())]
    select = ", ".join(_ident(c) for c in keep)
    # Base tables are compared in stored order; views have no rowid.
    order = "rowid, " if old[name] == "BASE TABLE" else ""
    where = ""
    if name == "meta":
        where = " WHERE key NOT IN (" + ", ".join(f"'{k}'" for k in VOLATILE_META) + ")"

    def only(a: str, b: str) -> int:
        return con.execute(f"SELECT count(*) FROM (SELECT {order}{select} FROM {a}.{table}{where} "
                           f"EXCEPT ALL SELECT {order}{select} FROM {b}.{table}{where})").fetchone()[0]

    return TableDiff(name, *counts, only("old", "new"), only("new", "old"), added=added)


def _constant(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether a column holds one value (or no row) throughout."""
    return con.execute(f"SELECT count(DISTINCT {_ident(column)}) <= 1 FROM {table}").fetchone()[0]


def _ident(name: str) -> str:
    """A table or column name of a database file, quoted as an SQL identifier (the names come
    from the files, so they are quoted, never trusted)."""
    return '"' + name.replace('"', '""') + '"'
