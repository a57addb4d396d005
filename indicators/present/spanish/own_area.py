"""Spanish texts of your own area: drawing, uploading or combining an area, and what is said about it.

Messages an upload or an area carries (:class:`~indicators.metrics.areas.Message`) are keyed by
their template; their values are put back by :func:`indicators.present.areas.said`.
"""

ES: dict[str, str] = {
    # Making the area (ui/own_area.py)
    "Make your area": "Crea tu zona",
    "Draw it on the map": "Dibújala en el mapa",
    "Upload a boundary": "Sube un límite (archivo)",
    "Combine tracts or districts": "Combina sectores censales o distritos",
    "your area": "tu zona",
    "A boundary file: GeoJSON, a zipped shapefile or a GeoPackage": "Un archivo con el límite: "
    "GeoJSON, un shapefile comprimido en .zip o un GeoPackage",
    "Drag the file onto the box, or press Browse files to choose it.": "Arrastra el archivo al "
    "recuadro, o pulsa «Browse files» (buscar archivos) para elegirlo.",
    "Its coordinate system, if the file does not say (e.g. EPSG:2240)": "Su sistema de "
    "coordenadas, si el archivo no lo dice (p. ej., EPSG:2240)",
    "The file holds several areas: which one?": "El archivo trae varias zonas: ¿cuál es la tuya?",
    "Districts": "Distritos",
    "Tracts (or click them on the map)": "Sectores censales (o tócalas en el mapa)",
    "Choose options": "Elige una o varias",
    "Pick districts or tracts above, or click tracts on the map, to combine them.": "Elige "
    "distritos o sectores censales arriba, o toca sectores en el mapa, para combinarlos.",
    "Draw your area on the map with the polygon tool (the pentagon button at its top left): click "
    "each corner, then the first one again to close it.": "Dibuja tu zona en el mapa con la "
    "herramienta de polígono (el botón del pentágono, arriba a la izquierda): haz clic en cada "
    "esquina y luego otra vez en la primera para cerrarla.",
    "Upload a file above to see its area's profile.": "Sube un archivo arriba para ver el perfil "
    "de su zona.",
    # How the area's numbers were made (indicators.present.areas)
    "Your area covers {area} km² and about {people} people": "Tu zona mide {area} km² y en ella "
    "viven unas {people} personas",
    "Your area covers {area} km² and about an unknown number of people": "Tu zona mide {area} km² "
    "y no sabemos cuántas personas viven en ella",
    "It touches {units} census tract, {whole} of them wholly inside": "Toca {units} sector "
    "censal ({whole} completamente dentro de tu zona)",
    "It touches {units} census tracts, {whole} of them wholly inside": "Toca {units} sectores "
    "censales, {whole} de ellos completamente dentro",
    "Each tract counts by the share of its area inside yours, assuming people are spread evenly "
    "within a tract (areal weighting)": "Cada sector censal cuenta según la parte de su "
    "superficie que queda dentro de tu zona, suponiendo que la gente vive repartida por igual "
    "dentro de cada sector (ponderación por superficie)",
    "{share} of your area's people live in tracts only partly inside it, so their numbers are the "
    "least certain": "El {share} de la gente de tu zona vive en sectores censales que solo quedan "
    "en parte dentro, así que sus números son los menos seguros",
    "{share} of your area lies outside {region}'s tracts, where we have no data: the profile is "
    "for the part inside": "El {share} de tu zona queda fuera de los sectores censales de "
    "{region}, donde no tenemos datos: el perfil es de la parte que queda dentro",
    "Your area touches only slivers of tracts (each under {share} of the tract inside it), so no "
    "tract is listed; they still count by their share.": "Tu zona solo toca pedacitos de "
    "sectores censales (menos del {share} de cada sector queda dentro), así que no se lista "
    "ninguno; aun así cuentan según la parte que queda dentro.",
    # The tracts' table (indicators.present.areas.share_table)
    "Tract": "Sector censal",
    "Share inside": "Parte dentro",
    "People counted": "Personas contadas",
    "all": "todo",
    # An area that cannot be made or profiled (indicators.present.areas, indicators.metrics.areas)
    "The area in this link is damaged: draw or upload it again.": "La zona de este enlace está "
    "dañada: vuelve a dibujarla o a subirla.",
    "The area in this link is empty or too long: draw or upload it again.": "La zona de este "
    "enlace está vacía o es demasiado larga: vuelve a dibujarla o a subirla.",
    "The area in this link is not a closed outline: draw it again.": "La zona de este enlace no "
    "es un contorno cerrado: vuelve a dibujarla.",
    "The area in this link has no surface: draw or upload it again.": "La zona de este enlace no "
    "tiene superficie: vuelve a dibujarla o a subirla.",
    "None of the chosen tracts or districts is in this region: pick them again from the list or "
    "the map.": "Ninguno de los sectores censales o distritos que elegiste está en esta región: "
    "vuelve a elegirlos en la lista o en el mapa.",
    "The area {name!r} covers no census tract of {region}: draw or upload an area inside the "
    "region.": "La zona {name!r} no cubre ningún sector censal de {region}: dibuja o sube una "
    "zona dentro de la región.",
    "{count} areas ({names}) covers no census tract of {region}: draw or upload an area inside the "
    "region.": "{count} zonas ({names}) no cubren ningún sector censal de {region}: dibuja o "
    "sube zonas dentro de la región.",
    # Finding a district (indicators.present.places)
    "Showing {district}.": "Mostrando {district}.",
    "Several districts match: {districts}. Type more.": "Coinciden varios distritos: {districts}. "
    "Escribe un poco más.",
    "No district or census tract matches “{text}”.": "Ningún distrito ni sector censal coincide "
    "con “{text}”.",
    "{tract} is outside the districts shown here.": "{tract} queda fuera de los distritos que se "
    "muestran aquí.",
    "{tract} is mostly in {district}.": "{tract} está casi todo en {district}.",
    # An uploaded boundary: what stops it (indicators.ingest.upload)
    "The file is {size}; the limit is {limit}: upload only your area's outline, or simplify it "
    "(QGIS: Vector > Geometry Tools).": "El archivo pesa {size} y el límite es {limit}: sube solo "
    "el contorno de tu zona o simplifícalo (en QGIS: Vectorial > Herramientas de geometría).",
    "The file is empty (0 bytes): upload it again.": "El archivo está vacío (0 bytes): vuelve a "
    "subirlo.",
    "The file could not be read as GeoJSON, a zipped shapefile or a GeoPackage: {why}.": "No se "
    "pudo leer el archivo como GeoJSON, shapefile en .zip ni GeoPackage: {why}.",
    "it is saved as {encoding} text and GeoJSON must be UTF-8, so export the layer again as "
    "GeoJSON, or save it as UTF-8 in a text editor": "está guardado como texto {encoding} y un "
    "GeoJSON tiene que ser UTF-8; exporta la capa otra vez como GeoJSON o guárdalo como UTF-8 en "
    "un editor de texto",
    "A shapefile's parts cannot be read one at a time: put the .shp, .shx, .dbf and .prj of the "
    "same name into one .zip and upload the .zip.": "Las partes de un shapefile no se pueden leer "
    "por separado: pon el .shp, el .shx, el .dbf y el .prj del mismo nombre en un solo .zip y "
    "sube el .zip.",
    "it is none of those, so check you chose the right file (a .geojson, a .zip holding a "
    "shapefile, or a .gpkg)": "no es ninguno de ellos; revisa que elegiste el archivo correcto (un "
    ".geojson, un .zip con un shapefile o un .gpkg)",
    "its names or other text are not UTF-8, so export it again with the encoding set to UTF-8":
        "sus nombres u otros textos no están en UTF-8; vuelve a exportarlo con la codificación "
        "UTF-8",
    "its contents are damaged, so export it again": "su contenido está dañado; vuelve a exportarlo",
    "{problem}; {fix}": "{problem}; {fix}",
    "its JSON is nested far too deeply to be a map layer": "su JSON tiene demasiados niveles "
    "anidados para ser una capa de mapa",
    'The file is JSON but not GeoJSON (whose "type" is "FeatureCollection", "Feature" or a '
    "geometry; this file's is {found}): export the layer as GeoJSON from your map program, or draw "
    "it at geojson.io.": 'El archivo es JSON pero no GeoJSON (cuyo "type" es "FeatureCollection", '
    '"Feature" o una geometría; el de este archivo es {found}): exporta la capa como GeoJSON desde '
    "tu programa de mapas, o dibújala en geojson.io.",
    "missing": "inexistente",
    "The shapefile in the .zip is incomplete ({missing} missing): zip it again with every file of "
    "the same name (.shp, .shx, .dbf and .prj).": "El shapefile del .zip está incompleto (falta "
    "{missing}): vuelve a comprimirlo con todos los archivos del mismo nombre (.shp, .shx, .dbf y "
    ".prj).",
    "the .zip is damaged, locked or packed in a way this page cannot open, so zip the files again":
        "el .zip está dañado, protegido o comprimido de una forma que esta página no puede abrir; "
        "vuelve a comprimir los archivos",
    "the GeoPackage is damaged, so export it again": "el GeoPackage está dañado; vuelve a "
    "exportarlo",
    "The GeoPackage holds {count} layers of areas ({layers}), so it is not clear which is yours: "
    "save that layer alone and upload it.": "El GeoPackage trae {count} capas de zonas ({layers}) "
    "y no queda claro cuál es la tuya: guarda esa capa sola y súbela.",
    "The GeoPackage holds no map layer, only tables: save the layer of your area into it, or "
    "export that layer as GeoJSON.": "El GeoPackage no trae ninguna capa de mapa, solo tablas: "
    "guarda en él la capa de tu zona, o exporta esa capa como GeoJSON.",
    "The file holds no shapes: export the layer again with your area in it.": "El archivo no "
    "trae ninguna forma: vuelve a exportar la capa con tu zona dentro.",
    "The file holds {words}, not areas: draw or upload the outline of the area (a polygon).": "El "
    "archivo trae {words}, no zonas: dibuja o sube el contorno de la zona (un polígono).",
    "points": "puntos",
    "lines": "líneas",
    "{kind} features": "elementos {kind}",
    "{first} and {last}": "{first} y {last}",
    "for example EPSG:4326 for longitude/latitude, EPSG:2240 for Georgia West State Plane feet":
        "por ejemplo, EPSG:4326 para longitud/latitud o EPSG:2240 para Georgia West State Plane en "
        "pies",
    "The shapefile {file} has no .prj file, so its coordinate system is unknown: add the .prj "
    "from the same download, or choose the coordinate system ({examples}).": "El shapefile {file} "
    "no trae archivo .prj, así que no se sabe su sistema de coordenadas: agrega el .prj de la "
    "misma descarga o elige el sistema de coordenadas ({examples}).",
    "The file does not say which coordinate system its coordinates are in, so they cannot be "
    "placed: choose it ({examples}).": "El archivo no dice en qué sistema de coordenadas están sus "
    "coordenadas, así que no se pueden ubicar: elígelo ({examples}).",
    "The coordinate system {crs!r} is not one this page knows: choose one by its EPSG code "
    "({examples}).": "Esta página no conoce el sistema de coordenadas {crs!r}: elige uno por su "
    "código EPSG ({examples}).",
    "The coordinates are declared as longitude/latitude ({crs}) but run from {x0} to {x1} across "
    "and {y0} to {y1} up, which no longitude or latitude can: export the file again in its real "
    "coordinate system (with a shapefile, include the .prj that came with it).": "Las "
    "coordenadas dicen ser longitud/latitud ({crs}) pero van de {x0} a {x1} de ancho y de {y0} a "
    "{y1} de alto, algo imposible para una longitud o una latitud: vuelve a exportar el archivo "
    "en su sistema de coordenadas real (con un shapefile, incluye el .prj que venía con él).",
    "The coordinates do not land on the Earth in the coordinate system they are said to be in: "
    "check it (the .prj, or the one you chose).": "Las coordenadas no caen sobre la Tierra en el "
    "sistema de coordenadas que se indica: revísalo (el .prj o el que elegiste).",
    "No area is left once the file's outlines are repaired (they enclose no area): draw the "
    "outline again as one closed shape.": "Al reparar los contornos del archivo no queda ninguna "
    "zona (no encierran superficie): vuelve a dibujar el contorno como una sola forma cerrada.",
    "The file has {points:,} points in {count:,} areas, too many to simplify under the {most:,} "
    "this page works with: upload fewer areas at a time.": "El archivo tiene {points:,} puntos en "
    "{count:,} zonas, demasiados para simplificarlos por debajo de los {most:,} con los que "
    "trabaja esta página: sube menos zonas a la vez.",
    "The file has no field named {field!r} ({listed}): choose one of its fields for the names, or "
    "none to number the areas.": "El archivo no tiene ningún campo llamado {field!r} ({listed}): "
    "elige uno de sus campos para los nombres, o ninguno para numerar las zonas.",
    "its fields are {fields}": "sus campos son {fields}",
    "it has no fields": "no tiene campos",
    # An uploaded boundary: what was repaired, simplified or left out (indicators.ingest.upload)
    "Left out {n:,} feature with no geometry.": "Se dejó fuera {n:,} elemento sin geometría.",
    "Left out {n:,} features with no geometry.": "Se dejaron fuera {n:,} elementos sin geometría.",
    "Left out {n:,} non-area feature ({words}); only areas are profiled.": "Se dejó fuera {n:,} "
    "elemento que no es una zona ({words}); solo se hace el perfil de zonas.",
    "Left out {n:,} non-area features ({words}); only areas are profiled.": "Se dejaron fuera "
    "{n:,} elementos que no son zonas ({words}); solo se hace el perfil de zonas.",
    "Repaired {n:,} area with crossing edges or other outline errors; check the shape on the map.":
        "Se reparó {n:,} zona con bordes que se cruzan u otros errores de contorno; revisa la "
        "forma en el mapa.",
    "Repaired {n:,} areas with crossing edges or other outline errors; check the shape on the "
    "map.": "Se repararon {n:,} zonas con bordes que se cruzan u otros errores de contorno; revisa "
    "la forma en el mapa.",
    "Left out {n:,} outline enclosing no area once repaired.": "Se dejó fuera {n:,} contorno que "
    "no encierra superficie una vez reparado.",
    "Left out {n:,} outlines enclosing no area once repaired.": "Se dejaron fuera {n:,} contornos "
    "que no encierran superficie una vez reparados.",
    "The outline was simplified from {before:,} to {after:,} points (edges moved by up to about "
    "{metres:,.0f} m) to stay under {most:,}; the profile uses the simplified outline.": "El "
    "contorno se simplificó de {before:,} a {after:,} puntos (los bordes se movieron hasta unos "
    "{metres:,.0f} m) para quedar por debajo de {most:,}; el perfil usa el contorno simplificado.",
    "The outlines were simplified from {before:,} to {after:,} points (edges moved by up to about "
    "{metres:,.0f} m) to stay under {most:,}; the profile uses the simplified outline.": "Los "
    "contornos se simplificaron de {before:,} a {after:,} puntos (los bordes se movieron hasta "
    "unos {metres:,.0f} m) para quedar por debajo de {most:,}; el perfil usa el contorno "
    "simplificado.",
}
