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

__all__ = ["FIELDS", "GENERIC", "FilePreview", "ImportReport", "preview_file"]


def preview_file(path: Path) -> FilePreview:
    """The first rows of a file to import, its format and encoding (raises InputFileError)."""
    return _preview(path)
