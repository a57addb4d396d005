"""Read a boundary a visitor uploads (GeoJSON, a zipped shapefile or a GeoPackage), safely.

Residents and analysts upload their own area's outline to get its profile. The file comes from
anyone, so it is treated as hostile: its size is capped before it is parsed; a zip is checked
before anything is unpacked (no absolute paths, no ``..``, no links, no zip bombs) and only the
shapefile's parts are unpacked, under fixed names, into a private temporary folder deleted once
read. GDAL only reads; nothing is run or kept. The result is named, valid polygons in EPSG:4326 in
file order, with sentences saying what was repaired, simplified or left out; what stops the read
is an :class:`UploadError`.
"""

from __future__ import annotations

import io
import math
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj.exceptions import CRSError

from indicators import config
from indicators.ingest import zips
from indicators.ingest.files import GEOMETRY_READ_ERRORS

# Private but small and pure: uploads are repaired exactly as the region's own layers are.
from indicators.ingest.geography import _polygonal
from indicators.ingest.text import parse_json, unicode_bom
from indicators.metrics.areas import Message
from indicators.problems import LayerError, sample_list

#: The most points (vertices) an upload keeps; more are simplified away, so the map stays fast.
MAX_VERTICES = 100_000
#: The longest area name kept, in characters.
MAX_NAME_CHARS = 120
#: Fields tried, in this order, for each area's name when no field is chosen.
NAME_FIELDS = ("name", "NAME", "Name", "NAMELSAD", "label", "title", "id")

