"""The Wellbeing indicators of the registry."""

from __future__ import annotations

from indicators.metrics.composites import svi
from indicators.metrics.registry.indicator import (
    ACS,
    CEJST,
    PLACES,
    SVI_NOTE,
    Indicator,
    Texts,
    mean,
    rate,
)

#: Registry ids of the SVI themes.
THEME_IDS = {"THEME1": "svi_socioeconomic", "THEME2": "svi_household", "THEME3": "svi_minority",
             "THEME4": "svi_housing_transport"}
SVI_CAVEAT = ("Where the region loads CDC/ATSDR's SVI file, tracts show CDC's own ranks, among "
              "all tracts of the state. Otherwise the ranks are computed with CDC's method from "
              "the region's data, among the region's tracts; a variable the data lack is left "
              "out (listed on the Methodology page), never replaced by another.")
#: The SVI themes in Spanish: (the theme's name, the same after "según").
THEME_TITLES_ES = {"THEME1": ("situación socioeconómica", "la situación socioeconómica"),
                   "THEME2": ("características del hogar", "las características del hogar"),
                   "THEME3": ("minoría racial y étnica", "la pertenencia a una minoría racial o étnica"),
                   "THEME4": ("tipo de vivienda y transporte", "el tipo de vivienda y el transporte")}

INDICATORS: tuple[Indicator, ...] = (
    rate("uninsured", "No health insurance", "How many people have no health insurance?",
          "{value} of people have no health insurance", "Wellbeing", "higher_worse",
          (("pop_uninsured", "insurance_universe"),), f"{ACS}, table B27010 (or CDC SVI E_UNINSUR)",
          caveats=SVI_NOTE,
          es=Texts("Sin seguro médico",
                   "¿Cuántas personas no tienen seguro médico?",
                   "el {value} de las personas no tienen seguro médico")),
    mean("asthma", "Asthma", "How many adults have asthma?",
          "{value} of adults have asthma", "asthma_prev", "%", "percent_points", "higher_worse",
          PLACES, commitment="Wellbeing",
          caveats="Model-based small-area estimates, not counts of diagnoses.",
          es=Texts("Asma",
                   "¿Cuántos adultos tienen asma?",
                   "el {value} de los adultos tienen asma")),
    mean("diabetes", "Diabetes", "How many adults have diabetes?",
          "{value} of adults have been diagnosed with diabetes", "diabetes_prev", "%",
          "percent_points", "higher_worse", PLACES, commitment="Wellbeing", pillar="Racial Equity",
          es=Texts("Diabetes",
                   "¿Cuántos adultos tienen diabetes?",
                   "al {value} de los adultos les han diagnosticado diabetes")),
    mean("heart_disease", "Heart disease", "How many adults have heart disease?",
          "{value} of adults have coronary heart disease", "chd_prev", "%", "percent_points",
          "higher_worse", PLACES, commitment="Wellbeing", pillar="Racial Equity",
          es=Texts("Enfermedades del corazón",
                   "¿Cuántos adultos tienen enfermedades del corazón?",
                   "el {value} de los adultos tienen enfermedad coronaria (del corazón)")),
    mean("life_expectancy", "Life expectancy", "How long can a baby born here expect to live?",
          "a baby born here can expect to live {value}", "life_expectancy", "years", "years",
          "higher_better", f"{CEJST} (from CDC USALEEP 2010-2015)", commitment="Wellbeing",
          pillar="Racial Equity",
          es=Texts("Esperanza de vida",
                   "¿Cuántos años puede esperar vivir un bebé que nace aquí?",
                   "un bebé que nace aquí puede esperar vivir {value}")),
    Indicator(
        "social_vulnerability", "Social vulnerability (SVI)",
        "How vulnerable are residents to disasters and disease outbreaks?",
        "the average resident lives in a tract at the {value} of social vulnerability",
        "percentile", "percentile", "higher_worse", "Climate Resilience", "Wellbeing", "composite",
        (),
        "CDC/ATSDR SVI: each variable's percentile rank, summed within the four themes, theme sums "
        "ranked, themes summed and ranked again (RPL_THEMES), by CDC's method for the data's "
        "vintage (2018: 15 variables; 2020 and 2022: 16). A district's value is the "
        "population-weighted mean of its tracts' ranks.",
        "CDC/ATSDR Social Vulnerability Index (as published where the region loads CDC's file)",
        SVI_CAVEAT, index=svi.INDEX,
        es=Texts("Vulnerabilidad social (SVI)",
                 "¿Qué tan vulnerables son los residentes ante desastres y brotes de enfermedades?",
                 "el residente promedio vive en un sector censal en el {value} de vulnerabilidad social")),
    *(Indicator(
        THEME_IDS[theme], f"Social vulnerability: {title}",
        f"How vulnerable are residents by {title}?",
        f"the average resident lives in a tract at the {{value}} of SVI {title}",
        "percentile", "percentile", "higher_worse", "Climate Resilience", "Wellbeing", "composite",
        (),
        f"CDC/ATSDR SVI {title} theme ({', '.join(svi.SVI_THEMES_2020[theme])} in the 2020 and "
        f"2022 method; {', '.join(svi.SVI_THEMES_2018[theme])} in 2018): the sum of the theme's "
        f"variable ranks, ranked (RPL_{theme}); districts population-weighted.",
        "CDC/ATSDR Social Vulnerability Index (as published where the region loads CDC's file)",
        SVI_CAVEAT, index=svi.THEME_INDEXES[theme],
        es=Texts(f"Vulnerabilidad social: {THEME_TITLES_ES[theme][0]}",
                 f"¿Qué tan vulnerables son los residentes según {THEME_TITLES_ES[theme][1]}?",
                 "el residente promedio vive en un sector censal en el {value} del SVI de "
                 f"{THEME_TITLES_ES[theme][0]}")) for theme, title in svi.THEME_TITLES.items()),
)
