"""The records database (``certification.duckdb``, or PostgreSQL): brief connections,
transactions, rows.

The records are a record of truth, so nothing is deleted or changed in place: a new status, review
or observation is a new row and the current value is the latest row. The only values ever
updated are ``projects.version`` and ``practitioners.version``, the counters that detect
concurrent edits (optimistic locking), and a practitioner's current ``expires_on``, moved on by
a renewal (whose row keeps the history);
what changed is in ``audit_log``, whose rows are hash-chained (``prev_hash``, ``row_hash``: see
:mod:`indicators.certification.audit`) so that an edited, deleted or inserted row is found.
``python -m indicators build`` never touches this file.

The records live in a DuckDB file or a PostgreSQL database (:mod:`.backends`; the same SQL runs
on both); their tables are made and upgraded by :mod:`.migrations`.

Seeding reads a region's certification document (JSON, see :func:`read_document`) into a new
database written beside the target and linked into place only if no database exists there, so
two app sessions starting at once cannot overwrite each other's records.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from indicators.certification.backends import (
    Connection,
    DatabaseError,
    Location,
    begin,
    connect_postgres,
    describe,
    has_table,
    is_contention,
    is_postgres,
)
from indicators.certification.checks import ConflictError, RecordError
from indicators.certification.rules import ProjectRecords
from indicators.dates import as_date

#: The schema version this code writes: the number of migrations in :mod:`.migrations`
#: (``tests/test_records_migrations.py`` holds them equal).
SCHEMA_VERSION = "4"
FORMAT = "just-communities/certification-records"
T = TypeVar("T")

#: Tables in the order a full dump lists them (also: every table of the schema).
TABLES = ("meta", "projects", "stage_events", "requirements", "requirement_status", "submissions",
          "reviews", "targets", "observations", "practitioners", "assignments", "boundaries",
          "ce_activities", "renewals", "audit_log")
#: Each table's id column (tables with a composite key have none).
ID_COLUMNS = {"stage_events": "event_id", "requirement_status": "status_id",
              "submissions": "submission_id", "reviews": "review_id", "targets": "target_id",
              "observations": "observation_id", "assignments": "assignment_id",
              "boundaries": "boundary_id", "ce_activities": "activity_id",
              "renewals": "renewal_id", "audit_log": "audit_id"}


def now() -> datetime:
    """The current UTC time, naive (as stored in TIMESTAMP columns)."""
    return datetime.now(UTC).replace(tzinfo=None)


def connect(db: Location, attempts: int = 20) -> Connection:
    """Open the records database briefly: a DuckDB file (waiting, up to about 2 s, while another
    process holds its lock) or a PostgreSQL database (:mod:`.backends`).

    Raises
    ------
    RecordError
        If there are no records at ``db`` (they are never created by a read or a write), or the
        PostgreSQL server cannot be reached.
    """
    if is_postgres(db):
        con = connect_postgres(str(db))
        if not has_table(con, "audit_log"):
            con.close()
            raise RecordError(f"There is no records database at {describe(db)}; create it with "
                              "seed_if_absent(region folder) first.")
        return con
    db = Path(db)
    if not db.exists():
        raise RecordError(f"There is no records database at {db}; create it with "
                          "seed_if_absent(region folder) first.")
    for attempt in range(attempts):
        try:
            return duckdb.connect(str(db))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")  # pragma: no cover


def schema_version(con: Connection) -> int:
    """The schema version the database records (``meta.schema_version``): 0 for a database
    without tables, 1 for one made before versions were kept apart.

    Raises
    ------
    RecordError
        If the version is newer than this code's (:data:`SCHEMA_VERSION`): it was upgraded by a
        newer version of the dashboard, whose records this code could damage.
    """
    if not has_table(con, "meta"):
        return 0
    found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    text = str(found[0]) if found else "1"
    version = int(text) if text.isdigit() else -1
    if version < 0 or version > int(SCHEMA_VERSION):
        raise RecordError(f"The records database has schema version {text}, newer than this version of "
                          f"the dashboard (which knows up to {SCHEMA_VERSION}); nothing was changed. "
                          "Run the newer version, or upgrade this one.")
    return version


class ContentionError(ConflictError):
    """Two transactions wrote the same rows at the same moment (DuckDB's optimistic
    concurrency: e.g. both appended to ``audit_log``). Nothing was written; the write can be
    tried again, and the retry's version check tells a real conflict from a coincidence."""

    def __init__(self, message: str = "Other editors were saving at the same moment and this save "
                                      "could not get its turn; nothing was saved, so try again."):
        super().__init__(message)


