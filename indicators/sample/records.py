"""Sample City's certification records: twelve fictional projects at every stage.

The projects, organisations and people are invented, and each sits in one of the sample's
fictional districts. Their story is told relative to a fixed **reference date, 1 November
2026** (:data:`REFERENCE_DATE`): every date is a number of months before it, and every event
happens on or before it. Evaluated on that date (or within a few weeks of it) the portfolio
shows:

- a project still registering (Cedar Park) and two that registered but have not yet committed
  to the Pillars, one of them overdue after a commitment that was not endorsed (Lakeshore);
- two working on Formation and Roadmap on schedule (Northgate Together, Westside), one whose
  Formation is overdue after a "not endorsed" review (Northgate Station) and one whose Roadmap
  is two years overdue with revisions requested (Mill Creek);
- one newly certified project whose first annual report is not yet due (Downtown);
- four in Performance: three reporting every year, one **lapsed** after missing its annual
  reports (Riverside Roots);
- targets achieved, on track, needing attention and without data yet;
- fourteen Accredited Practitioners (:data:`PRACTITIONERS`) with CE histories: active, renewal
  due within 90 days (one ready to renew, two short of hours), lapsed and revoked, two renewed
  once, three not listed in the public directory; two projects have no practitioner (Cedar
  Park, Southview Forward).

On later dates the same records simply age (deadlines pass, credentials expire), which is what
the app shows when it evaluates them on today's date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from indicators.certification.database import FORMAT
from indicators.certification.standard import get_standard
from indicators.dates import add_months
from indicators.metrics.registry import get
from indicators.sample.practitioners import REFERENCE_DATE, practitioners

JC = "Just Communities 1.0"
LEGACY = "EcoDistricts Protocol v1.3"
REVIEWER = "Certification review panel (fictional)"


@dataclass(frozen=True)
class _Target:
    indicator_id: str
    baseline: float
    baseline_year: int
    target: float
    target_year: int
    pace: float | None  # observed progress as a multiple of the straight line; None: no data yet
    last_year: int = 2025


@dataclass(frozen=True)
class _Story:
    project_id: str
    name: str
    district_id: str
    standard: str
    registered: float  # months before the reference date
    lead: str
    focus: str
    path: tuple[tuple[str, float, tuple[tuple[str, str, float], ...]], ...]
    working: tuple[tuple[str, int, int], ...] = ()  # (stage, mandatory met, in progress)
    reports: tuple[str, ...] = ()  # per anniversary: on time | late | missed (default on time)
    targets: tuple[_Target, ...] = ()
    team: tuple[tuple[str, str], ...] = ()


P, F = "preliminary", "final"
END, REV, NOT = "endorsed", "revisions requested", "not endorsed"

STORIES = (
    _Story("oak-hill-commons", "Oak Hill Commons", "oak-hill", LEGACY, 92, "Oak Hill Community Land Trust",
           "shared green streets and permanently affordable homes",
           (("registration", 91.5, ((P, END, 91),)), ("commitment", 84, ((P, END, 83),)),
            ("formation", 67, ((P, REV, 66), (F, END, 64))), ("roadmap", 65, ((P, END, 63),))),
           targets=(_Target("tree_canopy", 18.0, 2019, 26.0, 2030, 1.5),
                    _Target("rent_burden", 52.0, 2019, 44.0, 2030, 0.4),
                    _Target("unemployment", 9.5, 2019, 6.5, 2028, 2.0),
                    _Target("asthma", 12.1, 2019, 10.5, 2030, 1.3),
                    _Target("no_internet", 19.0, 2019, 10.0, 2028, 1.4)),
           team=(("ap-jordan-ellery", "Lead practitioner"), ("ap-priya-castellanos", "Advisor"))),
    _Story("riverside-roots", "Riverside Roots Collaborative", "riverside", LEGACY, 86,
           "Riverside Neighbourhood Association", "river access, flood protection and local jobs",
           (("registration", 85.5, ((P, END, 85),)), ("commitment", 77, ((P, END, 76),)),
            ("formation", 59, ((P, END, 58),)), ("roadmap", 57, ((P, REV, 56), (F, END, 55)))),
           reports=("on time", "late", "missed", "missed"),
           targets=(_Target("pm25", 9.8, 2019, 8.4, 2029, 1.2, 2023),
                    _Target("homeownership", 38.0, 2019, 46.0, 2030, 0.3, 2023),
                    _Target("bachelors", 21.0, 2019, 28.0, 2030, 1.3, 2023),
                    _Target("poverty", 27.0, 2019, 20.0, 2030, 0.5, 2023)),
           team=(("ap-marcus-obi", "Lead practitioner"),)),
    _Story("eastport-waterfront", "Eastport Waterfront Partnership", "eastport", JC, 77,
           "Eastport Development Cooperative", "a cooler, cleaner industrial waterfront",
           (("registration", 76.5, ((P, END, 76),)), ("commitment", 69, ((P, END, 68),)),
            ("formation", 49, ((P, END, 48),)), ("roadmap", 47, ((P, REV, 46), (F, END, 45)))),
           targets=(_Target("heat", 2.4, 2020, 1.2, 2030, 1.4),
                    _Target("impervious", 71.0, 2020, 62.0, 2030, 0.5),
                    _Target("pm25", 10.4, 2020, 9.0, 2030, 1.6),
                    _Target("poverty", 31.0, 2020, 24.0, 2030, 0.6),
                    _Target("homeownership", 29.0, 2020, 36.0, 2032, 1.3),
                    _Target("no_vehicle", 24.0, 2020, 20.0, 2030, 2.6)),
           team=(("ap-tomasz-adeyemi", "Lead practitioner"), ("ap-grace-nakamura-boyd", "Advisor"))),
    _Story("downtown-renewal", "Downtown Renewal Alliance", "downtown", JC, 58,
           "Downtown Residents and Merchants Council", "homes people can afford near transit",
           (("registration", 57.5, ((P, END, 57),)), ("commitment", 50, ((P, END, 49),)),
            ("formation", 28, ((P, END, 27),)), ("roadmap", 24, ((P, REV, 22), (F, END, 9)))),
           targets=(_Target("rent_burden", 49.0, 2022, 42.0, 2032, 1.6),
                    _Target("severe_rent_burden", 27.0, 2022, 20.0, 2032, 0.4),
                    _Target("traffic_proximity", 1450.0, 2022, 1100.0, 2032, None),
                    _Target("tree_canopy", 11.0, 2022, 16.0, 2032, 1.7)),
           team=(("ap-priya-castellanos", "Lead practitioner"),)),
    _Story("mill-creek-rising", "Mill Creek Rising", "mill-creek", JC, 57,
           "Mill Creek Housing Partners", "repairing homes in a historically redlined neighbourhood",
           (("registration", 56.5, ((P, END, 56),)), ("commitment", 48, ((P, END, 47),)),
            ("formation", 30, ((P, END, 29),)), ("roadmap", 3, ((P, REV, 2),))),
           working=(("roadmap", 3, 2),),
           targets=(_Target("lead_paint", 46.0, 2023, 38.0, 2033, None),
                    _Target("median_income", 38500.0, 2023, 46000.0, 2033, None),
                    _Target("tree_canopy", 14.0, 2023, 20.0, 2033, None)),
           team=(("ap-marcus-obi", "Advisor"), ("ap-lena-hartsough", "Lead practitioner"))),
    _Story("westside-united", "Westside United", "westside", JC, 30, "Westside Community Foundation",
           "keeping long-standing residents as the neighbourhood changes",
           (("registration", 29.5, ((P, END, 29),)), ("commitment", 21, ((P, REV, 20), (F, END, 19))),
            ("formation", 5, ((P, REV, 4),)), ("formation", 2, ((P, END, 1),))),
           working=(("roadmap", 2, 2),),
           targets=(_Target("homeownership", 41.0, 2024, 45.0, 2034, None),),
           team=(("ap-jordan-ellery", "Advisor"), ("ap-tomasz-adeyemi", "Lead practitioner"))),
    _Story("northgate-together", "Northgate Together", "northgate", JC, 26, "Northgate Civic League",
           "safe streets to school and a new library branch",
           (("registration", 25.5, ((P, END, 25),)), ("commitment", 17, ((P, END, 16),))),
           working=(("formation", 4, 1), ("roadmap", 1, 2)),
           team=(("ap-grace-nakamura-boyd", "Lead practitioner"),)),
    _Story("lakeshore-neighbours", "Lakeshore Neighbors Alliance", "lakeshore", JC, 33,
           "Lakeshore Tenants Union", "tenant protections and shoreline parks",
           (("registration", 32.5, ((P, END, 32),)), ("commitment", 22, ((P, REV, 21), (F, NOT, 19))),
            ("commitment", 4, ((P, REV, 3),))),
           working=(("commitment", 2, 1),),
           team=(("ap-lena-hartsough", "Lead practitioner"),)),
    _Story("southview-forward", "Southview Forward", "southview", JC, 9, "Southview Faith Coalition",
           "a neighbourhood health hub", (("registration", 8.5, ((P, END, 8),)),),
           working=(("commitment", 1, 1),)),  # no Accredited Practitioner yet
    _Story("cedar-park-green-blocks", "Cedar Park Green Blocks", "cedar-park", JC, 3,
           "Cedar Park Block Clubs", "block-by-block tree planting and cooling",
           (("registration", 2.5, ()),), working=(("registration", 1, 1),)),
    _Story("eastport-rail-yards", "Eastport Rail Yards Renewal", "eastport", JC, 50,
           "Rail Yards Community Development Corporation", "cleaning up the rail yards for jobs and homes",
           (("registration", 49.5, ((P, END, 49),)), ("commitment", 40, ((P, END, 39),)),
            ("formation", 19, ((P, END, 18),)), ("roadmap", 17, ((P, REV, 16), (F, END, 14)))),
           targets=(_Target("hazwaste_proximity", 3.1, 2023, 2.0, 2033, 1.8),
                    _Target("diesel_pm", 0.62, 2023, 0.45, 2033, 0.3),
                    _Target("unemployment", 11.0, 2023, 7.0, 2033, 2.0),
                    _Target("uninsured", 14.0, 2023, 9.0, 2033, None)),
           team=(("ap-tomasz-adeyemi", "Advisor"), ("ap-grace-nakamura-boyd", "Lead practitioner"))),
    _Story("northgate-station", "Northgate Station Area Partnership", "northgate", JC, 46,
           "Northgate Station Business Improvement District", "affordable homes around the new station",
           (("registration", 45.5, ((P, END, 45),)), ("commitment", 37, ((P, END, 36),)),
            ("formation", 15, ((P, REV, 14), (F, NOT, 12))), ("formation", 2, ())),
           working=(("formation", 5, 1), ("roadmap", 2, 1)),
           team=(("ap-priya-castellanos", "Advisor"),)),
)

def certification_records(districts: list[tuple[str, str]], rng: np.random.Generator,
                          current: dict[tuple[str, str], float] | None = None) -> dict[str, Any]:
    """The Sample City certification document (JSON-serialisable, deterministic for a seed).

    Parameters
    ----------
    districts : list of (district_id, name)
        The sample's districts; every project must sit in one of them.
    rng : numpy.random.Generator
        Source of the small day-to-day variation in dates and values.
    current : dict, optional
        (district_id, indicator_id) -> the district's value on the dashboard, in the target's
        unit (41 for 41 %). Each target is then scaled so that its latest observation lands on
        that value, keeping its story (the relative change aimed for and the pace observed), so
        that a funder reading a target beside the district's indicators sees one story.

    Returns
    -------
    dict
        A document in the format :func:`indicators.certification.seed.seed_if_absent` reads.

    Raises
    ------
    ValueError
        If a project's district is not among ``districts``.
    """
    names = dict(districts)
    missing = sorted({s.district_id for s in STORIES} - set(names))
    if missing:
        raise ValueError(f"sample projects sit in districts the sample does not have: {', '.join(missing)}")
    return {
        "format": FORMAT, "format_version": 1, "region": "Sample City", "fictional": True,
        "reference_date": REFERENCE_DATE.isoformat(),
        "note": "Fictional projects, organisations and people for trying the dashboard. Dates are "
                "set relative to the reference date; evaluated on it, the portfolio tells the "
                "story described in indicators/sample/records.py.",
        "practitioners": practitioners(),
        "projects": [_project(story, names[story.district_id], rng, current) for story in STORIES],
    }


def _at(months: float, rng: np.random.Generator | None = None) -> date:
    """The day ``months`` before the reference date (fractions of a month as 30ths), plus up to
    four days of jitter."""
    whole = int(months)
    day = add_months(REFERENCE_DATE, -whole) - timedelta(days=round((months - whole) * 30))
    return day + timedelta(days=int(rng.integers(0, 5))) if rng is not None else day


def _scaled(spec: _Target, now: float | None) -> _Target:
    """The target moved so that its latest observation (or, with none, its baseline) equals the
    district's current value: relative for rates and amounts, additive for signed values
    (temperature anomalies), with the same relative change and pace."""
    if now is None or not np.isfinite(now):
        return spec
    share = (spec.last_year - spec.baseline_year) / (spec.target_year - spec.baseline_year)
    progress = share * spec.pace if spec.pace is not None else 0.0
    span = spec.target - spec.baseline
    if spec.baseline <= 0 or spec.indicator_id == "heat":
        baseline = now - span * progress
        target = baseline + span
    else:
        ratio = span / spec.baseline
        baseline = now / (1 + ratio * progress)
        target = baseline * (1 + ratio)
    digits = 2 if abs(baseline) < 5 else 0 if abs(baseline) >= 1000 else 1
    return replace(spec, baseline=round(baseline, digits), target=round(target, digits))


def _project(story: _Story, district: str, rng: np.random.Generator,
             current: dict[tuple[str, str], float] | None = None) -> dict[str, Any]:
    standard = get_standard(story.standard)
    registered = _at(story.registered)
    submissions, endorsed = _path(story, rng)
    both = {"formation", "roadmap"} <= set(endorsed)
    certified = max(endorsed["formation"], endorsed["roadmap"]) if both else None
    reports = _reports(story, certified, rng) if certified else []
    if reports and reports[0]["reviews"]:
        endorsed["performance"] = date.fromisoformat(reports[0]["reviews"][0]["reviewed_on"])
    statuses = _statuses(story, standard, registered, submissions + reports, endorsed, rng)
    reached = [s for s in standard.stage_ids if s in endorsed or (s == "certified" and certified)]
    events = [{"stage": s, "occurred_on": (certified if s == "certified" else endorsed[s]).isoformat(),
               "note": ""} for s in reached]
    return {
        "project_id": story.project_id, "name": story.name, "district_id": story.district_id,
        "city": "Sample City", "standard_version": story.standard,
        "registered_on": registered.isoformat(), "lead_organisation": story.lead,
        "description": f"A fictional {district} partnership working on {story.focus}.",
        "website": f"https://example.org/sample-city/{story.project_id}",
        "stage_events": events, "requirement_status": statuses,
        "submissions": submissions + reports,
        "targets": [_target(_scaled(t, (current or {}).get((story.district_id, t.indicator_id))), rng)
                    for t in story.targets],
        "team": [{"practitioner_id": p, "role": role, "since": _at(story.registered - 1).isoformat()}
                 for p, role in story.team],
    }


def _path(story: _Story, rng: np.random.Generator) -> tuple[list[dict[str, Any]], dict[str, date]]:
    submissions, endorsed = [], {}
    for stage, months, reviews in story.path:
        submitted = _at(months, rng)
        items = []
        for round_, outcome, reviewed in reviews:
            on = _at(reviewed, rng)
            items.append({"round": round_, "outcome": outcome, "reviewed_on": on.isoformat(),
                          "reviewer": REVIEWER, "notes": _NOTES[outcome]})
            if outcome == END:
                endorsed.setdefault(stage, on)
        submissions.append({"stage": stage, "submitted_on": submitted.isoformat(), "reviews": items,
                            "document_url": f"https://example.org/sample-city/{story.project_id}/{stage}.pdf"})
    return submissions, endorsed


_NOTES = {
    END: "Endorsed.",
    REV: "Strengthen resident seats on the governing body and show how the engagement plan "
         "reaches renters.",
    NOT: "Not endorsed: the partners named have not signed.",
}


def _reports(story: _Story, certified: date, rng: np.random.Generator) -> list[dict[str, Any]]:
    out = []
    for k in range(1, 50):
        due = add_months(certified, 12 * k)
        if due > REFERENCE_DATE:
            break
        kind = story.reports[k - 1] if k <= len(story.reports) else "on time"
        if kind == "missed":
            continue
        submitted = due - timedelta(days=20 + int(rng.integers(0, 10))) if kind == "on time" \
            else due + timedelta(days=60)
        reviewed = submitted + timedelta(days=30)
        reviews = [{"round": P, "outcome": END, "reviewed_on": reviewed.isoformat(),
                    "reviewer": REVIEWER, "notes": _NOTES[END]}] if reviewed <= REFERENCE_DATE else []
        out.append({"stage": "performance", "submitted_on": submitted.isoformat(), "reviews": reviews,
                    "title": f"Annual progress report {due.year}"})
    return out


def _statuses(story: _Story, standard: Any, registered: date, submissions: list[dict[str, Any]],
              endorsed: dict[str, date], rng: np.random.Generator) -> list[dict[str, Any]]:
    first = {}
    for sub in submissions:
        first.setdefault(sub["stage"], date.fromisoformat(sub["submitted_on"]))
    working = {stage: (met, progress) for stage, met, progress in story.working}
    out = []
    for stage in standard.stages:
        if stage.id in endorsed:
            for req in stage.requirements:
                out.extend(_done(story, req, registered, first[stage.id], rng))
        elif stage.id in working:
            met, progress = working[stage.id]
            for i, req in enumerate(stage.mandatory):
                status = "met" if i < met else "in progress" if i < met + progress else None
                if status:
                    on = _at(1 + float(rng.uniform(0, 1.5)))
                    out.append(_status(story, req.id, status, max(on, registered), status == "met"))
    return out


def _done(story: _Story, req: Any, registered: date, submitted: date,
          rng: np.random.Generator) -> list[dict[str, Any]]:
    met_on = max(registered, submitted - timedelta(days=10))
    started = max(registered, submitted - timedelta(days=90))
    final = "met" if req.mandatory or rng.random() < 0.6 else "not applicable"
    rows = [_status(story, req.id, "in progress", started, False)] if started < met_on else []
    return [*rows, _status(story, req.id, final, met_on, final == "met")]


def _status(story: _Story, req_id: str, status: str, on: date, evidence: bool) -> dict[str, Any]:
    link = f"https://example.org/sample-city/{story.project_id}/{req_id}.pdf"
    return {"requirement_id": req_id, "status": status, "recorded_by": "sample data",
            "recorded_at": f"{on.isoformat()}T10:00:00", "note": "",
            "evidence_url": link if evidence else None}


def _target(spec: _Target, rng: np.random.Generator) -> dict[str, Any]:
    indicator = get(spec.indicator_id)
    span = spec.target - spec.baseline
    digits = 2 if abs(spec.baseline) < 5 else 0 if abs(spec.baseline) >= 1000 else 1
    observations = []
    if spec.pace is not None:
        for year in range(spec.baseline_year + 1, spec.last_year + 1):
            share = (year - spec.baseline_year) / (spec.target_year - spec.baseline_year)
            value = spec.baseline + span * share * spec.pace + float(rng.normal(0, 0.025)) * abs(span)
            observations.append({"observed_on": date(year, 1, 1).isoformat(), "value": round(value, digits),
                                 "source": f"{indicator.source} (fictional sample)", "note": ""})
    return {
        "commitment": indicator.commitment, "indicator": indicator.label,
        "indicator_id": indicator.id, "unit": indicator.unit,
        "definition": indicator.question, "data_source": f"{indicator.source} (fictional sample)",
        "frequency": "annual", "baseline": spec.baseline, "baseline_year": spec.baseline_year,
        "target": spec.target, "target_year": spec.target_year,
        "direction": "increase" if indicator.direction == "higher_better" else "decrease",
        "observations": observations,
    }
