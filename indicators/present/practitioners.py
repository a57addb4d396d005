"""The Accredited Practitioners page, headless: headline figures, filters, the display table,
the sort orders and the sentences answering "whose credentials lapse this quarter?" and "which
projects have no AP?" (pure functions on
:func:`~indicators.certification.directory.practitioner_directory`'s frame).

A visitor's frame names no unlisted practitioner (its ``name`` is None): the table shows them as
:data:`NOT_LISTED` and the sentences count them without naming them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from indicators.certification.credentials import CE_HOURS_REQUIRED, RENEWAL_DUE_WITHIN_DAYS
from indicators.present.formatting import escape_markdown
from indicators.present.language import long_date

NOT_LISTED = "Not listed"
#: Sort orders offered on the page: label -> (directory columns, ascending).
SORTS: dict[str, tuple[list[str], list[bool]]] = {
    "Expiry (soonest first)": (["expires_on", "name"], [True, True]),
    "Name": (["name", "expires_on"], [True, True]),
    "CE hours short (most first)": (["ce_hours_needed", "expires_on"], [False, True]),
    "City": (["city", "name"], [True, True]),
}
TABLE_COLUMNS = ["Name", "Organisation", "City", "E-mail", "Accredited", "Expires", "Status",
                 f"CE hours (of {CE_HOURS_REQUIRED:g})", "Projects"]
HOURS_COLUMN = TABLE_COLUMNS[7]


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s calendar quarter.

    >>> quarter_of(date(2026, 11, 1))
    (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    >>> quarter_of(date(2026, 2, 28))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    """
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = date(first.year + 1, 1, 1) if first.month == 10 else date(first.year, first.month + 3, 1)
    return first, last - timedelta(days=1)


