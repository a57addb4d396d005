"""The Just Communities framework: Pillars, Commitments and the legacy EcoDistricts Priorities.

Just Communities Protocol 1.0 (Partnership for Southern Equity, 2024) organises outcomes in two
Pillars and five Commitments. Districts certified under the EcoDistricts Protocol v1.3 used six
Priorities, which map onto the Commitments as below.

Every name and text is in English and Spanish: :func:`heading`, :func:`summary`,
:func:`commitment_name`, :func:`pillar_name` and :func:`pillar_text` give them in a language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Commitment:
    """One of the five outcome areas every indicator belongs to."""

    name: str
    summary: str
    resident_heading: str
    #: The same in Spanish, written for a resident.
    name_es: str = ""
    summary_es: str = ""
    resident_heading_es: str = ""


PILLARS: dict[str, str] = {
    "Racial Equity": "Development that repairs harm and shares opportunity, power and wealth with "
                     "the people of colour who have been excluded from them.",
    "Climate Resilience": "Neighbourhoods that withstand heat, floods and pollution, and restore "
                          "the air, water and land their residents depend on.",
}

#: English pillar name -> (its Spanish name, its Spanish text).
PILLARS_ES: dict[str, tuple[str, str]] = {
    "Racial Equity": ("Equidad racial", "Un desarrollo que repara el daño y comparte las "
                      "oportunidades, el poder y la riqueza con las personas de color que han "
                      "quedado excluidas de ellos."),
    "Climate Resilience": ("Resiliencia climática", "Vecindarios que resisten el calor, las "
                           "inundaciones y la contaminación, y que recuperan el aire, el agua y la "
                           "tierra de los que dependen sus residentes."),
}

COMMITMENTS: tuple[Commitment, ...] = (
    Commitment("Belonging", "People can stay, shape and see themselves in their neighbourhood: "
               "housing security, anti-displacement, history and culture.",
               "Home and belonging", name_es="Pertenencia",
               summary_es="La gente puede quedarse en su vecindario, darle forma y verse reflejada "
                          "en él: vivienda segura, freno al desplazamiento, historia y cultura.",
               resident_heading_es="Hogar y pertenencia"),
    Commitment("Opportunity", "Residents share in prosperity: income, jobs, education and wealth.",
               "Income, jobs and school", name_es="Oportunidad",
               summary_es="Los residentes comparten la prosperidad: ingresos, empleo, educación y "
                          "patrimonio.",
               resident_heading_es="Ingresos, trabajo y escuela"),
    Commitment("Wellbeing", "Residents are healthy and cared for: health outcomes and access to care.",
               "Health", name_es="Bienestar",
               summary_es="Los residentes están sanos y bien atendidos: su salud y su acceso a la "
                          "atención médica.",
               resident_heading_es="Salud"),
    Commitment("Mobility", "Residents can reach what they need: transport and digital access.",
               "Getting around and getting online", name_es="Movilidad",
               summary_es="Los residentes pueden llegar a lo que necesitan: transporte y acceso a "
                          "internet.",
               resident_heading_es="Moverse y conectarse"),
    Commitment("Environment", "Clean air, water and land, a cool green canopy, and protection from "
               "hazards.", "Air, heat and land", name_es="Medio ambiente",
               summary_es="Aire, agua y tierra limpios, árboles que dan sombra y frescor, y "
                          "protección frente a los peligros.",
               resident_heading_es="Aire, calor y tierra"),
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


def heading(commitment: Commitment, lang: str = "en") -> str:
    """The Commitment's heading for residents (a card tab) in ``lang``.

    Examples
    --------
    >>> heading(COMMITMENTS[0]), heading(COMMITMENTS[0], "es")
    ('Home and belonging', 'Hogar y pertenencia')
    """
    return commitment.resident_heading_es if lang == "es" else commitment.resident_heading


def summary(commitment: Commitment, lang: str = "en") -> str:
    """What the Commitment is about, in ``lang``.

    Examples
    --------
    >>> summary(commitment("Mobility"), "es")
    'Los residentes pueden llegar a lo que necesitan: transporte y acceso a internet.'
    """
    return commitment.summary_es if lang == "es" else commitment.summary


def commitment_name(name: str, lang: str = "en") -> str:
    """The name of the Commitment called ``name`` (its English name) in ``lang``.

    Examples
    --------
    >>> commitment_name("Environment"), commitment_name("Environment", "es")
    ('Environment', 'Medio ambiente')
    """
    return commitment(name).name_es if lang == "es" else name


def pillar_name(name: str, lang: str = "en") -> str:
    """The name of the Pillar called ``name`` (its English name) in ``lang``.

    Examples
    --------
    >>> pillar_name("Racial Equity"), pillar_name("Racial Equity", "es")
    ('Racial Equity', 'Equidad racial')
    """
    return PILLARS_ES[name][0] if lang == "es" else name


def pillar_text(name: str, lang: str = "en") -> str:
    """What the Pillar called ``name`` stands for, in ``lang``.

    Examples
    --------
    >>> pillar_text("Climate Resilience", "es").split(",")[0]
    'Vecindarios que resisten el calor'
    """
    return PILLARS_ES[name][1] if lang == "es" else PILLARS[name]
