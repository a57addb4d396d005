"""Low-level readers for the file formats people download: CSV, Census API JSON, Parquet,
shapefiles (folder or .zip), GeoJSON, GeoPackage and GeoParquet.

Every function here either returns data or raises :class:`~indicators.problems.LayerError`
with a message a user can act on. Nothing here knows about canonical variables; that is
:mod:`indicators.ingest.profiles`.

Tables are read with every cell as text, so that GEOIDs keep their leading zeros and numeric
parsing (sentinels, annotations, thousands separators) happens in one place
(:func:`indicators.ingest.values.to_number`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow
import pyogrio
import pyproj
import shapely.errors

from indicators.config import MAX_SOURCE_BYTES
from indicators.problems import LayerError

TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".json", ".parquet"}
VECTOR_SUFFIXES = {".shp", ".zip", ".geojson", ".json", ".gpkg", ".parquet"}
SHAPEFILE_SIDECARS = (".shx", ".dbf")
#: What GDAL (through pyogrio), pyproj and GEOS raise on a damaged file: a bad source, layer,
#: feature, field or CRS, a ring GEOS cannot build (unclosed, NaN), text that is not the UTF-8
#: declared, the UnboundLocalError pyogrio 0.13's ``get_crs`` raises on a .prj that is not text,
#: and numpy's ValueError when pyogrio fills its arrays from features of the wrong shape (a
#: "Feature" holding "features": [false]).
CRS_READ_ERRORS = (pyogrio.errors.CRSError, pyproj.exceptions.CRSError, UnboundLocalError)
GEOMETRY_READ_ERRORS = (
    pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FeatureError,
    pyogrio.errors.FieldError, pyogrio.errors.GeometryError, shapely.errors.GEOSException,
    UnicodeDecodeError, *CRS_READ_ERRORS, ValueError,
)
#: How binary files mistaken for tables start, and what they are.
BINARY_MAGIC = (
    (b"PK\x03\x04", "a zip archive or an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3\x00", "an SQLite database or GeoPackage"),
)
#: Byte-order marks of the UTF-16 and UTF-32 encodings (Excel's "Unicode text" is UTF-16 LE),
#: longest first so UTF-32 LE is not taken for UTF-16 LE.
UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class Table:
    """A table read from a file, every cell as text.

    Attributes
    ----------
    frame : pandas.DataFrame
        The cells as strings ("" for empty).
    delimiter : str
        The field separator found (";" means decimal commas are expected).
    notes : tuple of str
        Things worth telling the user that are not problems (e.g. "file starts with a BOM").
    """

    frame: pd.DataFrame
    delimiter: str = ","
    notes: tuple[str, ...] = ()


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(path: Path) -> None:
    """Raise a :class:`LayerError` if ``path`` is missing, empty or too large."""
    if not path.exists():
        raise LayerError(
            f"file not found: {path}",
            "check the layer's `path` in manifest.toml (it is relative to the manifest).",
        )
    if path.is_dir():
        raise LayerError(f"{path} is a folder, not a file", "name the file itself in `path`.")
    size = path.stat().st_size
    if size == 0:
        raise LayerError(
            "the file is empty (0 bytes)",
            "download it again; an interrupted download often leaves an empty file.",
        )
    if size > MAX_SOURCE_BYTES:
        raise LayerError(
            f"the file is {size / 1e6:.0f} MB, more than the {MAX_SOURCE_BYTES / 1e6:.0f} MB limit",
            "subset it to the counties of the region before loading.",
        )


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def read_table(path: Path) -> Table:
    """Read a CSV / TSV / Census API JSON / Parquet file as text cells.

    Parameters
    ----------
    path : Path
        The file. Its suffix chooses the reader.

    Returns
    -------
    Table
        The cells as text, the delimiter used and notes for the user.

    Raises
    ------
    LayerError
        When the file is missing, empty, not decodable, or not a table.
    """
    check_file(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = _parquet(pd.read_parquet, path)
        return Table(frame.astype("string").fillna("").astype(object), ",")
    raw = path.read_bytes()
    text, notes = _decode(raw)
    _check_text(raw, text)
    if suffix == ".json":
        return Table(_census_api_json(text), ",", notes)
    return _read_delimited(text, notes)


def _decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    notes: list[str] = []
    encoding = unicode_bom(raw)
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise LayerError(
                f"the file starts with a {encoding.upper()} byte-order mark but its text is not "
                f"{encoding.upper()}",
                "open it in a spreadsheet or text editor and save it again as UTF-8 CSV.",
            ) from None
        notes.append(f"the file is {encoding.upper()} text; it was read as such")
        return text.removeprefix("\ufeff"), tuple(notes)
    if raw.startswith(b"\xef\xbb\xbf"):
        notes.append("the file starts with a UTF-8 byte-order mark (BOM); it was ignored")
    try:
        return raw.decode("utf-8-sig"), tuple(notes)
    except UnicodeDecodeError:
        notes.append("the file is not UTF-8; it was read as Windows-1252 (Excel's default)")
        return raw.decode("cp1252", errors="replace"), tuple(notes)


def _check_text(raw: bytes, text: str) -> None:
    """Refuse a file that is not text: a workbook, an archive, or other binary bytes (their
    control characters would also garble the messages that quote the file's cells)."""
    kind = next((k for magic, k in BINARY_MAGIC if raw.startswith(magic)), None)
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r")
    if kind is None and "\x00" not in sample and controls <= len(sample) // 100:
        return
    raise LayerError(
        f"the file is not a text table: it is {kind or 'binary data (it holds control bytes)'}",
        "open it in a spreadsheet program and save it as CSV (comma-separated), or download the "
        "CSV again.",
    )


def unicode_bom(raw: bytes) -> str | None:
    """The encoding a UTF-16 or UTF-32 byte-order mark at the start of ``raw`` names, else None."""
    return next((encoding for bom, encoding in UNICODE_BOMS if raw.startswith(bom)), None)


def _read_delimited(text: str, notes: tuple[str, ...]) -> Table:
    if not text.strip():
        raise LayerError("the file has no rows, not even a header", "download it again.")
    delimiter = sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise LayerError(
            f"the file is not a readable table: {_first_line(exc)}",
            "open it in a spreadsheet program and save it again as CSV (comma-separated).",
        ) from None
    _check_rows(frame, text, delimiter)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.drop(columns=[c for c in frame.columns if c in ("", "Unnamed: 0")])
    if delimiter != ",":
        name = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}[delimiter]
        notes = (*notes, f"columns are separated by {name}")
    return Table(frame, delimiter, notes)


