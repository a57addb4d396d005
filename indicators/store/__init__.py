"""The derived database ``indicators.duckdb``: its schema and writers (:mod:`.schema`), the
build pipeline that fills it (:mod:`.build`) and read-only access (:mod:`.database`)."""
