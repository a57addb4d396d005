"""Spanish: every interface text has its translation, the language follows the URL and the
session, numbers and dates are written the Spanish way, and the resident pages read in Spanish.

The catalogue is checked from the code itself: every ``t("...")`` and ``tr("...")`` whose text is
written in place, and the texts kept in module-level tables that are translated at use.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from indicators.present import formatting, language, profile
from indicators.present.spanish import SPANISH
from tests.test_pages import app_env as app_env  # noqa: F401, PLC0414 (the fixture)
from tests.test_pages import assert_clean, open_page, text_of

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "indicators").rglob("*.py")),
           *sorted((ROOT / "ui").rglob("*.py")), *sorted((ROOT / "pages").rglob("*.py"))]


def _literals(node: ast.expr) -> list[str]:
    """The texts an argument can be: a literal, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def translated_literals() -> dict[str, str]:
    """Text -> where, for every t("...")/tr("...") call with a literal text in the code."""
    found: dict[str, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("t", "tr") and node.args):
                for text in _literals(node.args[0]):
                    found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_translated_text_in_the_code_has_its_spanish() -> None:
    found = translated_literals()
    assert len(found) > 50, "the scan found too few texts: is it reading the code?"
    missing = {text: where for text, where in found.items() if text not in SPANISH}
    assert not missing, "texts without Spanish:\n" + "\n".join(f"{w}: {t!r}" for t, w in missing.items())


def test_texts_kept_in_tables_have_their_spanish() -> None:
    from indicators.present.profile import AGAINST_REGION
    from ui.own_area import HOW

    texts = [*formatting.RELIABILITY_WORDS.values(), *AGAINST_REGION.values(), *HOW.values()]
    missing = [text for text in texts if text not in SPANISH]
    assert not missing, f"texts without Spanish: {missing}"


def test_spanish_keeps_every_placeholder() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    wrong = {en: es for en, es in SPANISH.items() if fields(en) != fields(es) and fields(es) - fields(en)}
    assert not wrong, f"Spanish texts with placeholders the English does not fill: {wrong}"


def test_numbers_and_dates_are_written_the_spanish_way() -> None:
    from indicators.metrics.registry import get

    assert formatting.format_value(get("rent_burden"), 0.51, "es") == "51\u00a0%"
    assert formatting.format_value(get("median_income"), 1234567.0, "es") == "$1.234.600"
    assert language.number_text("1,234.5", "es") == "1.234,5"
    assert language.number_text("ACS 2014-2018", "es") == "ACS 2014-2018"
    assert formatting.format_value(get("rent_burden"), 0.51) == "51%"
    assert language.long_date(date(2026, 11, 1), "es") == "1 de noviembre de 2026"
    assert language.long_date(date(2026, 11, 1), "en") == "1 November 2026"


def test_a_card_reads_in_spanish() -> None:
    row = profile.ProfileRow("rent_burden", 0.47, 0.041, "medium", 0.41, "Sample source",
                             0.01, lang="es")
    assert row.headline("Westside").startswith("En Westside, ")
    assert "47\u00a0%" in row.headline("Westside")
    assert row.against_region("Westside", "Sample City") == (
        "En el conjunto de Sample City es 41\u00a0%: Westside está **por encima de** Sample City.")
    assert row.caption == "± 4,1 puntos · úsalo con cuidado · Fuente: Sample source"


def test_the_printable_profile_says_its_language() -> None:
    row = profile.ProfileRow("rent_burden", 0.47, 0.041, "medium", 0.41, "Sample source", 0.01,
                             lang="es")
    page = profile.profile_html("Sample City", "Westside", [row], [], "2026-11-01", True, "es")
    assert page.startswith("<!doctype html><html lang='es'>")
    assert "Perfil de Westside" in page and "Datos de ejemplo ficticios" in page
    assert page.count("Fuente: Sample source") == 1 and "Fuente: Fuente" not in page
    english = profile.profile_html("Sample City", "Westside", [row], [], "2026-11-01", True)
    assert "<html lang='en'>" in english


def test_the_neighbourhood_page_in_spanish(sample_db: Path, app_env) -> None:
    app_env(sample_db)
    at = open_page("neighbourhood", {"lang": "es"})
    assert_clean(at)
    text = text_of(at)
    assert at.title[0].value == "Mi vecindario"
    assert "Tu distrito" in [s.label for s in at.selectbox]
    assert any(m.value.startswith("**En ") for m in at.markdown), "a card's Spanish headline"
    assert "por encima de" in text or "por debajo de" in text or "más o menos igual" in text
    assert "Datos de ejemplo ficticios" in "\n".join(w.value for w in at.sidebar.warning)
    assert [tab.label for tab in at.tabs][0] == "Hogar y pertenencia"


def test_the_language_stays_for_the_session(sample_db: Path, app_env) -> None:
    app_env(sample_db)
    at = open_page("neighbourhood", {"lang": "es"})
    at.query_params.pop("lang", None)
    at.run()
    assert at.title[0].value == "Mi vecindario"
    assert at.query_params.get("lang") in ("es", ["es"])


@pytest.mark.parametrize("query", [{}, {"lang": "en"}, {"lang": "fr"}])
def test_english_is_the_default(query: dict[str, str], sample_db: Path, app_env) -> None:
    app_env(sample_db)
    at = open_page("neighbourhood", query)
    assert at.title[0].value == "My neighbourhood"
