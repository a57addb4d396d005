"""A district profile as one self-contained HTML page that prints well (A4 or Letter), plus the
rows behind it. Plain Python: the Neighbourhood page offers it as a download. Every text in the
page is HTML-escaped, and the CSV's cells cannot act as spreadsheet formulas."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from indicators.metrics.framework import COMMITMENT_NAMES, commitment, heading
from indicators.metrics.registry import BY_ID, INDICATORS, Indicator
from indicators.present.change import change_sentence
from indicators.present.formatting import comparison, format_moe, format_value, reliability_words
from indicators.present.language import t
from indicators.present.methodology import suppliers
from indicators.present.tables import csv_text

CSS = """
@page { size: auto; margin: 14mm; }
body { font-family: "Source Sans Pro", Arial, sans-serif; color: #1b1b1b; font-size: 10.5pt;
       line-height: 1.35; max-width: 780px; margin: 0 auto; padding: 12px; }
h1 { font-size: 20pt; margin: 0 0 2px; } h2 { font-size: 12.5pt; margin: 14px 0 4px;
     border-bottom: 2px solid #1f6f5c; padding-bottom: 2px; color: #1f6f5c; }
.sub { color: #555; margin: 0 0 8px; } .banner { background: #fff4ce; padding: 6px 10px;
       border-left: 4px solid #c99400; margin: 8px 0; }
table { width: 100%; border-collapse: collapse; } td { padding: 3px 4px; vertical-align: top;
        border-bottom: 1px solid #e3e3e3; } td.v { white-space: nowrap; text-align: right; }
td.r { color: #555; font-size: 9pt; white-space: nowrap; } .src { color: #666; font-size: 8.5pt; }
.na { color: #666; font-size: 9pt; } footer { margin-top: 12px; color: #666; font-size: 8.5pt; }
h2, tr { break-inside: avoid; page-break-inside: avoid; }
"""


#: The card's comparison with the region, by :func:`~indicators.present.formatting.comparison`.
AGAINST_REGION = {
    "": "Across {region} it is {value}.",
    "higher than": "Across {region} it is {value}: {place} is **higher than** {region}.",
    "lower than": "Across {region} it is {value}: {place} is **lower than** {region}.",
    "about the same as": "Across {region} it is {value}: {place} is **about the same as** {region}.",
}


@dataclass(frozen=True)
class ProfileRow:
    """One indicator in a district's profile: the district's value and the region's, with the
    sentences a resident reads (the Neighbourhood page's cards and the printable profile)."""

    indicator_id: str
    value: float
    moe: float
    reliability: str
    region_value: float
    source: str
    region_moe: float = float("nan")
    #: How the value moved since the previous period, in one sentence (empty with one period).
    change: str = ""
    #: The language of the row's sentences ("en" or "es").
    lang: str = "en"

    @property
    def indicator(self) -> Indicator:
        """The registry entry."""
        return BY_ID[self.indicator_id]

    @property
    def sentence(self) -> str:
        """The plain-language statement for the district (lower case, no full stop)."""
        return self.indicator.sentence(format_value(self.indicator, self.value, self.lang), self.lang)

    def headline(self, district: str) -> str:
        """``In Westside, 47% of renters spend ... .`` (``En Westside, el 47 % ...``)"""
        return t("In {place}, {sentence}.", self.lang, place=district, sentence=self.sentence)

    def against_region(self, district: str, region: str) -> str:
        """``Across Sample City it is 41%: Westside is higher than Sample City.`` (empty where
        the region has no value)."""
        if pd.isna(self.region_value):
            return ""
        compare = comparison(self.value, self.moe, self.region_value, self.region_moe)
        names = {"region": region, "place": district,
                 "value": format_value(self.indicator, self.region_value, self.lang)}
        return t(AGAINST_REGION[compare], self.lang, **names)

    @property
    def caption(self) -> str:
        """Margin of error, reliability in words and source, joined by dots."""
        parts = (format_moe(self.indicator, self.moe, self.lang),
                 reliability_words(self.reliability, self.lang),
                 t("Source: {source}", self.lang, source=self.source))
        return " · ".join(p for p in parts if p)


def profile_rows(values: pd.DataFrame, region: pd.DataFrame, sources: dict[int, str],
                 changes: pd.DataFrame | None = None, period_from: str = "",
                 lang: str = "en") -> list[ProfileRow]:
    """Rows for one district from its ``indicator_values`` and the region's, in registry order,
    each with its change since ``period_from`` where ``changes`` (the district's ``changes``
    rows, indexed by indicator id) has it; their sentences in ``lang``.

    Parameters
    ----------
    values, region : pandas.DataFrame
        ``indicator_values`` rows of the district and of the region.
    sources : dict
        layer_id -> "title, vintage" (an indicator without a layer, or whose layer is
        not listed, shows its registry source).
    """
    regional = region.set_index("indicator_id")
    by_id = values.set_index("indicator_id")
    rows = []
    for indicator in INDICATORS:
        if indicator.id not in by_id.index:
            continue
        row = by_id.loc[indicator.id]
        layer = row.get("layer_id")
        source = sources.get(int(layer), indicator.source) if pd.notna(layer) else indicator.source
        source += as_published(str(row.get("method") or ""), lang)
        there = regional.loc[indicator.id] if indicator.id in regional.index else None
        moved = changes.loc[indicator.id] if changes is not None and indicator.id in changes.index \
            else None
        rows.append(ProfileRow(
            indicator.id, float(row["value"]), float(row["moe"]), str(row["reliability"] or ""),
            float(there["value"]) if there is not None else float("nan"), source,
            float(there["moe"]) if there is not None else float("nan"),
            change_sentence(indicator, moved, period_from, lang), lang))
    return rows


def as_published(method: str, lang: str = "en") -> str:
    """What a value taken from a publisher's own numbers is, after its source's name (empty for
    a value we computed from counts).

    Examples
    --------
    >>> as_published("CDC/ATSDR, as published (RPL_THEMES); districts population-weighted")
    ' (CDC/ATSDR, as published; districts population-weighted)'
    >>> as_published("population-weighted mean of the published percentage (no margin of error)")
    ' (the published percentage, population-weighted; none has a margin of error)'
    >>> as_published("rate of interpolated counts")
    ''
    """
    if method.startswith("CDC/ATSDR, as published"):
        return t(" (CDC/ATSDR, as published; districts population-weighted)", lang)
    if "published percentage" in method:
        return t(" (the published percentage, population-weighted; none has a margin of error)", lang)
    return ""


def by_commitment(rows: list[ProfileRow]) -> dict[str, list[ProfileRow]]:
    """The rows under each Commitment, every Commitment listed (in the framework's order)."""
    return {name: [r for r in rows if r.indicator.commitment == name] for name in COMMITMENT_NAMES}


def not_available(missing: pd.DataFrame, lang: str = "en") -> list[tuple[str, str]]:
    """(label, what would supply it) of each indicator a region cannot show, from its
    ``indicator_availability`` rows (indexed by indicator id): the files and columns that would
    give it (:func:`indicators.present.methodology.suppliers`; the files' names stay as written)."""
    return [(BY_ID[i].label_in(lang), t("it needs {files}", lang, files=suppliers(BY_ID[i])))
            for i in missing.index if i in BY_ID]


#: The longest start of a download's file name (a long name would make a file name no system takes).
MAX_STEM = 60


def file_stem(name: str) -> str:
    """A district name as the start of a download's file name: lower-case letters, digits and
    hyphens only, at most :data:`MAX_STEM` characters.

    Examples
    --------
    >>> file_stem("Mill Creek / Oak Hill"), file_stem("<img src=x onerror=alert(1)>")
    ('mill-creek-oak-hill', 'img-src-x-onerror-alert-1')
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower())[:MAX_STEM].strip("-") or "district"


def profile_csv(district: str, rows: list[ProfileRow]) -> str:
    """The profile's numbers as CSV (one row per indicator, raw values and formatted text), its
    text cells inert in a spreadsheet (:func:`~indicators.present.tables.csv_text`)."""
    frame = pd.DataFrame([{
        "district": district, "commitment": BY_ID[r.indicator_id].commitment,
        "indicator_id": r.indicator_id, "indicator": BY_ID[r.indicator_id].label,
        "value": r.value, "moe_90": r.moe, "reliability": r.reliability,
        "region_value": r.region_value, "statement": r.sentence, "change": r.change,
        "source": r.source,
    } for r in rows])
    return csv_text(frame)


def profile_html(region_name: str, district: str, rows: list[ProfileRow], missing: list[str],
                 built: str, sample: bool, lang: str = "en") -> str:
    """The printable one-page profile, in ``lang`` (the page's ``lang`` attribute says which).

    Parameters
    ----------
    region_name, district : str
    rows : list of ProfileRow
        In the same language.
    missing : list of str
        Labels of indicators not available for this region.
    built : str
        When the data were built (shown in the footer).
    sample : bool
        Whether the region is the fictional sample (adds a banner).
    """
    e = html.escape
    parts = [f"<!doctype html><html lang='{e(lang)}'><head><meta charset='utf-8'><title>"
             f"{e(t('{place} profile', lang, place=district))}</title><style>{CSS}</style></head><body>",
             f"<h1>{e(district)}</h1><p class='sub'>"
             f"{e(t('Neighbourhood profile, {region}.', lang, region=region_name))} "
             f"{e(t('Figures are estimates; ± shows the 90% margin of error.', lang))}</p>"]
    if sample:
        parts.append(f"<p class='banner'>"
                     f"{e(t('Fictional sample data: these places and people do not exist.', lang))}</p>")
    for name, mine in by_commitment(rows).items():
        if not mine:
            continue
        parts.append(f"<h2>{e(heading(commitment(name), lang))} <span class='src'>"
                     f"({e(name)})</span></h2><table>")
        for r in mine:
            indicator = r.indicator
            moe = format_moe(indicator, r.moe, lang)
            parts.append(
                f"<tr><td>{e(r.sentence[0].upper() + r.sentence[1:])}."
                f"{(' ' + e(r.change)) if r.change else ''}<br><span class='src'>"
                f"{e(region_name)}: {e(format_value(indicator, r.region_value, lang))}. "
                f"{e(t('Source: {source}', lang, source=r.source))}</span></td><td class='v'>"
                f"{e(format_value(indicator, r.value, lang))}"
                f"{('<br>' + e(moe)) if moe else ''}</td><td class='r'>"
                f"{e(reliability_words(r.reliability, lang))}</td></tr>")
        parts.append("</table>")
    if missing:
        absent = t("Not available for this region: {labels}.", lang, labels=", ".join(missing))
        parts.append(f"<p class='na'>{e(absent)}</p>")
    footer = t("Just Communities Dashboard. Data built {built}. Definitions, formulas and sources: "
               "the dashboard's Methodology page.", lang, built=built)
    parts.append(f"<footer>{e(footer)}</footer></body></html>")
    return "".join(parts)
