"""Backup and restore of the records: every row of every table comes back exactly, and a
damaged backup, a missing one, or a backup older than the database (or of another history) is
refused with a sentence saying why and how, the database left byte-for-byte unchanged. Tests
that take ``backend`` run on DuckDB and PostgreSQL; a file's own matters (the copy kept beside,
a file in use or not a database) are DuckDB's; ``migrate-records`` copies DuckDB into PostgreSQL.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from indicators import cli
from indicators.certification import audit, backup, migrations, records
from indicators.certification.backends import Location, is_postgres
from indicators.certification.checks import RecordError
from indicators.certification.database import TABLES
from indicators.ingest.files import sha256
from tests.editors import ED
from tests.records_backends import Backend
from tests.test_audit_chain import busy, execute, make_old, raw, seeded
from tests.test_records import sha


def contents(db: Location) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Each table's columns (name, type, nullable, default) and every row, as the back end
    returns them (Python types: datetime, date, float, bool, str; JSON as its text)."""
    out = {}
    with raw(db) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE "
                                            "table_schema = current_schema() ORDER BY table_name").fetchall()]
        for table in tables:
            columns = con.execute("SELECT column_name, data_type, is_nullable, column_default FROM "
                                  "information_schema.columns WHERE table_name = ? AND table_schema = "
                                  "current_schema() ORDER BY ordinal_position", [table]).fetchall()
            found = con.execute(f"SELECT * FROM {table}").fetchall()  # (JSON has no order in PostgreSQL)
            out[table] = (columns, sorted(found, key=repr))
    return out


