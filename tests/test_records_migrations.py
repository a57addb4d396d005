"""Schema migrations of the records: a database made by earlier code (schema version 1, with or
without the boundaries table and the audit chain) is upgraded in one transaction to the latest
version with every row kept; a new database is made at the latest version; a database newer
than the code is refused, by an upgrade and by a write, and left unchanged; a migration that
fails leaves the database as it was. On DuckDB and PostgreSQL (``backend``) where both apply;
the version-1 files are DuckDB's (PostgreSQL records start at the latest version).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from indicators import cli, config
from indicators.certification import audit, migrations, records, seed
from indicators.certification.backends import exists
from indicators.certification.checks import RecordError
from indicators.certification.database import SCHEMA_VERSION, insert_many, schema_version
from tests.editors import ED
from tests.records_backends import Backend
from tests.test_audit_chain import OLD_AUDIT_LOG, raw, seeded, stored
from tests.test_records import document, sha
from tests.test_records_backup import contents

#: The schema as version-1 code wrote it (``database.SCHEMA`` before the migrations), verbatim.
VERSION_1_SCHEMA = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE projects (
    project_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, district_id VARCHAR, city VARCHAR,
    standard_version VARCHAR NOT NULL, registered_on DATE NOT NULL, description VARCHAR,
    lead_organisation VARCHAR, website VARCHAR, version INTEGER NOT NULL,
    created_by VARCHAR, created_at TIMESTAMP
);
CREATE TABLE stage_events (
    event_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
    occurred_on DATE NOT NULL, note VARCHAR, recorded_by VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE requirements (
    project_id VARCHAR NOT NULL, requirement_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
    title VARCHAR, description VARCHAR, mandatory BOOLEAN NOT NULL, position INTEGER,
    PRIMARY KEY (project_id, requirement_id)
);
CREATE TABLE requirement_status (
    status_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, requirement_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL, evidence_url VARCHAR, note VARCHAR, recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE TABLE submissions (
    submission_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, submitted_on DATE NOT NULL, title VARCHAR, document_url VARCHAR,
    note VARCHAR, recorded_by VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE reviews (
    review_id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL, round VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL, reviewed_on DATE NOT NULL, reviewer VARCHAR, notes VARCHAR,
    recorded_by VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE targets (
    target_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, commitment VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL, indicator_id VARCHAR, unit VARCHAR, definition VARCHAR,
    data_source VARCHAR, frequency VARCHAR, baseline DOUBLE NOT NULL,
    baseline_year INTEGER NOT NULL, target DOUBLE NOT NULL, target_year INTEGER NOT NULL,
    direction VARCHAR NOT NULL, recorded_by VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE observations (
    observation_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL, observed_on DATE NOT NULL,
    year INTEGER NOT NULL, value DOUBLE NOT NULL, source VARCHAR, note VARCHAR,
    recorded_by VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE practitioners (
    practitioner_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, organisation VARCHAR,
    credentialed_on DATE NOT NULL, expires_on DATE NOT NULL, ce_hours DOUBLE NOT NULL
);
CREATE TABLE assignments (
    assignment_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL,
    practitioner_id VARCHAR NOT NULL, role VARCHAR NOT NULL, since DATE
);
CREATE TABLE boundaries (
    boundary_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, name VARCHAR,
    geojson VARCHAR NOT NULL, source VARCHAR, recorded_by VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE audit_log (
    audit_id INTEGER PRIMARY KEY, "at" TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL, table_name VARCHAR NOT NULL, record_id VARCHAR, project_id VARCHAR,
    before JSON, after JSON, prev_hash VARCHAR, row_hash VARCHAR
);
"""


def version_1(folder: Path, *, boundaries: bool = True, chain: bool = True) -> Path:
    """A records file as version-1 code made it: its schema, rows and meta (``schema_version``
    "1"), with the boundaries table and the audit chain, or (earlier still) without them."""
    folder.mkdir(parents=True, exist_ok=True)
    document_ = document()
    tables = seed.document_rows(document_)
    tables.pop("ce_activities"), tables.pop("renewals")  # migration 4's, as are these columns:
    tables["practitioners"] = [{k: v for k, v in p.items() if k not in {
        "email", "city", "listed", "revoked_on", "version"}} for p in tables["practitioners"]]
    path = folder / "certification.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(VERSION_1_SCHEMA)
        if not boundaries:
            con.execute("DROP TABLE boundaries")
            tables.pop("boundaries")
        if chain:
            con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
            seed._write(con, tables, document_, "certification.json sha256:0")  # as version 1 did
        else:
            con.execute("DROP TABLE audit_log")
            con.execute(OLD_AUDIT_LOG)
            for table, rows in tables.items():
                column = {"stage_events": "event_id", "requirement_status": "status_id",
                          "submissions": "submission_id", "reviews": "review_id", "targets": "target_id",
                          "observations": "observation_id", "assignments": "assignment_id"}.get(table)
                insert_many(con, table, [{column: n, **r} if column and column not in r else r
                                         for n, r in enumerate(rows, start=1)])
            con.executemany("INSERT INTO meta VALUES (?, ?)", [("schema_version", "1"), ("region", "Test")])
            con.execute("""INSERT INTO audit_log VALUES (1, TIMESTAMP '2024-01-02 03:04:05.123456', 'seed',
                           'seed the records database', 'projects', NULL, NULL, NULL, '{"projects": 2}')""")
    return path


