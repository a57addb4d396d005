"""Editors load a file into the region from the Data page, and can restore the previous database.

A load (:func:`load_file`) takes one file (a zipped shapefile, GeoJSON, GeoPackage or a CSV /
Census API JSON table) with the role and profile the editor chose from those the manifest
supports (:func:`load_choices`), and:

1. checks who is asking (:func:`~indicators.certification.accounts.authorise`), the file's size
   (``JC_MAX_LOAD_MB``), kind and, for a zip, every member before anything is read (no absolute
   paths, no ``..``, no links, no zip bombs: the residents' upload checks,
   :mod:`indicators.ingest.upload`);
2. stages a new version of the region folder with the file and its ``[[layer]]`` table
   (:mod:`indicators.store.region_copy`; the live folder is never changed) and counts the file's
   features or rows (``JC_MAX_LOAD_FEATURES``);
3. builds the new database beside the live one with the same readers and checks as
   ``python -m indicators build`` (so the same messages), then swaps it in with ``os.replace``:
   sessions reading the old file keep their open connection to it until they notice the new
   modification time; the old file is kept as ``<name>.previous.duckdb``;
4. writes the audit log row (:func:`~indicators.certification.writes.record_data_load`); if
   that fails the swap is undone.

On any refusal or failure a :class:`LoadError` says why in a sentence, and the live database,
the previous one and the live region folder are byte-for-byte unchanged. :func:`restore_previous`
swaps the previous database back the same way (and keeps the one it replaced as the previous,
so a restore can itself be undone). One load or restore runs at a time per database (a lock
file beside it).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from indicators import config
from indicators.atomic import remove_database, temporary_path
from indicators.certification import backends
from indicators.certification.accounts import Account, authorise
from indicators.certification.backends import Location, exists, resolve
from indicators.certification.writes import record_data_load
from indicators.ingest.files import sha256
from indicators.ingest.manifest import MANIFEST_NAME, PERIOD_ROLES, load_manifest
from indicators.problems import InputError, Problem
from indicators.store import region_copy
from indicators.store.build import BuildReport, build
from indicators.store.load_checks import ROLES, Choice, LoadError, check_features, check_file, load_choices

__all__ = ["ROLES", "Choice", "LoadError", "LoadResult", "describe", "load_choices", "load_file",
           "periods_of", "previous_path", "region_of", "restore_previous"]

log = logging.getLogger(__name__)

#: Seconds a load or restore waits for another one on the same database to finish.
LOCK_WAIT_S = 5.0


@dataclass(frozen=True)
class LoadResult:
    """What a load or restore did: the new and previous databases' SHA-256, the layer loaded
    (empty for a restore), warnings for the editor, and timings."""

    action: str
    sha256: str
    previous_sha256: str
    file_name: str
    role: str
    profile: str
    region: Path
    warnings: tuple[str, ...]
    seconds: float
    swap_seconds: float


def previous_path(db: Path) -> Path:
    """Where the database before the last load or restore is kept."""
    return db.with_name(f"{db.stem}.previous{db.suffix}")


def describe(db: Path) -> dict[str, Any]:
    """A database's fingerprint for the audit log and the page: SHA-256, size, when it was
    built, its region folder and its layers."""
    meta, layers = _contents(db)
    return {"sha256": sha256(db), "bytes": db.stat().st_size, "built_at": meta.get("built_at", ""),
            "manifest_path": meta.get("manifest_path", ""),
            "layers": [{"layer_id": i, "role": r, "title": t, "path": p, "sha256": s}
                       for i, r, t, p, s in layers]}


def _contents(db: Path) -> tuple[dict[str, str], list[tuple[Any, ...]]]:
    """The ``meta`` table and the layers of a database file, read in a DuckDB instance of
    their own: ``duckdb.connect(path)`` would hand back any instance this process still holds
    on an earlier file at the same path."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS described (READ_ONLY)", [str(db)])
        meta = dict(con.execute("SELECT key, value FROM described.meta").fetchall())
        layers = con.execute("SELECT layer_id, role, title, path, sha256 FROM described.layers "
                             "ORDER BY layer_id").fetchall()
    finally:
        con.close()
    return meta, layers


def region_of(db: Path) -> Path:
    """The region folder the database was built from (else ``JC_REGION``)."""
    found = region_copy.referenced_folder(_contents(db)[0].get("manifest_path", "")) if db.exists() else None
    return found or config.region_dir()


def periods_of(region: Path) -> tuple[str, ...]:
    """The periods a region's manifest names (empty where it names none)."""
    periods = load_manifest(region).periods
    return () if periods == ("",) else periods


