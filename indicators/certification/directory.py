"""The Accredited Practitioner directory: what the Practitioners page reads (DataFrames on an
``as_of`` date, the rules of :mod:`.credentials`).

Privacy: a practitioner appears by name in the public directory only if they agreed to be
listed (``practitioners.listed``). With ``show_private=False`` (a visitor) an unlisted
practitioner is still a row (so counts are true) but without id, name, organisation or city;
e-mail addresses and CE evidence links are only given with ``show_private=True`` (a signed-in
editor), and never to a visitor.
"""

from __future__ import annotations

from contextlib import closing
from datetime import date
from typing import Any

import pandas as pd

from indicators.certification import credentials
from indicators.certification.backends import Location, resolve
from indicators.certification.database import connect, frame, rows
from indicators.certification.practitioner_writes import cycles_of, hours_in_cycle
from indicators.certification.records import portfolio

DIRECTORY_COLUMNS = [
    "practitioner_id", "name", "organisation", "city", "email", "listed", "credentialed_on",
    "expires_on", "status", "days_left", "ce_hours_in_cycle", "ce_hours_needed", "projects",
    "n_projects", "version",
]
ACTIVITY_COLUMNS = ["activity_id", "practitioner_id", "title", "provider", "category", "hours",
                    "done_on", "evidence_url", "in_current_cycle", "recorded_at", "recorded_by"]


def practitioner_directory(as_of: date, db: Location | None = None, *, show_private: bool) -> pd.DataFrame:
    """One row per Accredited Practitioner on ``as_of``: listed ones first, by name.

    Returns
    -------
    DataFrame
        ``practitioner_id``, ``name``, ``organisation``, ``city`` (None for an unlisted
        practitioner unless ``show_private``), ``email`` (None unless ``show_private``),
        ``listed``, ``credentialed_on``, ``expires_on`` (of the cycle running on ``as_of``),
        ``status`` (active, renewal due, lapsed, revoked), ``days_left`` (negative when past),
        ``ce_hours_in_cycle``, ``ce_hours_needed`` (towards 30, never negative), ``projects``
        ("Project name (stage); ..."), ``n_projects`` and ``version`` (what a write carries).
    """
    where = resolve(db)
    with closing(connect(where)) as con:
        people = rows(con, "SELECT * FROM practitioners ORDER BY name, practitioner_id", [])
        done = _by_person(rows(con, "SELECT * FROM ce_activities WHERE done_on <= ? ORDER BY done_on, "
                                    "activity_id", [as_of]))
        renewed = _by_person(rows(con, "SELECT * FROM renewals WHERE renewed_on <= ? ORDER BY renewed_on, "
                                       "renewal_id", [as_of]))
        teams = rows(con, "SELECT practitioner_id, project_id FROM assignments ORDER BY assignment_id", [])
    stages = _stages(as_of, where) if teams else {}
    out = []
    for person in people:
        pid = person["practitioner_id"]
        mine, renewals = done.get(pid, []), renewed.get(pid, [])
        current = cycles_of(person, renewals)[-1]
        hours = hours_in_cycle(person, mine, renewals, current, as_of)
        projects = [stages[t["project_id"]] for t in teams
                    if t["practitioner_id"] == pid and t["project_id"] in stages]
        named = bool(person.get("listed")) or show_private
        out.append({
            "practitioner_id": pid if named else None, "name": person["name"] if named else None,
            "organisation": person["organisation"] if named else None,
            "city": person.get("city") if named else None,
            "email": person.get("email") if show_private else None,
            "listed": bool(person.get("listed")), "credentialed_on": person["credentialed_on"],
            "expires_on": current.end,
            "status": credentials.status_on(current.end, as_of, person.get("revoked_on")),
            "days_left": (current.end - as_of).days, "ce_hours_in_cycle": hours,
            "ce_hours_needed": max(credentials.CE_HOURS_REQUIRED - hours, 0.0),
            "projects": "; ".join(projects), "n_projects": len(projects),
            "version": int(person.get("version") or 1)})
    found = pd.DataFrame(out, columns=DIRECTORY_COLUMNS)
    return found.sort_values("listed", ascending=False, kind="stable").reset_index(drop=True)


def ce_activities(practitioner_id: str, db: Location | None = None, *, show_private: bool) -> pd.DataFrame:
    """A practitioner's CE activities, newest first, with ``in_current_cycle`` (on the latest
    cycle). Evidence links and who recorded them only with ``show_private``; an unlisted
    practitioner's activities (or an unknown id) give no rows unless ``show_private``."""
    with closing(connect(resolve(db))) as con:
        found = rows(con, "SELECT * FROM practitioners WHERE practitioner_id = ?", [practitioner_id])
        if not found or not (found[0].get("listed") or show_private):
            return pd.DataFrame(columns=ACTIVITY_COLUMNS)
        params = [practitioner_id]
        done = frame(con, "SELECT * FROM ce_activities WHERE practitioner_id = ? ORDER BY done_on DESC, "
                          "activity_id DESC", params)
        renewed = rows(con, "SELECT * FROM renewals WHERE practitioner_id = ? ORDER BY renewed_on, "
                            "renewal_id", params)
    current = cycles_of(found[0], renewed)[-1]
    done["in_current_cycle"] = [current.holds(d) for d in done["done_on"]]
    if not show_private:
        done["evidence_url"] = None
        done["recorded_by"] = None
    return done[ACTIVITY_COLUMNS].reset_index(drop=True)


def projects_without_ap(as_of: date, db: Location | None = None) -> pd.DataFrame:
    """Projects no Accredited Practitioner is assigned to: ``project_id``, ``name``, ``stage``
    (the stage's title on ``as_of``)."""
    where = resolve(db)
    with closing(connect(where)) as con:
        staffed = {r["project_id"] for r in rows(con, "SELECT DISTINCT project_id FROM assignments", [])}
    folio = portfolio(as_of, where)
    alone = folio.loc[~folio["project_id"].isin(staffed), ["project_id", "name", "stage_title"]]
    return alone.rename(columns={"stage_title": "stage"}).reset_index(drop=True)


def _by_person(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in found:
        out.setdefault(row["practitioner_id"], []).append(row)
    return out


def _stages(as_of: date, where: Location) -> dict[str, str]:
    """Each project as "Name (stage title)"."""
    folio = portfolio(as_of, where)
    return {p: f"{n} ({s})" for p, n, s in zip(folio["project_id"], folio["name"], folio["stage_title"],
                                                strict=True)}
