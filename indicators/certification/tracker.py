"""The target tracker and the Accredited Practitioner credential rules (pure functions).

Target tracker
--------------
Each target follows the Targets Template: a baseline value in a baseline year, a target value
in a target year and a direction (*increase* when higher is better, *decrease* when lower is
better, e.g. PM2.5 or rent burden). Its status comes from its latest observation on or before
``as_of``:

- *achieved*: the observation reached the target (at or above it for *increase*, at or below it
  for *decrease*);
- *on track*: at or ahead of the straight line from the baseline (year) to the target (year) at
  the observation's date (exactly on the line counts as on track);
- *needs attention*: behind that line;
- *no data yet*: no observation.

A year stands for 1 January of that year, for baseline and target years alike, and dates are
placed on the line as fractional years (:func:`fractional_year`). Before the baseline year the
line is the baseline; after the target year it is the target.

Credentials
-----------
An Accredited Practitioner's credential lasts two years (:data:`CREDENTIAL_MONTHS`) and renews
with 30 continuing-education hours. It is *active*, *expiring* (90 days or fewer left, the
expiry date itself included) or *expired* (the day after the expiry date).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from indicators.dates import add_months, as_date

DIRECTIONS = ("increase", "decrease")
TARGET_STATUSES = ("achieved", "on track", "needs attention", "no data yet")
ON_TRACK = ("achieved", "on track")
CREDENTIAL_MONTHS = 24
CE_HOURS_REQUIRED = 30.0
EXPIRING_WITHIN_DAYS = 90
CREDENTIAL_STATUSES = ("active", "expiring", "expired")


def fractional_year(day: date) -> float:
    """The date as a year with a fraction: 1 January is ``year.0``, 2 July 2025 is 2025.5.

    Examples
    --------
    >>> fractional_year(date(2025, 1, 1)), fractional_year(date(2025, 7, 2))
    (2025.0, 2025.4986301369863)
    """
    start = date(day.year, 1, 1).toordinal()
    length = date(day.year + 1, 1, 1).toordinal() - start
    return day.year + (day.toordinal() - start) / length


def expected_value(baseline: float, baseline_year: int, target: float, target_year: int,
                   when: date) -> float:
    """Where the straight line from baseline to target stands on ``when``.

    Raises
    ------
    ValueError
        If the target year is not after the baseline year (the line would be undefined).

    Examples
    --------
    >>> expected_value(20.0, 2020, 30.0, 2030, date(2025, 1, 1))
    25.0
    """
    if target_year <= baseline_year:
        raise ValueError(f"the target year ({target_year}) must be after the baseline year "
                         f"({baseline_year})")
    share = (fractional_year(when) - baseline_year) / (target_year - baseline_year)
    return baseline + (target - baseline) * min(max(share, 0.0), 1.0)


def target_status(baseline: float, baseline_year: int, target: float, target_year: int,
                  direction: str, value: float | None, when: date | None) -> str:
    """The tracker status of one target given its latest observation (``value`` on ``when``).

    Returns
    -------
    str
        One of :data:`TARGET_STATUSES`.

    Raises
    ------
    ValueError
        For an unknown direction, or a target on the wrong side of the baseline for its
        direction (e.g. *decrease* from 10 to 12).
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    sign = 1.0 if direction == "increase" else -1.0
    if sign * (target - baseline) < 0:
        raise ValueError(f"a target to {direction} cannot go from {baseline} to {target}")
    if value is None or when is None or (isinstance(value, float) and math.isnan(value)):
        return "no data yet"
    # Exactly on the target or on the line counts; the tolerance only absorbs float rounding.
    tolerance = 1e-9 * max(1.0, abs(baseline), abs(target))
    if sign * (value - target) >= -tolerance:
        return "achieved"
    expected = expected_value(baseline, baseline_year, target, target_year, when)
    return "on track" if sign * (value - expected) >= -tolerance else "needs attention"


