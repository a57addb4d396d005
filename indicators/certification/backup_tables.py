"""The table-by-table part of a records backup, the same on DuckDB and PostgreSQL: writing a
table to Parquet, loading a backup's tables into a database whose schema was just made (checking
columns, types, row counts and the audit chain against the manifest), and telling whether a
backup may replace a database's history. See :mod:`indicators.certification.backup`.

Why one module for both back ends: a backup written from either is read by either (the
Parquet types are the same: DuckDB's names for the columns' types, :data:`ARROW_TYPES`), so that
``migrate-records`` can move DuckDB records into PostgreSQL with the backup's own checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from indicators.certification import audit, migrations
from indicators.certification.backends import Connection, PostgresConnection, column_types
from indicators.certification.backup_manifest import MANIFEST
from indicators.certification.checks import RecordError
from indicators.certification.database import ID_COLUMNS

#: How each table's rows are ordered in its file (its key).
ORDER = {**ID_COLUMNS, "meta": "key", "projects": "project_id",
         "requirements": "project_id, requirement_id", "practitioners": "practitioner_id"}
#: The Parquet type of each column type (as DuckDB writes them).
ARROW_TYPES = {"VARCHAR": pa.string(), "JSON": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
               "DOUBLE": pa.float64(), "TIMESTAMP": pa.timestamp("us"), "DATE": pa.date32(),
               "BOOLEAN": pa.bool_()}


def write_table(con: Connection, table: str, file: Path) -> None:
    """Write every row of ``table``, in key order, to the Parquet file ``file``."""
    sql = f"SELECT * FROM {table} ORDER BY {ORDER[table]}"
    if isinstance(con, duckdb.DuckDBPyConnection):
        con.sql(sql).write_parquet(str(file))
        return
    columns = column_types(con, table)
    found = con.execute(sql).fetchall()
    arrays = {name: pa.array([row[i] for row in found], type=ARROW_TYPES[kind])
              for i, (name, kind) in enumerate(columns)}
    pq.write_table(pa.table(arrays), file)


def fill(con: Connection, folder: Path, manifest: dict[str, Any]) -> list[tuple[int, str]]:
    """Make the schema in the empty database of ``con`` (:func:`migrations.apply`), load every
    table of the backup into it and check the result against the manifest, inside the caller's
    transaction; the audit chain as (id, hash).

    The backup's ``meta`` rows replace those the migrations wrote, except the schema version,
    which is this code's (the tables were made by it).

    Raises
    ------
    RecordError
        If a file's columns, types or row count are not those listed, or the audit chain is
        broken or does not end at the manifest's head.
    """
    migrations.apply(con)
    con.execute("DELETE FROM meta")
    for table, info in manifest["tables"].items():
        _load_table(con, table, info, folder / info["file"])
    con.execute("DELETE FROM meta WHERE key = 'schema_version'")
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(migrations.LATEST)])
    rows = audit.entries(con)
    chain = audit.check(rows, manifest["audit"].get("head"))
    if not chain.ok:
        raise RecordError(f"The backup's audit chain is broken, so it was not imported: {chain.message}")
    if chain.head != manifest["audit"].get("head") or chain.rows != manifest["audit"].get("rows"):
        raise RecordError(f"The backup's audit log ({chain.rows} rows) does not end at the head hash in "
                          f"{MANIFEST}; use an intact copy of the backup.")
    return [(int(r["audit_id"]), str(r["row_hash"])) for r in rows]


def _load_table(con: Connection, table: str, info: dict[str, Any], file: Path) -> None:
    expected = {name: kind for name, kind in column_types(con, table)}
    listed = [(str(name), str(kind)) for name, kind in info["columns"]]
    try:
        arrow = pq.read_table(file)
    except (pa.ArrowException, OSError) as exc:
        raise RecordError(f"The backup file {file.name} cannot be read as Parquet ({exc}); use an intact "
                          "copy of the backup.") from None
    if [name for name, _ in listed] != list(arrow.column_names):
        raise RecordError(f"The columns of {file.name} are not those listed in {MANIFEST}; use an intact "
                          "copy of the backup.")
    for name, kind in listed:
        if expected.get(name) != kind:
            raise RecordError(f"The column {table}.{name} ({kind}) of the backup is not this version's "
                              f"({expected.get(name, 'absent')}); import it with the version that "
                              "exported it.")
    names = ", ".join(f'"{name}"' for name, _ in listed)
    if isinstance(con, PostgresConnection):
        marks = ", ".join("?" for _ in listed)
        found = arrow.to_pylist()
        if found:
            con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                            [[row[name] for name, _ in listed] for row in found])
    else:
        con.register("_backup_rows", arrow)
        try:
            con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _backup_rows")
        finally:
            con.unregister("_backup_rows")
    count = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    if count != info.get("rows"):
        raise RecordError(f"The backup file {file.name} holds {count} rows, not the "
                          f"{info.get('rows')} listed in {MANIFEST}; use an intact copy of the backup.")


def refuse_newer(target: str, current: list[tuple[int, str]], backup: list[tuple[int, str]]) -> None:
    """Refuse unless the target's chain is the start of the backup's (or the same).

    Raises
    ------
    RecordError
        Naming how the target differs (newer, or another history); the caller changes nothing.
    """
    if current == backup[:len(current)]:
        return
    if backup == current[:len(backup)]:
        extra = len(current) - len(backup)
        raise RecordError(f"The database at {target} is newer than the backup: it has {extra} audit "
                          f"row{'s' if extra != 1 else ''} the backup lacks (up to row {current[-1][0]}); "
                          "nothing was changed. Use --force to replace it with the backup anyway.")
    part = next(i for i, (a, b) in enumerate(zip(current, backup, strict=False)) if a != b)
    raise RecordError(f"The database at {target} has a different audit history from the backup (they "
                      f"part at audit row {current[part][0]}); nothing was changed. Use --force to replace "
                      "it with the backup anyway.")
