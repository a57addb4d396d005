"""The Mobility indicators of the registry."""

from __future__ import annotations

from indicators.metrics.registry.indicator import ACS, EJSCREEN, Indicator, Texts, mean, rate

INDICATORS: tuple[Indicator, ...] = (
    rate("no_vehicle", "No car", "How many households have no car?",
          "{value} of households have no vehicle", "Mobility", "higher_worse",
          (("hh_no_vehicle", "households"),), f"{ACS}, table B25044 (or CDC SVI E_NOVEH)",
          es=Texts("Sin carro",
                   "¿Cuántos hogares no tienen carro?",
                   "el {value} de los hogares no tienen vehículo")),
    rate("no_internet", "No internet", "How many households have no internet at home?",
          "{value} of households have no internet subscription", "Mobility", "higher_worse",
          (("hh_no_internet", "households"),), f"{ACS}, table B28002 (or CDC SVI 2022 E_NOINT)",
          es=Texts("Sin internet",
                   "¿Cuántos hogares no tienen internet en casa?",
                   "el {value} de los hogares no tienen servicio de internet")),
    mean("traffic_proximity", "Traffic", "How much heavy traffic passes close by?",
          "traffic nearby scores {value} (daily vehicles divided by distance)", "traffic_proximity",
          "vehicles/day/m", "decimal0", "higher_worse", f"{EJSCREEN} (PTRAF)", commitment="Mobility",
          caveats="EJScreen's proximity score: count of vehicles at major roads within 500 m, "
                  "divided by distance.",
          es=Texts("Tráfico",
                   "¿Cuánto tráfico pesado pasa cerca?",
                   "el tráfico cercano tiene una puntuación de {value} (vehículos al día divididos "
                   "por la distancia)")),
)
