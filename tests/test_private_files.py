"""Private by default: 0600 files in 0700 folders on POSIX; stale temporary files cleaned;
the single-instance socket gone after a clean exit."""

from __future__ import annotations

import logging
import os
import stat
import time
from pathlib import Path

import pytest

from achatsdesk.private_files import STALE_AFTER_S, remove_stale_temporaries, restrict_umask

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def private_umask():
    previous = os.umask(0o022)
    os.umask(previous)
    restrict_umask()
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_backups_logs_and_exports_are_private(private_umask, achatsdesk_home, tmp_path) -> None:
    from achatsdesk.documents.safe_output import write_atomically
    from achatsdesk.logging_setup import setup_logging
    from achatsdesk.paths import app_paths
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.recovery import backup_on_close

    paths = app_paths()
    paths.data.mkdir(parents=True)
    paths.data.chmod(0o755)  # as an older version left it: made private at the next start
    paths = paths.ensure()
    open_database(paths).dispose()
    root = logging.getLogger()
    earlier = [h for h in root.handlers if getattr(h, "_achatsdesk", False)]  # another test's journal
    for handler in earlier:
        root.removeHandler(handler)
    try:
        log_file = setup_logging(paths.logs)
        logging.getLogger("achatsdesk.test").warning("journal privé")
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_achatsdesk", False)]:
            root.removeHandler(handler)
            handler.close()
        for handler in earlier:
            root.addHandler(handler)
    backup = backup_on_close(paths)
    exports = tmp_path / "exports"
    exports.mkdir()
    export = write_atomically(exports / "annexe.docx", lambda temp: temp.write_bytes(b"PK fictif"))

    for folder in (paths.data, paths.config, paths.logs, paths.backups):
        assert _mode(folder) == 0o700, folder
    for path in (paths.database, backup, log_file, export):
        assert _mode(path) == 0o600, path
    wal = paths.database.with_name(paths.database.name + "-wal")
    assert not wal.exists() or _mode(wal) == 0o600


def test_an_old_public_database_is_made_private(achatsdesk_home) -> None:
    from achatsdesk.paths import app_paths

    paths = app_paths().ensure()
    paths.database.write_bytes(b"x")
    paths.database.chmod(0o644)
    paths.data.chmod(0o755)
    app_paths().ensure()
    assert _mode(paths.database) == 0o600 and _mode(paths.data) == 0o700


def test_temporary_files_of_a_killed_export_are_removed_at_the_next_start(tmp_path) -> None:
    stale = tmp_path / ".~achatsdesk-abc123.docx.tmp"
    fresh = tmp_path / ".~achatsdesk-def456.docx.tmp"  # perhaps an export running right now
    mine = tmp_path / "annexe.docx"
    for path in (stale, fresh, mine):
        path.write_bytes(b"x")
    old = time.time() - STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    os.utime(mine, (old, old))

    assert remove_stale_temporaries([tmp_path]) == [stale]
    assert not stale.exists() and fresh.exists() and mine.exists()


def test_the_single_instance_socket_is_removed_on_a_clean_exit(qtbot, paths) -> None:
    from PySide6.QtNetwork import QLocalServer

    from achatsdesk.ui.single_instance import LOCK_FILE, SingleInstance

    instance = SingleInstance(paths.data)
    assert instance.acquire()
    instance.listen()
    socket_path = Path(instance._server.fullServerName())
    assert socket_path.exists()

    instance.release()

    assert not socket_path.exists()
    assert not (paths.data / LOCK_FILE).exists()
    again = SingleInstance(paths.data)  # and the next start listens again
    assert again.acquire()
    again.listen()
    assert again._server.isListening()
    again.release()
    assert isinstance(again._server, QLocalServer)
