"""Segregation indices from PySAL's ``segregation`` package, for the region and within each
district, on the area-weighted pieces of units.

- **Dissimilarity** (Massey & Denton 1988), Black / White and people of colour / White: the
  share of one group that would have to move for both to be spread evenly across units.
- **Isolation** (Massey & Denton 1988), Black and people of colour: the group's share among the
  neighbours of its average member.
- **Theil's H**, the multigroup information theory index (Reardon & Firebaugh 2002): how much
  less diverse units are than the area as a whole, across every group with people.

References
----------
Massey, D. S., & Denton, N. A. (1988). The dimensions of residential segregation. *Social
Forces*, 67(2), 281-315. Reardon, S. F., & Firebaugh, G. (2002). Measures of multigroup
segregation. *Sociological Methodology*, 32(1), 33-67. Cortes, R. X., et al. (2020).
segregation: a Python package for the analysis of spatial segregation. *JOSS*.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from indicators.metrics.aggregate import Weights

GROUPS = {
    "White": "pop_nh_white", "Black": "pop_nh_black", "Hispanic or Latino": "pop_hispanic",
    "Asian": "pop_nh_asian", "Other or multiracial": "pop_nh_other",
}


def _segregation_classes() -> tuple[type, type, type]:
    """Import ``segregation`` without letting it change NumPy's error handling for the whole
    process (its modules call ``np.seterr`` when imported)."""
    saved = np.geterr()
    try:
        from segregation.multigroup import MultiInfoTheory
        from segregation.singlegroup import Dissim, Isolation
    finally:
        np.seterr(**saved)
    return Dissim, Isolation, MultiInfoTheory


def segregation_table(counts: pd.DataFrame, weights: dict[str, Weights]) -> pd.DataFrame:
    """Segregation indices for the region and each district.

    Returns
    -------
    pandas.DataFrame
        geo_kind, geo_id, index, groups, value, n_units.
    """
    if counts.empty:
        return pd.DataFrame(columns=["geo_kind", "geo_id", "index", "groups", "value", "n_units"])
    Dissim, Isolation, MultiInfoTheory = _segregation_classes()
    rows = []
    for kind in ("region", "district"):
        w = weights[kind]
        for g, geo_id in enumerate(w.ids):
            share = np.asarray(w.matrix[g].todense()).ravel()
            data = counts.mul(share, axis=0)
            data = data[(share > 0) & (data["pop_total"] > 0)].dropna(subset=["pop_nh_white", "pop_poc"])
            data = data.fillna(0.0)
            with np.errstate(divide="ignore", invalid="ignore"):  # 0 * log(0) terms are dropped
                found = list(_indices(data, Dissim, Isolation, MultiInfoTheory))
            for name, groups, value in found:
                rows.append({"geo_kind": kind, "geo_id": geo_id, "index": name, "groups": groups,
                             "value": value, "n_units": len(data)})
    return pd.DataFrame(rows)


def _indices(data: pd.DataFrame, dissim: type, isolation: type,
             theil: type) -> Iterator[tuple[str, str, float]]:
    if len(data) < 2:
        return
    d = data.assign(bw=data.get("pop_nh_black", 0) + data["pop_nh_white"],
                    pw=data["pop_poc"] + data["pop_nh_white"])
    if "pop_nh_black" in d and d["pop_nh_black"].sum() > 0 and d["bw"].sum() > 0:
        yield "Dissimilarity", "Black / White", float(dissim(d[d.bw > 0], "pop_nh_black", "bw").statistic)
        yield "Isolation", "Black", float(isolation(d, "pop_nh_black", "pop_total").statistic)
    if d["pop_poc"].sum() > 0 and d["pw"].sum() > 0:
        yield ("Dissimilarity", "People of colour / White",
               float(dissim(d[d.pw > 0], "pop_poc", "pw").statistic))
        yield "Isolation", "People of colour", float(isolation(d, "pop_poc", "pop_total").statistic)
    groups = [v for v in GROUPS.values() if v in d and d[v].sum() > 0]
    if len(groups) >= 3:
        yield ("Theil's H (multigroup)", ", ".join(k for k, v in GROUPS.items() if v in groups),
               float(theil(d[d[groups].sum(axis=1) > 0], groups).statistic))
