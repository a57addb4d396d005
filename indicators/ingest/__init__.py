"""Files -> canonical tables: the region manifest (:mod:`.manifest`, :mod:`.layer`), the file
formats people download (:mod:`.files`, :mod:`.values`), the column mappings of each publisher's
files (:mod:`.profiles`, read through :mod:`.tabular`, rolled up by :mod:`.rollup`), geometry
(:mod:`.geography`) and a whole region read and checked (:mod:`.region`)."""
