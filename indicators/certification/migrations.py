"""The records schema as numbered migrations: how a new database is made and an older one
upgraded, the same way on DuckDB and PostgreSQL.

Why: records outlive the code. A database records its schema version (``meta.schema_version``);
code that finds an older one applies the missing migrations in order, inside one transaction
with the new version (so an upgrade happens whole or not at all), and refuses a database newer
than itself (another app server already runs a newer version) rather than write into a schema
it does not know. A new database is migration 1 onwards from nothing.

The migrations (each one a change that really happened; never edit one, add the next):

1. the records tables as first released (``projects`` ... ``audit_log``, ``meta``);
2. ``boundaries``: projects' own outlines. Databases made before it got the table on their
   first boundary (:func:`~indicators.certification.boundaries.ensure_table`), so some
   version-1 databases have it already: made only where absent;
3. the audit chain: ``audit_log.prev_hash`` and ``row_hash``, every earlier row chained in
   ``audit_id`` order (:func:`~indicators.certification.audit.ensure_chain`; also done by a
   first write or verification of a database this upgrade has not reached);
4. Accredited Practitioners' continuing education and renewals: ``practitioners`` gets
   ``email``, ``city``, ``listed`` (agreed to appear in the public directory; false for the
   practitioners already recorded), ``revoked_on`` and ``version`` (1), and the tables
   ``ce_activities`` and ``renewals`` are made (:mod:`.credentials`; a renewal's
   ``cycle_start`` and ``cycle_end`` are the new cycle it starts, ``hours_counted`` the CE hours
   of the cycle it closed).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from indicators.certification.seed import seed_if_absent
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "doc.json").write_text('{"format": "just-communities/certification-records", '
...                                      '"projects": []}')
>>> seed_if_absent(folder / "doc.json", folder / "records.duckdb")
True
>>> upgrade(folder / "records.duckdb").message
'The records database ... is at schema version 4 (the latest); nothing to upgrade.'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indicators.certification import audit, boundaries
from indicators.certification.backends import Connection, Location, describe
from indicators.certification.database import retrying, schema_version, transaction

#: The tables of migration 1, as first released (portable SQL: both back ends run it).
FIRST_TABLES = (
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE projects (
    project_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, district_id VARCHAR, city VARCHAR,
    standard_version VARCHAR NOT NULL, registered_on DATE NOT NULL, description VARCHAR,
    lead_organisation VARCHAR, website VARCHAR, version INTEGER NOT NULL,
    created_by VARCHAR, created_at TIMESTAMP)""",
    """CREATE TABLE stage_events (
    event_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
    occurred_on DATE NOT NULL, note VARCHAR, recorded_by VARCHAR, recorded_at TIMESTAMP)""",
    """CREATE TABLE requirements (
    project_id VARCHAR NOT NULL, requirement_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
    title VARCHAR, description VARCHAR, mandatory BOOLEAN NOT NULL, position INTEGER,
    PRIMARY KEY (project_id, requirement_id))""",
    """CREATE TABLE requirement_status (
    status_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, requirement_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL, evidence_url VARCHAR, note VARCHAR, recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE submissions (
    submission_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, submitted_on DATE NOT NULL, title VARCHAR, document_url VARCHAR,
    note VARCHAR, recorded_by VARCHAR, recorded_at TIMESTAMP)""",
    """CREATE TABLE reviews (
    review_id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL, round VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL, reviewed_on DATE NOT NULL, reviewer VARCHAR, notes VARCHAR,
    recorded_by VARCHAR, recorded_at TIMESTAMP)""",
    """CREATE TABLE targets (
    target_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL, commitment VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL, indicator_id VARCHAR, unit VARCHAR, definition VARCHAR,
    data_source VARCHAR, frequency VARCHAR, baseline DOUBLE PRECISION NOT NULL,
    baseline_year INTEGER NOT NULL, target DOUBLE PRECISION NOT NULL, target_year INTEGER NOT NULL,
    direction VARCHAR NOT NULL, recorded_by VARCHAR, recorded_at TIMESTAMP)""",
    """CREATE TABLE observations (
    observation_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL, observed_on DATE NOT NULL,
    year INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL, source VARCHAR, note VARCHAR,
    recorded_by VARCHAR, recorded_at TIMESTAMP)""",
    """CREATE TABLE practitioners (
    practitioner_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, organisation VARCHAR,
    credentialed_on DATE NOT NULL, expires_on DATE NOT NULL, ce_hours DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE assignments (
    assignment_id INTEGER PRIMARY KEY, project_id VARCHAR NOT NULL,
    practitioner_id VARCHAR NOT NULL, role VARCHAR NOT NULL, since DATE)""",
    """CREATE TABLE audit_log (
    audit_id INTEGER PRIMARY KEY, "at" TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL, table_name VARCHAR NOT NULL, record_id VARCHAR, project_id VARCHAR,
    before JSON, after JSON)""",
)


