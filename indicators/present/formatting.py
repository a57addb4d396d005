"""Numbers as people read them: by unit, with margins of error and reliability in words."""

from __future__ import annotations

import math
import re

from indicators.metrics.registry import Indicator
from indicators.present.language import number_text, t

RELIABILITY_WORDS = {
    "high": "reliable",
    "medium": "use with care",
    "low": "unreliable: a rough guide only",
    "": "margin of error not published",
}
NOT_AVAILABLE = "not available"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(indicator: Indicator, value: float | None, lang: str = "en") -> str:
    r"""The value formatted for its unit in ``lang``: ``41%``, ``$52,300``, ``9.7 µg/m³``,
    ``83rd percentile`` (Spanish: ``41 %``, ``$52.300``, ``9,7 µg/m³``, ``percentil 83``).

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> format_value(get("rent_burden"), 0.4126), format_value(get("median_income"), 52312.0)
    ('41%', '$52,300')
    >>> format_value(get("rent_burden"), 0.4126, "es"), format_value(get("median_income"), 52312.0, "es")
    ('41\xa0%', '$52.300')
    """
    if _missing(value):
        return t(NOT_AVAILABLE, lang)
    v = float(value)  # type: ignore[arg-type]
    fmt = indicator.fmt
    if fmt == "percentile":
        n = round(v * 100)
        return f"percentil {n}" if lang == "es" else ordinal(n) + " percentile"
    if fmt == "points":
        text = t("{points} percentage points", lang, points=f"{v * 100:+.0f}".replace("+", ""))
    elif fmt == "years":
        text = t("{years} years", lang, years=f"{v:.1f}")
    else:
        text = _english_value(fmt, v)
    return number_text(text, lang)


def _english_value(fmt: str, v: float) -> str:
    if fmt == "percent":
        return f"{v * 100:.0f}%" if abs(v) >= 0.01 or v == 0 else f"{v * 100:.1f}%"
    if fmt == "percent_points":
        return f"{v:.1f}%"
    if fmt == "dollars":
        return f"${round(v, -2):,.0f}"
    if fmt == "signed1_c":
        return f"{v:+.1f} °C"
    if fmt.startswith("decimal"):
        digits = int(fmt[7])
        unit = {"_ugm3": " µg/m³", "_ppb": " ppb"}.get(fmt[8:], "")
        return f"{v:,.{digits}f}{unit}"
    return f"{v:,.2f}"


def format_change(indicator: Indicator, change: float, lang: str = "en") -> str:
    """A difference in the value's unit: ``+7 points``, ``-$120``, ``+12 percentiles``.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> format_change(get("rent_burden"), 0.071), format_change(get("median_rent"), -123.0)
    ('+7.1 points', '-$120')
    >>> format_change(get("rent_burden"), 0.071, "es")
    '+7,1 puntos'
    """
    if _missing(change):
        return t(NOT_AVAILABLE, lang)
    c = float(change)
    if indicator.fmt in ("percent", "points", "percentile"):
        unit = "percentiles" if indicator.fmt == "percentile" else "points"
        return number_text(f"{c * 100:+.1f} {t(unit, lang)}", lang)
    if indicator.fmt == "dollars":
        return number_text(f"{'-' if c < 0 else '+'}${math.floor(abs(c) / 10 + 0.5) * 10:,.0f}",
                           lang)  # half up
    text = format_value(indicator, abs(c), lang)
    return ("-" if c < 0 else "+") + text


def format_moe(indicator: Indicator, moe: float | None, lang: str = "en") -> str:
    """A margin of error in the value's unit, as ``± 4 points`` (empty when none).

    >>> from indicators.metrics.registry import get
    >>> format_moe(get("rent_burden"), 0.041), format_moe(get("rent_burden"), 0.041, "es")
    ('± 4.1 points', '± 4,1 puntos')
    """
    if _missing(moe):
        return ""
    m = float(moe)  # type: ignore[arg-type]
    points = t("points", lang)
    if indicator.fmt in ("percent", "points"):
        text = f"± {m * 100:.1f} {points}" if m * 100 < 10 else f"± {m * 100:.0f} {points}"
    elif indicator.fmt == "percent_points":
        text = f"± {m:.1f} {points}"
    elif indicator.fmt == "dollars":  # to $10 under $1,000 (a rent's MOE), else to $100
        text = f"± ${math.floor(m / 10 + 0.5) * 10:,.0f}" if m < 1000 else f"± ${round(m, -2):,.0f}"
    else:
        return "± " + format_value(indicator, m, lang)
    return number_text(text, lang)


def plain_number(value: float) -> str:
    """A number as a person types it: thousands separated, no trailing zeros (a target's
    baseline and goal, in whatever unit the project recorded them).

    Examples
    --------
    >>> plain_number(56441.0), plain_number(18.4), plain_number(1234567.0), plain_number(0.125)
    ('56,441', '18.4', '1,234,567', '0.125')
    """
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def ordinal(n: int) -> str:
    """1 -> '1st', 22 -> '22nd', 83 -> '83rd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def reliability_words(reliability: str | None, lang: str = "en") -> str:
    """Reliability class in plain words for residents, in ``lang``."""
    return t(RELIABILITY_WORDS.get(reliability or "", RELIABILITY_WORDS[""]), lang)


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
