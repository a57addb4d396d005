"""The certification standards as data: stages, their requirements and their due rules.

The standards live in ``standard.toml`` beside this module (one ``[[standard]]`` per published
version: *Just Communities 1.0* and the legacy *EcoDistricts Protocol v1.3*). This module reads
and checks that file into frozen dataclasses; the rules that use them are in
:mod:`indicators.certification`. A malformed file raises :class:`ValueError` naming the standard,
the stage and the key that is wrong, so an edit that breaks it is caught when it is loaded.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

STANDARD_FILE = Path(__file__).with_name("standard.toml")
SCHEMA_VERSION = 1
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_STANDARD_KEYS = {"version", "title", "publisher", "year", "outcome_areas", "note", "stage"}
_STAGE_KEYS = {"id", "title", "description", "submission", "automatic", "concurrent", "due",
               "requirement"}
_REQUIREMENT_KEYS = {"id", "title", "description", "mandatory"}
_DUE_KEYS = {"after", "months", "repeats"}


@dataclass(frozen=True)
class Requirement:
    """One item of a stage's checklist."""

    id: str
    stage: str
    title: str
    description: str
    mandatory: bool


@dataclass(frozen=True)
class DueRule:
    """When a stage is due: ``months`` calendar months after the stage ``after`` was reached,
    recurring every ``months`` when ``repeats`` (the annual report)."""

    after: str
    months: int
    repeats: bool = False


@dataclass(frozen=True)
class Stage:
    """One stage of the certification pathway, in the order of :attr:`Standard.stages`."""

    id: str
    title: str
    description: str
    submission: str
    requirements: tuple[Requirement, ...]
    due: DueRule | None = None
    automatic: bool = False
    concurrent: bool = False

    @property
    def mandatory(self) -> tuple[Requirement, ...]:
        """The requirements that hold the stage back until met."""
        return tuple(r for r in self.requirements if r.mandatory)


@dataclass(frozen=True)
class Standard:
    """One published version of the standard."""

    version: str
    title: str
    publisher: str
    year: int
    outcome_areas: tuple[str, ...]
    note: str
    stages: tuple[Stage, ...]

    @property
    def stage_ids(self) -> tuple[str, ...]:
        """Stage ids in order."""
        return tuple(s.id for s in self.stages)

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        """Every requirement of every stage, in order."""
        return tuple(r for s in self.stages for r in s.requirements)

    def stage(self, stage_id: str) -> Stage:
        """The stage called ``stage_id``; ValueError naming the known stages otherwise."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise ValueError(f"{self.version} has no stage {stage_id!r}; its stages are "
                         f"{', '.join(self.stage_ids)}")

    def position(self, stage_id: str) -> int:
        """Index of a stage in the pathway (0 for the first)."""
        return self.stage_ids.index(self.stage(stage_id).id)

    def group(self, stage_id: str) -> tuple[str, ...]:
        """The stages worked on together with ``stage_id``: it and its concurrent neighbours
        (Formation and Roadmap); a stage that is not concurrent with another is alone."""
        i = self.position(stage_id)
        start = i
        while start > 0 and self.stages[start].concurrent:
            start -= 1
        end = i + 1
        while end < len(self.stages) and self.stages[end].concurrent:
            end += 1
        return self.stage_ids[start:end]

    def before_group(self, stage_id: str) -> tuple[str, ...]:
        """The stages that must be reached before work on ``stage_id`` counts: every stage
        before its group (a stage cannot be skipped)."""
        first = self.position(self.group(stage_id)[0])
        return self.stage_ids[:first]


def load_standards(path: Path | None = None) -> dict[str, Standard]:
    """Read and check every standard in ``standard.toml`` (or ``path``).

    Parameters
    ----------
    path : Path, optional
        The file to read (default: ``standard.toml`` beside this module).

    Returns
    -------
    dict of str to Standard
        Keyed by version, in file order.

    Raises
    ------
    ValueError
        If the file is not valid TOML or breaks a rule; the message names the problem.
    """
    return dict(_load(Path(path) if path is not None else STANDARD_FILE)[0])


def default_version(path: Path | None = None) -> str:
    """The version new projects are registered under (the file's ``default``)."""
    return _load(Path(path) if path is not None else STANDARD_FILE)[1]


def get_standard(version: str, path: Path | None = None) -> Standard:
    """The standard called ``version``.

    Raises
    ------
    ValueError
        If there is no such version; the message lists the known ones.
    """
    standards = load_standards(path)
    if version not in standards:
        raise ValueError(f"unknown standard version {version!r}; known versions: "
                         f"{', '.join(standards)}")
    return standards[version]


@lru_cache(maxsize=8)
def _load(path: Path) -> tuple[tuple[tuple[str, Standard], ...], str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name}: cannot be read as TOML: {exc}") from exc
    where = path.name
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"{where}: schema_version must be {SCHEMA_VERSION}, "
                         f"found {data.get('schema_version')!r}")
    raw = data.get("standard")
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: no [[standard]] tables")
    standards: dict[str, Standard] = {}
    for i, table in enumerate(raw, start=1):
        standard = _standard(table, f"{where}: standard {i}")
        if standard.version in standards:
            raise ValueError(f"{where}: the version {standard.version!r} appears twice")
        standards[standard.version] = standard
    default = data.get("default")
    if default not in standards:
        raise ValueError(f"{where}: default {default!r} is not one of the versions "
                         f"({', '.join(standards)})")
    return tuple(standards.items()), str(default)


