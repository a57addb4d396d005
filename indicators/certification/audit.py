"""The hash-chained audit log: every ``audit_log`` row seals its own values and the row before it.

Why: the records are a record of truth, so one must be able to show that no entry of the audit
log was changed, deleted or slipped in afterwards. Each row carries two extra columns:

- ``prev_hash``: the ``row_hash`` of the row before it (by ``audit_id``); the first row's is
  :data:`GENESIS`, 64 zeros;
- ``row_hash``: the SHA-256 (lower-case hex) of the row's canonical text::

      row_hash = sha256(utf8(json.dumps(
          {"audit_id": 7, "at": "2026-12-01T10:50:21.123456", "actor": ..., "action": ...,
           "table_name": ..., "record_id": ..., "project_id": ..., "before": ..., "after": ...,
           "prev_hash": ...},
          sort_keys=True, ensure_ascii=False, separators=(",", ":"))))

  with every column of the row (:data:`HASHED_COLUMNS`) plus ``prev_hash``; ``at`` as ISO 8601
  with microseconds (naive UTC, as stored), ``before`` and ``after`` as their stored JSON text,
  NULL as ``null``. Anyone can recompute it from the table alone (no key is needed).

Editing any value of a row breaks its ``row_hash``; deleting, inserting or reordering rows
breaks the next row's ``prev_hash`` or the run of ids (ids are 1, 2, 3... since rows are never
deleted). A rewrite of the whole chain from some row on, or the removal of the newest rows, can
only be seen against a head hash kept elsewhere (a backup's manifest, or one written down:
:func:`verify` takes it as ``expect_head``).

Every audit row is written by :func:`append` (the writes and the seeding alike), so none is ever
written unchained. A database made before the chain existed gets the two columns on its first
write or verification, the chain being computed over its rows in ``audit_id`` order, inside
the same transaction (:func:`ensure_chain`).

Examples
--------
>>> import duckdb
>>> from indicators.certification.migrations import apply
>>> con = duckdb.connect()
>>> _ = apply(con)
>>> first = append(con, {"at": datetime(2026, 1, 2, 3, 4, 5), "actor": "seed", "action": "seed",
...                      "table_name": "projects", "after": '{"projects": 0}'})
>>> first["audit_id"], first["prev_hash"] == GENESIS, len(first["row_hash"])
(1, True, 64)
>>> second = append(con, {"at": datetime(2026, 1, 2, 3, 5), "actor": "ed", "action": "add target",
...                       "table_name": "targets", "record_id": "1", "project_id": "p"})
>>> second["prev_hash"] == first["row_hash"]
True
>>> check(entries(con)).message
'2 audit rows, chain intact.'
>>> _ = con.execute("UPDATE audit_log SET actor = 'someone else' WHERE audit_id = 1")
>>> report = check(entries(con))
>>> report.ok, report.broken_id, report.problem
(False, 1, 'edited')
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from indicators.certification.backends import Connection, DatabaseError, Location, describe
from indicators.certification.checks import RecordError
from indicators.certification.database import insert, now, retrying, to_json, transaction

#: The ``prev_hash`` of the first row.
GENESIS = "0" * 64
#: The columns of an audit row that its hash covers (with ``prev_hash``), in table order.
HASHED_COLUMNS = ("audit_id", "at", "actor", "action", "table_name", "record_id", "project_id",
                  "before", "after")
#: What a caller of :func:`append` gives (the id and the hashes are worked out here).
ENTRY_COLUMNS = HASHED_COLUMNS[1:]
#: The two columns the chain adds to ``audit_log``.
CHAIN_COLUMNS = ("prev_hash", "row_hash")
#: Rows chained per statement when an older database is upgraded.
_BATCH = 500
#: How verification names what it found (``ChainReport.problem``).
PROBLEMS = ("edited", "missing", "inserted", "out of order", "chain mismatch", "unchained",
            "head not found")


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify` found.

    Attributes
    ----------
    rows : int
        Audit rows read.
    ok : bool
        True when every row matches its hash and follows the one before it.
    broken_id : int or None
        The first broken ``audit_id`` (for a missing row: the id it had).
    problem : str or None
        One of :data:`PROBLEMS`.
    message : str
        One plain sentence: "N audit rows, chain intact." or what is wrong where.
    head : str or None
        The newest row's ``row_hash`` (:data:`GENESIS` for an empty log; None when broken).
    upgraded : bool
        Whether the chain columns were just added to an older database.
    """

    rows: int
    ok: bool
    broken_id: int | None
    problem: str | None
    message: str
    head: str | None
    upgraded: bool = False


