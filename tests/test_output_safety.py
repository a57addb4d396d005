"""Output safety: every name, note, source and piece of evidence a user can supply is inert
wherever the dashboard outputs it, and still reads the same to a person.

Each hostile text below (and one made of Markdown) goes through every formatter, map layer,
chart, table and CSV writer of ``indicators.present``: HTML outputs (folium scripts, plotly
figures, the printable profile) carry no live tag, only escaped text that decodes back to the
name; Markdown carries the name with every special character escaped; tables keep the text
as it is (Streamlit's grid draws text, never HTML) and offer only http(s) links; CSV cells
cannot start a spreadsheet formula.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from streamlit_folium import _get_feature_group_string

from indicators.metrics.registry import get
from indicators.present import (
    areas,
    charts,
    map_layers,
    maps,
    methodology,
    places,
    portfolio,
    profile,
    progress_charts,
    project,
    tables,
)
from indicators.present.formatting import escape_markdown

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
SQL = "'); DROP TABLE units; --"
LONG = ("Oak & Elm " * 1000)[:10_000 - len(IMG)] + IMG  # 10,000 characters ending in a tag
#: What Markdown and Streamlit act on: emphasis, a link, an entity, a colour, maths, autolinks.
MARKUP = "*Oak* [win](https://e.example) AT&amp;T :red[x] $5$ www.x.org a@b.org"
HOSTILE = [IMG, SCRIPT, FORMULA, SQL, LONG, MARKUP]
IDS = ["img", "script", "formula", "sql", "long", "markup"]
#: What would be live in HTML: a tag opening, or a script's end.
LIVE = re.compile(r"<\s*(img|script|/script|svg|iframe)", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

hostile = pytest.mark.parametrize("name", HOSTILE, ids=IDS)


def test_the_hostile_names_are_what_the_brief_names():
    assert len(LONG) == 10_000 and all(LIVE.search(n) for n in (IMG, SCRIPT))


# --- helpers ------------------------------------------------------------------------------------


def strings(value: object) -> Iterator[str]:
    """Every string inside a nested structure of dicts, lists and arrays (a plotly figure)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple | np.ndarray):
        for item in value:
            yield from strings(item)


def figure_strings(fig: object) -> list[str]:
    return list(strings(fig.to_plotly_json()))  # type: ignore[attr-defined]


def assert_inert_figure(fig: object, name: str) -> None:
    """No live tag anywhere in the figure, and the name shows (plotly decodes the entities)."""
    texts = figure_strings(fig)
    assert not [t for t in texts if LIVE.search(t)]
    assert any(name in html.unescape(t) for t in texts), "the name is not shown"
    assert not [t for t in texts if "%{" in t and name[:12] in html.unescape(t)], \
        "a name inside a hover template would be filled in by plotly"


def markdown_visible(text: str) -> str:
    """What Markdown shows for backslash-escaped text."""
    return re.sub(r"\\(.)", r"\1", text)


def assert_escaped_markdown(out: str, name: str) -> None:
    assert escape_markdown(name) in out
    assert markdown_visible(escape_markdown(name)) == name
    if any(c in name for c in "<[*`"):
        assert name not in out, "the name reached Markdown unescaped"


def csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_inert_csv(text: str, name: str) -> None:
    """No cell but a number starts like a formula, and the name reads back (less the
    apostrophe)."""
    cells = [c for row in csv_cells(text) for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_START) and not is_number(c)]
    assert ("'" + name if name.startswith(FORMULA_START) else name) in cells


class Tags(HTMLParser):
    """The start tags of an HTML page and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(group: object) -> str:
    """A layer's script as streamlit-folium sends it to the browser."""
    return _get_feature_group_string(group, maps.offline_map((-84.4, 33.75, -84.38, 33.76)))


def feature_properties(group: object) -> list[dict[str, object]]:
    layer = group._children[next(iter(group._children))]  # type: ignore[attr-defined]
    return [f["properties"] for f in layer.data["features"]]