def _check_rows(frame: pd.DataFrame, text: str, delimiter: str) -> None:
    """Refuse the ways a damaged CSV reads without a parser error: rows longer than the header
    (pandas takes the extra cells as an index), a quote left open, which swallows the following
    rows into one cell, and a file cut off in the middle of its last row."""
    if not isinstance(frame.index, pd.RangeIndex):  # pandas made the extra leading cells an index
        raise LayerError(
            f"the rows have {frame.index.nlevels} more cells than the header, so every cell would "
            "land under the wrong column",
            "remove the extra cells (often a delimiter at the end of each row), or add the missing "
            "column names to the header.",
        )
    for column in frame.columns:
        cells = frame[column].astype("string").fillna("")
        merged = cells.str.contains("\n", regex=False) & cells.str.contains(delimiter, regex=False)
        if merged.any():
            row = int(merged.to_numpy().nonzero()[0][0])
            raise LayerError(
                f"a quote (\") opened in row {row + 2} is not closed where the cell ends, so the rows "
                "after it were read into one cell",
                "close the quote (or remove it) in a text editor, or save the file again from a "
                "spreadsheet program.",
                f"column {column}, row {row + 2}",
            )
    last = text.splitlines()[-1] if not text.endswith(("\n", "\r")) else ""
    fields = next(csv.reader([last], delimiter=delimiter), []) if last else []
    if last and len(frame) and len(fields) < len(frame.columns):
        raise LayerError(
            f"the file ends in the middle of its last row (row {len(frame) + 1} has {len(fields)} of "
            f"{len(frame.columns)} cells): it was probably cut off while downloading or copying",
            "download the file again and check its size against the source.",
        )


def sniff_delimiter(text: str) -> str:
    """Pick the field separator from the header line: the most frequent of , ; tab | outside
    quotes. A header never holds numbers with decimal commas, so it is a safe sample."""
    header = text.splitlines()[0]
    counts: dict[str, int] = {d: 0 for d in (",", ";", "\t", "|")}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _census_api_json(text: str) -> pd.DataFrame:
    """Census Data API JSON: an array whose first row is the header. A list of records (what
    many other APIs return) is accepted too."""
    data = parse_json(text)
    if isinstance(data, list) and data and all(isinstance(r, list) for r in data):
        header, *rows = data
        if not rows:
            raise LayerError("the JSON has a header row but no data rows", "query again.")
        names = [str(h).strip() for h in header]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated or "" in names:
            what = (f"repeats {', '.join(repr(n[:40]) for n in repeated[:5])}" if repeated
                    else "has a blank name")
            raise LayerError(
                f"the JSON's header row {what}, so its columns cannot be told apart",
                "download the file again from the Census Data API, asking for each variable once.",
            )
        width = len(header)
        bad = [i + 2 for i, r in enumerate(rows) if len(r) != width]
        if bad:
            raise LayerError(
                f"rows {bad[:5]} have a different number of values than the header",
                "download the file again from the Census Data API.",
            )
        frame = pd.DataFrame(rows, columns=names)
    elif isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        frame = pd.DataFrame.from_records(data)
    else:
        raise LayerError(
            "the JSON is neither a Census Data API table (a list of rows, header first) "
            "nor a list of records",
            "use the Census Data API's output, or save the table as CSV.",
        )
    return frame.astype("string").fillna("").astype(object)


