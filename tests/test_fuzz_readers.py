"""Fuzzing every reader with malformed input: only the project's own errors may escape.

hypothesis generates broken CSV (random bytes, ragged rows, odd delimiters and quotes, huge
numbers, NaN and inf, missing columns, odd encodings), Census Data API JSON (the array of rows,
header first, that :func:`indicators.ingest.files.read_table` reads for ``.json`` tables) and
GeoJSON (random structures, wrong types, nested nonsense, bad coordinates), and sends them through
every reader: tables through ``read_table`` and each table profile's ``extract``, tract
relationship files through ``read_relationship``, geometry through ``read_vector`` and the units,
districts and HOLC readers, boundaries through the residents' ``read_upload``, and a whole toy
region through ``check``. The only exceptions allowed out are the project's validation errors,
:data:`ALLOWED`; anything else (KeyError, IndexError, a pyogrio or GEOS error,
UnicodeDecodeError...) is a reader bug. Each bug found is kept as an ``@example``.
"""

from __future__ import annotations

import functools
import io
import json
import math
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indicators.ingest.files import read_table, read_vector
from indicators.ingest.geography import read_districts, read_holc, read_units
from indicators.ingest.layer import Layer
from indicators.ingest.profiles import TABLE_PROFILES
from indicators.ingest.relationship import read_relationship
from indicators.ingest.tabular import extract
from indicators.ingest.upload import UploadError, read_upload
from indicators.problems import InputError, LayerError, Problems
from indicators.store.build import check
from tests import toy

#: The project's own validation errors: a reader raises these (with a plain sentence) or nothing.
#: ``LayerError`` is a layer that cannot be read, ``InputError`` a region with errors (only from
#: ``check``/``build``, which turn it into problems), ``UploadError`` a refused upload.
ALLOWED = (LayerError, InputError, UploadError)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = [pytest.mark.filterwarnings("ignore::RuntimeWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning")]

# --------------------------------------------------------------------------------------------
# Strategies: cells, CSV, Census API JSON, GeoJSON
# --------------------------------------------------------------------------------------------

#: Column names a profile knows, so generated tables get past the first checks now and then.
KNOWN_COLUMNS = ("GEOID", "GEO_ID", "FIPS", "NAME", "state", "county", "tract", "block group",
                 "B03002_001E", "B03002_001M", "B03002_003E", "B03002_003M", "B19013_001E",
                 "E_TOTPOP", "EP_POV150", "E_POV150", "E_NOINT", "RPL_THEMES", "ID", "PM25",
                 "MeasureId", "Data_Value", "Census.tract.2010.ID", "Identified.as.disadvantaged",
                 "tr2010ge", "tr2020ge", "wt_pop", "GEOID_TRACT_10", "GEOID_TRACT_20",
                 "AREALAND_PART", "AREALAND_TRACT_10", "", " ", "Unnamed: 0")
geoids = st.one_of(
    st.sampled_from(toy.GEOIDS),
    st.sampled_from(["13121", "1312100010", "131210001011", "13121ABC101", "1400000US13121000101",
                     "13121000101.0", "'); DROP TABLE units; --", "", "0" * 11, "9" * 40]),
    st.text(alphabet="0123456789", min_size=0, max_size=14),
)
numbers = st.one_of(
    st.integers(-10**30, 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["NaN", "nan", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e308", "9" * 400,
                     "-666666666", "-999", "(X)", "N", "**", "250,000+", "2,500-", "1,234.5",
                     "12,5", "1e-400", "0x1F", "True", "=1+2", "+cmd|' /C calc'!A0", "@SUM(A1)"]),
)
text_cells = st.text(max_size=12)
cells = st.one_of(geoids, numbers, text_cells, st.sampled_from(['"', '""', '"a,b"', "a\nb", "\r", ",", ";",
                                                                "\t", "|", "\x00"]))


