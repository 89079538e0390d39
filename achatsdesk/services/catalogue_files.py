"""What a shell needs to import a list of suppliers: the file's preview (detected format,
first rows, guessed columns), the columns a generic file can map, and the import report.

The shells reach catalogue/ through the services only (the layers contract);
the import itself is ``services.catalogue.import_file``.
"""

from __future__ import annotations

from pathlib import Path

from achatsdesk.catalogue.generic import FIELDS
from achatsdesk.catalogue.reader import GENERIC, FilePreview
from achatsdesk.catalogue.reader import preview as _preview
from achatsdesk.catalogue.report import ImportReport
from achatsdesk.catalogue.source_date import SourceDate, parse_source_date, suggested_source_date

__all__ = ["FIELDS", "GENERIC", "FilePreview", "ImportReport", "SourceDate", "parse_source_date", "preview_file",
           "suggested_source_date"]


def preview_file(path: Path) -> FilePreview:
    """The first rows of a file to import, its format and encoding (raises InputFileError)."""
    return _preview(path)
