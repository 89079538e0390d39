"""One achatsdesk per data folder: a second launch brings the open window forward and ends,
so that two autosaves never overwrite each other's changes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from achatsdesk.ui.single_instance import LOCK_FILE, SingleInstance


def test_the_second_instance_asks_the_first_to_come_forward(paths, qtbot) -> None:
    first = SingleInstance(paths.data)
    second = SingleInstance(paths.data)
    try:
        assert first.acquire()
        assert not second.acquire()
        assert second.holder_pid() == os.getpid()
        first.listen()
        with qtbot.waitSignal(first.activation_requested, timeout=5000):
            assert second.ask_running_to_activate(timeout_ms=2000)
    finally:
        first.release()
    assert second.acquire()  # released: the next launch is the one that runs
    second.release()


def test_a_file_given_to_a_second_launch_reaches_the_first(paths, qtbot, tmp_path) -> None:
    first = SingleInstance(paths.data)
    second = SingleInstance(paths.data)
    target = tmp_path / "retour.achatsdesk"
    try:
        assert first.acquire() and not second.acquire()
        first.listen()
        with qtbot.waitSignal(first.files_requested, timeout=5000) as received:
            assert second.ask_running_to_activate(timeout_ms=2000, files=[str(target)])
        assert received.args == [[str(target.resolve())]]
    finally:
        first.release()


def test_nobody_to_answer_is_reported(paths) -> None:
    first = SingleInstance(paths.data)
    assert first.acquire()  # holds the lock but never listens (e.g. hung while starting)
    try:
        started = time.monotonic()
        assert not SingleInstance(paths.data).ask_running_to_activate(timeout_ms=500)
        assert time.monotonic() - started < 5
    finally:
        first.release()


def _launch(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "achatsdesk"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_second_launch_ends_and_brings_the_first_window_forward(paths, database) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    log = paths.logs / "achatsdesk.log"
    first = _launch(env)
    try:
        _wait_for(lambda: (paths.data / LOCK_FILE).exists())
        second = subprocess.run([sys.executable, "-m", "achatsdesk"], env=env, capture_output=True, text=True,
                                timeout=60)
        assert second.returncode == 0, second.stderr
        _wait_for(lambda: "asked this window to come to the front" in log.read_text(encoding="utf-8"))
        assert "its window was brought to the front" in log.read_text(encoding="utf-8")
        assert first.poll() is None  # the first one still runs
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_a_crashed_instance_does_not_block_the_next_launch(paths, database) -> None:
    first = _launch({**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lock = Path(paths.data) / LOCK_FILE
    _wait_for(lock.exists)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert lock.exists()  # left behind by the crash
    after = SingleInstance(paths.data)
    assert after.acquire()  # its process is gone: the lock is stale and taken over
    after.release()


def test_a_lock_that_cannot_be_written_does_not_pretend_another_one_runs(paths) -> None:
    from PySide6.QtCore import QLockFile

    class Refused:  # stands in for Qt's lock on a read-only folder (root, who runs CI, ignores permissions)
        def __init__(self, error):
            self._error = error

        def tryLock(self, _timeout):  # noqa: N802 - Qt API
            return False

        def error(self):
            return self._error

    instance = SingleInstance(paths.data)
    instance._lock = Refused(QLockFile.LockError.PermissionError)
    assert instance.acquire()  # starts; the database will say if it cannot be written
    instance._lock = Refused(QLockFile.LockError.LockFailedError)
    assert not instance.acquire()  # held by another achatsdesk