def test_the_schema_version_is_the_last_migration():
    assert [m.number for m in migrations.MIGRATIONS] == list(range(1, len(migrations.MIGRATIONS) + 1))
    assert SCHEMA_VERSION == str(migrations.LATEST) == "4"


def test_a_new_database_is_made_at_the_latest_version(tmp_path: Path, backend: Backend):
    db = seeded(tmp_path, backend.new())
    with raw(db) as con:
        assert schema_version(con) == migrations.LATEST
    report = migrations.upgrade(db)
    assert report.applied == () and report.before == report.after == 4
    assert report.message.endswith("is at schema version 4 (the latest); nothing to upgrade.")


@pytest.mark.parametrize("kind", ["as version 1 left it", "before boundaries and the chain"])
def test_a_version_1_file_is_upgraded_whole_and_keeps_every_row(tmp_path: Path, kind: str):
    earliest = kind != "as version 1 left it"
    db = version_1(tmp_path, boundaries=not earliest, chain=not earliest)
    before = contents(db)
    report = migrations.upgrade(db)
    assert (report.before, report.after) == (1, 4)
    assert [m.number for m in report.applied] == [2, 3, 4]
    assert report.message.startswith(f"Upgraded the records database {db} from schema version 1 to 4 in "
                                     "one transaction (2: projects' own boundaries")
    after = contents(db)
    assert after["meta"][1] == sorted([*(r for r in before["meta"][1] if r[0] != "schema_version"),
                                       ("schema_version", "4")], key=repr)
    for table in before:
        if table == "meta":
            continue
        if table == "audit_log" and earliest:  # the chain columns added, every row chained
            assert [r[:9] for r in after[table][1]] == before[table][1]
            assert [c[0] for c in after[table][0]][-2:] == ["prev_hash", "row_hash"]
            continue
        if table == "practitioners":  # migration 4's columns added: not listed, version 1
            assert [r[:6] for r in after[table][1]] == before[table][1]
            assert {r[6:] for r in after[table][1]} <= {(None, None, False, None, 1)}
            assert [c[0] for c in after[table][0]][6:] == ["email", "city", "listed", "revoked_on", "version"]
            continue
        assert after[table] == before[table], table  # columns and rows, exactly
    assert "boundaries" in after and after["boundaries"][1] == ([] if earliest else before["boundaries"][1])
    fresh = contents(seeded(tmp_path / "fresh"))
    assert {t: c for t, (c, _) in after.items()} == {t: c for t, (c, _) in fresh.items()}  # same schema
    assert audit.verify(db).ok and not audit.verify(db).upgraded
    records.add_observation("test-commons", 1, 2.0, year=2023, editor=ED, version=1, db=db)
    records.set_project_boundary("test-commons", {"type": "Polygon", "coordinates": [
        [[0, 0], [1, 0], [1, 1], [0, 0]]]}, editor=ED, version=2, db=db)
    assert audit.verify(db).rows == len(stored(db)) == len(before["audit_log"][1]) + 2
    digest = sha(db)
    assert migrations.upgrade(db).applied == () and sha(db) == digest  # once is enough


def test_the_cli_upgrades_a_version_1_file(tmp_path: Path, capsys):
    db = version_1(tmp_path)
    assert cli.main(["upgrade-records", "--db", str(db)]) == 0
    assert "from schema version 1 to 4 in one transaction" in capsys.readouterr().out
    assert cli.main(["upgrade-records", "--db", str(db)]) == 0
    assert "nothing to upgrade" in capsys.readouterr().out
    assert cli.main(["upgrade-records", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "There is no records database at" in capsys.readouterr().err


def test_a_migration_that_fails_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch):
    db = version_1(tmp_path, boundaries=False, chain=False)
    digest = sha(db)

    def broken(con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS[:2],
                                                   migrations.Migration(3, "broken", broken)))
    with pytest.raises(RuntimeError):
        migrations.upgrade(db)  # after migration 2 made the boundaries table
    assert sha(db) == digest
    with raw(db) as con:
        assert schema_version(con) == 1
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                           "'boundaries'").fetchone() == (0,)


def test_a_database_newer_than_the_code_is_refused_and_left_unchanged(tmp_path: Path, backend: Backend):
    db = seeded(tmp_path, backend.new())
    backend.execute(db, "UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    digest = backend.fingerprint(db)
    message = (r"^The records database has schema version 5, newer than this version of the dashboard "
               r"\(which knows up to 4\); nothing was changed\. Run the newer version")
    with pytest.raises(RecordError, match=message):
        migrations.upgrade(db)
    with pytest.raises(RecordError, match=message):  # nor does a write go into a schema it does not know
        records.add_observation("test-commons", 1, 2.0, year=2023, editor=ED, version=1, db=db)
    assert backend.fingerprint(db) == digest


def test_upgrading_creates_nothing(backend: Backend):
    missing = backend.new()
    with pytest.raises(RecordError, match="There is no records database at"):
        migrations.upgrade(missing)
    assert not exists(missing)


def test_a_records_location_from_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("JC_CERT_DB", str(tmp_path / "c.duckdb"))
    monkeypatch.delenv("JC_RECORDS_URL", raising=False)
    assert config.records_location() == tmp_path / "c.duckdb"
    monkeypatch.setenv("JC_RECORDS_URL", "postgresql://jc:secret@db.example.org/records")
    assert config.records_location() == "postgresql://jc:secret@db.example.org/records"
    monkeypatch.setenv("JC_RECORDS_URL", "mysql://db.example.org/records")
    with pytest.raises(ValueError, match="JC_RECORDS_URL must be a postgresql:// URL"):
        config.records_location()
