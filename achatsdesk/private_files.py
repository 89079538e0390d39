"""The user's files are private by default: 0600 files in 0700 folders on POSIX.

Dossiers and the supplier catalogue are the buyer's work, not for every local
account to read. ``restrict_umask`` is applied once at start by both shells
(files created afterwards by SQLite, logging or the exports get 0600/0700);
``make_private`` fixes a file created before, or copied with its old mode.
On Windows, where the user's profile folders are already private, both do nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

# Written by documents/safe_output.py and storage/backups.py before their final rename.
TEMP_PATTERN = ".~achatsdesk-*.tmp"
# A temporary file untouched this long belongs to a writer that was killed (a running
# export keeps writing to its own, and a CLI export may run beside the window).
STALE_AFTER_S = 10 * 60

PRIVATE_UMASK = 0o077
POSIX = os.name == "posix"


def restrict_umask() -> None:
    if POSIX:
        os.umask(PRIVATE_UMASK)


def make_private(path: Path) -> None:
    """chmod 0600 (a file) or 0700 (a folder); a file we cannot change is left as it is."""
    if POSIX:
        with contextlib.suppress(OSError):
            path.chmod(0o700 if path.is_dir() else 0o600)


def private_folder(path: Path) -> Path:
    """Create ``path`` (and its missing parents) as 0700 folders."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    make_private(path)
    return path


def remove_stale_temporaries(folders: Iterable[Path], *, now: float | None = None) -> list[Path]:
    """Delete the ``.~achatsdesk-*.tmp`` files a killed export or backup left in ``folders``."""
    now = time.time() if now is None else now
    removed = []
    for folder in {Path(f) for f in folders if f}:
        try:
            candidates = list(folder.glob(TEMP_PATTERN)) if folder.is_dir() else []
        except OSError:
            continue
        for path in candidates:
            with contextlib.suppress(OSError):
                if path.is_file() and now - path.stat().st_mtime > STALE_AFTER_S:
                    path.unlink()
                    removed.append(path)
    for path in removed:
        log.info("Temporary file of an interrupted write removed: %s", path)
    return removed
