"""Change over time as people read it: one plain sentence per indicator, the ranked table of
the largest real rises and falls, and gaps that widened or narrowed (no Streamlit here).

The numbers come from the ``changes`` and ``gap_changes`` tables
(:mod:`indicators.metrics.change`); this module only words and orders them.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.metrics.registry import BY_ID, Indicator
from indicators.periods import OVERLAP_CAUTION, last_year
from indicators.present.formatting import format_change, format_moe, format_value
from indicators.present.language import t

REAL = "a real change"
WITHIN_MOE = "No clear change: the difference is within the margin of error."


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def change_sentence(indicator: Indicator, row: pd.Series | None, period_from: str,
                    lang: str = "en") -> str:
    r"""The card's sentence in ``lang``: how the value moved since ``period_from`` and whether
    it is real.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> row = pd.Series({"value_from": 0.44, "value_to": 0.51, "change": 0.07, "moe": 0.03,
    ...                  "significant": True, "overlapping": False})
    >>> change_sentence(get("rent_burden"), row, "2014-2018")
    'Rent burden rose from 44% to 51% since 2014-2018: a real change.'
    >>> change_sentence(get("rent_burden"), row.replace({True: False}), "2014-2018")
    'No clear change since 2014-2018 (44% then, 51% now): the difference is within the margin of error.'
    >>> change_sentence(get("rent_burden"), row, "2014-2018", "es")
    'Subió de 44\xa0% a 51\xa0% desde 2014-2018: es un cambio real.'
    """
    if row is None or _missing(row.get("change")):
        return ""
    then = format_value(indicator, row["value_from"], lang)
    now = format_value(indicator, row["value_to"], lang)
    names = {"label": indicator.label_in(lang), "then": then, "now": now, "since": period_from}
    caution = t(" The two periods overlap: read it as a hint.", lang) \
        if bool(row.get("overlapping")) else ""
    if indicator.fmt == "percentile":
        return t("Among the places of each period, it moved from the {then} to the {now} since "
                 "{since} (a change of rank, not a measured amount).", lang, **names) + caution
    significant = row.get("significant")
    if _missing(significant):
        moved = t("{label} rose from {then} to {now} since {since}" if row["change"] > 0 else
                  "{label} fell from {then} to {now} since {since}" if row["change"] < 0 else
                  "{label} stayed from {then} to {now} since {since}", lang, **names)
        return (moved + t("; no margin of error is published for it, so we "
                                              "cannot say whether that is a real change.", lang)
                + caution)
    if not bool(significant):
        return (t("No clear change since {since} ({then} then, {now} now): the difference is "
                  "within the margin of error.", lang, **names)
                + in_later_dollars(indicator, row, lang) + caution)
    moved = t("{label} rose from {then} to {now} since {since}" if row["change"] > 0 else
              "{label} fell from {then} to {now} since {since}", lang, **names)
    return (moved + ": " + t(REAL, lang) + "."
            + in_later_dollars(indicator, row, lang) + caution)


def in_later_dollars(indicator: Indicator, row: pd.Series, lang: str = "en") -> str:
    """For a dollar value, the change once prices are allowed for (CPI-U-RS), in one sentence;
    empty for anything else.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> row = pd.Series({"value_from": 1000.0, "value_to": 1300.0, "factor": 1.215,
    ...                  "change_real": 85.0, "moe_real": 40.0, "significant_real": True,
    ...                  "period_to": "2019-2023"})
    >>> in_later_dollars(get("median_rent"), row)
    ' In 2023 dollars it was $1,200 then: a real rise of $90 after inflation.'
    """
    factor = row.get("factor")
    if indicator.fmt != "dollars" or _missing(factor):
        return ""
    year = last_year(str(row["period_to"]))
    then = format_value(indicator, row["value_from"] * factor, lang)
    real = row.get("significant_real")
    if _missing(real) or not bool(real):
        return t(" In {year} dollars it was {then} then: no clear change after inflation.", lang,
                 year=year, then=then)
    amount = format_change(indicator, abs(row["change_real"]), lang).lstrip("+")
    return t(" In {year} dollars it was {then} then: a real rise of {amount} after inflation."
             if row["change_real"] > 0 else
             " In {year} dollars it was {then} then: a real fall of {amount} after inflation.",
             lang, year=year, then=then, amount=amount)


def ranked_changes(changes: pd.DataFrame, names: dict[str, str], real: bool = True,
                   constant_dollars: bool = False) -> pd.DataFrame:
    """The changes of districts as a table, largest first within each indicator's direction
    (rises, then falls), each in its own unit: District, Indicator, Then, Now, Change, ±,
    Real change?

    Parameters
    ----------
    real : bool
        Only statistically significant changes (a change with no known MOE is never listed).
    constant_dollars : bool
        Dollar values in dollars of the later period (``change_real``).
    """
    columns = ["District", "Indicator", "Then", "Now", "Change", "±", "Real change?"]
    frame = changes.copy()
    if constant_dollars:
        dollars = frame["factor"].notna()
        frame.loc[dollars, "value_from"] = frame.loc[dollars, "value_from"] * frame.loc[dollars, "factor"]
        for column in ("change", "moe", "significant"):
            frame.loc[dollars, column] = frame.loc[dollars, f"{column}_real"]
    if real:
        frame = frame[frame["significant"].fillna(False).astype(bool)]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    # Rank by the size of the change against its own margin (|Z|), so units do not compete.
    frame = frame.assign(size=(frame["change"].abs() / frame["moe"]).fillna(0.0),
                         rise=frame["change"] > 0)
    frame = frame.sort_values(["rise", "size"], ascending=[False, False])
    rows = []
    for r in frame.itertuples():
        indicator = BY_ID[r.indicator_id]
        rows.append({
            "District": names.get(r.geo_id, r.geo_id), "Indicator": indicator.label,
            "Then": format_value(indicator, r.value_from), "Now": format_value(indicator, r.value_to),
            "Change": format_change(indicator, r.change), "±": format_moe(indicator, r.moe),
            "Real change?": verdict(r.significant),
        })
    return pd.DataFrame(rows, columns=columns)


def verdict(significant: object, lang: str = "en") -> str:
    """Whether a change is real, in words (``yes``, ``no: within the margin of error``)."""
    if _missing(significant):
        return t("unknown (no margin of error)", lang)
    return t("yes", lang) if bool(significant) else t("no: within the margin of error", lang)


def gap_rows(gaps: pd.DataFrame, names: dict[str, str], region: str) -> pd.DataFrame:
    """Whether each Black-White gap widened or narrowed: Place, Measure, Gap then, Gap now,
    Widened or narrowed, Real change?"""
    columns = ["Place", "Measure", "Gap then", "Gap now", "Widened or narrowed", "Real change?"]
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for r in gaps.sort_values(["geo_kind", "geo_id"], ascending=[False, True]).itertuples():
        money = r.measure.startswith("Median")
        fmt = (lambda v: f"${abs(round(v, -2)):,.0f}") if money else (lambda v: f"{abs(v) * 100:.0f} points")
        rows.append({
            "Place": region if r.geo_kind == "region" else names.get(r.geo_id, r.geo_id),
            "Measure": r.measure, "Gap then": fmt(r.gap_from), "Gap now": fmt(r.gap_to),
            "Widened or narrowed": "widened" if r.widened else "narrowed",
            "Real change?": verdict(r.significant),
        })
    return pd.DataFrame(rows, columns=columns)


def dollars_note(changes: pd.DataFrame, constant: bool) -> str:
    """What the dollar changes of a table mean: nominal, or in the later period's dollars.

    >>> frame = pd.DataFrame({"factor": [1.2153, None], "period_to": ["2019-2023", "2019-2023"]})
    >>> dollars_note(frame, False)[:66]
    'Dollar changes are nominal: prices rose 22% between the two period'
    """
    factors = changes["factor"].dropna() if "factor" in changes else pd.Series(dtype=float)
    if factors.empty:
        return ""
    year = last_year(str(changes["period_to"].iloc[0]))
    if constant:
        return (f"Dollar values of the earlier period are in {year} dollars: multiplied by "
                f"{factors.iloc[0]:.4f}, the CPI-U-RS ratio of the two periods' last years.")
    return (f"Dollar changes are nominal: prices rose {factors.iloc[0] - 1:.0%} between the two "
            f"periods (CPI-U-RS); switch on {year} dollars to allow for it.")


def overlap_caution(changes: pd.DataFrame) -> str:
    """The Census Bureau's caution when the periods compared overlap, else empty."""
    return OVERLAP_CAUTION if not changes.empty and bool(changes["overlapping"].any()) else ""


