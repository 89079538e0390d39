"""The core never imports Qt: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

CORE_PACKAGES = [
    "achatsdesk.domain",
    "achatsdesk.storage",
    "achatsdesk.services",
    "achatsdesk.catalogue",
    "achatsdesk.documents",
]


def test_core_packages_do_not_load_pyside6() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {CORE_PACKAGES!r}:\n"
        "    package = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(package.__path__, name + '.'):\n"
        "        if '.migrations' in info.name: continue\n"
        "        importlib.import_module(info.name)\n"
        "import achatsdesk.cli\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6') or m.startswith('achatsdesk.ui'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"Qt loaded by the core: {result.stdout}"
