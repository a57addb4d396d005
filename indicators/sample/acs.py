"""Sample City's American Community Survey: internally consistent cell estimates for every
tract and their margins of error, written as Census Data API JSON.

Counts are drawn around each tract's story (population, disadvantage, people-of-colour share...)
and split across a table's cells so that every table adds up (``B03002_001`` = the sum of its
parts); margins of error follow the ACS's published pattern (larger, relatively, for small
counts; 13 for an estimate of zero); suppressed medians carry the Census sentinel.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from scipy.stats import norm

from indicators.metrics.variables import INCOME_BRACKETS

ZERO_MOE = 13  # the ACS's published margin for an estimate of zero at tract level
COUNTY_NAMES = {"001": "Central County", "003": "Eastbank County"}
STATE_NAME = "Sample State"


def acs_cells(tracts: pd.DataFrame, rng: np.random.Generator,
              price_level: float = 1.0) -> dict[str, np.ndarray]:
    """ACS estimates per cell (``B03002_001`` ...) for every tract, internally consistent.

    ``median_income`` is in the current period's dollars; ``price_level`` puts the dollar cells
    (incomes, rents, home values) into another period's, as each ACS 5-year release is in
    dollars of its last year (2018 prices over 2023's for ACS 2014-2018)."""
    n = len(tracts)
    P = tracts["population"].to_numpy()
    d = tracts["disadvantage"].to_numpy()
    r = lambda a: np.round(np.asarray(a, dtype=float)).astype(int)  # noqa: E731
    c: dict[str, np.ndarray] = {}
    poc = r(P * tracts["poc_share"])
    hisp = r(poc * tracts["hispanic_of_poc"])
    black = np.minimum(r(poc * tracts["black_of_poc"]), poc - hisp)
    rest = poc - hisp - black
    asian, aian, nhpi, other = r(rest * 0.6), r(rest * 0.05), r(rest * 0.02), r(rest * 0.08)
    c.update({"B03002_001": P, "B03002_002": P - hisp, "B03002_003": P - poc, "B03002_004": black,
              "B03002_005": aian, "B03002_006": asian, "B03002_007": nhpi, "B03002_008": other,
              "B03002_009": rest - asian - aian - nhpi - other, "B03002_012": hisp,
              "B01003_001": P, "B01001_001": P})
    gq = r(P * np.clip(0.01 + 0.04 * np.exp(-tracts["d_centre"] / 2), 0, 0.1))
    H = np.maximum(r((P - gq) / (2.0 + 0.7 * d + 0.1 * rng.normal(size=n))), 0)
    renters = r(H * tracts["renter_share"])
    owners = H - renters
    c.update({"B11001_001": H, "B25003_001": H, "B25003_002": owners, "B25003_003": renters})
    black_hh = r(H * black / np.maximum(P, 1))
    white_hh = np.minimum(r(H * (P - poc) / np.maximum(P, 1)), H - black_hh)
    own_rate = owners / np.maximum(H, 1)
    c.update({"B25003B_001": black_hh, "B25003B_002": r(black_hh * np.clip(own_rate * 0.68, 0, 0.95)),
              "B25003H_001": white_hh, "B25003H_002": r(white_hh * np.clip(own_rate * 1.18, 0, 0.97))})
    universe = P - gq
    below100 = r(universe * tracts["poverty_100"])
    b150 = r(universe * np.clip(tracts["poverty_100"] * 0.55 + 0.03, 0, 0.3))
    b200 = r(universe * np.clip(tracts["poverty_100"] * 0.45 + 0.04, 0, 0.3))
    c["C17002_002"] = r(below100 * 0.45)  # under 50 % of the poverty line
    c["C17002_003"] = below100 - c["C17002_002"]
    c.update({"C17002_004": r(b150 * 0.5), "C17002_005": b150 - r(b150 * 0.5),
              "C17002_006": r(b200 * 0.6), "C17002_007": b200 - r(b200 * 0.6)})
    c["C17002_008"] = universe - sum(c[f"C17002_{k:03d}"] for k in range(2, 8))
    c["C17002_001"] = universe
    not_computed = r(renters * 0.04)
    computed = renters - not_computed
    burden30 = r(computed * tracts["burden30"])
    burden50 = r(burden30 * (0.42 + 0.2 * d))
    b3040 = burden30 - burden50
    c.update({"B25070_001": renters, "B25070_011": not_computed, "B25070_010": burden50,
              "B25070_007": r(b3040 * 0.4), "B25070_008": r(b3040 * 0.3)})
    c["B25070_009"] = b3040 - c["B25070_007"] - c["B25070_008"]
    _spread(c, "B25070", range(2, 7), computed - burden30, rng)
    adults = r(P * 0.66)
    less_hs = r(adults * tracts["less_hs"])
    bach = np.minimum(r(adults * tracts["bachelors"]), adults - less_hs)
    _spread(c, "B15003", range(2, 17), less_hs, rng, concentrate=True)
    for cell, share in ((22, 0.6), (23, 0.28), (24, 0.07)):
        c[f"B15003_{cell:03d}"] = r(bach * share)
    c["B15003_025"] = bach - c["B15003_022"] - c["B15003_023"] - c["B15003_024"]
    _spread(c, "B15003", range(17, 22), adults - less_hs - bach, rng)
    c["B15003_001"] = adults
    over16 = r(P * 0.79)
    lf = r(over16 * (0.66 - 0.05 * d))
    unemployed = r(lf * tracts["unemployment"])
    c.update({"B23025_001": over16, "B23025_002": lf + r(lf * 0.004), "B23025_003": lf,
              "B23025_004": lf - unemployed, "B23025_005": unemployed})
    no_veh = r(H * tracts["no_vehicle"])
    owner_no_veh = np.minimum(r(no_veh * 0.25), owners)
    c.update({"B25044_001": H, "B25044_002": owners, "B25044_003": owner_no_veh,
              "B25044_009": renters, "B25044_010": np.minimum(no_veh - owner_no_veh, renters)})
    c.update({"B28002_001": H, "B28002_013": r(H * tracts["no_internet"])})
    lep = r(H * np.clip(0.004 + 0.30 * hisp / np.maximum(P, 1) + 0.15 * asian / np.maximum(P, 1), 0, 0.4))
    c.update({"C16002_001": H, "C16002_004": r(lep * 0.68), "C16002_007": r(lep * 0.1),
              "C16002_010": r(lep * 0.17)})
    c["C16002_013"] = lep - c["C16002_004"] - c["C16002_007"] - c["C16002_010"]
    insured_universe = universe
    uninsured = r(insured_universe * tracts["uninsured"])
    c["B27010_001"] = insured_universe
    for cell, share in ((17, 0.15), (33, 0.4), (50, 0.43)):
        c[f"B27010_{cell:03d}"] = r(uninsured * share)
    c["B27010_066"] = uninsured - c["B27010_017"] - c["B27010_033"] - c["B27010_050"]
    kids = r(P * np.clip(0.17 + 0.1 * d + 0.01 * rng.normal(size=n), 0.05, 0.35))
    elders = r(P * np.clip(0.15 - 0.05 * tracts["ring"] + 0.05 * tracts["affluent"], 0.04, 0.3))
    for (under5, *older), share in (((3, 4, 5, 6), 0.51), ((27, 28, 29, 30), 0.49)):
        part = r(kids * share)
        c[f"B01001_{under5:03d}"] = r(part * 0.28)
        _spread(c, "B01001", older, part - c[f"B01001_{under5:03d}"], rng)
    for cells, share in ((range(20, 26), 0.44), (range(44, 50), 0.56)):
        _spread(c, "B01001", cells, r(elders * share), rng)
    vacancy = np.clip(0.06 + 0.08 * d, 0, 0.3)
    hu = np.maximum(r(H / (1 - vacancy)), H)
    pre1960 = r(hu * tracts["pre1960"])
    c.update({"B25001_001": hu, "B25034_001": hu, "B25034_009": r(pre1960 * 0.45),
              "B25034_010": r(pre1960 * 0.3)})
    c["B25034_011"] = pre1960 - c["B25034_009"] - c["B25034_010"]
    real = tracts["median_income"].to_numpy()
    median = np.round(real * price_level, -2)
    bounds = np.array([lo for lo, _ in INCOME_BRACKETS[1:]], dtype=float)
    cdf = norm.cdf((np.log(bounds)[None, :] - np.log(median)[:, None]) / 0.85)
    shares = np.diff(np.c_[np.zeros(n), cdf, np.ones(n)], axis=1)
    brackets = largest_remainder(shares * H[:, None], H)
    for k in range(16):
        c[f"B19001_{k + 2:03d}"] = brackets[:, k]
    c["B19001_001"] = H
    c["B19013_001"] = median.astype(int)
    c["B19013B_001"] = np.where(black_hh >= 40, np.round(median * (0.7 + 0.05 * rng.normal(size=n)), -2),
                                -666666666).astype(int)
    c["B19013H_001"] = np.where(white_hh >= 40, np.minimum(np.round(median * 1.22, -2), 250001),
                                -666666666).astype(int)
    rent = price_level * (650 + 0.0085 * real + 180 * tracts["ring"])
    c["B25064_001"] = np.where(renters >= 25, np.round(rent), -666666666).astype(int)
    c["B25077_001"] = np.where(owners >= 25, np.round(3.1 * median * (1 + 0.35 * tracts["ring"]), -2),
                               -666666666).astype(int)
    c["B19301_001"] = np.round(median * 0.46 * np.exp(0.05 * rng.normal(size=n))).astype(int)
    return {k: np.asarray(v, dtype=np.int64) for k, v in c.items()}


def _spread(c: dict, table: str, cells: range, total: np.ndarray, rng: np.random.Generator,
            concentrate: bool = False) -> None:
    """Split ``total`` over ``cells`` with random weights (last cells heavier if asked)."""
    alpha = np.linspace(0.5, 4.0, len(cells)) if concentrate else np.full(len(cells), 3.0)
    weights = rng.dirichlet(alpha, size=len(total))
    parts = largest_remainder(weights * np.maximum(total, 0)[:, None], np.maximum(total, 0))
    for k, cell in enumerate(cells):
        c[f"{table}_{cell:03d}"] = parts[:, k]


def largest_remainder(values: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Round rows of ``values`` to integers that add up to ``totals`` exactly."""
    floor = np.floor(values).astype(int)
    short = (np.asarray(totals).astype(int) - floor.sum(axis=1))
    order = np.argsort(-(values - floor), axis=1, kind="stable")
    for i in range(len(floor)):
        floor[i, order[i, : short[i]]] += 1
    return floor


def acs_moe(estimate: np.ndarray, total: np.ndarray, cell: str, rng: np.random.Generator) -> np.ndarray:
    """Plausible ACS margins: binomial-like with a design effect; fixed value for zero;
    ``-222222222`` for suppressed medians; medians get about 12 %."""
    est = estimate.astype(float)
    if cell in MEDIAN_CELLS:
        moe = np.round(np.abs(est) * (0.10 + 0.06 * rng.random(len(est))) + 1500)
        if cell == "B25064_001":
            moe = np.round(np.abs(est) * (0.08 + 0.06 * rng.random(len(est))) + 40)
        return np.where(est < 0, -222222222, moe).astype(np.int64)
    share = np.clip(est / np.maximum(total, 1), 0, 1)
    moe = 1.645 * np.sqrt(np.maximum(est, 0) * (1 - share) * 3.2 + 60) * (0.9 + 0.2 * rng.random(len(est)))
    if cell.endswith("_001"):
        moe = np.maximum(moe * 0.6, 0.03 * est)
    return np.where(est == 0, ZERO_MOE, np.round(moe)).astype(np.int64)


MEDIAN_CELLS = {"B19013_001", "B19013B_001", "B19013H_001", "B25064_001", "B25077_001", "B19301_001"}


def census_api_json(tracts: pd.DataFrame, cells: dict[str, np.ndarray]) -> str:
    """The cells and their margins of error as the Census Data API returns them: a header row,
    then one row of strings per tract, with the ``state``/``county``/``tract`` columns."""
    rng = np.random.default_rng(7)
    names = sorted(cells)
    total = cells["B03002_001"]
    header = ["NAME", *[f"{n}{s}" for n in names for s in ("E", "M")], "state", "county", "tract"]
    moes = {n: acs_moe(cells[n], total, n, rng) for n in names}
    rows = [header]
    for i, row in tracts.iterrows():
        name = f"Census Tract {row.NAME}; {COUNTY_NAMES[row.county]}; {STATE_NAME}"
        values = [str(v) for n in names for v in (cells[n][i], moes[n][i])]
        rows.append([name, *values, "99", row.county, row.TRACTCE])
    return "[" + ",\n".join(json.dumps(r, separators=(",", ":")) for r in rows) + "]\n"