@st.composite
def csv_text(draw: st.DrawFn) -> str:
    """A delimited table: known and junk columns, ragged rows, odd delimiters and quoting."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " ", ":"]))
    header = draw(st.lists(st.one_of(st.sampled_from(KNOWN_COLUMNS), text_cells), min_size=0, max_size=8))
    width = len(header)
    rows = draw(st.lists(st.lists(cells, min_size=max(0, width - 2), max_size=width + 2), max_size=8))
    quote = draw(st.booleans())

    def line(values: list[str]) -> str:
        if quote:
            values = ['"' + v.replace('"', '""') + '"' for v in values]
        return delimiter.join(values)

    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(line(r) for r in [header, *rows])
    return text + (newline if draw(st.booleans()) else "")


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """CSV text in one of the encodings found in the wild, or random bytes."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32"]))
    data = draw(st.one_of(csv_text().map(lambda t: t.encode(encoding, errors="replace")),
                          st.binary(max_size=400)))
    cut = draw(st.one_of(st.none(), st.integers(0, max(0, len(data)))))
    return data if cut is None else data[:cut]


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                         st.floats(allow_nan=True, allow_infinity=True), text_cells)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text_cells, inner, max_size=4)), max_leaves=20)


@st.composite
def census_api(draw: st.DrawFn) -> object:
    """The Census Data API's array of rows (header first), broken in every way it can be."""
    header = draw(st.lists(st.one_of(st.sampled_from(KNOWN_COLUMNS), json_scalars), max_size=7))
    width = len(header)
    row_cells = st.one_of(geoids, numbers, json_values)
    rows = draw(st.lists(st.one_of(st.lists(row_cells, min_size=width, max_size=width),
                                   st.lists(row_cells, max_size=width + 2), json_values), max_size=6))
    return draw(st.one_of(st.just([header, *rows]), json_values))


def dumps(document: object) -> bytes:
    """JSON as Python writes it, NaN and Infinity included."""
    return json.dumps(document, allow_nan=True).encode()


coordinates = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                        st.floats(-85, -84, allow_nan=False), st.floats(33, 34, allow_nan=False),
                        st.sampled_from([1e300, -1e300, 1e-300]), json_scalars)
positions = st.one_of(st.lists(coordinates, min_size=0, max_size=4), json_values)
rings = st.one_of(st.lists(positions, max_size=6), json_values)
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection", "Topology", "", None, 7)


@st.composite
def geometry(draw: st.DrawFn) -> object:
    """A geometry object with a right or wrong type and right-shaped or nonsense coordinates."""
    kind = draw(st.sampled_from(GEOMETRY_TYPES))
    if draw(st.integers(0, 3)) == 0:  # a real tract square, sometimes made invalid below
        shape: object = toy.square(draw(st.integers(0, 2)), draw(st.integers(0, 1)))
    else:
        shape = draw(st.one_of(st.lists(rings, max_size=3), st.lists(st.lists(rings, max_size=2),
                                                                     max_size=2), json_values))
    body: dict[str, object] = {"type": kind, "coordinates": shape}
    if kind == "GeometryCollection":
        body = {"type": kind, "geometries": draw(st.lists(json_values, max_size=2))}
    return draw(st.one_of(st.just(body), st.none(), json_values))


properties = st.fixed_dictionaries({}, optional={
    "GEOID": st.one_of(geoids, json_values), "NAME": st.one_of(text_cells, json_values),
    "NAMELSAD": text_cells, "holc_grade": st.sampled_from(["A", "B", "C", "D", "E", "", "a "]),
    "holc_id": text_cells, "name": text_cells,
})


