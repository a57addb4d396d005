"""Sample City's Accredited Practitioners: fourteen fictional people with continuing-education
histories, told relative to the sample's reference date (1 November 2026) like its projects
(:mod:`indicators.sample.records`).

Evaluated on the reference date they are active, renewal due within 90 days (one ready to
renew, two short of hours), lapsed (two) and revoked (one); two renewed once; three are not
listed in the public directory. Nothing here is drawn at random (the projects' random draws
stay as they were).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from indicators.certification.credentials import CE_CATEGORIES
from indicators.dates import add_months

#: The sample's reference date (:mod:`indicators.sample.records` tells its story from it too).
REFERENCE_DATE = date(2026, 11, 1)

#: (id, name, organisation, city, listed, months before the reference date of the credential,
#: CE hours in the current cycle, months before it of a renewal or None, of a revocation or
#: None). Evaluated on the reference date: active, renewal due (one ready, two short of hours),
#: lapsed, revoked; renewed once; unlisted in the public directory; with and without projects.
PRACTITIONERS = (
    ("ap-jordan-ellery", "Jordan Ellery", "Ellery Planning Studio", "Sample City", True, 16.7, 12.0,
     None, None),
    ("ap-priya-castellanos", "Priya Castellanos", "Commons Consulting", "Sample City", True, 22.5, 26.0,
     None, None),  # renewal due, short of hours
    ("ap-marcus-obi", "Marcus Whitfield-Obi", "Independent", "Harbour Falls", True, 32.0, 8.0,
     None, None),  # lapsed
    ("ap-lena-hartsough", "Lena Hartsough", "Sample City Planning Department", "Sample City", False,
     6.4, 4.0, None, None),  # unlisted
    ("ap-tomasz-adeyemi", "Tomasz Adeyemi", "Neighbourhood Futures", "Sample City", True, 11.0, 31.0,
     None, None),
    ("ap-grace-nakamura-boyd", "Grace Nakamura-Boyd", "Sample State University", "Riverton", True, 21.4,
     18.0, None, None),  # renewal due, short of hours
    ("ap-ruth-okonkwo", "Ruth Okonkwo", "Okonkwo & Lee Associates", "Sample City", True, 45.0, 34.0,
     23.4, None),  # renewed once; renewal due and ready to renew
    ("ap-samuel-ferreira", "Samuel Ferreira", "Eastport Housing Cooperative", "Sample City", True, 42.0,
     9.0, 18.7, None),  # renewed once; active
    ("ap-hannah-liu", "Hannah Liu", "Liu Civic Design", "Riverton", True, 9.2, 6.5, None, None),
    ("ap-dev-ramaswamy", "Dev Ramaswamy", "Independent", "Sample City", False, 14.0, 21.0, None, None),
    ("ap-carmen-delgado", "Carmen Delgado", "Delgado Community Partners", "Harbour Falls", True, 19.0,
     15.0, None, 3.5),  # revoked
    ("ap-owen-blackwood", "Owen Blackwood", "Blackwood Landscape Collective", "Sample City", True, 27.0,
     12.0, None, None),  # lapsed
    ("ap-aisha-mensah", "Aisha Mensah", "Westside Community Foundation", "Sample City", True, 3.0, 0.0,
     None, None),  # newly credentialed, no CE yet
    ("ap-felix-moreau", "Felix Moreau", "Moreau Research", "Lakeport", False, 20.8, 30.5, None, None),
)
#: CE activities the histories cycle through: (category, title, provider).
_CE = (
    (CE_CATEGORIES[0], "PSE Academy: equitable district governance", "Just Communities (fictional)"),
    (CE_CATEGORIES[1], "Community land trusts in practice", "NeighborWorks America (fictional course)"),
    (CE_CATEGORIES[2], "Roadmap facilitation for a registered project", "Sample City project team"),
    (CE_CATEGORIES[0], "Practitioner circle: anti-displacement tools", "Just Communities (fictional)"),
    (CE_CATEGORIES[5], "Mentoring a new practitioner", "Just Communities (fictional)"),
    (CE_CATEGORIES[1], "Equitable development webinar series", "PolicyLink (fictional course)"),
    (CE_CATEGORIES[4], "Volunteer reviewer, neighbourhood grants", "Sample City Foundation"),
    (CE_CATEGORIES[3], "Article: measuring heat resilience by block", "Sample Planning Journal"),
)


def practitioners() -> list[dict[str, Any]]:
    """The sample's practitioners as the certification document lists them."""
    return [_practitioner(*p) for p in PRACTITIONERS]


def _at(months: float) -> date:
    """The day ``months`` before the reference date (fractions of a month as 30ths)."""
    whole = int(months)
    return add_months(REFERENCE_DATE, -whole) - timedelta(days=round((months - whole) * 30))


def _practitioner(pid: str, name: str, org: str, city: str, listed: bool, months: float, hours: float,
                  renewed: float | None, revoked: float | None) -> dict[str, Any]:
    """A practitioner with a CE history adding up to ``hours`` in the current cycle (and, when
    renewed, the 32 hours the renewal counted)."""
    issued = _at(months)
    first, last = name.split()[0].lower(), name.split()[-1].lower()
    current = _at(renewed) if renewed is not None else issued
    activities = _ce_history(pid, current, hours, 0)
    if renewed is not None:
        activities = _ce_history(pid, issued, 32.0, 3) + activities
    return {"practitioner_id": pid, "name": name, "organisation": org,
            "credentialed_on": issued.isoformat(), "ce_hours": hours,
            "email": f"{first}.{last}@example.org", "city": city, "listed": listed,
            **({"revoked_on": _at(revoked).isoformat()} if revoked is not None else {}),
            "ce_activities": activities,
            "renewals": [{"renewed_on": current.isoformat()}] if renewed is not None else []}


def _ce_history(pid: str, start: date, hours: float, offset: int) -> list[dict[str, Any]]:
    """Activities of 4 hours (the last one the remainder) a month apart from a month after
    ``start``, each on or before the reference date."""
    out, left, n = [], hours, 0
    while left > 0:
        chunk = min(4.0, left)
        category, title, provider = _CE[(n + offset + len(pid)) % len(_CE)]
        day = min(add_months(start, n + 1), REFERENCE_DATE - timedelta(days=1))
        out.append({"title": title, "provider": provider, "category": category, "hours": chunk,
                    "done_on": day.isoformat(),
                    "evidence_url": f"https://example.org/sample-city/ce/{pid}/{n + 1}"})
        left, n = left - chunk, n + 1
    return out
