"""The shape of a registry entry: :class:`Indicator`, the builders of the two commonest kinds
(rates of counts, population-weighted means) and the sources they cite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from indicators.metrics.composites import CompositeIndex
from indicators.metrics.variables import VARIABLES

Direction = Literal["higher_worse", "higher_better", "neutral"]
Method = Literal["rate", "rate_gap", "median", "mean", "area_share", "composite", "flag_share"]


@dataclass(frozen=True)
class Texts:
    """What an indicator says to a resident in one language: its label, the question it
    answers, and its statement (``{value}`` stands for the formatted value)."""

    label: str
    question: str
    statement: str


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it means to a resident, how it is computed, where it comes from."""

    id: str
    label: str
    question: str
    statement: str
    unit: str
    fmt: str
    direction: Direction
    pillar: str
    commitment: str
    method: Method
    inputs: tuple[tuple[str, ...], ...]
    formula: str
    source: str
    caveats: str = ""
    percentile: str = "cdc_svi"
    index: CompositeIndex | None = None
    published: str | None = None
    #: The same texts in Spanish, written for a resident (every indicator has them: a test checks).
    es: Texts | None = None

    def texts(self, lang: str = "en") -> Texts:
        """The label, question and statement in ``lang`` ("en" or "es"; English where the
        language has none)."""
        if lang == "es" and self.es is not None:
            return self.es
        return Texts(self.label, self.question, self.statement)

    def label_in(self, lang: str = "en") -> str:
        """The label in ``lang``."""
        return self.texts(lang).label

    def question_in(self, lang: str = "en") -> str:
        """The question in ``lang``."""
        return self.texts(lang).question

    def sentence(self, value_text: str, lang: str = "en") -> str:
        """The plain-language statement in ``lang`` with the formatted value filled in."""
        return self.texts(lang).statement.format(value=value_text)

    @property
    def variables(self) -> set[str]:
        """Every canonical variable any input alternative (or the published share) uses."""
        used = {v for alternative in self.inputs for v in alternative if v in VARIABLES}
        return used | ({self.published} if self.published else set())


def rate(id: str, label: str, question: str, statement: str, commitment: str,
         direction: Direction, inputs: tuple[tuple[str, str], ...], source: str,
         pillar: str = "Racial Equity", caveats: str = "", published: str | None = None,
         es: Texts | None = None) -> Indicator:
    """A rate of counts (``X / Y`` summed over the pieces of units), in percent; where no layer
    has the counts, the ``published`` share (a source's own percentage) population-weighted."""
    num, den = inputs[0]
    formula = (f"{VARIABLES[num].label} / {VARIABLES[den].label}, each summed over the area-weighted "
               "pieces of the units in the geography")
    if published is not None:
        formula += (f"; where no layer has these counts, the {VARIABLES[published].label} "
                    "population-weighted over the pieces of units (no margin of error)")
    return Indicator(id, label, question, statement, "%", "percent", direction, pillar, commitment,
                     "rate", inputs, formula, source, caveats, published=published, es=es)


def mean(id: str, label: str, question: str, statement: str, variable: str, unit: str, fmt: str,
         direction: Direction, source: str, commitment: str = "Environment",
         pillar: str = "Climate Resilience", caveats: str = "", es: Texts | None = None) -> Indicator:
    """A population-weighted mean of an intensive value (a concentration, a prevalence)."""
    formula = (f"population-weighted mean of {VARIABLES[variable].label} ({unit}) over the "
               "area-weighted pieces of the units in the geography")
    return Indicator(id, label, question, statement, unit, fmt, direction, pillar, commitment,
                     "mean", ((variable,),), formula, source, caveats, es=es)


ACS = "U.S. Census Bureau, American Community Survey 5-year"
EJSCREEN = "U.S. EPA EJScreen"
PLACES = "CDC PLACES (model-based estimates from BRFSS)"
CEJST = "CEQ Climate and Economic Justice Screening Tool 1.0"
SVI_NOTE = ("Where the census layer is CDC SVI, its universes (poverty, labour force, adults 25+) are "
            "recovered from CDC's published percentages and carry no margin of error.")

