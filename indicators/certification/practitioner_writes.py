"""Changes to an Accredited Practitioner's record by an authorised editor: a continuing-education
(CE) activity and a renewal (the rules are :mod:`.credentials`).

They follow the steps of :mod:`.writes`: the editor is authorised and the values checked before
the database is opened; then one transaction compares the practitioner's ``version`` the editor
saw with the stored one (a different one raises
:class:`~indicators.certification.checks.ConflictError`), checks the input against the record
(an activity outside every cycle, a renewal short of hours), writes the row, its
``audit_log`` entry and the practitioner's new version together, and is retried when another
session's transaction collided with it. A refusal raises
:class:`~indicators.certification.checks.RecordError` with a sentence saying why, and nothing is
written. Each function returns a :class:`~indicators.certification.writes.WriteResult` whose
``version`` the editor passes with their next write.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from datetime import date
from typing import Any

from indicators.certification import audit, credentials
from indicators.certification import checks as check
from indicators.certification.accounts import Account, authorise
from indicators.certification.backends import Connection, Location, resolve
from indicators.certification.checks import ConflictError, RecordError
from indicators.certification.database import (
    connect,
    insert,
    next_id,
    now,
    retrying,
    rows,
    to_json,
    transaction,
)
from indicators.certification.writes import WriteResult

#: What a write is given: (connection, practitioner row, CE activities, renewals) -> (table, row,
#: record id, before, extra columns of the practitioner to update).
Build = Callable[[Connection, dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]],
                 tuple[str, dict[str, Any], str, dict[str, Any] | None, dict[str, Any]]]


def _today() -> date:
    """Today's date, used only to refuse dates in the future (the rules never read the clock)."""
    return date.today()


def record_ce_activity(practitioner_id: str, *, title: str, provider: str | None, category: str,
                       hours: float, done_on: date | str, evidence_url: str | None, editor: Account,
                       version: int, db: Location | None = None, today: date | None = None) -> WriteResult:
    """Record a CE activity (``category`` one of
    :data:`~indicators.certification.credentials.CE_CATEGORIES`, ``hours`` more than 0, done
    on or before today, inside one of the practitioner's credential cycles; ``evidence_url``
    an http(s) link or empty)."""
    title = check.text(title, "activity title", required=True)
    provider = check.text(provider, "provider")
    category = check.choice(category, credentials.CE_CATEGORIES, "CE category")
    hours = check.number(hours, "CE hours")
    if hours <= 0:
        raise RecordError(f"The CE hours must be more than 0; got {hours:g}. Nothing was saved.")
    done_on = check.day(done_on, "activity date", today=today or _today())
    evidence_url = check.url(evidence_url, "evidence link")

    def build(con: Connection, person: dict[str, Any], done: list[dict[str, Any]],
              renewed: list[dict[str, Any]]) -> tuple[str, dict[str, Any], str, dict[str, Any] | None,
                                                      dict[str, Any]]:
        all_cycles = cycles_of(person, renewed)
        if credentials.cycle_of(done_on, all_cycles) is None:
            raise RecordError(f"The activity date {done_on} lies outside every credential cycle of "
                              f"{person['name']} (credentialed {person['credentialed_on']}, cycles to "
                              f"{all_cycles[-1].end}); CE hours count only while the credential runs. "
                              "Nothing was saved.")
        aid = next_id(con, "ce_activities")
        row = {"activity_id": aid, "practitioner_id": person["practitioner_id"], "title": title,
               "provider": provider, "category": category, "hours": hours, "done_on": done_on,
               "evidence_url": evidence_url}
        return "ce_activities", row, str(aid), done[-1] if done else None, {}

    return _write(db, practitioner_id, version, editor, "record CE activity", build)


