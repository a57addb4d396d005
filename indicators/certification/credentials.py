"""The Accredited Practitioner credential cycle: continuing education, renewal, lapse and
revocation (pure functions, no database).

An Accredited Practitioner (AP) is credentialed for two years (:data:`CYCLE_MONTHS`). The
credential is valid up to and including its expiry date and **lapses** the day after. It is
renewed with a renewal fee and at least :data:`CE_HOURS_REQUIRED` continuing-education (CE)
hours earned in the current cycle (:data:`CE_CATEGORIES`).

Cycles
------
The first cycle runs from the credential date to its expiry (two years later, or the expiry
date recorded for the practitioner). A renewal on day *R* (on or before the expiry: a lapsed
credential is not renewed, the practitioner is accredited again) ends the cycle on *R* and
starts the next one **the day after** *R*, expiring two years after *R*
(``add_months(R, 24)``: 29 February falls back to 28 February). So:

- an activity dated on the renewal day counts once, towards that renewal;
- renewing early gives up the rest of the old cycle (the new expiry is always renewal date +
  2 years, never stacked on the old expiry);
- an activity before the credential date, or after a lapse, lies outside every cycle.

Status on a date (:data:`STATUSES`): *revoked* (from the revocation date on, whatever else),
*lapsed* (after the expiry), *renewal due* (90 days or fewer to the expiry, the expiry day
itself included) or *active*.

Examples
--------
>>> first = Cycle(date(2024, 3, 1), date(2026, 3, 1))
>>> status_on(first.end, date(2025, 11, 30)), status_on(first.end, date(2025, 12, 1))  # 91, 90 days
('active', 'renewal due')
>>> renewed_cycle(date(2028, 2, 29))
Cycle(start=datetime.date(2028, 3, 1), end=datetime.date(2030, 2, 28))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from indicators.dates import add_months

CYCLE_MONTHS = 24
CE_HOURS_REQUIRED = 30.0
RENEWAL_DUE_WITHIN_DAYS = 90
STATUSES = ("active", "renewal due", "lapsed", "revoked")
#: The kinds of continuing education that count, as editors choose them.
CE_CATEGORIES = (
    "PSE academy, circle or webinar",
    "Course of a peer organisation (NeighborWorks, PolicyLink, LISC, ULI...)",
    "Work on a registered or certified project",
    "Authorship",
    "Volunteering",
    "Mentoring",
)


@dataclass(frozen=True)
class Cycle:
    """One credential cycle, ``start`` to ``end`` (the expiry date), both days included."""

    start: date
    end: date

    def holds(self, day: date) -> bool:
        """Whether ``day`` lies in the cycle (both ends included)."""
        return self.start <= day <= self.end


def first_cycle(credentialed_on: date, expires_on: date | None = None) -> Cycle:
    """The cycle a credential starts with (expiring two years later unless ``expires_on`` is
    recorded).

    >>> first_cycle(date(2024, 2, 29))
    Cycle(start=datetime.date(2024, 2, 29), end=datetime.date(2026, 2, 28))
    """
    return Cycle(credentialed_on, expires_on or add_months(credentialed_on, CYCLE_MONTHS))


def renewed_cycle(renewed_on: date) -> Cycle:
    """The cycle a renewal on ``renewed_on`` starts: from the next day to two years after it."""
    return Cycle(renewed_on + timedelta(days=1), add_months(renewed_on, CYCLE_MONTHS))


def cycles(credentialed_on: date, renewals: Iterable[date], expires_on: date | None = None) -> list[Cycle]:
    """Every cycle so far, oldest first: the first cut short at the first renewal, and so on.

    >>> [c.end for c in cycles(date(2022, 1, 10), [date(2023, 12, 1)])]
    [datetime.date(2023, 12, 1), datetime.date(2025, 12, 1)]
    """
    out = [first_cycle(credentialed_on, expires_on)]
    for day in sorted(renewals):
        out[-1] = Cycle(out[-1].start, day)
        out.append(renewed_cycle(day))
    return out


def cycle_of(day: date, all_cycles: Sequence[Cycle]) -> Cycle | None:
    """The cycle ``day`` lies in, or None (before the credential, or after a lapse)."""
    return next((c for c in all_cycles if c.holds(day)), None)


def hours_in(cycle: Cycle, activities: Iterable[tuple[date, float]], up_to: date | None = None) -> float:
    """CE hours of ``(done_on, hours)`` activities in ``cycle`` (and on or before ``up_to``).

    >>> hours_in(Cycle(date(2024, 1, 1), date(2025, 12, 31)),
    ...          [(date(2023, 12, 31), 5.0), (date(2024, 1, 1), 10.0), (date(2025, 12, 31), 2.5)])
    12.5
    """
    last = min(cycle.end, up_to) if up_to else cycle.end
    return float(sum(h for d, h in activities if cycle.start <= d <= last))


def status_on(expires_on: date, as_of: date, revoked_on: date | None = None) -> str:
    """The credential's status on ``as_of`` (:data:`STATUSES`).

    >>> status_on(date(2026, 3, 31), date(2026, 3, 31)), status_on(date(2026, 3, 31), date(2026, 4, 1))
    ('renewal due', 'lapsed')
    >>> status_on(date(2026, 3, 31), date(2026, 1, 1), revoked_on=date(2025, 6, 1))
    'revoked'
    """
    if revoked_on is not None and revoked_on <= as_of:
        return "revoked"
    days = (expires_on - as_of).days
    if days < 0:
        return "lapsed"
    return "renewal due" if days <= RENEWAL_DUE_WITHIN_DAYS else "active"


def renewal_refusal(all_cycles: Sequence[Cycle], renewed_on: date, hours: float,
                    revoked_on: date | None = None) -> str | None:
    """Why a renewal on ``renewed_on`` with ``hours`` CE hours in its cycle is refused, as a
    sentence; None when it may be recorded.

    >>> one = cycles(date(2024, 1, 1), [])
    >>> renewal_refusal(one, date(2025, 12, 31), 30.0) is None
    True
    >>> print(renewal_refusal(one, date(2025, 12, 31), 29.5))  # doctest: +NORMALIZE_WHITESPACE
    A renewal needs 30 continuing-education hours in the cycle (2024-01-01 to 2026-01-01); 29.5
    are recorded, so 0.5 more are needed.
    """
    current = all_cycles[-1]
    if revoked_on is not None and revoked_on <= renewed_on:
        return f"The credential was revoked on {revoked_on}; a revoked credential cannot be renewed."
    if renewed_on > current.end:
        return (f"The credential lapsed after {current.end}, so it cannot be renewed on {renewed_on}; "
                "a lapsed practitioner is accredited again instead.")
    if renewed_on < current.start:
        return (f"The renewal date {renewed_on} is before the current cycle, which started on "
                f"{current.start}; check the date.")
    if hours < CE_HOURS_REQUIRED:
        return (f"A renewal needs {CE_HOURS_REQUIRED:g} continuing-education hours in the cycle "
                f"({current.start} to {current.end}); {hours:g} are recorded, so "
                f"{CE_HOURS_REQUIRED - hours:g} more are needed.")
    return None
