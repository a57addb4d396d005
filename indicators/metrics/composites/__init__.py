"""The composite indices, one module each (formula and reference in its docstring):

- :mod:`~indicators.metrics.composites.svi`: SVI-style social vulnerability (CDC/ATSDR);
- :mod:`~indicators.metrics.composites.ej`: EJScreen-style environmental justice index (EPA);
- :mod:`~indicators.metrics.composites.cejst`: CEJST-style burden flag (CEQ).

Each exposes an ``INDEX`` (:class:`~indicators.metrics.composites.base.CompositeIndex`) that
its registry entry names.
"""

from indicators.metrics.composites import cejst, ej, svi
from indicators.metrics.composites.base import CompositeIndex, Context, Unavailable, UnitIndex

__all__ = ["CompositeIndex", "Context", "Unavailable", "UnitIndex", "cejst", "ej", "svi"]
