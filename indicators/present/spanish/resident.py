"""Spanish texts of the resident pages: My neighbourhood, the cards, the printable profile and
the numbers they show (units, margins of error, reliability, change over time)."""

ES: dict[str, str] = {
    # Numbers and their units (indicators.present.formatting)
    "not available": "no disponible",
    "{points} percentage points": "{points} puntos porcentuales",
    "{years} years": "{years} años",
    "points": "puntos",
    "percentiles": "percentiles",
    "reliable": "fiable",
    "use with care": "úsalo con cuidado",
    "unreliable: a rough guide only": "poco fiable: solo una idea aproximada",
    "margin of error not published": "no se publica el margen de error",
    # The cards (indicators.present.profile)
    "In {place}, {sentence}.": "En {place}, {sentence}.",
    "Across {region} it is {value}.": "En el conjunto de {region} es {value}.",
    "Across {region} it is {value}: {place} is **higher than** {region}.":
        "En el conjunto de {region} es {value}: {place} está **por encima de** {region}.",
    "Across {region} it is {value}: {place} is **lower than** {region}.":
        "En el conjunto de {region} es {value}: {place} está **por debajo de** {region}.",
    "Across {region} it is {value}: {place} is **about the same as** {region}.":
        "En el conjunto de {region} es {value}: {place} está **más o menos igual que** {region}.",
    "it needs {files}": "hace falta {files}",
    # Change over time (indicators.present.change)
    "a real change": "es un cambio real",
    " The two periods overlap: read it as a hint.": " Los dos periodos se solapan: tómalo como "
    "una pista.",
    "Among the places of each period, it moved from the {then} to the {now} since {since} (a "
    "change of rank, not a measured amount).": "Entre los lugares de cada periodo, pasó del "
    "{then} al {now} desde {since} (un cambio de posición, no una cantidad medida).",
    "{label} rose from {then} to {now} since {since}": "Subió de {then} a {now} desde {since}",
    "{label} fell from {then} to {now} since {since}": "Bajó de {then} a {now} desde {since}",
    "{label} stayed from {then} to {now} since {since}": "Se mantuvo: {then} en {since} y {now} "
    "ahora",
    "; no margin of error is published for it, so we cannot say whether that is a real change.":
        "; no se publica su margen de error, así que no podemos decir si es un cambio real.",
    "No clear change since {since} ({then} then, {now} now): the difference is within the margin "
    "of error.": "Sin un cambio claro desde {since} ({then} entonces, {now} ahora): la diferencia "
    "cabe dentro del margen de error.",
    " In {year} dollars it was {then} then: no clear change after inflation.": " En dólares de "
    "{year} era {then} entonces: sin un cambio claro una vez descontada la inflación.",
    " In {year} dollars it was {then} then: a real rise of {amount} after inflation.": " En "
    "dólares de {year} era {then} entonces: una subida real de {amount} descontada la inflación.",
    " In {year} dollars it was {then} then: a real fall of {amount} after inflation.": " En "
    "dólares de {year} era {then} entonces: una bajada real de {amount} descontada la inflación.",
    # The printable profile (indicators.present.profile.profile_html)
    "{place} profile": "Perfil de {place}",
    "Neighbourhood profile, {region}.": "Perfil del vecindario, {region}.",
    "Figures are estimates; ± shows the 90% margin of error.": "Las cifras son estimaciones; ± "
    "muestra el margen de error al 90 %.",
    "Fictional sample data: these places and people do not exist.": "Datos de ejemplo "
    "ficticios: estos lugares y personas no existen.",
    "Source: {source}": "Fuente: {source}",
    " (CDC/ATSDR, as published; districts population-weighted)":
        " (CDC/ATSDR, tal como se publica; los distritos, ponderados por población)",
    " (the published percentage, population-weighted; none has a margin of error)":
        " (el porcentaje publicado, ponderado por población; ninguno tiene margen de error)",
    "Not available for this region: {labels}.": "No disponible para esta región: {labels}.",
    "Just Communities Dashboard. Data built {built}. Definitions, formulas and sources: the "
    "dashboard's Methodology page.": "Panel de Just Communities. Datos preparados el {built}. "
    "Definiciones, fórmulas y fuentes: la página Metodología del panel.",
    # My neighbourhood (pages/neighbourhood.py, ui/cards.py, ui/widgets.py)
    "Choose your district, or make your own area, to see how it is doing next to {region} as a "
    "whole. Every number is an estimate: the ± shows how far off it could be.": "Elige tu "
    "distrito, o arma tu propia zona, para ver cómo está comparado con {region} en su conjunto. "
    "Cada número es una estimación: el ± muestra cuánto podría alejarse de la cifra real.",
    "Show": "Mostrar",
    "A district": "Un distrito",
    "Your own area": "Tu propia zona",
    "Your district": "Tu distrito",
    "Or type a district name or a census tract number": "O escribe el nombre de un distrito o el "
    "número de un sector censal",
    "e.g. Westside, 101 or 99001010100": "p. ej., Westside, 101 o 99001010100",
    "How {place} is doing": "Cómo está {place}",
    "How {place} is doing in {period}": "Cómo está {place} en {period}",
    "Period": "Periodo",
    "The ACS 5-year period the numbers describe.": "Los cinco años de la encuesta ACS a los que se "
    "refieren los números.",
    "Show on the map": "Ver en el mapa",
    "Show the change since {since}": "Ver el cambio desde {since}",
    "Show the 1938 redlining map": "Ver el mapa de «redlining» de 1938 (barrios marcados en rojo)",
    "Click a tract to pick its district. Tracts outside the districts are not drawn.": "Toca o "
    "haz clic en un sector censal para elegir su distrito. Los sectores fuera de los distritos "
    "no se dibujan.",
    "Your area is outlined in dark green; tracts outside the districts are not drawn.": "Tu zona "
    "está bordeada en verde oscuro; los sectores censales fuera de los distritos no se dibujan.",
    "The map's numbers as a table": "Los números del mapa en una tabla",
    "Drawing needs the map's drawing tools, which this server does not have (run sh setup.sh); "
    "upload a boundary or combine tracts instead.": "Para dibujar hacen falta las herramientas de "
    "dibujo del mapa, que este servidor no tiene (ejecuta sh setup.sh); mientras tanto, sube un "
    "límite o combina sectores censales.",
    "Which tracts make up your area": "Qué sectores censales forman tu zona",
    "Download your area with its numbers (GeoJSON)": "Descargar tu zona con sus números (GeoJSON)",
    "No measures of this kind are available for this region.": "No hay medidas de este tipo para "
    "esta región.",
    "Download a one-page profile (prints well)": "Descargar un perfil de una página (para imprimir)",
    "Download the numbers (CSV)": "Descargar los números (CSV)",
    "What we cannot show for {region} yet": "Lo que aún no podemos mostrar para {region}",
    "Status as of": "Situación al",
    "Shown as of {date}, {reason}; choose another date above.": "Situación al {date} ({reason}); "
    "elige otra fecha arriba.",
    "Shown as of {date}.": "Situación al {date}.",
    # The first visit's three steps (ui/intro.py)
    "New here? Three steps to read this page": "¿Es tu primera visita? Tres pasos para leer esta "
    "página",
    "**1. Choose your area.** Pick your district from the list, type a district name or a census "
    "tract number, or tap a tract on the map. You can also draw or combine your own area.":
        "**1. Elige tu zona.** Escoge tu distrito en la lista, escribe el nombre de un distrito o "
        "el número de un sector censal, o toca un sector en el mapa. También puedes dibujar "
        "o combinar tu propia zona.",
    "**2. Read a card.** Each card says in one sentence how your area is doing, and whether that "
    "is higher or lower than the whole region. The tabs group the cards by topic.":
        "**2. Lee una tarjeta.** Cada tarjeta dice en una frase cómo está tu zona y si está por "
        "encima o por debajo de la región entera. Las pestañas agrupan las tarjetas por tema.",
    "**3. What ± and \"use with care\" mean.** The numbers come from a survey, so they are "
    "estimates: ± shows how far off one could be. \"Use with care\" means that margin is wide, so "
    "treat the number as a rough guide.":
        "**3. Qué significan ± y «úsalo con cuidado».** Los números vienen de una encuesta, así "
        "que son estimaciones: ± muestra cuánto podrían alejarse de la cifra real. «Úsalo con "
        "cuidado» quiere decir que ese margen es amplio: toma el número como una idea aproximada.",
    "Got it, hide these steps": "Entendido, ocultar estos pasos",
    # The map's table (indicators.present.tables.unit_table, change.unit_change_table)
    "Reliability": "Fiabilidad",
    "Then": "Antes",
    "Now": "Ahora",
    "Change": "Cambio",
    "Real change?": "¿Cambio real?",
    "yes": "sí",
    "no: within the margin of error": "no: cabe dentro del margen de error",
    "unknown (no margin of error)": "no se sabe (no hay margen de error)",
}