@st.composite
def near_valid(draw: st.DrawFn) -> object:
    """The toy region's tracts or districts with a few things broken: a property, a geometry, a
    feature dropped or repeated, a CRS member, so the readers' later checks are reached."""
    features = draw(st.sampled_from([toy.tract_features, toy.district_features, toy.holc_features]))()
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(features) - 1))
        what = draw(st.sampled_from(["property", "geometry", "drop", "repeat", "ring"]))
        if what == "property":
            key = draw(st.sampled_from(["GEOID", "NAME", "NAMELSAD", "holc_grade", "name"]))
            features[i]["properties"][key] = draw(st.one_of(geoids, numbers, json_values))  # type: ignore[index]
        elif what == "geometry":
            features[i]["geometry"] = draw(geometry())
        elif what == "drop" and len(features) > 1:
            features.pop(i)
        elif what == "repeat":
            features.append(features[i])
        else:  # move one vertex anywhere, closing the ring or not
            shape = features[i].get("geometry")
            parts = shape.get("coordinates") if isinstance(shape, dict) else None
            ring = parts[0] if isinstance(parts, list) and parts else None
            if isinstance(ring, list) and len(ring) > 1:
                vertex = draw(st.integers(0, len(ring) - 1))
                ring[vertex] = draw(st.lists(coordinates, min_size=2, max_size=3))
    document: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if draw(st.booleans()):
        document["crs"] = {"type": "name", "properties": {"name": draw(st.sampled_from([
            "EPSG:2240", "urn:ogc:def:crs:EPSG::4269", "EPSG:999999", "nonsense", ""]))}}
    return document


@st.composite
def geojson(draw: st.DrawFn) -> object:
    """A FeatureCollection of odd features, a lone feature or geometry, or any JSON at all."""
    feature = st.fixed_dictionaries({"type": st.sampled_from(["Feature", "feature", "Polygon", None]),
                                     "properties": st.one_of(properties, json_values),
                                     "geometry": geometry()})
    features = st.lists(st.one_of(feature, json_values), max_size=6)
    collection = st.fixed_dictionaries({"type": st.sampled_from(["FeatureCollection", "Feature", "x"]),
                                        "features": st.one_of(features, json_values)},
                                       optional={"crs": json_values})
    return draw(st.one_of(near_valid(), near_valid(), collection, feature, geometry(), json_values))


@st.composite
def geojson_bytes(draw: st.DrawFn) -> bytes:
    """GeoJSON bytes: whole, cut off, in another encoding, or random."""
    data = dumps(draw(geojson()))
    how = draw(st.sampled_from(["whole", "cut", "latin-1", "utf-16", "bom", "random"]))
    if how == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if how == "latin-1":
        return data.replace(b'"', '"\xe9'.encode("latin-1"), 1)
    if how == "utf-16":
        return data.decode().encode("utf-16")
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    return draw(st.binary(max_size=300)) if how == "random" else data


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


