"""The Just Communities framework: Pillars, Commitments and the legacy EcoDistricts Priorities.

Just Communities Protocol 1.0 (Partnership for Southern Equity, 2024) organises outcomes in two
Pillars and five Commitments. Districts certified under the EcoDistricts Protocol v1.3 used six
Priorities, which map onto the Commitments as below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Commitment:
    """One of the five outcome areas every indicator belongs to."""

    name: str
    summary: str
    resident_heading: str


PILLARS: dict[str, str] = {
    "Racial Equity": "Development that repairs harm and shares opportunity, power and wealth with "
                     "the people of colour who have been excluded from them.",
    "Climate Resilience": "Neighbourhoods that withstand heat, floods and pollution, and restore "
                          "the air, water and land their residents depend on.",
}

COMMITMENTS: tuple[Commitment, ...] = (
    Commitment("Belonging", "People can stay, shape and see themselves in their neighbourhood: "
               "housing security, anti-displacement, history and culture.",
               "Home and belonging"),
    Commitment("Opportunity", "Residents share in prosperity: income, jobs, education and wealth.",
               "Income, jobs and school"),
    Commitment("Wellbeing", "Residents are healthy and cared for: health outcomes and access to care.",
               "Health"),
    Commitment("Mobility", "Residents can reach what they need: transport and digital access.",
               "Getting around and getting online"),
    Commitment("Environment", "Clean air, water and land, a cool green canopy, and protection from "
               "hazards.", "Air, heat and land"),
)
COMMITMENT_NAMES = tuple(c.name for c in COMMITMENTS)

#: EcoDistricts Protocol v1.3 Priorities -> Just Communities Commitments.
LEGACY_PRIORITIES: dict[str, str] = {
    "Place": "Belonging",
    "Prosperity": "Opportunity",
    "Health + Wellbeing": "Wellbeing",
    "Connectivity": "Mobility",
    "Living Infrastructure": "Environment",
    "Resource Restoration": "Environment",
}


def commitment(name: str) -> Commitment:
    """The Commitment called ``name`` (KeyError if there is none)."""
    for item in COMMITMENTS:
        if item.name == name:
            return item
    raise KeyError(name)


def legacy_priorities(name: str) -> list[str]:
    """The EcoDistricts Protocol v1.3 Priorities that became the Commitment called ``name``.

    Examples
    --------
    >>> legacy_priorities("Environment")
    ['Living Infrastructure', 'Resource Restoration']
    """
    return [priority for priority, now in LEGACY_PRIORITIES.items() if now == name]
