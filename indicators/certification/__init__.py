"""The Certification Standard and its records: the standard as data (:mod:`.standard`, read
from ``standard.toml``), the pure rules of where a project stands (:mod:`.rules`) and how its
targets and practitioners are doing (:mod:`.tracker`), and the records database
``certification.duckdb`` or a shared PostgreSQL database (:mod:`.backends`, :mod:`.database`,
:mod:`.migrations`, :mod:`.seed`, :mod:`.checks`, :mod:`.writes`, read through :mod:`.records`),
with the editors' local accounts (:mod:`.accounts`)."""
