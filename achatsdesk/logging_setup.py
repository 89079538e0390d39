"""Logging to a rotating file in the user's log folder (and to stderr when asked)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE_NAME = "achatsdesk.log"


def setup_logging(log_dir: Path, *, verbose: bool = False) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    if any(getattr(h, "_achatsdesk", False) for h in root.handlers):
        return log_file
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._achatsdesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    from achatsdesk.private_files import make_private

    make_private(log_file)  # created 0644 by versions before the private umask
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return log_file