def assert_inert_script(script: str, name: str) -> None:
    """No live tag, no template-literal substitution of ours, and not the raw name."""
    assert not LIVE.search(script), LIVE.search(script)
    assert "${alert" not in script
    if "<" in name:
        assert name not in script


# --- maps ---------------------------------------------------------------------------------------


def squares(name: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"geoid": ["a", "b"], "district_id": ["d1", "d2"], "name": ["Tract 1", name],
         "category": ["A", "D"], "label": ["A1", name], "grade": ["Grade A", "Grade D"]},
        geometry=[box(-84.4, 33.75, -84.39, 33.76), box(-84.39, 33.75, -84.38, 33.76)], crs="EPSG:4326")


@hostile
def test_map_layers_carry_names_only_as_escaped_text(name: str):
    frame = squares(name)
    units = maps.light_geojson(frame, ["geoid", "name"])
    layers = {
        "choropleth": map_layers.choropleth_layer(units, {}, {"b": name}, "x"),
        "districts": map_layers.districts_layer(maps.light_geojson(frame, ["district_id", "name"]), "d2"),
        "holc": map_layers.holc_layer(maps.light_geojson(frame, ["category", "label", "grade"])),
        "area": map_layers.area_layer(frame.iloc[[1]], name),
        "boundaries": map_layers.boundaries_layer(frame[["name", "geometry"]]),
    }
    for kind, group in layers.items():
        assert_inert_script(rendered(group), name)
        shown = [html.unescape(str(v)) for p in feature_properties(group) for v in p.values()]
        assert name in shown, f"{kind}: the tooltip would not read {name[:20]!r}"


@hostile
def test_project_markers_tooltips_are_inert(name: str):
    points = pd.DataFrame({"lat": [33.75], "lon": [-84.39], "name": [name + "`${alert(1)}`"],
                           "stage_title": [name], "colour": ["#1f9e89"], "behind": [True]})
    group = map_layers.project_markers(points)
    assert_inert_script(rendered(group), name)
    tooltip = next(c for c in next(iter(group._children.values()))._children.values())
    assert html.unescape(tooltip.text) == f"{name}`${{alert(1)}}`: {name} (behind schedule)"


# --- charts -------------------------------------------------------------------------------------


@hostile
def test_bars_ranking_and_scatter_show_names_literally(name: str):
    rent = get("rent_burden")
    frame = pd.DataFrame({"name": ["West", name], "value": [0.41, 0.30], "moe": [0.03, np.nan]})
    bars = charts.bars_with_moe(frame, rent, 0.35, name, highlight=[name])
    assert_inert_figure(bars, name)
    assert bars.data[0].marker.color[0] == charts.HIGHLIGHT  # the hostile one is still highlighted
    points = pd.DataFrame({"name": ["West", name], "x": [0.2, 0.3], "y": [10.0, 12.0]})
    assert_inert_figure(charts.scatter(points, get("poverty"), get("asthma"), [name]), name)
    gaps = pd.DataFrame({"name": [name], "white": [0.7], "white_moe": [0.05], "black": [0.4],
                         "black_moe": [0.06]})
    assert_inert_figure(charts.race_gap_bars(gaps, name, money=False), name)
    ratios = pd.DataFrame({"label": [name], "ratio": [2.0], "direction": ["higher_worse"]})
    assert_inert_figure(charts.disparity_bars(ratios), name)


@hostile
def test_trend_lines_name_the_place_outside_the_hover_template(name: str):
    rent = get("rent_burden")
    frame = pd.DataFrame({"name": [name, name, "Region"], "period": ["2014-2018", "2019-2023", "2019-2023"],
                          "value": [0.4, 0.45, 0.3], "moe": [0.02, 0.02, 0.01]})
    fig = charts.trend_chart(frame, rent, ("2014-2018", "2019-2023"), "Region")
    assert_inert_figure(fig, name)
    assert fig.data[0].hovertemplate == "%{fullData.name}, %{x}: %{text}<extra></extra>"


