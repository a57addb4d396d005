"""Maps of a large region send what they show, not every unit: the units around a district or
an area, or the districts alone for the whole region. Sample City (420 tracts) is made "large"
by lowering ``queries.MAP_SHAPE_BYTES`` below the size of its tracts' shapes."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from indicators.metrics.registry import get
from indicators.present import map_layers, map_views, maps, queries
from indicators.store.database import connect_readonly


@pytest.fixture
def con(sample_db: Path):
    connection = connect_readonly(sample_db)
    yield connection
    connection.close()


def shapes(collection: dict) -> list[shapely.Geometry]:
    return [shape(f["geometry"]) for f in collection["features"]]


def test_a_small_region_sends_every_unit_whatever_the_view(con):
    whole = queries.map_data(con)
    around = queries.map_data(con, None, "d01")
    covered = con.execute("SELECT count(DISTINCT geoid) FROM crosswalk WHERE period = "
                          "(SELECT max(period) FROM crosswalk)").fetchone()[0]
    assert whole.whole and len(whole.unit_ids) == covered
    assert around.unit_ids == whole.unit_ids and around.districts == whole.districts
    assert whole.view == whole.bounds


def test_a_large_region_sends_the_districts_alone_for_the_whole_region(con, monkeypatch):
    monkeypatch.setattr(queries, "MAP_SHAPE_BYTES", 1_000)
    data = queries.map_data(con)
    n_districts = con.execute("SELECT count(*) FROM districts").fetchone()[0]
    assert not data.whole and data.unit_ids == [] and data.units["features"] == []
    assert len(data.district_centres) == len(data.district_bounds) == n_districts
    # the districts as one feature of their boundaries, each shared edge once
    (outline,) = shapes(data.districts)
    assert outline.geom_type == "MultiLineString"
    polygons = queries.districts_geo(con).geometry
    assert all(outline.buffer(0.002).covers(p.boundary) for p in polygons)
    assert outline.length < 0.75 * sum(p.boundary.length for p in polygons)
    assert data.bounds == queries.region_bounds(con) == data.view


def test_around_a_district_it_sends_the_units_and_districts_of_its_surroundings(con, monkeypatch):
    district = con.execute("SELECT district_id FROM districts ORDER BY district_id LIMIT 1").fetchone()[0]
    whole = queries.map_data(con)
    monkeypatch.setattr(queries, "MAP_SHAPE_BYTES", 1_000)
    data = queries.map_data(con, None, district)
    view = shapely.box(*data.view)
    inside = set(con.execute("SELECT geoid FROM crosswalk WHERE district_id = ? AND period = "
                             "(SELECT max(period) FROM crosswalk)", [district]).df()["geoid"])
    assert inside <= set(data.unit_ids)                       # all of the district's own units
    assert len(data.unit_ids) < len(whole.unit_ids)           # but not the region's
    assert all(s.intersects(view) for s in shapes(data.units))
    # exactly the units whose extent meets the view: none left out
    missed = [g for g, s in zip(whole.unit_ids, shapes(whole.units), strict=True)
              if shapely.box(*s.bounds).intersects(view) and g not in data.unit_ids]
    assert missed == []
    assert district in data.district_bounds
    assert data.view == maps.view_bounds(tuple(con.execute(
        "SELECT min_lon, min_lat, max_lon, max_lat FROM districts WHERE district_id = ?",
        [district]).fetchone()))


def test_around_an_extent(con, monkeypatch):
    monkeypatch.setattr(queries, "MAP_SHAPE_BYTES", 1_000)
    (minx, miny, maxx, maxy), = [queries.region_bounds(con)]
    corner = (minx, miny, minx + (maxx - minx) / 4, miny + (maxy - miny) / 4)
    data = queries.map_data(con, None, corner)
    assert 0 < len(data.unit_ids) < 420
    assert all(s.intersects(shapely.box(*maps.view_bounds(corner))) for s in shapes(data.units))


def test_an_unknown_district_is_refused(con, monkeypatch):
    monkeypatch.setattr(queries, "MAP_SHAPE_BYTES", 1_000)
    with pytest.raises(ValueError, match="no district"):
        queries.map_data(con, None, "nowhere")


def test_a_view_keeps_the_regions_classes(con, monkeypatch):
    """A tract has the same colour on the map of its district's surroundings as on the map of
    the whole region: classes come from every unit, not from the few drawn."""
    indicator = get("rent_burden")
    values = queries.indicator_units(con, indicator.id)
    whole = queries.map_data(con)
    district = con.execute("SELECT district_id FROM districts ORDER BY district_id LIMIT 1").fetchone()[0]
    monkeypatch.setattr(queries, "MAP_SHAPE_BYTES", 1_000)
    part = queries.map_data(con, None, district)
    covered = values[values["geo_id"].isin(whole.unit_ids)]
    assert len(covered) == len(values)  # every Sample City tract is inside a district

    def fills(data: map_views.MapData) -> dict[str, str]:
        group, _ = map_layers.indicator_layer(data, values, indicator)
        layer = group._children[next(iter(group._children))]
        return {f["properties"]["geoid"]: f["properties"]["fill"] for f in layer.data["features"]}

    everywhere, here = fills(whole), fills(part)
    assert set(here) == set(part.unit_ids)
    assert {g: everywhere[g] for g in here} == here


def test_a_national_view_is_simplified_to_a_pixel():
    assert map_views.detail_for((-125.0, 24.0, -66.0, 50.0)) == (3500.0, 3)
    assert map_views.detail_for((-84.6, 33.6, -84.2, 33.9)) == (12.0, maps.COORD_DECIMALS)
    ring = gpd.GeoDataFrame({"name": ["a"]}, crs="EPSG:4326", geometry=[shapely.Polygon(
        [(-84.123456, 33.123456), (-84.0, 33.123456), (-84.0, 33.2), (-84.05, 33.201),
         (-84.123456, 33.2)])])
    fine = maps.light_geojson(ring, ["name"], 12.0)
    coarse = maps.light_geojson(ring, ["name"], 3500.0, 3)
    assert json.dumps(fine).count(",") > json.dumps(coarse).count(",")   # a vertex dropped
    coords = [c for c in coarse["features"][0]["geometry"]["coordinates"][0]]
    assert all(round(v, 3) == v for xy in coords for v in xy)
