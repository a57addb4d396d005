"""Calendar helpers shared by the certification rules and records (pure, no clock)."""

from __future__ import annotations

import calendar
import math
from datetime import date, datetime

import pandas as pd


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; the 31st (or 29 February) falls back to the last day
    of a shorter month.

    Examples
    --------
    >>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 2, 29), 12)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def as_date(value: object) -> date | None:
    """A date from a ``date``, ``datetime``, pandas ``Timestamp`` or ISO string; None for a
    missing value (None, NaT, NaN, "").

    Raises
    ------
    TypeError
        For anything else.
    ValueError
        For a string that is not an ISO date.
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10]) if value.strip() else None
    raise TypeError(f"expected a date, got {value!r}")
