"""Logging to a rotating file in the user's log folder (and to stderr when asked).

The window's start-up (app.py) asks for ``rotate_later``: until its first paint the
records go to the same file through a plain ``logging.FileHandler``, and the
``RotatingFileHandler`` takes over after the paint. ``logging.handlers`` brings
socket, pickle and queue, 4 ms of a 0.15 s start, for a rotation that a few
start-up lines never need (a file already at its limit is rotated at once).
"""

from __future__ import annotations

import logging
from pathlib import Path

LOG_FILE_NAME = "achatsdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
# A file this close to its limit is rotated at start, not after the first paint.
_START_MARGIN = 64_000


def setup_logging(log_dir: Path, *, verbose: bool = False, rotate_later: bool = False) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    if any(getattr(h, "_achatsdesk", False) for h in root.handlers):
        return log_file
    if rotate_later and _size(log_file) < MAX_BYTES - _START_MARGIN:
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = _rotating(log_file)
    root.addHandler(_configured(handler))
    from achatsdesk.private_files import make_private

    make_private(log_file)  # created 0644 by versions before the private umask
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return log_file


def rotate_from_now() -> None:
    """After ``setup_logging(rotate_later=True)``: the rotating handler takes over the file (once)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_achatsdesk", False) and type(handler) is logging.FileHandler:
            rotating = _configured(_rotating(Path(handler.baseFilename)))
            # One list for another (atomic): a record logged meanwhile by a worker thread is written once.
            root.handlers = [rotating if h is handler else h for h in root.handlers]
            handler.close()
            return


def _rotating(log_file: Path) -> logging.Handler:
    import logging.handlers

    return logging.handlers.RotatingFileHandler(log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                encoding="utf-8")


def _configured(handler: logging.Handler) -> logging.Handler:
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._achatsdesk = True  # type: ignore[attr-defined]
    return handler


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
