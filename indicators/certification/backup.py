"""Backing up the records database to a folder, and restoring it, exactly and only when safe.

Why: the records are a record of truth, so a backup must hold every row of every table exactly
(values, types, JSON text, timestamps to the microsecond), must be seen to be intact before it
is restored, and a restore must never silently throw away records made after the backup.

A backup folder (:func:`export_records`) holds one Parquet file per table, ``<table>.parquet``
(rows in key order, DuckDB's own types), and ``manifest.json``::

    {"format": "just-communities/certification-records-backup", "format_version": 1,
     "schema_version": "1", "exported_at": "2026-12-01T10:50:21Z", "source": "...",
     "tables": {"projects": {"file": "projects.parquet", "rows": 2, "sha256": "...",
                             "columns": [["project_id", "VARCHAR"], ...]}, ...},
     "audit": {"rows": 9, "head": "<row_hash of the newest audit row>"}}

The export refuses a database whose audit chain is broken (:mod:`indicators.certification.audit`)
and is written to a hidden folder renamed into place, so a backup folder is always complete.

:func:`import_records` checks everything before the target is touched: the manifest, every
file's SHA-256, that the tables are this version's, that the rows load into a new database
written beside the target, that their audit chain holds and ends at the manifest's head. It then
compares the target's chain with the backup's: the target may only be replaced when its chain
is the start of (or the same as) the backup's, so a database with audit rows the backup lacks,
or a different history, is refused unless ``force``. The new file is swapped in with
``os.replace``; the replaced one is kept beside it as ``<name>.before-import``. Any refusal
leaves the target byte-for-byte unchanged.

Examples
--------
>>> import tempfile
>>> from indicators.certification.database import FORMAT
>>> from indicators.certification.seed import seed_if_absent
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "doc.json").write_text(json.dumps({"format": FORMAT, "projects": []}))
>>> seed_if_absent(folder / "doc.json", folder / "records.duckdb")
True
>>> export_records(folder / "backup", folder / "records.duckdb").tables["audit_log"]
1
>>> import_records(folder / "backup", folder / "copy.duckdb").message.startswith("Restored 15 tables")
True
>>> import_records(folder / "nowhere", folder / "copy.duckdb")
Traceback (most recent call last):
...
indicators.certification.checks.RecordError: There is no backup folder at ...nowhere; check the path.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from indicators.atomic import link_if_absent, remove_database, temporary_path
from indicators.certification import audit, backup_postgres
from indicators.certification.backends import (
    Connection,
    DatabaseError,
    Location,
    column_types,
    describe,
    exists,
    is_postgres,
    resolve,
)
from indicators.certification.backup_manifest import BACKUP_FORMAT, BACKUP_VERSION, MANIFEST, read_manifest
from indicators.certification.backup_tables import fill, refuse_newer, write_table
from indicators.certification.checks import RecordError
from indicators.certification.database import TABLES, retrying, transaction
from indicators.ingest.files import sha256

#: The suffix of the copy a restore keeps of the database it replaced.
BEFORE_IMPORT = ".before-import"


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_records` wrote: rows per table, the audit chain's length and head."""

    folder: Path
    tables: dict[str, int]
    audit_rows: int
    head: str
    skipped: tuple[str, ...] = field(default=())

    @property
    def message(self) -> str:
        """One sentence for the command line."""
        rows = sum(self.tables.values())
        extra = (f" (tables not part of the records, left out: {', '.join(self.skipped)})"
                 if self.skipped else "")
        return (f"Exported {len(self.tables)} tables ({rows:,} rows) to {self.folder}; "
                f"{self.audit_rows} audit rows, chain intact, head {self.head}{extra}.")


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_records` restored, and where the replaced database was kept."""

    target: Location
    tables: dict[str, int]
    audit_rows: int
    head: str
    kept: Path | None
    forced: bool

    @property
    def message(self) -> str:
        """One sentence for the command line."""
        rows = sum(self.tables.values())
        kept = f"; the database it replaced is kept as {self.kept}" if self.kept else ""
        return (f"Restored {len(self.tables)} tables ({rows:,} rows, {self.audit_rows} audit rows, "
                f"chain intact) into {describe(self.target)}{kept}.")


def export_records(folder: Path, db: Location | None = None) -> ExportReport:
    """Write every records table of ``db`` to the new (or empty) folder ``folder``.

    Raises
    ------
    RecordError
        If there is no database, the folder is not empty, or the audit chain is broken; nothing
        is written.
    """
    source = resolve(db)
    folder = Path(folder)
    if not (exists(source) if is_postgres(source) else Path(source).is_file()):
        raise RecordError(f"There is no records database at {describe(source)}; check the path given "
                          "with --db.")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise RecordError(f"The folder {folder} already exists and is not empty; choose a new folder, so "
                          "that no earlier backup is overwritten.")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        tables, chain, schema_version, skipped = _write_tables(source, tmp)
        manifest = {
            "format": BACKUP_FORMAT, "format_version": BACKUP_VERSION, "schema_version": schema_version,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "source": describe(source), "tables": {
                name: {**info, "sha256": sha256(tmp / info["file"])} for name, info in tables.items()},
            "audit": {"rows": chain.rows, "head": chain.head}}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, folder)  # an empty folder is replaced; the backup appears complete
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ExportReport(folder, {n: i["rows"] for n, i in tables.items()}, chain.rows, str(chain.head),
                        skipped)


def import_records(folder: Path, db: Location | None = None, *, force: bool = False) -> ImportReport:
    """Restore the backup in ``folder`` as the records database ``db`` (see the module docstring).

    Raises
    ------
    RecordError
        If the backup is missing, damaged or not this version's, its audit chain is broken, or
        the database is newer than the backup (or has another history) and not ``force``; the
        database is unchanged.
    """
    target = resolve(db)
    manifest = read_manifest(Path(folder))
    tables = {name: int(info["rows"]) for name, info in manifest["tables"].items()}
    head = str(manifest["audit"]["head"])
    if is_postgres(target):
        try:
            restored = backup_postgres.import_into(Path(folder), manifest, str(target), force=force)
        except DatabaseError as exc:
            raise RecordError(f"The backup cannot be loaded into {describe(target)} ({_first_line(exc)}); "
                              "nothing was changed. Use an intact copy of the backup, or an empty "
                              "database.") from None
        return ImportReport(target, tables, len(restored), head, None, force)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(target)
    try:
        backup_chain = _load(Path(folder), manifest, tmp)
        with _held(target, force) as current:
            if current is not None and not force:
                refuse_newer(str(target), current, backup_chain)
            kept = _swap(tmp, target) if target.exists() else _place(tmp, target)
    finally:
        remove_database(tmp)
    return ImportReport(target, tables, len(backup_chain), head, kept, force)


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _write_tables(source: Location, out: Path) -> tuple[dict[str, dict[str, Any]], audit.ChainReport, str,
                                                     tuple[str, ...]]:
    """Every records table as Parquet, in one transaction (a consistent snapshot), after the
    audit chain (added to an older database first) was found intact."""

    def snapshot() -> tuple[dict[str, dict[str, Any]], audit.ChainReport, str, tuple[str, ...]]:
        with transaction(source) as con:
            audit.ensure_chain(con)
            chain = audit.check(audit.entries(con))
            if not chain.ok:
                raise RecordError(f"Nothing was exported, because the audit chain is broken: "
                                  f"{chain.message}")
            present = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema() AND table_type = 'BASE TABLE'").fetchall()}
            tables = {}
            for table in (t for t in TABLES if t in present):
                file = out / f"{table}.parquet"
                write_table(con, table, file)
                tables[table] = {"file": file.name, "rows": _count(con, table),
                                 "columns": column_types(con, table)}
            found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return tables, chain, found[0] if found else "", tuple(sorted(present - set(TABLES)))

    try:
        return retrying(snapshot)
    except DatabaseError as exc:
        raise RecordError(f"The records database {describe(source)} cannot be read as a records database "
                          f"({_first_line(exc)}); check the path given with --db.") from None


def _count(con: Connection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


def _load(folder: Path, manifest: dict[str, Any], tmp: Path) -> list[tuple[int, str]]:
    """Load the backup into a new database at ``tmp`` and check it; its chain as (id, hash)."""
    try:
        con = duckdb.connect(str(tmp))
    except duckdb.Error as exc:
        raise RecordError(f"A new database cannot be written at {tmp} ({_first_line(exc)}); check that "
                          "the folder is writable.") from None
    try:
        chain = fill(con, folder, manifest)
        con.execute("CHECKPOINT")
        return chain
    except duckdb.Error as exc:
        raise RecordError(f"The backup cannot be loaded ({_first_line(exc)}); use an intact copy of the "
                          "backup, or the version that exported it.") from None
    finally:
        con.close()


@contextlib.contextmanager
def _held(target: Path, force: bool) -> Iterator[list[tuple[int, str]] | None]:
    """The target's audit chain as (id, hash), read on a read-only connection held open (so no
    other process writes to it) until the swap is done; None when there is no target or (with
    ``force``) it cannot be read."""
    if not target.exists():
        yield None
        return
    con = None
    try:
        con = _open_read_only(target)
        current = [(int(r["audit_id"]), str(r["row_hash"])) for r in audit.entries(con)]
    except (duckdb.Error, RecordError) as exc:
        if con is not None:
            con.close()
            con = None
        if "lock" in str(exc).lower() or isinstance(exc, duckdb.ConnectionException):  # open here
            raise RecordError(f"The database at {target} is in use by another program; nothing was "
                              "changed. Try again when no one is saving records.") from None
        if not force:
            raise RecordError(f"The file at {target} cannot be read as a records database "
                              f"({_first_line(exc)}); nothing was changed. Use --force to replace it with "
                              "the backup.") from None
        current = None
    try:
        yield current
    finally:
        if con is not None:
            con.close()


def _open_read_only(target: Path, attempts: int = 20) -> duckdb.DuckDBPyConnection:
    for attempt in range(attempts):
        try:
            return duckdb.connect(str(target), read_only=True)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")  # pragma: no cover


def _swap(tmp: Path, target: Path) -> Path:
    """Put ``tmp`` at ``target`` atomically, keeping the replaced file (and its write-ahead
    log) as ``<target>.before-import``."""
    kept = target.with_name(target.name + BEFORE_IMPORT)
    remove_database(kept)
    try:
        os.link(target, kept)
    except OSError:  # no hard links on this file system
        shutil.copy2(target, kept)
    wal = target.with_name(target.name + ".wal")
    if wal.exists():  # it belongs to the replaced file; left beside the new one it would be replayed
        os.replace(wal, kept.with_name(kept.name + ".wal"))
    os.replace(tmp, target)
    return kept


def _place(tmp: Path, target: Path) -> None:
    if not link_if_absent(tmp, target):
        raise RecordError(f"A records database appeared at {target} during the import; nothing was "
                          "changed. Run import-records again.")


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0].rstrip(".") if str(exc) else type(exc).__name__