def retrying(work: Callable[[], T], attempts: int = 8) -> T:
    """Run ``work`` (one transaction), again after a short, jittered pause when another
    session's transaction collided with it (:class:`ContentionError`); each attempt starts
    afresh, so a real conflict found inside still raises."""
    for attempt in range(attempts):
        try:
            return work()
        except ContentionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1) + random.random() * 0.02)
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def transaction(db: Location) -> Iterator[Connection]:
    """One transaction on a brief connection: committed when the block ends, rolled back (so
    nothing is written) on any error. A concurrent commit on the same rows becomes a
    :class:`ContentionError`; on PostgreSQL, writing transactions take turns
    (:meth:`~indicators.certification.backends.PostgresConnection.begin`). A database whose
    schema is newer than this code is refused (:func:`schema_version`)."""
    con = connect(db)
    try:
        begin(con)
        try:
            schema_version(con)
            yield con
            con.commit()
        except BaseException:
            with contextlib.suppress(*DatabaseError):
                con.rollback()
            raise
    except DatabaseError as exc:
        if is_contention(exc):
            raise ContentionError() from exc
        raise
    finally:
        con.close()


def insert(con: Connection, table: str, row: dict[str, Any]) -> None:
    """Insert one row; ``table`` and the column names are code constants, values parameters."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    names = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def insert_many(con: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows that share the same keys (seeding, a new project's checklist), as one
    parameterised statement per row. (Not a registered DataFrame: two sessions registering one
    at the same moment trip DuckDB's catalog, "pandas_scan does not exist"; and PostgreSQL has
    none.)"""
    if not rows:
        return
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    [[row.get(c) for c in columns] for row in rows])


def next_id(con: Connection, table: str) -> int:
    """The next integer id of a table (its largest id + 1; ids are never reused since rows are
    never deleted)."""
    column = ID_COLUMNS[table]
    return int(con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()[0])


def to_json(value: object) -> str | None:
    """A record as JSON text for the audit log (dates as ISO strings); None stays NULL."""
    if value is None:
        return None
    return json.dumps(value, default=_json_default, sort_keys=True, ensure_ascii=False)


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def read_document(path: Path) -> dict[str, Any]:
    """Read a certification document (JSON) and check its outline.

    The full content is checked as it is loaded (:mod:`indicators.certification.seed`); this only
    makes sure the file is the right kind of document.

    Raises
    ------
    RecordError
        If the file is missing, not JSON or not a certification document.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise RecordError(f"The certification file {path} does not exist; check the certification "
                          "layer's path in manifest.toml.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RecordError(f"The certification file {Path(path).name} is not valid JSON ({exc}); "
                          "fix the line it names.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordError(f"{Path(path).name} is not a certification records document; it needs "
                          f'"format": "{FORMAT}" at the top.')
    if not isinstance(data.get("projects"), list):
        raise RecordError(f'{Path(path).name} has no "projects" list; add one (it may be empty).')
    return data


def rows(con: Connection, sql: str, params: list[object]) -> list[dict[str, Any]]:
    """The rows of a parameterised query as dicts."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def frame(con: Connection, sql: str, params: list[object]) -> pd.DataFrame:
    """A parameterised query as a DataFrame, DATE columns as ``datetime.date`` objects."""
    cursor = con.execute(sql, params)
    kinds = {d[0]: str(d[1]) for d in cursor.description}
    out = cursor.df()
    for column, kind in kinds.items():
        if kind == "DATE":
            out[column] = out[column].map(as_date).astype(object)
    return out


def project_records(con: Connection, project: dict[str, Any]) -> ProjectRecords:
    """What the certification rules need about one project, read in one go."""
    pid = [project["project_id"]]
    return ProjectRecords(
        registered_on=as_date(project["registered_on"]),
        requirements=frame(con, "SELECT * FROM requirements WHERE project_id = ? ORDER BY position", pid),
        statuses=frame(con, "SELECT * FROM requirement_status WHERE project_id = ?", pid),
        submissions=frame(con, "SELECT * FROM submissions WHERE project_id = ?", pid),
        reviews=frame(con, "SELECT r.* FROM reviews r JOIN submissions s USING (submission_id) "
                           "WHERE s.project_id = ?", pid),
    )
