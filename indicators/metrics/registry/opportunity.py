"""The Opportunity indicators of the registry."""

from __future__ import annotations

from indicators.metrics.registry.indicator import ACS, SVI_NOTE, Indicator, Texts, mean, rate
from indicators.metrics.variables import INCOME_BRACKET_VARIABLES

INDICATORS: tuple[Indicator, ...] = (
    rate("poverty", "Poverty", "How many people live below the poverty line?",
          "{value} of people live below the federal poverty line", "Opportunity", "higher_worse",
          (("pov_below_100", "pov_universe"),), f"{ACS}, table C17002 (or CDC SVI 2018 E_POV)",
          caveats=SVI_NOTE, published="share_below_100",
          es=Texts("Pobreza",
                   "¿Cuántas personas viven por debajo del nivel de pobreza?",
                   "el {value} de las personas viven por debajo del nivel federal de pobreza")),
    rate("poverty_150", "Below 150% of poverty", "How many people live below 150% of the poverty line?",
          "{value} of people live below 150% of the federal poverty line", "Opportunity",
          "higher_worse", (("pov_below_150", "pov_universe"),),
          f"{ACS}, table C17002 (or CDC SVI 2022 E_POV150)", caveats=SVI_NOTE,
          es=Texts("Por debajo del 150\u00a0% del nivel de pobreza",
                   "¿Cuántas personas viven por debajo del 150\u00a0% del nivel de pobreza?",
                   "el {value} de las personas viven por debajo del 150\u00a0% del nivel federal de "
                   "pobreza")),
    rate("poverty_200", "Low income (below 200% of poverty)",
          "How many people live below twice the poverty line?",
          "{value} of people live below twice the federal poverty line", "Opportunity",
          "higher_worse", (("pov_below_200", "pov_universe"),),
          f"{ACS}, table C17002 (or EJScreen LOWINCOME, or CEJST's published percentage)",
          published="share_below_200",
          es=Texts("Ingresos bajos (menos del doble del nivel de pobreza)",
                   "¿Cuántas personas viven con menos del doble del nivel de pobreza?",
                   "el {value} de las personas viven con menos del doble del nivel federal de pobreza")),
    Indicator(
        "median_income", "Median household income", "What does the typical household earn?",
        "the typical (median) household earns {value} a year", "dollars", "dollars",
        "higher_better", "Racial Equity", "Opportunity", "median",
        (INCOME_BRACKET_VARIABLES, ("median_hh_income",)),
        "median re-derived from the household income brackets (B19001) summed over the area-weighted "
        "pieces of the units, by linear interpolation within the bracket holding the middle "
        "household; MOE by the Census Bureau's method for medians (design factor 1.5)",
        f"{ACS}, tables B19001 and B19013",
        "Where a layer publishes only tract medians, districts get the households-weighted mean of "
        "tract medians, labelled approximate. An open top bracket ($200,000+) is reported as "
        "'$200,000 or more'.",
        es=Texts("Ingreso mediano de los hogares",
                 "¿Cuánto gana un hogar típico?",
                 "el hogar típico (la mediana) gana {value} al año")),
    mean("per_capita_income", "Income per person", "What is the average income per person?",
          "income averages {value} per person a year", "per_capita_income", "dollars", "dollars",
          "higher_better", f"{ACS}, table B19301 (or CDC SVI 2018 E_PCI)", commitment="Opportunity",
          pillar="Racial Equity",
          caveats="Per-capita income times population is aggregate income, so the population-weighted "
                  "mean is exact.",
          es=Texts("Ingreso por persona",
                   "¿Cuál es el ingreso promedio por persona?",
                   "el ingreso promedio es de {value} por persona al año")),
    rate("bachelors", "Bachelor's degree or higher", "How many adults have a bachelor's degree?",
          "{value} of adults aged 25 and over have a bachelor's degree or higher", "Opportunity",
          "higher_better", (("edu_bachelors_plus", "edu_universe"),), f"{ACS}, table B15003",
          es=Texts("Título universitario (cuatro años o más)",
                   "¿Cuántos adultos tienen un título universitario de cuatro años?",
                   "el {value} de los adultos de 25 años o más tienen un título universitario de cuatro "
                   "años (bachelor's) o más")),
    rate("less_than_hs", "No high-school diploma", "How many adults did not finish high school?",
          "{value} of adults aged 25 and over have no high-school diploma", "Opportunity",
          "higher_worse", (("edu_less_hs", "edu_universe"),),
          f"{ACS}, table B15003 (or CDC SVI E_NOHSDP)", caveats=SVI_NOTE, published="share_less_hs",
          es=Texts("Sin diploma de secundaria",
                   "¿Cuántos adultos no terminaron la secundaria (high school)?",
                   "el {value} de los adultos de 25 años o más no tienen diploma de secundaria")),
    rate("unemployment", "Unemployment", "How many people who want work cannot find it?",
          "{value} of the labour force is unemployed", "Opportunity", "higher_worse",
          (("unemployed", "labor_force"),), f"{ACS}, table B23025 (or CDC SVI E_UNEMP)",
          caveats=SVI_NOTE, published="share_unemployed",
          es=Texts("Desempleo",
                   "¿Cuántas personas que quieren trabajar no encuentran trabajo?",
                   "el {value} de las personas que trabajan o buscan trabajo están desempleadas")),
)
