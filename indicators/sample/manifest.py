"""Sample City's ``manifest.toml``: what each file is, for which period, from whom.

Two periods: the current one (``2019-2023``: ACS 2019-2023 on 2020 tracts, EJScreen 2.3) and an
earlier one (``2014-2018``: ACS 2014-2018 on 2010 tracts, EJScreen 2.1, written by
:mod:`indicators.sample.earlier`), tied by a tract relationship file. The layers of the
current period keep their places (and so their layer numbers); the earlier period's layers and
the relationship file come after the certification layer.

:data:`CURRENT_MANIFEST` is the single-period manifest the certification records' targets are
computed from (:func:`indicators.sample.formats.write_files`): the current layers only, with no
``period`` key, so that those targets never depend on how periods are built.
"""

from __future__ import annotations

FICTIONAL = "Just Communities Dashboard: fictional sample data"
CURRENT_PERIOD = "2019-2023"
EARLIER_PERIOD = "2014-2018"

_CURRENT = f'period = "{CURRENT_PERIOD}"\n'
CERTIFICATION_LAYER = "\n[[layer]]\nrole = \"certification\""
MANIFEST = f'''# Sample City: a fictional region in the real public formats ({FICTIONAL}).
# Written by `python -m indicators sample data/sample`; do not edit by hand.

[region]
name = "Sample City"
sample = true
place_label = "Sample City"
description = "A fictional city for trying the dashboard: its people, places and projects do not exist."

[[layer]]
role = "units"
{_CURRENT}path = "tracts.geojson"
key = "GEOID"
level = "tract"
title = "Census tracts"
vintage = "2020 tract definitions (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "census"
{_CURRENT}path = "acs_5yr_2019_2023_tracts.json"
profile = "acs"
title = "American Community Survey 5-year estimates"
vintage = "ACS 2019-2023 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "environment"
{_CURRENT}path = "ejscreen_2_3_blockgroups.csv"
profile = "ejscreen"
title = "EJScreen 2.3 environmental indicators (block groups)"
vintage = "EJScreen 2.3, 2024 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "environment"
{_CURRENT}path = "places_2024_tracts.csv"
profile = "cdc_places"
title = "CDC PLACES health estimates"
vintage = "PLACES 2024 release, BRFSS 2022 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "environment"
{_CURRENT}path = "land_cover_tracts.csv"
profile = "generic"
key = "GEOID"
title = "Tree canopy, impervious surface and summer heat (NLCD / Landsat style)"
vintage = "2021 land cover (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[layer.columns]
tree_canopy_pct = "canopy_pct"
impervious_pct = "impervious_pct"
heat_anomaly = "lst_anomaly_c"

[[layer]]
role = "districts"
path = "districts.geojson"
name = "DISTRICT"
title = "Just Communities districts"
vintage = "2024 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "overlay"
path = "holc_1938.geojson"
profile = "holc"
title = "HOLC residential security map, 1938 (redlining)"
vintage = "1938 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"
{CERTIFICATION_LAYER}
path = "certification.json"
title = "Certification records: projects, reviews, targets and practitioners"
vintage = "Records to 1 November 2026 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "units"
period = "{EARLIER_PERIOD}"
path = "tracts_2010.geojson"
key = "GEOID"
level = "tract"
title = "Census tracts (2010 definitions)"
vintage = "2010 tract definitions (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "census"
period = "{EARLIER_PERIOD}"
path = "acs_5yr_2014_2018_tracts.json"
profile = "acs"
title = "American Community Survey 5-year estimates"
vintage = "ACS 2014-2018 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "environment"
period = "{EARLIER_PERIOD}"
path = "ejscreen_2_1_blockgroups.csv"
profile = "ejscreen"
title = "EJScreen 2.1 environmental indicators (block groups)"
vintage = "EJScreen 2.1, 2022 (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"

[[layer]]
role = "relationship"
path = "tract_relationship_2020_2010.txt"
title = "Census tract relationship file, 2020 to 2010 tracts"
vintage = "2020 tract relationship file (fictional)"
publisher = "{FICTIONAL}"
licence = "CC0"
'''
#: The current period alone, without ``period`` keys or the certification layer (see above).
CURRENT_MANIFEST = MANIFEST.split(CERTIFICATION_LAYER)[0].replace(_CURRENT, "")
