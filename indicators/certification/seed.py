"""Creating the records database (``certification.duckdb`` or PostgreSQL) from a region's
certification document, once.

The document is the JSON file a region's manifest names with ``role = "certification"`` (the
Sample City's is written by :mod:`indicators.sample.records`). Its outline::

    {"format": "just-communities/certification-records", "format_version": 1,
     "region": "...", "fictional": true, "reference_date": "2026-11-01",
     "practitioners": [{"practitioner_id", "name", "organisation", "credentialed_on",
                        "expires_on" (optional), "ce_hours", "email", "city", "listed",
                        "revoked_on" (optional), "ce_activities": [{"title", "provider",
                        "category", "hours", "done_on", "evidence_url"}],
                        "renewals": [{"renewed_on"}]}],
     "projects": [{"project_id", "name", "district_id", "city", "standard_version",
                   "registered_on", "description", "lead_organisation", "website",
                   "stage_events": [{"stage", "occurred_on", "note"}],
                   "requirement_status": [{"requirement_id", "status", "evidence_url", "note",
                                           "recorded_by", "recorded_at"}],
                   "submissions": [{"stage", "kind", "submitted_on", "title", "document_url",
                                    "note", "reviews": [{"round", "outcome", "reviewed_on",
                                                         "reviewer", "notes"}]}],
                   "targets": [{Targets Template fields, "observations": [{"observed_on",
                                "value", "source", "note"}]}],
                   "team": [{"practitioner_id", "role", "since"}],
                   "boundary": {"name", "geometry" (GeoJSON), "source"} (optional)}]}

Every value is checked with the same rules as an editor's input; a bad document raises
:class:`~indicators.certification.checks.RecordError` naming the project and item, and no database is
created.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from indicators.atomic import NewDatabase
from indicators.certification import audit, credentials, migrations
from indicators.certification import checks as check
from indicators.certification.backends import (
    CREATE_LOCK,
    Connection,
    DatabaseError,
    Location,
    connect_postgres,
    exists,
    has_table,
    is_postgres,
    resolve,
)
from indicators.certification.boundaries import check_geometry
from indicators.certification.checks import RecordError
from indicators.certification.database import (
    ID_COLUMNS,
    insert_many,
    now,
    read_document,
    to_json,
)
from indicators.certification.rules import OUTCOMES, ROUNDS, STATUSES, requirements_frame
from indicators.certification.standard import Standard, default_version, get_standard
from indicators.ingest.manifest import load_manifest
from indicators.problems import InputError

SEED_ACTOR = "seed"


def seed_if_absent(source: Path, db_path: Location | None = None) -> bool:
    """Create the records database from a region's certification document if it is absent.

    Parameters
    ----------
    source : Path
        A region folder (its manifest's certification layer is read; a region without one gets
        an empty database) or the certification JSON file itself.
    db_path : Path or str, optional
        The database: a DuckDB file or a PostgreSQL URL (default
        :func:`indicators.config.records_location`). A PostgreSQL database is seeded when it
        holds no records tables yet (its tables are made by :mod:`.migrations`).

    Returns
    -------
    bool
        True if the database was created, False if one already existed (it is not opened, read
        or changed).

    Raises
    ------
    RecordError
        If the document is broken; nothing is created.
    """
    target = resolve(db_path)
    if exists(target):
        return False
    document, name = _document(Path(source))
    tables = document_rows(document)
    if is_postgres(target):
        return _seed_postgres(str(target), tables, document, name)
    new = NewDatabase(Path(target), only_if_absent=True)
    with new as con:
        migrations.apply(con)
        _write(con, tables, document, name)
    return new.placed


def _seed_postgres(url: str, tables: dict[str, list], document: dict[str, Any], name: str) -> bool:
    """Make and fill the records tables in one transaction, unless another server did first
    (both take the advisory lock :data:`CREATE_LOCK`; the second then finds the tables, since
    READ COMMITTED reads what was committed before its next statement)."""
    with connect_postgres(url) as con:
        con.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        try:
            con.execute("SELECT pg_advisory_xact_lock(?)", [CREATE_LOCK])
            if has_table(con, "audit_log"):
                con.rollback()
                return False
            migrations.apply(con)
            _write(con, tables, document, name)
            con.commit()
        except BaseException:
            with contextlib.suppress(*DatabaseError):
                con.rollback()
            raise
    return True


def _document(source: Path) -> tuple[dict[str, Any], str]:
    if source.is_dir() or source.suffix == ".toml":
        try:
            layers = load_manifest(source).of_role("certification")
        except InputError as exc:
            first = exc.problems[0] if exc.problems else None
            raise RecordError(f"The region's manifest cannot be read ({first.message if first else exc}); "
                              "fix manifest.toml first.") from None
        if not layers:
            return {"projects": [], "practitioners": []}, "(empty: the region has no certification layer)"
        source = layers[0].path
    raw = source.read_bytes() if source.exists() else b""
    digest = hashlib.sha256(raw).hexdigest()
    return read_document(source), f"{source.name} sha256:{digest}"


def count_projects(path: Path) -> int:
    """Check a certification document fully, as seeding would, and count its projects.

    Raises
    ------
    RecordError
        If the document is broken (the message names the project and item).
    """
    return len(document_rows(read_document(path))["projects"])


def document_rows(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Check a certification document and turn it into rows per table.

    Raises
    ------
    RecordError
        Naming the project and item of the first problem found.
    """
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in (
        "projects", "requirements", "requirement_status", "stage_events", "submissions",
        "reviews", "targets", "observations", "practitioners", "assignments", "boundaries",
        "ce_activities", "renewals")}
    for i, raw in enumerate(document.get("practitioners") or [], start=1):
        _located(f"Practitioner {i}", _practitioner, raw, tables)
    known = {p["practitioner_id"] for p in tables["practitioners"]}
    for i, raw in enumerate(document.get("projects") or [], start=1):
        name = raw.get("project_id", "?") if isinstance(raw, dict) else "?"
        _located(f"Project {i} ({name})", _project, raw, tables, known)
    ids = [p["project_id"] for p in tables["projects"]]
    repeated = sorted({p for p in ids if ids.count(p) > 1})
    if repeated:
        raise RecordError(f"The project id {repeated[0]!r} is used twice; give each project its own id.")
    return tables


