"""The layers folium maps are made of: choropleths in quantile classes (mapclassify's, see
:mod:`.classes`), district outlines, the 1938 HOLC map and project markers (no Streamlit here).

Each layer is a :class:`folium.FeatureGroup` built from the cached light GeoJSON of
:class:`indicators.present.map_views.MapData`, so that only colours and labels change from one
indicator to the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from indicators.metrics.composites import cejst
from indicators.metrics.registry import Indicator
from indicators.present.classes import class_of, quantile_bins
from indicators.present.formatting import ordinal
from indicators.present.language import t
from indicators.present.map_text import change_text, in_sentence, moe_text, value_text
from indicators.present.map_views import FitView, MapData
from indicators.present.maps import safe_text, view_bounds

#: Colour-blind-safe sequential palettes, light to dark: ColorBrewer's 5-class YlOrRd (dark =
#: worse) and PuBu (neutral shares: dark = more), exactly as colorbrewer2.org lists them (and
#: ``branca.utilities.color_brewer``); ColorBrewer marks both safe for colour-blind readers.
BURDEN_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NEUTRAL_COLOURS = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")
NO_DATA_COLOUR = "#d9d9d9"
#: Diverging, colour-blind safe (ColorBrewer's 5-class PuOr, purple end first): strong falls,
#: falls, rises, strong rises, with its pale middle (``NOT_REAL_COLOUR``) for changes within
#: the margin of error. Orange means worse and purple better for indicators with a direction;
#: for neutral ones orange is a rise and purple a fall.
CHANGE_COLOURS = ("#5e3c99", "#b2abd2", "#fdb863", "#e66101")
NOT_REAL_COLOUR = "#f7f7f7"
#: Outline of the chosen district.
SELECTED_COLOUR = "#0b3d33"
#: The 1938 HOLC map's own colours (green A to red D), kept because they are the historic
#: map's: A and D differ little for red-green colour-blind readers, so each zone also carries
#: its grade letter as text on the map, and the legend says so.
HOLC_COLOURS = {"A": "#76a865", "B": "#7cb5bd", "C": "#ffff00", "D": "#d9838d"}
HOLC_GRADES = {"A": "Best", "B": "Still desirable", "C": "Declining", "D": "Hazardous"}

#: Each palette's name in its legend (English; :func:`t` gives the Spanish).
SCALE_NAMES = {
    "burden": "Colours: ColorBrewer YlOrRd, light yellow to dark red, colour-blind safe",
    "neutral": "Colours: ColorBrewer PuBu, pale to dark blue, colour-blind safe",
    "change": "Colours: ColorBrewer PuOr, purple through pale to orange, colour-blind safe",
    "flagged": "Colours: dark red and pale cream, told apart by lightness, colour-blind safe",
    "holc": "Colours: the 1938 map's own, kept as history (not colour-blind safe); each zone's "
            "grade letter is written on it",
    "stages": "Colours: viridis, light green to dark purple along the path, colour-blind safe",
}


@dataclass(frozen=True)
class Legend:
    """Classes of a choropleth: colour and the range of values it stands for (formatted)."""

    title: str
    entries: tuple[tuple[str, str], ...]


def titled(heading: str, scale: str, lang: str = "en") -> str:
    """A legend's title: what it shows, then the name of its colour scale
    (:data:`SCALE_NAMES`), so that the scale is named wherever the legend is drawn.

    >>> titled("Poverty, by census tract", "burden")
    'Poverty, by census tract. Colours: ColorBrewer YlOrRd, light yellow to dark red, colour-blind safe'
    """
    return f"{heading}. {t(SCALE_NAMES[scale], lang)}"


def classify(values: pd.Series, direction: str, fmt: Callable[[float], str],
             k: int = 5, lang: str = "en") -> tuple[pd.Series, Legend]:
    """Quantile classes (mapclassify's method, :mod:`.classes`) and a colour per value; darker
    always means more burdened (for indicators where higher is better, low values are dark),
    neutral shares in blue.

    Returns
    -------
    (colours, legend)
        ``colours`` aligned with ``values`` (grey where missing).
    """
    present = values.dropna()
    palette = NEUTRAL_COLOURS if direction == "neutral" else BURDEN_COLOURS
    colours = pd.Series(NO_DATA_COLOUR, index=values.index, dtype=object)
    if present.empty:
        return colours, Legend("", ((t("no data", lang), NO_DATA_COLOUR),))
    k = max(1, min(k, present.nunique()))
    bins = quantile_bins(present.to_numpy(dtype=float), k)
    shades = palette if k == len(palette) else tuple(
        palette[int(round(i * (len(palette) - 1) / max(k - 1, 1)))] for i in range(k))
    if direction == "higher_better":
        shades = shades[::-1]
    colours[present.index] = [shades[c] for c in class_of(present.to_numpy(dtype=float), bins)]
    lows = [present.min(), *bins[:-1]]
    entries = tuple((t("{low} to {high}", lang, low=fmt(lo), high=fmt(hi)), shades[i])
                    for i, (lo, hi) in enumerate(zip(lows, bins, strict=True)))
    if values.isna().any():
        entries += ((t("no data", lang), NO_DATA_COLOUR),)
    return colours, Legend("", entries)


def choropleth_layer(base: dict[str, object], colours: dict[str, str], labels: dict[str, str],
                     name: str, lang: str = "en") -> folium.FeatureGroup:
    """Units filled by class colour, each with a hover label; the geometry comes from a cached
    light GeoJSON (``base``) and only colours and labels are added per indicator."""
    features = []
    missing = t("no data", lang)
    for feature in base["features"]:  # type: ignore[index]
        geoid = feature["properties"]["geoid"]
        properties = {**feature["properties"], "fill": colours.get(geoid, NO_DATA_COLOUR),
                      "label": safe_text(labels.get(geoid, missing))}
        features.append({**feature, "properties": properties})
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#ffffff",
                                  "weight": 0.6, "fillOpacity": 0.85},
        highlight_function=lambda _f: {"weight": 2.5, "color": "#1b1b1b"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "label"], labels=False),
    ).add_to(group)
    return group


def districts_layer(base: dict[str, object], selected: str | None,
                    fit_to: tuple[float, float, float, float] | None = None) -> folium.FeatureGroup:
    """Every district outlined; the selected one thick and dark. With ``fit_to`` (an extent,
    see :func:`~indicators.present.maps.view_bounds`), the map fits it when the layer is drawn.
    A whole country's districts, sent as one feature of their boundaries (district id ""),
    are drawn thin and solid: dashes at that density read as a grey blur."""
    group = folium.FeatureGroup(name="Districts")
    folium.GeoJson(
        base,
        style_function=lambda f: {"color": "#4d4d4d", "weight": 0.7, "fill": False}
        if f["properties"]["district_id"] == "" else {
            "color": SELECTED_COLOUR if f["properties"]["district_id"] == selected else "#4d4d4d",
            "weight": 4.5 if f["properties"]["district_id"] == selected else 1.4,
            "fill": False, "dashArray": None if f["properties"]["district_id"] == selected else "4 3",
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    if fit_to is not None:
        FitView(fit_to).add_to(group)
    return group


def area_layer(area: gpd.GeoDataFrame, name: str) -> folium.FeatureGroup:
    """Your own area outlined thick and dark (no fill, so the tracts show through), and the map
    fitted to it."""
    group = folium.FeatureGroup(name="Your area")
    shape = area.to_crs("EPSG:4326")
    folium.GeoJson(
        json.loads(shape[["geometry"]].assign(name=safe_text(name)).to_json(drop_id=True)),
        style_function=lambda _f: {"color": SELECTED_COLOUR, "weight": 4.5, "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    FitView(view_bounds(tuple(shape.total_bounds))).add_to(group)
    return group


def boundaries_layer(boundaries: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Projects' own boundaries, outlined in the project colour with their names."""
    group = folium.FeatureGroup(name="Project boundaries")
    if boundaries.empty:
        return group
    shapes = boundaries.to_crs("EPSG:4326").assign(name=lambda f: f["name"].map(safe_text))
    folium.GeoJson(
        json.loads(shapes[["name", "geometry"]].to_json(drop_id=True)),
        style_function=lambda _f: {"color": "#7b3294", "weight": 2.5, "dashArray": "6 3",
                                   "fillColor": "#c2a5cf", "fillOpacity": 0.25},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(group)
    return group


def holc_layer(base: dict[str, object]) -> folium.FeatureGroup:
    """The 1938 HOLC grades in their conventional colours, lightly filled, labelled: each zone's
    grade letter (A to D) is also written on it, so the grade is never told by colour alone."""
    group = folium.FeatureGroup(name="Redlining map, 1938")
    folium.GeoJson(
        base,
        style_function=lambda f: {"color": "#5a5a5a", "weight": 1.0, "dashArray": "2 2",
                                  "fillColor": HOLC_COLOURS.get(f["properties"]["category"], "#999"),
                                  "fillOpacity": 0.45},
        tooltip=folium.GeoJsonTooltip(fields=["label", "grade"], labels=False),
    ).add_to(group)
    for feature in base["features"]:  # type: ignore[index]
        letter = feature["properties"].get("category")
        if letter not in HOLC_COLOURS or not feature.get("geometry"):
            continue  # only the four grades' letters, never text from the file
        point = shape(feature["geometry"]).representative_point()
        folium.Marker([point.y, point.x], icon=folium.DivIcon(
            html=HOLC_LETTER.format(letter=letter), icon_size=(16, 16), icon_anchor=(8, 8),
            class_name="holc-grade"), interactive=False).add_to(group)
    return group


#: A grade letter on the map: near-black on a white halo, legible on any of the four fills.
HOLC_LETTER = ("<div style='font:700 13px/16px sans-serif;color:#1b1b1b;text-align:center;"
               "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff'>{letter}</div>")


def holc_legend(lang: str = "en") -> Legend:
    """The legend of the 1938 HOLC map: each grade's letter, its words and its colour, and why
    the colours are the historic map's.

    >>> holc_legend().entries[0]
    ('A: "Best"', '#76a865')
    """
    return Legend(titled(t("Redlining map, 1938 (HOLC grades)", lang), "holc", lang), tuple(
        (f"{letter}: \"{t(words, lang)}\"", HOLC_COLOURS[letter])
        for letter, words in HOLC_GRADES.items()))


def project_markers(projects: pd.DataFrame) -> folium.FeatureGroup:
    """One circle per project at its district, filled with its stage's colour, ringed red when
    behind.

    ``projects`` needs ``lat``, ``lon``, ``name``, ``stage_title``, ``colour`` and ``behind``
    (see :func:`indicators.present.portfolio.project_points`). Circles are plain Leaflet
    vectors: no icon images to fetch.
    """
    group = folium.FeatureGroup(name="Projects")
    for row in projects.itertuples():
        folium.CircleMarker(
            location=[row.lat, row.lon], radius=11,
            color="#d62728" if row.behind else "#ffffff", weight=4 if row.behind else 2,
            fill=True, fill_color=row.colour, fill_opacity=0.95,
            tooltip=safe_text(f"{row.name}: {row.stage_title}"
                              + (" (behind schedule)" if row.behind else "")),
        ).add_to(group)
    return group


def indicator_layer(data: MapData, unit_values: pd.DataFrame, indicator: Indicator,
                    lang: str = "en") -> tuple[folium.FeatureGroup, Legend]:
    """The units drawn by one indicator (quantile classes, hover labels with the MOE) and the
    legend of its classes, naming its colour scale, in ``lang``.

    Parameters
    ----------
    data : MapData
        The cached map geometry.
    unit_values : pandas.DataFrame
        ``indicator_values`` rows of the indicator's units (``geo_id``, ``value``, ``moe``).
    """
    by_unit = unit_values.set_index("geo_id")
    # Classes over the region's units: all of them drawn, or (a view of a national map) all
    # of those with a value, so a colour means the same wherever the map is looked at.
    classed = by_unit["value"].reindex(data.unit_ids) if data.whole else by_unit["value"]
    colours, legend = classify(classed, indicator.direction,
                               lambda v: value_text(indicator, v, lang), lang=lang)
    drawn = by_unit[by_unit.index.isin(data.unit_ids)]
    labels = {g: f"{value_text(indicator, value, lang)} {moe_text(indicator, moe, lang)}".strip()
              for g, value, moe in zip(drawn.index, drawn["value"], drawn["moe"], strict=True)}
    label = indicator.label_in(lang)
    if indicator.direction == "neutral":
        title = titled(t("{label}, by census tract", lang, label=label), "neutral", lang)
    else:
        title = titled(t("{label}, by census tract (darker = more burdened)", lang, label=label),
                       "burden", lang)
    return (choropleth_layer(data.units, colours.to_dict(), labels, indicator.label, lang),
            Legend(title, legend.entries))


def change_layer(data: MapData, changes: pd.DataFrame, indicator: Indicator,
                 period_from: str, lang: str = "en") -> tuple[folium.FeatureGroup, Legend]:
    """The units drawn by their change since ``period_from``: a diverging palette centred on no
    change (purple = better, orange = worse; for neutral indicators purple = fell, orange =
    rose), two shades split at the median size of change, and pale where the change is within
    its margin of error; the legend names the scale, in ``lang``.

    Parameters
    ----------
    changes : pandas.DataFrame
        ``changes`` rows of the indicator's units (``geo_id``, ``change``, ``significant``,
        ``value_from``, ``value_to``).
    """
    every = changes.set_index("geo_id")
    by_unit = every.reindex(data.unit_ids)
    sized = by_unit if data.whole else every  # the split is the region's, as in indicator_layer
    cut = float(sized["change"].abs().median()) if sized["change"].notna().any() else 0.0
    # Which sign is orange: a rise, except where higher is better.
    orange_sign = -1.0 if indicator.direction == "higher_better" else 1.0
    colours, labels = {}, {}
    for geoid, r in by_unit.iterrows():
        if pd.isna(r["change"]):
            colours[geoid] = NO_DATA_COLOUR
            continue
        known = not pd.isna(r["significant"])
        if known and not bool(r["significant"]):
            colours[geoid] = NOT_REAL_COLOUR
        else:
            orange = r["change"] * orange_sign > 0
            strong = abs(r["change"]) > cut
            colours[geoid] = CHANGE_COLOURS[(3 if strong else 2) if orange else (0 if strong else 1)]
        label = t("{before} to {after} ({change})", lang,
                  before=value_text(indicator, r["value_from"], lang),
                  after=value_text(indicator, r["value_to"], lang),
                  change=change_text(indicator, r["change"], lang))
        labels[geoid] = t("{label}: no margin of error is published, so whether it is real is "
                          "unknown", lang, label=label) if not known else (
            t("{label}: a real change", lang, label=label) if bool(r["significant"])
            else t("{label}: within the margin of error", lang, label=label))
    size = change_text(indicator, cut, lang).lstrip("+")
    fell = (t("fell by more than {size}", lang, size=size), t("fell by up to {size}", lang, size=size))
    rose = (t("rose by more than {size}", lang, size=size), t("rose by up to {size}", lang, size=size))
    purple, orange = (fell, rose) if orange_sign > 0 else (rose, fell)
    strong_purple, strong_orange = purple[0], orange[0]
    if indicator.direction != "neutral":
        strong_purple = t("{text} (better)", lang, text=strong_purple)
        strong_orange = t("{text} (worse)", lang, text=strong_orange)
    entries = (
        (strong_purple, CHANGE_COLOURS[0]), (purple[1], CHANGE_COLOURS[1]),
        (orange[1], CHANGE_COLOURS[2]), (strong_orange, CHANGE_COLOURS[3]),
        (t("pale: within the margin of error, not a real change", lang), NOT_REAL_COLOUR),
    )
    if (by_unit["change"].notna() & by_unit["significant"].isna()).any():
        # Not pale, not real: a source without margins of error (EJScreen, PLACES) or a rank.
        entries += ((t("full colour without a margin of error: whether the change is real is "
                       "unknown", lang), CHANGE_COLOURS[3]),)
    if by_unit["change"].isna().any():
        entries += ((t("not in both periods", lang), NO_DATA_COLOUR),)
    title = titled(t("Change in {label} since {period}, by census tract", lang,
                     label=in_sentence(indicator.label_in(lang), lang), period=period_from),
                   "change", lang)
    return (choropleth_layer(data.units, colours, labels, f"Change: {indicator.label}", lang),
            Legend(title, entries))


#: Colours of the overburdened-units map: flagged, not flagged.
FLAGGED_COLOUR, NOT_FLAGGED_COLOUR = "#b2182b", "#f4efe6"


def burden_layer(data: MapData, burdens: pd.DataFrame) -> tuple[folium.FeatureGroup, Legend]:
    """Units flagged by the CEJST-style rule, each labelled with what flags it.

    Parameters
    ----------
    burdens : pandas.DataFrame
        The ``unit_burdens`` table (``geoid``, ``flagged``, ``burdens``, ``by_neighbours``).
    """
    flags = burdens.set_index("geoid").reindex(data.unit_ids)
    flagged = flags["flagged"].astype("boolean").fillna(False)
    colours = {g: FLAGGED_COLOUR if f else NOT_FLAGGED_COLOUR for g, f in flagged.items()}
    labels = {g: burden_label(flags.loc[g]) if f else "not flagged" for g, f in flagged.items()}
    legend = Legend(titled("CEJST-style overburdened tracts", "flagged"), (
        (f"low income and at least one burden at or above the "
         f"{ordinal(round(cejst.BURDEN_PERCENTILE * 100))} percentile", FLAGGED_COLOUR),
        ("not flagged", NOT_FLAGGED_COLOUR)))
    return choropleth_layer(data.units, colours, labels, "Overburdened tracts"), legend


def burden_label(row: pd.Series) -> str:
    """What flags a unit, in CEJST's words: its criteria, or the neighbours rule.

    Examples
    --------
    >>> burden_label(pd.Series({"burdens": "pm25, unemployment", "by_neighbours": False}))
    'PM2.5 exposure (and is low income); unemployment (and has low HS attainment)'
    >>> burden_label(pd.Series({"burdens": "", "by_neighbours": True}))
    'surrounded by overburdened tracts, and low income'
    """
    met = [b for b in str(row.get("burdens") or "").split(", ") if b in cejst.BY_INDICATOR]
    words = [f"{cejst.BY_INDICATOR[b].name} ({cejst.BY_INDICATOR[b].condition})" for b in met]
    if bool(row.get("by_neighbours")) and not words:
        return "surrounded by overburdened tracts, and low income"
    return "; ".join(words)
