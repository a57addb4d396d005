"""Maps and charts in words (step 11): each map's one-sentence summary (English and Spanish, hand
checked), colour-blind-safe palettes equal to the named ColorBrewer and Okabe-Ito lists, every
legend naming its scale, HOLC grades written as letters, every chart titled with a sentence under
it, and on the pages (AppTest) the map's sentence beside a link to its table's anchored heading."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from branca.utilities import color_brewer
from shapely.geometry import box
from streamlit_folium import _get_feature_group_string

from indicators.metrics.registry import get
from indicators.present import charts, map_layers, map_text, map_views, maps, progress_charts
from indicators.present.formatting import escape_markdown
from tests.test_certification_pages import app as app  # noqa: F401, PLC0414 (the fixture)
from tests.test_pages import app_env as app_env  # noqa: F401, PLC0414 (the fixture)
from tests.test_pages import assert_clean, open_page

NBSP = "\u00a0"
NAMES = {"a": "Tract 101", "b": "Tract 204", "c": "Tract 3", "d": "Tract 4"}


def tracts(ids: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"geoid": ids, "name": [NAMES[i] for i in ids]},
                            geometry=[box(n, 0, n + 1, 1) for n in range(len(ids))], crs="EPSG:4326")


def map_data(ids: list[str]) -> map_views.MapData:
    districts = gpd.GeoDataFrame({"district_id": ["w"], "name": ["Westside"]},
                                 geometry=[box(0, 0, len(ids), 1)], crs="EPSG:4326")
    holc = gpd.GeoDataFrame({"category": [], "label": []}, geometry=[], crs="EPSG:4326")
    return map_views.map_data(tracts(ids), districts, holc)


RENT = pd.DataFrame({"geo_id": ["a", "b", "c"], "value": [0.61, 0.18, 0.40],
                     "moe": [0.05, 0.03, np.nan], "reliability": ["high", "high", ""]})
CHANGES = pd.DataFrame({"geo_id": ["a", "b", "c"], "change": [0.08, -0.05, 0.01],
                        "significant": [True, True, False], "value_from": [0.30, 0.45, 0.20],
                        "value_to": [0.38, 0.40, 0.21]})


# --- the sentences, hand checked -----------------------------------------------------------------


def test_map_summary_says_which_way_darker_goes_and_the_extremes():
    rent = get("rent_burden")
    assert map_text.map_summary(rent, RENT, ["a", "b", "c", "d"], NAMES, "Westside", around=True) == (
        "The map shows rent burden in the 4 census tracts around Westside: darker is higher, which "
        "is worse; the highest is Tract 101 (61%), the lowest Tract 204 (18%); one has no data.")
    assert map_text.map_summary(rent, RENT, ["a", "b", "c", "d"], NAMES, "Westside", "es",
                                around=True) == (
        "El mapa muestra «Carga del alquiler» en los 4 sectores censales alrededor de Westside: más "
        f"oscuro es más alto, es decir, peor; el más alto es Tract 101 (61{NBSP}%) y el más bajo, "
        f"Tract 204 (18{NBSP}%); uno no tiene datos.")
    # Where higher is better, darker is lower; neutral shares are just higher.
    income = pd.DataFrame({"geo_id": ["a", "b"], "value": [52312.0, 18000.0]})
    assert map_text.map_summary(get("median_income"), income, ["a", "b"], NAMES, "Sample City",
                                "es") == (
        "El mapa muestra «Ingreso mediano de los hogares» en los 2 sectores censales de Sample City: "
        "más oscuro es más bajo, es decir, peor; el más alto es Tract 101 ($52.300) y el más bajo, "
        "Tract 204 ($18.000).")
    assert "darker is higher; the highest" in map_text.map_summary(
        get("poc_share"), RENT, ["a", "b", "c"], NAMES, "Sample City")


def test_map_summary_without_data():
    rent, none = get("rent_burden"), RENT.iloc[:0]
    assert map_text.map_summary(rent, none, ["a", "b"], NAMES, "Sample City") == (
        "The map shows rent burden in the 2 census tracts of Sample City, but none of them has a "
        "value.")
    assert map_text.map_summary(rent, none, ["a", "b"], NAMES, "Sample City", "es") == (
        "El mapa muestra «Carga del alquiler» en los 2 sectores censales de Sample City, pero "
        "ninguno tiene valor.")
    assert map_text.map_summary(rent, RENT.iloc[:1], ["a", "d"], NAMES, "Westside", around=True) == (
        "The map shows rent burden in the 2 census tracts around Westside: darker is higher, which "
        "is worse; only Tract 101 has a value (61%); one has no data.")


def test_change_summary_counts_real_changes_and_names_the_largest():
    poverty = get("poverty")
    ids = ["a", "b", "c", "d"]
    assert map_text.change_summary(poverty, CHANGES, ids, NAMES, "Sample City", "2014-2018") == (
        "The map shows the change in poverty since 2014-2018 in the 4 census tracts of Sample City: "
        "it rose beyond the margin of error in 1, fell in 1 and changed too little to tell in 1; "
        "the largest rise is in Tract 101 (30% to 38%), the largest fall in Tract 204 (45% to 40%); "
        "one has no data.")
    assert map_text.change_summary(poverty, CHANGES, ids, NAMES, "Sample City", "2014-2018", "es") == (
        "El mapa muestra el cambio en «Pobreza» desde 2014-2018 en los 4 sectores censales de Sample "
        "City: subió más allá del margen de error en 1, bajó en 1 y cambió demasiado poco para "
        f"saberlo en 1; la mayor subida fue en Tract 101 (de 30{NBSP}% a 38{NBSP}%) y la mayor "
        f"bajada, en Tract 204 (de 45{NBSP}% a 40{NBSP}%); uno no tiene datos.")
    quiet = CHANGES.iloc[2:]
    assert map_text.change_summary(poverty, quiet, ["c"], NAMES, "Westside", "2014-2018",
                                   around=True) == (
        "The map shows the change in poverty since 2014-2018 in the one census tract around "
        "Westside: it rose beyond the margin of error in 0, fell in 0 and changed too little to "
        "tell in 1.")
    assert map_text.change_summary(poverty, CHANGES.iloc[:0], ids, NAMES, "Sample City",
                                   "2014-2018", "es").endswith("pero ninguno está en ambos periodos.")


def test_staff_map_summaries_and_the_table_link():
    burdens = pd.DataFrame({"geoid": ["a", "b", "c"], "flagged": [True, False, True],
                            "burdens": ["pm25, unemployment", "", "unemployment"]})
    assert map_text.burden_summary(burdens, ["a", "b", "c"], "Westside", around=True) == (
        "The map shows which of the 3 census tracts around Westside are overburdened by the "
        "CEJST-style rule (dark red): 2 are, most often for unemployment (2 tracts).")
    assert map_text.burden_summary(burdens.assign(flagged=False), ["a"], "X").endswith(": none is.")
    assert map_text.table_link() == "[The map as a table](#map-table)"
    assert map_text.table_link("es") == "[El mapa como tabla](#map-table)"


# --- colour scales ------------------------------------------------------------------------------


def test_palettes_are_the_named_colour_blind_safe_lists():
    assert list(map_layers.BURDEN_COLOURS) == color_brewer("YlOrRd", 5)
    assert list(map_layers.NEUTRAL_COLOURS) == color_brewer("PuBu", 5)
    pu_or = color_brewer("PuOr", 5)[::-1]  # purple (falls) first
    assert list(map_layers.CHANGE_COLOURS) == pu_or[:2] + pu_or[3:]
    assert pu_or[2] == map_layers.NOT_REAL_COLOUR  # PuOr's pale middle: within the MOE
    # Okabe & Ito (2008), as Wong (Nature Methods, 2011) lists them.
    assert charts.OKABE_ITO == ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                                "#F0E442", "#000000")
    assert set(charts.LINE_COLOURS) <= set(charts.OKABE_ITO)
    assert charts.REGION not in charts.LINE_COLOURS and "#F0E442" not in charts.LINE_COLOURS
    assert set(progress_charts.STATUS_COLOURS.values()) - {"#999999"} <= set(charts.OKABE_ITO)


def test_every_legend_names_its_scale():
    data = map_data(["a", "b", "c"])
    _, rent = map_layers.indicator_layer(data, RENT, get("rent_burden"))
    assert rent.title == ("Rent burden, by census tract (darker = more burdened). Colours: "
                          "ColorBrewer YlOrRd, light yellow to dark red, colour-blind safe")
    _, share = map_layers.indicator_layer(data, RENT, get("poc_share"))
    assert share.title.endswith("Colours: ColorBrewer PuBu, pale to dark blue, colour-blind safe")
    _, moved = map_layers.change_layer(data, CHANGES, get("poverty"), "2014-2018")
    assert moved.title == ("Change in poverty since 2014-2018, by census tract. Colours: "
                           "ColorBrewer PuOr, purple through pale to orange, colour-blind safe")
    burdens = pd.DataFrame({"geoid": ["a"], "flagged": [True], "burdens": ["pm25"],
                            "by_neighbours": [False]})
    _, flagged = map_layers.burden_layer(data, burdens)
    assert "colour-blind safe" in flagged.title
    holc = map_layers.holc_legend()
    assert "not colour-blind safe" in holc.title and "grade letter is written on it" in holc.title
    assert [text for text, _ in holc.entries] == ['A: "Best"', 'B: "Still desirable"',
                                                  'C: "Declining"', 'D: "Hazardous"']


def test_the_resident_legend_and_labels_in_spanish():
    data = map_data(["a", "b", "c", "d"])
    group, legend = map_layers.indicator_layer(data, RENT, get("rent_burden"), "es")
    assert legend.title == ("Carga del alquiler, por sector censal (más oscuro = peor situación). "
                            "Colores: ColorBrewer YlOrRd, de amarillo claro a rojo oscuro, aptos "
                            "para personas daltónicas")
    # Three values, so tertiles: the first ends a third of the way from 18 % to 40 % (33 %).
    assert legend.entries[0][0] == f"18{NBSP}% a 33{NBSP}%" and legend.entries[-1][0] == "sin datos"
    features = group._children[next(iter(group._children))].data["features"]
    assert [f["properties"]["label"] for f in features] == [
        f"61{NBSP}% ± 5,0 puntos", f"18{NBSP}% ± 3,0 puntos", f"40{NBSP}%", "sin datos"]
    _, moved = map_layers.change_layer(data, CHANGES, get("poverty"), "2014-2018", "es")
    assert moved.title.startswith("Cambio en «Pobreza» desde 2014-2018, por sector censal. Colores: "
                                  "ColorBrewer PuOr")
    assert [text for text, _ in moved.entries][0].startswith("bajó más de ")
    assert moved.entries[0][0].endswith("(mejor)") and moved.entries[3][0].endswith("(peor)")
    assert moved.entries[-1][0] == "no está en ambos periodos"


def test_a_change_without_a_margin_of_error_is_not_called_real():
    """EJScreen and PLACES publish no margins of error: their changes keep their colours, but the
    tooltip and the legend say that whether they are real is unknown, as the cards do."""
    data = map_data(["a", "b", "c"])
    unknown = CHANGES.assign(significant=[None, None, None])
    group, legend = map_layers.change_layer(data, unknown, get("diesel_pm"), "2014-2018")
    features = group._children[next(iter(group._children))].data["features"]
    labels = [f["properties"]["label"] for f in features]
    assert all(label.endswith(": no margin of error is published, so whether it is real is unknown")
               for label in labels)
    assert ("full colour without a margin of error: whether the change is real is unknown"
            in [text for text, _ in legend.entries])
    _, known = map_layers.change_layer(data, CHANGES, get("poverty"), "2014-2018")
    assert not any("unknown" in text for text, _ in known.entries)


def test_holc_grades_are_written_as_letters_not_only_coloured():
    zones = gpd.GeoDataFrame({"category": ["A", "D", "<b>x</b>"], "label": ["A1", "D2", "x"],
                              "grade": ["Grade A", "Grade D", "Grade x"]},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
                             crs="EPSG:4326")
    group = map_layers.holc_layer(maps.light_geojson(zones, ["category", "label", "grade"]))
    script = _get_feature_group_string(group, maps.offline_map((0.0, 0.0, 3.0, 1.0)))
    assert "\\u003eA\\u003c/div" in script and "\\u003eD\\u003c/div" in script
    letters = [c for c in group._children.values() if isinstance(c, folium.Marker)]
    assert len(letters) == 2  # only the four grades' letters are ever written, never file text
    assert all(not m.options.get("interactive", True) for m in letters)  # clicks reach the tracts


# --- charts: titled, and said in a sentence -----------------------------------------------------


def test_every_chart_has_a_title_and_a_sentence():
    rent = get("rent_burden")
    bars = pd.DataFrame({"name": ["Westside", "Eastside", "Downtown"], "value": [0.51, 0.22, 0.4],
                         "moe": [0.03, 0.02, 0.04]})
    figures = {
        "bars": charts.bars_with_moe(bars, rent, 0.35, "Sample City"),
        "scatter": charts.scatter(bars.assign(x=[0.1, 0.2, 0.3], y=[1.0, 2.0, 3.0]),
                                  get("poverty"), get("asthma"), ["Westside"]),
        "disparity": charts.disparity_bars(pd.DataFrame({"label": ["Poverty"], "ratio": [2.0],
                                                         "direction": ["higher_worse"]})),
        "race": charts.race_gap_bars(pd.DataFrame({"name": ["W"], "white": [0.7], "white_moe": [0.1],
                                                   "black": [0.4], "black_moe": [0.1]}),
                                     "Homeownership rate", money=False),
        "trend": charts.trend_chart(pd.DataFrame({"name": ["W", "W"], "period": ["p1", "p2"],
                                                  "value": [0.3, 0.4], "moe": [0.1, 0.1]}),
                                    rent, ("p1", "p2"), "City"),
        "funnel": progress_charts.stage_funnel(["Formation"], [3], ["#440154"]),
        "timeline": progress_charts.project_timeline(pd.DataFrame(
            {"on": [date(2024, 1, 1)], "kind": ["submitted"], "stage": ["formation"],
             "what": ["x"]}), "2025-01-01"),
    }
    for kind, fig in figures.items():
        assert fig.layout.title.text, f"{kind} has no title"
    assert figures["bars"].layout.title.text == "Rent burden, by district"
    assert charts.bars_summary(bars, rent, 0.35, "Sample City") == (
        "Westside has the highest rent burden, 51%; Eastside the lowest, 22%; Sample City as a "
        "whole: 35%.")
    assert charts.race_gap_summary(pd.DataFrame({"name": ["W", "E"], "white": [52000.0, 40000.0],
                                                 "black": [31000.0, 41000.0]}),
                                   "Median household income", money=True) == (
        "White householders' median household income is higher than Black householders' in 1 of "
        "the 2 places shown; the widest gap is in W ($52,000 against $31,000).")
    assert charts.scatter_summary(bars.assign(x=[0.1, 0.2, 0.3], y=[3.0, 1.0, 2.0]), get("poverty"),
                                  get("asthma")) == ("Across the 3 districts, those with more "
                                                     "poverty clearly tend to have less asthma "
                                                     "(correlation -0.50).")
    assert progress_charts.funnel_summary(["Formation", "Roadmap"], [1, 0]) == (
        "Of the projects, 1 has reached Formation and 0 Roadmap.")


# --- on the pages -------------------------------------------------------------------------------


def captions(at) -> str:  # noqa: ANN001 (an AppTest)
    return "\n".join(str(c.value) for c in at.caption)


def anchors(at) -> list[str]:  # noqa: ANN001
    return [h.proto.anchor for h in [*at.subheader, *at.header, *at.title] if h.proto.anchor]


def test_equity_map_has_its_sentence_and_a_link_to_its_table(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("equity")
    assert_clean(at)
    text = captions(at)
    assert escape_markdown("The map shows which of the ") in text
    assert escape_markdown("census tracts of Sample City are overburdened by the CEJST-style "
                           "rule (dark red): ") in text
    assert "[The map as a table](#map-table)" in text
    assert map_text.MAP_TABLE_ANCHOR in anchors(at)
    heading = next(h for h in at.subheader if h.proto.anchor == map_text.MAP_TABLE_ANCHOR)
    assert heading.value.startswith("The ") and heading.value.endswith("overburdened tracts as a table")
    legends = html.unescape("\n".join(str(m.value) for m in at.markdown))
    assert "CEJST-style overburdened tracts. Colours: dark red and pale cream" in legends
    # The charts' sentences.
    assert escape_markdown("Majority people-of-colour areas are worse off on ") in text
    assert escape_markdown("White householders' homeownership rate is higher than Black "
                           "householders' in ") in text


def test_compare_charts_are_titled_and_said_in_sentences(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("compare", {"districts": ["Westside", "Eastport"]})
    assert_clean(at)
    text = captions(at)
    assert escape_markdown(" has the highest rent burden, ") in text
    assert escape_markdown("Across the ") in text and "tend to have" in text
    assert escape_markdown("From 2014-2018 to 2019-2023, rent burden in Sample City went from ") in text
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(titles) == 4 and all('"title":{"text":' in s for s in titles)


def test_portfolio_and_project_maps_have_their_sentence_and_table(app):
    at = app("portfolio")
    assert_clean(at)
    text = captions(at)
    assert escape_markdown("The map shows ") in text and escape_markdown(
        "projects in ") in text and "[The map as a table](#map-table)" in text
    assert map_text.MAP_TABLE_ANCHOR in anchors(at)
    assert escape_markdown("Of the projects, ") in text
    legends = html.unescape("\n".join(str(m.value) for m in at.markdown))
    assert "Colours: viridis, light green to dark purple along the path, colour-blind safe" in legends
    project = app("project", {"project": "Downtown Renewal Alliance"})
    assert_clean(project)
    text = captions(project)
    assert escape_markdown("The map shows the project's own boundary, Downtown Renewal corridor "
                           "blocks, outlined in dark green") in text
    assert "[The map as a table](#map-table)" in text
    assert map_text.MAP_TABLE_ANCHOR in anchors(project)
    assert escape_markdown(" dated events from ") in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sentence_is_safe_markdown(lang: str):
    hostile = {"a": "[x](javascript:alert(1)) $5 $6", "b": "Tract 204"}
    sentence = map_text.map_summary(get("median_rent"), RENT.assign(value=[900.0, 1200.0, np.nan]),
                                    ["a", "b"], hostile, "<b>Oak</b>", lang)
    shown = escape_markdown(sentence)
    assert "](" not in shown.replace("\\](", "") and "$" not in shown.replace("\\$", "")


def test_the_resident_map_caption_is_one_markdown_line_with_its_link():
    caption = map_text.map_caption(get("poverty"), ["a", "b", "c", "d"], NAMES, "Sample City", "es",
                                   changes=CHANGES, period_from="2014-2018")
    assert caption == escape_markdown(map_text.change_summary(
        get("poverty"), CHANGES, ["a", "b", "c", "d"], NAMES, "Sample City", "2014-2018", "es")) + \
        " [El mapa como tabla](#map-table)"
    level = map_text.map_caption(get("rent_burden"), ["a", "b", "c"], NAMES, "Westside", around=True,
                                 unit_values=RENT)
    assert level.startswith("The map shows rent burden in the 3 census tracts around Westside\\:")
    assert level.endswith(" [The map as a table](#map-table)")
