"""Where the certification records live: a DuckDB file or a PostgreSQL database, behind one
connection interface.

Why: one app server keeps its records in an embedded DuckDB file (nothing to run beside it),
but several app servers behind a load balancer cannot share a DuckDB file (one process may
write it at a time), so they share a PostgreSQL database instead. The rest of the records code
is the same for both: it writes SQL that both back ends run (``?`` placeholders; VARCHAR,
INTEGER, DOUBLE PRECISION, DATE, TIMESTAMP, BOOLEAN and JSON columns), on the connection
:func:`connect` gives, and handles one family of errors (:data:`DatabaseError`).

A *records location* is a :class:`~pathlib.Path` (the DuckDB file) or a ``postgresql://`` URL
(a string; ``postgres://`` too): :func:`location` makes one from text, :func:`describe` names it
without its password.

On PostgreSQL, :class:`PostgresConnection` runs each statement on its own (autocommit) unless a
transaction was begun with :meth:`PostgresConnection.begin`, which is SERIALIZABLE and takes a
lock that only writers contend for (:data:`WRITE_LOCK`), so that writers take turns exactly
as they do on DuckDB's single file: the audit chain (each row's ``prev_hash`` the previous
row's hash) and the projects' version counters hold under any number of app servers. Errors of
two transactions colliding (DuckDB's transaction and constraint errors, PostgreSQL's
serialization failures, deadlocks and unique violations) are told apart by
:func:`is_contention`, so that :func:`indicators.certification.database.retrying` retries them.

Examples
--------
>>> location("postgresql://jc:secret@db.example.org/records")
'postgresql://jc:secret@db.example.org/records'
>>> describe("postgresql://jc:secret@db.example.org/records")
'postgresql://jc@db.example.org/records'
>>> location("data/certification.duckdb")
PosixPath('data/certification.duckdb')
>>> to_placeholders("SELECT * FROM t WHERE a = ? AND b LIKE '50%?'")
"SELECT * FROM t WHERE a = %s AND b LIKE '50%%?'"
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import duckdb
import pandas as pd
import psycopg
import psycopg.errors
from psycopg.types.string import TextLoader

from indicators import config
from indicators.certification.checks import RecordError

#: A records location: a DuckDB file or a PostgreSQL URL.
Location: TypeAlias = Path | str
#: URL schemes that name a PostgreSQL database.
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
#: Any error either back end raises (connection, syntax, constraint, transaction...).
DatabaseError = (duckdb.Error, psycopg.Error)
#: What every writing transaction locks first on PostgreSQL: writers wait for each other (as on
#: DuckDB), readers (which take no lock of this strength) never wait.
WRITE_LOCK = "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"
#: The advisory lock PostgreSQL sessions take while they make or replace the records tables
#: (seeding, a restore), so that two app servers never do it at once.
CREATE_LOCK = 7_310_2026
#: Column type names as DuckDB's ``information_schema`` gives them, for PostgreSQL's names (so a
#: backup lists the same types whichever back end wrote it).
TYPE_NAMES = {"character varying": "VARCHAR", "text": "VARCHAR", "integer": "INTEGER",
              "bigint": "BIGINT", "smallint": "SMALLINT", "double precision": "DOUBLE",
              "timestamp without time zone": "TIMESTAMP", "date": "DATE", "boolean": "BOOLEAN",
              "json": "JSON"}
#: The same for the type names of a query's result columns (psycopg's names of type OIDs).
_RESULT_TYPES = {"varchar": "VARCHAR", "text": "VARCHAR", "int4": "INTEGER", "int8": "BIGINT",
                 "int2": "SMALLINT", "float8": "DOUBLE", "float4": "FLOAT", "timestamp": "TIMESTAMP",
                 "date": "DATE", "bool": "BOOLEAN", "json": "JSON", "numeric": "DECIMAL"}
#: Errors that mean "another transaction got there first; nothing was written, try again".
_CONTENTION = (duckdb.TransactionException, duckdb.ConstraintException,
               psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected,
               psycopg.errors.UniqueViolation, psycopg.errors.LockNotAvailable)


def location(value: str | Path) -> Location:
    """A records location from text (a command-line argument, an environment variable, a
    secret): a PostgreSQL URL stays text, anything else is a file path."""
    text = str(value).strip()
    if text.lower().startswith(POSTGRES_SCHEMES):
        return text
    return Path(text).expanduser()


def resolve(where: str | Path | None) -> Location:
    """The location asked for (text is read by :func:`location`), else the configured one
    (:func:`indicators.config.records_location`)."""
    return location(where) if where is not None else location(config.records_location())


def is_postgres(where: Location) -> bool:
    """Whether the location is a PostgreSQL URL."""
    return isinstance(where, str) and where.lower().startswith(POSTGRES_SCHEMES)


def describe(where: Location) -> str:
    """The location as messages name it: a URL without its password."""
    if not is_postgres(where):
        return str(where)
    parts = urlsplit(str(where))
    if parts.password is None:
        return str(where)
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def is_contention(exc: BaseException) -> bool:
    """Whether ``exc`` is two transactions colliding (to be retried), not a mistake."""
    return isinstance(exc, _CONTENTION)


def exists(where: Location) -> bool:
    """Whether there are records at ``where``: the file exists, or the PostgreSQL database
    holds the records tables.

    Raises
    ------
    RecordError
        If the PostgreSQL server cannot be reached (so that a server that is down is never
        taken for an empty database).
    """
    if not is_postgres(where):
        return Path(where).exists()
    with connect_postgres(str(where)) as con:
        return has_table(con, "audit_log")


def has_table(con: Connection, table: str) -> bool:
    """Whether the connection's database (its current schema) has the table."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
                            "AND table_schema = current_schema()", [table]).fetchone()[0])


