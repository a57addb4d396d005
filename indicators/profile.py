"""A district profile as one self-contained HTML page that prints well (A4 or Letter), plus the
rows behind it. Plain Python: the Neighbourhood page offers it as a download."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from indicators.formatting import format_moe, format_value, reliability_words
from indicators.framework import COMMITMENT_NAMES, commitment
from indicators.registry import BY_ID

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


@dataclass(frozen=True)
class ProfileRow:
    """One indicator in a district's profile."""

    indicator_id: str
    value: float
    moe: float
    reliability: str
    region_value: float
    source: str

    @property
    def sentence(self) -> str:
        """The plain-language statement for the district."""
        indicator = BY_ID[self.indicator_id]
        return indicator.sentence(format_value(indicator, self.value))


def profile_rows(values: pd.DataFrame, region: pd.DataFrame, sources: dict[int, str]) -> list[ProfileRow]:
    """Rows for one district from its ``indicator_values`` and the region's.

    Parameters
    ----------
    values, region : pandas.DataFrame
        ``indicator_values`` rows of the district and of the region.
    sources : dict
        layer_id -> "title (vintage)" for the source line.
    """
    region_by_id = region.set_index("indicator_id")["value"]
    rows = []
    for row in values.itertuples():
        if row.indicator_id not in BY_ID:
            continue
        layer = getattr(row, "layer_id", None)
        source = sources.get(int(layer), "") if pd.notna(layer) else BY_ID[row.indicator_id].source
        rows.append(ProfileRow(row.indicator_id, row.value, row.moe, row.reliability,
                               float(region_by_id.get(row.indicator_id, float("nan"))), source))
    return rows


def profile_csv(district: str, rows: list[ProfileRow]) -> str:
    """The profile's numbers as CSV (one row per indicator, raw values and formatted text)."""
    frame = pd.DataFrame([{
        "district": district, "commitment": BY_ID[r.indicator_id].commitment,
        "indicator_id": r.indicator_id, "indicator": BY_ID[r.indicator_id].label,
        "value": r.value, "moe_90": r.moe, "reliability": r.reliability,
        "region_value": r.region_value, "statement": r.sentence, "source": r.source,
    } for r in rows])
    return frame.to_csv(index=False)


def profile_html(region_name: str, district: str, rows: list[ProfileRow], missing: list[str],
                 built: str, sample: bool) -> str:
    """The printable one-page profile.

    Parameters
    ----------
    region_name, district : str
    rows : list of ProfileRow
    missing : list of str
        Labels of indicators not available for this region.
    built : str
        When the data were built (shown in the footer).
    sample : bool
        Whether the region is the fictional sample (adds a banner).
    """
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(district)} "
             f"profile</title><style>{CSS}</style></head><body>",
             f"<h1>{e(district)}</h1><p class='sub'>Neighbourhood profile, {e(region_name)}. "
             "Figures are estimates; ± shows the 90% margin of error.</p>"]
    if sample:
        parts.append("<p class='banner'>Fictional sample data: these places and people do not "
                     "exist.</p>")
    for name in COMMITMENT_NAMES:
        mine = [r for r in rows if BY_ID[r.indicator_id].commitment == name]
        if not mine:
            continue
        parts.append(f"<h2>{e(commitment(name).resident_heading)} <span class='src'>"
                     f"({e(name)})</span></h2><table>")
        for r in mine:
            indicator = BY_ID[r.indicator_id]
            moe = format_moe(indicator, r.moe)
            parts.append(
                f"<tr><td>{e(r.sentence[0].upper() + r.sentence[1:])}.<br><span class='src'>"
                f"{e(region_name)}: {e(format_value(indicator, r.region_value))}. Source: "
                f"{e(r.source)}</span></td><td class='v'>{e(format_value(indicator, r.value))}"
                f"{('<br>' + e(moe)) if moe else ''}</td><td class='r'>"
                f"{e(reliability_words(r.reliability))}</td></tr>")
        parts.append("</table>")
    if missing:
        parts.append(f"<p class='na'>Not available for this region: {e(', '.join(missing))}.</p>")
    parts.append(f"<footer>Just Communities Dashboard. Data built {e(built)}. Definitions, formulas "
                 "and sources: the dashboard's Methodology page.</footer></body></html>")
    return "".join(parts)
