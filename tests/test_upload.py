"""Uploaded boundaries: every format reads, every hostile or broken file is refused with one
plain sentence, and repairs, simplification and names are as documented.

Every input is built here, in memory or under ``tmp_path``: small shapes near downtown Atlanta
(longitude -84.4, latitude 33.75).
"""

from __future__ import annotations

import html
import io
import json
import math
import stat
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon, box

from indicators import config
from indicators.ingest.upload import MAX_VERTICES, UploadError, csv_safe, read_upload

X, Y = -84.4, 33.75  # downtown Atlanta


def ring(x: float = X, y: float = Y, size: float = 0.01) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def feature(geometry: dict | None, **properties: object) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def polygon(x: float = X, y: float = Y, size: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [ring(x, y, size)]}


def geojson(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return buffer.getvalue()


def shapefile_zip(folder: Path, frame: gpd.GeoDataFrame, *, prj: bool = True) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_file(folder / "area.shp", engine="pyogrio")
    parts = sorted(p for p in folder.iterdir() if p.stem == "area" and (prj or p.suffix != ".prj"))
    return zipped({p.name: p.read_bytes() for p in parts})


def refused(data: bytes, filename: str = "area.geojson", **kwargs: object) -> str:
    with pytest.raises(UploadError) as caught:
        read_upload(data, filename, **kwargs)
    message = str(caught.value)
    assert "Traceback" not in message and "jc-upload" not in message and "\n" not in message
    assert message[0].isupper() and message.endswith(".")
    return message


def atlanta() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Old Fourth Ward", "Sweet Auburn"]},
        geometry=[box(X, Y, X + 0.01, Y + 0.01), box(X + 0.02, Y, X + 0.03, Y + 0.01)],
        crs="EPSG:4326",
    )


# --- formats ----------------------------------------------------------------------------------


def test_a_geojson_feature_collection_reads_with_its_names_in_file_order() -> None:
    data = geojson(feature(polygon(), name="Westside"), feature(polygon(X + 0.02), name="Eastside"))
    result = read_upload(data, "areas.geojson")
    assert result.areas["name"].tolist() == ["Westside", "Eastside"]
    assert result.areas.crs.to_epsg() == 4326
    assert list(result.areas.columns) == ["name", "geometry"]
    assert result.areas.total_bounds == pytest.approx([X, Y, X + 0.03, Y + 0.01])
    assert result.notes == ()


@pytest.mark.parametrize("document", [feature(polygon(), name="Westside"), polygon()],
                         ids=["feature", "bare geometry"])
def test_a_single_feature_or_a_bare_geometry_reads(document: dict) -> None:
    result = read_upload(json.dumps(document).encode(), "area.json")
    assert len(result.areas) == 1
    assert result.areas.geometry.iloc[0].area == pytest.approx(1e-4)


def test_a_zipped_shapefile_in_state_plane_feet_is_reprojected_to_longitude_latitude(tmp_path: Path) -> None:
    data = shapefile_zip(tmp_path / "shp", atlanta().to_crs("EPSG:2240"))
    result = read_upload(data, "areas.zip")
    assert result.areas["name"].tolist() == ["Old Fourth Ward", "Sweet Auburn"]
    assert result.areas.crs.to_epsg() == 4326
    assert result.areas.total_bounds == pytest.approx([X, Y, X + 0.03, Y + 0.01], abs=1e-7)


def test_a_geopackage_reads_its_polygon_layer_beside_a_point_layer(tmp_path: Path) -> None:
    path = tmp_path / "areas.gpkg"
    atlanta().to_crs("EPSG:26916").to_file(path, layer="neighborhoods", engine="pyogrio")
    gpd.GeoDataFrame({"name": ["MARTA"]}, geometry=[Point(X, Y)], crs="EPSG:4326").to_file(
        path, layer="stations", engine="pyogrio")
    result = read_upload(path.read_bytes(), "areas.gpkg")
    assert result.areas["name"].tolist() == ["Old Fourth Ward", "Sweet Auburn"]
    assert result.areas.total_bounds == pytest.approx([X, Y, X + 0.03, Y + 0.01], abs=1e-7)


