"""The Learn page: its content is generated from the framework, the registry and the standard
(nothing is missing), its worked examples are the database's own numbers, and the page renders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indicators.certification.standard import default_version, load_standards
from indicators.metrics import registry
from indicators.metrics.framework import COMMITMENTS, PILLARS
from indicators.present import learn, queries, reading
from indicators.present.change import change_sentence
from indicators.present.formatting import format_moe, format_value, ordinal
from indicators.store.database import connect_readonly
from tests.test_pages import app_env as app_env  # noqa: F401, PLC0414 (the fixture)
from tests.test_pages import assert_clean, open_page, text_of


@pytest.fixture(scope="module")
def content(sample_db: Path) -> learn.Content:
    with connect_readonly(sample_db) as con:
        return queries.learn_content(con)


def _text(content: learn.Content) -> str:
    parts = [content.intro]
    for part in content.parts:
        parts += [part.heading, part.intro, *(f"{s.heading}\n{s.body}" for s in part.sections)]
    for title, stages in content.other_standards:
        parts += [title, *(f"{s.heading}\n{s.body}" for s in stages)]
    return "\n".join(parts)


def _part(content: learn.Content, heading: str) -> dict[str, str]:
    part = next(p for p in content.parts if p.heading == heading)
    return {s.heading: s.body for s in part.sections}


def test_every_pillar_commitment_and_indicator_appears(content: learn.Content):
    assert list(_part(content, "The two Pillars")) == list(PILLARS)
    commitments = _part(content, "The five Commitments")
    assert list(commitments) == [c.name for c in COMMITMENTS]
    for commitment in COMMITMENTS:
        assert commitment.summary in commitments[commitment.name]
        for indicator in registry.by_commitment()[commitment.name]:
            assert f"**{indicator.label}**" in commitments[commitment.name], indicator.id
            assert indicator.question in commitments[commitment.name], indicator.id


def test_each_indicator_shows_the_regions_figure(content: learn.Content, sample_db: Path):
    with connect_readonly(sample_db) as con:
        rows = learn.by_indicator(queries.values(con, "region"))
    commitments = _part(content, "The five Commitments")
    for indicator in registry.INDICATORS:
        figure = learn.figure_text(indicator, rows.get(indicator.id))
        assert f"**Sample City:** {figure}" in commitments[indicator.commitment], indicator.id
    rent = rows["rent_burden"]
    assert learn.figure_text(registry.get("rent_burden"), rent) == (
        f"{format_value(registry.get('rent_burden'), rent['value'])} "
        f"{format_moe(registry.get('rent_burden'), rent['moe'])} (reliable)")


def test_every_stage_of_every_standard_appears_with_its_due_rule(content: learn.Content):
    text = _text(content)
    standards = load_standards()
    stages_part = next(p for p in content.parts if p.heading == "The certification stages")
    assert standards[default_version()].title in stages_part.intro
    assert [t for t, _ in content.other_standards] == [
        s.title for v, s in standards.items() if v != default_version()]
    for standard in standards.values():
        assert standard.title in text
        for stage in standard.stages:
            assert stage.title in text and stage.description in text
            assert learn.due_text(stage, standard) in text, (standard.version, stage.id)
            for requirement in stage.requirements:
                assert requirement.title in text and requirement.description in text
    assert "Due 12 months (a year) after Registration is reached." in text
    assert "Due every 12 months (a year) after Certified is reached" in text


def test_the_worked_examples_are_the_databases_numbers(content: learn.Content, sample_db: Path):
    with connect_readonly(sample_db) as con:
        region = queries.values(con, "region")
        districts = queries.values(con, "district")
        changes = queries.changes(con, "region")
        names = queries.district_names(con)
    lessons = _part(content, "How to read a number")
    assert list(lessons) == ["Estimate", "Margin of error", "Reliability", "Percentile",
                             "Change and significance"]
    indicator = reading.example_indicator(region)
    row = region.set_index("indicator_id").loc[indicator.id]
    assert f"**{format_value(indicator, row['value'])}**" in lessons["Estimate"]
    assert format_moe(indicator, row["moe"]) in lessons["Margin of error"]
    assert format_value(indicator, row["value"] - row["moe"]) in lessons["Margin of error"]
    assert f"a CV of {row['cv']:.1%}" in lessons["Reliability"]
    mine = districts[districts["indicator_id"] == indicator.id]
    top = mine.sort_values(["percentile", "geo_id"], ascending=[False, True]).iloc[0]
    assert names[top["geo_id"]] in lessons["Percentile"]
    assert f"{ordinal(round(top['percentile'] * 100))} percentile" in lessons["Percentile"]
    weak = districts[districts["reliability"].isin(["medium", "low"])].sort_values("cv").iloc[-1]
    assert f"{names[weak['geo_id']]} is" in lessons["Reliability"]
    real = changes[changes["significant"].fillna(False).astype(bool)]
    first = real.set_index("indicator_id").reindex([i.id for i in registry.INDICATORS]).dropna(
        subset=["change"]).iloc[0]
    first = first.copy()
    first["indicator_id"] = first.name
    sentence = change_sentence(registry.get(first.name), first, first["period_from"])
    assert sentence in lessons["Change and significance"]
    assert "significant: yes" in lessons["Change and significance"]
    assert "significant: no" in lessons["Change and significance"]


def test_one_period_says_there_is_no_change_yet():
    lesson = reading.change_lesson(pd.DataFrame(), ("2019-2023",))
    assert "holds one period (2019\\-2023), so there is no change to read yet" in lesson.body


def test_region_and_district_names_are_escaped():
    names = {"x": "*Bold* [link](http://e.x)"}
    districts = pd.DataFrame([{"geo_id": "x", "indicator_id": "rent_burden", "value": 0.5,
                               "moe": 0.2, "cv": 0.24, "reliability": "medium", "percentile": 1.0}])
    region = pd.DataFrame([{"indicator_id": "rent_burden", "value": 0.4, "moe": 0.01, "cv": 0.02,
                            "reliability": "high"}])
    text = "\n".join(s.body for s in reading.lessons(region, districts, pd.DataFrame(), names,
                                                       ("",), "<b>Town</b>"))
    assert "*Bold*" not in text and "<b>" not in text
    assert "\\*Bold\\*" in text
    assert "<b>" not in learn.intro("<b>Town</b>", "", False)


def test_the_learn_page_renders_on_the_sample(sample_db: Path, app_env):
    app_env(sample_db)
    at = open_page("learn")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Learn the Framework"]
    assert [h.value for h in at.header] == ["The two Pillars", "The five Commitments",
                                            "The certification stages", "How to read a number"]
    text = text_of(at)
    assert "Sample City's own figure" in text
    assert "Change and significance" in text
    assert len(at.expander) == len(load_standards()) - 1
