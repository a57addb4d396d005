"""The hash-chained audit log: it holds after seeding and after many writes (concurrent ones
too), and every kind of tampering (a value edited, a row deleted, rows swapped, a row forged in
the middle) is found and named by its audit_id; ``verify-audit`` says so with its exit status;
a database made before the chain is upgraded on its first write or verification. Each test
that takes ``backend`` runs on DuckDB and on PostgreSQL (``tests/records_backends.py``).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from indicators import cli
from indicators.certification import audit, records
from indicators.certification.audit import GENESIS, HASHED_COLUMNS
from indicators.certification.backends import Connection, Location, connect_postgres, is_postgres
from indicators.certification.checks import RecordError
from indicators.certification.database import ContentionError
from tests.editors import ED, editor
from tests.records_backends import Backend
from tests.test_records import document

ROOT = Path(__file__).resolve().parents[1]
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}

#: audit_log as it was before the chain (databases made then have no hash columns).
OLD_AUDIT_LOG = """
CREATE TABLE audit_log (
    audit_id INTEGER PRIMARY KEY, "at" TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL, table_name VARCHAR NOT NULL, record_id VARCHAR, project_id VARCHAR,
    before JSON, after JSON
);
"""


def seeded(folder: Path, where: Location | None = None) -> Location:
    """The two-project records at ``where`` (default: a DuckDB file in ``folder``)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "certification.json"
    source.write_text(json.dumps(document()))
    path = where if where is not None else folder / "records" / "certification.duckdb"
    assert records.seed_if_absent(source, path) is True
    return path


def raw(db: Location) -> Connection:
    """A connection behind the code's back (either back end; ``?`` placeholders)."""
    return connect_postgres(str(db)) if is_postgres(db) else duckdb.connect(str(db))


def busy(db: Location, rounds: int = 3) -> int:
    """Writes of every kind; returns how many audit rows they added."""
    v = records.project_version("test-commons", db)
    for i in range(rounds):
        v = records.record_requirement_status(
            "test-commons", "form-governance", "in progress", editor=ED, version=v, db=db,
            note=f'round {i}: "quoted", ünïcödé, {{json-looking}}', evidence_url="https://example.org/e").version
        v = records.add_observation("test-commons", 1, 23.25 + i, year=2023, editor=ED, version=v,
                                    db=db).version
    v = records.add_target("test-commons", commitment="Environment", baseline=1.5, baseline_year=2020,
                           target=2.5, target_year=2030, direction="increase", unit="%", indicator="Shade",
                           editor=ED, version=v, db=db).version
    v = records.set_project_boundary("test-commons", SQUARE, name="Interim", editor=ED, version=v,
                                     db=db).version
    records.record_review("test-commons", 3, "final", "endorsed", "2022-08-01", editor=ED, version=v, db=db)
    records.record_submission("test-new", "registration", "2022-04-01", editor=ED, version=1, db=db)
    records.add_project("test-third", "Test Third", "2023-05-01", editor=ED, db=db)
    return 2 * rounds + 5