def column_types(con: Connection, table: str) -> list[list[str]]:
    """A table's columns as ``[name, type]`` in order, types named as DuckDB names them."""
    found = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE "
                        "table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
                        [table]).fetchall()
    return [[str(name), TYPE_NAMES.get(str(kind), str(kind))] for name, kind in found]


def connect_postgres(url: str) -> PostgresConnection:
    """A connection to the PostgreSQL database at ``url`` (autocommit: each statement on its
    own until :meth:`PostgresConnection.begin`).

    Raises
    ------
    RecordError
        If the server cannot be reached or refuses the connection (the message names the
        database without its password).
    """
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RecordError(f"The records database {describe(url)} cannot be reached ({first}); check "
                          "JC_RECORDS_URL (or records.url in secrets.toml) and that the server is "
                          "running.") from None
    for json_type in ("json", "jsonb"):  # JSON as its text: the audit chain hashes the text
        raw.adapters.register_loader(json_type, TextLoader)
    return PostgresConnection(raw)


class PostgresConnection:
    """A PostgreSQL connection that runs the records code's SQL as a DuckDB connection does:
    ``execute(sql, params)`` with ``?`` placeholders, then ``fetchone``, ``fetchall``,
    ``description`` (name and DuckDB type name) and ``df``; ``begin``, ``commit``,
    ``rollback``; ``close`` (also as a context manager)."""

    kind = "postgresql"

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw
        self._cursor: psycopg.Cursor | None = None

    def execute(self, sql: str, params: Sequence[object] | None = None) -> PostgresConnection:
        """Run one statement (``params`` for its ``?`` marks); returns the connection, whose
        ``fetch*`` methods read the result."""
        cursor = self.raw.cursor()
        if params:
            cursor.execute(to_placeholders(sql), [_plain(v) for v in params])
        else:
            cursor.execute(sql)
        self._cursor = cursor
        return self

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> PostgresConnection:
        """Run one statement once per row of parameters."""
        cursor = self.raw.cursor()
        cursor.executemany(to_placeholders(sql), [[_plain(v) for v in row] for row in rows])
        self._cursor = cursor
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row of the last result, or None."""
        return self._result().fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        """The remaining rows of the last result."""
        return self._result().fetchall()

    @property
    def description(self) -> list[tuple[str, str]]:
        """The last result's columns: (name, DuckDB type name such as ``DATE``)."""
        columns = self._result().description or []
        return [(c.name, _type_name(self.raw, c.type_code)) for c in columns]

    def df(self) -> pd.DataFrame:
        """The remaining rows of the last result as a DataFrame with dtypes like DuckDB's."""
        description = self.description
        return result_frame(description, self.fetchall())

    def begin(self) -> None:
        """Begin a SERIALIZABLE transaction and take the writers' lock (:data:`WRITE_LOCK`)
        before anything is read, so that its snapshot follows the last writer's commit."""
        self.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
        self.execute(WRITE_LOCK)

    def commit(self) -> None:
        """Commit the transaction."""
        self.execute("COMMIT")

    def rollback(self) -> None:
        """Roll the transaction back (nothing of it is written)."""
        self.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back by the server)."""
        self.raw.close()

    def __enter__(self) -> PostgresConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _result(self) -> psycopg.Cursor:
        if self._cursor is None:
            raise RecordError("No statement has been run on this connection yet.")
        return self._cursor


#: A connection to either back end (DuckDB's own connection already has this interface).
Connection: TypeAlias = duckdb.DuckDBPyConnection | PostgresConnection


def begin(con: Connection) -> None:
    """Begin a writing transaction on either back end (see :meth:`PostgresConnection.begin`)."""
    if isinstance(con, PostgresConnection):
        con.begin()
    else:
        con.execute("BEGIN TRANSACTION")


@functools.lru_cache(maxsize=512)
def to_placeholders(sql: str) -> str:
    """DuckDB's ``?`` placeholders as psycopg's ``%s`` (not inside quotes), every ``%`` doubled
    (psycopg reads ``%`` everywhere in a statement with parameters)."""
    out, quote = [], ""
    for char in sql:
        if char == "%":
            out.append("%%")
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        out.append(char)
    return "".join(out)


def result_frame(description: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows as a DataFrame typed as DuckDB's ``df()`` types them (timestamps as datetime64,
    whole numbers as integers where none is missing, doubles as floats), even when empty."""
    names = [name for name, _ in description]
    frame = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
    for position, (_, kind) in enumerate(description):
        column = frame.iloc[:, position]
        if kind == "TIMESTAMP":
            converted = pd.to_datetime(column)
        elif kind in ("INTEGER", "BIGINT", "SMALLINT"):
            wide = "int32" if kind == "INTEGER" else "int64"
            converted = column.astype("float64" if column.isna().any() else wide)
        elif kind in ("DOUBLE", "FLOAT", "DECIMAL"):
            converted = column.astype("float64")
        elif kind == "BOOLEAN" and not column.isna().any():
            converted = column.astype(bool)
        else:
            continue
        frame.isetitem(position, converted)
    return frame


def _type_name(raw: psycopg.Connection, oid: int) -> str:
    info = raw.adapters.types.get(oid)
    name = info.name if info is not None else str(oid)
    return _RESULT_TYPES.get(name, name.upper())


def _plain(value: object) -> object:
    """A parameter psycopg can send: numpy scalars as Python ones."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value
