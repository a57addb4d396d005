"""How to read a number, taught with the loaded region's own figures (no Streamlit here).

Five short lessons for the Learn page: the estimate, its margin of error, its reliability, a
percentile, and a change between periods with whether it is significant. Each states the rule
(the thresholds come from :mod:`indicators.metrics.moe`, so the lesson and the computation agree)
and then a live example chosen from the region's ``indicator_values`` and ``changes``; the change
sentence is the one the cards print (:func:`indicators.present.change.change_sentence`). Where the
database holds one period, the change lesson says so plainly instead of inventing an example.
"""

from __future__ import annotations

import pandas as pd

from indicators.metrics.moe import CV_HIGH, CV_MEDIUM, Z90
from indicators.metrics.registry import BY_ID, INDICATORS, Indicator
from indicators.present.change import change_sentence, verdict
from indicators.present.formatting import (
    escape_markdown,
    format_change,
    format_moe,
    format_value,
    ordinal,
    reliability_words,
)
from indicators.present.learn import Section, by_indicator


def example_indicator(region_values: pd.DataFrame) -> Indicator | None:
    """The indicator the lessons use: the first in the registry whose region-level value has a
    margin of error and is a burden or a benefit (not a population share); any with a value
    otherwise; None for an empty region."""
    rows = by_indicator(region_values)
    with_value = [i for i in INDICATORS if i.id in rows and not pd.isna(rows[i.id]["value"])]
    for indicator in with_value:
        if indicator.direction != "neutral" and indicator.fmt != "percentile" \
                and not pd.isna(rows[indicator.id]["moe"]):
            return indicator
    return with_value[0] if with_value else None


def estimate_lesson(indicator: Indicator, row: pd.Series, region: str) -> Section:
    """What an estimate is, with the example indicator's region-level value."""
    value = format_value(indicator, row["value"])
    return Section("Estimate", (
        "Most figures are **estimates**: the American Community Survey asks a sample of "
        "households each year, and other sources model or measure what they publish. An "
        "estimate is the best single guess, not an exact count.\n\n"
        f"**Example:** {indicator.label} across {region} is **{value}**. It answers: "
        f"*{indicator.question}*"))


def moe_lesson(indicator: Indicator, row: pd.Series, region: str) -> Section:
    """What a margin of error is, with the range it gives the example value."""
    rule = ("A **margin of error** (±) says how far the estimate may be from the true value. "
            "The Census Bureau publishes 90% margins: nine times out of ten the true value lies "
            "within the estimate ± its margin.")
    if pd.isna(row.get("moe")):
        return Section("Margin of error", rule + "\n\n**Example:** no margin of error is published "
                       f"for {indicator.label} in {region}, so we cannot say how precise it is.")
    low = format_value(indicator, row["value"] - row["moe"])
    high = format_value(indicator, row["value"] + row["moe"])
    return Section("Margin of error", rule + (
        f"\n\n**Example:** {format_value(indicator, row['value'])} "
        f"{format_moe(indicator, row['moe'])}: the true value of {indicator.label} "
        f"across {region} is very likely between {low} and {high}."))


def reliability_lesson(indicator: Indicator, row: pd.Series, region: str,
                       district_values: pd.DataFrame, names: dict[str, str]) -> Section:
    """The reliability classes (from the CV thresholds), the example's class, and a district
    figure that is less reliable where the region has one."""
    rule = ("**Reliability** compares the margin with the estimate: the coefficient of variation "
            f"(CV) is the standard error (the margin ÷ {Z90}) divided by the estimate. A figure is "
            f"**{reliability_words('high')}** when its CV is below {CV_HIGH:.0%}, "
            f"**{reliability_words('medium')}** below {CV_MEDIUM:.0%}, and "
            f"**{reliability_words('low')}** above. Small places have small samples, so their "
            "figures are less reliable than the region's.")
    lines = [rule]
    if not pd.isna(row.get("cv")):
        lines.append(f"**Example:** {indicator.label} across {region} has a CV of "
                     f"{row['cv']:.1%}: {reliability_words(row.get('reliability'))}.")
    weak = district_values[district_values["reliability"].isin(["medium", "low"])]
    weak = weak[weak["indicator_id"].isin(list(BY_ID))]
    if weak.empty:
        lines.append("Every district figure here is reliable or has no published margin.")
    else:
        r = weak.sort_values("cv", ascending=False).iloc[0]
        other = BY_ID[str(r["indicator_id"])]
        place = escape_markdown(names.get(str(r["geo_id"]), str(r["geo_id"])))
        lines.append(f"By contrast, {other.label} in {place} is {format_value(other, r['value'])} "
                     f"{format_moe(other, r['moe'])}, a CV of {r['cv']:.1%}: "
                     f"{reliability_words(str(r['reliability']))}.")
    return Section("Reliability", "\n\n".join(lines))