def load_file(data: bytes, filename: str, *, role: str, profile: str | None, editor: object,
              region: Path | None = None, db: Path | None = None, records_db: Location | None = None,
              name: str | None = None, period: str | None = None, title: str = "", vintage: str = "",
              publisher: str = "", licence: str = "", source_url: str = "") -> LoadResult:
    """Load one file into the region and swap in the database built with it.

    Parameters
    ----------
    data, filename : bytes, str
        The file and the editor's name for it (its suffix says its kind; never used as a path).
    role, profile : str, str or None
        One of :func:`load_choices`.
    editor : Account
        The signed-in editor (checked here, whatever the page checked).
    region, db, records_db : Path, optional (records_db: a file or a PostgreSQL URL)
        The live region folder (default: the one the database was built from), the database
        (default :func:`indicators.config.indicators_db`) and the records database whose audit
        log gets the row (default :func:`indicators.config.records_location`).
    name : str, optional
        Districts: the column naming each district (required).
    period : str, optional
        Census and environment layers of a region with periods: the period (default the latest).
    title, vintage, publisher, licence, source_url : str
        The layer's provenance, shown on the Data page.

    Raises
    ------
    NotAuthorisedError
        Not a signed-in editor; nothing was read.
    LoadError
        Refused or failed; nothing was changed.
    """
    account = authorise(editor, "load data")
    started = time.perf_counter()
    db, records_db = _paths(db, records_db)
    suffix = check_file(data, filename, role, profile, name)
    with _locked(db):
        source = Path(region) if region is not None else region_of(db)
        tables = _tables(source)
        periods = periods_of(source)
        if role in PERIOD_ROLES and periods and (period or periods[-1]) not in periods:
            raise LoadError(f"The period {period!r} is not one of this region's ({', '.join(periods)}); "
                            "choose one of those.")
        folder, tables = region_copy.stage_region(source, tables, region_copy.versions_folder(db))
        staged_db = temporary_path(db)
        try:
            file_name = region_copy.safe_file_name(filename, suffix, folder)
            (folder / file_name).write_bytes(data)
            check_features(folder / file_name)
            entry = {k: v for k, v in {
                "role": role, "path": file_name, "profile": profile, "name": name,
                "period": (period or periods[-1]) if role in PERIOD_ROLES and periods else None,
                "title": title.strip(), "vintage": vintage.strip(), "publisher": publisher.strip(),
                "licence": licence.strip(), "source_url": source_url.strip()}.items() if v}
            tables["layer"] = _with_layer(tables["layer"], entry)
            (folder / MANIFEST_NAME).write_text(region_copy.dump_manifest(
                tables, f"Written by the Data page: {source / MANIFEST_NAME} with {file_name} "
                f"loaded by {account.audit_name}."), encoding="utf-8")
            report = _build(folder, staged_db, file_name)
            before = describe(db)
            after = {**describe(staged_db), "file": file_name, "file_sha256": sha256(folder / file_name),
                     "role": role, "profile": profile or "", "editor_file_name": filename[:200]}
            swap_s = _swap_in(staged_db, db, account, "load data", before, after, records_db)
        except BaseException:
            remove_database(staged_db)
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _prune(db)
    warnings = tuple(_sentence(p) for p in report.warnings if p.file == file_name)
    return LoadResult("load data", after["sha256"], before["sha256"], file_name, role, profile or "",
                      folder, warnings, time.perf_counter() - started, swap_s)


def restore_previous(*, editor: object, db: Path | None = None,
                     records_db: Location | None = None) -> LoadResult:
    """Swap the previous database back in (the one replaced is kept as the previous, so this
    can be undone the same way), audited; a :class:`LoadError` when there is none."""
    account = authorise(editor, "restore data")
    started = time.perf_counter()
    db, records_db = _paths(db, records_db)
    with _locked(db):
        previous = previous_path(db)
        if not previous.exists():
            raise LoadError("There is no previous database to restore: one is kept only after a file "
                            "has been loaded here.")
        staged = temporary_path(db)
        try:
            shutil.copyfile(previous, staged)
            before, after = describe(db), describe(staged)
            swap_s = _swap_in(staged, db, account, "restore data", before, after, records_db)
        except BaseException:
            remove_database(staged)
            raise
    region = region_copy.referenced_folder(after["manifest_path"]) or config.region_dir()
    return LoadResult("restore data", after["sha256"], before["sha256"], "", "", "", region, (),
                      time.perf_counter() - started, swap_s)


# --------------------------------------------------------------------------------------------


