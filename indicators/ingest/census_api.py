"""The Census Data API: which ACS 5-year variables the dashboard needs, how to ask for them, and
how the answers are put together into one table that the ``acs`` profile reads.

The variables are not listed here. They are derived from the indicator registry (every canonical
variable any indicator uses, :attr:`indicators.metrics.registry.Indicator.variables`) and the
``acs`` profile (the Census table cells each canonical variable is read from, its first and
preferred expression): add an indicator or change the profile, and ``fetch`` asks for what it
needs. Each cell is asked for as its estimate (``B25070_007E``) and margin of error (``...M``).

The API answers at most 50 variables a request, so they are asked for in chunks, county by
county, and the chunks joined on the geography columns (``state``, ``county``, ``tract``).
The answer keeps the API's own form (a header row, then rows of text; ``null`` where no value
is published), so the file written is one that ``api.census.gov`` could have sent.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indicators.ingest.profiles import ACS
from indicators.ingest.tabular import expand_terms
from indicators.metrics.registry import INDICATORS

#: The Census Data API's host (``JC_FETCH_MIRROR`` replaces it, see :mod:`indicators.ingest.publishers`).
API = "https://api.census.gov"
#: Variables a request may name (the API's limit is 50, ``NAME`` included).
PER_REQUEST = 48
#: The geography columns the API appends to every row of a tract request, in order.
GEOGRAPHY = ("state", "county", "tract")


class CensusAnswerError(ValueError):
    """An API answer that is not the table asked for; ``str()`` says what it was."""


def needed_cells() -> list[str]:
    """The ACS table cells every registry indicator needs, sorted (``B01001_003`` ...).

    >>> cells = needed_cells()
    >>> {"B03002_001", "B19013_001", "B25070_010", "B19001_017"} <= set(cells)
    True
    """
    fields = {f.variable: f for f in ACS.fields}
    wanted = set().union(*(indicator.variables for indicator in INDICATORS))
    cells = {term for variable in wanted if variable in fields and fields[variable].alternatives
             for _, term in expand_terms(fields[variable].alternatives[0])}
    return sorted(cells)


def api_variables(cells: Iterable[str]) -> list[str]:
    """Each cell's estimate and margin-of-error variables.

    >>> api_variables(["B19013_001"])
    ['B19013_001E', 'B19013_001M']
    """
    return [f"{cell}{suffix}" for cell in cells for suffix in ("E", "M")]


@dataclass(frozen=True)
class Query:
    """One request to the API: what it asks for, and its address with and without the key."""

    url: str
    public_url: str
    variables: tuple[str, ...]


def acs_endpoint(year: int, base: str = API) -> str:
    """The ACS 5-year detailed tables of the period ending in ``year``."""
    return f"{base}/data/{year}/acs/acs5"


def tract_queries(year: int, state: str, county: str, variables: Sequence[str], *, key: str | None = None,
                  base: str = API) -> list[Query]:
    """The requests for every tract of one county, ``NAME`` in the first, at most
    :data:`PER_REQUEST` variables in each.

    >>> q = tract_queries(2022, "13", "121", ["B19013_001E", "B19013_001M"], key="k")
    >>> q[0].public_url
    'https://api.census.gov/data/2022/acs/acs5?get=NAME,B19013_001E,B19013_001M&for=tract:*&in=state:13&in=county:121'
    >>> q[0].url.endswith("&key=k")
    True
    """
    chunks = [list(variables[i:i + PER_REQUEST]) for i in range(0, len(variables), PER_REQUEST)]
    chunks[0].insert(0, "NAME")
    where = f"for=tract:*&in=state:{state}&in=county:{county}"
    return [_query(acs_endpoint(year, base), chunk, where, key) for chunk in chunks]


def county_query(year: int, state: str, *, key: str | None = None, base: str = API) -> Query:
    """The request listing a state's counties (their names and FIPS codes)."""
    return _query(acs_endpoint(year, base), ["NAME"], f"for=county:*&in=state:{state}", key)


def _query(endpoint: str, variables: list[str], where: str, key: str | None) -> Query:
    public = f"{endpoint}?get={','.join(variables)}&{where}"
    url = f"{public}&key={urllib.parse.quote(key)}" if key else public
    return Query(url, public, tuple(variables))


def read_answer(text: str, asked: Sequence[str], geography: Sequence[str] = GEOGRAPHY) -> list[list[object]]:
    """The rows of one answer (header first), checked to hold the columns asked for.

    >>> text = '[["NAME","B1E","state","county","tract"],["T 1","5","13","121","000100"]]'
    >>> read_answer(text, ["NAME", "B1E"])
    [['NAME', 'B1E', 'state', 'county', 'tract'], ['T 1', '5', '13', '121', '000100']]
    """
    try:
        rows = json.loads(text) if text.strip() else []
    except json.JSONDecodeError:
        said = " ".join(text.split())[:160]
        raise CensusAnswerError(f"the Census Data API did not answer with a table but with: {said!r}"
                                ) from None
    if not rows:
        raise CensusAnswerError("the Census Data API answered with no rows: it has no tracts there for "
                                "that year")
    header = rows[0] if isinstance(rows, list) else None
    want = [*asked, *geography]
    if not isinstance(header, list) or [str(h) for h in header] != want:
        raise CensusAnswerError(f"the Census Data API's answer has the columns {str(header)[:160]}, not the "
                                f"{len(want)} asked for")
    if any(not isinstance(row, list) or len(row) != len(header) for row in rows[1:]):
        raise CensusAnswerError("the Census Data API's answer has rows of the wrong length")
    return rows


def join_answers(answers: Sequence[list[list[object]]],
                 geography: Sequence[str] = GEOGRAPHY) -> list[list[object]]:
    """The chunks of one county side by side, joined on the geography columns (the first
    answer's rows and order; a unit another answer lacks gets ``null`` there).

    >>> a = [["NAME", "X", "state", "county", "tract"], ["T1", "1", "13", "121", "000100"]]
    >>> b = [["Y", "state", "county", "tract"], ["2", "13", "121", "000100"]]
    >>> join_answers([a, b])
    [['NAME', 'X', 'Y', 'state', 'county', 'tract'], ['T1', '1', '2', '13', '121', '000100']]
    """
    width = len(geography)
    header = [name for answer in answers for name in answer[0][:-width]] + list(geography)
    first, *others = answers
    lookups = [{tuple(row[-width:]): row[:-width] for row in other[1:]} for other in others]
    rows: list[list[object]] = [header]
    for row in first[1:]:
        place = tuple(row[-width:])
        values = list(row[:-width])
        for other, lookup in zip(others, lookups, strict=True):
            values += lookup.get(place, [None] * (len(other[0]) - width))
        rows.append(values + list(place))
    return rows


def stack_counties(tables: Sequence[list[list[object]]]) -> list[list[object]]:
    """Several counties' joined tables as one (their headers must agree)."""
    header = tables[0][0]
    if any(table[0] != header for table in tables):
        raise CensusAnswerError("the counties' answers have different columns")
    return [header, *(row for table in tables for row in table[1:])]


def county_codes(rows: list[list[object]]) -> dict[str, str]:
    """County FIPS (3 digits) to name ("Fulton County") from a :func:`county_query` answer.

    >>> county_codes([["NAME", "state", "county"], ["Fulton County, Georgia", "13", "121"]])
    {'121': 'Fulton County'}
    """
    return {str(row[2]).zfill(3): str(row[0]).split(",")[0].strip() for row in rows[1:]}


def table_text(rows: list[list[object]]) -> str:
    """The rows in the API's own layout: one JSON row a line."""
    return "[" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "]\n"
