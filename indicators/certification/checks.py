"""Checks of values an editor enters, before anything is written to the records database.

Each check returns the value in its stored type or raises :class:`RecordError` with one plain
sentence saying what is wrong and how to fix it (the sentence is shown to the editor as is).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from indicators.certification.tracker import DIRECTIONS
from indicators.metrics.framework import COMMITMENT_NAMES
from indicators.metrics.registry import INDICATORS

MAX_TEXT = 20_000
FIRST_YEAR, LAST_YEAR = 1900, 2100
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class RecordError(ValueError):
    """A write was refused because of its input; nothing was written.

    The message is one sentence for the editor: what is wrong and how to fix it.
    """


class ConflictError(RuntimeError):
    """A write was refused because someone else changed the project meanwhile; nothing was
    written."""

    def __init__(self, message: str = "Someone else changed this project since you opened it; "
                                      "reload and try again."):
        super().__init__(message)


def text(value: object, label: str, required: bool = False) -> str | None:
    """Free text, stored verbatim (never interpreted: it goes into SQL as a parameter)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError(f"The {label} is empty; fill it in.")
        return None if value is None else value
    if not isinstance(value, str):
        raise RecordError(f"The {label} must be text; {value!r} is a {type(value).__name__}.")
    if len(value) > MAX_TEXT:
        raise RecordError(f"The {label} is {len(value):,} characters long; shorten it to at most "
                          f"{MAX_TEXT:,}.")
    return value


def slug(value: object, label: str) -> str:
    """A short identifier: lower-case letters, digits and hyphens."""
    if not isinstance(value, str) or not _SLUG.match(value):
        raise RecordError(f"The {label} {value!r} is not a valid identifier; use lower-case letters, "
                          "digits and hyphens, such as 'oak-hill-commons'.")
    return value


def choice(value: object, options: Iterable[str], label: str) -> str:
    """One of a fixed list of values."""
    options = tuple(options)
    if value not in options:
        raise RecordError(f"The {label} {value!r} is not allowed; choose one of: {', '.join(options)}.")
    return str(value)


def day(value: object, label: str, today: date | None = None) -> date:
    """A calendar date (``date``, ``datetime`` or ``YYYY-MM-DD``), not after ``today`` when
    given."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise RecordError(f"The {label} {value!r} is not a date; write it as YYYY-MM-DD, "
                              "such as 2024-05-31.") from None
    if not isinstance(value, date):
        raise RecordError(f"The {label} must be a date such as 2024-05-31; got {value!r}.")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise RecordError(f"The {label} {value.isoformat()} is out of range; check the year.")
    if today is not None and value > today:
        raise RecordError(f"The {label} {value.isoformat()} is in the future; record it once it "
                          "has happened.")
    return value


def number(value: object, label: str) -> float:
    """A finite number (an int, a float, or text holding one)."""
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ""))
        except ValueError:
            raise RecordError(f"The {label} must be a number such as 41.5; {value!r} is not "
                              "one.") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(f"The {label} must be a number such as 41.5; got {value!r}.")
    if not math.isfinite(float(value)):
        raise RecordError(f"The {label} must be a finite number; got {value!r}.")
    return float(value)


def year(value: object, label: str) -> int:
    """A four-digit year between 1900 and 2100."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"The {label} must be a year such as 2024; got {value!r}.")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise RecordError(f"The {label} {value} is out of range; use a year between {FIRST_YEAR} "
                          f"and {LAST_YEAR}.")
    return value


def whole(value: object, label: str) -> int:
    """A positive whole number (record ids, versions)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RecordError(f"The {label} must be a positive whole number; got {value!r}.")
    return value


def url(value: object, label: str) -> str | None:
    """An http(s) link, or nothing. Other schemes (``javascript:``, ``file:``) are refused
    because pages render these as links."""
    value = text(value, label)
    if not value:
        return None
    if not re.match(r"^https?://[^\s]+$", value.strip(), flags=re.IGNORECASE):
        raise RecordError(f"The {label} {value!r} is not a web link; paste a full address starting "
                          "with https://.")
    return value.strip()


def observation_date(observed_on: object, data_year: object, today: date) -> date:
    """An observation's date: ``observed_on``, or 1 January of ``data_year`` for an annual
    figure (when both are given they must agree)."""
    if observed_on is None and data_year is None:
        raise RecordError("The observation has neither a date nor a year; give one of them.")
    when = day(observed_on, "observation date", today=today) if observed_on is not None else None
    if data_year is not None:
        y = year(data_year, "observation year")
        if when is not None and when.year != y:
            raise RecordError(f"The observation date {when} is not in the year {y}; give one of them "
                              "or make them agree.")
        when = when or day(date(y, 1, 1), "observation year", today=today)
    return when  # type: ignore[return-value]


def review_order(review_round: str, reviewed_on: date, earlier: list[dict[str, Any]]) -> None:
    """A preliminary review first, then at most one final review, only if the preliminary one
    did not endorse the submission, and not dated before it (``earlier``: the submission's
    reviews so far, oldest first)."""
    if any(r["round"] == "final" for r in earlier):
        raise RecordError("This submission already has a final review; record a new submission for "
                          "the revised documents.")
    if review_round == "preliminary" and earlier:
        raise RecordError("This submission already has a preliminary review; record this one as the "
                          "final review.")
    if review_round == "final":
        if not earlier:
            raise RecordError("A final review follows a preliminary review; record the preliminary "
                              "review first.")
        if earlier[-1]["outcome"] == "endorsed":
            raise RecordError("This submission was endorsed at its preliminary review, so no final "
                              "review follows; record a new submission instead.")
        if reviewed_on < earlier[-1]["reviewed_on"]:
            raise RecordError(f"The final review date {reviewed_on} is before the preliminary review "
                              f"({earlier[-1]['reviewed_on']}); check the dates.")


def target_fields(project_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """Check the Targets Template fields of one target; returns the row to store."""
    registry = {i.id: i for i in INDICATORS}
    indicator_id = text(item.get("indicator_id"), "indicator id") or None
    if indicator_id is not None and indicator_id not in registry:
        raise RecordError(f"The indicator id {indicator_id!r} is not a dashboard indicator; leave it "
                          "empty or use an id from the Methodology page, such as 'tree_canopy'.")
    linked = registry.get(indicator_id) if indicator_id else None
    indicator = text(item.get("indicator") or (linked.label if linked else None), "indicator",
                     required=True)
    baseline_year = year(item.get("baseline_year"), "baseline year")
    target_year = year(item.get("target_year"), "target year")
    if target_year <= baseline_year:
        raise RecordError(f"The target year {target_year} is not after the baseline year "
                          f"{baseline_year}; set a target year later than the baseline year.")
    baseline = number(item.get("baseline"), "baseline")
    target = number(item.get("target"), "target")
    direction = choice(item.get("direction"), DIRECTIONS, "direction")
    if (target - baseline) * (1 if direction == "increase" else -1) < 0:
        raise RecordError(f"A target to {direction} cannot go from {baseline:g} to {target:g}; check the "
                          "values or change the direction.")
    return {
        "project_id": project_id,
        "commitment": choice(item.get("commitment"), COMMITMENT_NAMES, "commitment"),
        "indicator": indicator, "indicator_id": indicator_id,
        "unit": text(item.get("unit") or (linked.unit if linked else None), "unit"),
        "definition": text(item.get("definition"), "definition"),
        "data_source": text(item.get("data_source"), "data source"),
        "frequency": text(item.get("frequency"), "frequency"),
        "baseline": baseline, "baseline_year": baseline_year, "target": target,
        "target_year": target_year, "direction": direction,
    }