def target_tracker(targets: pd.DataFrame, observations: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Every target with its latest observation on or before ``as_of`` and its status.

    Parameters
    ----------
    targets : DataFrame
        ``target_id``, ``baseline``, ``baseline_year``, ``target``, ``target_year``,
        ``direction`` (other columns are kept).
    observations : DataFrame
        ``target_id``, ``observed_on``, ``value`` (and ``observation_id`` to order two
        observations of the same date: the later one recorded wins).
    as_of : date

    Returns
    -------
    DataFrame
        ``targets`` plus ``latest_value``, ``latest_on``, ``observations`` (how many up to
        ``as_of``), ``expected`` (the line at ``latest_on``) and ``status``.
    """
    obs = observations.copy()
    obs["_on"] = obs["observed_on"].map(as_date)
    obs = obs[obs["_on"].map(lambda d: d is not None and d <= as_of).astype(bool)]
    order = ["_on", *[c for c in ("observation_id",) if c in obs.columns]]
    latest = obs.sort_values(order, kind="stable").groupby("target_id").tail(1).set_index("target_id")
    counts = obs.groupby("target_id").size()
    out = targets.copy()
    out["latest_value"] = out["target_id"].map(latest["value"]).astype(float)
    out["latest_on"] = out["target_id"].map(latest["_on"]).astype(object)
    out["observations"] = out["target_id"].map(counts).fillna(0).astype(int)
    expected, status = [], []
    for row in out.itertuples(index=False):
        when = row.latest_on if isinstance(row.latest_on, date) else None
        value = None if math.isnan(row.latest_value) else float(row.latest_value)
        args = (float(row.baseline), int(row.baseline_year), float(row.target), int(row.target_year))
        status.append(target_status(*args, str(row.direction), value, when))
        expected.append(expected_value(*args, when) if when else np.nan)
    out["expected"] = np.array(expected, dtype=float)
    out["status"] = status
    return out


def share_on_track(tracker: pd.DataFrame, by: str | None = "commitment") -> pd.DataFrame:
    """How many targets are on track (achieved or on track), per group or overall.

    The share is taken over the targets that have data: ``on_track / with_data`` (NaN when no
    target has data yet, rather than a misleading 0 %); the counts beside it show how many
    targets have no data yet.

    Parameters
    ----------
    tracker : DataFrame
        The output of :func:`target_tracker`.
    by : str or None, default "commitment"
        Column to group by (e.g. ``"commitment"`` or ``"project_id"``); None for one row.

    Returns
    -------
    DataFrame
        ``by`` (when given), ``targets``, ``with_data``, ``achieved``, ``on_track``,
        ``needs_attention``, ``no_data``, ``share_on_track``.
    """
    status = tracker["status"]
    counts = pd.DataFrame({
        "key": tracker[by] if by else "all",
        "targets": 1,
        "with_data": (status != "no data yet").astype(int),
        "achieved": (status == "achieved").astype(int),
        "on_track": status.isin(ON_TRACK).astype(int),
        "needs_attention": (status == "needs attention").astype(int),
        "no_data": (status == "no data yet").astype(int),
    }, index=tracker.index)
    out = counts.groupby("key", sort=True).sum().reset_index()
    with_data = out["with_data"].to_numpy(dtype=float)
    share = np.divide(out["on_track"].to_numpy(dtype=float), with_data,
                      out=np.full(len(out), np.nan), where=with_data > 0)  # no data: NaN, not 0
    out["share_on_track"] = share
    return out.rename(columns={"key": by}) if by else out.drop(columns="key")


def credential_status(expires_on: date, as_of: date) -> str:
    """*active*, *expiring* (0-90 days left) or *expired* (after ``expires_on``).

    Examples
    --------
    >>> credential_status(date(2026, 3, 31), date(2026, 3, 31))
    'expiring'
    """
    days = (expires_on - as_of).days
    if days < 0:
        return "expired"
    return "expiring" if days <= EXPIRING_WITHIN_DAYS else "active"


def practitioner_status(practitioners: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Each practitioner's credential status and continuing-education hours on ``as_of``.

    Parameters
    ----------
    practitioners : DataFrame
        ``credentialed_on`` (and ``expires_on`` where known: else two years after
        ``credentialed_on``), ``ce_hours`` (hours earned towards the next renewal).
    as_of : date

    Returns
    -------
    DataFrame
        The input plus ``expires_on``, ``days_left``, ``status``, ``ce_hours_needed`` (towards
        :data:`CE_HOURS_REQUIRED`, never negative) and ``renewable`` (enough hours to renew).
    """
    out = practitioners.copy()
    issued = out["credentialed_on"].map(as_date)
    given = out["expires_on"].map(as_date) if "expires_on" in out else [None] * len(out)
    out["expires_on"] = [g if isinstance(g, date) else add_months(i, CREDENTIAL_MONTHS)
                         for g, i in zip(given, issued, strict=True)]
    out["days_left"] = [(e - as_of).days for e in out["expires_on"]]
    out["status"] = [credential_status(e, as_of) for e in out["expires_on"]]
    hours = out["ce_hours"].astype(float).fillna(0.0)
    out["ce_hours_needed"] = (CE_HOURS_REQUIRED - hours).clip(lower=0.0)
    out["renewable"] = hours >= CE_HOURS_REQUIRED
    return out
