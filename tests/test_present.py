"""What the pages draw, built without Streamlit: maps (GeoJSON properties, colour classes,
escaping, the fitted view), charts (traces, error bars), tables, the printable profile and the
portfolio views, on tiny hand-made inputs whose expected output is worked out in the test."""

from __future__ import annotations

import json
import math
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from streamlit_folium import _get_feature_group_string

from indicators.metrics.registry import get
from indicators.present import (
    charts,
    map_layers,
    map_views,
    maps,
    portfolio,
    profile,
    progress_charts,
    project,
    tables,
)

HOSTILE = "<img src=x onerror=alert(1)>"


def values_frame(rows: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    """``indicator_values`` rows: (geo_id, indicator_id, value, moe, reliability)."""
    frame = pd.DataFrame(rows, columns=["geo_id", "indicator_id", "value", "moe", "reliability"])
    return frame.assign(cv=np.nan, percentile=np.nan, layer_id=pd.array([1] * len(frame), "Int64"))


# --- maps ---------------------------------------------------------------------------------------


def squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"geoid": ["a", "b"], "name": ["Tract 1", HOSTILE], "extra": [1, 2],
         "share": [0.123456789, float("nan")]},
        geometry=[box(-84.4, 33.75, -84.39, 33.76), box(-84.39, 33.75, -84.38, 33.76)], crs="EPSG:4326")


def test_light_geojson_keeps_only_named_properties_rounded_and_escaped():
    out = maps.light_geojson(squares(), ["geoid", "name", "share"])
    first, second = out["features"]
    assert first["properties"] == {"geoid": "a", "name": "Tract 1", "share": 0.123456789}
    # Text is escaped for the tooltip's HTML; a missing number becomes null, not NaN.
    assert second["properties"] == {"geoid": "b", "name": "&lt;img src=x onerror=alert(1)&gt;",
                                    "share": None}
    coords = [c for ring in first["geometry"]["coordinates"] for c in ring]
    assert all(round(x, 5) == x and round(y, 5) == y for x, y in coords)
    assert json.dumps(out, allow_nan=False)  # valid JSON for the browser


def test_quantile_classes_and_their_legend():
    values = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, np.nan], index=list("abcdefghijk"))
    colours, legend = map_layers.classify(values, "higher_worse", lambda v: f"{v:g}")
    # Quintiles of 1..10 (linear interpolation): 2.8, 4.6, 6.4, 8.2, 10 -> two values a class.
    palette = map_layers.BURDEN_COLOURS
    assert colours.tolist() == [palette[0]] * 2 + [palette[1]] * 2 + [palette[2]] * 2 + \
        [palette[3]] * 2 + [palette[4]] * 2 + [map_layers.NO_DATA_COLOUR]
    assert [text for text, _ in legend.entries] == ["1 to 2.8", "2.8 to 4.6", "4.6 to 6.4",
                                                    "6.4 to 8.2", "8.2 to 10", "no data"]
    # Where higher is better, low values are the dark (burdened) ones.
    better, _ = map_layers.classify(values, "higher_better", lambda v: f"{v:g}")
    assert better["a"] == palette[4] and better["j"] == palette[0]
    neutral, _ = map_layers.classify(values, "neutral", lambda v: f"{v:g}")
    assert neutral["j"] == map_layers.NEUTRAL_COLOURS[4]


def test_classes_shrink_with_few_distinct_values():
    colours, legend = map_layers.classify(pd.Series([5.0, 5.0, 7.0]), "higher_worse", str)
    assert len(legend.entries) == 2 and colours.nunique() == 2


def rendered(group, fmap=None) -> str:  # noqa: ANN001
    """The layer's script as streamlit-folium sends it to the browser."""
    return _get_feature_group_string(group, fmap or maps.offline_map((-84.4, 33.75, -84.38, 33.76)))


def test_choropleth_labels_and_names_are_escaped_in_the_script():
    data = maps.light_geojson(squares(), ["geoid", "name"])
    group = map_layers.choropleth_layer(data, {"a": "#123456"}, {"a": "41% ± 3", "b": HOSTILE}, "x")
    script = rendered(group)
    # The escaped text (its "&" itself JSON-escaped as \u0026) is all that reaches the page.
    assert HOSTILE not in script and "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in script
    features = group._children[next(iter(group._children))].data["features"]
    assert [f["properties"]["fill"] for f in features] == ["#123456", map_layers.NO_DATA_COLOUR]
    assert features[0]["properties"]["label"] == "41% ± 3"


