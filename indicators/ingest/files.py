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
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from indicators.config import MAX_SOURCE_BYTES
from indicators.problems import LayerError

TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".json", ".parquet"}
VECTOR_SUFFIXES = {".shp", ".zip", ".geojson", ".json", ".gpkg", ".parquet"}
SHAPEFILE_SIDECARS = (".shx", ".dbf")


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
        frame = pd.read_parquet(path)
        return Table(frame.astype("string").fillna("").astype(object), ",")
    raw = path.read_bytes()
    text, notes = _decode(raw)
    if suffix == ".json":
        return Table(_census_api_json(text), ",", notes)
    return _read_delimited(text, notes)


def _decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    notes: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        notes.append("the file starts with a UTF-8 byte-order mark (BOM); it was ignored")
    try:
        return raw.decode("utf-8-sig"), tuple(notes)
    except UnicodeDecodeError:
        notes.append("the file is not UTF-8; it was read as Windows-1252 (Excel's default)")
        return raw.decode("cp1252", errors="replace"), tuple(notes)


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
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.drop(columns=[c for c in frame.columns if c in ("", "Unnamed: 0")])
    if delimiter != ",":
        name = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}[delimiter]
        notes = (*notes, f"columns are separated by {name}")
    return Table(frame, delimiter, notes)


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
        width = len(header)
        bad = [i + 2 for i, r in enumerate(rows) if len(r) != width]
        if bad:
            raise LayerError(
                f"rows {bad[:5]} have a different number of values than the header",
                "download the file again from the Census Data API.",
            )
        frame = pd.DataFrame(rows, columns=[str(h) for h in header])
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
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or _unclosed(text):
            raise LayerError(
                f"the JSON ends before it is complete (line {exc.lineno}, column {exc.colno}): "
                "the file was probably cut off while downloading or copying",
                "download the file again and check its size against the source.",
            ) from None
        raise LayerError(
            f"the JSON is not valid at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            "download the file again; do not edit GeoJSON by hand.",
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
        text, _ = _decode(path.read_bytes())
        parse_json(text)  # a clear message for truncated or broken files
        source = str(path)
    elif suffix == ".parquet":
        return _with_crs(gpd.read_parquet(path), crs, path)
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
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise LayerError(
            f"the file could not be read as geometry: {_first_line(exc)}",
            "download it again, or open it in QGIS to check it.",
        ) from None
    return _with_crs(frame, crs, path)


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
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise LayerError(
            "the .zip is damaged or not a zip archive", "download it again."
        ) from None
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


def _single_gpkg_layer(path: Path) -> str | None:
    layers = [name for name, _ in pyogrio.list_layers(path)]
    if len(layers) > 1:
        raise LayerError(
            f"the GeoPackage holds {len(layers)} layers ({', '.join(layers)})",
            f"add `layer = \"{layers[0]}\"` (or another of them) to this layer in manifest.toml.",
        )
    return layers[0] if layers else None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