#: Migration 4: the practitioners' new columns and tables (portable SQL).
PRACTITIONER_CHANGES = (
    "ALTER TABLE practitioners ADD COLUMN email VARCHAR",
    "ALTER TABLE practitioners ADD COLUMN city VARCHAR",
    "ALTER TABLE practitioners ADD COLUMN listed BOOLEAN DEFAULT false",
    "ALTER TABLE practitioners ADD COLUMN revoked_on DATE",
    "ALTER TABLE practitioners ADD COLUMN version INTEGER DEFAULT 1",
    "UPDATE practitioners SET listed = false WHERE listed IS NULL",
    "UPDATE practitioners SET version = 1 WHERE version IS NULL",
    """CREATE TABLE ce_activities (
    activity_id INTEGER PRIMARY KEY, practitioner_id VARCHAR NOT NULL, title VARCHAR NOT NULL,
    provider VARCHAR, category VARCHAR NOT NULL, hours DOUBLE PRECISION NOT NULL,
    done_on DATE NOT NULL, evidence_url VARCHAR, recorded_at TIMESTAMP, recorded_by VARCHAR)""",
    """CREATE TABLE renewals (
    renewal_id INTEGER PRIMARY KEY, practitioner_id VARCHAR NOT NULL, renewed_on DATE NOT NULL,
    cycle_start DATE NOT NULL, cycle_end DATE NOT NULL, hours_counted DOUBLE PRECISION NOT NULL,
    recorded_at TIMESTAMP, recorded_by VARCHAR)""",
)


def _practitioner_changes(con: Connection) -> None:
    for statement in PRACTITIONER_CHANGES:
        con.execute(statement)


@dataclass(frozen=True)
class Migration:
    """One numbered change of the schema: ``apply(con)`` makes it inside the caller's
    transaction."""

    number: int
    title: str
    apply: Callable[[Connection], object]


def _first_tables(con: Connection) -> None:
    for statement in FIRST_TABLES:
        con.execute(statement)


#: Every migration, in order; the last one's number is :data:`LATEST`.
MIGRATIONS = (
    Migration(1, "the records tables", _first_tables),
    Migration(2, "projects' own boundaries (the boundaries table)", boundaries.ensure_table),
    Migration(3, "the hash-chained audit log (audit_log.prev_hash, row_hash)", audit.ensure_chain),
    Migration(4, "practitioners' contact, listing, revocation, CE activities and renewals",
              _practitioner_changes),
)
#: The schema version a database has after every migration (``database.SCHEMA_VERSION``).
LATEST = MIGRATIONS[-1].number


@dataclass(frozen=True)
class UpgradeReport:
    """What :func:`upgrade` did: the version found, the version now, the migrations applied."""

    location: str
    before: int
    after: int
    applied: tuple[Migration, ...]

    @property
    def message(self) -> str:
        """One sentence for the command line."""
        if not self.applied:
            return (f"The records database {self.location} is at schema version {self.after} (the "
                    "latest); nothing to upgrade.")
        steps = "; ".join(f"{m.number}: {m.title}" for m in self.applied)
        return (f"Upgraded the records database {self.location} from schema version {self.before} to "
                f"{self.after} in one transaction ({steps}).")


def apply(con: Connection) -> tuple[Migration, ...]:
    """Apply the migrations ``con``'s database lacks and record the new version, inside the
    caller's transaction (an empty database gets every one); returns those applied.

    Raises
    ------
    RecordError
        If the database is newer than this code (nothing is changed).
    """
    found = schema_version(con)
    missing = tuple(m for m in MIGRATIONS if m.number > found)
    for migration in missing:
        migration.apply(con)
    if missing or found < LATEST:
        con.execute("DELETE FROM meta WHERE key = 'schema_version'")
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(LATEST)])
    return missing


def upgrade(where: Location) -> UpgradeReport:
    """Bring the records database at ``where`` to the latest schema, in one transaction.

    Raises
    ------
    RecordError
        If there is no records database there (none is created), or it is newer than this code.
    """
    def attempt() -> UpgradeReport:
        with transaction(where) as con:
            before = schema_version(con)
            applied = apply(con)
        return UpgradeReport(describe(where), before, LATEST, applied)

    return retrying(attempt)

