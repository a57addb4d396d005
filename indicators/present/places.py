"""Finding a district from what a resident types: a district name, a tract number or a GEOID."""

from __future__ import annotations

import re

import pandas as pd

from indicators.present.formatting import escape_markdown
from indicators.present.language import t


def find_district(text: str, districts: pd.DataFrame, units: pd.DataFrame,
                  crosswalk: pd.DataFrame, lang: str = "en") -> tuple[str | None, str]:
    """Resolve free text to a district.

    Parameters
    ----------
    text : str
        What the user typed: part of a district name ("west"), a GEOID ("13121001100") or a
        tract number ("11.01", "Tract 11.01").
    districts : pandas.DataFrame
        ``district_id``, ``name``.
    units : pandas.DataFrame
        ``geoid``, ``name`` of the units.
    crosswalk : pandas.DataFrame
        ``geoid``, ``district_id``, ``weight``: a tract belongs to the district holding most of it.
    lang : str
        The language of the message ("en" or "es").

    Returns
    -------
    (district_id or None, message)
        The message says what was matched, or why nothing was (Markdown: the names and the
        typed text in it are escaped).

    Examples
    --------
    >>> d = pd.DataFrame({"district_id": ["westside"], "name": ["Westside"]})
    >>> u = pd.DataFrame({"geoid": ["99001010100"], "name": ["Census Tract 101"]})
    >>> c = pd.DataFrame({"geoid": ["99001010100"], "district_id": ["westside"], "weight": [1.0]})
    >>> find_district("101", d, u, c)
    ('westside', 'Census Tract 101 is mostly in Westside.')
    >>> find_district("north", d, u, c, "es")
    (None, 'Ningún distrito ni sector censal coincide con “north”.')
    """
    needle = text.strip().lower()
    if not needle:
        return None, ""
    names = districts.assign(key=districts["name"].str.lower())
    exact = names[names["key"] == needle]
    partial = names[names["key"].str.contains(re.escape(needle), regex=True)]
    if len(exact) == 1 or len(partial) == 1:
        row = (exact if len(exact) == 1 else partial).iloc[0]
        return str(row["district_id"]), t("Showing {district}.", lang,
                                          district=escape_markdown(row["name"]))
    if len(partial) > 1:
        return None, t("Several districts match: {districts}. Type more.", lang,
                       districts=", ".join(partial["name"].map(escape_markdown)))
    digits = re.sub(r"^(census\s+)?tract\s+", "", needle)
    unit_names = units["name"].str.lower().str.replace(r"^(census\s+)?tract\s+", "", regex=True)
    match = units[(units["geoid"] == digits) | (unit_names == digits)]
    if match.empty:
        return None, t("No district or census tract matches “{text}”.", lang,
                       text=escape_markdown(text.strip()))
    unit = match.iloc[0]
    district_id = district_of_unit(str(unit["geoid"]), crosswalk)
    if district_id is None:
        return None, t("{tract} is outside the districts shown here.", lang,
                       tract=escape_markdown(unit["name"]))
    district = districts.loc[districts["district_id"] == district_id, "name"].iloc[0]
    return district_id, t("{tract} is mostly in {district}.", lang, tract=escape_markdown(unit["name"]),
                          district=escape_markdown(district))


def district_of_unit(geoid: str, crosswalk: pd.DataFrame) -> str | None:
    """The district a unit belongs to: the one holding most of its area (None when the unit lies
    outside every district). Ties go to the district named first in the crosswalk.

    Examples
    --------
    >>> c = pd.DataFrame({"geoid": ["a", "a"], "district_id": ["w", "e"], "weight": [0.3, 0.7]})
    >>> district_of_unit("a", c), district_of_unit("b", c)
    ('e', None)
    """
    pieces = crosswalk[crosswalk["geoid"] == geoid]
    if pieces.empty:
        return None
    return str(pieces.sort_values("weight", ascending=False, kind="stable").iloc[0]["district_id"])
