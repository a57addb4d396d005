"""The maths, pure (no files, no database): canonical variables (:mod:`.variables`), the
Just Communities framework (:mod:`.framework`), the indicator registry (:mod:`.registry`), the
crosswalk (:mod:`.crosswalk`), margins of error (:mod:`.moe`), aggregation (:mod:`.aggregate`),
percentiles (:mod:`.rank`), the plain methods (:mod:`.outcomes`), one module per composite index
(:mod:`.composites`), the engine that computes them all (:mod:`.engine`) and the equity measures
(:mod:`.segregation`, :mod:`.equity`)."""
