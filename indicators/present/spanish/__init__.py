"""The Spanish catalogue: every English text of the interface (as written in the code) and its
Spanish, one module per part of the dashboard so each is read beside the pages it serves.

Indicators' own texts are not here: each registry entry carries its Spanish
(:attr:`indicators.metrics.registry.Indicator.es`). Translations are written for a resident
reading in Spanish first, not word by word ("tú", plain words over technical ones).
"""

from __future__ import annotations

from indicators.present.spanish import maps, methodology, navigation, own_area, resident

__all__ = ["SPANISH"]


def _merged(*parts: dict[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        for english, spanish in part.items():
            if merged.get(english, spanish) != spanish:
                raise ValueError(f"two Spanish texts for {english!r}")
            merged[english] = spanish
    return merged


#: English text -> Spanish text.
SPANISH: dict[str, str] = _merged(navigation.ES, resident.ES, own_area.ES, maps.ES, methodology.ES)