def percentile_lesson(indicator: Indicator, district_values: pd.DataFrame,
                      names: dict[str, str]) -> Section:
    """What a percentile is, with the most burdened district for the example indicator."""
    rule = ("A **percentile** ranks a place among the region's places of the same kind: "
            "(rank − 1) ÷ (number of places − 1), so the lowest is the 0th and the highest the "
            "100th. Ranks are turned so that a higher percentile always means **more burdened**, "
            "whichever way the indicator runs. A percentile says where a place stands, not how "
            "large the value is.")
    mine = district_values[(district_values["indicator_id"] == indicator.id)
                           & district_values["percentile"].notna()]
    if mine.empty:
        return Section("Percentile", rule + "\n\n**Example:** this region has no district "
                       f"percentiles for {indicator.label}.")
    top = mine.sort_values(["percentile", "geo_id"], ascending=[False, True]).iloc[0]
    place = escape_markdown(names.get(str(top["geo_id"]), str(top["geo_id"])))
    rank = ordinal(round(float(top["percentile"]) * 100))
    return Section("Percentile", rule + (
        f"\n\n**Example:** {place} is at the **{rank} percentile** for "
        f"{indicator.label} among the region's {len(mine)} districts "
        f"({format_value(indicator, top['value'])}): the most burdened of them on this measure."))


def change_lesson(changes: pd.DataFrame, periods: tuple[str, ...]) -> Section:
    """How a change is judged real, with one real and one unclear change of the region where
    the database has two periods; a plain statement where it has one."""
    rule = ("A **change** is the later estimate minus the earlier one. Both have margins, so the "
            "change has one too: √(MOE₁² + MOE₂²). It is **significant** (a real change, at the "
            "90% level) only when it is larger than its margin; otherwise the difference may be "
            "the samples' noise.")
    named = [p for p in periods if p]
    if len(named) < 2 or changes.empty:
        held = f" ({escape_markdown(named[0])})" if named else ""
        return Section("Change and significance", rule + (
            f"\n\n**Example:** this region's database holds one period{held}, so there is no "
            "change to read yet. Once a second period is loaded, this example shows one."))
    lines = [rule, ""]
    for wanted in (True, False):
        row = _pick_change(changes, wanted)
        if row is None:
            continue
        indicator = BY_ID[str(row["indicator_id"])]
        sentence = change_sentence(indicator, row, str(row["period_from"]))
        lines.append(f"- **{indicator.label}:** {sentence} The change is "
                     f"{format_change(indicator, row['change'])} {format_moe(indicator, row['moe'])}; "
                     f"significant: {verdict(row['significant'])}.")
    if len(lines) == 2:
        lines.append("No change of this region has a margin of error to judge it by.")
    return Section("Change and significance", "\n".join(lines))


def _pick_change(changes: pd.DataFrame, significant: bool) -> pd.Series | None:
    """The first change in registry order with a margin of error and this verdict."""
    rows = by_indicator(changes)
    for indicator in INDICATORS:
        row = rows.get(indicator.id)
        if row is None or indicator.fmt == "percentile" or pd.isna(row["moe"]) \
                or pd.isna(row["significant"]):
            continue
        if bool(row["significant"]) == significant:
            return row
    return None


def lessons(region_values: pd.DataFrame, district_values: pd.DataFrame, changes: pd.DataFrame,
            names: dict[str, str], periods: tuple[str, ...], region: str) -> tuple[Section, ...]:
    """Every lesson of "how to read a number", with the region's examples."""
    region = escape_markdown(region)
    change = change_lesson(changes, periods)
    indicator = example_indicator(region_values)
    if indicator is None:
        return (Section("Estimate", "This region has no figures to learn from yet."), change)
    row = by_indicator(region_values)[indicator.id]
    return (estimate_lesson(indicator, row, region), moe_lesson(indicator, row, region),
            reliability_lesson(indicator, row, region, district_values, names),
            percentile_lesson(indicator, district_values, names), change)
