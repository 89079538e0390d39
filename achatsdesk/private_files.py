"""The user's files are private by default: 0600 files in 0700 folders on POSIX.

Dossiers and the supplier catalogue are the buyer's work, not for every local
account to read. ``restrict_umask`` is applied once at start by both shells
(files created afterwards by SQLite, logging or the exports get 0600/0700);
``make_private`` fixes a file created before, or copied with its old mode.
On Windows, where the user's profile folders are already private, both do nothing.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

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
