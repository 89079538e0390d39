"""Kill a writing process midway, then check the database: the shared part of the crash tests."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def kill_while_writing(script: str, args: list[str], folder: Path, *, env: dict | None = None,
                       writing_for: float = 0.4) -> None:
    """Run ``script`` (it prints "ready" once its writes are under way), let it write for
    ``writing_for`` seconds, then SIGKILL it: no chance to finish a transaction or clean up."""
    path = folder / "writer.py"
    path.write_text(script, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": os.getcwd(), **(env or {})}
    process = subprocess.Popen([sys.executable, str(path), *args], stdout=subprocess.PIPE, env=environment)
    try:
        assert process.stdout.readline().strip() == b"ready"
        time.sleep(writing_for)  # many writes in flight
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


def assert_intact(database_path: Path) -> None:
    conn = sqlite3.connect(database_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
