"""Readers for the geometry layers of a region: units (tracts or block groups), districts and
overlays (HOLC redlining polygons).

Each reader returns a GeoDataFrame in :data:`~indicators.config.STORAGE_CRS` with an
``area_m2`` column measured in the equal-area CRS, after checking what can go wrong in real
downloads: a wrong or missing CRS, missing key or name columns, duplicate or malformed GEOIDs,
empty layers, and invalid polygons (repaired with a warning that names them, or rejected).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from indicators.config import EQUAL_AREA_CRS, STORAGE_CRS
from indicators.ingest.files import read_vector
from indicators.ingest.layer import Layer
from indicators.ingest.values import GEOID_LENGTH, normalise_geoid, normalise_name, restore_leading_zero
from indicators.problems import LayerError, Problems, sample_list

UNIT_KEYS = ("GEOID", "GEOID20", "GEOID10", "GEOIDFQ", "FIPS", "GEO_ID", "AFFGEOID", "TRACTFIPS")
HOLC_GRADES = ("A", "B", "C", "D")


def read_units(layer: Layer, problems: Problems) -> gpd.GeoDataFrame | None:
    """Read the units layer: one polygon per tract or block group.

    Returns
    -------
    geopandas.GeoDataFrame or None
        Columns ``geoid``, ``level``, ``name``, ``county``, ``area_m2``, ``geometry`` (EPSG:4326),
        sorted by GEOID; None when the layer has errors (recorded in ``problems``).
    """
    frame = _read_polygons(layer)
    column = _column(frame, layer.key, UNIT_KEYS, "GEOID", layer)
    geoids = normalise_geoid(frame[column])
    if layer.counties:
        keep = geoids.str[:5].isin(layer.counties)
        if not keep.any():
            problems.error(layer.rel, f"no unit is in the counties {', '.join(layer.counties)}",
                           "check `counties` (5-digit state and county FIPS codes) against the file.",
                           f"column {column}")
            return None
        frame, geoids = frame[keep.to_numpy()], geoids[keep]
    level = layer.level or _level_from_lengths(geoids)
    expected = GEOID_LENGTH[level]
    # A 10-digit code is never valid, so it is a tract whose leading zero a spreadsheet dropped;
    # an 11-digit code under level = "block_group" is more likely a tract than a damaged block
    # group, so it is left to fail.
    geoids, padded = restore_leading_zero(geoids, 11) if expected == 11 else (geoids, False)
    if padded:
        problems.warning(layer.rel, "some GEOIDs had lost their leading zero; it was restored",
                         "", f"column {column}")
    bad = ~geoids.str.fullmatch(rf"\d{{{expected}}}")
    if bad.any():
        problems.error(
            layer.rel,
            f"{int(bad.sum())} GEOIDs are not {expected}-digit {level.replace('_', ' ')} codes "
            f"(e.g. {sample_list([repr(g) for g in geoids[bad].head(3)], 3)})",
            "check `level` (tract = 11 digits, block_group = 12) and `key` in manifest.toml.",
            f"column {column}, features {sample_list([str(i + 1) for i in np.flatnonzero(bad)])}",
        )
        return None
    frame = _one_polygon_each(
        frame.assign(geoid=geoids.to_numpy()), "geoid", layer, problems, column,
        "GEOIDs appear on more than one polygon",
        "dissolve the pieces into one (multi)polygon per GEOID, e.g. in QGIS "
        "(Vector > Geoprocessing > Dissolve, by GEOID).")
    if frame is None:
        return None
    name = _first_column(frame, ("NAMELSAD", "NAMELSAD20", "NAMELSAD10", "NAME", "NAME20", "NAME10"))
    names = frame[name].astype(str) if name else frame["geoid"]
    if name and name.upper().startswith("NAME") and not name.upper().startswith("NAMELSAD"):
        names = "Tract " + names if level == "tract" else "Block group " + names
    out = gpd.GeoDataFrame(
        {
            "geoid": frame["geoid"].to_numpy(),
            "level": level,
            "name": names.to_numpy(),
            "county": frame["geoid"].str[:5].to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    return _finish(out).sort_values("geoid").reset_index(drop=True)


def read_districts(layer: Layer, problems: Problems) -> gpd.GeoDataFrame | None:
    """Read the districts layer: one polygon per named district.

    Returns
    -------
    geopandas.GeoDataFrame or None
        Columns ``district_id`` (a stable slug), ``name``, ``area_m2``, ``geometry``.
    """
    frame = _read_polygons(layer)
    column = _column(frame, layer.name, (), "district name", layer)
    names = frame[column].astype("string").str.strip().fillna("")
    if (names == "").any():
        rows = np.flatnonzero(names == "")
        problems.error(layer.rel, f"{len(rows)} districts have no name", "fill in the names.",
                       f"column {column}, features {sample_list([str(r + 1) for r in rows])}")
        return None
    if names.str.fullmatch(r"\d+(\.0)?").all():  # council districts numbered 1..12
        names = names.str.replace(r"\.0$", "", regex=True)
        names = (layer.name_prefix or "District ") + names
    elif layer.name_prefix:
        names = layer.name_prefix + names
    frame = _one_polygon_each(
        frame.assign(name=names.to_numpy()), "name", layer, problems, column,
        "district names are used by more than one polygon",
        "dissolve each district into one (multi)polygon, or name them apart.")
    if frame is None:
        return None
    out = gpd.GeoDataFrame(
        {"district_id": _slugs(frame["name"]), "name": frame["name"].to_numpy()},
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    return _finish(out).sort_values("name").reset_index(drop=True)


def read_holc(layer: Layer, problems: Problems) -> gpd.GeoDataFrame | None:
    """Read Mapping Inequality HOLC polygons (``holc_grade``/``grade`` A-D).

    Returns
    -------
    geopandas.GeoDataFrame or None
        Columns ``kind`` ("holc"), ``category`` (grade), ``label`` (HOLC id and name),
        ``area_m2``, ``geometry``. Ungraded polygons (industrial or blank) are kept with
        category "" and excluded from grade shares downstream.
    """
    frame = _read_polygons(layer)
    column = _column(frame, layer.key, ("holc_grade", "grade"), "HOLC grade", layer)
    grades = frame[column].astype("string").str.strip().str.upper().fillna("")
    unknown = ~grades.isin([*HOLC_GRADES, ""])
    if unknown.any():
        problems.warning(layer.rel, f"{int(unknown.sum())} polygons have a grade other than A-D "
                         f"({sample_list(sorted(grades[unknown].unique()))}); kept as ungraded",
                         "", f"column {column}")
        grades = grades.where(~unknown, "")
    ident = frame.get("holc_id", pd.Series("", index=frame.index)).astype("string").fillna("")
    title = frame.get("name", pd.Series("", index=frame.index)).astype("string").fillna("")
    labels = (ident + " " + title).str.strip()
    frame = frame.assign(category=grades.to_numpy(), label=labels.to_numpy())
    frame = _valid_polygons(frame, layer, problems, label=frame["label"])
    if frame is None:
        return None
    out = gpd.GeoDataFrame(
        {"kind": "holc", "category": frame["category"].to_numpy(),
         "label": frame["label"].to_numpy()},
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    return _finish(out)


# --------------------------------------------------------------------------------------------


def _read_polygons(layer: Layer) -> gpd.GeoDataFrame:
    frame = read_vector(layer.path, member=layer.member, layer=layer.layer, crs=layer.crs)
    if frame.empty:
        raise LayerError("the layer has no features", "check you exported the right layer.")
    frame = frame[~frame.geometry.isna() & ~frame.geometry.is_empty].copy()
    if frame.empty:
        raise LayerError("every feature of the layer has empty geometry", "export it again.")
    kinds = set(frame.geom_type.unique())
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise LayerError(
            f"the layer holds {', '.join(sorted(kinds))} features; polygons are needed",
            "point `path` at the polygon layer.",
        )
    _check_coordinates(frame)
    return frame.reset_index(drop=True)


def _check_coordinates(frame: gpd.GeoDataFrame) -> None:
    """A declared geographic CRS with projected-looking numbers means a wrong .prj."""
    if frame.crs is None or not frame.crs.is_geographic:
        return
    minx, miny, maxx, maxy = frame.total_bounds
    if min(minx, miny) < -180.5 or max(maxx, maxy) > 180.5 or miny < -90.5 or maxy > 90.5:
        raise LayerError(
            f"the file says its coordinates are longitude/latitude ({frame.crs.to_string()}) but "
            f"they run from {_plain(minx)} to {_plain(maxx)}: the declared CRS is wrong",
            "use the .prj that came with the data, or set `crs` to the real one (e.g. "
            "\"EPSG:2240\" for Georgia West feet) in manifest.toml.",
        )


def _plain(value: float) -> str:
    """A coordinate for a message: ``2,200,000``, or ``1e+300`` when far too long to print whole."""
    return f"{value:,.0f}" if abs(value) < 1e12 else f"{value:.3g}"


def _one_polygon_each(frame: gpd.GeoDataFrame, key: str, layer: Layer, problems: Problems,
                      column: str, what: str, fix: str) -> gpd.GeoDataFrame | None:
    """``frame`` with valid polygons, or None (and an error) where a ``key`` value names more
    than one feature: each unit and each district must be one (multi)polygon."""
    dupes = sorted(frame.loc[frame[key].duplicated(), key].unique())
    if dupes:
        problems.error(layer.rel, f"{len(dupes)} {what} ({sample_list(dupes)})", fix,
                       f"column {column}")
        return None
    return _valid_polygons(frame, layer, problems, label=frame[key])


def _valid_polygons(
    frame: gpd.GeoDataFrame, layer: Layer, problems: Problems, label: pd.Series
) -> gpd.GeoDataFrame | None:
    invalid = ~frame.geometry.is_valid
    if not invalid.any():
        return frame
    repaired = shapely.make_valid(frame.geometry[invalid].to_numpy())
    polygons = [_polygonal(g) for g in repaired]
    failed = [lab for lab, g in zip(label[invalid], polygons, strict=True) if g is None]
    if failed:
        problems.error(
            layer.rel,
            f"{len(failed)} polygons are invalid and could not be repaired ({sample_list(failed)})",
            "repair them in QGIS (Vector > Geometry Tools > Fix Geometries) and save again.",
        )
        return None
    problems.warning(
        layer.rel,
        f"{int(invalid.sum())} invalid polygons (e.g. self-intersecting) were repaired: "
        f"{sample_list(list(label[invalid]))}",
        "check them in QGIS if their areas matter.",
    )
    frame = frame.copy()
    frame.loc[invalid, frame.geometry.name] = polygons
    return frame


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry | None:
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if not merged.is_empty and merged.area > 0 else None


def _finish(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = frame.to_crs(STORAGE_CRS)
    frame["area_m2"] = frame.geometry.to_crs(EQUAL_AREA_CRS).area.to_numpy()
    return frame


def _column(
    frame: gpd.GeoDataFrame, named: str | None, candidates: tuple[str, ...], what: str, layer: Layer
) -> str:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if named is not None:
        match = _first_column(frame, (named,))
        if match is None:
            raise LayerError(
                f"the {what} column {named!r} is not in the file",
                f"the file's columns are {sample_list(columns, 10)}; set `{_key_name(layer)}` "
                "in manifest.toml to one of them.",
            )
        return match
    match = _first_column(frame, candidates)
    if match is None:
        raise LayerError(
            f"no {what} column found (looked for {sample_list(list(candidates), 6)})",
            f"the file's columns are {sample_list(columns, 10)}; set `{_key_name(layer)}` "
            "in manifest.toml to the right one.",
        )
    return match


def _key_name(layer: Layer) -> str:
    return "name" if layer.role == "districts" else "key"


def _first_column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lookup = {normalise_name(c): c for c in frame.columns}
    for name in names:
        if normalise_name(name) in lookup:
            return lookup[normalise_name(name)]
    return None


def _level_from_lengths(geoids: pd.Series) -> str:
    common = int(geoids.str.len().mode().iloc[0])
    return "block_group" if common == 12 else "tract"


def _slugs(names: pd.Series) -> list[str]:
    slugs = names.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    out: list[str] = []
    for i, slug in enumerate(slugs):
        slug = slug or f"district-{i + 1}"
        out.append(slug if slug not in out else f"{slug}-{i + 1}")
    return out
