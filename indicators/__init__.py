"""Just Communities Dashboard: racial-equity and regeneration indicators for districts.

A plain Python package (no Streamlit): readers of public data formats (``sources``), the
DuckDB store (``store``), the build (``build``), and, from step 2, the indicator engine.
Command line: ``python -m indicators build|check|sample``.
"""

__version__ = "0.1.0"
