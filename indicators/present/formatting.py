"""Numbers as people read them: by unit, with margins of error and reliability in words."""

from __future__ import annotations

import math
import re

from indicators.metrics.registry import Indicator

RELIABILITY_WORDS = {
    "high": "reliable",
    "medium": "use with care",
    "low": "unreliable: a rough guide only",
    "": "margin of error not published",
}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(indicator: Indicator, value: float | None) -> str:
    """The value formatted for its unit: ``41%``, ``$52,300``, ``9.7 µg/m³``, ``83rd percentile``.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> format_value(get("rent_burden"), 0.4126), format_value(get("median_income"), 52312.0)
    ('41%', '$52,300')
    """
    if _missing(value):
        return "not available"
    v = float(value)  # type: ignore[arg-type]
    fmt = indicator.fmt
    if fmt == "percent":
        return f"{v * 100:.0f}%" if abs(v) >= 0.01 or v == 0 else f"{v * 100:.1f}%"
    if fmt == "percent_points":
        return f"{v:.1f}%"
    if fmt == "points":
        return f"{v * 100:+.0f} percentage points".replace("+", "")
    if fmt == "dollars":
        return f"${round(v, -2):,.0f}"
    if fmt == "percentile":
        return ordinal(round(v * 100)) + " percentile"
    if fmt == "years":
        return f"{v:.1f} years"
    if fmt == "signed1_c":
        return f"{v:+.1f} °C"
    if fmt.startswith("decimal"):
        digits = int(fmt[7])
        unit = {"_ugm3": " µg/m³", "_ppb": " ppb"}.get(fmt[8:], "")
        return f"{v:,.{digits}f}{unit}"
    return f"{v:,.2f}"


def format_change(indicator: Indicator, change: float) -> str:
    """A difference in the value's unit: ``+7 points``, ``-$120``, ``+12 percentiles``.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> format_change(get("rent_burden"), 0.071), format_change(get("median_rent"), -123.0)
    ('+7.1 points', '-$120')
    """
    if _missing(change):
        return "not available"
    c = float(change)
    if indicator.fmt in ("percent", "points", "percentile"):
        unit = "percentiles" if indicator.fmt == "percentile" else "points"
        return f"{c * 100:+.1f} {unit}"
    if indicator.fmt == "dollars":
        return f"{'-' if c < 0 else '+'}${math.floor(abs(c) / 10 + 0.5) * 10:,.0f}"  # half up
    text = format_value(indicator, abs(c))
    return ("-" if c < 0 else "+") + text


def format_moe(indicator: Indicator, moe: float | None) -> str:
    """A margin of error in the value's unit, as ``± 4 points`` (empty when none)."""
    if _missing(moe):
        return ""
    m = float(moe)  # type: ignore[arg-type]
    if indicator.fmt in ("percent", "points"):
        return f"± {m * 100:.1f} points" if m * 100 < 10 else f"± {m * 100:.0f} points"
    if indicator.fmt == "percent_points":
        return f"± {m:.1f} points"
    if indicator.fmt == "dollars":  # to $10 under $1,000 (a rent's MOE), else to $100
        return f"± ${math.floor(m / 10 + 0.5) * 10:,.0f}" if m < 1000 else f"± ${round(m, -2):,.0f}"
    return "± " + format_value(indicator, m)


def ordinal(n: int) -> str:
    """1 -> '1st', 22 -> '22nd', 83 -> '83rd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def reliability_words(reliability: str | None) -> str:
    """Reliability class in plain words for residents."""
    return RELIABILITY_WORDS.get(reliability or "", RELIABILITY_WORDS[""])


#: Without margins of error, two values within this share of each other are "about the same".
SAME_WITHIN = 0.05


def comparison(value: float, moe: float, other: float, other_moe: float) -> str:
    """'higher than', 'lower than' or 'about the same as', judged at the 90 % level where MOEs
    exist (the difference exceeds sqrt(MOE_a^2 + MOE_b^2)), else by a relative difference of
    :data:`SAME_WITHIN`.

    Examples
    --------
    >>> comparison(0.41, 0.03, 0.33, 0.01), comparison(0.34, 0.03, 0.33, 0.01)
    ('higher than', 'about the same as')
    """
    if _missing(value) or _missing(other):
        return ""
    diff = float(value) - float(other)
    if not _missing(moe) and not _missing(other_moe):
        threshold = math.sqrt(float(moe) ** 2 + float(other_moe) ** 2)
    else:
        threshold = SAME_WITHIN * abs(float(other))
    if abs(diff) <= threshold:
        return "about the same as"
    return "higher than" if diff > 0 else "lower than"


#: What Markdown, its HTML and maths, GitHub's autolinks (``https://``, ``www.``, ``a@b.c``) and
#: Streamlit's directives (``:red[...]``, ``:material/...:``) act on.
_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$=:@"
#: An ``&`` that starts a named entity (``&amp;``; a numeric one has its ``#`` escaped already).
_ENTITY_START = re.compile(r"&(?=[0-9A-Za-z]+;)")


def escape_markdown(text: str) -> str:
    r"""Text as Streamlit's Markdown shows it literally: every character Markdown (or its
    embedded HTML and maths) would act on is escaped, so a name from a file or a link can never
    become a link, a heading, a colour, an emoji or markup, and an entity such as ``&lt;`` in it
    is shown as written, not decoded.

    Examples
    --------
    >>> escape_markdown("[click](javascript:alert(1)) <b>*Oak*</b> $5")
    '\\[click\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>\\*Oak\\*\\</b\\> \\$5'
    >>> escape_markdown("AT&amp;T & Co &#60;")
    'AT\\&amp;T & Co &\\#60;'
    """
    escaped = "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in str(text))
    return _ENTITY_START.sub(r"\\&", escaped)
