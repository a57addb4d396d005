"""Writers that put Sample City into the formats real downloads come in.

- tracts and districts: GeoJSON with TIGER/Line-style attributes (``GEOID``, ``NAMELSAD``...);
- the 1938 security map: Mapping Inequality GeoJSON (``holc_id``, ``holc_grade``);
- the ACS: Census Data API JSON (header row, strings, ``B03002_001E``/``M`` and the
  ``state``/``county``/``tract`` columns, sentinels for suppressed medians);
- EJScreen 2.3 (and 2.1, :mod:`indicators.sample.earlier`): the block-group CSV (``ID``,
  ``ACSTOTPOP``, ``PM25``, ``DSLPM``, ``PTRAF``...);
- CDC PLACES: the long tract CSV (``LocationName``, ``MeasureId``, ``Data_Value``...);
- land cover: a generic GEOID-keyed CSV, mapped through the manifest;
- certification records: the JSON document :mod:`indicators.certification.seed` reads
  (:mod:`indicators.sample.records`);
- ``manifest.toml``: :mod:`indicators.sample.manifest`.

The earlier period's files (:mod:`indicators.sample.earlier`) reuse the public writers here.

Output is byte-for-byte deterministic: fixed field order, fixed number formats, sorted rows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry.polygon import orient

from indicators.metrics.registry import BY_ID
from indicators.sample.acs import COUNTY_NAMES, STATE_NAME, acs_cells, census_api_json, largest_remainder
from indicators.sample.boundaries import project_boundaries
from indicators.sample.city import DISTRICT_NAMES, City
from indicators.sample.manifest import CURRENT_MANIFEST, MANIFEST
from indicators.sample.records import certification_records
from indicators.store.build import compute


def write_files(out_dir: Path, city: City, tracts: pd.DataFrame, to_lonlat: Transformer,
                rng: np.random.Generator) -> list[Path]:
    """Write the current period's files, the districts, the 1938 map, the certification records
    and the manifest (which also names the earlier period's files); returns their paths."""
    tracts = assign_geoids(tracts)
    project = projector(to_lonlat)
    written = [
        geojson(out_dir / "tracts.geojson", "tracts", [
            (tract_properties(row), project(city.tracts[row.Index]))
            for row in tracts.sort_values("GEOID").itertuples()
        ]),
        geojson(out_dir / "districts.geojson", "districts", [
            ({"DISTRICT": name, "DIST_NUM": i + 1}, project(geom))
            for i, (name, geom) in enumerate(zip(DISTRICT_NAMES, city.districts, strict=True))
        ]),
        geojson(out_dir / "holc_1938.geojson", "holc_1938", _holc_features(city, project)),
    ]
    tracts = tracts.sort_values("GEOID").reset_index(drop=True)
    cells = acs_cells(tracts, rng)
    written.append(write_text(out_dir / "acs_5yr_2019_2023_tracts.json", census_api_json(tracts, cells)))
    written.append(write_text(out_dir / "ejscreen_2_3_blockgroups.csv", ejscreen_csv(tracts, cells, rng)))
    written.append(write_text(out_dir / "places_2024_tracts.csv", _places_csv(tracts, rng)))
    written.append(write_text(out_dir / "land_cover_tracts.csv", _land_cover_csv(tracts)))
    # The records' targets start from the districts' values on the dashboard: compute them
    # from the files just written, through the current period's manifest alone (no periods,
    # no certification layer), so that they never depend on how periods are built.
    manifest = out_dir / "manifest.toml"
    write_text(manifest, CURRENT_MANIFEST)
    written.append(write_text(out_dir / "certification.json", _certification_json(out_dir)))
    written.append(write_text(manifest, MANIFEST))
    return written


#: Seed of the certification records' own generator, so that adding or changing them never
#: changes the other sample files (which draw from the main generator).
CERTIFICATION_SEED = 20_261_101


def _certification_json(region: Path) -> str:
    names = DISTRICT_NAMES
    ids = [re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") for name in names]
    values = compute(region).query("geo_kind == 'district'")
    current = {(g, i): v * 100.0 if BY_ID[i].fmt in ("percent", "points") else v
               for g, i, v in zip(values["geo_id"], values["indicator_id"], values["value"],
                                  strict=True)}
    document = certification_records(list(zip(ids, names, strict=True)),
                                     np.random.default_rng(CERTIFICATION_SEED), current)
    districts = gpd.read_file(region / "districts.geojson")
    districts["district_id"] = [re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-")
                                for n in districts["DISTRICT"]]
    outlines = project_boundaries(districts)
    for project in document["projects"]:
        if project["project_id"] in outlines:
            project["boundary"] = outlines[project["project_id"]]
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def assign_geoids(tracts: pd.DataFrame) -> pd.DataFrame:
    """Tract codes numbered north-west to south-east within each county, TIGER style."""
    tracts = tracts.copy()
    order = tracts.assign(row=(-tracts["y_km"] // 1.5), col=tracts["x_km"]).sort_values(
        ["county", "row", "col"])
    codes = {}
    for county, group in order.groupby("county", sort=True):
        for n, idx in enumerate(group.index, start=1):
            codes[idx] = f"{(100 if county == '001' else 500) + n:04d}00"
    tracts["TRACTCE"] = pd.Series(codes)
    tracts["GEOID"] = "99" + tracts["county"] + tracts["TRACTCE"]
    tracts["NAME"] = (tracts["TRACTCE"].str[:4].astype(int)).astype(str)
    return tracts


def tract_properties(row: object) -> dict[str, object]:
    """TIGER/Line attributes of a tract row (``county``, ``TRACTCE``, ``GEOID``, ``NAME``)."""
    return {
        "STATEFP": "99", "COUNTYFP": row.county, "TRACTCE": row.TRACTCE, "GEOID": row.GEOID,
        "NAME": row.NAME, "NAMELSAD": f"Census Tract {row.NAME}", "MTFCC": "G5020",
    }


def projector(to_lonlat: Transformer) -> Callable[[shapely.Geometry], shapely.Geometry]:
    """Local metres to longitude/latitude on a 1e-5 degree grid: shared boundaries stay shared."""
    def project(geom: shapely.Geometry) -> shapely.Geometry:
        lonlat = shapely.transform(geom, lambda xy: np.column_stack(to_lonlat.transform(*xy.T)))
        return shapely.set_precision(lonlat, 1e-5)

    return project


def _holc_features(city: City, project: Callable) -> list[tuple[dict[str, object], shapely.Geometry]]:
    features = []
    counts: dict[str, int] = {}
    descriptions = {
        "A": "Best: new homes on wooded hills, 'homogeneous' population",
        "B": "Still desirable: good homes, stable",
        "C": "Definitely declining: older homes, 'infiltration' feared",
        "D": "Hazardous: old housing near the rail yards and mills; Black families",
    }
    for grade, zone in sorted(city.holc, key=lambda gz: (gz[0], gz[1].centroid.y)):
        counts[grade] = counts.get(grade, 0) + 1
        features.append(({
            "name": f"Sample City {grade}{counts[grade]}",
            "holc_id": f"{grade}{counts[grade]}",
            "holc_grade": grade,
            "area_description_data": json.dumps({"clarifying_remarks": descriptions[grade]}),
        }, project(zone)))
    return features


def geojson(path: Path, name: str, features: list[tuple[dict[str, object], shapely.Geometry]]) -> Path:
    """Write (properties, lon/lat geometry) pairs as a FeatureCollection, one feature a line,
    rings oriented counter-clockwise and coordinates rounded to 5 decimals."""
    lines = []
    for properties, geom in features:
        geom = _oriented(geom)
        feature = {"type": "Feature", "properties": properties,
                   "geometry": json.loads(shapely.to_geojson(geom))}
        feature["geometry"]["coordinates"] = _rounded(feature["geometry"]["coordinates"])
        lines.append(json.dumps(feature, separators=(",", ":")))
    text = ('{"type":"FeatureCollection","name":' + json.dumps(name) + ',"features":[\n'
            + ",\n".join(lines) + "\n]}\n")
    return write_text(path, text)


def _oriented(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    return shapely.MultiPolygon([orient(p, 1.0) for p in geom.geoms])


def _rounded(coords: object) -> object:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], float | int):
        return [round(float(c), 5) for c in coords]
    return [_rounded(c) for c in coords]  # type: ignore[union-attr]


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text with Unix line ends on every platform; returns ``path``."""
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


# --------------------------------------------------------------------------------------------
# EJScreen, PLACES, land cover
# --------------------------------------------------------------------------------------------

EJ_COLUMNS = (
    "ID", "STATE_NAME", "ST_ABBREV", "CNTY_NAME", "REGION", "ACSTOTPOP", "ACSIPOVBAS",
    "ACSEDUCBAS", "ACSTOTHH", "ACSTOTHU", "ACSUNEMPBAS", "DEMOGIDX_2", "DEMOGIDX_5", "PEOPCOLOR",
    "PEOPCOLORPCT", "LOWINCOME", "LOWINCPCT", "UNEMPLOYED", "UNEMPPCT", "LINGISO", "LINGISOPCT",
    "LESSHS", "LESSHSPCT", "UNDER5", "UNDER5PCT", "OVER64", "OVER64PCT", "PRE1960",
    "PRE1960PCT", "PM25", "OZONE", "DSLPM", "PTRAF", "PNPL", "PRMP", "PTSDF", "UST", "PWDIS",
)


def ejscreen_csv(tracts: pd.DataFrame, cells: dict[str, np.ndarray], rng: np.random.Generator) -> str:
    """EJScreen's block-group CSV: 2 to 4 block groups a tract sharing its ACS counts, their
    percentages and environmental indicators jittered around the tract's story."""
    rows = []
    for i, t in tracts.iterrows():
        k = 2 + i % 3
        weights = rng.dirichlet(np.full(k, 5.0))
        shares = {
            "pop": cells["B03002_001"][i], "povbase": cells["C17002_001"][i],
            "edubase": cells["B15003_001"][i], "hh": cells["B11001_001"][i],
            "hu": cells["B25001_001"][i], "lf": cells["B23025_003"][i],
        }
        parts = {key: largest_remainder(weights[None, :] * v, np.array([v]))[0] for key, v in shares.items()}
        for b in range(k):
            pop, pov, edu, hh, hu, lf = (
                parts[key][b] for key in ("pop", "povbase", "edubase", "hh", "hu", "lf"))
            jitter = lambda s, v: float(np.clip(v * (1 + s * rng.normal()), 0, None))  # noqa: E731
            poc_pct = min(jitter(0.06, t.poc_share), 1.0)
            low_pct = min(jitter(0.08, t.poverty_100 * 1.45 + 0.07), 1.0)
            unemp_pct = min(jitter(0.1, t.unemployment), 1.0)
            ling_pct = min(jitter(0.1, cells["C16002_004"][i] / max(cells["C16002_001"][i], 1) * 1.4), 1.0)
            lesshs_pct = min(jitter(0.08, t.less_hs), 1.0)
            under5_pct = min(jitter(0.1, 0.06 + 0.02 * t.disadvantage), 1.0)
            over64_pct = min(jitter(0.1, 0.14), 1.0)
            pre_pct = min(jitter(0.08, t.pre1960), 1.0)
            row = {
                "ID": f"{t.GEOID}{b + 1}", "STATE_NAME": STATE_NAME, "ST_ABBREV": "SS",
                "CNTY_NAME": COUNTY_NAMES[t.county], "REGION": "6",
                "ACSTOTPOP": pop, "ACSIPOVBAS": pov, "ACSEDUCBAS": edu, "ACSTOTHH": hh,
                "ACSTOTHU": hu, "ACSUNEMPBAS": lf,
                "DEMOGIDX_2": (poc_pct + low_pct) / 2,
                "DEMOGIDX_5": (low_pct + unemp_pct + ling_pct + lesshs_pct + 0.2) / 5,
                "PEOPCOLOR": round(pop * poc_pct), "PEOPCOLORPCT": poc_pct,
                "LOWINCOME": round(pov * low_pct), "LOWINCPCT": low_pct,
                "UNEMPLOYED": round(lf * unemp_pct), "UNEMPPCT": unemp_pct,
                "LINGISO": round(hh * ling_pct), "LINGISOPCT": ling_pct,
                "LESSHS": round(edu * lesshs_pct), "LESSHSPCT": lesshs_pct,
                "UNDER5": round(pop * under5_pct), "UNDER5PCT": under5_pct,
                "OVER64": round(pop * over64_pct), "OVER64PCT": over64_pct,
                "PRE1960": round(hu * pre_pct), "PRE1960PCT": pre_pct,
                "PM25": jitter(0.01, t.pm25), "OZONE": jitter(0.005, t.ozone),
                "DSLPM": jitter(0.04, t.diesel_pm), "PTRAF": jitter(0.1, t.traffic),
                "PNPL": jitter(0.05, t.superfund), "PRMP": jitter(0.05, t.rmp),
                "PTSDF": jitter(0.05, t.hazwaste), "UST": jitter(0.08, t.ust),
                "PWDIS": jitter(0.1, t.wastewater),
            }
            rows.append({k: _fmt(v) for k, v in row.items()})
    return csv_text(EJ_COLUMNS, rows)


PLACES_MEASURES = (
    ("CASTHMA", "asthma", "Health Outcomes", "HLTHOUT",
     "Current asthma among adults", "Current Asthma"),
    ("DIABETES", "diabetes", "Health Outcomes", "HLTHOUT",
     "Diagnosed diabetes among adults", "Diabetes"),
    ("CHD", "chd", "Health Outcomes", "HLTHOUT",
     "Coronary heart disease among adults", "Coronary Heart Disease"),
    ("OBESITY", "obesity", "Health Outcomes", "HLTHOUT", "Obesity among adults", "Obesity"),
    ("ACCESS2", "uninsured_adults", "Health Risk Behaviors", "PREVENT",
     "Current lack of health insurance among adults aged 18-64 years", "Health Insurance"),
)
PLACES_COLUMNS = (
    "Year", "StateAbbr", "StateDesc", "CountyName", "CountyFIPS", "LocationName", "DataSource",
    "Category", "Measure", "Data_Value_Unit", "Data_Value_Type", "Data_Value",
    "Low_Confidence_Limit", "High_Confidence_Limit", "TotalPopulation", "LocationID",
    "CategoryID", "MeasureId", "DataValueTypeID", "Short_Question_Text",
)


def _places_csv(tracts: pd.DataFrame, rng: np.random.Generator) -> str:
    rows = []
    for measure, column, category, category_id, text, short in PLACES_MEASURES:
        for _, t in tracts.iterrows():
            value = round(float(t[column]), 1)
            half = round(0.6 + 0.08 * value * (1.2 + 0.4 * rng.random()), 1)
            rows.append({
                "Year": "2022", "StateAbbr": "SS", "StateDesc": STATE_NAME,
                "CountyName": COUNTY_NAMES[t.county].removesuffix(" County"),
                "CountyFIPS": "99" + t.county, "LocationName": t.GEOID, "DataSource": "BRFSS",
                "Category": category, "Measure": text, "Data_Value_Unit": "%",
                "Data_Value_Type": "Crude prevalence", "Data_Value": f"{value:.1f}",
                "Low_Confidence_Limit": f"{max(value - half, 0):.1f}",
                "High_Confidence_Limit": f"{value + half:.1f}",
                "TotalPopulation": str(int(t.population)), "LocationID": t.GEOID,
                "CategoryID": category_id, "MeasureId": measure, "DataValueTypeID": "CrdPrv",
                "Short_Question_Text": short,
            })
    return csv_text(PLACES_COLUMNS, rows)


def _land_cover_csv(tracts: pd.DataFrame) -> str:
    rows = [{"GEOID": t.GEOID, "canopy_pct": f"{t.canopy:.1f}", "impervious_pct": f"{t.impervious:.1f}",
             "lst_anomaly_c": f"{t.heat:.2f}"} for _, t in tracts.iterrows()]
    return csv_text(("GEOID", "canopy_pct", "impervious_pct", "lst_anomaly_c"), rows)


def _fmt(value: object) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    return str(value)


def csv_text(columns: tuple[str, ...], rows: list[dict[str, str]], delimiter: str = ",") -> str:
    """Rows as delimited text (``,`` or, for the tract relationship file, ``|``), header first."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