@contextmanager
def written(data: bytes, name: str) -> Iterator[Path]:
    """``data`` as a file named ``name`` in a fresh temporary folder (removed afterwards)."""
    folder = Path(tempfile.mkdtemp(prefix="jc-fuzz-"))
    try:
        path = folder / name
        path.write_bytes(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def layer(path: Path, role: str, **options: object) -> Layer:
    return Layer(index=1, role=role, path=path, rel=path.name, **options)  # type: ignore[arg-type]


def only_allowed(call: object, *args: object, **kwargs: object) -> object:
    """Run ``call``; an allowed error is the reader saying no, and its message must be a sentence."""
    try:
        return call(*args, **kwargs)  # type: ignore[operator]
    except ALLOWED as exc:
        message = getattr(exc, "message", None) or str(exc)
        assert message.strip(), f"{type(exc).__name__} with no message"
        return None


def read_and_extract(path: Path) -> None:
    """A table through ``read_table`` and then every table profile."""
    table = only_allowed(read_table, path)
    if table is None:
        return
    for name in TABLE_PROFILES:
        options: dict[str, object] = {"profile": name}
        if name == "generic":
            options["columns"] = {"pop_total": "B03002_001E", "median_hh_income": "B19013_001E"}
        only_allowed(extract, table, layer(path, "census", **options), TABLE_PROFILES[name], Problems())


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@FUZZ
@given(csv_bytes(), st.sampled_from(["table.csv", "table.txt", "table.tsv"]))
@example(b"\xff\xfeG\x00E\x00", "table.csv")  # UTF-16 bytes read as Windows-1252 garbage
@example(bytes(range(256)), "table.csv")  # binary bytes: control characters in every message
@example(b'GEOID,NAME,B03002_001E\n13121000101,"open,5\n13121000102,x,6\n', "table.csv")  # rows merged
@example(b"GEOID,NAME,B03002_001E\n13121000101,x,5\n13121000102,", "table.csv")  # cut-off last row
@example(b"GEOID,B03002_001E\n13121000101,1e308\n13121000102,1e308\n", "table.csv")  # overflow
@example(b"GEOID\n13121000101,13121000101\n13121000101", "table.csv")  # TypeError: rows longer than header
def test_csv_readers(data: bytes, name: str) -> None:
    with written(data, name) as path:
        read_and_extract(path)


@FUZZ
@given(census_api())
@example([["NAME", "state", "state", "county", "tract"], ["x", "13", "13", "121", "000101"]])  # dup header
@example([[None, "B03002_001E"], ["x", "5"]])  # a null header name
@example([["GEOID", "B03002_001E"], *[["13121000101", "5"]] * 2])  # duplicate GEOIDs
@example([["GEOID"], [[[[[]]]]]])  # nested lists as cells
def test_census_api_json(document: object) -> None:
    with written(dumps(document), "api.json") as path:
        read_and_extract(path)


def test_deep_json() -> None:
    """Nesting deep enough to exhaust Python's recursion (it escaped as RecursionError)."""
    data = b"[" * 50_000 + b"]" * 50_000
    with written(data, "api.json") as path, pytest.raises(LayerError, match="nested far too deeply"):
        read_table(path)
    collection = data.replace(b"[" * 3, b'{"type": "FeatureCollection", "features": [', 1)
    with written(collection, "x.geojson") as path, pytest.raises(LayerError, match="nested far too deeply"):
        read_vector(path)


@FUZZ
@given(csv_bytes())
@example(b"tr2010ge,tr2020ge,wt_pop\n13121000101,13121000101,1\n13121000102,")
def test_relationship_reader(data: bytes) -> None:
    with written(data, "crosswalk.csv") as path:
        only_allowed(read_relationship, layer(path, "relationship"))


# --------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------

UNCLOSED = {"type": "Polygon", "coordinates": [[[-84.4, 33.75], [-84.39, 33.75], [-84.39, 33.76]]]}
NAN_RING = {"type": "Polygon", "coordinates": [[[math.nan, math.nan]] * 4]}


@FUZZ
@given(geojson_bytes())
@example(dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"GEOID": toy.GEOIDS[0]}, "geometry": UNCLOSED}]}))  # GEOSException
@example(dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"GEOID": toy.GEOIDS[0]}, "geometry": NAN_RING}]}))  # GEOSException
@example(b'{"type": "Feature", "properties": {"NAME": "Pe\xf1a"}, "geometry": null}')  # UnicodeDecodeError
@example(b"SQLite format 3\x00" + bytes(100))  # named .geojson: not JSON
@example(b'{"type": "Feature", "features": [false, false]}')  # numpy ValueError inside pyogrio
def test_geometry_readers(data: bytes) -> None:
    with written(data, "layer.geojson") as path:
        only_allowed(read_vector, path)
        only_allowed(read_units, layer(path, "units", key="GEOID", level="tract"), Problems())
        only_allowed(read_units, layer(path, "units"), Problems())
        only_allowed(read_districts, layer(path, "districts", name="NAME"), Problems())
        only_allowed(read_holc, layer(path, "overlay", profile="holc"), Problems())


