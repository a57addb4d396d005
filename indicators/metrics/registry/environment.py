"""The Environment indicators of the registry."""

from __future__ import annotations

from indicators.metrics.composites import cejst, ej
from indicators.metrics.registry.indicator import (
    ACS,
    CEJST,
    EJSCREEN,
    Indicator,
    Texts,
    mean,
    rate,
)

INDICATORS: tuple[Indicator, ...] = (
    mean("pm25", "Fine particles (PM2.5)", "How much fine-particle pollution is in the air?",
          "the air carries {value} of fine particles (PM2.5) on average", "pm25", "µg/m³",
          "decimal1_ugm3", "higher_worse", f"{EJSCREEN} (PM25; or CEJST)",
          caveats="EPA's national standard for the annual mean is 9 µg/m³ (2024).",
          es=Texts("Contaminación del aire (partículas finas PM2.5)",
                   "¿Cuánta contaminación por partículas finas hay en el aire?",
                   "el aire tiene en promedio {value} de partículas finas (PM2.5)")),
    mean("ozone", "Ozone", "How much ozone is in the summer air?",
          "summer ozone averages {value}", "ozone", "ppb", "decimal1_ppb", "higher_worse",
          f"{EJSCREEN} (OZONE)",
          es=Texts("Ozono",
                   "¿Cuánto ozono hay en el aire en verano?",
                   "el ozono en verano es de {value} en promedio")),
    mean("diesel_pm", "Diesel exhaust", "How much diesel exhaust is in the air?",
          "the air carries {value} of diesel particles", "diesel_pm", "µg/m³", "decimal2_ugm3",
          "higher_worse", f"{EJSCREEN} (DSLPM; or CEJST)",
          es=Texts("Humo de diésel",
                   "¿Cuánto humo de motores diésel hay en el aire?",
                   "el aire tiene {value} de partículas de diésel")),
    rate("lead_paint", "Older homes (lead paint risk)", "How many homes were built before 1960?",
          "{value} of homes were built before 1960, when lead paint was common", "Environment",
          "higher_worse", (("units_pre1960", "housing_units"),),
          f"{ACS}, table B25034 (or EJScreen PRE1960)", pillar="Climate Resilience",
          es=Texts("Viviendas antiguas (riesgo de pintura con plomo)",
                   "¿Cuántas viviendas se construyeron antes de 1960?",
                   "el {value} de las viviendas se construyeron antes de 1960, cuando la pintura con "
                   "plomo era común")),
    mean("hazwaste_proximity", "Hazardous waste sites", "How close are hazardous-waste facilities?",
          "hazardous-waste facilities nearby score {value} (facilities per km of distance)",
          "hazwaste_proximity", "facilities/km", "decimal2", "higher_worse", f"{EJSCREEN} (PTSDF)",
          es=Texts("Sitios de desechos peligrosos",
                   "¿Qué tan cerca hay instalaciones de desechos peligrosos?",
                   "las instalaciones de desechos peligrosos cercanas tienen una puntuación de {value} "
                   "(instalaciones por km de distancia)")),
    mean("superfund_proximity", "Superfund sites", "How close are Superfund sites?",
          "Superfund sites nearby score {value} (sites per km of distance)", "superfund_proximity",
          "sites/km", "decimal2", "higher_worse", f"{EJSCREEN} (PNPL)",
          es=Texts("Sitios Superfund (terrenos muy contaminados)",
                   "¿Qué tan cerca hay sitios Superfund?",
                   "los sitios Superfund cercanos tienen una puntuación de {value} (sitios por km de "
                   "distancia)")),
    mean("wastewater", "Wastewater discharge", "How much toxic wastewater flows into nearby streams?",
          "wastewater discharge scores {value} (toxicity-weighted)", "wastewater", "toxicity/m",
          "decimal3", "higher_worse", f"{EJSCREEN} (PWDIS)",
          es=Texts("Descarga de aguas residuales",
                   "¿Cuántas aguas residuales tóxicas llegan a los arroyos cercanos?",
                   "la descarga de aguas residuales tiene una puntuación de {value} (según su toxicidad)")),
    mean("ust", "Underground storage tanks", "How many leaking-prone fuel tanks are buried nearby?",
         "underground storage tanks score {value} (tanks per km², leaking ones weighted more)",
         "ust", "tanks/km²", "decimal2", "higher_worse", f"{EJSCREEN} (UST)",
         caveats="EJScreen's count of underground storage tanks and leaking ones, per km².",
         es=Texts("Tanques de combustible subterráneos",
                  "¿Cuántos tanques de combustible enterrados cerca pueden tener fugas?",
                  "los tanques de combustible subterráneos tienen una puntuación de {value} (tanques por "
                  "km², y los que tienen fugas cuentan más)")),
    mean("tree_canopy", "Tree canopy", "How much of the area is shaded by trees?",
          "trees shade {value} of the land", "tree_canopy_pct", "%", "percent_points",
          "higher_better", "USFS / NLCD tree canopy cover (or the region's land-cover layer)",
          caveats="Population-weighted: the canopy where people live.",
          es=Texts("Sombra de árboles",
                   "¿Qué parte de la zona tiene sombra de árboles?",
                   "los árboles dan sombra al {value} del terreno")),
    mean("impervious", "Paved surfaces", "How much of the land is paved or built over?",
          "{value} of the land is paved or built over", "impervious_pct", "%", "percent_points",
          "higher_worse", "NLCD impervious surface (or the region's land-cover layer)",
          es=Texts("Superficies pavimentadas",
                   "¿Qué parte del terreno está pavimentada o construida?",
                   "el {value} del terreno está pavimentado o construido")),
    mean("heat", "Summer heat", "How much hotter than average is it in summer?",
          "summer ground temperatures run {value} compared with the region's average",
          "heat_anomaly", "°C", "signed1_c", "higher_worse",
          "Landsat land-surface temperature (or the region's heat layer)",
          es=Texts("Calor en verano (isla de calor)",
                   "¿Cuánto más calor que el promedio hace en verano?",
                   "la temperatura del suelo en verano, comparada con el promedio de la región, es de "
                   "{value}")),
    Indicator(
        "ej_index", "Environmental justice index (EJScreen-style)",
        "Where do pollution and social disadvantage fall on the same people?",
        "the average resident lives in a tract at the {value} of combined pollution and "
        "disadvantage in the region",
        "percentile", "percentile", "higher_worse", "Climate Resilience", "Environment", "composite",
        (),
        "for each unit: mean regional percentile of the available environmental burdens x the "
        "demographic index (mean of the low-income and people-of-colour shares), ranked among the "
        "region's units; a district's value is the population-weighted mean of its units' ranks",
        "EPA EJScreen EJ index method (version 2.2), applied to the region's own data",
        "EJScreen computes one EJ index per environmental indicator against national percentiles; "
        "this summary combines the burdens the region has data for, ranked within the region.",
        index=ej.INDEX,
        es=Texts("Índice de justicia ambiental (al estilo de EJScreen)",
                 "¿Dónde recaen la contaminación y la desventaja social sobre las mismas personas?",
                 "el residente promedio vive en un sector censal en el {value} de contaminación y "
                 "desventaja combinadas en la región")),
    Indicator(
        "burdened_share", "People in overburdened areas (CEJST-style)",
        "How many people live where pollution or poor health meets low income?",
        "{value} of residents live in tracts that are both low-income and highly burdened",
        "%", "percent", "higher_worse", "Climate Resilience", "Environment", "composite",
        (),
        f"a unit is flagged when any burden percentile is at or above {cejst.BURDEN_PERCENTILE:.2f} "
        "and the low-income (below 200% of poverty) percentile is at or above "
        f"{cejst.LOW_INCOME_PERCENTILE:.2f}, percentiles among the region's units; share of the "
        "geography's people living in flagged units",
        "CEQ Climate and Economic Justice Screening Tool 1.0 method, applied to the region's data",
        "CEJST uses national percentiles and more burden categories; this uses the region's.",
        index=cejst.INDEX,
        es=Texts("Personas en zonas sobrecargadas (al estilo de CEJST)",
                 "¿Cuántas personas viven donde la contaminación o la mala salud se juntan con ingresos "
                 "bajos?",
                 "el {value} de los residentes viven en sectores censales de ingresos bajos y a la vez "
                 "muy afectados por la contaminación u otras cargas")),
    Indicator(
        "cejst_disadvantaged_share", "People in CEJST disadvantaged tracts",
        "How many people live in tracts the federal screening tool calls disadvantaged?",
        "{value} of residents live in tracts CEJST identifies as disadvantaged",
        "%", "percent", "higher_worse", "Climate Resilience", "Environment", "flag_share",
        (("cejst_disadvantaged",),),
        "population living in units CEJST flags as disadvantaged / population",
        CEJST, "CEJST's own designation, national thresholds; 2010 tract geography.",
        es=Texts("Personas en sectores desfavorecidos según CEJST",
                 "¿Cuántas personas viven en sectores censales que la herramienta federal CEJST considera "
                 "desfavorecidos?",
                 "el {value} de los residentes viven en sectores censales que CEJST considera "
                 "desfavorecidos")),
)
