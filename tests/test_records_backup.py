"""Backup and restore of the records: every row of every table comes back exactly, and a
damaged backup, a missing one, or a backup older than the database (or of another history) is
refused with a sentence saying why and how, the database left byte-for-byte unchanged.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from indicators import cli
from indicators.certification import audit, backup, records
from indicators.certification.checks import RecordError
from indicators.certification.database import TABLES
from indicators.ingest.files import sha256
from tests.editors import ED
from tests.test_audit_chain import busy, execute, make_old, seeded
from tests.test_records import sha


def contents(db: Path) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Each table's columns (name, type, nullable, default) and every row, as DuckDB returns
    them (Python types: datetime, date, float, bool, str; JSON as its text)."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' ORDER BY table_name").fetchall()]
        for table in tables:
            columns = con.execute("SELECT column_name, data_type, is_nullable, column_default FROM "
                                  "information_schema.columns WHERE table_name = ? ORDER BY "
                                  "ordinal_position", [table]).fetchall()
            out[table] = (columns, con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall())
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A records database with a dozen audit rows of every kind (copied by each test)."""
    path = seeded(tmp_path_factory.mktemp("template"))
    busy(path)
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "live" / "records" / "certification.duckdb"
    path.parent.mkdir(parents=True)
    shutil.copyfile(template, path)
    return path


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------------------------
# Round trip
# --------------------------------------------------------------------------------------------


def test_export_then_import_gives_back_every_row_of_every_table_exactly(db: Path, tmp_path: Path):
    digest = sha(db)
    report = backup.export_records(tmp_path / "backup", db)
    assert sha(db) == digest  # exporting reads only
    assert set(report.tables) == set(TABLES) and report.audit_rows == 12
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["format"] == backup.BACKUP_FORMAT and manifest["schema_version"] == "1"
    assert manifest["audit"] == {"rows": 12, "head": audit.verify(db).head}
    assert manifest["exported_at"].endswith("Z")
    assert listing(tmp_path / "backup") == sorted([f"{t}.parquet" for t in TABLES] + ["manifest.json"])

    restored = tmp_path / "restored" / "certification.duckdb"
    result = backup.import_records(tmp_path / "backup", restored)
    assert result.kept is None and result.audit_rows == 12
    before, after = contents(db), contents(restored)
    assert list(before) == list(after) and len(before) == len(TABLES)
    for table in before:
        assert after[table][0] == before[table][0], table  # columns: names, types, NULL, defaults
        assert after[table][1] == before[table][1], table  # rows: every value, exactly
    assert sum(len(rows) for _, rows in before.values()) == sum(report.tables.values())
    assert audit.verify(restored).head == manifest["audit"]["head"]
    assert listing(restored.parent) == ["certification.duckdb"]  # no temporary file left
    # the restored database is a working one: the next write chains on
    v = records.project_version("test-commons", restored)
    records.add_observation("test-commons", 1, 5.0, year=2024, editor=ED, version=v, db=restored)
    assert audit.verify(restored).rows == 13


def test_values_that_are_easy_to_lose_survive(db: Path, tmp_path: Path):
    rows = contents(db)
    audit_rows = rows["audit_log"][1]
    assert any('"' in (r[8] or "") and "ü" in (r[8] or "") for r in audit_rows)  # JSON text with quotes
    assert any(r[1].microsecond for r in audit_rows)  # microseconds
    backup.export_records(tmp_path / "backup", db)
    restored = tmp_path / "restored.duckdb"
    backup.import_records(tmp_path / "backup", restored)
    assert contents(restored)["audit_log"] == rows["audit_log"]
    assert contents(restored)["boundaries"] == rows["boundaries"]


def test_importing_over_an_older_database_keeps_it_beside(db: Path, tmp_path: Path):
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


