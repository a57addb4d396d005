"""The Learn page's content: the Framework as teaching material (no Streamlit here).

Everything is generated, never typed a second time: the Pillars and Commitments from
:mod:`indicators.metrics.framework`, the indicators from the registry, the certification stages,
their requirements and due rules from ``standard.toml`` (:mod:`indicators.certification.standard`),
and the worked examples from the loaded region's own figures (the region-level
``indicator_values`` of the latest period), so the study guide cannot drift from what the
dashboard computes or the rules apply. "How to read a number" is in :mod:`indicators.present.reading`.

The functions take the frames :mod:`indicators.present.queries` reads (``queries.learn_content``
gathers them), so they are pure and testable without a server. Names from the region's manifest
(the region's, the districts') are escaped for Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.certification.standard import DueRule, Stage, Standard
from indicators.metrics import registry
from indicators.metrics.framework import COMMITMENTS, PILLARS, legacy_priorities, pillar_text
from indicators.metrics.registry import Indicator
from indicators.present.formatting import escape_markdown, format_moe, format_value, reliability_words


@dataclass(frozen=True)
class Section:
    """One heading of the page and the Markdown under it."""

    heading: str
    body: str


@dataclass(frozen=True)
class Part:
    """One part of the page (an h2): its heading, a paragraph under it, and its sections (h3)."""

    heading: str
    intro: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Content:
    """Everything the Learn page shows, in its order: an introduction; the parts (the Pillars,
    the Commitments with their indicators and the region's figures, the default standard's
    certification stages, how to read a number); the other standards' stages, (title, stages)."""

    intro: str
    parts: tuple[Part, ...]
    other_standards: tuple[tuple[str, tuple[Section, ...]], ...]


def figure_text(indicator: Indicator, row: pd.Series | None) -> str:
    """An indicator's figure as the page prints it: the value in its unit, then its margin of
    error and reliability where a margin is published.

    Examples
    --------
    >>> from indicators.metrics.registry import get
    >>> row = pd.Series({"value": 0.4678, "moe": 0.0049, "reliability": "high"})
    >>> figure_text(get("rent_burden"), row)
    '47% ± 0.5 points (reliable)'
    >>> figure_text(get("tree_canopy"), pd.Series({"value": 25.3, "moe": None, "reliability": ""}))
    '25.3% (no margin of error is published)'
    >>> figure_text(get("tree_canopy"), None)
    'not available'
    """
    if row is None or pd.isna(row.get("value")):
        return format_value(indicator, None)
    value = format_value(indicator, row["value"])
    moe = format_moe(indicator, row.get("moe"))
    if not moe:
        return f"{value} (no margin of error is published)"
    return f"{value} {moe} ({reliability_words(row.get('reliability'))})"


def by_indicator(values: pd.DataFrame) -> dict[str, pd.Series]:
    """Rows of ``indicator_values`` (one geography) keyed by indicator id."""
    return {str(r["indicator_id"]): r for _, r in values.iterrows()}


def indicator_item(indicator: Indicator, figure: str, region: str) -> str:
    """One indicator as a list item: its label and Pillar, the question it answers, how it is
    measured and where from, and the region's figure beside it (Markdown)."""
    return (f"- **{indicator.label}** ({indicator.pillar}). *{indicator.question}*  \n"
            f"  Measured as {escape_markdown(indicator.formula.rstrip('.'))}; source: "
            f"{escape_markdown(indicator.source)}.  \n"
            f"  **{region}:** {figure}")


def pillar_sections() -> tuple[Section, ...]:
    """Each Pillar: what it stands for and the indicators that measure it, by Commitment."""
    sections = []
    for pillar in PILLARS:
        lines = [pillar_text(pillar), ""]
        for name, indicators in registry.by_commitment().items():
            mine = [i.label for i in indicators if i.pillar == pillar]
            if mine:
                lines.append(f"- **{name}:** {', '.join(mine)}")
        sections.append(Section(pillar, "\n".join(lines)))
    return tuple(sections)


