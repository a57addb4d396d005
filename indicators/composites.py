"""Which inputs the composite indices use: CDC SVI variables as canonical rates, and the burden
lists of the EJScreen-style and CEJST-style indices (registry indicator ids)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: CDC SVI variable -> (numerator, denominator) alternatives among canonical variables.
SVI_RATES: dict[str, tuple[tuple[str, str], ...]] = {
    "POV150": (("pov_below_150", "pov_universe"), ("pov_below_100", "pov_universe")),
    "UNEMP": (("unemployed", "labor_force"),),
    "HBURD": (("hh_cost_burden_lt75k", "households"),),
    "NOHSDP": (("edu_less_hs", "edu_universe"),),
    "UNINSUR": (("pop_uninsured", "insurance_universe"),),
    "AGE65": (("pop_over64", "pop_total"),),
    "AGE17": (("pop_under18", "pop_total"),),
    "DISABL": (("pop_disabled", "pop_total"),),
    "SNGPNT": (("hh_single_parent", "households"),),
    "LIMENG": (("pop_limited_english", "pop_5plus"), ("hh_limited_english", "households")),
    "MINRTY": (("pop_poc", "pop_total"),),
    "MUNIT": (("units_multiunit", "housing_units"),),
    "MOBILE": (("units_mobile", "housing_units"),),
    "CROWD": (("units_crowded", "occupied_units"),),
    "NOVEH": (("hh_no_vehicle", "households"),),
    "GROUPQ": (("pop_group_quarters", "pop_total"),),
}

#: Environmental burdens of the EJScreen-style index (EJScreen's environmental indicators).
EJ_BURDENS = (
    "pm25", "ozone", "diesel_pm", "traffic_proximity", "lead_paint", "hazwaste_proximity",
    "superfund_proximity", "wastewater",
)
#: Burdens of the CEJST-style flag (CEJST 1.0 categories the registry can measure).
CEJST_BURDENS = (
    "pm25", "diesel_pm", "traffic_proximity", "hazwaste_proximity", "superfund_proximity",
    "wastewater", "lead_paint", "asthma", "diabetes", "heart_disease", "life_expectancy",
    "housing_cost_burden", "rent_burden", "redlined_share", "impervious",
)


def svi_inputs(inputs: object) -> tuple[pd.DataFrame, list[str]]:
    """Unit-level percentages of the SVI variables the region has (each from one layer).

    Returns the table (columns named like CDC's, e.g. ``POV150``) and the variables used.
    A zero denominator gives a missing value, so the unit is left unranked for that variable.
    """
    columns: dict[str, np.ndarray] = {}
    for name, alternatives in SVI_RATES.items():
        for num, den in alternatives:
            source = inputs.source((num, den))
            if source is None:
                continue
            x, y = source.values(num), source.values(den)
            with np.errstate(divide="ignore", invalid="ignore"):
                columns[name] = np.where(y > 0, 100.0 * x / y, np.nan)
            break
    return pd.DataFrame(columns), list(columns)