@FUZZ
@given(geojson_bytes(), st.sampled_from([None, "NAME", "GEOID", "nope"]))
@example(dumps({"type": "Feature", "properties": {}, "geometry": UNCLOSED}), None)  # GEOSException
@example(dumps({"type": "Feature", "properties": {}, "geometry": NAN_RING}), None)  # GEOSException
@example(b'{"type": "Feature", "properties": {"name": "Pe\xf1a"}, "geometry": null}', None)  # Unicode
@example(b'{"type": "Feature", "features": [false, false]}', None)  # numpy ValueError inside pyogrio
def test_upload_reader(data: bytes, name_field: str | None) -> None:
    try:
        upload = read_upload(data, "area.geojson", name_field=name_field)
    except UploadError as exc:
        message = str(exc)
        assert message[:1].isupper() and message.endswith("."), message
        return
    assert len(upload.areas) > 0
    assert upload.areas.geometry.is_valid.all()


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["x.gpkg", "x.zip", "x.shp", "x.parquet"]))
@example(b"SQLite format 3\x00" + bytes(range(200)), "x.gpkg")  # DataSourceError from list_layers
@example(b"\x00", "x.parquet")  # ArrowInvalid from read_parquet
def test_other_vector_formats(data: bytes, name: str) -> None:
    with written(data, name) as path:
        only_allowed(read_vector, path, crs="EPSG:4326")
        if name.endswith(".parquet"):
            read_and_extract(path)
    only_allowed(read_upload, data, name)


@functools.cache
def shapefile_parts() -> dict[str, bytes]:
    """The toy tracts as a shapefile's parts (.shp, .shx, .dbf, .prj, .cpg) by suffix."""
    frame = gpd.GeoDataFrame.from_features(toy.tract_features(), crs="EPSG:4326")
    with tempfile.TemporaryDirectory() as tmp:
        frame.to_file(Path(tmp) / "tracts.shp", engine="pyogrio")
        return {p.suffix: p.read_bytes() for p in Path(tmp).iterdir()}


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` cut short, with bytes overwritten, or with junk appended."""
    how = draw(st.sampled_from(["whole", "cut", "overwrite", "append"]))
    if how == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if how == "overwrite":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=16))
        return data[:at] + junk + data[at + len(junk):]
    return data + draw(st.binary(max_size=32)) if how == "append" else data


@st.composite
def shapefile_zip(draw: st.DrawFn) -> bytes:
    """A zipped shapefile with parts missing, damaged, renamed or in a folder."""
    stem = draw(st.sampled_from(["tracts", "TRACTS", "a/tracts", "__MACOSX/._tracts"]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for suffix, data in sorted(shapefile_parts().items()):
            if draw(st.integers(0, 5)) == 0:
                continue
            name = stem + (suffix.upper() if draw(st.integers(0, 7)) == 0 else suffix)
            archive.writestr(name, draw(damaged(data)))
    return draw(damaged(buffer.getvalue())) if draw(st.integers(0, 4)) == 0 else buffer.getvalue()


def _zip_with(prj: bytes = b"", version: bool = False) -> bytes:
    """A zip of the toy tracts' shapefile with its .prj replaced, or a damaged version field."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for suffix, data in sorted(shapefile_parts().items()):
            archive.writestr("tracts" + suffix, prj if suffix == ".prj" and prj else data)
    data = buffer.getvalue()
    return data.replace(b"PK\x01\x02\x14\x03\x14", b"PK\x01\x02\x14\x03\x40", 1) if version else data


@FUZZ
@given(shapefile_zip())
@example(_zip_with(prj=b"GEOGCS[\x80\x81\xff"))  # UnboundLocalError from pyogrio's get_crs
@example(_zip_with(prj=shapefile_parts()[".prj"].replace(b"WGS", b"{")))  # pyproj CRSError
@example(_zip_with(version=True))  # NotImplementedError: zip file version 6.4
def test_shapefile_zips(data: bytes) -> None:
    with written(data, "tracts.zip") as path:
        only_allowed(read_vector, path)
        only_allowed(read_units, layer(path, "units", key="GEOID", level="tract"), Problems())
    only_allowed(read_upload, data, "tracts.zip")


# --------------------------------------------------------------------------------------------
# A whole region
# --------------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_bytes(), geojson_bytes())
def test_region_check(table: bytes, units: bytes) -> None:
    """A toy region with a fuzzed census table or fuzzed tracts: ``check`` returns problems."""
    folder = Path(tempfile.mkdtemp(prefix="jc-fuzz-region-"))
    try:
        for broken in ("acs.csv", "tracts.geojson"):
            region = toy.write_region(folder / broken)
            (region / broken).write_bytes(table if broken == "acs.csv" else units)
            problems = only_allowed(check, region)
            assert problems is not None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