def test_a_geopackage_with_two_polygon_layers_names_them(tmp_path: Path) -> None:
    path = tmp_path / "areas.gpkg"
    atlanta().to_file(path, layer="tracts", engine="pyogrio")
    atlanta().to_file(path, layer="beltline", engine="pyogrio")
    message = refused(path.read_bytes(), "areas.gpkg")
    assert "2 layers of areas" in message and "tracts" in message and "beltline" in message


@pytest.mark.filterwarnings("ignore:GPKG:RuntimeWarning")  # GDAL on the broken GeoPackage
def test_the_temporary_folder_is_gone_after_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    read_upload(shapefile_zip(tmp_path / "shp", atlanta()), "areas.zip")
    refused(b"SQLite format 3\x00" + b"\x01" * 200, "areas.gpkg")
    assert list(scratch.iterdir()) == []


# --- size and zip safety ----------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JC_MAX_UPLOAD_MB", "0.0001")
    message = refused(geojson(feature(polygon())))
    assert message.startswith("The file is 0.00022 MB; the limit is 0.0001 MB: upload only")
    monkeypatch.setenv("JC_MAX_UPLOAD_MB", "1")
    assert len(read_upload(geojson(feature(polygon())), "a.geojson").areas) == 1


def test_the_upload_limit_defaults_to_20_mb_and_rejects_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JC_MAX_UPLOAD_MB", raising=False)
    assert config.max_upload_bytes() == 20_000_000
    assert refused(b"{" * 23_400_001).startswith("The file is 23.4 MB; the limit is 20 MB:")
    for bad in ("twenty", "0", "-5", "inf"):
        monkeypatch.setenv("JC_MAX_UPLOAD_MB", bad)
        with pytest.raises(ValueError, match="JC_MAX_UPLOAD_MB"):
            config.max_upload_bytes()


@pytest.mark.parametrize(
    ("member", "fragment"),
    [("../evil.shp", "leads out of its folder"), ("data/../../evil.shp", "leads out of its folder"),
     ("/etc/evil.shp", "absolute path"), ("C:/Windows/evil.shp", "absolute path")],
)
def test_zip_members_with_escaping_paths_are_refused(member: str, fragment: str) -> None:
    message = refused(zipped({member: b"x", "area.dbf": b"x"}), "areas.zip")
    assert fragment in message and "which is not allowed: zip the files themselves again" in message


def test_a_zip_holding_a_symbolic_link_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("area.shp")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert "symbolic link" in refused(buffer.getvalue(), "areas.zip")


def test_a_zip_bomb_is_refused_by_its_compression_ratio() -> None:
    data = zipped({"area.shp": b"x", "area.dbf": b"\0" * 3_000_000})
    assert len(data) < 10_000
    message = refused(data, "areas.zip")
    assert "'area.dbf'" in message and "zip bombs" in message


def test_a_zip_unpacking_to_more_than_ten_times_the_limit_is_refused() -> None:
    data = zipped({"area.shp": b"\0" * 200_000}, zipfile.ZIP_DEFLATED)
    message = refused(data, "areas.zip", max_bytes=10_000)
    assert "unpacks to 0.2 MB, more than 10 times the 0.01 MB size limit" in message


def test_a_zip_with_too_many_members_is_refused() -> None:
    message = refused(zipped({f"part{i}.txt": b"" for i in range(1_001)}), "areas.zip")
    assert "1,001 files, more than the 1,000" in message


def test_a_zip_with_two_shapefiles_names_them(tmp_path: Path) -> None:
    one = zipfile.ZipFile(io.BytesIO(shapefile_zip(tmp_path / "a", atlanta())))
    members = {n: one.read(n) for n in one.namelist()}
    members |= {n.replace("area", "beltline"): content for n, content in members.items()}
    message = refused(zipped(members), "areas.zip")
    assert "2 shapefiles (area.shp, beltline.shp)" in message