def test_project_tooltips_cannot_run_script():
    projects = pd.DataFrame({"lat": [33.75], "lon": [-84.39], "name": ["`${alert(1)}`" + HOSTILE],
                             "stage_title": ["Formation"], "colour": ["#1f9e89"], "behind": [True]})
    script = rendered(map_layers.project_markers(projects))
    assert "${alert" not in script and "<img" not in script
    assert '"color": "#d62728"' in script  # behind schedule: the red ring


def test_the_chosen_district_is_outlined_and_fitted():
    data = maps.light_geojson(gpd.GeoDataFrame(
        {"district_id": ["west", "east"], "name": ["West", "East"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326"), ["district_id", "name"])
    group = map_layers.districts_layer(data, "east", fit_to=maps.view_bounds((1.0, 0.0, 2.0, 1.0), 0.1))
    script = rendered(group)
    # Leaflet takes [[south, west], [north, east]]: the district grown by 10 % on each side.
    assert '})(map_div, [[-0.1, 0.9], [1.1, 2.1]], {"padding": [8, 8]});' in script
    assert "map.fitBounds(bounds, options)" in script and "new ResizeObserver(" in script
    layer = group._children[next(iter(group._children))]
    styles = {f["properties"]["district_id"]: layer.style_function(f) for f in data["features"]}
    assert styles["east"]["color"] == map_layers.SELECTED_COLOUR and styles["east"]["weight"] == 4.5
    assert styles["west"]["dashArray"] == "4 3"


def test_offline_map_loads_leaflet_from_the_app_and_no_tiles():
    html = maps.offline_map((-84.4, 33.75, -84.38, 33.76)).get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "cdn" not in html.lower() and "tile.openstreetmap" not in html


def test_burden_map_legend_names_the_threshold():
    data = map_views.map_data(squares()[["geoid", "name", "geometry"]],
                         gpd.GeoDataFrame({"district_id": ["d"], "name": ["D"]},
                                          geometry=[box(-84.4, 33.75, -84.38, 33.76)], crs="EPSG:4326"),
                         gpd.GeoDataFrame({"category": [], "label": []}, geometry=[], crs="EPSG:4326"))
    burdens = pd.DataFrame({"geoid": ["a", "b"], "flagged": [True, False], "burdens": ["pm25", ""],
                            "by_neighbours": [False, False]})
    group, legend = map_layers.burden_layer(data, burdens)
    assert legend.entries[0][0] == "low income and at least one burden at or above the 90th percentile"
    features = group._children[next(iter(group._children))].data["features"]
    assert [f["properties"]["label"] for f in features] == ["PM2.5 exposure (and is low income)",
                                                            "not flagged"]
    assert data.holc is None and data.unit_ids == ["a", "b"]


# --- charts -------------------------------------------------------------------------------------


def test_bars_carry_margins_of_error_in_percent():
    rent = get("rent_burden")
    frame = pd.DataFrame({"name": ["West", "East"], "value": [0.41, 0.30], "moe": [0.03, np.nan]})
    fig = charts.bars_with_moe(frame, rent, 0.35, "Toy City", highlight=["West"])
    (bar,) = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == ["East", "West"]  # sorted by value, largest at the top
    assert list(bar.x) == pytest.approx([30.0, 41.0])
    assert list(bar.error_x.array) == pytest.approx([0.0, 3.0]) and bar.error_x.visible
    assert list(bar.marker.color) == [charts.MUTED, charts.HIGHLIGHT]
    assert list(bar.text) == ["30%", "41%"]
    (line,) = fig.layout.shapes
    assert line.x0 == pytest.approx(35.0)
    assert fig.layout.annotations[0].text == "Toy City: 35%"


def test_disparity_bars_leave_out_what_a_ratio_scale_cannot_draw():
    frame = pd.DataFrame({"label": ["Poverty", "Homeownership", "Heat"], "ratio": [2.0, 0.5, -1.0],
                          "direction": ["higher_worse", "higher_better", "higher_worse"]})
    (bar,) = charts.disparity_bars(frame).data
    assert list(bar.y) == ["Homeownership", "Poverty"]
    # Both are worse for people-of-colour areas (orange): less homeownership, more poverty.
    assert list(bar.marker.color) == [charts.OKABE_ITO[5]] * 2
    assert list(bar.text) == ["0.50x", "2.00x"]


def test_race_gap_bars_one_trace_per_group_with_error_bars():
    frame = pd.DataFrame({"name": ["West"], "white": [0.7], "white_moe": [0.05], "black": [0.4],
                          "black_moe": [np.nan]})
    fig = charts.race_gap_bars(frame, "Homeownership rate", money=False)
    assert [t.name for t in fig.data] == ["White householders", "Black householders"]
    assert list(fig.data[0].x) == pytest.approx([70.0]) and list(fig.data[0].error_x.array) == [5.0]
    assert not fig.data[1].error_x.visible


def test_scatter_highlights_the_chosen_districts():
    points = pd.DataFrame({"name": ["West", "East"], "x": [0.2, 0.3], "y": [10.0, 12.0]})
    fig = charts.scatter(points, get("poverty"), get("asthma"), ["East"])
    muted, chosen = fig.data
    assert list(muted.text) == ["West"] and list(chosen.text) == ["East"]
    assert list(chosen.x) == pytest.approx([30.0]) and list(chosen.y) == [12.0]


def test_progress_charts():
    funnel = progress_charts.stage_funnel(["Registration", "Formation"], [5, 2], ["#aaa", "#bbb"])
    assert list(funnel.data[0].x) == [5, 2] and list(funnel.data[0].marker.color) == ["#aaa", "#bbb"]
    target = pd.Series({"baseline": 40.0, "baseline_year": 2020, "target": 30.0, "target_year": 2030,
                        "unit": "%", "indicator": "Rent burden", "status": "on track"})
    obs = pd.DataFrame({"observed_on": [date(2024, 6, 1)], "value": [36.0]})
    fig = progress_charts.target_tracker(target, obs)
    plan, observed = fig.data
    assert list(plan.y) == [40.0, 30.0] and list(observed.y) == [36.0]
    assert fig.layout.title.text == "Rent burden: on track"


# --- tables -------------------------------------------------------------------------------------


def test_comparison_tables_and_ranking():
    rent, poverty = get("rent_burden"), get("poverty")
    district = values_frame([("w", "rent_burden", 0.41, 0.032, "high"),
                             ("e", "rent_burden", 0.30, 0.09, "medium"),
                             ("w", "poverty", 0.20, 0.01, "high")])
    district["percentile"] = [1.0, 0.0, 0.0]
    region = values_frame([("region", "rent_burden", 0.35, 0.01, "high"),
                           ("region", "poverty", 0.18, 0.01, "high")])
    names = {"w": "West", "e": "East"}
    long = tables.comparison_long(district, region, names, ["w", "e"], [rent, poverty])
    assert long[["district", "indicator_id", "region_value"]].values.tolist() == [
        ["East", "rent_burden", 0.35], ["West", "rent_burden", 0.35], ["West", "poverty", 0.18]]
    wide = tables.comparison_wide(long, "Toy City", ["West", "East"])
    assert wide.to_dict("records") == [
        {"Indicator": "Rent burden", "West": "41% ± 3.2 points",
         "East": "30% ± 9.0 points (use with care)", "Toy City": "35%"},
        {"Indicator": "Poverty", "West": "20% ± 1.0 points", "East": "not available",
         "Toy City": "18%"}]
    ranked = tables.ranking(district, names, rent)
    assert ranked[["rank", "name", "shown", "± MOE"]].values.tolist() == [
        [1, "West", "41%", "± 3.2 points"], [2, "East", "30%", "± 9.0 points"]]


def test_scatter_points_need_both_indicators():
    district = values_frame([("w", "poverty", 0.2, 0.0, ""), ("w", "asthma", 10.0, 0.0, ""),
                             ("e", "poverty", 0.3, 0.0, ""), ("e", "asthma", 12.0, 0.0, "")])
    points = tables.scatter_points(district, {"w": "West", "e": "East"}, get("poverty"), get("asthma"))
    assert points.sort_values("name")[["name", "x", "y"]].values.tolist() == [
        ["East", 0.3, 12.0], ["West", 0.2, 10.0]]
    assert tables.scatter_points(district, {}, get("poverty"), get("pm25")).empty


def test_unit_table_shows_what_the_map_draws():
    units = values_frame([("a", "poverty", 0.25, 0.05, "low"), ("b", "poverty", np.nan, np.nan, "")])
    table = tables.unit_table(units, pd.Series({"a": "Tract 1", "b": "Tract 2"}), get("poverty"),
                              ["b", "a", "c"])
    assert table.to_dict("records") == [{"Tract": "Tract 1", "GEOID": "a", "Poverty": "25%",
                                         "±": "± 5.0 points",
                                         "Reliability": "unreliable: a rough guide only"}]


def test_segregation_and_disparity_views():
    seg = pd.DataFrame({"geo_kind": ["district", "region"], "geo_id": ["w", "region"],
                        "index": ["Dissimilarity"] * 2, "groups": ["Black / White"] * 2,
                        "value": [0.41234, 0.5926]})
    wide = tables.segregation_wide(seg, {"w": "West"}, "Toy City")
    assert wide.index.tolist() == ["Toy City", "West"]
    assert wide["Dissimilarity · Black / White"].tolist() == [0.593, 0.412]
    disparities = tables.disparity_frame(pd.DataFrame({
        "indicator_id": ["poverty", "homeownership", "gone"], "poc_value": [0.3, 0.4, 1.0],
        "white_value": [0.1, 0.8, 1.0], "ratio": [3.0, 0.5, 1.0]}))
    view = tables.disparity_view(disparities)
    assert view.values.tolist() == [["Poverty", "30%", "10%", 3.0, "worse"],
                                    ["Homeownership", "40%", "80%", 0.5, "better"]]


# --- the printable profile ----------------------------------------------------------------------


def profile_rows() -> list[profile.ProfileRow]:
    district = values_frame([("w", "pm25", 10.53, np.nan, ""), ("w", "rent_burden", 0.41, 0.032, "high"),
                             ("w", "poverty", 0.2, 0.09, "low")])
    region = values_frame([("region", "rent_burden", 0.35, 0.01, "high"),
                           ("region", "poverty", 0.19, 0.01, "high"), ("region", "pm25", 9.9, np.nan, "")])
    return profile.profile_rows(district, region, {1: "Toy ACS, 2019-2023"})


def test_profile_rows_read_as_sentences_in_registry_order():
    rows = profile_rows()
    assert [r.indicator_id for r in rows] == ["rent_burden", "poverty", "pm25"]
    rent = rows[0]
    assert rent.headline("West") == "In West, 41% of renters spend 30% or more of their income on rent."
    # 41% ± 3.2 against 35% ± 1: the difference (6 points) exceeds sqrt(3.2^2 + 1^2) = 3.35.
    assert rent.against_region("West", "Toy City") == (
        "Across Toy City it is 35%: West is **higher than** Toy City.")
    assert rent.caption == "± 3.2 points · reliable · Source: Toy ACS, 2019-2023"
    assert rows[1].against_region("West", "Toy City").endswith("West is **about the same as** Toy City.")


def test_printable_profile_escapes_names_and_says_what_it_lacks():
    page = profile.profile_html(HOSTILE, "<script>x</script>", profile_rows(), ["Life expectancy"],
                                "2026-12-01", sample=True)
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert HOSTILE not in page
    assert "Fictional sample data" in page and "Not available for this region: Life expectancy" in page
    assert page.index("Home and belonging") < page.index("Income, jobs and school") < page.index(
        "Air, heat and land")
    csv = pd.read_csv(pd.io.common.StringIO(profile.profile_csv("West", profile_rows())))
    assert csv["indicator_id"].tolist() == ["rent_burden", "poverty", "pm25"]
    assert csv.loc[0, "statement"] == "41% of renters spend 30% or more of their income on rent"
    assert csv.loc[0, "moe_90"] == 0.032 and math.isnan(csv.loc[2, "moe_90"])
    assert profile.file_stem("Mill Creek / <b>") == "mill-creek-b"


# --- the portfolio ------------------------------------------------------------------------------


def projects() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": ["p1", "p2", "p3", "p4"], "name": ["One", "Two & Co", "Three", "Four"],
        "district_id": ["w", "w", "e", "x"], "district": ["West", "West", "East", "x"],
        "city": ["Toy", "Toy", "Toy", "Other"],
        "stage": ["", "commitment", "performance", "formation"],
        "stage_title": ["Registering", "Imperatives Commitment", "Performance", "Formation"],
        "overdue": [False, True, False, False], "lapsed": [False, False, True, False],
        "overdue_stages": ["", "Commitment to the Pillars", "", ""],
        "next_deadline": [None, date(2025, 1, 31), date(2026, 6, 30), None],
        "days_left": [None, -639, -124, 90], "progress_pct": [0.0, 40.0, 100.0, 60.0],
        "status": ["on schedule", "overdue", "lapsed", "on schedule"], "next_deadline_for": [""] * 4,
        "share_on_track": [np.nan, 0.5, 1.0, np.nan], "certified_on": [None, None, date(2024, 1, 1), None],
        "targets_with_data": [0, 2, 3, 0], "targets_on_track": [0, 1, 3, 0]})


def test_projects_are_counted_along_the_pathway_by_stage_id():
    steps = portfolio.pathway()
    assert [s.stage for s in steps] == ["", "registration", "commitment", "formation", "roadmap",
                                        "certified", "performance"]
    # A legacy project's "Imperatives Commitment" counts as the commitment step.
    assert portfolio.funnel(projects(), steps) == [4, 3, 3, 2, 1, 1, 1]
    assert portfolio.colours(projects(), steps).tolist() == [steps[0].colour, steps[2].colour,
                                                             steps[6].colour, steps[3].colour]


def test_who_is_behind_in_sentences():
    assert portfolio.behind(projects()) == [
        "- **Two & Co** (West): Commitment to the Pillars was due 31 Jan 2025, 639 days late",
        "- **Three** (East): its annual progress report was due 30 Jun 2026, 124 days late "
        "(certification lapsed)"]
    assert portfolio.headline(projects()) == {"Projects": "4", "Certified": "1",
                                              "Behind schedule": "2", "Targets on track": "4 of 5"}


def test_portfolio_filters_table_and_map_points():
    having = pd.DataFrame({"project_id": ["p2", "p3"], "commitment": ["Belonging", "Environment"]})
    chosen = portfolio.select(projects(), ["commitment", ""], ["Toy"], ["Belonging"], having)
    assert chosen["project_id"].tolist() == ["p2"]
    table = portfolio.table(projects().iloc[[1]], date(2026, 11, 1))
    assert table["Open"].tolist() == ["/project?project=Two+%26+Co&as_of=2026-11-01"]
    points = portfolio.project_points(projects(), {"w": (-84.0, 33.0), "e": (-83.0, 33.5)},
                                      portfolio.pathway())
    assert points["project_id"].tolist() == ["p1", "p2", "p3"]  # p4's district is not on the map
    assert points["lon"].tolist() == pytest.approx([-84.0, -84.0 + portfolio.MARKER_SPREAD, -83.0])
    assert points["behind"].tolist() == [False, True, True]


# --- the queries pages run ----------------------------------------------------------------------


def test_queries_select_what_a_page_draws(sample_db):  # noqa: ANN001
    from indicators.present import queries
    from indicators.store.database import connect_readonly

    with connect_readonly(sample_db) as con:
        westside = queries.geography_values(con, "district", "westside")
        poverty = queries.indicator_units(con, "poverty")
        names = queries.district_names(con)
        assert set(westside["geo_id"]) == {"westside"} and len(westside) == 46
        assert set(poverty["indicator_id"]) == {"poverty"} and len(poverty) == 210
        assert list(names.values()) == sorted(names.values()) and len(names) == 10
        assert [i.id for i in queries.available_indicators(con)][:3] == ["poc_share", "black_share",
                                                                         "hispanic_share"]
        assert queries.has_overlay(con, "holc") and not queries.has_overlay(con, "flood")
        assert queries.place(con) == "Sample City"
        with pytest.raises(ValueError, match="not offered for download"):
            queries.download_table(con, "meta; DROP TABLE units")
        with pytest.raises(ValueError, match="unknown geography kind"):
            queries.values(con, "county")


def test_a_targets_caption_writes_its_numbers_as_a_person_would():
    target = pd.Series({"baseline": 56441.0, "baseline_year": 2023, "target": 67435.0,
                        "target_year": 2033, "direction": "increase", "indicator_id": None})
    assert project.target_caption(target, pd.DataFrame(), pd.DataFrame()) == (
        "Baseline 56,441 (2023) → target 67,435 (2033), increase.")
