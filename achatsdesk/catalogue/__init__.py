"""The supplier catalogue: readers for real file formats, validation, the batched
upsert and the import report. Plain Python over a SQLAlchemy Connection: no Qt,
and no dependency on achatsdesk.storage (the layers contract keeps them apart)."""
