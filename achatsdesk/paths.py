"""Where achatsdesk keeps the user's files.

platformdirs gives each platform's usual folders. ACHATSDESK_HOME, when set,
puts every folder under that one directory: the tests and scripted use rely
on it so that they never touch a real user's files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from achatsdesk import APP_NAME

HOME_ENV = "ACHATSDESK_HOME"


class AppPaths(NamedTuple):  # not a dataclass: read at every start (ui/main_window.py, Section)
    data: Path
    config: Path
    logs: Path
    backups: Path

    @property
    def database(self) -> Path:
        return self.data / "achatsdesk.sqlite3"

    def ensure(self) -> AppPaths:
        """Create the folders, private (0700 on POSIX); files left 0644 by older versions become 0600."""
        from achatsdesk.private_files import make_private, private_folder

        for folder in (self.data, self.config, self.logs, self.backups):
            private_folder(folder)
        for suffix in ("", "-wal", "-shm"):
            companion = self.database.with_name(self.database.name + suffix)
            if companion.exists():
                make_private(companion)
        return self


def app_paths() -> AppPaths:
    """The folders for this process, honouring ACHATSDESK_HOME."""
    home = os.environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(
            data=root / "data", config=root / "config", logs=root / "logs", backups=root / "backups"
        )
    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    data = Path(dirs.user_data_dir)
    return AppPaths(
        data=data,
        config=Path(dirs.user_config_dir),
        logs=Path(dirs.user_log_dir),
        backups=data / "backups",
    )


def resources_dir() -> Path:
    """The read-only resources shipped with the application.

    In a PyInstaller bundle they sit beside the executable (sys._MEIPASS);
    from a source checkout, at the repository root.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
