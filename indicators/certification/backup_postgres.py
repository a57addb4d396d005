"""Restoring a records backup into PostgreSQL (:func:`import_into`), as safely as into a DuckDB
file (:mod:`indicators.certification.backup`), in one transaction instead of a file swap.

Why a transaction: a PostgreSQL database cannot be written beside its target and renamed into
place, but it can be rebuilt whole inside one transaction that commits only after every check
(each table's columns, types and rows, the audit chain and its head) has passed, while other app
servers keep reading the old records and their writers wait (:data:`WRITE_LOCK`). A database
whose history the backup lacks is refused unless ``force``, as for a file; with ``force`` the
replaced records are gone (there is no ``.before-import`` file), so export them first.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from indicators.certification import audit
from indicators.certification.backends import (
    CREATE_LOCK,
    WRITE_LOCK,
    DatabaseError,
    PostgresConnection,
    connect_postgres,
    describe,
    has_table,
)
from indicators.certification.backup_tables import fill, refuse_newer
from indicators.certification.checks import RecordError
from indicators.certification.database import TABLES


def import_into(folder: Path, manifest: dict[str, Any], url: str, *, force: bool) -> list[tuple[int, str]]:
    """Replace the records in the PostgreSQL database ``url`` by the checked backup in
    ``folder`` (its manifest already read), in one transaction; the restored chain as (id, hash).

    Raises
    ------
    RecordError
        If the backup does not load or check, or the database holds records the backup lacks (or
        another history, or unreadable ones) and not ``force``; nothing is changed.
    """
    with connect_postgres(url) as con:
        con.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
        try:
            con.execute("SELECT pg_advisory_xact_lock(?)", [CREATE_LOCK])  # no seeding meanwhile
            if has_table(con, "audit_log"):
                con.execute(WRITE_LOCK)
                current = _current(con, url, force)
                backup_chain = _backup_chain(folder, manifest)
                if current is not None and not force:
                    refuse_newer(describe(url), current, backup_chain)
                for table in TABLES:
                    con.execute(f"DROP TABLE IF EXISTS {table}")
            chain = fill(con, folder, manifest)
            con.commit()
        except BaseException:
            with contextlib.suppress(*DatabaseError):
                con.rollback()
            raise
    return chain


def _current(con: PostgresConnection, url: str, force: bool) -> list[tuple[int, str]] | None:
    """The database's audit chain as (id, hash), or None when it cannot be read and ``force``."""
    con.execute("SAVEPOINT reading")
    try:
        found = [(int(r["audit_id"]), str(r["row_hash"])) for r in audit.entries(con)]
    except (*DatabaseError, RecordError) as exc:
        con.execute("ROLLBACK TO SAVEPOINT reading")
        if not force:
            raise RecordError(f"The database at {describe(url)} cannot be read as a records database "
                              f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); nothing "
                              "was changed. Use --force to replace it with the backup.") from None
        return None
    con.execute("RELEASE SAVEPOINT reading")
    return found


def _backup_chain(folder: Path, manifest: dict[str, Any]) -> list[tuple[int, str]]:
    """The backup's audit chain as (id, hash), read from its file (checked whole once loaded)."""
    found = pq.read_table(folder / manifest["tables"]["audit_log"]["file"],
                          columns=["audit_id", "row_hash"]).to_pylist()
    return sorted((int(r["audit_id"]), str(r["row_hash"])) for r in found)