def canonical(row: Mapping[str, Any]) -> bytes:
    """The text a row's hash is taken of: its :data:`HASHED_COLUMNS` and ``prev_hash`` as
    compact JSON with sorted keys (see the module docstring).

    >>> canonical({"audit_id": 1, "at": datetime(2026, 1, 2), "actor": "a", "action": "b",
    ...            "table_name": "t", "prev_hash": GENESIS})[:60]
    b'{"action":"b","actor":"a","after":null,"at":"2026-01-02T00:0'
    """
    values = {column: _plain(row.get(column)) for column in (*HASHED_COLUMNS, "prev_hash")}
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def row_hash(row: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of :func:`canonical`."""
    return hashlib.sha256(canonical(row)).hexdigest()


def append(con: Connection, row: Mapping[str, Any]) -> dict[str, Any]:
    """Write one audit row, chained to the newest one, inside the caller's transaction.

    ``row`` holds some of :data:`ENTRY_COLUMNS` (``at`` defaults to now; ``before`` and
    ``after`` are JSON text or values to turn into JSON). The ``audit_id`` is the next one; two
    transactions appending at once collide on it, so one of them is retried
    (:class:`~indicators.certification.database.ContentionError`) and chains to the other's row.

    Returns
    -------
    dict
        The row as stored, with ``audit_id``, ``prev_hash`` and ``row_hash``.

    Raises
    ------
    RecordError
        If the newest audit row has no hash (written by something other than this module since
        the chain began), so that the chain is not silently continued from it.
    """
    unknown = sorted(set(row) - set(ENTRY_COLUMNS))
    if unknown:
        raise ValueError(f"audit rows have no column {unknown[0]!r}; the id and hashes are set by append")
    ensure_chain(con)
    last = con.execute("SELECT audit_id, row_hash FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchone()
    if last is not None and last[1] is None:
        raise RecordError(f"The newest audit row ({last[0]}) has no hash, so it was not written by the "
                          "application; nothing was saved. Run python -m indicators verify-audit and "
                          "restore a backup (import-records) if the log was tampered with.")
    entry: dict[str, Any] = {"audit_id": 1 if last is None else int(last[0]) + 1}
    entry.update({column: _stored(column, row.get(column)) for column in ENTRY_COLUMNS})
    entry["prev_hash"] = GENESIS if last is None else str(last[1])
    entry["row_hash"] = row_hash(entry)
    insert(con, "audit_log", entry)
    return entry


def ensure_chain(con: Connection) -> bool:
    """Give a database made before the chain its ``prev_hash`` and ``row_hash`` columns, chaining
    its rows in ``audit_id`` order (inside the caller's transaction); True when it did.

    Raises
    ------
    RecordError
        If there is no ``audit_log`` table (not a records database).
    """
    present = _columns(con)
    if all(column in present for column in CHAIN_COLUMNS):
        return False
    for column in CHAIN_COLUMNS:
        if column not in present:
            con.execute(f"ALTER TABLE audit_log ADD COLUMN {column} VARCHAR")
    chained = chain(entries(con, hashes=False))
    # parameters in batches, not a registered DataFrame: DuckDB's pandas scan is not safe when
    # several threads' connections register frames at once (concurrent first writes)
    for start in range(0, len(chained), _BATCH):
        batch = chained[start:start + _BATCH]
        values = ", ".join("(?, ?, ?)" for _ in batch)
        con.execute(f"UPDATE audit_log SET prev_hash = h.prev_hash, row_hash = h.row_hash FROM "
                    f"(VALUES {values}) AS h(audit_id, prev_hash, row_hash) "
                    "WHERE audit_log.audit_id = h.audit_id",
                    [v for r in batch for v in (r["audit_id"], r["prev_hash"], r["row_hash"])])
    return True


def chain(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows (in ``audit_id`` order) with the ``prev_hash`` and ``row_hash`` they get when chained
    from :data:`GENESIS`; how an older database is upgraded."""
    out, prev = [], GENESIS
    for row in rows:
        entry = {column: row.get(column) for column in HASHED_COLUMNS}
        entry["prev_hash"] = prev
        entry["row_hash"] = prev = row_hash(entry)
        out.append(entry)
    return out


def entries(con: Connection, *, hashes: bool = True) -> list[dict[str, Any]]:
    """Every audit row in ``audit_id`` order, as stored; with ``hashes`` and a database that has
    no chain columns yet, the hashes it would get (:func:`chain`), so an older database can be
    compared without changing it."""
    present = _columns(con)
    chained = all(column in present for column in CHAIN_COLUMNS)
    names = [*HASHED_COLUMNS, *(CHAIN_COLUMNS if hashes and chained else ())]
    cursor = con.execute(f"SELECT {', '.join(_quote(c) for c in names)} FROM audit_log "
                         "ORDER BY audit_id")
    found = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    return chain(found) if hashes and not chained else found


def check(rows: Sequence[Mapping[str, Any]], expect_head: str | None = None) -> ChainReport:
    """Check a chain (rows in ``audit_id`` order, with their hash columns); the first problem
    found is reported. ``expect_head``: a ``row_hash`` recorded earlier, which must still be in
    the chain (finds the newest rows removed).

    >>> check([]).message
    '0 audit rows, chain intact.'
    """
    hashes = {r["row_hash"]: i for i, r in enumerate(rows) if r.get("row_hash")}
    prev, expected = GENESIS, 1
    for i, row in enumerate(rows):
        found = _problem(rows, i, prev, expected, hashes)
        if found is not None:
            broken, problem, message = found
            return ChainReport(len(rows), False, broken, problem, message, None)
        prev, expected = str(row["row_hash"]), int(row["audit_id"]) + 1
    if expect_head is not None and expect_head != GENESIS and expect_head not in hashes:
        return ChainReport(len(rows), False, expected, "head not found",
                           f"The head hash {expect_head[:12]}... is not in the audit log: rows after "
                           f"row {expected - 1} were deleted, or the log was rewritten; restore a "
                           "backup to recover them.", None)
    return ChainReport(len(rows), True, None, None, f"{len(rows)} audit rows, chain intact.", prev)


def verify(db: Location, expect_head: str | None = None) -> ChainReport:
    """Check the audit chain of the records database ``db`` (adding the chain to an older
    database first, :func:`ensure_chain`).

    Raises
    ------
    RecordError
        If there is no database at ``db``, or it is not a records database.
    """
    def read() -> tuple[bool, list[dict[str, Any]]]:
        with transaction(db) as con:
            return ensure_chain(con), entries(con)

    try:
        upgraded, rows = retrying(read)
    except DatabaseError as exc:
        what = "database" if isinstance(db, str) else "file"
        raise RecordError(f"The {what} {describe(db)} cannot be read as a records database "
                          f"({_first_line(exc)}); check the path.") from None
    report = check(rows, expect_head)
    return ChainReport(report.rows, report.ok, report.broken_id, report.problem, report.message,
                       report.head, upgraded)


# --------------------------------------------------------------------------------------------


def _problem(rows: Sequence[Mapping[str, Any]], i: int, prev: str, expected: int,
             hashes: dict[str, int]) -> tuple[int, str, str] | None:
    """What is wrong with ``rows[i]`` given the row before it (None: nothing)."""
    row = rows[i]
    audit_id = int(row["audit_id"])
    if audit_id < expected:  # only the first row can: an id below 1
        return audit_id, "inserted", (f"Audit row {audit_id} comes before the first row (1), so it was "
                                      "inserted afterwards; restore a backup.")
    if audit_id > expected:
        what = (f"Audit row {expected} is" if audit_id == expected + 1
                else f"Audit rows {expected} to {audit_id - 1} are")
        jump = (f"the rows jump from {expected - 1} to {audit_id}" if expected > 1
                else f"the log starts at row {audit_id}")
        return expected, "missing", f"{what} missing (deleted): {jump}; restore a backup to recover them."
    if row.get("row_hash") is None or row.get("prev_hash") is None:
        return audit_id, "unchained", (f"Audit row {audit_id} has no hash, so it was written outside "
                                       "the application; restore a backup.")
    sealed = row_hash(row) == row["row_hash"]
    linked = row["prev_hash"] == prev
    if sealed and linked:
        return None
    written_as = audit_id if sealed else _written_as(row, expected + len(rows))
    after = -1 if row["prev_hash"] == GENESIS else hashes.get(str(row["prev_hash"]))
    moved = "" if written_as in (None, audit_id) else f" (written as row {written_as})"
    if written_as is None:
        return audit_id, "edited", (f"Audit row {audit_id} does not match its row_hash: a value was "
                                    "changed after it was written, or the row was forged; restore a "
                                    "backup.")
    if after is not None and after < i - 1:
        first = int(rows[after + 1]["audit_id"])
        what = "the first row" if after == -1 else f"row {rows[after]['audit_id']}"
        return first, "inserted", (f"Audit row {first} was inserted afterwards: row {audit_id}{moved} "
                                   f"was written directly after {what}; restore a backup.")
    if after is not None and after > i - 1:
        what = "the first row" if after == -1 else f"row {rows[after]['audit_id']}"
        written = "" if written_as == audit_id else f" as row {written_as},"
        return audit_id, "out of order", (f"Audit row {audit_id} is out of order: it was written{written} "
                                          f"after {what}, which now comes after it; restore a backup.")
    if after is not None:  # follows the right row, but its id was changed
        return audit_id, "edited", (f"Audit row {audit_id} was renumbered{moved}; restore a backup.")
    if written_as != audit_id:
        return written_as - 1, "missing", (
            f"Audit row {written_as - 1} is missing (deleted) and the later rows renumbered: row "
            f"{audit_id}{moved} no longer follows the row it was written after; restore a backup.")
    before = "the start of the log" if i == 0 else f"row {rows[i - 1]['audit_id']}"
    return audit_id, "chain mismatch", (
        f"Audit row {audit_id} does not follow {before}: its prev_hash is not that row's row_hash "
        f"(the earlier row was rewritten, or row {audit_id} was forged); restore a backup.")


def _written_as(row: Mapping[str, Any], most: int) -> int | None:
    """The ``audit_id`` the row's hash was made with, if only its id changed (None: none)."""
    for candidate in range(1, most + 1):
        if row_hash({**row, "audit_id": candidate}) == row["row_hash"]:
            return candidate
    return None


def _quote(name: str) -> str:
    """A column name (a code constant) quoted for SQL: ``at`` is a keyword."""
    return f'"{name}"'


def _columns(con: Connection) -> set[str]:
    names = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_log' "
        "AND table_schema = current_schema()").fetchall()}
    if not names:
        raise RecordError("This database has no audit log, so it is not a certification records "
                          "database; check the path.")
    return names


def _stored(column: str, value: object) -> object:
    """A value as :func:`append` stores it (so that it reads back identical)."""
    if column == "at":
        return _timestamp(now() if value is None else value)
    if value is None:
        return None
    if column in ("before", "after"):
        return value if isinstance(value, str) else to_json(value)
    return str(value)


def _timestamp(value: object) -> datetime:
    """A naive UTC datetime to the microsecond, as a TIMESTAMP column holds it."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                        value.microsecond)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise ValueError(f"an audit row's time must be a datetime, not {type(value).__name__}")


def _plain(value: object) -> object:
    """A value as the canonical text writes it."""
    if isinstance(value, datetime):
        return _timestamp(value).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return str(value)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0].rstrip(".") if str(exc) else type(exc).__name__
