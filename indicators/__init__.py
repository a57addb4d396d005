"""Just Communities Dashboard: racial-equity and regeneration indicators for districts.

A plain Python package (no Streamlit), in layers that data flows down through one way
(the contract is ``[tool.importlinter]`` in ``pyproject.toml``):

``ingest``         files -> canonical tables (manifest, formats, publishers' profiles, geometry)
``metrics``        the maths, pure: variables, registry, crosswalk, MOEs, composites, equity
``certification``  the Certification Standard, its rules and its records database
``store``          the derived DuckDB database: schema, the build pipeline, read-only access
``present``        what pages show: queries, formatting, tables, charts, maps, the profile
``sample``         the deterministic Sample City generator

with ``config``, ``problems``, ``dates`` and ``atomic`` beneath them all and ``cli`` on top.

Command line: ``python -m indicators build|check|sample``. In a notebook::

    import indicators
    values = indicators.compute("data/indicators.duckdb")   # or a region folder
"""

from __future__ import annotations

from indicators.store.build import compute

__version__ = "0.1.0"
__all__ = ["compute"]
