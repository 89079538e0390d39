"""One achatsdesk per user data folder.

Two windows on the same database would each autosave the dossier they show,
the later save silently replacing the other's changes. So a second launch asks
the running one to come to the front and ends. A lock file in the data folder
says who runs (Qt takes it over when its process is gone, even after a crash);
connecting to the running one's local socket is the "come to the front" request;
the .achatsdesk files given to the second launch (a double-click on a file) travel
on that connection, one path per line, and the running window opens them.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal

log = logging.getLogger(__name__)

LOCK_FILE = "achatsdesk.lock"


def server_name(data_folder: Path) -> str:
    """Per user and per data folder (tests and ACHATSDESK_HOME each get their own)."""
    return "achatsdesk-" + hashlib.sha256(str(data_folder.resolve()).encode()).hexdigest()[:16]


class SingleInstance(QObject):
    """``acquire()`` before showing the window; ``listen()`` once it is shown."""

    activation_requested = Signal()
    files_requested = Signal(list)  # paths (str) a later launch was given

    def __init__(self, data_folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(data_folder)
        self._lock = QLockFile(str(data_folder / LOCK_FILE))
        self._lock.setStaleLockTime(0)  # never age out a live holder; a dead one is detected by its pid
        self._server = None

    def acquire(self) -> bool:
        """False only when another achatsdesk holds the lock. A lock that cannot be written
        (read-only folder...) does not mean another one runs: the start goes on, and the
        database gives its own message if it cannot be written either."""
        if self._lock.tryLock(0):
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            return False
        log.warning("Single-instance lock not available (%s): starting without it", self._lock.error())
        return True

    def holder_pid(self) -> int | None:
        info = self._lock.getLockInfo()  # PySide6 gives (pid, host, application), or a falsy value
        return info[0] if info and info[0] > 0 else None

    def listen(self) -> None:
        """Answer later launches (called after the first paint: start-up need not wait for it)."""
        from PySide6.QtNetwork import QLocalServer

        self._server = QLocalServer(self)
        QLocalServer.removeServer(self._name)  # a socket file left by a crash; we hold the lock
        if not self._server.listen(self._name):
            log.warning("Single-instance server not listening: %s", self._server.errorString())
            return
        self._server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        # A connection is the request: there is nothing else a later launch can ask.
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if not socket.bytesAvailable():
                socket.waitForReadyRead(500)  # the paths follow the connection at once
            data = bytes(socket.readAll().data()).decode("utf-8", errors="replace")
            socket.disconnectFromServer()
            socket.deleteLater()
            files = [line[5:] for line in data.splitlines() if line.startswith("open\t")]
            log.info("Another launch asked this window to come to the front (%d files)", len(files))
            self.activation_requested.emit()
            if files:
                self.files_requested.emit(files)

    def ask_running_to_activate(self, timeout_ms: int = 3000, files: list[str] | tuple[str, ...] = ()) -> bool:
        """From a second launch: ask the running achatsdesk to show its window (and open ``files``).

        It may still be starting (its server listens after its first paint): retry until the timeout.
        """
        from PySide6.QtCore import QDeadlineTimer, QThread
        from PySide6.QtNetwork import QLocalSocket

        deadline = QDeadlineTimer(timeout_ms)
        while not deadline.hasExpired():
            socket = QLocalSocket()
            socket.connectToServer(self._name)
            if socket.waitForConnected(200):
                lines = ["activate", *(f"open\t{Path(name).resolve()}" for name in files)]
                socket.write(("\n".join(lines) + "\n").encode("utf-8"))
                socket.waitForBytesWritten(1000)
                socket.disconnectFromServer()
                return True
            QThread.msleep(100)
        return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()