def _located(where: str, func: Any, *args: Any) -> None:
    try:
        if not isinstance(args[0], dict):
            raise RecordError("the entry must be a JSON object.")
        func(*args)
    except RecordError as exc:
        raise RecordError(f"{where}: {exc}") from None


def _practitioner(raw: dict[str, Any], tables: dict[str, list]) -> None:
    issued = check.day(raw.get("credentialed_on"), "credential date")
    pid = check.slug(raw.get("practitioner_id"), "practitioner id")
    activities = [_activity(pid, item) for item in raw.get("ce_activities") or []]
    renewed = sorted(check.day(r.get("renewed_on"), "renewal date") for r in raw.get("renewals") or [])
    given = check.day(raw["expires_on"], "expiry date") if raw.get("expires_on") else None
    done = [(a["done_on"], a["hours"]) for a in activities]
    so_far = credentials.cycles(issued, [], given)
    for day in renewed:
        refused = credentials.renewal_refusal(so_far, day, credentials.hours_in(so_far[-1], done, day))
        if refused:
            raise RecordError(refused)
        new = credentials.renewed_cycle(day)
        tables["renewals"].append({
            "practitioner_id": pid, "renewed_on": day, "cycle_start": new.start, "cycle_end": new.end,
            "hours_counted": credentials.hours_in(so_far[-1], done, day), "recorded_at": now(),
            "recorded_by": SEED_ACTOR})
        so_far = credentials.cycles(issued, [r["renewed_on"] for r in tables["renewals"]
                                             if r["practitioner_id"] == pid])
    outside = [a for a in activities if credentials.cycle_of(a["done_on"], so_far) is None]
    if outside:
        raise RecordError(f"the CE activity {outside[0]['title']!r} on {outside[0]['done_on']} lies outside "
                          "every credential cycle; check its date.")
    tables["ce_activities"].extend(activities)
    tables["practitioners"].append({
        "practitioner_id": pid,
        "name": check.text(raw.get("name"), "name", required=True),
        "organisation": check.text(raw.get("organisation"), "organisation"),
        "credentialed_on": issued, "expires_on": so_far[-1].end,
        "ce_hours": check.number(raw.get("ce_hours", 0), "continuing-education hours"),
        "email": check.text(raw.get("email"), "e-mail"), "city": check.text(raw.get("city"), "city"),
        "listed": _flag(raw.get("listed", False)),
        "revoked_on": check.day(raw["revoked_on"], "revocation date") if raw.get("revoked_on") else None,
        "version": 1,
    })


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise RecordError(f'"listed" must be true or false; got {value!r}.')
    return value


