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
>>> import_records(folder / "backup", folder / "copy.duckdb").message.startswith("Restored 13 tables")
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

from indicators import config
from indicators.atomic import link_if_absent, remove_database, temporary_path
from indicators.certification import audit
from indicators.certification.backup_manifest import BACKUP_FORMAT, BACKUP_VERSION, MANIFEST, read_manifest
from indicators.certification.checks import RecordError
from indicators.certification.database import ID_COLUMNS, SCHEMA, TABLES, retrying, transaction
from indicators.ingest.files import sha256

#: The suffix of the copy a restore keeps of the database it replaced.
BEFORE_IMPORT = ".before-import"
#: How each table's rows are ordered in its file (its key).
ORDER = {**ID_COLUMNS, "meta": "key", "projects": "project_id",
         "requirements": "project_id, requirement_id", "practitioners": "practitioner_id"}


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

    target: Path
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
                f"chain intact) into {self.target}{kept}.")


def export_records(folder: Path, db: Path | None = None) -> ExportReport:
    """Write every records table of ``db`` to the new (or empty) folder ``folder``.

    Raises
    ------
    RecordError
        If there is no database, the folder is not empty, or the audit chain is broken; nothing
        is written.
    """
    source = _db(db)
    folder = Path(folder)
    if not source.is_file():
        raise RecordError(f"There is no records database at {source}; check the path given with --db.")
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
            "source": str(source), "tables": {
                name: {**info, "sha256": sha256(tmp / info["file"])} for name, info in tables.items()},
            "audit": {"rows": chain.rows, "head": chain.head}}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, folder)  # an empty folder is replaced; the backup appears complete
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ExportReport(folder, {n: i["rows"] for n, i in tables.items()}, chain.rows, str(chain.head),
                        skipped)


def import_records(folder: Path, db: Path | None = None, *, force: bool = False) -> ImportReport:
    """Restore the backup in ``folder`` as the records database ``db`` (see the module docstring).

    Raises
    ------
    RecordError
        If the backup is missing, damaged or not this version's, its audit chain is broken, or
        the database is newer than the backup (or has another history) and not ``force``; the
        database is unchanged.
    """
    target = _db(db)
    manifest = read_manifest(Path(folder))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(target)
    try:
        backup_chain = _load(Path(folder), manifest, tmp)
        with _held(target, force) as current:
            if current is not None and not force:
                _refuse_newer(target, current, backup_chain)
            kept = _swap(tmp, target) if target.exists() else _place(tmp, target)
    finally:
        remove_database(tmp)
    tables = {name: int(info["rows"]) for name, info in manifest["tables"].items()}
    return ImportReport(target, tables, len(backup_chain), str(manifest["audit"]["head"]), kept, force)


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _write_tables(source: Path, out: Path) -> tuple[dict[str, dict[str, Any]], audit.ChainReport, str,
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
                con.sql(f"SELECT * FROM {table} ORDER BY {ORDER[table]}").write_parquet(str(file))
                tables[table] = {"file": file.name, "rows": _count(con, table),
                                 "columns": _columns(con, table)}
            found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return tables, chain, found[0] if found else "", tuple(sorted(present - set(TABLES)))

    try:
        return retrying(snapshot)
    except duckdb.Error as exc:
        raise RecordError(f"The file {source} cannot be read as a records database ({_first_line(exc)}); "
                          "check the path given with --db.") from None


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[list[str]]:
    return [[name, kind] for name, kind in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? AND "
        "table_schema = current_schema() ORDER BY ordinal_position", [table]).fetchall()]


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
        con.execute(SCHEMA)
        for table, info in manifest["tables"].items():
            _load_table(con, table, info, folder / info["file"])
        rows = audit.entries(con)
        chain = audit.check(rows, manifest["audit"].get("head"))
        if not chain.ok:
            raise RecordError(f"The backup's audit chain is broken, so it was not imported: {chain.message}")
        if chain.head != manifest["audit"].get("head") or chain.rows != manifest["audit"].get("rows"):
            raise RecordError(f"The backup's audit log ({chain.rows} rows) does not end at the head hash in "
                              f"{MANIFEST}; use an intact copy of the backup.")
        con.execute("CHECKPOINT")
        return [(int(r["audit_id"]), str(r["row_hash"])) for r in rows]
    except duckdb.Error as exc:
        raise RecordError(f"The backup cannot be loaded ({_first_line(exc)}); use an intact copy of the "
                          "backup, or the version that exported it.") from None
    finally:
        con.close()


def _load_table(con: duckdb.DuckDBPyConnection, table: str, info: dict[str, Any], file: Path) -> None:
    expected = {name: kind for name, kind in _columns(con, table)}
    listed = [(str(name), str(kind)) for name, kind in info["columns"]]
    rel = con.read_parquet(str(file))
    if [name for name, _ in listed] != list(rel.columns):
        raise RecordError(f"The columns of {file.name} are not those listed in {MANIFEST}; use an intact "
                          "copy of the backup.")
    for name, kind in listed:
        if expected.get(name) != kind:
            raise RecordError(f"The column {table}.{name} ({kind}) of the backup is not this version's "
                              f"({expected.get(name, 'absent')}); import it with the version that "
                              "exported it.")
    names = ", ".join(f'"{name}"' for name, _ in listed)
    con.register("_backup_rows", rel)
    try:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _backup_rows")
    finally:
        con.unregister("_backup_rows")
    if _count(con, table) != info.get("rows"):
        raise RecordError(f"The backup file {file.name} holds {_count(con, table)} rows, not the "
                          f"{info.get('rows')} listed in {MANIFEST}; use an intact copy of the backup.")


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


def _refuse_newer(target: Path, current: list[tuple[int, str]], backup: list[tuple[int, str]]) -> None:
    """Refuse unless the target's chain is the start of the backup's (or the same)."""
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


def _db(db: Path | None) -> Path:
    return Path(db) if db is not None else config.certification_db()
