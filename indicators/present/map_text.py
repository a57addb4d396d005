"""Maps in words: the one sentence that says what a map shows, its text alternative beside the
table of its numbers (no Streamlit here).

A map is a picture; a screen reader, a colour-blind reader or a phone without the map's
scripts gets nothing from it. Each map is therefore drawn with a sentence built from the same
data (how many tracts, which way darker goes, the highest and the lowest) and a link to its
table, so everything the colours say can also be read. The resident map's sentences come in
English and Spanish (:func:`~indicators.present.language.t`); values are written the way each
language writes numbers.

Sentences are plain text: a page shows them through
:func:`~indicators.present.formatting.escape_markdown` (tract names come from data files, and a
``$`` would start Markdown maths).

Examples
--------
>>> from indicators.metrics.registry import get
>>> values = pd.DataFrame({"geo_id": ["a", "b", "c"], "value": [0.61, 0.18, 0.4]})
>>> names = {"a": "Tract 101", "b": "Tract 204", "c": "Tract 3"}
>>> print(map_summary(get("rent_burden"), values, ["a", "b", "c"], names, "Westside",
...                   around=True))  # doctest: +NORMALIZE_WHITESPACE
The map shows rent burden in the 3 census tracts around Westside: darker is higher, which is
worse; the highest is Tract 101 (61%), the lowest Tract 204 (18%).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from indicators.metrics.composites import cejst
from indicators.metrics.registry import Indicator
from indicators.present.formatting import escape_markdown, format_change, format_moe, format_value
from indicators.present.language import number_text, t

#: The anchor of the heading placed right before a map's table (the map's text alternative).
MAP_TABLE_ANCHOR = "map-table"

def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def value_text(indicator: Indicator, value: float | None, lang: str = "en") -> str:
    r"""A value as ``lang`` writes it (``no data`` where there is none).

    >>> from indicators.metrics.registry import get
    >>> value_text(get("rent_burden"), 0.412, "es"), value_text(get("median_income"), 52312.0, "es")
    ('41\xa0%', '$52.300')
    >>> value_text(get("rent_burden"), None, "es")
    'sin datos'
    """
    if _missing(value):
        return t("no data", lang)
    return format_value(indicator, value, lang)


def change_text(indicator: Indicator, change: float | None, lang: str = "en") -> str:
    """A change in the value's unit as ``lang`` writes it.

    >>> from indicators.metrics.registry import get
    >>> change_text(get("rent_burden"), 0.071), change_text(get("rent_burden"), 0.071, "es")
    ('+7.1 points', '+7,1 puntos')
    """
    if _missing(change):
        return t("no data", lang)
    return format_change(indicator, float(change), lang)  # type: ignore[arg-type]


def in_sentence(label: str, lang: str) -> str:
    """An indicator's label inside a sentence: in English lower case (see :func:`lower_first`),
    in Spanish quoted as written (an article before it would depend on its gender).

    >>> in_sentence("Rent burden", "en"), in_sentence("Carga del alquiler", "es")
    ('rent burden', '«Carga del alquiler»')
    """
    return f"«{label}»" if lang == "es" else lower_first(label)


def moe_text(indicator: Indicator, moe: float | None, lang: str = "en") -> str:
    """A margin of error as ``lang`` writes it (empty when none).

    >>> from indicators.metrics.registry import get
    >>> moe_text(get("rent_burden"), 0.032, "es")
    '± 3,2 puntos'
    """
    return format_moe(indicator, moe, lang)


def lower_first(label: str) -> str:
    """A label inside a sentence: its first letter lower case, unless it starts an acronym.

    >>> lower_first("Rent burden"), lower_first("PM2.5 exposure")
    ('rent burden', 'PM2.5 exposure')
    """
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _tracts(count: int, place: str, around: bool, lang: str) -> str:
    where = (t("around {place}", lang, place=place) if around
             else t("of {place}", lang, place=place))
    if count == 1:
        return t("the one census tract {where}", lang, where=where)
    return t("the {count} census tracts {where}", lang, count=number_text(f"{count:,}", lang),
             where=where)


def _darker(direction: str, lang: str) -> str:
    if direction == "higher_better":
        return t("darker is lower, which is worse", lang)
    if direction == "neutral":
        return t("darker is higher", lang)
    return t("darker is higher, which is worse", lang)


def _no_data(missing: int, lang: str) -> str:
    if missing == 0:
        return ""
    if missing == 1:
        return t("; one has no data", lang)
    return t("; {count} have no data", lang, count=number_text(f"{missing:,}", lang))


def _named(frame: pd.DataFrame, names: Mapping[str, str] | pd.Series) -> pd.Series:
    lookup = dict(names.items())
    return pd.Series([str(lookup.get(g, g)) for g in frame.index], index=frame.index, dtype=object)


def map_summary(indicator: Indicator, unit_values: pd.DataFrame, unit_ids: Sequence[str],
                names: Mapping[str, str] | pd.Series, place: str, lang: str = "en",
                around: bool = False) -> str:
    r"""One sentence of what an indicator's map shows: how many tracts, which way darker goes,
    the highest and the lowest (ties: the first by name), and how many have no data.

    Parameters
    ----------
    unit_values : pandas.DataFrame
        ``geo_id`` and ``value`` of the indicator's units (what the map colours).
    unit_ids : sequence of str
        The units the map draws.
    names : mapping or pandas.Series
        Unit names by id.
    place : str
        The region the map draws, or (``around=True``) the district or area it draws around.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> values = pd.DataFrame({"geo_id": ["a", "b", "c"], "value": [0.40, 0.12, None]})
    >>> names = {"a": "Tract 1.01", "b": "Tract 2", "c": "Tract 3"}
    >>> own = get("homeownership")
    >>> print(map_summary(own, values, ["a", "b", "c"], names, "Sample City"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The map shows homeownership in the 3 census tracts of Sample City: darker is lower, which is
    worse; the highest is Tract 1.01 (40%), the lowest Tract 2 (12%); one has no data.
    >>> print(map_summary(own, values, ["a", "b", "c"], names, "Sample City", "es"))
    ... # doctest: +NORMALIZE_WHITESPACE
    El mapa muestra «Propietarios de su vivienda» en los 3 sectores censales de Sample City: más
    oscuro es más bajo, es decir, peor; el más alto es Tract 1.01 (40\xa0%) y el más bajo, Tract 2
    (12\xa0%); uno no tiene datos.
    >>> map_summary(own, values.iloc[:0], ["a"], names, "Westside", around=True)
    'The map shows homeownership in the one census tract around Westside, but it has no value.'
    """
    label = in_sentence(indicator.label_in(lang), lang)
    ids = list(unit_ids)
    tracts = _tracts(len(ids), place, around, lang)
    shown = (unit_values.set_index("geo_id")["value"].reindex(ids).dropna().astype(float)
             .to_frame("value"))
    if shown.empty:
        if len(ids) == 1:
            return t("The map shows {label} in {tracts}, but it has no value.", lang, label=label,
                     tracts=tracts)
        return t("The map shows {label} in {tracts}, but none of them has a value.", lang,
                 label=label, tracts=tracts)
    shown["name"] = _named(shown, names)
    ordered = shown.sort_values(["value", "name"], kind="stable")
    high = ordered.sort_values(["value"], ascending=False, kind="stable").iloc[0]
    low = ordered.iloc[0]
    if len(shown) == 1:
        extremes = t("only {name} has a value ({value})", lang, name=high["name"],
                     value=value_text(indicator, high["value"], lang))
    else:
        extremes = t("the highest is {high} ({high_value}), the lowest {low} ({low_value})", lang,
                     high=high["name"], high_value=value_text(indicator, high["value"], lang),
                     low=low["name"], low_value=value_text(indicator, low["value"], lang))
    return t("The map shows {label} in {tracts}: {darker}; {extremes}{no_data}.", lang,
             label=label, tracts=tracts, darker=_darker(indicator.direction, lang),
             extremes=extremes, no_data=_no_data(len(ids) - len(shown), lang))


def change_summary(indicator: Indicator, changes: pd.DataFrame, unit_ids: Sequence[str],
                   names: Mapping[str, str] | pd.Series, place: str, period_from: str,
                   lang: str = "en", around: bool = False) -> str:
    r"""One sentence of what a change map shows: in how many tracts the indicator rose or fell
    beyond its margin of error (a change whose significance is unknown counts as seen), in how
    many it changed too little to tell, and the largest rise and fall.

    Parameters
    ----------
    changes : pandas.DataFrame
        ``geo_id``, ``change``, ``significant``, ``value_from``, ``value_to`` of the units.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> changes = pd.DataFrame({"geo_id": ["a", "b", "c"], "change": [0.08, -0.05, 0.01],
    ...                         "significant": [True, True, False],
    ...                         "value_from": [0.30, 0.45, 0.2], "value_to": [0.38, 0.40, 0.21]})
    >>> names = {"a": "Tract 1", "b": "Tract 2", "c": "Tract 3"}
    >>> drawn = ["a", "b", "c", "d"]
    >>> print(change_summary(get("poverty"), changes, drawn, names, "Sample City", "2014-2018"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The map shows the change in poverty since 2014-2018 in the 4 census tracts of Sample City: it
    rose beyond the margin of error in 1, fell in 1 and changed too little to tell in 1; the
    largest rise is in Tract 1 (30% to 38%), the largest fall in Tract 2 (45% to 40%); one has
    no data.
    >>> print(change_summary(get("poverty"), changes, drawn, names, "Sample City", "2014-2018",
    ...                      "es"))  # doctest: +NORMALIZE_WHITESPACE
    El mapa muestra el cambio en «Pobreza» desde 2014-2018 en los 4 sectores censales de Sample
    City: subió más allá del margen de error en 1, bajó en 1 y cambió demasiado poco para saberlo
    en 1; la mayor subida fue en Tract 1 (de 30\xa0% a 38\xa0%) y la mayor bajada, en Tract 2
    (de 45\xa0% a 40\xa0%); uno no tiene datos.
    """
    label = in_sentence(indicator.label_in(lang), lang)
    ids = list(unit_ids)
    tracts = _tracts(len(ids), place, around, lang)
    shown = changes.set_index("geo_id").reindex(ids).dropna(subset=["change"])
    opening = dict(label=label, period=period_from, tracts=tracts)
    if shown.empty:
        return t("The map shows the change in {label} since {period} in {tracts}, but none of "
                 "them is in both periods.", lang, **opening)
    shown = shown.assign(name=_named(shown, names))
    seen = shown[shown["significant"].isna() | shown["significant"].astype("boolean").fillna(True)]
    rises, falls = seen[seen["change"] > 0], seen[seen["change"] < 0]
    counts = t("it rose beyond the margin of error in {rose}, fell in {fell} and changed too "
               "little to tell in {within}", lang, rose=len(rises), fell=len(falls),
               within=len(shown) - len(rises) - len(falls))

    def moved(row: pd.Series) -> str:
        return t("{name} ({before} to {after})", lang, name=row["name"],
                 before=value_text(indicator, row["value_from"], lang),
                 after=value_text(indicator, row["value_to"], lang))

    rise = (moved(rises.sort_values(["change", "name"], ascending=[False, True], kind="stable")
                  .iloc[0]) if len(rises) else "")
    fall = moved(falls.sort_values(["change", "name"], kind="stable").iloc[0]) if len(falls) else ""
    if rise and fall:
        largest = t("; the largest rise is in {rise}, the largest fall in {fall}", lang, rise=rise,
                    fall=fall)
    elif rise or fall:
        largest = (t("; the largest rise is in {rise}", lang, rise=rise) if rise
                   else t("; the largest fall is in {fall}", lang, fall=fall))
    else:
        largest = ""
    return t("The map shows the change in {label} since {period} in {tracts}: "
             "{counts}{largest}{no_data}.", lang, **opening, counts=counts, largest=largest,
             no_data=_no_data(len(ids) - len(shown), lang))


def burden_summary(burdens: pd.DataFrame, unit_ids: Sequence[str], place: str,
                   around: bool = False) -> str:
    """One sentence of what the overburdened-tracts map shows: how many of the tracts drawn
    the CEJST-style rule flags, and the burden that flags most of them.

    Examples
    --------
    >>> burdens = pd.DataFrame({"geoid": ["a", "b", "c"], "flagged": [True, True, False],
    ...                         "burdens": ["pm25, unemployment", "pm25", ""]})
    >>> print(burden_summary(burdens, ["a", "b", "c"], "Sample City"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The map shows which of the 3 census tracts of Sample City are overburdened by the CEJST-style
    rule (dark red): 2 are, most often for PM2.5 exposure (2 tracts).
    """
    flags = burdens.set_index("geoid").reindex(list(unit_ids))
    flagged = flags[flags["flagged"].astype("boolean").fillna(False)]
    opening = (f"The map shows which of {_tracts(len(flags), place, around, 'en')} are "
               "overburdened by the CEJST-style rule (dark red)")
    if flagged.empty:
        return f"{opening}: none is."
    met = pd.Series([b for text in flagged["burdens"].fillna("") for b in str(text).split(", ")
                     if b in cejst.BY_INDICATOR], dtype=object)
    if met.empty:
        return f"{opening}: {len(flagged)} are, by the neighbours rule."
    counts = met.value_counts()
    top = sorted(counts[counts == counts.max()].index)[0]
    return (f"{opening}: {len(flagged)} are, most often for {cejst.BY_INDICATOR[top].name} "
            f"({counts[top]} tracts).")


def projects_summary(points: pd.DataFrame, stage_order: Sequence[str], place: str) -> str:
    """One sentence of what the portfolio map shows: how many projects in how many districts,
    how many at each stage (in the pathway's order) and how many are behind.

    ``points`` needs ``district_id``, ``stage_title`` and ``behind`` (see
    :func:`indicators.present.portfolio.project_points`).

    Examples
    --------
    >>> points = pd.DataFrame({"district_id": ["w", "w", "e"], "behind": [True, False, False],
    ...                        "stage_title": ["Roadmap", "Formation", "Roadmap"]})
    >>> print(projects_summary(points, ["Formation", "Roadmap"], "Sample City"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The map shows 3 projects in 2 districts of Sample City, each a circle coloured by its stage:
    1 at Formation, 2 at Roadmap; 1 is behind schedule (a red ring).
    """
    if points.empty:
        return f"The map shows the districts of {place}; no project has a district on it."
    counts = points["stage_title"].value_counts()
    stages = ", ".join(f"{counts[s]} at {s}" for s in stage_order if s in counts)
    behind = int(points["behind"].sum())
    plural = "project" if len(points) == 1 else "projects"
    districts = points["district_id"].nunique()
    return (f"The map shows {len(points)} {plural} in {districts} "
            f"district{'' if districts == 1 else 's'} of {place}, each a circle coloured by its "
            f"stage: {stages}; " + ("none is behind schedule." if behind == 0 else
                                    f"{behind} {'is' if behind == 1 else 'are'} behind schedule "
                                    "(a red ring)."))


def boundary_summary(area: str, district: str, tracts: int) -> str:
    """One sentence of what a project's boundary map shows.

    >>> print(boundary_summary("Oak Commons", "Westside", 3))  # doctest: +NORMALIZE_WHITESPACE
    The map shows the project's own boundary, Oak Commons, outlined in dark green over the
    districts (Westside, the project's district, in bold); it covers parts of 3 census tracts.
    """
    covers = ("" if tracts == 0 else
              f"; it covers parts of {tracts} census tract{'' if tracts == 1 else 's'}")
    return (f"The map shows the project's own boundary, {area}, outlined in dark green over the "
            f"districts ({district}, the project's district, in bold){covers}.")


def table_link(lang: str = "en", anchor: str = MAP_TABLE_ANCHOR) -> str:
    """The Markdown link from a map to its table (a heading with ``anchor`` placed right
    before the table).

    >>> table_link(), table_link("es")
    ('[The map as a table](#map-table)', '[El mapa como tabla](#map-table)')
    """
    return f"[{t('The map as a table', lang)}](#{anchor})"


def map_caption(indicator: Indicator, unit_ids: Sequence[str], names: Mapping[str, str] | pd.Series,
                place: str, lang: str = "en", around: bool = False,
                unit_values: pd.DataFrame | None = None, changes: pd.DataFrame | None = None,
                period_from: str | None = None, anchor: str = MAP_TABLE_ANCHOR) -> str:
    r"""The resident map's text alternative as Markdown, for one ``st.caption``: the sentence of
    what it shows (:func:`change_summary` when ``changes`` and ``period_from`` are given, else
    :func:`map_summary`), escaped, then the link to the table's heading (``anchor``).

    >>> from indicators.metrics.registry import get
    >>> values = pd.DataFrame({"geo_id": ["a"], "value": [0.25]})
    >>> map_caption(get("poverty"), ["a"], {"a": "Tract 1.01"}, "Westside", "es", around=True,
    ...             unit_values=values).endswith("\\(25\xa0%\\)\\. [El mapa como tabla](#map-table)")
    True
    """
    if changes is not None and period_from is not None:
        sentence = change_summary(indicator, changes, unit_ids, names, place, period_from, lang,
                                  around)
    else:
        frame = unit_values if unit_values is not None else pd.DataFrame(
            {"geo_id": pd.Series(dtype=object), "value": pd.Series(dtype=float)})
        sentence = map_summary(indicator, frame, unit_ids, names, place, lang, around)
    return f"{escape_markdown(sentence)} {table_link(lang, anchor)}"
