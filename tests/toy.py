"""A tiny region written in real formats, for reader and bad-input tests.

Six square tracts (2 rows x 3 columns, 0.01 degree each) near Atlanta, in Georgia's Fulton
County (GEOIDs ``13121000101`` ...), an ACS CSV in tidycensus/Census API naming, two districts
and one HOLC polygon. ``write_region`` writes it; tests then break one thing at a time.
"""

from __future__ import annotations

import json
from pathlib import Path

X0, Y0, STEP = -84.40, 33.75, 0.01
GEOIDS = [f"13121{n:06d}" for n in (101, 102, 103, 201, 202, 203)]
#: pop_total, pop_nh_white (B03002_001, _003), with MOEs
ACS_ROWS = {
    "13121000101": (1000, 100, 600, 90),
    "13121000102": (2000, 150, 500, 80),
    "13121000103": (1500, 120, 0, 12),
    "13121000201": (800, 90, 400, 70),
    "13121000202": (1200, 110, 1100, 100),
    "13121000203": (500, 60, 250, 40),
}


def square(col: int, row: int, size: float = STEP) -> list[list[list[float]]]:
    """A square ring with its lower-left corner at grid cell (col, row)."""
    x, y = X0 + col * STEP, Y0 + row * STEP
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def tract_features() -> list[dict[str, object]]:
    features = []
    for i, geoid in enumerate(GEOIDS):
        col, row = i % 3, i // 3
        features.append({
            "type": "Feature",
            "properties": {"GEOID": geoid, "NAME": str(int(geoid[5:]) / 100)},
            "geometry": {"type": "Polygon", "coordinates": square(col, row)},
        })
    return features


def feature_collection(features: list[dict[str, object]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def acs_csv(rows: dict[str, tuple[int, int, int, int]] = ACS_ROWS) -> str:
    lines = ["GEOID,NAME,B03002_001E,B03002_001M,B03002_003E,B03002_003M"]
    for geoid, (pop, pop_m, white, white_m) in rows.items():
        lines.append(f'{geoid},"Census Tract {geoid[5:]}; Fulton County; Georgia",'
                     f"{pop},{pop_m},{white},{white_m}")
    return "\n".join(lines) + "\n"


def district_features() -> list[dict[str, object]]:
    west = [[[X0, Y0], [X0 + 1.5 * STEP, Y0], [X0 + 1.5 * STEP, Y0 + 2 * STEP], [X0, Y0 + 2 * STEP],
             [X0, Y0]]]
    east = [[[X0 + 1.5 * STEP, Y0], [X0 + 3 * STEP, Y0], [X0 + 3 * STEP, Y0 + 2 * STEP],
             [X0 + 1.5 * STEP, Y0 + 2 * STEP], [X0 + 1.5 * STEP, Y0]]]
    return [
        {"type": "Feature", "properties": {"NAME": "West"},
         "geometry": {"type": "Polygon", "coordinates": west}},
        {"type": "Feature", "properties": {"NAME": "East"},
         "geometry": {"type": "Polygon", "coordinates": east}},
    ]


def holc_features() -> list[dict[str, object]]:
    return [{"type": "Feature", "properties": {"holc_id": "D1", "holc_grade": "D", "name": "D1"},
             "geometry": {"type": "MultiPolygon", "coordinates": [square(0, 0, STEP / 2)]}}]


MANIFEST = """
[region]
name = "Toy Town"

[[layer]]
role = "units"
path = "tracts.geojson"
key = "GEOID"
level = "tract"
vintage = "2020 tracts"

[[layer]]
role = "census"
path = "acs.csv"
profile = "acs"
vintage = "ACS 2019-2023"

[[layer]]
role = "districts"
path = "districts.geojson"
name = "NAME"

[[layer]]
role = "overlay"
path = "holc.geojson"
profile = "holc"
"""


def write_region(folder: Path) -> Path:
    """Write the toy region into ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tracts.geojson").write_text(feature_collection(tract_features()))
    (folder / "acs.csv").write_text(acs_csv())
    (folder / "districts.geojson").write_text(feature_collection(district_features()))
    (folder / "holc.geojson").write_text(feature_collection(holc_features()))
    (folder / "manifest.toml").write_text(MANIFEST)
    return folder


# --------------------------------------------------------------------------------------------
# Two periods: the same place on 2010 tracts (ACS 2014-2018) and on 2020 tracts (2019-2023)
# --------------------------------------------------------------------------------------------

#: Between the periods tract 13121009900 (the two bottom-left squares) split into 000101 and
#: 000102, and tracts 13121009801 and 13121009802 (the halves of the top-right square) merged
#: into 000203; 000103, 000201 and 000202 did not change.
SPLIT, MERGED = "13121009900", ("13121009801", "13121009802")
#: pop_total, its MOE, pop_nh_white, its MOE, in 2014-2018.
ACS_2018_ROWS = {
    SPLIT: (2400, 200, 800, 100),
    "13121000103": (1400, 110, 100, 20),
    "13121000201": (800, 90, 500, 80),
    "13121000202": (1100, 100, 1000, 100),
    MERGED[0]: (300, 50, 200, 40),
    MERGED[1]: (300, 50, 100, 30),
}


def tract_features_2010() -> list[dict[str, object]]:
    """The 2010 tracts: the split tract whole, the merged one in its two halves."""
    x, y = X0, Y0

    def feature(geoid: str, ring: list[list[float]]) -> dict[str, object]:
        return {"type": "Feature", "properties": {"GEOID": geoid, "NAME": str(int(geoid[5:]) / 100)},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}

    def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
        return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]

    s = STEP
    return [
        feature(SPLIT, box(x, y, x + 2 * s, y + s)),
        feature("13121000103", box(x + 2 * s, y, x + 3 * s, y + s)),
        feature("13121000201", box(x, y + s, x + s, y + 2 * s)),
        feature("13121000202", box(x + s, y + s, x + 2 * s, y + 2 * s)),
        feature(MERGED[0], box(x + 2 * s, y + s, x + 2.5 * s, y + 2 * s)),
        feature(MERGED[1], box(x + 2.5 * s, y + s, x + 3 * s, y + 2 * s)),
    ]


PERIODS_MANIFEST = """
[region]
name = "Toy Town over time"

[[layer]]
role = "units"
period = "2014-2018"
path = "tracts_2010.geojson"
key = "GEOID"
level = "tract"
vintage = "2010 tracts"

[[layer]]
role = "census"
period = "2014-2018"
path = "acs_2018.csv"
profile = "acs"
vintage = "ACS 2014-2018"

[[layer]]
role = "units"
period = "2019-2023"
path = "tracts.geojson"
key = "GEOID"
level = "tract"
vintage = "2020 tracts"

[[layer]]
role = "census"
period = "2019-2023"
path = "acs.csv"
profile = "acs"
vintage = "ACS 2019-2023"

[[layer]]
role = "districts"
path = "districts.geojson"
name = "NAME"
"""


def write_periods_region(folder: Path) -> Path:
    """Write the two-period toy region into ``folder``; returns the folder."""
    write_region(folder)
    (folder / "tracts_2010.geojson").write_text(feature_collection(tract_features_2010()))
    (folder / "acs_2018.csv").write_text(acs_csv(ACS_2018_ROWS))
    (folder / "manifest.toml").write_text(PERIODS_MANIFEST)
    return folder