def test_a_name_that_looks_like_a_template_is_not_filled_in():
    frame = pd.DataFrame({"name": ["%{x} %{y}"], "period": ["2019-2023"], "value": [0.4], "moe": [0.02]})
    fig = charts.trend_chart(frame, get("rent_burden"), ("2019-2023",), "Region")
    assert "%{x} %{y}" not in fig.data[0].hovertemplate and fig.data[0].name == "%{x} %{y}"


@hostile
def test_progress_charts_escape_records_text(name: str):
    assert_inert_figure(progress_charts.stage_funnel([name, "Formation"], [3, 1], ["#aaa", "#bbb"]), name)
    target = pd.Series({"baseline": 40.0, "baseline_year": 2020, "target": 30.0, "target_year": 2030,
                        "unit": name, "indicator": name, "status": "on track"})
    obs = pd.DataFrame({"observed_on": [date(2024, 6, 1)], "value": [36.0]})
    tracker = progress_charts.target_tracker(target, obs)
    assert_inert_figure(tracker, name)
    assert html.unescape(tracker.layout.title.text) == f"{name}: on track"
    timeline = pd.DataFrame({"kind": ["submitted", "review"], "on": [date(2024, 1, 1), date(2024, 2, 1)],
                             "stage": ["formation", "formation"], "what": [name, f"Review: {name}"]})
    assert_inert_figure(progress_charts.project_timeline(timeline, "2024-03-01"), name)


# --- the printable profile ----------------------------------------------------------------------


def rows_with_source(source: str) -> list[profile.ProfileRow]:
    return [profile.ProfileRow("rent_burden", 0.41, 0.03, "high", 0.35, source, 0.01),
            profile.ProfileRow("poverty", 0.2, 0.02, "medium", 0.18, source, 0.01)]


@hostile
def test_printable_profile_has_no_live_tag_and_reads_the_names(name: str):
    page = profile.profile_html(name, name, rows_with_source(name), [name], name, sample=True)
    parser = Tags()
    parser.feed(page)
    assert set(parser.tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p",
                                "span", "table", "tr", "td", "br", "footer"}, set(parser.tags)
    text = "".join(parser.text)
    assert text.count(name) >= 4  # title, heading, region, source
    assert not LIVE.search(page)


@hostile
def test_profile_csv_and_file_name_are_inert(name: str):
    text = profile.profile_csv(name, rows_with_source(name))
    assert_inert_csv(text, name)
    stem = profile.file_stem(name)
    assert re.fullmatch(r"[a-z0-9-]{1,60}", stem) or stem == "district"


# --- Markdown -----------------------------------------------------------------------------------


@hostile
def test_markdown_formatters_escape_names(name: str):
    behind = pd.DataFrame({"name": [name], "district": [name], "overdue": [True], "lapsed": [False],
                           "overdue_stages": [name], "days_left": [-3], "next_deadline": [date(2025, 1, 1)]})
    line = portfolio.behind(behind)[0]
    assert line.startswith("- **") and line.count(escape_markdown(name)) == 3
    assert_escaped_markdown(line, name)

    districts = pd.DataFrame({"district_id": ["d"], "name": [name]})
    units = pd.DataFrame({"geoid": ["99001010100"], "name": [name]})
    crosswalk = pd.DataFrame({"geoid": ["99001010100"], "district_id": ["d"], "weight": [1.0]})
    for typed in (name, "99001010100", "no such place " + name):
        _, message = places.find_district(typed, districts, units, crosswalk)
        assert_escaped_markdown(message, name)

    summary = pd.Series({"units": 1, "whole_units": 0, "population": 900.0,
                         "partial_population_share": 1.0, "outside_share": 0.5, "area_km2": 1.0})
    assert_escaped_markdown(areas.method_note(summary, name), name)

    target = pd.Series({"baseline": 40.0, "baseline_year": 2020, "target": 30.0, "target_year": 2030,
                        "direction": name, "indicator_id": None})
    assert_escaped_markdown(project.target_caption(target, pd.DataFrame(), pd.DataFrame()), name)


