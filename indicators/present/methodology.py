"""The Methodology page's text, generated from the registry and the rules' own constants, so
that what the page says cannot drift from what the code does (no Streamlit here).

In Spanish the plain-language parts are translated (an indicator's question, its direction, where
its data come from); the technical ones (formulas, computation rules, caveats) stay in English, as
:func:`language_note` tells the reader."""

from __future__ import annotations

import pandas as pd

from indicators.config import EQUAL_AREA_CRS
from indicators.ingest.profiles import TABLE_PROFILES
from indicators.ingest.tabular import Profile, expand_terms
from indicators.metrics import change, dollars
from indicators.metrics.composites import cejst, svi
from indicators.metrics.moe import CV_HIGH, CV_MEDIUM, Z90
from indicators.metrics.registry import Indicator
from indicators.periods import OVERLAP_CAUTION, last_year
from indicators.present.formatting import escape_markdown, ordinal
from indicators.present.language import t

HIGHER_IS = {"higher_worse": "worse", "higher_better": "better",
             "neutral": "neither better nor worse"}
HIGHER_IS_ES = {"higher_worse": "es peor", "higher_better": "es mejor", "neutral": "no es ni mejor ni peor"}
#: Said once on the Spanish page: what is left in English.
TECHNICAL_IN_ENGLISH = "Las fórmulas y notas técnicas están en inglés."


def language_note(lang: str = "en") -> str:
    """What the page in ``lang`` leaves in English (empty in English).

    Examples
    --------
    >>> language_note(), language_note("es")
    ('', 'Las fórmulas y notas técnicas están en inglés.')
    """
    return TECHNICAL_IN_ENGLISH if lang == "es" else ""


def svi_methods() -> str:
    """Each SVI vintage's themes and variables, as a Markdown list (from the composite's module).

    Examples
    --------
    >>> first = svi_methods().splitlines()[1]
    >>> first[:60]
    '- CDC/ATSDR SVI 2018 method (15 variables): socioeconomic st'
    >>> "PCI (ranked in reverse: a higher income is less vulnerable)" in first
    True
    """
    lines = [""]
    for method in (svi.METHOD_2018, svi.METHOD_2020):
        themes = "; ".join(
            f"{svi.THEME_TITLES[theme]}: " + ", ".join(
                f"{v} (ranked in reverse: a higher income is less vulnerable)"
                if v in method.descending else v for v in variables)
            for theme, variables in method.themes.items())
        lines.append(f"- {method.name}: {themes}")
    return "\n".join(lines) + "\n"


