"""Sample City's geography and the story behind its numbers (see :mod:`indicators.sample`):
boundary, tracts, districts and HOLC zones, and each tract's population, disadvantage and
environment, all drawn from one seeded generator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, Polygon

SEED = 20_240_601
CENTER_LON, CENTER_LAT = -90.0, 27.0
N_TRACTS = 210
CITY_RADIUS_M = 10_500.0
STATE = "99"

DISTRICT_NAMES = (
    "Downtown", "Westside", "Northgate", "Riverside", "Eastport", "Southview", "Mill Creek",
    "Oak Hill", "Lakeshore", "Cedar Park",
)
DISTRICT_SEEDS_KM = (
    (0.3, 0.2), (-5.0, -0.5), (0.5, 6.5), (-5.5, 5.0), (6.5, 1.5), (0.5, -6.5), (5.0, -5.0),
    (-7.5, 3.0), (4.5, 6.5), (-5.0, -6.0),
)
# The interstate (east-west, bending) and its northern spur, in km from downtown.
HIGHWAY_KM = ((-11.0, -2.4), (-4.0, -1.6), (0.0, -1.2), (4.0, -1.8), (11.0, -1.0))
SPUR_KM = ((0.9, -1.2), (1.2, 4.0), (2.4, 11.0))
RIVER_X_KM = 2.8  # the river dividing Central County (west) from Eastbank County (east)


@dataclass(frozen=True)
class City:
    """The generated geography, in metres on a local azimuthal equidistant projection."""

    boundary: Polygon
    tracts: list[Polygon]
    districts: list[Polygon]
    holc: list[tuple[str, Polygon]]


LOCAL_CRS = f"+proj=aeqd +lat_0={CENTER_LAT} +lon_0={CENTER_LON} +units=m +ellps=GRS80"


# --------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------


def make_city(rng: np.random.Generator) -> City:
    """Boundary, tracts (relaxed Voronoi cells), districts cutting across them, HOLC zones."""
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    wobble = 1 + 0.10 * np.sin(3 * angles + 0.4) + 0.06 * np.sin(5 * angles + 1.3)
    boundary = Polygon(np.c_[np.cos(angles), np.sin(angles) * 0.85] * (CITY_RADIUS_M * wobble)[:, None])
    points = _points_inside(boundary, N_TRACTS, rng)
    for _ in range(4):  # Lloyd relaxation: even tract sizes, still irregular
        cells = _voronoi(points, boundary)
        points = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    # Denser tracts downtown, larger ones at the edge: r -> R (r / R) ** 1.5.
    radius = np.hypot(*points.T)
    points = points * (np.clip(radius / CITY_RADIUS_M, 1e-6, None) ** 0.5)[:, None]
    tracts = _voronoi(points, boundary)
    seeds = np.array(DISTRICT_SEEDS_KM) * 1000.0
    districts = _voronoi(seeds, boundary)
    return City(boundary, tracts, districts, _holc_zones(boundary, rng))


def _points_inside(boundary: Polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = boundary.bounds
    out: list[tuple[float, float]] = []
    while len(out) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if boundary.contains(Point(x, y)):
            out.append((x, y))
    return np.array(out)


def _voronoi(points: np.ndarray, boundary: Polygon) -> list[Polygon]:
    """Voronoi cells of ``points`` clipped to ``boundary``, in the order of ``points``."""
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=boundary.buffer(5000))
    by_point = {}
    for cell in cells.geoms:
        for i, p in enumerate(points):
            if i not in by_point and cell.contains(Point(p)):
                by_point[i] = cell.intersection(boundary)
                break
    return [by_point[i] for i in range(len(points))]


def _holc_zones(boundary: Polygon, rng: np.random.Generator) -> list[tuple[str, Polygon]]:
    """1938-style security-map zones over the old city (within ~5 km of downtown)."""
    old_city = Point(0, 0).buffer(5200)
    zones: list[tuple[str, Polygon]] = []
    centres = _points_inside(old_city.intersection(boundary), 28, rng)
    cells = _voronoi(centres, old_city.intersection(boundary))
    for (x, y), cell in zip(centres, cells, strict=True):
        if Point(x, y).distance(Point(0, 0)) < 900:
            continue  # the 1938 business district was not graded
        if y < -400 or x > 2500:
            grade = "D" if y < 0 or x > 3000 else "C"
        elif x < -1500 and y > 1000:
            grade = "A" if y > 2500 else "B"
        else:
            grade = "B" if y > 2000 else "C"
        zones.append((grade, cell.buffer(-60)))  # zones were drawn along, not on, the streets
    return zones


# --------------------------------------------------------------------------------------------
# Tract attributes: the story
# --------------------------------------------------------------------------------------------


def tract_table(city: City, rng: np.random.Generator) -> pd.DataFrame:
    """One row per tract: where it is, what shapes it, and the rates its estimates follow."""
    centroids = np.array([[t.centroid.x, t.centroid.y] for t in city.tracts]) / 1000.0
    x, y = centroids.T
    n = len(x)
    highway = LineString(HIGHWAY_KM)
    spur = LineString(SPUR_KM)
    dist_hw = np.array([min(highway.distance(Point(p)), spur.distance(Point(p))) for p in centroids])
    d_centre = np.hypot(x, y)
    redlined_d = np.array([
        sum(t.intersection(z).area for g, z in city.holc if g == "D") / t.area for t in city.tracts
    ])
    redlined_a = np.array([
        sum(t.intersection(z).area for g, z in city.holc if g in "AB") / t.area for t in city.tracts
    ])
    hw = np.exp(-dist_hw / 0.7)
    industrial = 1 / (1 + np.exp(-(x - 6.0) / 0.8)) * (np.abs(y) < 7)
    affluent = 1 / (1 + np.exp(-((-x + y) - 4.0) / 1.3))
    ring = np.exp(-(((d_centre - 2.8) / 1.0) ** 2)) * ((x < -0.5) | (y > 1.0))
    noise = rng.normal(0, 1, (n, 12))
    disadvantage = np.clip(
        0.30 + 0.48 * redlined_d + 0.28 * industrial + 0.22 * hw - 0.40 * affluent
        - 0.12 * redlined_a - 0.10 * ring + 0.06 * noise[:, 0], 0.0, 1.0,
    )
    d = disadvantage
    population = np.round(rng.uniform(2300, 6200, n) * (1.25 - 0.35 * np.clip(d_centre / 10, 0, 1)))
    population[np.argmax(industrial)] = 240  # the rail-yard tract: a few homes among warehouses
    table = pd.DataFrame({
        "x_km": x, "y_km": y, "county": np.where(x < RIVER_X_KM, "001", "003"),
        "population": population,
        "disadvantage": d, "highway": hw, "industrial": industrial, "affluent": affluent,
        "ring": ring, "redlined_d": redlined_d, "d_centre": d_centre,
        "poc_share": np.clip(0.10 + 0.80 * d - 0.12 * ring + 0.05 * noise[:, 1], 0.03, 0.97),
        "black_of_poc": np.clip(0.55 + 0.30 * redlined_d - 0.25 * industrial + 0.08 * noise[:, 2], 0.1, 0.95),
        "hispanic_of_poc": np.clip(0.22 + 0.25 * industrial + 0.05 * noise[:, 3], 0.03, 0.7),
        "poverty_100": np.clip(0.04 + 0.30 * d + 0.025 * noise[:, 4], 0.01, 0.6),
        "median_income": np.round(np.clip(
            (22_000 + 110_000 * (1 - d) ** 1.5) * (1 + 0.22 * ring) * np.exp(0.08 * noise[:, 5]),
            14_000, 240_000), -2),
        "renter_share": np.clip(0.22 + 0.42 * d + 0.22 * ring + 0.2 * np.exp(-d_centre / 1.5)
                                + 0.05 * noise[:, 6], 0.05, 0.95),
        "burden30": np.clip(0.34 + 0.26 * d + 0.14 * ring + 0.04 * noise[:, 7], 0.12, 0.8),
        "bachelors": np.clip(0.10 + 0.62 * (1 - d) + 0.12 * ring + 0.04 * noise[:, 8], 0.04, 0.9),
        "less_hs": np.clip(0.03 + 0.24 * d + 0.03 * noise[:, 9], 0.005, 0.45),
        "unemployment": np.clip(0.025 + 0.11 * d + 0.015 * noise[:, 10], 0.01, 0.3),
        "no_vehicle": np.clip(0.02 + 0.22 * d + 0.10 * np.exp(-d_centre / 1.5), 0.0, 0.6),
        "no_internet": np.clip(0.04 + 0.24 * d + 0.02 * noise[:, 11], 0.01, 0.5),
        "uninsured": np.clip(0.04 + 0.15 * d + 0.05 * industrial, 0.02, 0.4),
        "pre1960": np.clip(0.06 + 0.62 * np.exp(-d_centre / 3.2) + 0.1 * redlined_d, 0.0, 0.9),
        "canopy": np.clip(16 + 42 * affluent - 14 * redlined_d - 12 * industrial - 8 * hw
                          + 8 * d_centre / 10 + 3 * noise[:, 0], 3, 78),
        "impervious": np.clip(22 + 45 * np.exp(-d_centre / 2.6) + 28 * industrial + 10 * hw
                              - 12 * affluent + 3 * noise[:, 1], 4, 95),
        "pm25": 7.4 + 1.6 * hw + 0.9 * industrial + 0.5 * np.exp(-d_centre / 3) + 0.1 * noise[:, 2],
        "ozone": 61.0 + 1.2 * (y + 10) / 20 + 0.4 * noise[:, 3],
        "diesel_pm": np.clip(0.12 + 0.42 * hw + 0.30 * industrial + 0.02 * noise[:, 4], 0.03, 1.5),
        "traffic": np.clip(40 + 1900 * hw + 300 * np.exp(-d_centre / 2) + 30 * noise[:, 5], 2, None),
        "hazwaste": np.clip(0.08 + 3.2 * industrial + 0.05 * noise[:, 6], 0.0, None),
        "superfund": np.clip(0.03 + 0.9 * industrial * np.exp(-np.hypot(x - 7.5, y + 2.5) / 2), 0, None),
        "rmp": np.clip(0.15 + 1.6 * industrial + 0.05 * noise[:, 7], 0.0, None),
        "wastewater": np.round(np.exp(-3 + 2.5 * industrial + 0.6 * noise[:, 8]), 4),
        "ust": np.clip(0.8 + 7 * np.exp(-d_centre / 3) + 0.5 * noise[:, 9], 0.0, None),
    })
    table["heat"] = (table["impervious"] - 40) / 11 - (table["canopy"] - 30) / 18
    table["asthma"] = 8.2 + 3.4 * d + 1.3 * hw + 0.3 * noise[:, 10]
    table["diabetes"] = 7.5 + 9.0 * d + 0.4 * noise[:, 11]
    table["chd"] = 4.0 + 3.6 * d + 0.3 * noise[:, 0]
    table["obesity"] = 27.0 + 14.0 * d + 0.8 * noise[:, 1]
    table["uninsured_adults"] = 100 * table["uninsured"] * 1.25
    return table