def _standard(table: Any, where: str) -> Standard:
    _table(table, _STANDARD_KEYS, where)
    version = _text(table, "version", where)
    where = f"{where.split(':')[0]}: standard {version!r}"
    year = table.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValueError(f"{where}: year must be a whole number, found {year!r}")
    areas = table.get("outcome_areas", [])
    if not isinstance(areas, list) or not all(isinstance(a, str) and a for a in areas):
        raise ValueError(f"{where}: outcome_areas must be a list of names")
    raw_stages = table.get("stage")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise ValueError(f"{where}: no [[standard.stage]] tables")
    stages: list[Stage] = []
    for raw in raw_stages:
        stages.append(_stage(raw, where, stages))
    ids = [r.id for s in stages for r in s.requirements]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"{where}: requirement ids must be unique; repeated: {', '.join(repeated)}")
    return Standard(version, _text(table, "title", where), str(table.get("publisher", "")), year,
                    tuple(areas), str(table.get("note", "")), tuple(stages))


def _stage(raw: Any, where: str, earlier: list[Stage]) -> Stage:
    _table(raw, _STAGE_KEYS, f"{where}, a stage")
    stage_id = _text(raw, "id", f"{where}, a stage")
    where = f"{where}, stage {stage_id!r}"
    if not _ID.match(stage_id):
        raise ValueError(f"{where}: ids are lower-case letters, digits, '-' or '_'")
    if any(s.id == stage_id for s in earlier):
        raise ValueError(f"{where}: the stage appears twice")
    automatic = _flag(raw, "automatic", where)
    concurrent = _flag(raw, "concurrent", where)
    if concurrent and not earlier:
        raise ValueError(f"{where}: the first stage cannot be concurrent with an earlier one")
    requirements = tuple(_requirement(r, stage_id, where) for r in raw.get("requirement", []))
    if automatic and requirements:
        raise ValueError(f"{where}: an automatic stage has no requirements of its own; remove them "
                         "or set automatic = false")
    if not automatic and not requirements:
        raise ValueError(f"{where}: a stage needs at least one [[standard.stage.requirement]]")
    submission = str(raw.get("submission", ""))
    if not automatic and not submission:
        raise ValueError(f"{where}: name the document submitted at this stage in `submission`")
    due = _due(raw.get("due"), where, earlier)
    return Stage(stage_id, _text(raw, "title", where), _text(raw, "description", where), submission,
                 requirements, due, automatic, concurrent)


def _requirement(raw: Any, stage_id: str, where: str) -> Requirement:
    _table(raw, _REQUIREMENT_KEYS, f"{where}, a requirement")
    req_id = _text(raw, "id", f"{where}, a requirement")
    where = f"{where}, requirement {req_id!r}"
    if not _ID.match(req_id):
        raise ValueError(f"{where}: ids are lower-case letters, digits, '-' or '_'")
    mandatory = raw.get("mandatory")
    if not isinstance(mandatory, bool):
        raise ValueError(f"{where}: mandatory must be true or false, found {mandatory!r}")
    return Requirement(req_id, stage_id, _text(raw, "title", where),
                       _text(raw, "description", where), mandatory)


def _due(raw: Any, where: str, earlier: list[Stage]) -> DueRule | None:
    if raw is None:
        return None
    _table(raw, _DUE_KEYS, f"{where}, due")
    after = raw.get("after")
    if after not in [s.id for s in earlier]:
        raise ValueError(f"{where}: due.after must name an earlier stage "
                         f"({', '.join(s.id for s in earlier) or 'none'}), found {after!r}")
    months = raw.get("months")
    if not isinstance(months, int) or isinstance(months, bool) or months <= 0:
        raise ValueError(f"{where}: due.months must be a positive whole number, found {months!r}")
    return DueRule(after, months, _flag(raw, "repeats", f"{where}, due"))


def _table(raw: Any, keys: set[str], where: str) -> None:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a table, found {type(raw).__name__}")
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: "
                         f"{', '.join(sorted(keys))}")


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: `{key}` must be a non-empty string, found {value!r}")
    return value.strip()


def _flag(raw: dict[str, Any], key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{where}: `{key}` must be true or false, found {value!r}")
    return value