def test_a_zip_made_on_a_mac_with_a_folder_and_upper_case_names_reads(tmp_path: Path) -> None:
    one = zipfile.ZipFile(io.BytesIO(shapefile_zip(tmp_path / "a", atlanta().to_crs("EPSG:2240"))))
    members = {f"Tracts/AREA{Path(n).suffix.upper()}": one.read(n) for n in one.namelist()}
    members |= {f"__MACOSX/Tracts/._AREA{Path(n).suffix.upper()}": b"\0\5\26\7" for n in one.namelist()}
    result = read_upload(zipped(members), "Tracts.zip")
    assert result.areas["name"].tolist() == ["Old Fourth Ward", "Sweet Auburn"]
    assert result.areas.total_bounds == pytest.approx([X, Y, X + 0.03, Y + 0.01], abs=1e-7)


def test_a_member_that_unpacks_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    one = zipfile.ZipFile(io.BytesIO(shapefile_zip(tmp_path / "a", atlanta())))
    members = {n: one.read(n) for n in one.namelist()} | {"area.dbf": b"\0" * 3_000_000}
    data = bytearray(zipped(members))
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46:entry + 54] != b"area.dbf":  # the central directory's entry for it
        entry = data.find(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = (1_000).to_bytes(4, "little")  # claims 1,000 bytes unpacked
    assert "the .zip is damaged" in refused(bytes(data), "areas.zip")


def test_a_zip_without_a_shapefile_and_an_incomplete_shapefile_are_explained(tmp_path: Path) -> None:
    assert "holds no shapefile (.shp), only notes.txt" in refused(zipped({"notes.txt": b"hi"}), "a.zip")
    one = zipfile.ZipFile(io.BytesIO(shapefile_zip(tmp_path / "a", atlanta())))
    members = {n: one.read(n) for n in one.namelist() if not n.endswith(".dbf")}
    assert "incomplete (area.dbf missing)" in refused(zipped(members), "a.zip")


# --- coordinate systems -----------------------------------------------------------------------


def test_a_shapefile_without_prj_asks_for_its_crs_then_reads_with_it(tmp_path: Path) -> None:
    data = shapefile_zip(tmp_path / "shp", atlanta().to_crs("EPSG:26916"), prj=False)
    message = refused(data, "areas.zip")
    assert message == (
        "The shapefile area.shp has no .prj file, so its coordinate system is unknown: add the .prj "
        "from the same download, or choose the coordinate system (for example EPSG:4326 for "
        "longitude/latitude, EPSG:2240 for Georgia West State Plane feet)."
    )
    result = read_upload(data, "areas.zip", crs="EPSG:26916")
    assert result.areas.total_bounds == pytest.approx([X, Y, X + 0.03, Y + 0.01], abs=1e-7)
    assert "is not one this page knows" in refused(data, "areas.zip", crs="EPSG:999999")


def test_metres_declared_as_longitude_latitude_are_refused(tmp_path: Path) -> None:
    metres = polygon(741_000, 3_737_000, 1_000)
    message = refused(geojson(feature(metres)))
    assert "declared as longitude/latitude" in message and "741,000" in message
    data = shapefile_zip(tmp_path / "shp", atlanta().to_crs("EPSG:26916"), prj=False)
    assert "declared as longitude/latitude (EPSG:4326)" in refused(data, "areas.zip", crs="EPSG:4326")


# --- geometry types, repair, simplification ---------------------------------------------------


def test_points_only_and_lines_only_are_not_areas() -> None:
    points = geojson(feature({"type": "Point", "coordinates": [X, Y]}))
    assert refused(points) == ("The file holds points, not areas: draw or upload the outline of the "
                               "area (a polygon).")
    line = {"type": "LineString", "coordinates": [[X, Y], [X + 0.01, Y + 0.01]]}
    assert refused(geojson(feature(line))).startswith("The file holds lines, not areas")


def test_a_mixed_file_keeps_its_areas_and_says_what_it_left_out() -> None:
    data = geojson(
        feature({"type": "Point", "coordinates": [X, Y]}, name="stop"),
        feature(polygon(), name="Westside"),
        feature({"type": "LineString", "coordinates": [[X, Y], [X + 0.01, Y]]}, name="street"),
        feature(None, name="blank"),
    )
    result = read_upload(data, "mixed.geojson")
    assert result.areas["name"].tolist() == ["Westside"]
    assert result.notes == (
        "Left out 1 feature with no geometry.",
        "Left out 2 non-area features (lines and points); only areas are profiled.",
    )
    assert refused(geojson(feature(None))).startswith("The file holds no shapes:")
    assert refused(geojson()).startswith("The file holds no shapes:")


def test_bow_tie_polygons_are_repaired_and_noted() -> None:
    def bow_tie(x: float) -> dict:
        coords = [[x, Y], [x + 0.01, Y + 0.01], [x + 0.01, Y], [x, Y + 0.01], [x, Y]]
        return {"type": "Polygon", "coordinates": [coords]}

    result = read_upload(geojson(feature(bow_tie(X)), feature(bow_tie(X + 0.02))), "bow.geojson")
    assert result.notes == ("Repaired 2 areas with crossing edges or other outline errors; check the "
                            "shape on the map.",)
    assert result.areas.is_valid.all()
    assert set(result.areas.geom_type) <= {"Polygon", "MultiPolygon"}
    areas = shapely.area(result.areas.geometry.to_numpy())
    assert (areas > 0).all()
    assert areas[0] == pytest.approx(0.5e-4)  # the two triangles of the bow-tie


def test_an_outline_with_150000_points_is_simplified_under_the_limit() -> None:
    angles = np.linspace(0, 2 * math.pi, 150_000, endpoint=False)
    circle = Polygon(np.column_stack([X + 0.01 * np.cos(angles), Y + 0.01 * np.sin(angles)]))
    data = geojson(feature(shapely.geometry.mapping(circle), name="Westside"))
    result = read_upload(data, "circle.geojson")
    kept = int(shapely.get_num_coordinates(result.areas.geometry.to_numpy()).sum())
    assert kept <= MAX_VERTICES
    assert len(result.notes) == 1
    assert result.notes[0].startswith(f"The outline was simplified from 150,001 to {kept:,} points")
    assert result.notes[0].endswith("the profile uses the simplified outline.")
    assert result.areas.is_valid.all()
    assert result.areas.geometry.iloc[0].area == pytest.approx(circle.area, rel=0.01)


# --- names ------------------------------------------------------------------------------------


def test_html_and_formula_names_are_kept_as_text() -> None:
    script, formula = "<script>alert(1)</script>", '=HYPERLINK("http://x")'
    result = read_upload(geojson(feature(polygon(), name=script), feature(polygon(X + 0.02), name=formula)),
                         "a.geojson")
    assert result.areas["name"].tolist() == [script, formula]
    assert "<" not in html.escape(script)
    assert csv_safe(formula) == "'" + formula
    assert [csv_safe(v) for v in ("+1", "-1", "@A1", "\tx", "\rx")] == ["'+1", "'-1", "'@A1", "'\tx", "'\rx"]


def test_names_are_cleaned_numbered_and_made_unique() -> None:
    data = geojson(
        feature(polygon(), name="  Old\tFourth \n Ward "),
        feature(polygon(X + 0.02), name="Westside"),
        feature(polygon(X + 0.04), name="Westside"),
        feature(polygon(X + 0.06), name=None),
        feature(polygon(X + 0.08), name="x" * 300),
        feature(polygon(X + 0.10), name="Westside"),
    )
    names = read_upload(data, "a.geojson").areas["name"].tolist()
    assert names == ["Old Fourth Ward", "Westside", "Westside (2)", "Area 4", "x" * 120, "Westside (3)"]
    unnamed = read_upload(geojson(feature(polygon()), feature(polygon(X + 0.02))), "a.geojson")
    assert unnamed.areas["name"].tolist() == ["Area 1", "Area 2"]


def test_a_chosen_name_field_is_used_and_a_missing_one_lists_the_fields() -> None:
    data = geojson(feature(polygon(), NAME="Tract 1", district="Westside", code=3))
    assert read_upload(data, "a.geojson").areas["name"].tolist() == ["Tract 1"]
    assert read_upload(data, "a.geojson", name_field="district").areas["name"].tolist() == ["Westside"]
    assert read_upload(data, "a.geojson", name_field="code").areas["name"].tolist() == ["3"]
    assert refused(data, name_field="neighborhood") == (
        "The file has no field named 'neighborhood' (its fields are NAME, district, code): choose one "
        "of its fields for the names, or none to number the areas."
    )


# --- garbage ----------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:GPKG:RuntimeWarning")
def test_garbage_bytes_are_not_a_vector_file() -> None:
    message = refused(bytes(range(256)) * 4, "area.geojson")
    assert message.startswith("The file could not be read as GeoJSON, a zipped shapefile or a GeoPackage:")
    assert "could not be read" in refused(b"PK\x03\x04" + b"\0" * 100, "area.zip")
    assert "could not be read" in refused(b"SQLite format 3\x00" + b"\x01" * 200, "area.gpkg")
    assert "could not be read" in refused(b"\xff\xfe{" + b"\x00" * 10, "area.json")
    assert "it is none of those" in refused(b'<?xml version="1.0"?><kml></kml>', "area.kml")
    assert refused(b"", "area.geojson").startswith("The file is empty")


def test_broken_json_and_json_that_is_not_geojson_are_explained() -> None:
    assert "ends before it is complete" in refused(geojson(feature(polygon()))[:-20])
    assert "nested far too deeply" in refused(b"[" * 100_000)
    census = refused(b'[["NAME","B01001_001E"],["Tract 1","4000"]]')
    assert census.startswith('The file is JSON but not GeoJSON (whose "type" is "FeatureCollection"')
    assert "this file's is missing" in census
    assert "this file's is 'Census'" in refused(b'{"type": "Census"}')
    assert "this file's is 'Topology'" in refused(b'{"type": "Topology"}')


def test_a_lone_shp_file_asks_for_the_zip(tmp_path: Path) -> None:
    atlanta().to_file(tmp_path / "area.shp", engine="pyogrio")
    message = refused((tmp_path / "area.shp").read_bytes(), "area.shp")
    assert "into one .zip and upload the .zip" in message


# --- property ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    x=st.floats(-85.0, -84.0), y=st.floats(33.0, 34.5),
    width=st.floats(1e-5, 0.2), height=st.floats(1e-5, 0.2),
)
def test_any_rectangle_reads_back_with_the_same_area_and_bounds(
    x: float, y: float, width: float, height: float
) -> None:
    rectangle = box(x, y, x + width, y + height)
    result = read_upload(geojson(feature(shapely.geometry.mapping(rectangle))), "r.geojson")
    assert result.areas.crs.to_epsg() == 4326
    assert result.areas.geometry.iloc[0].area == pytest.approx(rectangle.area, abs=1e-9)
    assert result.areas.total_bounds == pytest.approx(rectangle.bounds, abs=1e-9)
    assert result.notes == ()


def test_a_line_or_point_geometry_in_a_geopackage_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "lines.gpkg"
    gpd.GeoDataFrame({"name": ["Beltline"]}, geometry=[LineString([(X, Y), (X + 0.01, Y)])],
                     crs="EPSG:4326").to_file(path, layer="trail", engine="pyogrio")
    assert refused(path.read_bytes(), "lines.gpkg").startswith("The file holds lines, not areas")
