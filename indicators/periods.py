"""Periods: the labels a manifest gives its layers (``"2014-2018"``) and what they mean.

A period's last year orders it; two 5-year periods overlap when they share a survey year (the
Census Bureau cautions against comparing overlapping ACS periods: part of their samples is the
same). Pure functions, shared by the readers (:mod:`indicators.ingest.manifest`), the maths of
change (:mod:`indicators.metrics.change`) and the pages.
"""

from __future__ import annotations

import re

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

#: The Census Bureau's caution, shown wherever a change between overlapping periods is.
OVERLAP_CAUTION = (
    "The two periods share survey years, so part of their data is the same: the Census Bureau "
    "advises against comparing overlapping 5-year estimates, and the difference understates "
    "the real change. Read it as a hint, not a measurement."
)


def years(label: str) -> tuple[int, int]:
    """The first and last year a period label names (one year: both the same).

    Examples
    --------
    >>> years("2014-2018"), years("ACS 2019-2023"), years("2020")
    ((2014, 2018), (2019, 2023), (2020, 2020))

    Raises
    ------
    ValueError
        When the label names no year.
    """
    found = [int(y) for y in _YEAR.findall(label)]
    if not found:
        raise ValueError(f"the period {label!r} names no year")
    return min(found), max(found)


def last_year(label: str) -> int:
    """The year that orders a period: the last year its label names.

    Examples
    --------
    >>> last_year("2014-2018")
    2018
    """
    return years(label)[1]


def ordered(labels: set[str] | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Labels oldest first (by last year).

    >>> ordered({"2018-2022", "2008-2012", "2014-2018"})
    ('2008-2012', '2014-2018', '2018-2022')
    """
    return tuple(sorted(labels, key=last_year))


def overlapping(older: str, newer: str) -> bool:
    """Whether two periods share a year.

    Examples
    --------
    >>> overlapping("2014-2018", "2018-2022"), overlapping("2014-2018", "2019-2023")
    (True, False)
    """
    a0, a1 = years(older)
    b0, b1 = years(newer)
    return a0 <= b1 and b0 <= a1


def baseline_period(labels: tuple[str, ...], year: int) -> str:
    """The period that describes a place as a project found it in ``year``: the latest period
    ending by that year (its survey was over before the project began), else the earliest.

    Examples
    --------
    >>> periods = ("2014-2018", "2019-2023")
    >>> baseline_period(periods, 2019), baseline_period(periods, 2024), baseline_period(periods, 2012)
    ('2014-2018', '2019-2023', '2014-2018')
    """
    ended = [label for label in labels if last_year(label) <= year]
    return ordered(ended)[-1] if ended else ordered(labels)[0]
