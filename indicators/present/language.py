r"""The dashboard's two languages, English and Spanish: translated texts, and numbers and dates
written as each language writes them.

Texts are written in English where they are used, as gettext does, and looked up in the Spanish
catalogue (:mod:`indicators.present.spanish`) when the reader chose Spanish; a text with
``{placeholders}`` is translated whole, so a translation can put the values where Spanish wants
them. A test reads every ``t("...")`` in the code and fails on any text the catalogue lacks.
Indicators carry their own Spanish texts in the registry (:class:`~indicators.metrics.registry.Texts`).

Numbers are formatted by Python in English and then written the Spanish way (``1,234.5`` ->
``1.234,5``, ``51%`` -> ``51 %``), so both languages show the same rounding.

Examples
--------
>>> t("Your district", "es"), t("How {place} is doing", "es", place="Westside")
('Tu distrito', 'Cómo está Westside')
>>> number_text("$52,300 and 41% and 9.7", "es")
'$52.300 and 41\xa0% and 9,7'
>>> from datetime import date
>>> long_date(date(2026, 11, 1), "en"), long_date(date(2026, 11, 1), "es")
('1 November 2026', '1 de noviembre de 2026')
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from indicators.metrics.registry import INDICATORS
from indicators.present.spanish import SPANISH

#: The languages a reader can choose: code -> its own name.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
DEFAULT = "en"

SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "octubre", "noviembre", "diciembre")

_SEPARATORS = str.maketrans({",": ".", ".": ","})
#: A number as Python writes it (digits, thousands commas, one decimal point), not a period label
#: such as 2014-2018 (whose digits have no separator to swap).
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")


def language(code: str | None) -> str:
    """A language code as the dashboard knows it: "es" for any Spanish tag (``es``, ``es-MX``),
    else "en".

    >>> language("es-MX"), language("fr"), language(None)
    ('es', 'en', 'en')
    """
    return "es" if (code or "").lower().split("-")[0] == "es" else DEFAULT


def t(text: str, lang: str, /, **values: object) -> str:
    """``text`` in ``lang`` with its ``{placeholders}`` filled from ``values`` (English where the
    catalogue has no translation)."""
    template = SPANISH.get(text, text) if lang == "es" else text
    return template.format(**values) if values else template


def number_text(text: str, lang: str) -> str:
    """Numbers in ``text`` (as Python formats them) written the way ``lang`` writes them: in
    Spanish a decimal comma, a point between thousands, a (non-breaking) space before ``%``."""
    if lang != "es":
        return text
    swapped = _NUMBER.sub(lambda m: m.group(0).translate(_SEPARATORS), text)
    return re.sub(r"(\d)%", "\\1\u00a0%", swapped)


def long_date(day: date, lang: str) -> str:
    """A date in words: ``1 November 2026`` or ``1 de noviembre de 2026``."""
    if lang == "es":
        return f"{day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}"
    return f"{day.day} {day:%B %Y}"


@cache
def _option_labels(lang: str) -> dict[str, str]:
    """Label in the other language -> the same label in ``lang``: indicators' labels and the
    interface's short texts (the choices a link can hold)."""
    pairs = [(i.label, i.label_in("es")) for i in INDICATORS]
    pairs += [(en, es) for en, es in SPANISH.items() if "{" not in en and len(en) <= 60]
    return {es: en for en, es in pairs} if lang == "en" else dict(pairs)


def relabel(value: str, lang: str) -> str:
    """A choice a link holds (Streamlit writes a chooser's label into the URL) in ``lang``: a
    link made in one language opens in the other with the same choices.

    >>> relabel("Rent burden", "es"), relabel("Carga del alquiler", "en"), relabel("Westside", "es")
    ('Carga del alquiler', 'Rent burden', 'Westside')
    """
    return _option_labels(lang).get(value, value)