def test_importing_the_same_history_again_is_allowed(db: Path, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    before = contents(db)
    backup.import_records(tmp_path / "backup", db)
    backup.import_records(tmp_path / "backup", db)  # a second .before-import replaces the first
    assert contents(db) == before
    assert listing(db.parent) == ["certification.duckdb", "certification.duckdb.before-import"]


def test_an_old_database_is_upgraded_then_exported(tmp_path: Path):
    db = seeded(tmp_path / "old")
    make_old(db)
    report = backup.export_records(tmp_path / "backup", db)
    assert report.audit_rows == 4
    restored = tmp_path / "restored.duckdb"
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


def test_export_while_an_editor_writes_is_a_consistent_snapshot(db: Path, tmp_path: Path):
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
        restored = tmp_path / f"restored{n}.duckdb"
        backup.import_records(tmp_path / f"backup{n}", restored)
        with duckdb.connect(str(restored), read_only=True) as con:
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


def refused(folder: Path, db: Path, match: str, *, force: bool = False) -> None:
    digest, names = sha(db), listing(db.parent)
    with pytest.raises(RecordError, match=match) as caught:
        backup.import_records(folder, db, force=force)
    message = str(caught.value)
    assert message[0].isupper() and message.endswith(".") and "\n" not in message
    assert sha(db) == digest
    assert listing(db.parent) == names  # no temporary file, no .before-import


def test_a_missing_backup_folder_is_refused(db: Path, tmp_path: Path):
    refused(tmp_path / "nowhere", db, r"^There is no backup folder at .*nowhere; check the path\.$")


def test_a_folder_without_a_manifest_is_refused(db: Path, tmp_path: Path):
    (tmp_path / "empty").mkdir()
    refused(tmp_path / "empty", db, "has no manifest.json, so it is not a complete records backup")


def test_a_damaged_backup_file_is_refused(db: Path, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    file = tmp_path / "backup" / "observations.parquet"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    refused(tmp_path / "backup", db, r"observations.parquet does not match its SHA-256 in manifest.json "
                                     r"\(it was changed or damaged\); nothing was imported")
    refused(tmp_path / "backup", db, "does not match its SHA-256", force=True)  # not even with force


def test_a_missing_backup_file_is_refused(db: Path, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    (tmp_path / "backup" / "targets.parquet").unlink()
    refused(tmp_path / "backup", db, r"targets.parquet is missing; nothing was imported")


def test_a_backup_whose_audit_log_was_edited_is_refused_even_with_a_matching_checksum(db: Path,
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


def test_a_manifest_with_another_head_is_refused(db: Path, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["audit"]["head"] = "1" * 64
    path.write_text(json.dumps(manifest))
    refused(tmp_path / "backup", db, "The backup's audit chain is broken.*head hash 111111111111")


def test_a_backup_older_than_the_database_is_refused_unless_forced(db: Path, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    backup_contents = contents(db)
    for _ in range(2):
        records.add_observation("test-commons", 1, 9.0, year=2024, editor=ED,
                                version=records.project_version("test-commons", db), db=db)
    refused(tmp_path / "backup", db, r"^The database at .* is newer than the backup: it has 2 audit rows "
                                     r"the backup lacks \(up to row 14\); nothing was changed\. Use --force")
    newer = sha(db)
    result = backup.import_records(tmp_path / "backup", db, force=True)
    assert result.forced and sha(result.kept) == newer
    assert contents(db) == backup_contents


def test_a_database_with_another_history_is_refused_unless_forced(db: Path, tmp_path: Path):
    other = seeded(tmp_path / "other")  # seeded at another moment: its first row differs
    backup.export_records(tmp_path / "backup", other)
    refused(tmp_path / "backup", db, r"has a different audit history from the backup \(they part at audit "
                                     r"row 1\); nothing was changed\. Use --force")
    backup.import_records(tmp_path / "backup", db, force=True)
    assert contents(db) == contents(other)


def test_an_unreadable_target_is_refused_unless_forced(db: Path, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    junk = tmp_path / "junk" / "certification.duckdb"
    junk.parent.mkdir()
    junk.write_bytes(b"not a database at all")
    refused(tmp_path / "backup", junk, "cannot be read as a records database .*Use --force to replace it")
    result = backup.import_records(tmp_path / "backup", junk, force=True)
    assert result.kept.read_bytes() == b"not a database at all"
    assert contents(junk) == contents(db)


def test_a_database_open_in_this_process_is_in_use_not_unreadable(db: Path, tmp_path: Path):
    backup.export_records(tmp_path / "backup", db)
    with duckdb.connect(str(db)):
        refused(tmp_path / "backup", db, "is in use by another program; nothing was changed", force=True)


def test_export_refuses_a_broken_chain_and_a_used_folder(db: Path, tmp_path: Path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("earlier")
    with pytest.raises(RecordError, match=r"used already exists and is not empty; choose a new"):
        backup.export_records(tmp_path / "used", db)
    execute(db, "UPDATE audit_log SET actor = 'mallory' WHERE audit_id = 3")
    digest = sha(db)
    with pytest.raises(RecordError, match=r"^Nothing was exported, because the audit chain is broken: "
                                          r"Audit row 3 does not match"):
        backup.export_records(tmp_path / "backup", db)
    assert sha(db) == digest and not (tmp_path / "backup").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live", "used"]  # no temporary folder left


# --------------------------------------------------------------------------------------------
# python -m indicators export-records / import-records
# --------------------------------------------------------------------------------------------


def test_cli_round_trip_and_refusals(db: Path, tmp_path: Path, capsys):
    folder = tmp_path / "backup"
    assert cli.main(["export-records", str(folder), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Exported 13 tables (") and "12 audit rows, chain intact" in out
    target = tmp_path / "restored.duckdb"
    assert cli.main(["import-records", str(folder), "--db", str(target)]) == 0
    assert "12 audit rows, chain intact) into" in capsys.readouterr().out
    records.add_observation("test-commons", 1, 9.0, year=2024, editor=ED,
                            version=records.project_version("test-commons", target), db=target)
    digest = sha(target)
    assert cli.main(["import-records", str(folder), "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ERROR: The database at ") and "use --force" in err.lower()
    assert "Traceback" not in err and sha(target) == digest
    assert cli.main(["import-records", str(folder), "--db", str(target), "--force"]) == 0
    assert "kept as" in capsys.readouterr().out
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