def parse_json(text: str) -> object:
    """Parse JSON, turning a syntax error into a message that says where and why."""
    try:
        return json.loads(text)
    except RecursionError:
        raise LayerError(
            "the JSON is nested far too deeply (thousands of brackets inside each other) to be a "
            "table or a map layer",
            "download the file again from its source; do not edit it by hand.",
        ) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or _unclosed(text):
            raise LayerError(
                f"the JSON ends before it is complete (line {exc.lineno}, column {exc.colno}): "
                "the file was probably cut off while downloading or copying",
                "download the file again and check its size against the source.",
            ) from None
        raise LayerError(
            f"the JSON is not valid at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            "download the file again; do not edit JSON by hand.",
        ) from None


def _unclosed(text: str) -> bool:
    """Whether JSON text ends inside a string or with brackets still open (a cut-off file)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return in_string or depth > 0


# --------------------------------------------------------------------------------------------
# Vector geometry
# --------------------------------------------------------------------------------------------


def read_vector(
    path: Path, *, member: str | None = None, layer: str | None = None, crs: str | None = None
) -> gpd.GeoDataFrame:
    """Read a vector layer (shapefile, zipped shapefile, GeoJSON, GeoPackage, GeoParquet).

    Parameters
    ----------
    path : Path
        The file.
    member : str, optional
        The ``.shp`` inside a ``.zip`` holding more than one shapefile.
    layer : str, optional
        The layer of a GeoPackage holding more than one.
    crs : str, optional
        CRS to assume when the file declares none (a shapefile without ``.prj``).

    Returns
    -------
    geopandas.GeoDataFrame
        With a CRS; columns as in the file.
    """
    check_file(path)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        source = _zip_source(path, member, crs)
    elif suffix == ".shp":
        _check_shapefile_parts(path, crs)
        source = str(path)
    elif suffix in (".geojson", ".json"):
        raw = path.read_bytes()
        if (encoding := unicode_bom(raw)) is not None:
            raise LayerError(
                f"the GeoJSON is saved as {encoding.upper()} text; GeoJSON must be UTF-8",
                "export the layer again as GeoJSON (QGIS writes UTF-8), or save the file as UTF-8 "
                "in a text editor.",
            )
        text, _ = _decode(raw)
        parse_json(text)  # a clear message for truncated or broken files
        source = str(path)
    elif suffix == ".parquet":
        return _with_crs(_parquet(gpd.read_parquet, path), crs, path)
    elif suffix == ".gpkg":
        layer = layer or _single_gpkg_layer(path)
        source = str(path)
    else:
        raise LayerError(
            f"'{suffix}' is not a geometry format this dashboard reads",
            "use a shapefile (.shp or .zip), GeoJSON, GeoPackage or GeoParquet.",
        )
    try:
        frame = gpd.read_file(source, layer=layer, engine="pyogrio")
    except CRS_READ_ERRORS:
        raise LayerError(
            "the file's coordinate reference system (a shapefile's .prj) is damaged and cannot be read",
            "copy the .prj from the original download, or remove it and set `crs = \"EPSG:4269\"` "
            "(Census files) on this layer in manifest.toml.",
        ) from None
    except UnicodeDecodeError:
        raise LayerError(
            "the file's text (its names or other fields) is not UTF-8, the encoding it must have",
            "export the layer again from QGIS with the encoding set to UTF-8 (for a shapefile, "
            "include the .cpg that says its encoding).",
        ) from None
    except GEOMETRY_READ_ERRORS as exc:
        why = ("its features are not laid out as the format requires" if type(exc) is ValueError
               else _first_line(exc))
        raise LayerError(
            f"the file could not be read as geometry: {why}",
            "download it again, or open it in QGIS to check it (Vector > Geometry Tools > Check "
            "Validity finds unclosed rings and coordinates that are not numbers).",
        ) from None
    return _with_crs(frame, crs, path)


def _parquet(reader: Callable[[Path], pd.DataFrame], path: Path) -> pd.DataFrame:
    """Read a (Geo)Parquet file; a damaged one, or a plain table read as geometry, is a LayerError."""
    try:
        return reader(path)
    except (pyarrow.ArrowException, ValueError, OSError) as exc:
        raise LayerError(
            f"the Parquet file could not be read: {_first_line(exc)}",
            "download it again; for geometry, write it with GeoPandas' to_parquet (GeoParquet).",
        ) from None


def _with_crs(frame: gpd.GeoDataFrame, crs: str | None, path: Path) -> gpd.GeoDataFrame:
    if frame.crs is None:
        if crs is None:
            raise LayerError(
                "the file declares no coordinate reference system",
                "add the .prj that came with the download, or set `crs = \"EPSG:4269\"` "
                "(the Census Bureau's) on this layer in manifest.toml.",
            )
        frame = frame.set_crs(crs)
    return frame


def _check_shapefile_parts(path: Path, crs: str | None) -> None:
    missing = [s for s in SHAPEFILE_SIDECARS if not _sibling(path, s).exists()]
    if missing:
        raise LayerError(
            f"the shapefile is incomplete: {', '.join(path.stem + s for s in missing)} missing",
            "copy every file that came with the download (.shp, .shx, .dbf, .prj) or point "
            "`path` at the original .zip.",
        )
    if not _sibling(path, ".prj").exists() and crs is None:
        raise LayerError(
            f"the shapefile has no {path.stem}.prj, so its coordinates cannot be placed",
            "copy the .prj from the original download, or set `crs = \"EPSG:4269\"` (Census "
            "TIGER/cartographic files) on this layer in manifest.toml.",
        )


def _sibling(path: Path, suffix: str) -> Path:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return path.with_suffix(suffix)


def _zip_source(path: Path, member: str | None, crs: str | None) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError):  # e.g. "zip file version 6.4"
        raise LayerError(
            "the .zip is damaged or not a zip archive", "download it again."
        ) from None
    _check_members(infos)
    shps = sorted(n for n in names if n.lower().endswith(".shp"))
    if member is not None:
        if member not in shps:
            raise LayerError(
                f"the .zip has no shapefile named {member!r}; it holds {', '.join(shps) or 'none'}",
                "set `member` to one of those names.",
            )
        shps = [member]
    if not shps:
        raise LayerError("the .zip holds no shapefile (.shp)", "check you downloaded the layer.")
    if len(shps) > 1:
        raise LayerError(
            f"the .zip holds {len(shps)} shapefiles ({', '.join(shps)}), so it is not clear "
            "which to load",
            f"add `member = \"{shps[0]}\"` (or another of them) to this layer in manifest.toml.",
        )
    stem = shps[0][:-4]
    lower = {n.lower() for n in names}
    missing = [s for s in SHAPEFILE_SIDECARS if (stem + s).lower() not in lower]
    if missing:
        raise LayerError(
            f"the shapefile in the .zip is incomplete: {', '.join(stem + s for s in missing)} "
            "missing",
            "download the complete archive again.",
        )
    if (stem + ".prj").lower() not in lower and crs is None:
        raise LayerError(
            f"the shapefile in the .zip has no {stem}.prj, so its coordinates cannot be placed",
            "use the original download, or set `crs = \"EPSG:4269\"` on this layer.",
        )
    return f"/vsizip/{path}/{shps[0]}"


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip member whose name is absolute or climbs out with ``..``, or that is a
    symbolic link: GDAL would resolve such a name outside the archive."""
    for info in infos:
        name = info.filename
        unsafe = ("has an absolute path" if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name)
                  else "leads out of its folder" if ".." in re.split(r"[\\/]", name)
                  else "is a symbolic link" if stat.S_ISLNK(info.external_attr >> 16) else None)
        if unsafe:
            raise LayerError(
                f"the .zip holds a file that {unsafe} ({name[:80]!r}), which is not allowed",
                "zip the shapefile's files again from inside their folder, or use the original "
                "download.",
            )


def _single_gpkg_layer(path: Path) -> str | None:
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
    except GEOMETRY_READ_ERRORS as exc:
        raise LayerError(
            f"the GeoPackage could not be opened: {_first_line(exc)}",
            "export the layer again as a GeoPackage from QGIS, or use GeoJSON.",
        ) from None
    if len(layers) > 1:
        raise LayerError(
            f"the GeoPackage holds {len(layers)} layers ({', '.join(layers)})",
            f"add `layer = \"{layers[0]}\"` (or another of them) to this layer in manifest.toml.",
        )
    return layers[0] if layers else None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
