"""Your own area as the pages handle it (no Streamlit here): made from a drawn or uploaded
polygon or from a union of units or districts, carried in the URL, and described in words.

An area lives only in the URL (nothing a visitor draws or uploads is stored): a polygon as
encoded polylines (Google's polyline algorithm, 5 decimals, about 1 m), simplified until the
link stays short enough to copy; a union as the list of unit GEOIDs or district ids.

    >>> from shapely.geometry import box
    >>> text = encode_area(box(-84.40, 33.75, -84.39, 33.76))
    >>> decode_area(text).equals(box(-84.40, 33.75, -84.39, 33.76))
    True
"""

from __future__ import annotations

from string import Formatter

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from indicators.config import STORAGE_CRS
from indicators.metrics.areas import TOUCHED, AreaError, Message
from indicators.present.formatting import escape_markdown
from indicators.present.language import number_text, t

#: The longest encoded polygon a link carries; longer outlines are simplified until they fit.
MAX_AREA_CHARS = 6000
#: Separators outside the polyline alphabet (ASCII 63-126): between polygons, between rings.
POLYGONS, RINGS = ";", ","
PRECISION = 1e5


def _encode_number(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def encode_ring(coords: np.ndarray) -> str:
    """One ring (lon, lat pairs) as a polyline (latitude first, as the algorithm defines).

    >>> encode_ring(np.array([[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]]))
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    """
    scaled = np.round(np.asarray(coords)[:, ::-1] * PRECISION).astype(np.int64)
    deltas = np.diff(scaled, axis=0, prepend=[[0, 0]])
    return "".join(_encode_number(int(d)) for pair in deltas for d in pair)


def decode_ring(text: str) -> np.ndarray:
    """A polyline back to (lon, lat) pairs.

    Raises
    ------
    AreaError
        When the text is not a polyline.
    """
    numbers, value, shift = [], 0, 0
    for char in text:
        code = ord(char) - 63
        if not 0 <= code < 64:
            raise AreaError("The area in this link is damaged: draw or upload it again.")
        value |= (code & 0x1F) << shift
        shift += 5
        if code < 0x20:
            numbers.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    if value or shift or len(numbers) % 2:
        raise AreaError("The area in this link is damaged: draw or upload it again.")
    pairs = np.cumsum(np.array(numbers, dtype=np.int64).reshape(-1, 2), axis=0) / PRECISION
    return pairs[:, ::-1]


def encode_area(geometry: shapely.Geometry, max_chars: int = MAX_AREA_CHARS) -> str:
    """A (multi)polygon in longitude/latitude as link text, simplified until it fits."""
    tolerance = 0.0
    while True:
        shape = geometry if tolerance == 0 else shapely.simplify(geometry, tolerance,
                                                                 preserve_topology=True)
        text = POLYGONS.join(
            RINGS.join(encode_ring(np.asarray(ring.coords)) for ring in (p.exterior, *p.interiors))
            for p in _polygons(shape))
        if len(text) <= max_chars:
            return text
        tolerance = tolerance * 2 if tolerance else 1e-5


def decode_area(text: str) -> shapely.Geometry:
    """Link text back to a valid (multi)polygon in longitude/latitude.

    Raises
    ------
    AreaError
        For damaged text, or rings that do not make an area.
    """
    if not text or len(text) > 4 * MAX_AREA_CHARS:
        raise AreaError("The area in this link is empty or too long: draw or upload it again.")
    polygons = []
    for part in text.split(POLYGONS):
        rings = [decode_ring(r) for r in part.split(RINGS)]
        if any(len(r) < 3 for r in rings):
            raise AreaError("The area in this link is not a closed outline: draw it again.")
        polygons.append(Polygon(rings[0], rings[1:]))
    shape = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    if not shape.is_valid:
        shape = shapely.make_valid(shape)
    shape = _polygonal(shape)
    if shape.is_empty or shape.area == 0:
        raise AreaError("The area in this link has no surface: draw or upload it again.")
    return shape


def union_of(shapes: gpd.GeoDataFrame, id_column: str, ids: list[str], name: str) -> gpd.GeoDataFrame:
    """One area made of several units or districts (their union), as a one-row frame.

    Raises
    ------
    AreaError
        When none of ``ids`` is one of ``shapes``.
    """
    chosen = shapes[shapes[id_column].astype(str).isin(ids)]
    if chosen.empty:
        raise AreaError("None of the chosen tracts or districts is in this region: pick them "
                        "again from the list or the map.")
    geometry = shapely.union_all(np.asarray(chosen.geometry.array))
    return gpd.GeoDataFrame({"name": [name]}, geometry=[geometry], crs=shapes.crs)


def one_area(geometry: shapely.Geometry, name: str) -> gpd.GeoDataFrame:
    """A one-row area frame in longitude/latitude."""
    return gpd.GeoDataFrame({"name": [name]}, geometry=[geometry], crs=STORAGE_CRS)


def method_note(summary: pd.Series, region: str, lang: str = "en") -> str:
    """How the area's numbers were made, in plain words: areal weighting, the units used, how
    much of its population comes from units only partly inside, any part outside the region
    (Markdown: the region's name is escaped).

    >>> summary = pd.Series({"units": 5, "whole_units": 2, "population": 12400.0,
    ...     "partial_population_share": 0.42, "outside_share": 0.0, "area_km2": 3.2})
    >>> method_note(summary, "Sample City").split(". ")[1]
    'It touches 5 census tracts, 2 of them wholly inside'
    >>> method_note(summary, "Sample City", "es").split(". ")[0]
    'Tu zona mide 3,2 km² y en ella viven unas 12.400 personas'
    """
    def number(text: str) -> str:
        return number_text(text, lang)

    units, whole = int(summary["units"]), int(summary["whole_units"])
    area = number(f"{summary['area_km2']:.1f}")
    parts = [
        t("Your area covers {area} km² and about an unknown number of people", lang, area=area)
        if pd.isna(summary["population"]) else
        t("Your area covers {area} km² and about {people} people", lang, area=area,
          people=number(_people(summary["population"]))),
        t("It touches {units} census tract, {whole} of them wholly inside", lang, units=units,
          whole=whole) if units == 1 else
        t("It touches {units} census tracts, {whole} of them wholly inside", lang,
          units=number(f"{units:,}"), whole=number(f"{whole:,}")),
        t("Each tract counts by the share of its area inside yours, assuming people are spread "
          "evenly within a tract (areal weighting)", lang),
    ]
    partial = summary["partial_population_share"]
    if not pd.isna(partial) and partial > 0:
        parts.append(t("{share} of your area's people live in tracts only partly inside it, so "
                       "their numbers are the least certain", lang, share=number(f"{partial:.0%}")))
    outside = summary["outside_share"]
    if not pd.isna(outside) and outside >= 0.01:
        parts.append(t("{share} of your area lies outside {region}'s tracts, where we have no "
                       "data: the profile is for the part inside", lang,
                       share=number(f"{outside:.0%}"), region=escape_markdown(region)))
    return ". ".join(parts) + "."


def only_slivers(lang: str = "en") -> str:
    """Said instead of the tracts' table when an area touches only slivers of tracts.

    >>> only_slivers("es")[:48]
    'Tu zona solo toca pedacitos de sectores censales'
    """
    return t("Your area touches only slivers of tracts (each under {share} of the tract inside "
             "it), so no tract is listed; they still count by their share.", lang,
             share=number_text(f"{TOUCHED:.0%}", lang))


#: :func:`only_slivers` in English.
ONLY_SLIVERS = only_slivers()


def share_table(shares: pd.DataFrame, unit_names: pd.Series, population: pd.Series,
                lang: str = "en") -> pd.DataFrame:
    """The tracts an area is made of: Tract, GEOID, Share inside, People counted (slivers under
    :data:`~indicators.metrics.areas.TOUCHED` of a tract, from outlines drawn apart, are left
    out of the list; they still count), headed and written in ``lang``."""
    shares = shares[shares["weight"] >= TOUCHED]
    # As numbers even when no tract is left (an area touching only slivers): an empty mapped
    # column keeps the GEOIDs' text type.
    counted = pd.to_numeric(shares["geoid"].map(population), errors="coerce").fillna(0.0)
    people = counted.to_numpy(dtype=float) * shares["weight"].to_numpy(dtype=float)
    whole = t("all", lang)
    return pd.DataFrame({
        t("Tract", lang): shares["geoid"].map(unit_names).fillna(shares["geoid"]).to_numpy(),
        "GEOID": shares["geoid"].to_numpy(),
        t("Share inside", lang): [number_text(f"{w:.0%}", lang) if w < 0.995 else whole
                                  for w in shares["weight"]],
        t("People counted", lang): [number_text(f"{p:,.0f}", lang) for p in people],
    })


def said(text: str, lang: str) -> str:
    """A message for the page in ``lang``: a :class:`~indicators.metrics.areas.Message` (an
    upload's or an area's error or note) translated whole, its values put back: messages within
    it translated too, numbers written as ``lang`` writes them, names and other text from the
    file as they are. Any other text is looked up as it is.

    >>> from indicators.metrics.areas import Message
    >>> said(Message("Left out {n:,} features with no geometry.", n=1200), "es")
    'Se dejaron fuera 1.200 elementos sin geometría.'
    >>> said(Message("Left out {n:,} features with no geometry.", n=1200), "en")
    'Left out 1,200 features with no geometry.'
    """
    if lang == "en":
        return str(text)
    if not isinstance(text, Message):
        return t(str(text), lang)
    parts = []
    for literal, field, spec, conversion in Formatter().parse(t(text.template, lang)):
        parts.append(number_text(literal, lang))
        if field is None:
            continue
        value = text.values[field]
        if conversion:
            value = {"r": repr, "s": str, "a": ascii}[conversion](value)
        if isinstance(value, Message):
            parts.append(said(value, lang))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            parts.append(number_text(format(value, spec or ""), lang))
        else:
            parts.append(format(value, spec or ""))
    return "".join(parts)


def area_geojson(area: gpd.GeoDataFrame, values: pd.DataFrame) -> str:
    """The area with its values as GeoJSON properties (one ``<indicator>`` and
    ``<indicator>_moe`` per indicator): the download of exactly what the page shows."""
    props = {}
    for row in values.itertuples():
        props[row.indicator_id] = None if pd.isna(row.value) else float(row.value)
        props[f"{row.indicator_id}_moe"] = None if pd.isna(row.moe) else float(row.moe)
    frame = area[["name", "geometry"]].assign(**props)
    return frame.to_crs(STORAGE_CRS).to_json(drop_id=True)


def _people(n: float) -> str:
    if pd.isna(n):
        return "an unknown number of"
    return f"{round(n, -2 if n >= 1000 else -1):,.0f}" if n >= 100 else f"{n:,.0f}"


def _polygons(shape: shapely.Geometry) -> list[Polygon]:
    shape = _polygonal(shape)
    return list(shape.geoms) if isinstance(shape, MultiPolygon) else [shape]


def _polygonal(shape: shapely.Geometry) -> shapely.Geometry:
    """Only the polygonal parts of a geometry (make_valid can return collections)."""
    if isinstance(shape, Polygon | MultiPolygon):
        return shape
    parts = [g for g in getattr(shape, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    flat = [p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    if not flat:
        return Polygon()
    return flat[0] if len(flat) == 1 else MultiPolygon(flat)


