"""Sample City: a deterministic, fictional region written in the real public formats.

``python -m indicators sample OUT_DIR`` writes it (:func:`write_sample`); the copy committed
under ``data/sample/`` is what the app loads on first run, and a test proves this package
reproduces it byte for byte.

The city is invented (state code 99, which the Census Bureau does not use, placed in the Gulf
of Mexico so that it can never be mistaken for a real place), but its geography tells the kind
of story real cities tell, for a user to discover:

- an **interstate corridor** crossing the south of downtown, with a spur north: high traffic
  proximity, diesel particulate matter and asthma along it;
- an **industrial edge** along the east: hazardous-waste sites, a Superfund site, hot and paved;
- **historically redlined neighbourhoods** (HOLC grade D, 1938) south and east of downtown,
  where today more residents are people of colour, poverty is higher and tree canopy thinner;
- a **gentrifying ring** west and north-east of downtown: rising incomes, heavy rent burden;
- leafy, affluent, mostly White **north-western hills**.

It has two periods, so that a user can watch it change:

- **2019-2023** (ACS 2019-2023 on the 2020 tracts, EJScreen 2.3, PLACES 2024, 2021 land cover);
- **2014-2018** (ACS 2014-2018 on the 2010 tracts, EJScreen 2.1: :mod:`indicators.sample.earlier`),
  tied to the 2020 tracts by a Census-format tract relationship file. Between the two censuses
  one tract in the ring grew and was **split** in two, and two tracts near the industrial edge
  lost people and were **merged** into one; every other tract kept its boundary and GEOID.

What changed: the **ring gentrified**. In 2014-2018 it had lower incomes, rents and home values,
fewer bachelor's degrees and a clearly larger Black population; by 2019-2023 the rise in degrees
and the fall in Black share of the districts it dominates (Downtown and Westside) are beyond the
ACS's margins of error, while the rest of the city moved only within them. And the **truck
route moved** off the interstate: diesel particulate matter along the corridor is well below
its EJScreen 2.1 level.

Every value is drawn from seeded random generators around that story (the earlier period from
its own, so that it never changes the current files), so numbers look like real ACS estimates
(with margins of error, sentinels for suppressed medians, a near-empty industrial tract) without
describing anyone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pyproj import Transformer

from indicators.sample.city import LOCAL_CRS, SEED, make_city, tract_table
from indicators.sample.earlier import write_earlier
from indicators.sample.formats import write_files

__all__ = ["write_sample"]


def write_sample(out_dir: Path) -> list[Path]:
    """Write every file of the Sample City region (and its ``manifest.toml``) into ``out_dir``.

    Returns
    -------
    list of Path
        The files written, sorted.
    """
    rng = np.random.default_rng(SEED)
    city = make_city(rng)
    tracts = tract_table(city, rng)
    to_lonlat = Transformer.from_crs(LOCAL_CRS, "EPSG:4326", always_xy=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = write_files(out_dir, city, tracts, to_lonlat, rng)
    # The earlier period draws from its own generator: the files above never depend on it.
    return sorted(written + write_earlier(out_dir, city, tracts, to_lonlat))