def computation_rules() -> str:
    """How the numbers are computed, in plain words (Markdown)."""
    burden, income = (ordinal(round(p * 100)) for p in (cejst.BURDEN_PERCENTILE,
                                                        cejst.LOW_INCOME_PERCENTILE))
    relaxed = ordinal(round(cejst.NEIGHBOUR_LOW_INCOME_PERCENTILE * 100))
    return f"""
**Districts from tracts.** Census data come for tracts (or block groups), whose edges rarely follow
district boundaries. We overlay the two in an equal-area projection ({EQUAL_AREA_CRS}) and give each
tract a weight for each district: the share of the tract's area inside it. A district's count is the
sum of weight × count over its tracts, assuming people are spread evenly within a tract. The region is
the districts taken together.

**Rates** (such as the poverty rate) are computed from those summed counts, never by averaging tract
percentages, and the numerator and denominator always come from the same source and year.

**Margins of error.** American Community Survey numbers are estimates from a sample; each comes with a
90% margin of error (±). For sums we combine margins as the Census Bureau directs: the square root of
the sum of squared (weighted) margins, counting only the largest margin among zero estimates. For
rates we use the Bureau's formula for proportions. The coefficient of variation (CV) is the standard
error divided by the estimate. Reliability: **reliable** when the CV is below {CV_HIGH:.0%}, **use with
care** below {CV_MEDIUM:.0%}, **unreliable** above; unknown where a source publishes no margin.

**Medians** cannot be added up: a district's median income is re-derived from the number of
households in each income bracket, interpolating within the bracket holding the middle household.
Where a source has only tract medians, we show a household-weighted average, labelled approximate,
with the margin of error of that average.

**Concentrations** (PM2.5, asthma prevalence, tree canopy) are averaged over a district's tracts,
weighted by the people living in each piece (EPA EJScreen's convention).

**Percentiles** rank each tract (or district) among the region's: (rank − 1) / (N − 1), ties sharing
the lowest rank (CDC's SVI convention), always oriented so that a higher percentile means more
burdened.

**Percentages published without their counts** (CEJST's race shares, EJScreen's demographic
shares) are used only where no loaded file has the counts. A district then gets the
population-weighted mean of its tracts' percentages, with no margin of error: none is published.

**Race and ethnicity are labelled as the source measured them.** "Black residents (not
Hispanic)" counts people of one race alone who are not Hispanic (ACS table B03002). CEJST's
columns say "Black or African American alone", but they are the same B03002 shares (ACS
2015-2019): with its Hispanic share they sum to 1. So a region with counts uses the counts (with
their margins of error), and one with only CEJST's file uses CEJST's shares, labelled as published.

**Social vulnerability** follows CDC/ATSDR's method for the data's vintage: the
{svi.METHOD_2018.name} for data up to {svi.LAST_2018_METHOD_YEAR}, the {svi.METHOD_2020.name} after.
Each variable's percentage, to {svi.EP_DECIMALS} decimal as CDC publishes it, is ranked among the
region's tracts; the ranks are summed within each theme, the sums ranked, the theme sums summed and
ranked again, every rank to {svi.CDC_DECIMALS} decimals.
{svi_methods()}
Where the region loads CDC's own SVI file, tracts show CDC's published ranks (among the state's
tracts), labelled "CDC/ATSDR, as published"; districts are the population-weighted mean of their
tracts' ranks either way.

**Overburdened tracts** follow CEJST 1.0: a tract meets a criterion at or above the {burden}
percentile of a burden when it is also low-income (at or above the {income} percentile of people
below twice the poverty line), or, for the workforce criteria, when at least
{cejst.LOW_HS_SHARE:.0%} of its adults have no high-school diploma. A tract surrounded by
overburdened tracts and at or above the {relaxed} percentile of low income is overburdened too.
Percentiles are among the region's tracts; CEJST's own designation is shown where its file is
loaded.
"""


def change_rules(periods: tuple[str, ...]) -> str:
    """How change between periods is worked out, in plain words (Markdown), with the CPI-U-RS
    factors between the region's periods."""
    named = [p for p in periods if p]
    factors = []
    for older, newer in change.pairs_of(tuple(named)):
        f = dollars.factor(last_year(older), last_year(newer))
        if f is not None:
            factors.append(f"{older} to {newer}: × {f:.4f} (CPI-U-RS {last_year(newer)} / "
                           f"{last_year(older)})")
    factor_text = ("; ".join(factors) + ".") if factors else "none between this region's periods."
    return f"""
**Districts keep their boundaries.** Tract boundaries change at each census, so each period's
tracts are crosswalked to the same districts: a district's values in two periods compare directly.
A tract's change compares the later tract with the earlier period carried onto it: by the share of
each earlier tract's area inside it, or by the weights of a tract relationship file (the Census
Bureau's, by land area; IPUMS NHGIS's, by population or housing) where the region loads one. Each
change says which.

**Is it a real change?** Change = later value − earlier value. Its margin of error is
√(MOE₁² + MOE₂²) (the ACS handbook's formula for two independent estimates); the change is real,
statistically significant at the 90% level, when it is larger than that margin (|Z| > {Z90}).
Where either value has no published margin, we cannot tell, and say so.

**Overlapping periods.** {OVERLAP_CAUTION}

**Ranks.** Percentiles and composite indices (such as social vulnerability) rank places within
their own period, so a change says a place moved relative to the others; it carries no margin of
error.

**Dollars.** Each ACS period is in dollars of its last year. Changes are shown in those nominal
dollars, and, when asked (and in every sentence on a card), in dollars of the later period:
the earlier value times the ratio of the {dollars.SOURCE} of the two periods' last years.
Factors here: {factor_text}

**Race over time.** From 2020 the Census Bureau codes race responses differently, and many more
people are counted in "two or more races"; shares of people of colour can rise between a
2014-2018 and a 2018-2022 period with no change in who lives there. Read race shares across that
divide with care.
"""