def _activity(pid: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise RecordError("each CE activity must be a JSON object.")
    hours = check.number(item.get("hours"), "CE hours")
    if hours <= 0:
        raise RecordError(f"the CE hours must be more than 0; got {hours:g}.")
    return {"practitioner_id": pid, "title": check.text(item.get("title"), "CE title", required=True),
            "provider": check.text(item.get("provider"), "provider"),
            "category": check.choice(item.get("category"), credentials.CE_CATEGORIES, "CE category"),
            "hours": hours, "done_on": check.day(item.get("done_on"), "CE date"),
            "evidence_url": check.url(item.get("evidence_url"), "evidence link"),
            "recorded_at": now(), "recorded_by": SEED_ACTOR}


def _project(raw: dict[str, Any], tables: dict[str, list], practitioners: set[str]) -> None:
    version = raw.get("standard_version") or default_version()
    try:
        standard = get_standard(version)
    except ValueError as exc:
        raise RecordError(f"{exc}; use one of the versions in "
                          "indicators/certification/standard.toml.") from None
    pid = check.slug(raw.get("project_id"), "project id")
    registered = check.day(raw.get("registered_on"), "registration date")
    tables["projects"].append({
        "project_id": pid, "name": check.text(raw.get("name"), "project name", required=True),
        "district_id": check.text(raw.get("district_id"), "district id"),
        "city": check.text(raw.get("city"), "city"), "standard_version": version,
        "registered_on": registered, "description": check.text(raw.get("description"), "description"),
        "lead_organisation": check.text(raw.get("lead_organisation"), "lead organisation"),
        "website": check.url(raw.get("website"), "website"), "version": 1,
        "created_by": SEED_ACTOR, "created_at": now(),
    })
    checklist = requirements_frame(standard)
    tables["requirements"].extend(
        {"project_id": pid, **{k: (bool(v) if k == "mandatory" else v) for k, v in r.items()}}
        for r in checklist.to_dict("records"))
    _statuses(pid, raw.get("requirement_status") or [], set(checklist["requirement_id"]), tables)
    for event in raw.get("stage_events") or []:
        tables["stage_events"].append({
            "project_id": pid, "stage": check.choice(event.get("stage"), standard.stage_ids, "stage"),
            "occurred_on": check.day(event.get("occurred_on"), "stage date"),
            "note": check.text(event.get("note"), "note"), "recorded_by": SEED_ACTOR,
            "recorded_at": now()})
    _submissions(pid, raw.get("submissions") or [], standard, registered, tables)
    _targets(pid, raw.get("targets") or [], tables)
    boundary = raw.get("boundary")
    if boundary:
        if not isinstance(boundary, dict):
            raise RecordError("the boundary must be an object with a GeoJSON geometry.")
        tables["boundaries"].append({
            "project_id": pid, "name": check.text(boundary.get("name"), "boundary name"),
            "geojson": check_geometry(boundary.get("geometry")),
            "source": check.text(boundary.get("source"), "boundary source"),
            "recorded_by": SEED_ACTOR, "recorded_at": now()})
    for member in raw.get("team") or []:
        who = check.choice(member.get("practitioner_id"), sorted(practitioners), "practitioner")
        tables["assignments"].append({
            "project_id": pid, "practitioner_id": who,
            "role": check.text(member.get("role"), "role", required=True),
            "since": check.day(member["since"], "start date") if member.get("since") else None})


def _statuses(pid: str, items: list[dict[str, Any]], known: set[str], tables: dict[str, list]) -> None:
    for item in items:
        requirement = item.get("requirement_id")
        if requirement not in known:
            raise RecordError(f"the requirement {requirement!r} is not in this project's checklist; "
                              "use an id from indicators/certification/standard.toml.")
        try:
            recorded_at = datetime.fromisoformat(str(item.get("recorded_at")))
        except ValueError:
            raise RecordError(f"recorded_at {item.get('recorded_at')!r} is not a date and time; "
                              "write it as 2024-05-31T10:00:00.") from None
        tables["requirement_status"].append({
            "project_id": pid, "requirement_id": requirement,
            "status": check.choice(item.get("status"), STATUSES, "status"),
            "evidence_url": check.url(item.get("evidence_url"), "evidence link"),
            "note": check.text(item.get("note"), "note"),
            "recorded_by": check.text(item.get("recorded_by") or SEED_ACTOR, "recorder", required=True),
            "recorded_at": recorded_at})


def _submissions(pid: str, items: list[dict[str, Any]], standard: Standard, registered: Any,
                 tables: dict[str, list]) -> None:
    stages = [s.id for s in standard.stages if not s.automatic]
    for item in items:
        stage = check.choice(item.get("stage"), stages, "submission stage")
        submitted = check.day(item.get("submitted_on"), "submission date")
        if submitted < registered:
            raise RecordError(f"the {stage} submission of {submitted} is before the registration "
                              f"date {registered}; check the dates.")
        sid = len(tables["submissions"]) + 1
        tables["submissions"].append({
            "submission_id": sid, "project_id": pid, "stage": stage,
            "kind": check.text(item.get("kind") or standard.stage(stage).submission, "kind", required=True),
            "submitted_on": submitted, "title": check.text(item.get("title"), "title"),
            "document_url": check.url(item.get("document_url"), "document link"),
            "note": check.text(item.get("note"), "note"), "recorded_by": SEED_ACTOR,
            "recorded_at": now()})
        for review in item.get("reviews") or []:
            reviewed = check.day(review.get("reviewed_on"), "review date")
            if reviewed < submitted:
                raise RecordError(f"a review of the {stage} submission ({reviewed}) is dated before "
                                  f"the submission ({submitted}); check the dates.")
            tables["reviews"].append({
                "submission_id": sid, "round": check.choice(review.get("round"), ROUNDS, "round"),
                "outcome": check.choice(review.get("outcome"), OUTCOMES, "outcome"),
                "reviewed_on": reviewed, "reviewer": check.text(review.get("reviewer"), "reviewer"),
                "notes": check.text(review.get("notes"), "notes"), "recorded_by": SEED_ACTOR,
                "recorded_at": now()})


def _targets(pid: str, items: list[dict[str, Any]], tables: dict[str, list]) -> None:
    for item in items:
        row = check.target_fields(pid, item)
        tid = len(tables["targets"]) + 1
        tables["targets"].append({"target_id": tid, **row, "recorded_by": SEED_ACTOR,
                                  "recorded_at": now()})
        for obs in item.get("observations") or []:
            on = check.day(obs.get("observed_on"), "observation date")
            tables["observations"].append({
                "target_id": tid, "observed_on": on, "year": on.year,
                "value": check.number(obs.get("value"), "observed value"),
                "source": check.text(obs.get("source"), "source"),
                "note": check.text(obs.get("note"), "note"),
                "recorded_by": SEED_ACTOR, "recorded_at": now()})


def _write(con: Connection, tables: dict[str, list], document: dict[str, Any],
           source: str) -> None:
    for table, rows in tables.items():
        column = ID_COLUMNS.get(table)
        rows = [{column: n, **row} if column and column not in row else row
                for n, row in enumerate(rows, start=1)]
        insert_many(con, table, rows)
    seeded_at = now()
    meta = {"source": source, "seeded_at": seeded_at.isoformat(),
            "region": str(document.get("region", "")),
            "fictional": str(bool(document.get("fictional", False))).lower(),
            "reference_date": str(document.get("reference_date", ""))}
    con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
    audit.append(con, {  # the first row of the audit chain
        "at": seeded_at, "actor": SEED_ACTOR, "action": "seed the records database",
        "table_name": "projects", "record_id": None, "project_id": None, "before": None,
        "after": to_json({"source": source, "projects": len(tables["projects"])})})