def record_renewal(practitioner_id: str, renewed_on: date | str, *, editor: Account, version: int,
                   db: Location | None = None, today: date | None = None) -> WriteResult:
    """Record a renewal on ``renewed_on`` (not in the future, on or before the expiry, with at
    least 30 CE hours in the current cycle up to that day): the new cycle starts the day after
    and expires two years after ``renewed_on`` (the practitioner's ``expires_on`` moves on).
    The row keeps the new cycle (``cycle_start``, ``cycle_end``) and the hours of the cycle
    it closed (``hours_counted``)."""
    renewed_on = check.day(renewed_on, "renewal date", today=today or _today())

    def build(con: Connection, person: dict[str, Any], done: list[dict[str, Any]],
              renewed: list[dict[str, Any]]) -> tuple[str, dict[str, Any], str, dict[str, Any] | None,
                                                      dict[str, Any]]:
        all_cycles = cycles_of(person, renewed)
        current = all_cycles[-1]
        hours = hours_in_cycle(person, done, renewed, current, renewed_on)
        refused = credentials.renewal_refusal(all_cycles, renewed_on, hours, person.get("revoked_on"))
        if refused:
            raise RecordError(f"{refused} Nothing was saved.")
        rid, new = next_id(con, "renewals"), credentials.renewed_cycle(renewed_on)
        row = {"renewal_id": rid, "practitioner_id": person["practitioner_id"], "renewed_on": renewed_on,
               "cycle_start": new.start, "cycle_end": new.end, "hours_counted": hours}
        return "renewals", row, str(rid), renewed[-1] if renewed else None, {"expires_on": new.end}

    return _write(db, practitioner_id, version, editor, "record renewal", build)


def hours_in_cycle(person: dict[str, Any], done: list[dict[str, Any]], renewed: list[dict[str, Any]],
                   cycle: credentials.Cycle, up_to: date | None = None) -> float:
    """CE hours in ``cycle``: from the recorded activities, or, for a practitioner with neither
    activities nor renewals recorded, the ``ce_hours`` figure kept before activities were."""
    if not done and not renewed:
        return float(person.get("ce_hours") or 0.0)
    return credentials.hours_in(cycle, [(a["done_on"], float(a["hours"])) for a in done], up_to)


def practitioner_version(practitioner_id: str, db: Location | None = None) -> int:
    """The practitioner's current version (what an editor's next write must carry)."""
    with closing(connect(resolve(db))) as con:
        found = rows(con, "SELECT version FROM practitioners WHERE practitioner_id = ?", [practitioner_id])
    if not found:
        raise RecordError(f"There is no practitioner {practitioner_id!r}; choose one from the directory.")
    return int(found[0]["version"] or 1)


# --------------------------------------------------------------------------------------------


def cycles_of(person: dict[str, Any], renewed: list[dict[str, Any]]) -> list[credentials.Cycle]:
    """The practitioner's cycles (the first one ending at its recorded expiry until renewed)."""
    return credentials.cycles(person["credentialed_on"], [r["renewed_on"] for r in renewed],
                              None if renewed else person["expires_on"])


def _write(db: Location | None, practitioner_id: str, version: int, editor: Account, action: str,
           build: Build) -> WriteResult:
    actor = authorise(editor, action).audit_name
    expected = check.whole(version, "practitioner version")
    practitioner_id = check.text(practitioner_id, "practitioner", required=True)

    def attempt() -> WriteResult:
        with transaction(resolve(db)) as con:
            found = rows(con, "SELECT * FROM practitioners WHERE practitioner_id = ?", [practitioner_id])
            if not found:
                raise RecordError(f"There is no practitioner {practitioner_id!r}; choose one from the "
                                  "directory. Nothing was saved.")
            person = found[0]
            if int(person["version"] or 1) != expected:
                raise ConflictError("Someone else changed this practitioner's record since you opened it; "
                                    "reload and try again.")
            params = [practitioner_id]
            done = rows(con, "SELECT * FROM ce_activities WHERE practitioner_id = ? ORDER BY done_on, "
                             "activity_id", params)
            renewed = rows(con, "SELECT * FROM renewals WHERE practitioner_id = ? ORDER BY renewed_on, "
                                "renewal_id", params)
            table, row, record_id, before, update = build(con, person, done, renewed)
            at = now()
            row = {**row, "recorded_at": at, "recorded_by": actor}
            insert(con, table, row)
            audit.append(con, {"at": at, "actor": actor, "action": action, "table_name": table,
                               "record_id": record_id, "project_id": None, "before": to_json(before),
                               "after": to_json({**row, **update})})
            sets = "".join(f", {column} = ?" for column in update)
            con.execute(f"UPDATE practitioners SET version = ?{sets} WHERE practitioner_id = ? AND "
                        "version = ?", [expected + 1, *update.values(), practitioner_id, expected])
        return WriteResult(table, record_id, expected + 1)

    return retrying(attempt)
