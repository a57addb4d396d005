"""Constant dollars: ACS dollar values of different periods made comparable.

Each ACS 5-year estimate is in dollars of its last year. To compare an older period's median
rent with a newer one's, the Census Bureau's guidance ("Comparing ACS Data: dollar values")
multiplies the older value by ``CPI-U-RS(newer year) / CPI-U-RS(older year)``, the Consumer
Price Index retroactive series (R-CPI-U-RS, U.S. Bureau of Labor Statistics, annual averages,
December 1977 = 100) the Bureau also uses for its income reports.

The factors below are the annual averages as published with the Census Bureau's income
reports: 2010-2018 as in its 2018 table (P60-266), 2019-2023 as in the 2023 table (P60-282),
where BLS had revised 2019 from 376.5 to 375.8. Update them from BLS's current file
(https://www.bls.gov/cpi/research-series/r-cpi-u-rs-home.htm) when a later period is loaded.
"""

from __future__ import annotations

#: The Black-White gap (``race_gaps.measure``) counted in dollars: compared across periods in the
#: later period's dollars, like every dollar indicator.
INCOME_GAP = "Median household income"
#: R-CPI-U-RS annual averages (December 1977 = 100).
CPI_U_RS: dict[int, float] = {
    2010: 320.4, 2011: 330.5, 2012: 337.5, 2013: 342.5, 2014: 348.3, 2015: 348.9,
    2016: 353.4, 2017: 361.0, 2018: 369.8, 2019: 375.8, 2020: 380.8, 2021: 399.2,
    2022: 431.5, 2023: 449.3,
}
SOURCE = ("R-CPI-U-RS annual averages (U.S. Bureau of Labor Statistics, as published with the "
          "Census Bureau's income reports)")


def factor(from_year: int, to_year: int) -> float | None:
    """The multiplier that puts dollars of ``from_year`` into dollars of ``to_year``; None
    when either year is outside the table.

    Examples
    --------
    >>> round(factor(2012, 2018), 4), factor(2018, 2018), factor(1999, 2018)
    (1.0957, 1.0, None)
    """
    if from_year not in CPI_U_RS or to_year not in CPI_U_RS:
        return None
    return CPI_U_RS[to_year] / CPI_U_RS[from_year]