@hostile
def test_methodology_escapes_the_manifest_text(name: str):
    availability = pd.DataFrame({"available": [True], "layer_id": [1], "method": ["tract sums"],
                                 "detail": [""]}, index=["rent_burden"])
    layers = pd.DataFrame({"layer_id": [1], "title": [name], "vintage": [name], "publisher": [name],
                           "licence": [name]})
    text = methodology.indicator_text(get("rent_burden"), name, availability, layers)
    assert text.count(escape_markdown(name)) == 5
    assert_escaped_markdown(text, name)


def test_profile_card_sentences_take_escaped_names():
    """The cards (ui/cards.py) pass names through escape_markdown; the sentences keep them so."""
    row = rows_with_source(SCRIPT)[0]
    place = escape_markdown(IMG)
    assert_escaped_markdown(row.headline(place), IMG)
    assert_escaped_markdown(row.against_region(place, place), IMG)
    assert_escaped_markdown(escape_markdown(row.caption), SCRIPT)


# --- tables and CSV -----------------------------------------------------------------------------


@hostile
def test_tables_keep_names_as_text(name: str):
    """Streamlit's grid draws text, never HTML: tables keep names exactly (no double escaping)."""
    rent = get("rent_burden")
    values = pd.DataFrame({"geo_id": ["w", "e"], "indicator_id": ["rent_burden"] * 2, "value": [0.4, 0.3],
                           "moe": [0.03, 0.02], "reliability": ["high", "high"], "cv": np.nan,
                           "percentile": [1.0, 0.0], "layer_id": 1})
    region = values.iloc[[0]].assign(geo_id="region")
    names = {"w": name, "e": "East"}
    long = tables.comparison_long(values, region, names, ["w", "e"], [rent])
    assert name in set(long["district"])
    assert name in tables.comparison_wide(long, "Region", [name, "East"]).columns
    assert tables.ranking(values, names, rent)["name"].tolist() == [name, "East"]
    shown = tables.unit_table(values, pd.Series(names), rent, ["w", "e"])
    assert shown["Tract"].tolist() == [name, "East"]


def test_links_in_tables_are_only_web_addresses():
    assert project.web_link("https://example.org/a.pdf?x=1") == "https://example.org/a.pdf?x=1"
    assert project.web_link(" HTTP://example.org ") == "HTTP://example.org"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:x",
                "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd",
                "//evil.example", "https:", "evidence.pdf", IMG, "", None, np.nan):
        assert project.web_link(bad) is None, bad


@hostile
def test_csv_text_neutralises_every_text_cell(name: str):
    frame = pd.DataFrame({
        "name": [name, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "Oak"],
        "value": [-0.5, 1.0, -2.0, np.nan, 0.0, 3.0, 4.0],
        "when": pd.to_datetime(["2024-01-01"] * 7),
    })
    frame[name[:50]] = "x"  # a column named by a user
    text = tables.csv_text(frame)
    assert_inert_csv(text, name)
    parsed = pd.read_csv(io.StringIO(text))
    assert parsed["value"].tolist()[:3] == [-0.5, 1.0, -2.0]  # numbers stay numbers
    assert parsed["name"].tolist()[1:] == ["'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1:A9)", "'\t=1",
                                           "'\r=1", "Oak"]


@hostile
def test_page_exports_go_through_csv_text(name: str):
    """The frames the pages export (portfolio, comparison) come out inert."""
    frame = pd.DataFrame({
        "name": [name], "district": [name], "stage_title": [name], "progress_pct": [40.0],
        "status": ["overdue"], "next_deadline": [date(2025, 1, 1)], "next_deadline_for": [name],
        "days_left": [-3], "share_on_track": [0.5]})
    assert_inert_csv(tables.csv_text(portfolio.table(frame, date(2026, 11, 1))), name)


def test_markdown_escaping_leaves_nothing_for_markdown_or_streamlit_to_act_on():
    out = escape_markdown(MARKUP + " & Co")
    for inert in ("\\*Oak\\*", "\\[win\\]\\(https\\://e\\.example\\)", "AT\\&amp;T", "\\:red\\[x\\]",
                  "\\$5\\$", "www\\.x\\.org", "a\\@b\\.org", " & Co"):
        assert inert in out, inert