def pair_label(period_from: str, period_to: str) -> str:
    """``2014-2018 to 2018-2022``."""
    return f"{period_from} to {period_to}"


def how_compared(changes: pd.DataFrame) -> str:
    """How the changes of a table were worked out, for a caption: the formula, how tracts of
    another vintage were matched, the overlap caution.

    Examples
    --------
    >>> how_compared(pd.DataFrame({"method": ["later minus earlier; 2014-2018 units carried "
    ...     "onto the 2018-2022 units by area"], "overlapping": [False]}))
    'Change = later minus earlier; 2014-2018 units carried onto the 2018-2022 units by area.'
    """
    if changes.empty:
        return ""
    text = f"Change = {changes['method'].iloc[0]}."
    caution = overlap_caution(changes)
    return f"{text} {caution}" if caution else text


def unit_change_table(changes: pd.DataFrame, unit_names: pd.Series, indicator: Indicator,
                      unit_ids: list[str], lang: str = "en") -> pd.DataFrame:
    """The change map's numbers as a table: Tract, GEOID, Then, Now, Change, ±, Real change?
    (in ``lang``)"""
    shown = changes.set_index("geo_id").reindex(unit_ids).dropna(subset=["change"])
    return pd.DataFrame({
        t("Tract", lang): unit_names.reindex(shown.index).to_numpy(), "GEOID": shown.index,
        t("Then", lang): [format_value(indicator, v, lang) for v in shown["value_from"]],
        t("Now", lang): [format_value(indicator, v, lang) for v in shown["value_to"]],
        t("Change", lang): [format_change(indicator, c, lang) for c in shown["change"]],
        "±": [format_moe(indicator, m, lang) for m in shown["moe"]],
        t("Real change?", lang): [verdict(s, lang) for s in shown["significant"]],
    })