def lapsing_this_quarter(directory: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Practitioners not revoked whose credential expires from ``as_of`` to the end of its
    calendar quarter (they lapse unless renewed), soonest first."""
    _, last = quarter_of(as_of)
    expires = pd.to_datetime(directory["expires_on"]).dt.date
    found = directory[(expires >= as_of) & (expires <= last) & (directory["status"] != "revoked")]
    return found.sort_values(["expires_on", "name"], na_position="last")


def headline(directory: pd.DataFrame, without_ap: pd.DataFrame, as_of: date) -> dict[str, int]:
    """The page's four figures.

    >>> d = pd.DataFrame({"name": ["A", "B", "C"], "status": ["active", "renewal due", "lapsed"],
    ...                   "expires_on": [date(2027, 1, 1), date(2026, 12, 1), date(2026, 1, 1)]})
    >>> list(headline(d, pd.DataFrame({"name": ["Southview"]}), date(2026, 11, 1)).values())
    [2, 1, 1, 1]
    """
    return {
        "Active APs": int(directory["status"].isin(["active", "renewal due"]).sum()),
        f"Renewals due within {RENEWAL_DUE_WITHIN_DAYS} days":
            int((directory["status"] == "renewal due").sum()),
        "Lapsing this quarter": len(lapsing_this_quarter(directory, as_of)),
        "Projects without an AP": len(without_ap),
    }


def cities(directory: pd.DataFrame) -> list[str]:
    """The cities of the practitioners shown by name, sorted."""
    return sorted(c for c in directory["city"].dropna().unique())


def select(directory: pd.DataFrame, statuses: list[str] | None = None, chosen_cities: list[str] | None = None,
           hours_short: bool = False) -> pd.DataFrame:
    """The practitioners with one of ``statuses``, in one of ``chosen_cities`` (an unlisted
    practitioner, whose city a visitor is not told, is left out by a city filter) and, with
    ``hours_short``, still short of the CE hours; an empty filter keeps everyone.

    >>> d = pd.DataFrame({"status": ["active", "lapsed"], "city": ["A", None],
    ...                   "ce_hours_needed": [0.0, 4.0]})
    >>> len(select(d, ["lapsed"])), len(select(d, chosen_cities=["A"])), len(select(d, hours_short=True))
    (1, 1, 1)
    """
    keep = pd.Series(True, index=directory.index)
    if statuses:
        keep &= directory["status"].isin(statuses)
    if chosen_cities:
        keep &= directory["city"].isin(chosen_cities)
    if hours_short:
        keep &= directory["ce_hours_needed"] > 0
    return directory[keep]


def sort(directory: pd.DataFrame, order: str) -> pd.DataFrame:
    """``directory`` in one of :data:`SORTS` (unknown: the first); unlisted rows sort last by
    name."""
    columns, ascending = SORTS.get(order, next(iter(SORTS.values())))
    return directory.sort_values(columns, ascending=ascending, na_position="last", kind="stable")


def table(directory: pd.DataFrame, show_email: bool = False) -> pd.DataFrame:
    """The directory as the page shows it (and as the CSV holds it): an unlisted practitioner a
    visitor is not told about is named :data:`NOT_LISTED`; e-mail only with ``show_email``.

    >>> d = pd.DataFrame({"name": [None], "organisation": [None], "city": [None], "email": [None],
    ...                   "credentialed_on": [date(2025, 1, 1)], "expires_on": [date(2027, 1, 1)],
    ...                   "status": ["active"], "ce_hours_in_cycle": [12.0], "projects": [""]})
    >>> table(d).iloc[0].to_dict()["Name"], list(table(d).columns) == TABLE_COLUMNS[:3] + TABLE_COLUMNS[4:]
    ('Not listed', True)
    """
    out = pd.DataFrame({
        "Name": directory["name"].fillna(NOT_LISTED),
        "Organisation": directory["organisation"].fillna(""),
        "City": directory["city"].fillna(""),
        "E-mail": directory["email"].fillna(""),
        "Accredited": pd.to_datetime(directory["credentialed_on"]).dt.date,
        "Expires": pd.to_datetime(directory["expires_on"]).dt.date,
        "Status": directory["status"],
        HOURS_COLUMN: directory["ce_hours_in_cycle"].astype(float),
        "Projects": directory["projects"].fillna(""),
    }).reset_index(drop=True)
    return out if show_email else out.drop(columns="E-mail")


def _names(people: pd.DataFrame) -> list[str]:
    """Escaped names with their expiry; unlisted ones counted in one phrase at the end."""
    named = [f"**{escape_markdown(n)}** ({long_date(e, 'en')})" for n, e in
             zip(people["name"], pd.to_datetime(people["expires_on"]), strict=True) if isinstance(n, str)]
    hidden = int(people["name"].isna().sum())
    if hidden:
        named.append(f"{hidden} practitioner{'s' if hidden > 1 else ''} not listed in the public directory")
    return named


def _and(items: list[str]) -> str:
    """Items joined in English.

    >>> _and(["a"]), _and(["a", "b"]), _and(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def lapsing_sentence(directory: pd.DataFrame, as_of: date) -> str:
    r"""Whose credentials lapse this quarter, in one Markdown sentence (names escaped).

    >>> d = pd.DataFrame({"name": ["A*", None], "status": ["renewal due"] * 2,
    ...                   "expires_on": [date(2026, 12, 1), date(2026, 12, 20)]})
    >>> print(lapsing_sentence(d, date(2026, 11, 1)))  # doctest: +NORMALIZE_WHITESPACE
    From 1 November 2026 to 31 December 2026, 2 credentials lapse unless renewed:
    **A\*** (1 December 2026) and 1 practitioner not listed in the public directory.
    >>> lapsing_sentence(d.iloc[0:0], date(2026, 11, 1))
    'No credential lapses from 1 November 2026 to the end of the quarter (31 December 2026).'
    """
    _, last = quarter_of(as_of)
    found = lapsing_this_quarter(directory, as_of)
    if found.empty:
        return (f"No credential lapses from {long_date(as_of, 'en')} to the end of the quarter "
                f"({long_date(last, 'en')}).")
    many = f"{len(found)} credentials lapse" if len(found) > 1 else "1 credential lapses"
    return (f"From {long_date(as_of, 'en')} to {long_date(last, 'en')}, {many} unless renewed: "
            f"{_and(_names(found))}.")


def without_ap_lines(without_ap: pd.DataFrame) -> list[str]:
    r"""The projects no practitioner supports, as Markdown list items (names escaped).

    >>> without_ap_lines(pd.DataFrame({"name": ["Southview [Forward]"], "stage": ["Formation"]}))
    ['- **Southview \\[Forward\\]** (Formation)']
    """
    return [f"- **{escape_markdown(n)}** ({escape_markdown(str(s))})"
            for n, s in zip(without_ap["name"], without_ap["stage"], strict=True)]


def practitioner_choices(directory: pd.DataFrame) -> dict[str, str]:
    """For an editor's chooser (a directory read with ``show_private``): id -> "Name (status)",
    by name."""
    people = directory.sort_values("name")
    return {p: f"{n} ({s})" for p, n, s in zip(people["practitioner_id"], people["name"], people["status"],
                                                strict=True)}


def ce_log_table(activities: pd.DataFrame) -> pd.DataFrame:
    """A practitioner's CE activities as the page shows them (newest first)."""
    return pd.DataFrame({
        "Date": pd.to_datetime(activities["done_on"]).dt.date, "Activity": activities["title"],
        "Provider": activities["provider"], "Category": activities["category"],
        "Hours": activities["hours"].astype(float),
        "This cycle": activities["in_current_cycle"].map({True: "yes", False: "no"}),
        "Evidence": activities["evidence_url"], "Recorded by": activities["recorded_by"],
    }).reset_index(drop=True)