# Smaller members are never refused for their ratio (a blank-padded .dbf compresses > 100x).
_GDAL_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError)
_GEOJSON_TYPES = {"FeatureCollection", "Feature", "Point", "MultiPoint", "LineString",
                  "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}
_CRS_EXAMPLES = Message("for example EPSG:4326 for longitude/latitude, EPSG:2240 for Georgia West "
                        "State Plane feet")
_KIND_WORDS = {"Point": Message("points"), "MultiPoint": Message("points"),
               "LineString": Message("lines"), "MultiLineString": Message("lines")}


@dataclass(frozen=True, eq=False)
class Upload:
    """An uploaded boundary, ready for a profile."""

    #: ``name`` (plain text, unique) and ``geometry`` (valid (Multi)Polygon), EPSG:4326, file order.
    areas: gpd.GeoDataFrame
    #: Plain sentences for the page: what was repaired, simplified or left out (each a
    #: :class:`~indicators.metrics.areas.Message`, which a page can translate).
    notes: tuple[str, ...] = ()


class UploadError(Exception):
    """An upload that cannot be used; ``str(exc)`` says in one sentence what is wrong and the fix,
    and ``message`` the same as a :class:`~indicators.metrics.areas.Message` (for a translation)."""

    def __init__(self, template: str, /, **values: object) -> None:
        self.message = Message(template, **values)
        super().__init__(str(self.message))


def read_upload(data: bytes, filename: str, *, crs: str | None = None, name_field: str | None = None,
                max_bytes: int | None = None) -> Upload:
    """Read an uploaded boundary into named, valid polygons in EPSG:4326.

    Parameters
    ----------
    data : bytes
        The file's contents; the format is told from them (zip, GeoPackage or JSON).
    filename : str
        The visitor's name for the file: never a path, its suffix only explains a lone ``.shp``.
    crs : str, optional
        The coordinate system to assume when the file declares none (a shapefile without its
        ``.prj``), e.g. ``"EPSG:2240"``. A file that declares one is read in its own.
    name_field : str, optional
        The field of names. Default: the first of :data:`NAME_FIELDS` present, else "Area n".
    max_bytes : int, optional
        The size limit. Default: :func:`indicators.config.max_upload_bytes`.

    Returns
    -------
    Upload
        The areas and notes; else an :class:`UploadError` says why (too large, unsafe, unreadable,
        not placeable on the map, or no areas).

    Examples
    --------
    >>> import json
    >>> square = {"type": "Polygon", "coordinates": [[[-84.40, 33.75], [-84.39, 33.75],
    ...           [-84.39, 33.76], [-84.40, 33.76], [-84.40, 33.75]]]}
    >>> upload = read_upload(json.dumps(square).encode(), "area.geojson")
    >>> upload.areas["name"].tolist(), upload.areas.crs.to_string(), upload.notes
    (['Area 1'], 'EPSG:4326', ())
    """
    limit = config.max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise UploadError("The file is {size}; the limit is {limit}: upload only your area's outline, "
                          "or simplify it (QGIS: Vector > Geometry Tools).",
                          size=Message(zips.megabytes(len(data))), limit=Message(zips.megabytes(limit)))
    if not data:
        raise UploadError("The file is empty (0 bytes): upload it again.")
    with tempfile.TemporaryDirectory(prefix="jc-upload-") as tmp:
        frame, shapefile_without_prj = _read(bytes(data), filename, Path(tmp), limit)
    field = _name_field(frame, name_field)
    notes: list[str] = []
    frame = _polygon_features(frame, notes)
    frame = _to_storage_crs(frame, crs, shapefile_without_prj)
    frame = _repaired(frame, notes)
    geometry = _simplified(shapely.force_2d(frame.geometry.to_numpy()), notes)
    names = _names(frame[field] if field else [None] * len(frame))
    areas = gpd.GeoDataFrame({"name": names}, geometry=geometry, crs=config.STORAGE_CRS)
    return Upload(areas, tuple(notes))


def csv_safe(text: str) -> str:
    r"""Make a text cell inert in a spreadsheet: a value starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return is a formula to Excel, so it gets a leading apostrophe.
    Use it on text written to CSV (area names), never on numbers.

    >>> print(csv_safe('=HYPERLINK("http://x")'), csv_safe("Old Fourth Ward"), sep="\n")
    '=HYPERLINK("http://x")
    Old Fourth Ward
    """
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _read(data: bytes, filename: str, folder: Path, limit: int) -> tuple[gpd.GeoDataFrame, str | None]:
    """Read the file, told by its first bytes; also the shapefile's name if it has no .prj."""
    layer, missing_prj = None, None
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        path, missing_prj = _unpack_shapefile(data, folder, limit)
    elif data[:16] == b"SQLite format 3\x00":
        path = folder / "upload.gpkg"
        path.write_bytes(data)
        layer = _gpkg_layer(path)
    elif data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        _check_geojson(data)
        path = folder / "upload.geojson"
        path.write_bytes(data)
    elif (encoding := unicode_bom(data)) is not None:
        raise _unreadable(Message("it is saved as {encoding} text and GeoJSON must be UTF-8, so export "
                                  "the layer again as GeoJSON, or save it as UTF-8 in a text editor",
                                  encoding=encoding.upper()))
    elif PurePosixPath(filename.replace("\\", "/")).suffix.lower() in (".shp", ".shx", ".dbf", ".prj"):
        raise UploadError("A shapefile's parts cannot be read one at a time: put the .shp, .shx, "
                          ".dbf and .prj of the same name into one .zip and upload the .zip.")
    else:
        raise _unreadable(Message("it is none of those, so check you chose the right file (a .geojson, a "
                          ".zip holding a shapefile, or a .gpkg)"))
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio"), missing_prj
    except UnicodeDecodeError as exc:
        raise _unreadable(Message("its names or other text are not UTF-8, so export it again with the "
                          "encoding set to UTF-8")) from exc
    except GEOMETRY_READ_ERRORS as exc:  # GDAL's words name the temporary path; they stay in the chain
        raise _unreadable(Message("its contents are damaged, so export it again")) from exc


def _check_geojson(data: bytes) -> None:
    """Explain JSON that is broken or is not GeoJSON before GDAL sees it."""
    try:
        document = parse_json(data.decode("utf-8-sig", errors="replace"))
    except LayerError as exc:
        raise _unreadable(Message("{problem}; {fix}", problem=exc.message, fix=exc.fix.rstrip("."))) from None
    except RecursionError:
        raise _unreadable(Message("its JSON is nested far too deeply to be a map layer")) from None
    kind = document.get("type") if isinstance(document, dict) else None
    if kind not in _GEOJSON_TYPES:
        found = repr(str(kind)[:40]) if kind is not None else Message("missing")
        raise UploadError('The file is JSON but not GeoJSON (whose "type" is "FeatureCollection", '
                          '"Feature" or a geometry; this file\'s is {found}): export the layer as '
                          "GeoJSON from your map program, or draw it at geojson.io.", found=found)


def _unpack_shapefile(data: bytes, folder: Path, limit: int) -> tuple[Path, str | None]:
    """Check the archive, then unpack its shapefile as ``folder/upload.*`` (archive names never
    become paths). :mod:`zipfile` never unpacks past a member's declared, checked size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            zips.check_members(infos := archive.infolist(), limit)
            shp = zips.only_shapefile(infos)
            stem, parts = shp.filename[:-4], {info.filename.lower(): info for info in infos}
            missing = [PurePosixPath(stem + s).name for s in (".shx", ".dbf")
                       if (stem + s).lower() not in parts]
            if missing:
                raise UploadError("The shapefile in the .zip is incomplete ({missing} missing): zip it "
                                  "again with every file of the same name (.shp, .shx, .dbf and "
                                  ".prj).", missing=", ".join(missing))
            for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                if (info := parts.get((stem + suffix).lower())) is not None:
                    with archive.open(info) as source, (folder / f"upload{suffix}").open("wb") as out:
                        shutil.copyfileobj(source, out)
    except zips.ArchiveError as exc:
        raise UploadError(str(exc)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _unreadable(Message("the .zip is damaged, locked or packed in a way this page cannot open, "
                          "so zip the files again")) from exc
    has_prj = (stem + ".prj").lower() in parts
    return folder / "upload.shp", None if has_prj else PurePosixPath(shp.filename).name


def _gpkg_layer(path: Path) -> str:
    """The GeoPackage's one layer of areas, else its first map layer (its type is explained later)."""
    try:
        layers = [(str(name), kind) for name, kind in pyogrio.list_layers(path)]
    except _GDAL_ERRORS as exc:
        raise _unreadable(Message("the GeoPackage is damaged, so export it again")) from exc
    areas = [name for name, kind in layers if kind and ("Polygon" in kind or "Surface" in kind)]
    if len(areas) > 1:
        raise UploadError("The GeoPackage holds {count} layers of areas ({layers}), so it is not clear "
                          "which is yours: save that layer alone and upload it.", count=len(areas),
                          layers=sample_list(areas))
    if not (mapped := areas or [name for name, kind in layers if kind]):
        raise UploadError("The GeoPackage holds no map layer, only tables: save the layer of your "
                          "area into it, or export that layer as GeoJSON.")
    return mapped[0]


def _polygon_features(frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """Keep the features that are areas; note the empty and non-polygon ones left out."""
    empty = (frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    if empty.all():
        raise UploadError("The file holds no shapes: export the layer again with your area in it.")
    kinds = frame.geometry.geom_type.to_numpy()
    polygonal = ~empty & np.isin(kinds, ["Polygon", "MultiPolygon"])
    other = ~empty & ~polygonal
    words = _and(sorted({_KIND_WORDS.get(str(k), Message("{kind} features", kind=str(k)))
                         for k in kinds[other]}))
    if not polygonal.any():
        raise UploadError("The file holds {words}, not areas: draw or upload the outline of the area "
                          "(a polygon).", words=words)
    if n := int(empty.sum()):
        notes.append(_count(n, "Left out {n:,} feature with no geometry.",
                            "Left out {n:,} features with no geometry."))
    if n := int(other.sum()):
        notes.append(_count(n, "Left out {n:,} non-area feature ({words}); only areas are profiled.",
                            "Left out {n:,} non-area features ({words}); only areas are profiled.",
                            words=words))
    return frame[polygonal].reset_index(drop=True)


def _to_storage_crs(frame: gpd.GeoDataFrame, crs: str | None, no_prj: str | None) -> gpd.GeoDataFrame:
    """Place the coordinates (declared, else ``crs``), check they can be, and reproject."""
    if frame.crs is None:
        if crs is None and no_prj:
            raise UploadError("The shapefile {file} has no .prj file, so its coordinate system is "
                              "unknown: add the .prj from the same download, or choose the coordinate "
                              "system ({examples}).", file=no_prj, examples=_CRS_EXAMPLES)
        if crs is None:
            raise UploadError("The file does not say which coordinate system its coordinates are "
                              "in, so they cannot be placed: choose it ({examples}).",
                              examples=_CRS_EXAMPLES)
        try:
            frame = frame.set_crs(crs.strip())
        except CRSError:
            raise UploadError("The coordinate system {crs!r} is not one this page knows: choose one by "
                              "its EPSG code ({examples}).", crs=crs[:40], examples=_CRS_EXAMPLES) from None
    x0, y0, x1, y1 = frame.total_bounds
    if frame.crs.is_geographic and (max(-x0, x1) > 180 or max(-y0, y1) > 90):
        raise UploadError("The coordinates are declared as longitude/latitude ({crs}) but run from "
                          "{x0} to {x1} across and {y0} to {y1} up, which no longitude or latitude "
                          "can: export the file again in its real coordinate system (with a shapefile, "
                          "include the .prj that came with it).", crs=frame.crs.to_string(),
                          x0=_plain(x0), x1=_plain(x1), y0=_plain(y0), y1=_plain(y1))
    frame = frame.to_crs(config.STORAGE_CRS)
    x0, y0, x1, y1 = frame.total_bounds
    if not (np.isfinite([x0, y0, x1, y1]).all() and max(-x0, x1) <= 180 and max(-y0, y1) <= 90):
        raise UploadError("The coordinates do not land on the Earth in the coordinate system they "
                          "are said to be in: check it (the .prj, or the one you chose).")
    return frame


def _repaired(frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """Repair invalid outlines (a bow-tie, say) into their polygonal parts; drop empty results."""
    geometry = frame.geometry.to_numpy().copy()
    invalid = ~shapely.is_valid(geometry)
    if not invalid.any():
        return frame
    geometry[invalid] = [_polygonal(g) for g in shapely.make_valid(geometry[invalid])]
    lost = np.array([g is None for g in geometry])
    if lost.all():
        raise UploadError("No area is left once the file's outlines are repaired (they enclose no "
                          "area): draw the outline again as one closed shape.")
    if n := int(invalid.sum() - lost.sum()):
        notes.append(_count(n, "Repaired {n:,} area with crossing edges or other outline errors; "
                            "check the shape on the map.", "Repaired {n:,} areas with crossing edges "
                            "or other outline errors; check the shape on the map."))
    if n := int(lost.sum()):
        notes.append(_count(n, "Left out {n:,} outline enclosing no area once repaired.",
                            "Left out {n:,} outlines enclosing no area once repaired."))
    frame = frame.set_geometry(gpd.GeoSeries(geometry, index=frame.index, crs=frame.crs))
    return frame[~lost].reset_index(drop=True)


def _simplified(geometry: np.ndarray, notes: list[str]) -> np.ndarray:
    """Simplify past :data:`MAX_VERTICES` points, from 1e-5 degrees (~1 m) doubled each try."""
    before = int(shapely.get_num_coordinates(geometry).sum())
    if before <= MAX_VERTICES:
        return geometry
    tolerance = 1e-5
    for _ in range(30):  # 1e-5 * 2**30 degrees is wider than the Earth: then nothing is left to cut
        simplified = shapely.simplify(geometry, tolerance, preserve_topology=True)
        if (after := int(shapely.get_num_coordinates(simplified).sum())) <= MAX_VERTICES:
            break
        tolerance *= 2
    else:
        raise UploadError("The file has {points:,} points in {count:,} areas, too many to simplify "
                          "under the {most:,} this page works with: upload fewer areas at a time.",
                          points=before, count=len(geometry), most=MAX_VERTICES)
    notes.append(_count(len(geometry), "The outline was simplified from {before:,} to {after:,} points "
                        "(edges moved by up to about {metres:,.0f} m) to stay under {most:,}; the "
                        "profile uses the simplified outline.", "The outlines were simplified from "
                        "{before:,} to {after:,} points (edges moved by up to about {metres:,.0f} m) to "
                        "stay under {most:,}; the profile uses the simplified outline.", before=before,
                        after=after, metres=tolerance * 111_320, most=MAX_VERTICES))
    return simplified


def _name_field(frame: gpd.GeoDataFrame, name_field: str | None) -> str | None:
    fields = [str(c) for c in frame.columns if c != frame.geometry.name]
    if name_field is None:
        return next((f for f in NAME_FIELDS if f in fields), None)
    if name_field in fields:
        return name_field
    listed = (Message("its fields are {fields}", fields=sample_list(fields, 10)) if fields
              else Message("it has no fields"))
    raise UploadError("The file has no field named {field!r} ({listed}): choose one of its fields for "
                      "the names, or none to number the areas.", field=name_field[:60], listed=listed)


def _names(values: Iterable[object]) -> list[str]:
    """Names as plain text (whitespace runs and control characters made one space, cut to
    :data:`MAX_NAME_CHARS`; HTML kept: pages escape it), else "Area n", unique by " (2)"..."""
    texts = ["".join(ch if ch.isprintable() else " " for ch in _text(v)) for v in values]
    names = [" ".join(text.split())[:MAX_NAME_CHARS].rstrip() or f"Area {i}"
             for i, text in enumerate(texts, start=1)]
    seen: dict[str, int] = {}  # each name given, in order -> the last suffix used for it
    for name in names:
        candidate = name
        while candidate in seen:
            seen[name] += 1
            candidate = f"{name} ({seen[name]})"
        seen[candidate] = 1
    return list(seen)


def _text(value: object) -> str:
    """A cell as text: missing is "", and a numeric id read as 3.0 is "3"."""
    if isinstance(value, float):
        return "" if math.isnan(value) else str(int(value)) if value.is_integer() else str(value)
    return "" if value is None or value is pd.NA or value is pd.NaT else str(value)


def _unreadable(why: Message) -> UploadError:
    return UploadError("The file could not be read as GeoJSON, a zipped shapefile or a GeoPackage: "
                       "{why}.", why=why)


def _plain(value: float) -> Message:
    """A coordinate for a sentence: ``2,200,000``, or ``1e+300`` when far too long to print whole."""
    return Message("{v:,.0f}" if abs(value) < 1e12 else "{v:.3g}", v=float(value))


def _count(n: int, one: str, many: str, **values: object) -> Message:
    """The sentence for one thing, or for ``n`` of them (``{n}`` in both)."""
    return Message(one if n == 1 else many, n=n, **values)


def _and(words: list[Message]) -> Message:
    """``a``, ``a and b``, ``a and b and c``... as one message."""
    if len(words) <= 1:
        return words[0] if words else Message("")
    return Message("{first} and {last}", first=_and(words[:-1]), last=words[-1])
