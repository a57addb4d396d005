"""Spanish texts of the Methodology page: its title, introduction, headings and framework, and
the plain-language frame of each indicator's definition (the formulas, units and sources it
frames stay in English, and the page says so)."""

ES: dict[str, str] = {
    # The page
    "How every number on this dashboard is defined and computed. This page is generated from the "
    "same registry the calculations use, so it cannot drift from them.": "Cómo se define y se "
    "calcula cada número de este panel. Esta página sale del mismo registro que usan los cálculos, "
    "así que siempre dice lo mismo que ellos.",
    "The Just Communities framework": "El marco de Just Communities",
    "{commitment}: {count} indicators": "{commitment}: {count} indicadores",
    "EcoDistricts Protocol v1.3 priorities: {priorities}": "Prioridades del EcoDistricts Protocol "
    "v1.3: {priorities}",
    "How the numbers are computed": "Cómo se calculan los números",
    "Change over time ({periods})": "Cambios con el tiempo ({periods})",
    "Every indicator": "Todos los indicadores",
    "Download the indicator definitions (CSV)": "Descargar las definiciones de los indicadores "
    "(CSV, en inglés)",
    # Each indicator (indicators.present.methodology.indicator_text)
    "*{question}*  \n**Formula:** {formula}.  \n**Unit:** {unit}; higher is {direction}.  \n"
    "**Source:** {source}.": "*{question}*  \n**Fórmula:** {formula}.  \n**Unidad:** {unit}; un "
    "valor más alto {direction}.  \n**Fuente:** {source}.",
    "**Method followed:** {reference}.": "**Método seguido:** {reference}.",
    "**In {region}:** not available: none of the loaded files has what it needs. It comes from "
    "{suppliers}.": "**En {region}:** no disponible: ninguno de los archivos cargados tiene los "
    "datos que necesita. Se obtiene de {suppliers}.",
    "**In {region}:** from *{title}*, {vintage} ({publisher}, {licence}); method: {method}. "
    "{detail}": "**En {region}:** de *{title}*, {vintage} ({publisher}, {licence}); método: "
    "{method}. {detail}",
    "**In {region}:** {method}. {detail}": "**En {region}:** {method}. {detail}",
}
