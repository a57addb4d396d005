"""Spanish of the registry, the framework and the Methodology page: every indicator, Commitment
and Pillar has its Spanish; statements read after "En <lugar>, "; the Methodology page opens in
Spanish (``?lang=es``) and stays as it was in English."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pandas as pd
import pytest

from indicators.metrics import framework, registry
from indicators.metrics.registry import INDICATORS, get
from indicators.present import methodology
from indicators.present.formatting import format_value
from indicators.present.spanish import SPANISH
from tests.test_pages import app_env as app_env  # noqa: F401 (the fixture)
from tests.test_pages import assert_clean, open_page, text_of

ROOT = Path(__file__).resolve().parents[1]

#: Indicators whose Spanish label is the English one, and why.
SAME_LABEL = {"diabetes": "the same word in both languages"}


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.id)
def test_every_indicator_has_its_spanish(indicator) -> None:
    es = indicator.es
    assert es is not None, f"{indicator.id} has no Spanish texts"
    assert es.label.strip() and es.question.strip() and es.statement.strip()
    assert _fields(es.statement) == ["value"], es.statement  # {value} once, nothing else
    assert es.statement.count("{value}") == 1
    assert es.statement[0].islower(), "the statement follows 'En <lugar>, '"
    assert not es.statement.endswith("."), "the card adds the full stop"
    assert es.question.startswith("¿") and es.question.endswith("?"), es.question
    if indicator.id in SAME_LABEL:
        assert es.label == indicator.label
    else:
        assert es.label != indicator.label, f"{indicator.id}: the Spanish label is the English one"
    assert es.question != indicator.question and es.statement != indicator.statement
    # The texts the dashboard reads, in each language.
    assert indicator.label_in("es") == es.label and indicator.label_in() == indicator.label
    assert indicator.question_in("es") == es.question
    assert indicator.sentence("X", "en") == indicator.statement.format(value="X")


def test_the_same_label_list_names_only_indicators_that_need_it() -> None:
    for indicator_id in SAME_LABEL:
        assert get(indicator_id).label_in("es") == get(indicator_id).label


def test_spanish_labels_tell_indicators_apart() -> None:
    """Two indicators may share a question (Black residents, by two sources) but not a label."""
    labels = [i.label_in("es") for i in INDICATORS]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(("indicator_id", "value", "expected"), [
    ("rent_burden", 0.512,
     "En Westside, el 51\u00a0% de los inquilinos gastan el 30\u00a0% o más de sus ingresos en el alquiler."),
    ("median_income", 52312.0, "En Westside, el hogar típico (la mediana) gana $52.300 al año."),
    ("pm25", 9.73, "En Westside, el aire tiene en promedio 9,7 µg/m³ de partículas finas (PM2.5)."),
    ("social_vulnerability", 0.83, "En Westside, el residente promedio vive en un sector censal en el "
                                   "percentil 83 de vulnerabilidad social."),
])
def test_spanish_sentences_read_as_written(indicator_id: str, value: float, expected: str) -> None:
    indicator = get(indicator_id)
    text = format_value(indicator, value, "es")
    assert f"En Westside, {indicator.sentence(text, 'es')}." == expected


def test_every_commitment_and_pillar_has_its_spanish() -> None:
    for c in framework.COMMITMENTS:
        for english, spanish in ((c.name, c.name_es), (c.summary, c.summary_es),
                                 (c.resident_heading, c.resident_heading_es)):
            assert spanish.strip() and spanish != english, (c.name, spanish)
        assert framework.heading(c, "es") == c.resident_heading_es
        assert framework.heading(c) == framework.heading(c, "en") == c.resident_heading
        assert framework.summary(c, "es") == c.summary_es and framework.summary(c) == c.summary
        assert framework.commitment_name(c.name, "es") == c.name_es
    assert set(framework.PILLARS_ES) == set(framework.PILLARS)
    for pillar, text in framework.PILLARS.items():
        assert framework.pillar_name(pillar) == pillar and framework.pillar_text(pillar) == text
        name_es, text_es = framework.PILLARS_ES[pillar]
        assert framework.pillar_name(pillar, "es") == name_es != pillar
        assert framework.pillar_text(pillar, "es") == text_es != text


def test_the_methodology_texts_have_their_spanish() -> None:
    """Every t()/tr() text of the Methodology page and its module is in the catalogue, with the
    same placeholders."""
    found = []
    for path in (ROOT / "pages" / "methodology.py", ROOT / "indicators" / "present" / "methodology.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("t", "tr") and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.append(node.args[0].value)
    assert len(found) >= 10
    for text in found:
        assert text in SPANISH, text
        assert sorted(_fields(SPANISH[text])) == sorted(_fields(text)), text


def test_indicator_text_in_spanish_keeps_the_technical_parts() -> None:
    availability = pd.DataFrame({"available": [True, False], "layer_id": [1, None],
                                 "method": ["tract sums", ""], "detail": ["", ""]},
                                index=["rent_burden", "ozone"])
    layers = pd.DataFrame({"layer_id": [1], "title": ["ACS"], "vintage": ["2022"],
                           "publisher": ["Census"], "licence": ["public domain"]})
    rent = get("rent_burden")
    english = methodology.indicator_text(rent, "Westside", availability, layers)
    assert english.startswith(f"*{rent.question}*  \n**Formula:** {rent.formula}.  \n")
    assert "higher is worse" in english and "**In Westside:** from *ACS*, 2022" in english
    spanish = methodology.indicator_text(rent, "Westside", availability, layers, "es")
    assert spanish.startswith(f"*{rent.question_in('es')}*  \n**Fórmula:** {rent.formula}.  \n")
    assert "un valor más alto es peor" in spanish and "**Fuente:** " + rent.source in spanish
    assert "**En Westside:** de *ACS*, 2022 (Census, public domain); método: tract sums." in spanish
    missing = methodology.indicator_text(get("ozone"), "Westside", availability, layers, "es")
    assert "**En Westside:** no disponible" in missing and "EPA EJScreen (OZONE)" in missing
    assert methodology.language_note() == ""


def test_methodology_page_in_spanish(sample_db: Path, app_env) -> None:
    app_env(sample_db)
    at = open_page("methodology", {"lang": "es"})
    assert_clean(at)
    assert [t.value for t in at.title] == ["Metodología"]
    text = text_of(at)
    for heading in ("El marco de Just Communities", "Cómo se calculan los números",
                    "Todos los indicadores", "**Equidad racial.**", "**Resiliencia climática.**"):
        assert heading in text, heading
    assert "Las fórmulas y notas técnicas están en inglés." in [i.value for i in at.info]
    labels = [e.label for e in at.expander]
    belonging = len(registry.by_commitment()["Belonging"])
    assert f"Pertenencia: {belonging} indicadores" in labels
    for indicator in INDICATORS:
        commitment = framework.commitment_name(indicator.commitment, "es")
        assert f"{indicator.label_in('es')} · {commitment}" in labels, indicator.id
    assert "- Carga del alquiler (Equidad racial)" in text
    assert "*¿Cuántos inquilinos gastan el 30\u00a0% o más de sus ingresos en el alquiler?*" in text
    assert at.get("download_button")[0].proto.label.startswith("Descargar")


def test_methodology_page_in_english_is_unchanged(sample_db: Path, app_env) -> None:
    app_env(sample_db)
    at = open_page("methodology")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Methodology"]
    text = text_of(at)
    assert "How every number on this dashboard is defined and computed." in text
    for heading in ("The Just Communities framework", "How the numbers are computed",
                    "Every indicator", "**Racial Equity.**", "- Rent burden (Racial Equity)"):
        assert heading in text, heading
    assert "Las fórmulas" not in text
    labels = [e.label for e in at.expander]
    assert f"Belonging: {len(registry.by_commitment()['Belonging'])} indicators" in labels
    assert all(f"{i.label} · {i.commitment}" in labels for i in INDICATORS)
    assert "EcoDistricts Protocol v1.3 priorities: Place" in text
    assert at.get("download_button")[0].proto.label == "Download the indicator definitions (CSV)"