def commitment_sections(region_values: pd.DataFrame, region: str) -> tuple[Section, ...]:
    """Each Commitment: what it is about, the legacy Priorities it took over, and every
    indicator measuring it with the region's region-level figure as a worked example."""
    rows = by_indicator(region_values)
    region = escape_markdown(region)
    groups = registry.by_commitment()
    sections = []
    for commitment in COMMITMENTS:
        lines = [commitment.summary]
        if legacy := legacy_priorities(commitment.name):
            lines.append(f"*Under the EcoDistricts Protocol v1.3: {', '.join(legacy)}.*")
        lines.append("")
        lines += [indicator_item(i, figure_text(i, rows.get(i.id)), region)
                  for i in groups[commitment.name]]
        sections.append(Section(commitment.name, "\n".join(lines)))
    return tuple(sections)


def months_text(months: int) -> str:
    """A number of months in words a reader counts in.

    Examples
    --------
    >>> months_text(12), months_text(24), months_text(18), months_text(1)
    ('12 months (a year)', '24 months (2 years)', '18 months', '1 month')
    """
    unit = "month" if months == 1 else "months"
    if months % 12:
        return f"{months} {unit}"
    years = months // 12
    return f"{months} {unit} ({'a year' if years == 1 else f'{years} years'})"


def due_text(stage: Stage, standard: Standard) -> str:
    """When a stage is due, from its due rule in the standard (one sentence).

    Examples
    --------
    >>> from indicators.certification.standard import get_standard
    >>> jc = get_standard("Just Communities 1.0")
    >>> due_text(jc.stage("commitment"), jc)
    'Due 12 months (a year) after Registration is reached.'
    >>> due_text(jc.stage("performance"), jc)
    'Due every 12 months (a year) after Certified is reached, again and again.'
    >>> due_text(jc.stage("registration"), jc)
    'No deadline: it is where a project starts.'
    """
    due: DueRule | None = stage.due
    if due is None:
        if stage.automatic:
            return "No deadline of its own: it is awarded as soon as the stages before it are endorsed."
        return "No deadline: it is where a project starts."
    after = standard.stage(due.after).title
    if due.repeats:
        return f"Due every {months_text(due.months)} after {after} is reached, again and again."
    return f"Due {months_text(due.months)} after {after} is reached."


def stage_body(stage: Stage, standard: Standard) -> str:
    """A stage as the page teaches it: what it is for, what is submitted, what it requires
    (mandatory items and recommended ones) and its due rule (Markdown)."""
    lines = [stage.description, ""]
    if stage.concurrent:
        before = standard.stages[standard.position(stage.id) - 1].title
        lines += [f"Worked on at the same time as {before}.", ""]
    if stage.automatic:
        lines.append("**Submitted:** nothing: the rules award it.")
    else:
        lines.append(f"**Submitted:** {stage.submission}.")
    lines += ["", due_text(stage, standard), ""]
    if stage.requirements:
        lines.append("**Requires:**")
        lines += [f"- {r.title}{'' if r.mandatory else ' (recommended)'}: {r.description}"
                  for r in stage.requirements]
    return "\n".join(lines)


STAGES_INTRO = (
    "A project moves through the stages one at a time and cannot skip one. Each stage has a "
    "checklist: the mandatory items hold the stage back until they are met; the recommended "
    "ones do not. A deadline counts calendar months from the date the stage it follows was "
    "reached: for Registration, the project's registration date; for a stage with a submission, "
    "the date that submission was endorsed; for Certified, the date it was awarded."
)


def standard_sections(standards: dict[str, Standard],
                      default: str) -> tuple[tuple[str, tuple[Section, ...]], ...]:
    """(title, stages) of every standard, the default version first."""
    order = [default, *[v for v in standards if v != default]]
    return tuple((standards[v].title, tuple(Section(s.title, stage_body(s, standards[v]))
                                            for s in standards[v].stages)) for v in order)


def intro(region: str, period: str, sample: bool) -> str:
    """What the page is for, and whose figures it uses as examples (Markdown)."""
    region = escape_markdown(region)
    when = f" ({escape_markdown(period)})" if period else ""
    made_up = " Its people and places are fictional: the numbers are for practice." if sample else ""
    return ("The Just Communities Framework as a study guide: the two Pillars and five Commitments, "
            "the indicators that measure each, the certification stages, and how to read a number. "
            f"Each indicator shows {region}'s own figure{when} beside it as a worked example.{made_up} "
            "It is generated from the same registry and standard the dashboard uses.")
