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

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow
import pyogrio
import pyproj
import shapely.errors

from indicators.config import MAX_SOURCE_BYTES
from indicators.ingest import zips
from indicators.ingest.text import (
    Table,
    census_api_json,
    check_text,
    decode,
    first_line,
    parse_json,
    read_delimited,
    unicode_bom,
)
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
    text, notes = decode(raw)
    check_text(raw, text)
    del raw  # a national file is hundreds of MB: not kept while its text is parsed
    if suffix == ".json":
        return Table(census_api_json(text), ",", notes)
    return read_delimited(text, notes)


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
        text, _ = decode(raw)
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
               else first_line(exc))
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
            f"the Parquet file could not be read: {first_line(exc)}",
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
        if (unsafe := zips.unsafe_member(info)) is not None:
            raise LayerError(
                f"the .zip holds a file that {unsafe} ({info.filename[:80]!r}), which is not allowed",
                "zip the shapefile's files again from inside their folder, or use the original "
                "download.",
            )


def _single_gpkg_layer(path: Path) -> str | None:
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
    except GEOMETRY_READ_ERRORS as exc:
        raise LayerError(
            f"the GeoPackage could not be opened: {first_line(exc)}",
            "export the layer again as a GeoPackage from QGIS, or use GeoJSON.",
        ) from None
    if len(layers) > 1:
        raise LayerError(
            f"the GeoPackage holds {len(layers)} layers ({', '.join(layers)})",
            f"add `layer = \"{layers[0]}\"` (or another of them) to this layer in manifest.toml.",
        )
    return layers[0] if layers else None
