"""The states of the United States (with DC and Puerto Rico): FIPS code, postal abbreviation, name.

The ``fetch`` command takes a state the way people write it (``GA``, ``Georgia`` or ``13``) and
needs its FIPS code for the Census Bureau's addresses and its name for CDC's file names.
"""

from __future__ import annotations

from dataclasses import dataclass

_TABLE = """\
01 AL Alabama|02 AK Alaska|04 AZ Arizona|05 AR Arkansas|06 CA California|08 CO Colorado|
09 CT Connecticut|10 DE Delaware|11 DC District of Columbia|12 FL Florida|13 GA Georgia|
15 HI Hawaii|16 ID Idaho|17 IL Illinois|18 IN Indiana|19 IA Iowa|20 KS Kansas|21 KY Kentucky|
22 LA Louisiana|23 ME Maine|24 MD Maryland|25 MA Massachusetts|26 MI Michigan|27 MN Minnesota|
28 MS Mississippi|29 MO Missouri|30 MT Montana|31 NE Nebraska|32 NV Nevada|33 NH New Hampshire|
34 NJ New Jersey|35 NM New Mexico|36 NY New York|37 NC North Carolina|38 ND North Dakota|39 OH Ohio|
40 OK Oklahoma|41 OR Oregon|42 PA Pennsylvania|44 RI Rhode Island|45 SC South Carolina|
46 SD South Dakota|47 TN Tennessee|48 TX Texas|49 UT Utah|50 VT Vermont|51 VA Virginia|
53 WA Washington|54 WV West Virginia|55 WI Wisconsin|56 WY Wyoming|72 PR Puerto Rico"""


@dataclass(frozen=True)
class State:
    """One state: ``fips`` ("13"), ``abbr`` ("GA") and ``name`` ("Georgia")."""

    fips: str
    abbr: str
    name: str


STATES: tuple[State, ...] = tuple(
    State(*entry.strip().split(" ", 2)) for entry in _TABLE.replace("\n", "").split("|")
)


def find_state(text: str) -> State:
    """The state ``text`` names: its abbreviation, name or FIPS code, in any case.

    >>> find_state("ga"), find_state("Georgia").fips, find_state("13").abbr
    (State(fips='13', abbr='GA', name='Georgia'), '13', 'GA')
    >>> find_state("Gorgia")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: 'Gorgia' is not a state: write its two-letter abbreviation (GA), its name ...
    """
    wanted = text.strip().casefold()
    for state in STATES:
        if wanted in (state.fips, state.fips.lstrip("0"), state.abbr.casefold(), state.name.casefold()):
            return state
    raise ValueError(f"{text!r} is not a state: write its two-letter abbreviation (GA), its name "
                     "(Georgia) or its FIPS code (13)")