def indicator_text(indicator: Indicator, region_name: str, availability: pd.DataFrame,
                   layers: pd.DataFrame, lang: str = "en") -> str:
    """One indicator's definition, formula, unit, source and how it was computed here
    (Markdown; the region's name and the layer's title, vintage, publisher and licence, which
    come from the region's manifest, are escaped). In Spanish the question, the direction and
    the sentence on where the data come from are translated; formulas, units and sources are
    left as they are.

    Parameters
    ----------
    availability : pandas.DataFrame
        ``indicator_availability`` indexed by indicator id.
    layers : pandas.DataFrame
        The ``layers`` table.
    """
    direction = (HIGHER_IS_ES if lang == "es" else HIGHER_IS)[indicator.direction]
    text = t("*{question}*  \n**Formula:** {formula}.  \n**Unit:** {unit}; higher is {direction}.  \n"
             "**Source:** {source}.", lang, question=indicator.question_in(lang),
             formula=indicator.formula, unit=indicator.unit, direction=direction,
             source=indicator.source)
    if indicator.index is not None:
        text += "  \n" + t("**Method followed:** {reference}.", lang,
                           reference=indicator.index.reference)
    if indicator.id not in availability.index:
        return text
    row = availability.loc[indicator.id]
    region_name = escape_markdown(region_name)
    if not bool(row["available"]):
        return text + "\n\n" + t("**In {region}:** not available: none of the loaded files has what "
                                  "it needs. It comes from {suppliers}.", lang, region=region_name,
                                  suppliers=suppliers(indicator))
    by_id = layers.set_index("layer_id")
    if pd.notna(row["layer_id"]) and int(row["layer_id"]) in by_id.index:
        layer = by_id.loc[int(row["layer_id"])].map(escape_markdown)
        return text + "\n\n" + t("**In {region}:** from *{title}*, {vintage} ({publisher}, "
                                  "{licence}); method: {method}. {detail}", lang, region=region_name,
                                  title=layer["title"], vintage=layer["vintage"],
                                  publisher=layer["publisher"], licence=layer["licence"],
                                  method=row["method"], detail=row["detail"])
    return text + "\n\n" + t("**In {region}:** {method}. {detail}", lang, region=region_name,
                              method=row["method"], detail=row["detail"])


def suppliers(indicator: Indicator, limit: int = 4) -> str:
    """Which files, and which of their columns, would give a region this indicator: every
    profile able to supply one of its input alternatives (Markdown, one sentence).

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> suppliers(get("ozone"))
    'EPA EJScreen (OZONE)'
    >>> suppliers(get("tree_canopy"))
    'a GEOID-keyed CSV mapped with the generic profile (columns = { tree_canopy_pct = "..." })'
    """
    if indicator.index is not None:
        return indicator.index.inputs
    if indicator.method == "area_share":
        return "a HOLC redlining map (Mapping Inequality GeoJSON, profile holc)"
    options = []
    alternatives = [*indicator.inputs, *([(indicator.published,)] if indicator.published else [])]
    for alternative in alternatives:
        for profile in TABLE_PROFILES.values():
            columns = _columns_for(profile, alternative)
            if columns is None or any(o[0] == profile.title for o in options):
                continue
            shown = ", ".join(columns[:limit]) + (", ..." if len(columns) > limit else "")
            options.append((profile.title, shown))
    if not options:
        mapped = ", ".join(f'{v} = "..."' for v in sorted(indicator.variables))
        return f"a GEOID-keyed CSV mapped with the generic profile (columns = {{ {mapped} }})"
    return " or ".join(f"{title} ({shown})" for title, shown in options)


def _columns_for(profile: Profile, variables: tuple[str, ...]) -> list[str] | None:
    """The columns of ``profile`` that give ``variables``, or None where it lacks one."""
    fields = {f.variable: f for f in profile.fields}
    columns: list[str] = []
    for variable in variables:
        spec = fields.get(variable)
        if spec is None:
            return None
        if spec.compute is not None or not spec.alternatives:
            columns.extend(spec.reads or (f"{variable} (derived)",))
            continue
        terms = expand_terms(spec.alternatives[0])
        columns.extend(profile.estimate_column(t) for _, t in terms)
    return list(dict.fromkeys(columns))
