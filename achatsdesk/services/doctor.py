"""Health check: can the application run on this machine?"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from achatsdesk import __version__
from achatsdesk.errors import AchatsdeskError
from achatsdesk.paths import AppPaths, app_paths


@dataclass
class DoctorReport:
    version: str = __version__
    ok: bool = False
    database: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    qt: dict = field(default_factory=dict)
    libreoffice: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def gui_command() -> list[str]:
    """How to start the GUI program from here (source checkout or bundle)."""
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable).with_name("achatsdesk" + (".exe" if os.name == "nt" else ""))
        return [str(exe)]
    return [sys.executable, "-m", "achatsdesk"]


def probe_qt(timeout: float = 60.0) -> dict:
    """Start Qt in a child process (the CLI itself never imports Qt)."""

    def run(env: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*gui_command(), "--qt-probe"], capture_output=True, text=True, timeout=timeout, env=env
        )

    env = dict(os.environ)
    try:
        result = run(env)
        if result.returncode == 0:
            return {"ok": True, "platform": result.stdout.strip(), "detail": ""}
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [""]
        no_display = sys.platform.startswith("linux") and not (
            env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
        )
        if no_display and "QT_QPA_PLATFORM" not in env:
            offscreen = run({**env, "QT_QPA_PLATFORM": "offscreen"})
            if offscreen.returncode == 0:
                return {
                    "ok": True,
                    "platform": offscreen.stdout.strip(),
                    "detail": "Aucun écran détecté : Qt ne fonctionne ici qu'hors écran.",
                }
        return {"ok": False, "platform": "", "detail": detail[0]}
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"ok": False, "platform": "", "detail": str(exc)}


def find_libreoffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ):
        if Path(candidate).exists():
            return candidate
    return None


def run_doctor(paths: AppPaths | None = None, *, check_qt: bool = True) -> DoctorReport:
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.recovery import damaged_error
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.storage.integrity import integrity_check
    from achatsdesk.storage.migrate import current_revision, head_revision

    report = DoctorReport()
    paths = (paths or app_paths()).ensure()
    try:
        # The full check (indexes against their tables too) before anything opens it for writing.
        problems = integrity_check(paths.database) if paths.database.is_file() and paths.database.stat().st_size else []
        if problems and not (len(problems) == 1 and "not a database" in problems[0]):
            raise damaged_error(paths.database, paths.backups, problems)
        database = open_database(paths)
        revision = current_revision(paths.database)
        report.database = {
            "path": str(paths.database),
            "revision": revision,
            "head": head_revision(),
            "at_head": revision == head_revision(),
            "integrity": "ok",
        }
        report.reference = ReferenceService(database).counts()
        database.dispose()
    except AchatsdeskError as exc:
        report.database = {"path": str(paths.database), "error": exc.user_message}
        report.problems.append(exc.user_message)
    if check_qt:
        report.qt = probe_qt()
        if not report.qt["ok"]:
            report.problems.append(
                "L'interface graphique (Qt) ne démarre pas sur cette machine : " + report.qt["detail"]
            )
    soffice = find_libreoffice()
    report.libreoffice = {"present": soffice is not None, "path": soffice}
    report.ok = not report.problems and bool(report.database.get("at_head"))
    return report