def stored(db: Location) -> list[dict]:
    with raw(db) as con:
        cursor = con.execute("SELECT * FROM audit_log ORDER BY audit_id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def execute(db: Location, *statements: str) -> None:
    with raw(db) as con:
        for statement in statements:
            con.execute(statement)


def rewrite(db: Location, rows: list[dict]) -> None:
    """Replace the audit log's rows by ``rows`` (what a forger with write access can do)."""
    with raw(db) as con:
        con.execute("DELETE FROM audit_log")
        for row in rows:
            names = ", ".join(f'"{c}"' for c in row)
            con.execute(f"INSERT INTO audit_log ({names}) VALUES ({', '.join('?' for _ in row)})",
                        list(row.values()))


@pytest.fixture
def db(tmp_path: Path, backend: Backend) -> Location:
    return seeded(tmp_path, backend.new())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Location:
    """A records database with a dozen audit rows of every kind (copied by each case)."""
    path = seeded(tmp_path_factory.mktemp("template"), backend.new())
    busy(path)
    return path


@pytest.fixture
def busy_db(template: Location, backend: Backend) -> Location:
    return backend.copy(template)


# --------------------------------------------------------------------------------------------
# The chain holds
# --------------------------------------------------------------------------------------------


def test_seeding_starts_the_chain_with_the_documented_formula(db: Location):
    [row] = stored(db)
    assert row["audit_id"] == 1 and row["prev_hash"] == GENESIS == "0" * 64
    text = json.dumps({"audit_id": 1, "at": row["at"].isoformat(timespec="microseconds"),
                       "actor": "seed", "action": "seed the records database", "table_name": "projects",
                       "record_id": None, "project_id": None, "before": None, "after": row["after"],
                       "prev_hash": GENESIS}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert row["row_hash"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    report = audit.verify(db)
    assert (report.ok, report.rows, report.head, report.upgraded) == (True, 1, row["row_hash"], False)
    assert report.message == "1 audit rows, chain intact."


def test_the_chain_holds_after_many_writes_of_every_kind(db: Location):
    added = busy(db, rounds=5)
    rows = stored(db)
    assert [r["audit_id"] for r in rows] == list(range(1, added + 2))
    for before, row in zip([None, *rows], rows, strict=False):
        assert row["prev_hash"] == (before["row_hash"] if before else GENESIS)
        assert row["row_hash"] == audit.row_hash(row)
    report = audit.verify(db)
    assert report.ok and report.rows == added + 1 and report.head == rows[-1]["row_hash"]


def test_the_chain_holds_under_concurrent_writers(db: Location):
    projects = [f"busy-{i}" for i in range(4)]
    failures: list[BaseException] = []

    for pid in projects:  # (not at once: DuckDB's pandas scan in insert_many is not thread-safe)
        records.add_project(pid, pid.title(), "2023-05-01", editor=ED, db=db)

    saved: list[str] = []
    busy_out: list[str] = []

    def work(pid: str, i: int) -> None:
        try:
            who = editor(f"writer{i}@example.org")
            for n in range(4):
                try:
                    records.record_requirement_status(pid, "reg-profile", "in progress", note=str(n),
                                                      editor=who, version=records.project_version(pid, db),
                                                      db=db)
                    saved.append(pid)
                except ContentionError:  # every retry collided: nothing written, said so
                    busy_out.append(pid)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(p, i)) for i, p in enumerate(projects)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(saved) + len(busy_out) == 16 and len(saved) >= 8, busy_out
    report = audit.verify(db)
    assert report.ok, report.message
    assert report.rows == 1 + 4 + len(saved)
    assert {p: records.project_version(p, db) for p in projects} == {p: 1 + saved.count(p) for p in projects}


def test_verifying_an_intact_chain_changes_nothing(backend: Backend, busy_db: Location):
    digest = backend.fingerprint(busy_db)
    assert audit.verify(busy_db).ok
    assert backend.fingerprint(busy_db) == digest


# --------------------------------------------------------------------------------------------
# Tampering is found, at the right row
# --------------------------------------------------------------------------------------------

CHANGED = {
    "at": '"at" + INTERVAL \'1 microsecond\'',
    "actor": "actor || 'x'", "action": "action || 'x'", "table_name": "table_name || 'x'",
    "record_id": "coalesce(record_id || 'x', 'x')", "project_id": "coalesce(project_id || 'x', 'x')",
    "before": "CAST(CASE WHEN before IS NULL THEN '{}' ELSE NULL END AS JSON)",
    "after": """'{"forged": true}'""",
    "prev_hash": "CASE WHEN left(prev_hash, 1) = '0' THEN '1' ELSE '0' END || substr(prev_hash, 2)",
    "row_hash": "CASE WHEN left(row_hash, 1) = '0' THEN '1' ELSE '0' END || substr(row_hash, 2)",
}


@pytest.mark.parametrize("column", list(CHANGED))
def test_editing_any_column_of_any_row_is_found(template: Location, backend: Backend, column: str):
    assert set(CHANGED) == set(HASHED_COLUMNS) - {"audit_id"} | {"prev_hash", "row_hash"}
    count = len(stored(template))
    for audit_id in range(1, count + 1):
        copy = backend.copy(template)
        execute(copy, f'UPDATE audit_log SET "{column}" = {CHANGED[column]} WHERE audit_id = {audit_id}')
        report = audit.verify(copy)
        assert (report.ok, report.broken_id, report.problem) == (False, audit_id, "edited"), report.message
        assert f"Audit row {audit_id} does not match its row_hash" in report.message


def test_a_changed_audit_id_is_found(busy_db: Location):
    rows = stored(busy_db)
    rows[4]["audit_id"] = 1000
    rewrite(busy_db, rows)
    report = audit.verify(busy_db)
    assert (report.broken_id, report.problem) == (5, "missing"), report.message


@pytest.mark.parametrize("position", ["first", "middle", "second to last"])
def test_a_deleted_row_is_found(template: Location, backend: Backend, position: str):
    count = len(stored(template))
    audit_id = {"first": 1, "middle": count // 2, "second to last": count - 1}[position]
    copy = backend.copy(template)
    execute(copy, f"DELETE FROM audit_log WHERE audit_id = {audit_id}")
    report = audit.verify(copy)
    assert (report.ok, report.broken_id, report.problem) == (False, audit_id, "missing"), report.message
    assert f"Audit row {audit_id} is missing" in report.message


def test_deleted_rows_renumbered_to_close_the_gap_are_found(busy_db: Location):
    rows = stored(busy_db)
    del rows[5]  # audit row 6
    for n, row in enumerate(rows, start=1):
        row["audit_id"] = n
    rewrite(busy_db, rows)
    report = audit.verify(busy_db)
    assert (report.broken_id, report.problem) == (6, "missing"), report.message


def test_the_newest_rows_deleted_are_found_against_a_head_noted_earlier(busy_db: Location):
    head = audit.verify(busy_db).head
    last = len(stored(busy_db))
    execute(busy_db, f"DELETE FROM audit_log WHERE audit_id >= {last - 1}")
    assert audit.verify(busy_db).ok  # the chain alone cannot tell: what is left is a whole chain
    report = audit.verify(busy_db, expect_head=head)
    assert (report.ok, report.broken_id, report.problem) == (False, last - 1, "head not found")


@pytest.mark.parametrize("pair", [(2, 3), (3, 8), (1, 12)])
def test_swapped_rows_are_found_out_of_order(busy_db: Location, pair: tuple[int, int]):
    first, second = pair
    rows = stored(busy_db)
    rows[first - 1]["audit_id"], rows[second - 1]["audit_id"] = second, first
    rewrite(busy_db, rows)
    report = audit.verify(busy_db)
    assert (report.ok, report.broken_id, report.problem) == (False, first, "out of order"), report.message
    assert f"written as row {second}" in report.message


def test_swapped_contents_under_the_same_hashes_are_found(busy_db: Location):
    rows = stored(busy_db)
    keep = ("audit_id", "prev_hash", "row_hash")
    a, b = rows[3], rows[6]
    for column in HASHED_COLUMNS:
        if column not in keep:
            a[column], b[column] = b[column], a[column]
    rewrite(busy_db, rows)
    report = audit.verify(busy_db)
    assert (report.broken_id, report.problem) == (4, "edited")


def _forged(after: dict, audit_id: int) -> dict:
    row = {**after, "audit_id": audit_id, "actor": "mallory@example.org", "action": "record review",
           "after": '{"outcome": "endorsed"}', "prev_hash": after["row_hash"]}
    row["row_hash"] = audit.row_hash(row)
    return row


@pytest.mark.parametrize("audit_id", [2, 6, 12])
def test_a_row_forged_in_the_middle_is_found(busy_db: Location, audit_id: int):
    rows = stored(busy_db)
    for row in rows[audit_id - 1:]:
        row["audit_id"] += 1
    rows.insert(audit_id - 1, _forged(rows[audit_id - 2], audit_id))  # hashed as the code would
    rewrite(busy_db, rows)
    report = audit.verify(busy_db)
    assert (report.ok, report.broken_id, report.problem) == (False, audit_id, "inserted"), report.message
    assert f"Audit row {audit_id} was inserted afterwards" in report.message


@pytest.mark.parametrize(("hashes", "problem"), [("garbage", "edited"), ("none", "unchained")])
def test_a_forged_row_without_a_proper_hash_is_found(busy_db: Location, hashes: str, problem: str):
    rows = stored(busy_db)
    for row in rows[4:]:
        row["audit_id"] += 1
    forged = _forged(rows[3], 5)
    forged["row_hash"] = "f" * 64 if hashes == "garbage" else None
    forged["prev_hash"] = forged["prev_hash"] if hashes == "garbage" else None
    rows.insert(4, forged)
    rewrite(busy_db, rows)
    report = audit.verify(busy_db)
    assert (report.broken_id, report.problem) == (5, problem), report.message


def test_a_row_rewritten_with_its_hash_recomputed_breaks_the_next_link(busy_db: Location):
    rows = stored(busy_db)
    rows[6]["actor"] = "someone else"
    rows[6]["row_hash"] = audit.row_hash(rows[6])
    rewrite(busy_db, rows)
    report = audit.verify(busy_db)
    assert (report.broken_id, report.problem) == (8, "chain mismatch"), report.message
    assert "does not follow row 7" in report.message


def test_a_whole_chain_rewritten_from_a_row_on_is_found_only_against_a_head(busy_db: Location):
    head = audit.verify(busy_db).head
    rows = stored(busy_db)
    rows[6]["actor"] = "someone else"
    rewrite(busy_db, audit.chain(rows))
    assert audit.verify(busy_db).ok
    assert audit.verify(busy_db, expect_head=head).problem == "head not found"


def test_no_write_continues_from_a_row_written_without_a_hash(backend: Backend, busy_db: Location):
    count = len(stored(busy_db))
    execute(busy_db, f"""INSERT INTO audit_log VALUES ({count + 1}, now()::TIMESTAMP, 'mallory', 'x', 'y',
                         NULL, NULL, NULL, NULL, NULL, NULL)""")
    digest = backend.fingerprint(busy_db)
    with pytest.raises(RecordError, match=r"^The newest audit row \(13\) has no hash.*verify-audit"):
        records.add_observation("test-commons", 1, 1.0, year=2023, editor=ED,
                                version=records.project_version("test-commons", busy_db), db=busy_db)
    assert backend.fingerprint(busy_db) == digest
    assert audit.verify(busy_db).problem == "unchained"


def test_append_stores_times_as_naive_utc_so_they_hash_the_same_when_read_back(db: Location):
    with raw(db) as con:
        for at in ("2026-12-01T12:00:00+02:00", datetime(2026, 12, 1, 10, 0, 0, 5, tzinfo=UTC),
                   date(2026, 12, 2)):
            audit.append(con, {"at": at, "actor": "a", "action": "b", "table_name": "t",
                               "after": {"when": date(2026, 1, 1)}})
    rows = stored(db)
    assert [r["at"] for r in rows[1:]] == [datetime(2026, 12, 1, 10), datetime(2026, 12, 1, 10, 0, 0, 5),
                                           datetime(2026, 12, 2)]
    assert rows[1]["after"] == '{"when": "2026-01-01"}'
    assert audit.verify(db).ok


# --------------------------------------------------------------------------------------------
# Databases made before the chain
# --------------------------------------------------------------------------------------------


def make_old(db: Location, extra_rows: int = 3) -> list[tuple]:
    """Turn ``db`` into a database as made before the chain (no hash columns), with a few more
    audit rows as the old code wrote them; returns its audit rows."""
    with raw(db) as con:
        names = ", ".join(f'"{c}"' for c in HASHED_COLUMNS)
        old = con.execute(f"SELECT {names} FROM audit_log ORDER BY audit_id").fetchall()
        con.execute("DROP TABLE audit_log")
        con.execute(OLD_AUDIT_LOG)
        for n in range(extra_rows):
            old.append((len(old) + 1, old[0][1], "old@example.org", "record requirement status",
                        "requirement_status", str(n), "test-commons", None, json.dumps({"n": n})))
        con.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", old)
    return old


def test_an_old_database_is_upgraded_by_verification_and_then_verifies(db: Location):
    old = make_old(db)
    report = audit.verify(db)
    assert (report.ok, report.rows, report.upgraded) == (True, len(old), True)
    rows = stored(db)
    assert [tuple(r[c] for c in HASHED_COLUMNS) for r in rows] == old  # nothing else changed
    assert rows[0]["prev_hash"] == GENESIS
    assert all(r["prev_hash"] == p["row_hash"] for p, r in zip(rows, rows[1:], strict=False))
    again = audit.verify(db)
    assert again.ok and not again.upgraded and again.head == report.head
    records.add_observation("test-commons", 1, 2.0, year=2023, editor=ED, version=1, db=db)
    assert audit.verify(db).rows == len(old) + 1


def test_a_long_old_log_is_chained_whole(db: Location):
    old = make_old(db, extra_rows=1234)
    report = audit.verify(db)
    assert (report.ok, report.rows, report.upgraded) == (True, len(old), True)
    chained = audit.chain([dict(zip(HASHED_COLUMNS, r, strict=True)) for r in old])
    assert report.head == chained[-1]["row_hash"]


def test_an_old_database_is_upgraded_by_its_first_write_even_by_concurrent_writers(db: Location):
    old = make_old(db, extra_rows=1)
    failures: list[BaseException] = []

    def work(pid: str, requirement: str) -> None:
        try:
            records.record_requirement_status(pid, requirement, "met", editor=ED, version=1, db=db)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=job) for job in [
        ("test-commons", "form-governance"), ("test-new", "reg-profile")]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    report = audit.verify(db)
    assert report.ok and not report.upgraded and report.rows == len(old) + 2


def test_a_failed_first_write_does_not_upgrade(backend: Backend, db: Location, monkeypatch):
    make_old(db)
    digest = backend.fingerprint(db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "insert", broken)  # after the columns were added and chained
    with pytest.raises(RuntimeError):
        records.add_observation("test-commons", 1, 2.0, year=2023, editor=ED, version=1, db=db)
    assert backend.fingerprint(db) == digest
    with raw(db) as con:
        assert "row_hash" not in {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_log' AND "
            "table_schema = current_schema()").fetchall()}


# --------------------------------------------------------------------------------------------
# python -m indicators verify-audit
# --------------------------------------------------------------------------------------------


def test_cli_says_the_chain_is_intact(busy_db: Location, capsys):
    assert cli.main(["verify-audit", "--db", str(busy_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("12 audit rows, chain intact; head ") and out.strip().endswith(".")


def test_cli_names_the_first_broken_row(busy_db: Location, capsys):
    execute(busy_db, "UPDATE audit_log SET after = '{}' WHERE audit_id IN (4, 9)")
    assert cli.main(["verify-audit", "--db", str(busy_db)]) == 1
    out = capsys.readouterr().out
    assert "chain broken at row 4 (edited): Audit row 4 does not match its row_hash" in out


def test_cli_checks_a_head_noted_earlier(busy_db: Location, capsys):
    head = audit.verify(busy_db).head
    assert cli.main(["verify-audit", "--db", str(busy_db), "--head", head]) == 0
    execute(busy_db, "DELETE FROM audit_log WHERE audit_id = 12")
    assert cli.main(["verify-audit", "--db", str(busy_db), "--head", head]) == 1
    assert "chain broken at row 12 (head not found)" in capsys.readouterr().out
    assert cli.main(["verify-audit", "--db", str(busy_db), "--head", "abc"]) == 2
    assert "--head must be a head hash" in capsys.readouterr().err


def test_cli_refuses_a_missing_or_unreadable_file(tmp_path: Path, capsys):
    assert cli.main(["verify-audit", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no such records database. Fix: check the path" in capsys.readouterr().err
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database")
    assert cli.main(["verify-audit", "--db", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ERROR: ") and "cannot be read as a records database" in err
    assert "Traceback" not in err and err.strip().endswith("check the path.")
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert cli.main(["verify-audit", "--db", str(other)]) == 2
    assert "no audit log, so it is not a certification records database" in capsys.readouterr().err


def test_cli_exit_status_as_a_process(busy_db: Location):
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "indicators", "verify-audit", "--db", str(busy_db), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    intact = run()
    assert (intact.returncode, intact.stdout.split(";")[0]) == (0, "12 audit rows, chain intact")
    execute(busy_db, "DELETE FROM audit_log WHERE audit_id = 3")
    broken = run()
    assert broken.returncode == 1 and "Audit row 3 is missing" in broken.stdout
    assert broken.stderr == ""
