"""The Belonging indicators of the registry."""

from __future__ import annotations

from indicators.metrics.registry.indicator import ACS, SVI_NOTE, Indicator, Texts, rate

RACE_NOTE = ("People of this race alone who are not Hispanic or Latino, as ACS table B03002 "
             "counts them. Where a region has no such counts, CEJST's published share is used: "
             "it is the same B03002 measure (ACS 2015-2019), population-weighted for districts, "
             "with no margin of error.")

INDICATORS: tuple[Indicator, ...] = (
    rate("poc_share", "People of colour", "How many residents are people of colour?",
         "{value} of residents are people of colour", "Belonging", "neutral",
         (("pop_poc", "pop_total"),), f"{ACS}, table B03002 (or CDC SVI E_MINRTY, EJScreen PEOPCOLORPCT)",
         caveats="Everyone except non-Hispanic White residents. A description of who lives here, "
                 "not a burden: it is ranked but never judged better or worse.",
         published="share_poc",
         es=Texts("Personas de color",
                  "¿Cuántos residentes son personas de color?",
                  "el {value} de los residentes son personas de color")),
    rate("black_share", "Black residents (not Hispanic)", "How many residents are Black?",
         "{value} of residents are Black or African American (not Hispanic)", "Belonging",
         "neutral", (("pop_nh_black", "pop_total"),),
         f"{ACS}, table B03002 (or CDC SVI 2022 E_AFAM, or CEJST's published share)",
         caveats=RACE_NOTE, published="share_nh_black",
         es=Texts("Residentes negros (no hispanos)",
                  "¿Cuántos residentes son negros?",
                  "el {value} de los residentes son negros o afroamericanos (no hispanos)")),
    rate("hispanic_share", "Hispanic or Latino residents", "How many residents are Hispanic or Latino?",
         "{value} of residents are Hispanic or Latino (of any race)", "Belonging", "neutral",
         (("pop_hispanic", "pop_total"),), f"{ACS}, table B03002 (or CEJST, from ACS 2015-2019)",
         published="share_hispanic",
         es=Texts("Residentes hispanos o latinos",
                  "¿Cuántos residentes son hispanos o latinos?",
                  "el {value} de los residentes son hispanos o latinos (de cualquier raza)")),
    rate("asian_share", "Asian residents (not Hispanic)", "How many residents are Asian?",
         "{value} of residents are Asian (not Hispanic)", "Belonging", "neutral",
         (("pop_nh_asian", "pop_total"),), f"{ACS}, table B03002 (or CEJST's published share)",
         caveats=RACE_NOTE, published="share_nh_asian",
         es=Texts("Residentes asiáticos (no hispanos)",
                  "¿Cuántos residentes son asiáticos?",
                  "el {value} de los residentes son asiáticos (no hispanos)")),
    rate("white_share", "White residents (not Hispanic)", "How many residents are White?",
         "{value} of residents are White (not Hispanic)", "Belonging", "neutral",
         (("pop_nh_white", "pop_total"),), f"{ACS}, table B03002 (or CEJST's published share)",
         caveats=RACE_NOTE, published="share_nh_white",
         es=Texts("Residentes blancos (no hispanos)",
                  "¿Cuántos residentes son blancos?",
                  "el {value} de los residentes son blancos (no hispanos)")),
    rate("homeownership", "Homeownership", "How many homes are lived in by their owners?",
          "{value} of occupied homes are lived in by their owners", "Belonging", "higher_better",
          (("owner_units", "occupied_units"),), f"{ACS}, table B25003",
          es=Texts("Propietarios de su vivienda",
                   "¿Cuántas viviendas están habitadas por sus propios dueños?",
                   "el {value} de las viviendas ocupadas están habitadas por sus propios dueños")),
    Indicator(
        "homeownership_gap", "Black-White homeownership gap",
        "How much less often do Black households own their homes than White households?",
        "White households own their homes {value} more often than Black households",
        "percentage points", "points", "higher_worse", "Racial Equity", "Belonging", "rate_gap",
        (("owner_units_white", "occupied_units_white", "owner_units_black", "occupied_units_black"),),
        "owner-occupancy rate of non-Hispanic White householders minus that of Black householders "
        "(each a rate of summed counts); MOE sqrt(MOE_a^2 + MOE_b^2)",
        f"{ACS}, race-iterated tables B25003B and B25003H",
        "Only where the census layer publishes tenure by race of householder. Small groups make "
        "this gap unreliable in many tracts: read the reliability.",
        es=Texts("Brecha entre blancos y negros en tener casa propia",
                 "¿Cuánto menos tienen casa propia los hogares negros que los blancos?",
                 "la proporción de hogares blancos con casa propia supera en {value} a la de los hogares "
                 "negros")),
    rate("rent_burden", "Rent burden", "How many renters spend 30% or more of their income on rent?",
          "{value} of renters spend 30% or more of their income on rent", "Belonging",
          "higher_worse", (("renter_hh_burden30", "renter_hh_computed"),), f"{ACS}, table B25070",
          caveats="Renters whose burden cannot be computed (no income or no cash rent) are left out.",
          es=Texts("Carga del alquiler",
                   "¿Cuántos inquilinos gastan el 30\u00a0% o más de sus ingresos en el alquiler?",
                   "el {value} de los inquilinos gastan el 30\u00a0% o más de sus ingresos en el alquiler")),
    Indicator(
        "median_rent", "Median rent", "What does a typical rented home cost?",
        "the typical (median) rent is {value} a month", "dollars per month", "dollars",
        "higher_worse", "Racial Equity", "Belonging", "median", (("median_gross_rent",),),
        "households-weighted mean of the units' median gross rents (approximate: medians cannot "
        "be added up, and no rent brackets are loaded)", f"{ACS}, table B25064 (or UDP mrent_18)",
        "Approximate for districts. Rising rents are a sign of displacement pressure: compare "
        "periods where the region has several.",
        es=Texts("Alquiler mediano",
                 "¿Cuánto cuesta el alquiler de una vivienda típica?",
                 "el alquiler típico (la mediana) es de {value} al mes")),
    Indicator(
        "median_home_value", "Median home value", "What is a typical owner-occupied home worth?",
        "the typical (median) owner-occupied home is worth {value}", "dollars", "dollars",
        "neutral", "Racial Equity", "Belonging", "median", (("median_home_value",),),
        "households-weighted mean of the units' median home values (approximate: medians cannot "
        "be added up)", f"{ACS}, table B25077 (or UDP mhval_18)",
        "Approximate for districts. Neither better nor worse: high values mean wealth for owners "
        "and a barrier for those who want to buy.",
        es=Texts("Valor mediano de la vivienda",
                 "¿Cuánto vale una vivienda típica habitada por su dueño?",
                 "la vivienda típica (la mediana) habitada por su dueño vale {value}")),
    rate("severe_rent_burden", "Severe rent burden",
          "How many renters spend half or more of their income on rent?",
          "{value} of renters spend half or more of their income on rent", "Belonging",
          "higher_worse", (("renter_hh_burden50", "renter_hh_computed"),), f"{ACS}, table B25070",
          es=Texts("Carga grave del alquiler",
                   "¿Cuántos inquilinos gastan la mitad o más de sus ingresos en el alquiler?",
                   "el {value} de los inquilinos gastan la mitad o más de sus ingresos en el alquiler")),
    rate("housing_cost_burden", "Housing cost burden (incomes under $75k)",
          "How many households earning under $75,000 spend over 30% of income on housing?",
          "{value} of households are low- or middle-income and spend over 30% of income on housing",
          "Belonging", "higher_worse", (("hh_cost_burden_lt75k", "households"),),
          "CDC/ATSDR SVI 2022 (E_HBURD, from ACS table S2503)",
          caveats="Owners and renters together; the share is of all households.",
          es=Texts("Carga del costo de la vivienda (ingresos de menos de $75.000)",
                   "¿Cuántos hogares que ganan menos de $75.000 al año gastan más del 30\u00a0% de sus "
                   "ingresos en vivienda?",
                   "el {value} de los hogares tienen ingresos bajos o medios y gastan más del 30\u00a0% "
                   "de sus ingresos en vivienda")),
    rate("limited_english", "Limited English", "How many households have limited English?",
          "{value} of households speak limited English", "Belonging", "higher_worse",
          (("hh_limited_english", "households"), ("pop_limited_english", "pop_5plus")),
          f"{ACS}, table C16002 (or CDC SVI E_LIMENG: people 5+ who speak English less than well)",
          caveats="From CDC SVI the share is of people aged 5+, not households. " + SVI_NOTE,
          published="share_limited_english_hh",
          es=Texts("Hogares con poco inglés",
                   "¿En cuántos hogares se habla poco inglés?",
                   "el {value} de los hogares hablan poco inglés")),
    Indicator(
        "redlined_share", "Redlined in 1938", "How much of the area was redlined in 1938?",
        "{value} of the land was graded 'hazardous' (redlined, grade D) on the 1938 HOLC map",
        "%", "percent", "higher_worse", "Racial Equity", "Belonging", "area_share",
        (("holc:D",),),
        "area inside HOLC grade D polygons / area of the geography (equal-area CRS EPSG:5070)",
        "Mapping Inequality (University of Richmond), digitised HOLC residential security maps",
        "HOLC graded only the city of 1938: land outside its survey counts as not redlined. "
        "Present-day boundaries rarely follow 1938 zones.",
        es=Texts("Marcado en rojo en 1938 (redlining)",
                 "¿Qué parte de la zona se marcó en rojo (redlining) en 1938?",
                 "el {value} del terreno se calificó como «peligroso» (marcado en rojo, grado D) en el "
                 "mapa de la HOLC de 1938")),
)