def trend_frame(district_trend: pd.DataFrame, region_trend: pd.DataFrame, names: dict[str, str],
                chosen: list[str], region: str) -> pd.DataFrame:
    """The chosen districts' and the region's values of one indicator in every period, as the
    trend chart and its download need them: name, period, value, moe, reliability."""
    part = district_trend[district_trend["geo_id"].isin(chosen)].assign(
        name=lambda f: f["geo_id"].map(names))
    whole = region_trend.assign(name=region)
    columns = ["name", "period", "value", "moe", "reliability"]
    return pd.concat([part[columns], whole[columns]], ignore_index=True)


def disparity_changes(older: pd.DataFrame, newer: pd.DataFrame) -> pd.DataFrame:
    """How the gap between majority people-of-colour and majority-White areas moved for each
    indicator (``disparities`` of two periods): Indicator, Gap then, Gap now, Widened or
    narrowed. These areas are groups of whole tracts, with no margin of error, so whether a
    change is real is not known."""
    columns = ["Indicator", "Gap then", "Gap now", "Widened or narrowed"]
    both = older.merge(newer, on="indicator_id", suffixes=("_from", "_to"))
    rows = []
    for r in both.itertuples():
        indicator = BY_ID.get(r.indicator_id)
        if indicator is None or indicator.direction == "neutral" or indicator.method == "area_share":
            continue
        if pd.isna(r.difference_from) or pd.isna(r.difference_to):
            continue
        rows.append({
            "Indicator": indicator.label,
            "Gap then": format_change(indicator, r.difference_from),
            "Gap now": format_change(indicator, r.difference_to),
            "Widened or narrowed": "widened" if abs(r.difference_to) > abs(r.difference_from)
            else "narrowed",
        })
    return pd.DataFrame(rows, columns=columns)
