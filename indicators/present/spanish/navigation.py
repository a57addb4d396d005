"""Spanish texts of the frame around every page: navigation, sidebar, first-run build, errors."""

ES: dict[str, str] = {
    # Sections and pages
    "Residents": "Residentes",
    "City staff": "Personal de la ciudad",
    "Funders": "Financiadores",
    "About": "Acerca de",
    "My neighbourhood": "Mi vecindario",
    "Compare districts": "Comparar distritos",
    "Equity gaps": "Brechas de equidad",
    "Certification portfolio": "Cartera de certificación",
    "Project": "Proyecto",
    "Accredited Practitioners": "Profesionales acreditados",
    "Methodology": "Metodología",
    "Learn the Framework": "Aprender el marco",
    "Data": "Datos",
    # Sidebar and frame
    "**Fictional sample data.** These places, people and projects do not exist; they show how "
    "the dashboard works.": "**Datos de ejemplo ficticios.** Estos lugares, personas y proyectos "
    "no existen; sirven para mostrar cómo funciona el panel.",
    "Data: {vintages}": "Datos: {vintages}",
    "Built {date}": "Preparado el {date}",
    "Preparing the data for first use (a few seconds)…": "Preparando los datos para el primer uso "
    "(unos segundos)…",
    "The region's data could not be loaded. Nothing was changed. The problems:": "No se pudieron "
    "cargar los datos de la región. No se cambió nada. Los problemas:",
    "Sorry, {what} could not be shown because of an unexpected problem. The data are safe and "
    "unchanged; reloading the page usually helps. If it keeps happening, please tell the "
    "dashboard's maintainers (the details are in the server's log).": "Lo sentimos: esta parte "
    "de la página no se pudo mostrar por un problema inesperado. Los datos están a salvo y sin "
    "cambios; volver a cargar la página suele resolverlo. Si sigue pasando, avisa a quienes "
    "mantienen el panel (los detalles están en el registro del servidor).",
    "This page is in English only for now.": "Por ahora, esta página solo está en inglés.",
}