def rows_only(found: dict[str, tuple[list[tuple], list[tuple]]]) -> dict[str, list[tuple]]:
    """The rows of :func:`contents` (to compare two back ends, whose type names differ)."""
    return {table: rows for table, (_, rows) in found.items()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Location:
    """A records database with a dozen audit rows of every kind (copied by each test)."""
    path = seeded(tmp_path_factory.mktemp("template"), backend.new())
    busy(path)
    return path


@pytest.fixture
def db(template: Location, backend: Backend) -> Location:
    return backend.copy(template)


@pytest.fixture
def file_db(tmp_path: Path) -> Path:
    """The same records in a DuckDB file in a folder of its own (for a file's own matters)."""
    path = seeded(tmp_path / "file", tmp_path / "live" / "records" / "certification.duckdb")
    busy(path)
    return path


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------------------------
# Round trip
# --------------------------------------------------------------------------------------------


def test_export_then_import_gives_back_every_row_of_every_table_exactly(db: Location, tmp_path: Path,
                                                                        backend: Backend):
    digest = backend.fingerprint(db)
    report = backup.export_records(tmp_path / "backup", db)
    assert backend.fingerprint(db) == digest  # exporting reads only
    assert set(report.tables) == set(TABLES) and report.audit_rows == 12
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["format"] == backup.BACKUP_FORMAT and manifest["schema_version"] == str(migrations.LATEST)
    assert manifest["audit"] == {"rows": 12, "head": audit.verify(db).head}
    assert manifest["exported_at"].endswith("Z")
    assert listing(tmp_path / "backup") == sorted([f"{t}.parquet" for t in TABLES] + ["manifest.json"])

    restored = backend.new("restored")
    result = backup.import_records(tmp_path / "backup", restored)
    assert result.kept is None and result.audit_rows == 12
    before, after = contents(db), contents(restored)
    assert list(before) == list(after) and len(before) == len(TABLES)
    for table in before:
        assert after[table][0] == before[table][0], table  # columns: names, types, NULL, defaults
        assert after[table][1] == before[table][1], table  # rows: every value, exactly
    assert sum(len(rows) for _, rows in before.values()) == sum(report.tables.values())
    assert audit.verify(restored).head == manifest["audit"]["head"]
    if backend.kind == "duckdb":
        assert listing(restored.parent) == ["restored.duckdb"]  # no temporary file left
    # the restored database is a working one: the next write chains on
    v = records.project_version("test-commons", restored)
    records.add_observation("test-commons", 1, 5.0, year=2024, editor=ED, version=v, db=restored)
    assert audit.verify(restored).rows == 13


def test_values_that_are_easy_to_lose_survive(db: Location, tmp_path: Path, backend: Backend):
    rows = contents(db)
    audit_rows = rows["audit_log"][1]
    assert any('"' in (r[8] or "") and "ü" in (r[8] or "") for r in audit_rows)  # JSON text with quotes
    assert any(r[1].microsecond for r in audit_rows)  # microseconds
    backup.export_records(tmp_path / "backup", db)
    restored = backend.new("restored")
    backup.import_records(tmp_path / "backup", restored)
    assert contents(restored)["audit_log"] == rows["audit_log"]
    assert contents(restored)["boundaries"] == rows["boundaries"]


def test_importing_over_an_older_database_keeps_it_beside(file_db: Path, tmp_path: Path):
    db = file_db
    older = tmp_path / "older.duckdb"
    shutil.copyfile(db, older)
    old_digest = sha(older)
    records.add_observation("test-commons", 1, 7.0, year=2024, editor=ED,
                            version=records.project_version("test-commons", db), db=db)
    backup.export_records(tmp_path / "backup", db)
    result = backup.import_records(tmp_path / "backup", older)
    assert result.kept == tmp_path / "older.duckdb.before-import"
    assert sha(result.kept) == old_digest
    assert contents(older) == contents(db)


def test_importing_over_an_older_postgresql_database_replaces_it_whole(db: Location, tmp_path: Path,
                                                                       backend: Backend):
    if backend.kind != "postgresql":
        pytest.skip("a DuckDB file is swapped, its old copy kept beside (the test above)")
    older = backend.copy(db)
    records.add_observation("test-commons", 1, 7.0, year=2024, editor=ED,
                            version=records.project_version("test-commons", db), db=db)
    backup.export_records(tmp_path / "backup", db)
    result = backup.import_records(tmp_path / "backup", older)
    assert result.kept is None and result.audit_rows == 13
    assert contents(older) == contents(db)


def test_importing_the_same_history_again_is_allowed(db: Location, tmp_path: Path, backend: Backend):
    backup.export_records(tmp_path / "backup", db)
    before = contents(db)
    backup.import_records(tmp_path / "backup", db)
    backup.import_records(tmp_path / "backup", db)  # a second .before-import replaces the first
    assert contents(db) == before
    if backend.kind == "duckdb":
        assert listing(db.parent) == [db.name, f"{db.name}.before-import"]


def test_an_old_database_is_upgraded_then_exported(tmp_path: Path, backend: Backend):
    db = seeded(tmp_path / "old", backend.new())
    make_old(db)
    report = backup.export_records(tmp_path / "backup", db)
    assert report.audit_rows == 4
    restored = backend.new("restored")
    backup.import_records(tmp_path / "backup", restored)
    assert contents(restored) == contents(db)


def test_an_old_database_is_compared_by_the_chain_it_would_get_and_left_unchanged(tmp_path: Path):
    old = seeded(tmp_path / "old")
    make_old(old)
    newer = tmp_path / "newer.duckdb"
    shutil.copyfile(old, newer)
    records.add_observation("test-commons", 1, 3.0, year=2024, editor=ED, version=1, db=newer)
    backup.export_records(tmp_path / "backup", newer)
    older = sha(old)
    result = backup.import_records(tmp_path / "backup", old)  # its chain is the start of the backup's
    assert sha(result.kept) == older and contents(old) == contents(newer)
    assert audit.verify(result.kept).upgraded  # the kept copy was never written to


def test_export_while_an_editor_writes_is_a_consistent_snapshot(db: Location, tmp_path: Path,
                                                                 backend: Backend):
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            records.add_observation("test-commons", 1, 1.0, year=2024, editor=ED,
                                    version=records.project_version("test-commons", db), db=db)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for n in range(3):
            backup.export_records(tmp_path / f"backup{n}", db)
    finally:
        stop.set()
        writer.join()
    for n in range(3):
        restored = backend.new(f"restored{n}")
        backup.import_records(tmp_path / f"backup{n}", restored)
        with raw(restored) as con:
            audited, observations, version = con.execute(
                "SELECT (SELECT count(*) FROM audit_log WHERE action = 'add observation'), "
                "(SELECT count(*) FROM observations), "
                "(SELECT version FROM projects WHERE project_id = 'test-commons')").fetchone()
            writes = con.execute("SELECT count(*) FROM audit_log WHERE project_id = ?",
                                 ["test-commons"]).fetchone()[0]
        assert observations == 1 + audited  # every audited write has its row, and no more
        assert version == 1 + writes


# --------------------------------------------------------------------------------------------
# Refusals: the database stays byte-for-byte the same
# --------------------------------------------------------------------------------------------


def refused(folder: Path, db: Location, match: str, *, force: bool = False) -> None:
    """The import is refused with one sentence, and the database is unchanged: byte for byte
    (a file, with no temporary file or .before-import beside it) or every table's columns and
    rows (PostgreSQL)."""
    digest = contents(db) if is_postgres(db) else sha(db)
    names = None if is_postgres(db) else listing(Path(db).parent)
    with pytest.raises(RecordError, match=match) as caught:
        backup.import_records(folder, db, force=force)
    message = str(caught.value)
    assert message[0].isupper() and message.endswith(".") and "\n" not in message
    assert (contents(db) if is_postgres(db) else sha(db)) == digest
    if names is not None:
        assert listing(Path(db).parent) == names  # no temporary file, no .before-import


def test_a_missing_backup_folder_is_refused(db: Location, tmp_path: Path):
    refused(tmp_path / "nowhere", db, r"^There is no backup folder at .*nowhere; check the path\.$")


def test_a_folder_without_a_manifest_is_refused(db: Location, tmp_path: Path):
    (tmp_path / "empty").mkdir()
    refused(tmp_path / "empty", db, "has no manifest.json, so it is not a complete records backup")


def test_a_damaged_backup_file_is_refused(db: Location, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    file = tmp_path / "backup" / "observations.parquet"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    refused(tmp_path / "backup", db, r"observations.parquet does not match its SHA-256 in manifest.json "
                                     r"\(it was changed or damaged\); nothing was imported")
    refused(tmp_path / "backup", db, "does not match its SHA-256", force=True)  # not even with force


def test_a_missing_backup_file_is_refused(db: Location, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    (tmp_path / "backup" / "targets.parquet").unlink()
    refused(tmp_path / "backup", db, r"targets.parquet is missing; nothing was imported")


def test_a_backup_whose_audit_log_was_edited_is_refused_even_with_a_matching_checksum(db: Location,
                                                                                      tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    folder = tmp_path / "backup"
    file = folder / "audit_log.parquet"
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * REPLACE (CASE WHEN audit_id = 5 THEN 'mallory' ELSE actor END AS "
                    f"actor) FROM read_parquet('{file}')) TO '{folder / 'forged.parquet'}' (FORMAT PARQUET)")
    (folder / "forged.parquet").replace(file)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["audit_log"]["sha256"] = sha256(file)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    refused(folder, db, r"^The backup's audit chain is broken, so it was not imported: Audit row 5 does "
                        "not match its row_hash", force=True)


def test_a_manifest_with_another_head_is_refused(db: Location, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["audit"]["head"] = "1" * 64
    path.write_text(json.dumps(manifest))
    refused(tmp_path / "backup", db, "The backup's audit chain is broken.*head hash 111111111111")


def test_a_backup_older_than_the_database_is_refused_unless_forced(db: Location, tmp_path: Path,
                                                                   backend: Backend):
    backup.export_records(tmp_path / "backup", db)
    backup_contents = contents(db)
    for _ in range(2):
        records.add_observation("test-commons", 1, 9.0, year=2024, editor=ED,
                                version=records.project_version("test-commons", db), db=db)
    refused(tmp_path / "backup", db, r"^The database at .* is newer than the backup: it has 2 audit rows "
                                     r"the backup lacks \(up to row 14\); nothing was changed\. Use --force")
    newer = backend.fingerprint(db)
    result = backup.import_records(tmp_path / "backup", db, force=True)
    assert result.forced
    if backend.kind == "duckdb":
        assert sha(result.kept) == newer
    assert contents(db) == backup_contents


def test_a_database_with_another_history_is_refused_unless_forced(db: Location, tmp_path: Path,
                                                                  backend: Backend):
    other = seeded(tmp_path / "other", backend.new("other"))  # seeded at another moment: row 1 differs
    backup.export_records(tmp_path / "backup", other)
    refused(tmp_path / "backup", db, r"has a different audit history from the backup \(they part at audit "
                                     r"row 1\); nothing was changed\. Use --force")
    backup.import_records(tmp_path / "backup", db, force=True)
    assert contents(db) == contents(other)


def test_an_unreadable_target_is_refused_unless_forced(file_db: Path, tmp_path: Path):
    db = file_db
    backup.export_records(tmp_path / "backup", db)
    junk = tmp_path / "junk" / "certification.duckdb"
    junk.parent.mkdir()
    junk.write_bytes(b"not a database at all")
    refused(tmp_path / "backup", junk, "cannot be read as a records database .*Use --force to replace it")
    result = backup.import_records(tmp_path / "backup", junk, force=True)
    assert result.kept.read_bytes() == b"not a database at all"
    assert contents(junk) == contents(db)


def test_a_database_open_in_this_process_is_in_use_not_unreadable(file_db: Path, tmp_path: Path):
    db = file_db
    backup.export_records(tmp_path / "backup", db)
    with duckdb.connect(str(db)):
        refused(tmp_path / "backup", db, "is in use by another program; nothing was changed", force=True)


def test_export_refuses_a_broken_chain_and_a_used_folder(db: Location, tmp_path: Path, backend: Backend):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("earlier")
    with pytest.raises(RecordError, match=r"used already exists and is not empty; choose a new"):
        backup.export_records(tmp_path / "used", db)
    execute(db, "UPDATE audit_log SET actor = 'mallory' WHERE audit_id = 3")
    digest = backend.fingerprint(db)
    with pytest.raises(RecordError, match=r"^Nothing was exported, because the audit chain is broken: "
                                          r"Audit row 3 does not match"):
        backup.export_records(tmp_path / "backup", db)
    assert backend.fingerprint(db) == digest and not (tmp_path / "backup").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["used"]  # no temporary folder left


# --------------------------------------------------------------------------------------------
# python -m indicators export-records / import-records
# --------------------------------------------------------------------------------------------


def test_cli_round_trip_and_refusals(db: Location, tmp_path: Path, capsys, backend: Backend):
    folder = tmp_path / "backup"
    assert cli.main(["export-records", str(folder), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Exported {len(TABLES)} tables (") and "12 audit rows, chain intact" in out
    target = backend.new("restored")
    assert cli.main(["import-records", str(folder), "--db", str(target)]) == 0
    assert "12 audit rows, chain intact) into" in capsys.readouterr().out
    records.add_observation("test-commons", 1, 9.0, year=2024, editor=ED,
                            version=records.project_version("test-commons", target), db=target)
    digest = backend.fingerprint(target)
    assert cli.main(["import-records", str(folder), "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ERROR: The database at ") and "use --force" in err.lower()
    assert "Traceback" not in err and backend.fingerprint(target) == digest
    assert cli.main(["import-records", str(folder), "--db", str(target), "--force"]) == 0
    assert ("kept as" in capsys.readouterr().out) is (backend.kind == "duckdb")
    assert cli.main(["import-records", str(tmp_path / "nowhere"), "--db", str(target)]) == 2
    assert "There is no backup folder" in capsys.readouterr().err
    assert cli.main(["export-records", str(folder), "--db", str(db)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["export-records", str(tmp_path / "empty"), "--db", str(db)]) == 0
    assert (tmp_path / "empty" / "manifest.json").is_file()
    capsys.readouterr()
    assert cli.main(["export-records", str(tmp_path / "b2"), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "There is no records database at" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# python -m indicators migrate-records --to postgresql://...
# --------------------------------------------------------------------------------------------


def test_migrate_records_copies_a_duckdb_file_into_postgresql_exactly(file_db: Path, backend: Backend,
                                                                       capsys):
    if backend.kind != "postgresql":
        pytest.skip("copies into PostgreSQL")
    target = backend.new("shared")
    digest = sha(file_db)
    assert cli.main(["migrate-records", "--db", str(file_db), "--to", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Copied {len(TABLES)} tables (") and "12 audit rows, chain intact" in out
    assert f"Set JC_RECORDS_URL (or records.url in .streamlit/secrets.toml) to {target}" in out
    assert sha(file_db) == digest  # the source is only read
    assert rows_only(contents(target)) == rows_only(contents(file_db))  # every value, same Python types
    assert audit.verify(target).head == audit.verify(file_db).head
    # the copy is the shared records now: written there, it is newer than the file
    records.add_observation("test-commons", 1, 4.0, year=2024, editor=ED,
                            version=records.project_version("test-commons", target), db=target)
    assert cli.main(["migrate-records", "--db", str(file_db), "--to", str(target)]) == 2
    assert "is newer than the backup: it has 1 audit row the backup lacks" in capsys.readouterr().err
    assert cli.main(["migrate-records", "--db", str(file_db), "--to", str(file_db)]) == 2
    assert "--to names the database the records are copied from" in capsys.readouterr().err
    assert cli.main(["upgrade-records", "--db", str(target)]) == 0
    assert "is at schema version 4 (the latest); nothing to upgrade" in capsys.readouterr().out
