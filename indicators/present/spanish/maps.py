"""Spanish texts of maps: the resident map's legend (classes, colour scales, changes), its hover
labels, and the sentence that says what it shows (:mod:`indicators.present.map_text`)."""

ES: dict[str, str] = {
    # Legends (indicators.present.map_layers)
    "no data": "sin datos",
    "{low} to {high}": "{low} a {high}",
    "{label}, by census tract": "{label}, por sector censal",
    "{label}, by census tract (darker = more burdened)": "{label}, por sector censal (más oscuro "
    "= peor situación)",
    "Change in {label} since {period}, by census tract": "Cambio en {label} desde {period}, por "
    "sector censal",
    "fell by more than {size}": "bajó más de {size}",
    "fell by up to {size}": "bajó hasta {size}",
    "rose by more than {size}": "subió más de {size}",
    "rose by up to {size}": "subió hasta {size}",
    "{text} (better)": "{text} (mejor)",
    "{text} (worse)": "{text} (peor)",
    "pale: within the margin of error, not a real change": "pálido: dentro del margen de error, no "
    "es un cambio real",
    "not in both periods": "no está en ambos periodos",
    "{before} to {after} ({change})": "de {before} a {after} ({change})",
    "{label}: a real change": "{label}: un cambio real",
    "{label}: no margin of error is published, so whether it is real is unknown":
        "{label}: no se publica margen de error, así que no se sabe si es real",
    "full colour without a margin of error: whether the change is real is unknown":
        "color pleno sin margen de error: no se sabe si el cambio es real",
    "{label}: within the margin of error": "{label}: dentro del margen de error",
    "Redlining map, 1938 (HOLC grades)": "Mapa de redlining de 1938 (grados de la HOLC)",
    "Best": "El mejor",
    "Still desirable": "Todavía deseable",
    "Declining": "En declive",
    "Hazardous": "Peligroso",
    # Colour scales, named in each legend
    "Colours: ColorBrewer YlOrRd, light yellow to dark red, colour-blind safe": "Colores: "
    "ColorBrewer YlOrRd, de amarillo claro a rojo oscuro, aptos para personas daltónicas",
    "Colours: ColorBrewer PuBu, pale to dark blue, colour-blind safe": "Colores: ColorBrewer "
    "PuBu, de azul pálido a azul oscuro, aptos para personas daltónicas",
    "Colours: ColorBrewer PuOr, purple through pale to orange, colour-blind safe": "Colores: "
    "ColorBrewer PuOr, de morado a naranja pasando por pálido, aptos para personas daltónicas",
    "Colours: dark red and pale cream, told apart by lightness, colour-blind safe": "Colores: rojo "
    "oscuro y crema pálido, distintos por su claridad, aptos para personas daltónicas",
    "Colours: the 1938 map's own, kept as history (not colour-blind safe); each zone's grade "
    "letter is written on it": "Colores: los del mapa de 1938, conservados como historia (no "
    "aptos para personas daltónicas); la letra del grado de cada zona está escrita sobre ella",
    "Colours: viridis, light green to dark purple along the path, colour-blind safe": "Colores: "
    "viridis, de verde claro a morado oscuro a lo largo del camino, aptos para personas daltónicas",
    # What the map shows, in one sentence (indicators.present.map_text)
    "around {place}": "alrededor de {place}",
    "of {place}": "de {place}",
    "the one census tract {where}": "el único sector censal {where}",
    "the {count} census tracts {where}": "los {count} sectores censales {where}",
    "darker is higher": "más oscuro es más alto",
    "darker is higher, which is worse": "más oscuro es más alto, es decir, peor",
    "darker is lower, which is worse": "más oscuro es más bajo, es decir, peor",
    "; one has no data": "; uno no tiene datos",
    "; {count} have no data": "; {count} no tienen datos",
    "The map shows {label} in {tracts}, but it has no value.": "El mapa muestra {label} en "
    "{tracts}, pero no tiene valor.",
    "The map shows {label} in {tracts}, but none of them has a value.": "El mapa muestra {label} "
    "en {tracts}, pero ninguno tiene valor.",
    "only {name} has a value ({value})": "solo {name} tiene valor ({value})",
    "the highest is {high} ({high_value}), the lowest {low} ({low_value})": "el más alto es "
    "{high} ({high_value}) y el más bajo, {low} ({low_value})",
    "The map shows {label} in {tracts}: {darker}; {extremes}{no_data}.": "El mapa muestra {label} "
    "en {tracts}: {darker}; {extremes}{no_data}.",
    "The map shows the change in {label} since {period} in {tracts}, but none of them is in both "
    "periods.": "El mapa muestra el cambio en {label} desde {period} en {tracts}, pero ninguno "
    "está en ambos periodos.",
    "it rose beyond the margin of error in {rose}, fell in {fell} and changed too little to tell "
    "in {within}": "subió más allá del margen de error en {rose}, bajó en {fell} y cambió "
    "demasiado poco para saberlo en {within}",
    "{name} ({before} to {after})": "{name} (de {before} a {after})",
    "; the largest rise is in {rise}, the largest fall in {fall}": "; la mayor subida fue en "
    "{rise} y la mayor bajada, en {fall}",
    "; the largest rise is in {rise}": "; la mayor subida fue en {rise}",
    "; the largest fall is in {fall}": "; la mayor bajada fue en {fall}",
    "The map shows the change in {label} since {period} in {tracts}: {counts}{largest}"
    "{no_data}.": "El mapa muestra el cambio en {label} desde {period} en {tracts}: {counts}"
    "{largest}{no_data}.",
    "The map as a table": "El mapa como tabla",
}