def _paths(db: Path | None, records_db: Location | None) -> tuple[Path, Location]:
    db = Path(db) if db is not None else config.indicators_db()
    records_db = resolve(records_db)
    if not db.exists():
        raise LoadError(f"There is no database at {db} to load into yet: build the region first "
                        "(open the dashboard once, or run `python -m indicators build`).")
    if not exists(records_db):
        raise LoadError(f"There is no records database at {backends.describe(records_db)}, so the change "
                        "could not be audited: open the Certification portfolio page once to create it.")
    return db, records_db


def _tables(source: Path) -> dict[str, Any]:
    if not (source / MANIFEST_NAME).exists():
        raise LoadError(f"The region folder {source} has no {MANIFEST_NAME}, so a file cannot be added "
                        "to it: set JC_REGION to the region's folder.")
    try:
        load_manifest(source)
        return region_copy.read_manifest_tables(source / MANIFEST_NAME)
    except InputError as exc:
        errors = tuple(_sentence(p) for p in exc.problems if p.severity == "error")
        raise LoadError("The region's own manifest has errors, so nothing can be loaded until they are "
                        "fixed.", errors) from None
    except region_copy.StagingError as exc:
        raise LoadError(str(exc)) from None


def _with_layer(layers: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The layers with ``entry`` added; districts take the place of the region's districts."""
    if entry["role"] != "districts":
        return [*layers, entry]
    return [entry if layer.get("role") == "districts" else layer for layer in layers]


def _build(folder: Path, out: Path, file_name: str) -> BuildReport:
    """Build the staged region, the build's problems as sentences in a :class:`LoadError`."""
    try:
        return build(folder, out)
    except InputError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        sentences = tuple(_sentence(p) for p in errors)
        raise LoadError(f"The file {file_name} was not loaded, and nothing was changed. "
                        f"{sentences[0] if sentences else ''}".strip(), sentences) from None
    except RecursionError:
        raise LoadError(f"The file {file_name} was not loaded, and nothing was changed: it is nested far "
                        "too deeply to be a map layer or a table, so export it again.") from None
    except Exception:  # a reader's unforeseen failure: the editor gets a sentence, the log the rest
        log.exception("loading %s failed", file_name)
        raise LoadError(f"The file {file_name} could not be read because of an unexpected problem, so "
                        "nothing was changed: check that it opens in QGIS or a spreadsheet, export it "
                        "again, and tell the maintainers if it keeps happening.") from None


def _sentence(problem: Problem) -> str:
    """A build problem as one sentence: where, what, then the fix."""
    where = f" ({problem.where})" if problem.where else ""
    text = f"In {problem.file}{where}: {problem.message.rstrip('.')}."
    fix = problem.fix.strip()
    return f"{text} {fix[:1].upper()}{fix[1:]}".rstrip() if fix else text


def _swap_in(staged: Path, db: Path, account: Account, action: str, before: dict[str, Any],
             after: dict[str, Any], records_db: Location) -> float:
    """Put ``staged`` at ``db`` atomically, keep the replaced file as the previous, and audit;
    undone (the old file put back) if the audit cannot be written. Returns the swap's seconds."""
    kept = temporary_path(db)
    _link_or_copy(db, kept)
    try:
        started = time.perf_counter()
        os.replace(staged, db)
        swap_s = time.perf_counter() - started
        try:
            record_data_load(account, action, before, after, db=records_db)
        except Exception as exc:
            os.replace(kept, db)
            log.exception("audit of %s failed; swap undone", action)
            raise LoadError("The change could not be written to the audit log, so it was undone and "
                            f"nothing was changed ({str(exc).rstrip('.')}); try again.") from None
        os.replace(kept, previous_path(db))
    finally:
        remove_database(kept)
    return swap_s


def _link_or_copy(source: Path, target: Path) -> None:
    """A second name for ``source`` (a hard link; a copy where links are not possible)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _prune(db: Path) -> None:
    """Remove the staged region versions neither the live nor the previous database names."""
    keep = set()
    for path in (db, previous_path(db)):
        with contextlib.suppress(duckdb.Error, OSError):
            if path.exists():
                keep.add(region_of(path))
    region_copy.prune_versions(region_copy.versions_folder(db), keep)


@contextlib.contextmanager
def _locked(db: Path) -> Iterator[None]:
    """One load or restore at a time on ``db`` (a lock file beside it), across processes."""
    lock = db.with_name(f".{db.name}.load-lock")
    with lock.open("a+") as handle:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LoadError("Another editor is loading data or restoring the database right "
                                    "now; try again in a minute.") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
